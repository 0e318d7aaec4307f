"""Order within a document: renumbering sections and statements as an editor typed them."""

from django.db import transaction
from django.db.models import F

from ..history import audited


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
            audited(row, user, "Renumbered")
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
