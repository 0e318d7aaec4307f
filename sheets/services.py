"""Changes to sheets. Positions are renumbered 1..n on every change, in one transaction.

Every change locks the sheet row first, so changes to one sheet happen one after another; a
change to a sheet (or item) deleted meanwhile raises Gone, which views answer with a 409.
Rows are saved one by one, so history records who changed what.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from principles.history import audited

from .models import Sheet, SheetItem


class Gone(Exception):
    """The sheet or item was deleted by someone else meanwhile."""


def lock_sheet(sheet_id):
    sheet = Sheet.objects.select_for_update().filter(pk=sheet_id).first()
    if sheet is None:
        raise Gone("This sheet was deleted meanwhile.")
    return sheet


@transaction.atomic
def create_sheet(*, owner, title, subtitle="", notes="", layout=None, paper=None):
    fields = {"owner": owner, "title": title, "subtitle": subtitle, "notes": notes}
    fields.update({k: v for k, v in (("layout", layout), ("paper", paper)) if v})
    sheet = audited(Sheet(**fields), owner)
    sheet.save()
    return sheet


@transaction.atomic
def add_statement(sheet, statement, *, user=None):
    """Append a statement; adding one already on the sheet changes nothing. Returns created."""
    sheet = lock_sheet(sheet.pk)
    if SheetItem.objects.filter(sheet=sheet, statement=statement).exists():
        return False
    last = sheet.items.aggregate(last=Max("position"))["last"] or 0
    audited(SheetItem(sheet=sheet, statement=statement, position=last + 1), user).save()
    _touch(sheet)
    return True


@transaction.atomic
def add_statements(sheet, statements, *, user=None):
    """Append several statements in the order given, skipping those already on the sheet.
    Returns how many were added."""
    sheet = lock_sheet(sheet.pk)
    held = set(sheet.items.values_list("statement_id", flat=True))
    last = sheet.items.aggregate(last=Max("position"))["last"] or 0
    added = 0
    for statement in statements:
        if statement.pk in held:
            continue
        held.add(statement.pk)
        added += 1
        audited(SheetItem(sheet=sheet, statement=statement, position=last + added), user).save()
    if added:
        _touch(sheet)
    return added


@transaction.atomic
def remove_item(item, *, user=None):
    sheet = lock_sheet(item.sheet_id)
    item = SheetItem.objects.filter(pk=item.pk, sheet=sheet).first()
    if item is None:
        raise Gone("This statement was removed from the sheet meanwhile.")
    audited(item, user).delete()
    _renumber(sheet, user=user)


@transaction.atomic
def move_item(item, offset, *, user=None):
    """Move an item up (offset -1) or down (+1); moving past either end does nothing."""
    sheet = lock_sheet(item.sheet_id)
    items = list(sheet.items.order_by("position", "pk"))
    index = next((i for i, candidate in enumerate(items) if candidate.pk == item.pk), None)
    if index is None:
        raise Gone("This statement was removed from the sheet meanwhile.")
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(sheet, items, user=user)


@transaction.atomic
def delete_sheet(sheet, *, user=None):
    sheet = lock_sheet(sheet.pk)
    for item in sheet.items.all():
        audited(item, user).delete()
    audited(sheet, user).delete()


def _touch(sheet):
    # not a save: the title, notes and options did not change, so history gets no version
    Sheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())


def _renumber(sheet, items=None, *, user=None):
    items = items if items is not None else list(sheet.items.order_by("position", "pk"))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            audited(item, user).save(update_fields=["position"])
    _touch(sheet)


@transaction.atomic
def use_current_wording(item, current, *, user=None):
    """Put `current` (the wording in force) where the item's earlier statement was; if the
    sheet holds it already, the earlier one just goes. Returns whether it was replaced."""
    sheet = lock_sheet(item.sheet_id)
    item = SheetItem.objects.filter(pk=item.pk, sheet=sheet).first()
    if item is None:
        raise Gone("This statement was removed from the sheet meanwhile.")
    if SheetItem.objects.filter(sheet=sheet, statement=current).exists():
        audited(item, user).delete()
        _renumber(sheet, user=user)
        return False
    item.statement = current
    audited(item, user).save(update_fields=["statement"])
    _touch(sheet)
    return True
