"""Reads behind the pages, each in a fixed number of queries whatever the data's size."""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.text import slugify

from organizations.models import Organization

from .models import (
    IN_FORCE,
    READABLE,
    Document,
    DocumentStatus,
    Revision,
    RevisionAction,
    Section,
    Statement,
    StatementKind,
    TaggedStatement,
    Theme,
    can_see_unpublished,
)


def statements_for_display(queryset, *, with_document=True, user=None, all_themes=False):
    """Statements with everything a listing shows: section, themes, document, organization.

    Each statement's `themes` are those `user` may see (Theme.objects.visible_to: without
    a user, what readers see); all_themes=True for editors' own tools (exports).
    Inside a document's own prefetch the document is already known (with_document=False).
    The themes come in one query for all the statements when they are fetched, as plain lists
    read through `Statement.themes` (StatementQuerySet.with_themes, models.attach_themes).
    """
    related = ["document__organization", "section"] if with_document else ["section"]
    return queryset.select_related(*related).with_themes(user, all_themes=all_themes)


def organizations_with_missions(organizations, user):
    """Attach each organization's mission in force (or None) as `.mission`: two queries.

    Editors too see only the mission in force here: a draft's belongs on the draft's page."""
    organizations = list(organizations)
    missions = (
        Statement.objects.in_force()
        .filter(kind=StatementKind.MISSION, document__organization__in=organizations)
        .select_related("document")
        .order_by("document__position", "position")
    )
    first_mission = {}
    for statement in missions:
        first_mission.setdefault(statement.document.organization_id, statement)
    for organization in organizations:
        organization.mission = first_mission.get(organization.pk)
    return organizations


def popular_themes(limit=12, counts=None):
    """Themes in use on published statements, most used first."""
    return (
        themes_with_counts(counts=counts)
        .filter(statement_count__gt=0)
        .order_by("-statement_count", "name")[:limit]
    )


def theme_counts():
    """{theme id: statements in force carrying it}: one grouped read of the taggings, narrow
    rows only (annotating the themes instead carries every theme column through a join of
    all taggings: ten times slower at 230,000 taggings).

    Each theme's taggings are counted less those of statements not in force: those are few
    (retired, superseded and draft documents'), a small set each tagging is looked up in,
    where joining every tagging to its statement and document read both tables whole: 26 ms
    rather than 69 at 115,000 taggings (EXPLAIN ANALYZE, practicekb_bench)."""
    not_in_force = Statement.objects.exclude(document__status__in=IN_FORCE).values("pk")
    rows = (
        TaggedStatement.objects.values_list("tag_id")
        .annotate(n=Count("pk") - Count("pk", filter=Q(content_object_id__in=not_in_force)))
        .filter(n__gt=0)
        .order_by()
    )
    return dict(rows)


def themes_with_counts(user=None, counts=None):
    """The themes `user` may see (readers: approved ones that statements in force carry;
    Theme.objects.visible_to), each with the number of statements in force carrying it.

    `counts` is theme_counts(), read here when not given: a caller that keeps it (per content
    version) spares the read of every tagging."""
    if counts is None:
        counts = theme_counts()
    statement_count = Case(
        *(When(pk=pk, then=Value(n)) for pk, n in counts.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Theme.objects.visible_to(user)
        .annotate(statement_count=statement_count)
        .order_by("-curated", "name")
    )


def theme_for_reading(slug, user):
    """The theme at /themes/<slug>/; 404 for readers unless it is approved and in use."""
    return get_object_or_404(Theme.objects.visible_to(user), slug=slug)


@dataclass
class Block:
    """A run of consecutive statements under one section (or under none)."""

    section: Section | None
    statements: list = field(default_factory=list)


def blocks_of(document):
    """Group a document's prefetched statements into consecutive runs by section."""
    blocks = []
    for statement in document.statements.all():
        if not blocks or blocks[-1].section != statement.section:
            if statement.section is not None:
                statement.section.document = document  # Section.anchor names it: no query
            blocks.append(Block(section=statement.section))
        blocks[-1].statements.append(statement)
    return blocks


def documents_for_reading(organization, user, only_slug=None):
    """An organization's documents for its page (in force; editors also see drafts and
    retired ones, with a banner) or the one at `only_slug` (also a superseded version), each
    with `.blocks`, `.successors` (readable versions that replaced it) and `.supersedes_shown`
    (the version it replaced, unless readers may not see that one): 4 queries."""
    documents = Document.objects.visible_to(user).filter(organization=organization)
    if only_slug is not None:
        documents = documents.filter(slug=only_slug)
    else:
        documents = documents.exclude(status=DocumentStatus.SUPERSEDED)
    documents = list(
        documents.select_related("supersedes__organization")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=statements_for_display(
                    Statement.objects.order_by("position"), with_document=False, user=user
                ),
            ),
            Prefetch(
                "superseded_by",
                queryset=Document.objects.readable().only(
                    "pk", "title", "slug", "status", "organization_id", "supersedes_id"
                ),
                to_attr="successors",
            ),
        )
        .order_by("position", "title")
    )
    editor = can_see_unpublished(user)
    for document in documents:
        document.blocks = blocks_of(document)
        # the prefetched statements already carry the organization; reuse it
        document.organization = organization
        for successor in document.successors:
            successor.organization = organization
        earlier = document.supersedes
        document.supersedes_shown = (
            earlier if earlier is not None and (editor or earlier.status in READABLE) else None
        )
    return documents


def earlier_versions(organization):
    """The organization's superseded documents, listed under its page: one query."""
    return list(
        Document.objects.filter(organization=organization, status=DocumentStatus.SUPERSEDED)
        .only("pk", "title", "slug", "organization_id", "effective_date")
        .order_by("position", "title")
    )


class OrganizationPage:
    """An organization's page: the organization, read at once, and what its body shows,
    read when first asked for (four queries): a signed-in person whose page body comes from
    a cached fragment reads none of it."""

    def __init__(self, organization, user):
        self.organization = organization
        self.user = user

    @cached_property
    def documents(self):
        return documents_for_reading(self.organization, self.user)

    @cached_property
    def earlier(self):
        earlier_list = earlier_versions(self.organization)
        for earlier in earlier_list:
            earlier.organization = self.organization
        return earlier_list

    @cached_property
    def _statements_in_force(self):
        # the mission and vision in force; a draft's stay on the draft, marked as one
        current = [document for document in self.documents if document.is_in_force]
        return [s for document in current for b in document.blocks for s in b.statements]

    @cached_property
    def mission(self):
        return [s for s in self._statements_in_force if s.kind == StatementKind.MISSION]

    @cached_property
    def vision(self):
        return [s for s in self._statements_in_force if s.kind == StatementKind.VISION]


def organization_page(slug, user):
    return OrganizationPage(get_object_or_404(Organization, slug=slug), user)


def retired_document(slug, document_slug):
    """The retired document at this address, for its tombstone, or None."""
    return (
        Document.objects.filter(
            organization__slug=slug, slug=document_slug, status=DocumentStatus.RETIRED
        )
        .select_related("organization")
        .first()
    )


def document_page(slug, document_slug, user):
    organization = get_object_or_404(Organization, slug=slug)
    documents = documents_for_reading(organization, user, only_slug=document_slug)
    if not documents:
        raise Http404("No such document.")
    return organization, documents[0]


@dataclass
class Lineage:
    """Where a statement of an earlier version went: its wording in force now (`current`),
    or `removed` from `document`, the version in force now (or the latest readable one)."""

    current: Statement | None = None
    document: Document | None = None
    removed: bool = False


def lineage(statement, max_versions=20):
    """Follow the statement through the versions that superseded its document: two
    queries per newer version."""
    found, document = Lineage(), statement.document
    for _ in range(max_versions):
        later = (
            Statement.objects.filter(
                derived_from=statement,
                document__supersedes=document,
                document__status__in=READABLE,
            )
            .select_related("document__organization")
            .first()
        )
        if later is None:
            successor = Document.objects.readable().filter(supersedes=document).first()
            if successor is not None:
                found.current, found.document, found.removed = None, successor, True
            break
        statement, document = later, later.document
        found.current, found.document = later, document
    return found


@dataclass
class InForce:
    since: object = None  # a date or datetime, or None when not recorded
    until: object = None
    retired: object = None


def in_force_period(document):
    """When the document was published, superseded and retired, from its revisions (or its
    effective date, for documents loaded from the sources): one query."""
    period = InForce(since=document.effective_date)
    revisions = Revision.objects.filter(Q(document=document) | Q(superseded=document)).order_by(
        "at", "pk"
    )
    for revision in revisions:
        if revision.superseded_id == document.pk and revision.document_id != document.pk:
            period.until = period.until or revision.at
        elif revision.action == RevisionAction.PUBLISHED:
            period.since = document.effective_date or revision.at
        elif revision.action == RevisionAction.RETIRED:
            period.retired = revision.at
    return period


@dataclass
class StatementPage:
    statement: Statement
    previous: Statement | None
    next: Statement | None
    lineage: Lineage | None = None
    period: InForce | None = None
    ordinal: int = 1  # the statement's place in its document, for citations
    total: int = 1

    @property
    def is_gone(self):
        """A retired statement's permalink answers 410 Gone."""
        return self.statement.document.status == DocumentStatus.RETIRED


def statement_page(pk, user):
    """The statement, its neighbours and, for a superseded or retired one, where its
    wording went and when it was in force. Readers get 404 for drafts; retired statements
    are a tombstone (see StatementPage.is_gone)."""
    statement = get_object_or_404(statements_for_display(Statement.objects.all(), user=user), pk=pk)
    document = statement.document
    if document.status == DocumentStatus.DRAFT and not can_see_unpublished(user):
        raise Http404("No such statement.")
    if statement.section:
        statement.section.document = document  # already loaded: spares two queries
    siblings = Statement.objects.filter(document_id=statement.document_id).only(
        "pk", "position", "label", "title", "text", "document_id"
    )
    previous = siblings.filter(position__lt=statement.position).order_by("-position").first()
    following = siblings.filter(position__gt=statement.position).order_by("position").first()
    place = siblings.aggregate(
        total=Count("pk"), before=Count("pk", filter=Q(position__lt=statement.position))
    )
    page = StatementPage(
        statement=statement,
        previous=previous,
        next=following,
        ordinal=place["before"] + 1,
        total=place["total"],
    )
    if document.status in (DocumentStatus.SUPERSEDED, DocumentStatus.RETIRED):
        page.lineage = lineage(statement)
        page.period = in_force_period(document)
    return page


def theme_statements(theme, user):
    """Statements in force carrying the theme, ordered by organization then source order."""
    return statements_for_display(
        Statement.objects.in_force()
        .filter(tagged_items__tag=theme)
        .order_by("document__organization__name", "document__position", "position"),
        user=user,
    )


# Tagging (issue 4)


def theme_named(name):
    """The theme a typed name means, or None: the same name in any case ("safety" is
    "Safety"), or the same slug ("well being" is "Well-being")."""
    slug = slugify(name)
    query = Q(name__iexact=name) | Q(slug=slug) if slug else Q(name__iexact=name)
    candidates = list(Theme.objects.filter(query))  # at most two: names and slugs are unique
    for theme in candidates:
        if theme.name.lower() == name.lower():
            return theme  # the same name wins over the same slug
    return candidates[0] if candidates else None


# A merged-away theme's deletion is recorded in its history with this reason; the name of
# the survivor in it, with the survivor's own history, finds the survivor whatever it has
# been renamed to since (services.themes.merge_themes writes it).
MERGED_INTO = "Merged into “{}”"
MERGE_HOPS = 20  # a chain of merges (A into B, later B into C) is followed this far


def _merged_survivor_name(reason):
    prefix, _, suffix = MERGED_INTO.partition("{}")
    if not reason or not reason.startswith(prefix) or not reason.endswith(suffix):
        return None
    return reason[len(prefix) : len(reason) - len(suffix)]


def survivor_of(deleted):
    """The theme that a deleted theme (its history row of type "-") lives on in, or None.

    Following the merge (and any later merge of the survivor): the survivor is the theme
    that carried the name in the reason when the merge happened, found by id through its
    history, so renaming it afterwards does not lose the way.
    """
    for _ in range(MERGE_HOPS):
        name = _merged_survivor_name(deleted.history_change_reason)
        if name is None:
            return None  # deleted, not merged
        survivor_id = (
            Theme.history.filter(name__iexact=name, history_date__lte=deleted.history_date)
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .values_list("id", flat=True)
            .first()
        )
        if survivor_id is None:  # a survivor without history (loaded raw): by its name
            return theme_named(name)
        survivor = Theme.objects.filter(pk=survivor_id).first()
        if survivor is not None:
            return survivor
        deleted = (
            Theme.history.filter(id=survivor_id, history_type="-").order_by("-history_id").first()
        )
        if deleted is None:
            return None
    return None


def _theme_now(record):
    """Where the theme of a history record lives now: itself (renamed or re-addressed since),
    the survivor it was merged into, or None if it was deleted unused."""
    current = Theme.objects.filter(pk=record.id).first()
    if current is not None:
        return current
    deleted = Theme.history.filter(id=record.id, history_type="-").order_by("-history_id").first()
    return survivor_of(deleted) if deleted is not None else None


def theme_formerly_named(name):
    """The theme that a name no theme has now (nor its slug) was last used for: the theme
    itself, renamed since, or the survivor it was merged into. None if no theme was ever
    called that, or the one that was has been deleted unused."""
    slug = slugify(name)
    query = Q(name__iexact=name) | Q(slug=slug) if slug else Q(name__iexact=name)
    last = Theme.history.filter(query).order_by("-history_id").first()
    if last is None:
        return None
    return _theme_now(last)


def theme_formerly_at(slug):
    """The theme whose address /themes/<slug>/ was, if no theme has that slug now: a theme whose
    slug was changed, or the survivor of a merge. None if the slug never was a theme's."""
    if Theme.objects.filter(slug=slug).exists():
        return None
    last = Theme.history.filter(slug=slug).order_by("-history_id").first()
    if last is None:
        return None
    return _theme_now(last)


def theme_ids_at(statement_id, moment, *, before=False):
    """The ids of the themes a statement carried at `moment` (just before it, if `before`):
    today's themes with every later tagging change undone, newest first.

    Working back from today's rows, it needs no history older than `moment` (rows loaded
    raw have none)."""
    ids = set(
        TaggedStatement.objects.filter(content_object_id=statement_id).values_list(
            "tag_id", flat=True
        )
    )
    later = Q(history_date__gte=moment) if before else Q(history_date__gt=moment)
    changes = (
        TaggedStatement.history.filter(later, content_object_id=statement_id)
        .order_by("-history_date", "-history_id")
        .values_list("tag_id", "history_type")
    )
    for tag_id, kind in changes:
        if kind == "+":
            ids.discard(tag_id)
        elif kind == "-":
            ids.add(tag_id)
    return ids


def theme_names_by_id(ids):
    """{id: name} of themes, the name a theme merged away or deleted last had: two queries."""
    names = dict(Theme.objects.filter(pk__in=ids).values_list("pk", "name"))
    gone = set(ids) - set(names)
    if gone:
        rows = Theme.history.filter(id__in=gone).order_by("history_date", "history_id")
        names.update(rows.values_list("id", "name"))  # the last one wins
    return names


def merge_of_slug(slug):
    """(the history row of the theme's deletion, the survivor) if the theme that had `slug`
    was merged away, else None."""
    if Theme.objects.filter(slug=slug).exists():
        return None
    deleted = Theme.history.filter(slug=slug, history_type="-").order_by("-history_id").first()
    survivor = survivor_of(deleted) if deleted is not None else None
    return (deleted, survivor) if survivor is not None else None


@dataclass
class ThemesThenAndNow:
    then: list | None  # names, when the user's page was drawn (None: not known)
    now: list


def themes_then_and_now(statement, since):
    """A statement's theme names when a page was drawn and now, for a refused tagging."""
    now_ids = set(statement.tagged_items.values_list("tag_id", flat=True))
    then_ids = theme_ids_at(statement.pk, since) if since is not None else set()
    names = theme_names_by_id(now_ids | then_ids)

    def named(ids):
        return sorted((names.get(pk, f"theme {pk}") for pk in ids), key=str.casefold)

    return ThemesThenAndNow(then=named(then_ids) if since is not None else None, now=named(now_ids))


def themes_at_version(statement_id, version_id):
    """The themes a statement carried while a version of it was current, for a revert to it:
    as they stood when the next version was saved (a save changing the text and the themes
    records the text first, so its theme changes are not part of the version before). A
    theme merged away since counts as its survivor; one deleted since is left out."""
    following = (
        Statement.history.filter(id=statement_id, history_id__gt=version_id)
        .order_by("history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    if following is None:  # the current version
        ids = set(
            TaggedStatement.objects.filter(content_object_id=statement_id).values_list(
                "tag_id", flat=True
            )
        )
    else:
        ids = theme_ids_at(statement_id, following, before=True)
    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in=ids)}
    for gone in ids - set(themes):
        deleted = Theme.history.filter(id=gone, history_type="-").order_by("-history_id").first()
        survivor = survivor_of(deleted) if deleted is not None else None
        if survivor is not None:
            themes[survivor.pk] = survivor
    return sorted(themes.values(), key=lambda theme: theme.name.casefold())


def theme_names():
    """Every theme's name, for the suggestions of the add-a-theme field: one query."""
    return list(Theme.objects.order_by("name").values_list("name", flat=True))


def theme_changes(statement, limit=30):
    """The statement's latest theme additions and removals, with who and when: one query.

    A history row keeps the theme's id only; the name comes from the theme, or from the
    theme's own history when it has since been merged away or deleted.
    """
    current = Theme.objects.filter(pk=OuterRef("tag_id")).values("name")[:1]
    last_known = (
        Theme.history.filter(id=OuterRef("tag_id"))
        .order_by("-history_date", "-history_id")
        .values("name")[:1]
    )
    return list(
        TaggedStatement.history.filter(content_object_id=statement.pk)
        .select_related("history_user")
        .annotate(theme_name=Coalesce(Subquery(current), Subquery(last_known)))
        .order_by("-history_date", "-history_id")[:limit]
    )


# What changed between a version and the one it superseded (issue 14) ---------------------


@dataclass
class Changes:
    document: Document
    earlier: Document
    revision: Revision | None
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (earlier statement, statement) pairs
    unchanged: int = 0


def changes_page(slug, document_slug, user):
    """A version's statements against the version it superseded, matched by lineage
    (Statement.derived_from): four queries."""
    documents = Document.objects.visible_to(user).filter(
        organization__slug=slug, slug=document_slug, supersedes__isnull=False
    )
    if not can_see_unpublished(user):
        documents = documents.filter(supersedes__status__in=READABLE)
    document = get_object_or_404(
        documents.select_related("organization", "supersedes__organization")
    )
    earlier = document.supersedes
    ordered = Statement.objects.select_related("section").order_by("position")
    new = list(ordered.filter(document=document))
    old = list(ordered.filter(document=earlier))
    old_by_pk = {statement.pk: statement for statement in old}
    changes = Changes(
        document=document,
        earlier=earlier,
        revision=Revision.objects.filter(
            document=document, action=RevisionAction.PUBLISHED, superseded=earlier
        )
        .select_related("by")
        .first(),
    )
    kept = set()
    for statement in new:
        before = old_by_pk.get(statement.derived_from_id)
        if before is None:
            changes.added.append(statement)
            continue
        kept.add(before.pk)
        if (before.text, before.title, before.label, before.kind) != (
            statement.text,
            statement.title,
            statement.label,
            statement.kind,
        ):
            changes.changed.append((before, statement))
        else:
            changes.unchanged += 1
    changes.removed = [statement for statement in old if statement.pk not in kept]
    return changes


def revisions_report():
    """Every publication and retirement, newest first, for the Revised documents report."""
    return Revision.objects.for_report().order_by("-at", "-pk")


def current_versions(statements, max_versions=20):
    """{statement id: its wording in force now, or None} for statements of earlier versions,
    followed through every newer version at once: one query per version, and one more."""
    origin = {statement.pk: statement.pk for statement in statements}
    current = dict.fromkeys(origin)
    for _ in range(max_versions):
        if not origin:
            break
        later = Statement.objects.filter(
            derived_from__in=list(origin),
            document__status__in=READABLE,
            document__supersedes_id=F("derived_from__document_id"),
        ).values_list("pk", "derived_from_id", "document__status")
        origin_next = {}
        for pk, derived_from, status in later:
            origin_next[pk] = origin[derived_from]
            if status in IN_FORCE:
                current[origin[derived_from]] = pk
        origin = origin_next
    found = {
        statement.pk: statement
        for statement in statements_for_display(
            Statement.objects.filter(pk__in=[pk for pk in current.values() if pk])
        )
    }
    return {pk: found.get(current_pk) for pk, current_pk in current.items()}


def sources():
    """Every document in force with its organization, for the "Sources and licence" page:
    one query."""
    return list(
        Document.objects.in_force()
        .select_related("organization")
        .order_by("organization__name", "position", "title")
    )
