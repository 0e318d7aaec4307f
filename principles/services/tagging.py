"""Putting themes on statements and taking them off (issue 4). Every tagging row is saved or
deleted one by one, never in bulk, so that its history (the audit trail) records who added or
removed which theme, and when."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..history import audited
from ..models import TaggedStatement, Theme
from ..selectors import theme_formerly_named, theme_named
from ..slugs import unique_slug
from .locking import lock_statement


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
    theme = audited(Theme(name=name, slug=slug, description=description), user)
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
    row = audited(TaggedStatement(content_object=statement, tag=theme), user, reason)
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
        audited(row, user, reason).delete()
    return bool(rows)
