"""How meaning hears that statements changed.

post_save of Statement collects the ids of a transaction, and one task is enqueued when it
commits. The core's `principles.signals.statements_changed` is not enough here: it leaves
out title changes (they change no similarity), and the model reads the title too. Deleted
statements lose their vectors by the foreign key's cascade.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal

from principles.models import Statement

from .conf import meaning_enabled

# Sent by the worker's job once it stored new vectors (statement_ids): features that read
# the vectors (compare's blended score) recompute what depends on them.
vectors_changed = Signal()


def enqueue(statement_ids):
    from .tasks import embed_changed_statements

    embed_changed_statements.enqueue(sorted(statement_ids))


class PendingVectors:
    """The ids saved in one transaction: enqueued together when it commits."""

    def __init__(self):
        self.ids = set()

    def __call__(self):
        if self.ids:
            enqueue(self.ids)


def statements_changed_hook(statement_ids, using="default"):
    """Queue the vectors of these statements for computing once the transaction commits
    (at once in autocommit); a rolled-back transaction queues nothing."""
    if not meaning_enabled() or not statement_ids:
        return
    connection = transaction.get_connection(using)
    pending = getattr(connection, "meaning_pending", None)
    registered = connection.in_atomic_block and any(
        callback is pending for _, callback, _ in connection.run_on_commit
    )
    if not registered:
        pending = PendingVectors()
        pending.ids.update(statement_ids)
        connection.meaning_pending = pending
        transaction.on_commit(pending, using=using)
    else:
        pending.ids.update(statement_ids)


def statement_saved(sender, instance, using, **kwargs):
    statements_changed_hook([instance.pk], using=using)


def connect():
    post_save.connect(statement_saved, sender=Statement, dispatch_uid="meaning_statement_saved")
