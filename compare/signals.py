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

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from meaning.conf import meaning_enabled
from meaning.signals import vectors_changed
from performance import versioning
from principles.models import Statement
from principles.signals import DELETED, TEXT, THEMES, statements_changed

from .models import CrosswalkLink, PendingRefresh, StatementSimilarity
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


@receiver(vectors_changed, dispatch_uid="compare_vectors_changed")
def vectors_changed_received(sender, statement_ids, **kwargs):
    """New vectors change the blended scores of their statements: refresh them (the
    refresh that followed the edit itself may have run before the vectors were ready, and
    then scored those statements by their words alone)."""
    if meaning_enabled():
        schedule_refresh(statement_ids)


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


@receiver(post_save, sender=CrosswalkLink, dispatch_uid="compare_link_saved")
@receiver(post_delete, sender=CrosswalkLink, dispatch_uid="compare_link_deleted")
def link_changed(sender, instance, using="default", **kwargs):
    """A link shows on both statements' pages and both organizations' comparisons (and the
    collection's crosswalk, which follows every change): their cached copies go. Links are
    written one at a time (their history needs it), so a signal sees every write."""
    rows = Statement.objects.using(using).filter(pk__in=[instance.first_id, instance.second_id])
    slugs = set(rows.values_list("document__organization__slug", flat=True))
    scopes = [f"st:{instance.first_id}", f"st:{instance.second_id}"]
    versioning.bump([*scopes, *(f"sim:{slug}" for slug in slugs)], using=using)
