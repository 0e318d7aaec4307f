"""Similarities follow the statements: the core announces changes, the worker recomputes.

principles.signals sends `statements_changed` once per committed transaction. Here the
statements whose words changed (and the partners of deleted ones) are marked pending and the
refresh is enqueued (compare.tasks): the saving request returns at once, and the statement's
page says "Similar elsewhere is being updated" until the worker is done. A change of status
changes no score (pages show only published pairs), so it enqueues nothing; a change of
themes does only while meaning is on (the blended score counts shared themes).
"""

import logging
import threading

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from principles.models import Statement
from meaning.conf import meaning_enabled
from principles.signals import DELETED, TEXT, THEMES, statements_changed

from .models import PendingRefresh, StatementSimilarity
from .tasks import refresh_pending

logger = logging.getLogger(__name__)

# {deleted statement id: ids of statements whose lists held it}, filled before the delete
# (the rows go with the statement, CASCADE) and read once the delete is announced.
_partners = threading.local()


def _partners_of_deleted():
    found = getattr(_partners, "of", None)
    if found is None:
        found = _partners.of = {}
    return found


@receiver(pre_delete, sender=Statement, dispatch_uid="compare_statement_deleting")
def remember_partners(sender, instance, using="default", **kwargs):
    pairs = StatementSimilarity.objects.using(using).involving([instance.pk])
    _partners_of_deleted()[instance.pk] = {
        partner for pair in pairs.values_list("statement_id", "other_id") for partner in pair
    } - {instance.pk}


@receiver(statements_changed, dispatch_uid="compare_statements_changed")
def statements_changed_received(sender, changes, **kwargs):
    partners = _partners_of_deleted()
    wanted = set()
    scored = {TEXT, THEMES} if meaning_enabled() else {TEXT}
    for key, kinds in changes.items():
        if DELETED in kinds:
            wanted |= partners.pop(key, set())
        elif scored & kinds:
            wanted.add(key)
    if wanted:
        schedule_refresh(wanted)


def schedule_refresh(statement_ids):
    """Mark the statements pending and enqueue the worker's refresh (after the commit)."""
    ids, existing = sorted(statement_ids), set()
    for start in range(0, len(ids), 5000):  # SQLite takes at most 32,766 parameters
        chunk = Statement.objects.filter(pk__in=ids[start : start + 5000])
        existing.update(chunk.values_list("pk", flat=True))
    if not existing:
        return
    PendingRefresh.objects.mark(existing)
    refresh_pending.enqueue()
