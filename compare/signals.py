"""Keep similarities current when a statement is saved or deleted (not for raw loaddata saves).

The work runs once per transaction, after it commits: a document saved with thirty
statements refreshes once, and a rolled-back edit refreshes nothing it should not.
"""

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from principles.models import Statement

from .models import StatementSimilarity

_pending = threading.local()
# Saving only these fields cannot change what a statement says or whose it is.
_IRRELEVANT_FIELDS = {"label", "title", "kind", "position", "section", "section_id"}


def schedule_refresh(statement_ids, using="default"):
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.update(statement_ids)
    transaction.on_commit(_flush, using=using, robust=True)


def _flush():
    from .services import refresh_similarities

    ids = getattr(_pending, "ids", None)
    if not ids:
        return  # an earlier callback of the same commit already did the work
    _pending.ids = set()
    refresh_similarities(ids)


@receiver(post_save, sender=Statement, dispatch_uid="compare_statement_saved")
def statement_saved(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    if raw:
        return
    if update_fields is not None and set(update_fields) <= _IRRELEVANT_FIELDS:
        return
    schedule_refresh({instance.pk}, using)


@receiver(pre_delete, sender=Statement, dispatch_uid="compare_statement_deleting")
def remember_partners(sender, instance, using="default", **kwargs):
    # the rows go with the statement (CASCADE); its partners' lists must be refilled after
    pairs = StatementSimilarity.objects.using(using).involving([instance.pk])
    instance._similarity_partners = {
        partner for pair in pairs.values_list("statement_id", "other_id") for partner in pair
    } - {instance.pk}


@receiver(post_delete, sender=Statement, dispatch_uid="compare_statement_deleted")
def statement_deleted(sender, instance, using="default", **kwargs):
    partners = getattr(instance, "_similarity_partners", set())
    if partners:
        schedule_refresh(partners, using)
