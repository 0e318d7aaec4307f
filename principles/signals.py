"""`statements_changed`: the core's one announcement that statements changed, for features.

Features (compare's similarities, search, later embeddings) react to the core through this
signal instead of the core calling them (principles and organizations import no feature).

    statements_changed.send(sender=Statement, changes={statement_id: frozenset(kinds)})

is sent once per committed transaction (from transaction.on_commit, never for a rollback),
with every statement the transaction changed and how:

- "text": created, or its text or organization changed (also every raw save: loaddata,
  an import of an export, which cannot tell what changed);
- "themes": a theme was put on or taken off;
- "status": its document's status changed (published, retired, superseded, draft);
- "deleted": it is gone (the ids are no longer in the database).

Receivers run after the commit, in the request (or command) that wrote: they should enqueue
their work (django-tasks), not do it. A receiver's error is logged and does not reach the
user, whose write has committed (robust on_commit).

Model signals below cover every write path that saves or deletes rows one at a time (admin,
services, imports, loaddata's raw saves). Writes that send no model signals (bulk_create,
queryset.update(), SQL) call `announce()` themselves, or run the features' own commands
afterwards (`manage.py refresh_similarities`).
"""

import logging
import threading
from functools import partial

from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver

from .models import Document, Statement, TaggedStatement

logger = logging.getLogger(__name__)

statements_changed = Signal()

TEXT, THEMES, STATUS, DELETED = "text", "themes", "status", "deleted"

_pending = threading.local()
_senders = {}


def _changes(using):
    """This thread's changes awaiting the commit of the connection `using`."""
    per_connection = getattr(_pending, "changes", None)
    if per_connection is None:
        per_connection = _pending.changes = {}
    return per_connection.setdefault(using, {})


def announce(statement_ids, kind, using="default"):
    """Record that these statements changed (`kind` as above); the signal is sent once,
    after the current transaction commits (at once outside a transaction)."""
    changes = _changes(using)
    send = _senders.setdefault(using, partial(_send, using))
    connection = connections[using]
    registered = connection.in_atomic_block and any(
        func is send for _, func, _ in connection.run_on_commit
    )
    if not registered:
        # changes left from a transaction (or savepoint) that rolled back: never announced
        changes.clear()
    first = not changes
    for statement_id in statement_ids:
        changes.setdefault(statement_id, set()).add(kind)
    if changes and (first or not registered):
        transaction.on_commit(send, using=using, robust=True)


def _send(using):
    changes = _changes(using)
    if not changes:
        return
    frozen = {key: frozenset(kinds) for key, kinds in changes.items()}
    changes.clear()
    for receiver_, result in statements_changed.send_robust(sender=Statement, changes=frozen):
        if isinstance(result, Exception):
            logger.error("statements_changed receiver %r failed", receiver_, exc_info=result)


# --- the write paths ---------------------------------------------------------------------

# Saving only these fields changes neither the words nor whose they are.
_NOT_TEXT = {"label", "title", "kind", "position", "section", "section_id", "derived_from"}


@receiver(pre_save, sender=Statement, dispatch_uid="principles_statement_before_save")
def _remember_text(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and set(update_fields) <= _NOT_TEXT:
        return
    stored = (
        Statement.objects.using(using)
        .filter(pk=instance.pk)
        .values_list("text", "document_id")
        .first()
    )
    instance._stored_text = stored


@receiver(post_save, sender=Statement, dispatch_uid="principles_statement_saved")
def _statement_saved(
    sender, instance, created=False, raw=False, update_fields=None, using="default", **kwargs
):
    if not (raw or created):
        if update_fields is not None and set(update_fields) <= _NOT_TEXT:
            return
        stored = getattr(instance, "_stored_text", None)
        if stored is not None and stored == (instance.text, instance.document_id):
            return  # saved with the same words in the same document
    announce([instance.pk], TEXT, using)


@receiver(post_delete, sender=Statement, dispatch_uid="principles_statement_deleted")
def _statement_deleted(sender, instance, using="default", **kwargs):
    announce([instance.pk], DELETED, using)


@receiver(post_save, sender=TaggedStatement, dispatch_uid="principles_tagging_saved")
@receiver(post_delete, sender=TaggedStatement, dispatch_uid="principles_tagging_deleted")
def _tagging_changed(sender, instance, using="default", **kwargs):
    if instance.content_object_id is not None:
        announce([instance.content_object_id], THEMES, using)


@receiver(pre_save, sender=Document, dispatch_uid="principles_document_before_save")
def _remember_status(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    instance._stored_status = (
        Document.objects.using(using)
        .filter(pk=instance.pk)
        .values_list("status", flat=True)
        .first()
    )


@receiver(post_save, sender=Document, dispatch_uid="principles_document_saved")
def _document_saved(sender, instance, created=False, raw=False, using="default", **kwargs):
    if created:
        return  # a new document has no statements yet (each one announces itself)
    stored = getattr(instance, "_stored_status", None)
    if not raw and (stored is None or stored == instance.status):
        return
    ids = (
        Statement.objects.using(using).filter(document_id=instance.pk).values_list("pk", flat=True)
    )
    announce(list(ids), STATUS, using)
