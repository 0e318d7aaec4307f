"""The row locks every edit holds while it writes (principles/concurrency.py)."""

from ..models import Document, Statement


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
