"""Writes that touch many rows, each under one transaction."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from organizations.models import Organization

from .history import audited as _audited  # the name its callers here have always used
from .models import (
    Document,
    DocumentStatus,
    Revision,
    RevisionAction,
    Section,
    Statement,
    TaggedStatement,
    Theme,
)
from .selectors import MERGED_INTO, theme_formerly_named, theme_named
from .slugs import unique_slug

THEMES_FIXTURE = "themes"


def fixtures_dir() -> Path:
    return Path(settings.FIXTURE_DIRS[0])


def seed_slugs():
    """The organizations that have a fixture: fixtures/<slug>.json beside its source text."""
    return sorted(path.stem for path in (fixtures_dir() / "sources").glob("*.txt"))


@dataclass
class LoadReport:
    loaded: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


@transaction.atomic
def load_seed_organizations(slugs, *, replace=False):
    """Load each organization's fixture unless it is already present (or replace is set).

    loaddata saves raw rows and so writes no history; each row loaded gets a history entry
    here instead, so every statement's history starts with where it came from. Its raw saves
    still announce the statements (principles.signals), once the load commits.
    """
    report = LoadReport()
    themes_path = fixtures_dir() / f"{THEMES_FIXTURE}.json"
    for slug in slugs:
        present = Organization.objects.filter(slug=slug).exists()
        if present and not replace:
            report.skipped.append(slug)
            continue
        fixture_files = [fixtures_dir() / f"{slug}.json"]
        if themes_path.exists():
            fixture_files.insert(0, themes_path)
        call_command("loaddata", *fixture_files, verbosity=0)
        _record_history(slug, update=present)
        report.loaded.append(slug)
    return report


def _record_history(slug, *, update):
    reason = f"{'Reloaded' if update else 'Loaded'} from fixtures/{slug}.json"
    rows = [
        (Organization, Organization.objects.filter(slug=slug)),
        (Document, Document.objects.filter(organization__slug=slug)),
        (Section, Section.objects.filter(document__organization__slug=slug)),
        (Statement, Statement.objects.filter(document__organization__slug=slug)),
        (
            TaggedStatement,
            TaggedStatement.objects.filter(content_object__document__organization__slug=slug),
        ),
        (Theme, Theme.objects.all()),
    ]
    for model, queryset in rows:
        if not update or model is Theme:
            recorded = model.history.filter(id__in=queryset.values("pk")).values("id")
            queryset = queryset.exclude(pk__in=recorded)
        objs = list(queryset)
        if objs:
            model.history.bulk_history_create(
                objs, update=update and model is not Theme, default_change_reason=reason
            )


# Tagging (issue 4). Every tagging row is saved or deleted one by one, never in bulk, so
# that its history (the audit trail) records who added or removed which theme, and when.


class ThemeNotAllowed(Exception):
    """The name is no theme yet and the user may not add new themes."""


@dataclass
class Tagging:
    theme: Theme
    theme_created: bool = False
    added: bool = False


def _create_theme(name, user, description=""):
    """A new theme, proposed (readers see it once an editor approves it: vocabulary.py)."""
    slug = unique_slug(Theme.objects, slugify(name) or "theme")  # ASCII: /themes/<slug>/ works
    theme = _audited(Theme(name=name, slug=slug, description=description), user)
    try:
        with transaction.atomic():
            theme.save()
    except IntegrityError:
        # created meanwhile by someone else: use theirs
        existing = theme_named(name)
        if existing is None:
            raise
        return existing, False
    return theme, True


def lock_document(document_id):
    """Take the row lock that every edit of a document's content holds while it writes
    (principles/concurrency.py): edits of one document's rows then commit one after another.
    FOR NO KEY UPDATE: it does not block the key-share locks that inserting a row pointing at
    the document takes (PostgreSQL checks foreign keys that way), so a tagging never
    deadlocks against an edit."""
    locked = Document.objects.select_for_update(no_key=True, of=("self",))
    list(locked.filter(pk=document_id).order_by().values("pk"))


def lock_statement(statement_id):
    """Take the row lock every change of a statement's themes holds while it writes (before
    any theme's lock, as an admin save does): one statement's taggings then commit one after
    another, and a stale form's check (`since`) sees every change made before it.
    FOR NO KEY UPDATE, like lock_document, so a merge moving rows onto the statement does not
    wait for it."""
    # no ordering: Statement's default ordering joins its document and organization, whose
    # rows would be locked too (and an editor holds the document's lock)
    locked = Statement.objects.select_for_update(no_key=True, of=("self",))
    list(locked.filter(pk=statement_id).order_by().values("pk"))


class StaleTagging(Exception):
    """Refused: someone changed this theme on this statement after the user's page was drawn
    (removed it, when the user adds it; added it again, when the user removes it)."""

    def __init__(self, change, theme, since, *, merged_from=None):
        super().__init__(f"“{theme.name}” changed after {since}")
        self.change = change  # the history row of the change (who, when)
        self.theme = theme
        self.since = since  # when the user's page was drawn (None: not known)
        self.merged_from = merged_from  # the name the user saw, merged into `theme` since


def _changed_since(statement, theme, since, history_type):
    """The latest change of that type of the theme on the statement after `since`, or None."""
    if since is None:
        return None
    return (
        TaggedStatement.history.filter(
            content_object_id=statement.pk,
            tag_id=theme.pk,
            history_type=history_type,
            history_date__gt=since,
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
        .first()
    )


LOOK_AGAIN = 3  # a theme merged or deleted while the tagging waited for it: find it anew


def _locked_theme(name, user, allow_new, description=""):
    """The theme called `name`, locked until the transaction ends, so that a merge, rename or
    delete waits for this tagging (or this tagging for it). A name no theme has now means the
    theme last called that: renamed since, or merged into another (meanwhile, or before the
    user's page was drawn), whatever that theme is called now."""
    for _ in range(LOOK_AGAIN):
        theme = theme_named(name) or theme_formerly_named(name)
        if theme is None:
            break
        locked = Theme.objects.select_for_update().filter(pk=theme.pk).first()
        if locked is not None:
            return locked, False
        # deleted or merged while we waited: that has committed now, so look again
    if not allow_new:
        raise ThemeNotAllowed(name)
    return _create_theme(name, user, description)


@transaction.atomic
def add_theme_to_statement(
    statement, name, *, user=None, allow_new=True, reason=None, since=None, description=""
):
    """Put the theme called `name` on the statement, reusing an existing theme whatever the
    case of the name; create the theme first if allowed. Idempotent: a theme someone else
    added meanwhile is a success.

    `since`: when the user's page was drawn. If someone removed this theme from the statement
    after that, the user did not see their decision: StaleTagging, nothing written."""
    lock_statement(statement.pk)
    theme, created = _locked_theme(name, user, allow_new, description)  # description: if new
    if TaggedStatement.objects.filter(content_object=statement, tag=theme).exists():
        return Tagging(theme=theme, theme_created=created)
    removal = None if created else _changed_since(statement, theme, since, "-")
    if removal is not None:
        raise StaleTagging(removal, theme, since)
    row = _audited(TaggedStatement(content_object=statement, tag=theme), user, reason)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # added meanwhile by someone else
        return Tagging(theme=theme, theme_created=created)
    return Tagging(theme=theme, theme_created=created, added=True)


@transaction.atomic
def remove_theme_from_statement(statement, theme, *, user=None, reason=None, since=None):
    """Take the theme off the statement. Returns whether it was there (a theme someone else
    removed meanwhile is a success too).

    `since`: when the user's page was drawn. If someone put this theme on the statement
    (again) after that, the user did not see their decision: StaleTagging, nothing written."""
    lock_statement(statement.pk)
    rows = list(
        TaggedStatement.objects.filter(content_object=statement, tag=theme)
        .select_for_update(of=("self",))
        .order_by("pk")  # the default ordering joins (and would lock) statement and theme
    )
    if rows:
        addition = _changed_since(statement, theme, since, "+")
        if addition is not None:
            raise StaleTagging(addition, theme, since)
    for row in rows:
        _audited(row, user, reason).delete()
    return bool(rows)


@dataclass
class MergeReport:
    survivor: Theme
    merged: list = field(default_factory=list)  # names of the themes merged away
    moved: int = 0  # statements that got the survivor
    duplicates: int = 0  # taggings dropped because the statement had the survivor already


@transaction.atomic
def merge_themes(survivor, themes, *, user=None):
    """Merge `themes` into `survivor`: every statement tagged with any of them carries the
    survivor afterwards (once), and the merged themes are deleted. All or nothing."""
    # lock the themes first: a tagging of one of them waits, then follows it to the survivor
    # (and a tagging already under way finishes first, and is moved below)
    ids = [theme.pk for theme in themes if theme.pk != survivor.pk]
    locked = {t.pk: t for t in Theme.objects.select_for_update().filter(pk__in=[*ids, survivor.pk])}
    if survivor.pk not in locked:
        raise ValidationError(f"“{survivor.name}” was deleted meanwhile; nothing was merged.")
    merged = [locked[pk] for pk in ids if pk in locked]
    report = MergeReport(survivor=survivor, merged=[theme.name for theme in merged])
    if not merged:
        return report
    names = {theme.pk: theme.name for theme in merged}
    tagged = set(
        TaggedStatement.objects.filter(tag=survivor).values_list("content_object_id", flat=True)
    )
    rows = TaggedStatement.objects.filter(tag__in=merged).select_for_update(of=("self",))
    rows = rows.order_by("pk")
    for row in rows:
        reason = f"Merged “{names[row.tag_id]}” into “{survivor.name}”"
        _audited(row, user, reason).delete()
        if row.content_object_id in tagged:
            report.duplicates += 1
            continue
        moved = TaggedStatement(content_object_id=row.content_object_id, tag=survivor)
        _audited(moved, user, reason).save()
        tagged.add(row.content_object_id)
        report.moved += 1
    for theme in merged:
        _audited(theme, user, MERGED_INTO.format(survivor.name)).delete()
    return report


# Editing: order within a document, and the document lifecycle. -----------------------


@transaction.atomic
def renumber(rows, *, user=None):
    """Give one document's sections (or statements), listed in their new order, positions 1..n.

    Positions are unique per document, so every row first moves above all positions in use
    (one UPDATE, which cannot collide), then takes its final number. Rows whose number
    changes are saved, so history records the move; the others just move back.
    """
    rows = list(rows)
    if not rows:
        return 0
    model = type(rows[0])
    in_document = model.objects.filter(document_id=rows[0].document_id)
    original = dict(in_document.values_list("pk", "position"))
    if set(original) != {row.pk for row in rows}:
        raise ValueError("renumber() needs every row of the document, each once.")
    offset = max(*original.values(), len(rows)) + 1
    in_document.update(position=F("position") + offset)
    unchanged = [row.pk for number, row in enumerate(rows, 1) if original[row.pk] == number]
    in_document.filter(pk__in=unchanged).update(position=F("position") - offset)
    moved = 0
    for number, row in enumerate(rows, 1):
        if original[row.pk] != number:
            row.position = number
            _audited(row, user, "Renumbered")
            row.save(update_fields=["position"])
            moved += 1
    return moved


def in_typed_order(rows, numbers):
    """Rows sorted by the order numbers an editor typed (decimals allowed: 2.5 goes between
    2 and 3). A row without a number keeps its place; a row moved onto a number in use goes
    before the row already there."""

    def key(row):
        typed = numbers.get(row.pk)
        number = row.position if typed is None else typed
        return (number, 0 if typed is not None and typed != row.position else 1, row.position)

    return sorted(rows, key=key)


@transaction.atomic
def reorder_document(document, *, section_numbers=None, statement_numbers=None, user=None):
    """Renumber a document's sections and statements 1..n in the order the editor typed."""
    sections = list(document.sections.select_for_update(no_key=True).order_by("position"))
    statements = list(document.statements.select_for_update(no_key=True).order_by("position"))
    return renumber(in_typed_order(sections, section_numbers or {}), user=user) + renumber(
        in_typed_order(statements, statement_numbers or {}), user=user
    )


@transaction.atomic
def publish(document, *, user=None, summary=""):
    """Publish a document; if it names the document it supersedes, publish it as its successor.

    `summary` is the editor's account of what changed, kept with the publication."""
    if document.supersedes_id:
        return supersede(document.supersedes, document, user=user, summary=summary)
    document.status = DocumentStatus.PUBLISHED
    _audited(document, user, "Published")
    document.save()
    _record_revision(document, RevisionAction.PUBLISHED, user, summary)
    return document


@transaction.atomic
def retire(document, *, user=None, summary=""):
    """Retire a document: readers no longer see it; its permalinks answer 410 Gone."""
    document.status = DocumentStatus.RETIRED
    _audited(document, user, "Retired")
    document.save()
    _record_revision(document, RevisionAction.RETIRED, user, summary)
    return document


def _record_revision(document, action, user, summary, superseded=None):
    return Revision.objects.create(
        document=document,
        action=action,
        by=user if user is not None and user.is_authenticated else None,
        summary=summary.strip(),
        superseded=superseded,
    )


@transaction.atomic
def supersede(old, new, *, user=None, summary=""):
    """Publish `new` as the successor of `old`.

    `new` names `old` in `supersedes`, is published and takes `old`'s place in the
    organization's order, just before it. A published `old` becomes superseded: no longer
    in force, so no listing shows it, but readable at its address with a banner that links
    to `new`. A retired or draft `old` keeps its status.
    """
    if old.pk == new.pk:
        raise ValidationError("A document cannot supersede itself.")
    if old.organization_id != new.organization_id:
        raise ValidationError("A document can only supersede one of its own organization's.")
    ancestor = old
    while ancestor is not None:
        if ancestor.pk == new.pk:
            raise ValidationError(f"“{old.title}” already descends from “{new.title}”.")
        ancestor = ancestor.supersedes
    later = (
        Document.objects.filter(organization_id=old.organization_id, position__gte=old.position)
        .exclude(pk=new.pk)
        .order_by("position")
    )
    for document in later:
        document.position += 1
        _audited(document, user, f"Moved after its successor “{new.title}”")
        document.save(update_fields=["position"])
    new.supersedes = old
    new.status = DocumentStatus.PUBLISHED
    new.position = old.position
    _audited(new, user, f"Published, superseding “{old.title}”")
    new.save()
    if old.status == DocumentStatus.PUBLISHED:
        old.status = DocumentStatus.SUPERSEDED
        _audited(old, user, f"Superseded by “{new.title}”")
        old.save(update_fields=["status"])
    _record_revision(new, RevisionAction.PUBLISHED, user, summary, superseded=old)
    return new


@transaction.atomic
def new_version(document, *, user=None):
    """A draft copy of a document (sections, statements and their themes) that supersedes it.

    Each copied statement records the statement it came from (`derived_from`), so once the
    draft is published every old statement knows its successor, or that it was removed.
    Editors revise the draft, then publish it; the original stays as it is until then.
    """
    slug = unique_slug(
        Document.objects.filter(organization_id=document.organization_id),
        f"{document.slug[:70]}-v",
        suffix="{}",
        bare=False,
    )
    sections = list(document.sections.order_by("position"))
    statements = list(document.statements.prefetch_related("tagged_items").order_by("position"))
    reason = f"New version of “{document.title}”"
    copy = Document.objects.get(pk=document.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = slug
    copy.status = DocumentStatus.DRAFT
    copy.supersedes = document
    _audited(copy, user, reason)
    copy.save()
    section_copies = {}
    for section in sections:
        old_pk = section.pk
        section.pk, section.document = None, copy
        section._state.adding = True
        _audited(section, user, reason)
        section.save()
        section_copies[old_pk] = section
    for statement in statements:
        themes = [tagged.tag_id for tagged in statement.tagged_items.all()]
        statement.derived_from_id = statement.pk
        statement.pk, statement.document = None, copy
        statement.section = section_copies.get(statement.section_id)
        statement._state.adding = True
        _audited(statement, user, reason)
        statement.save()
        for theme_id in themes:
            tagged = TaggedStatement(content_object=statement, tag_id=theme_id)
            _audited(tagged, user, reason)
            tagged.save()
    return copy


@transaction.atomic
def delete_unused_themes(themes, *, user=None):
    """Delete the themes that no statement carries; keep the others. Returns both lists of
    names. A used theme is merged into another, never deleted with its tagging."""
    deleted, kept = [], []
    # locked first, so a tagging under way finishes (and the theme is kept) or waits
    themes = list(Theme.objects.select_for_update().filter(pk__in=[t.pk for t in themes]))
    used = set(TaggedStatement.objects.filter(tag__in=themes).values_list("tag_id", flat=True))
    for theme in themes:
        if theme.pk in used:
            kept.append(theme.name)
        else:
            _audited(theme, user).delete()
            deleted.append(theme.name)
    return deleted, kept
