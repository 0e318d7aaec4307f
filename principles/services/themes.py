"""The vocabulary's multi-row writes: merging themes, deleting unused ones. Each row is
saved or deleted one by one so that history records who did it and why."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ..history import audited
from ..models import TaggedStatement, Theme
from ..selectors import MERGED_INTO


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
        audited(row, user, reason).delete()
        if row.content_object_id in tagged:
            report.duplicates += 1
            continue
        moved = TaggedStatement(content_object_id=row.content_object_id, tag=survivor)
        audited(moved, user, reason).save()
        tagged.add(row.content_object_id)
        report.moved += 1
    for theme in merged:
        audited(theme, user, MERGED_INTO.format(survivor.name)).delete()
    return report


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
            audited(theme, user).delete()
            deleted.append(theme.name)
    return deleted, kept
