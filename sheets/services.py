"""Changes to sheets. Positions are renumbered 1..n on every change, in one transaction."""

from django.db import transaction
from django.db.models import Max

from .models import Sheet, SheetItem


@transaction.atomic
def create_sheet(*, owner, title, subtitle="", notes="", layout=None, paper=None):
    fields = {"owner": owner, "title": title, "subtitle": subtitle, "notes": notes}
    fields.update({k: v for k, v in (("layout", layout), ("paper", paper)) if v})
    return Sheet.objects.create(**fields)


@transaction.atomic
def add_statement(sheet, statement):
    """Append a statement; adding one already on the sheet changes nothing. Returns created."""
    sheet = Sheet.objects.select_for_update().get(pk=sheet.pk)
    if SheetItem.objects.filter(sheet=sheet, statement=statement).exists():
        return False
    last = sheet.items.aggregate(last=Max("position"))["last"] or 0
    SheetItem.objects.create(sheet=sheet, statement=statement, position=last + 1)
    sheet.save(update_fields=["updated_at"])
    return True


@transaction.atomic
def remove_item(item):
    sheet = item.sheet
    item.delete()
    _renumber(sheet)


@transaction.atomic
def move_item(item, offset):
    """Move an item up (offset -1) or down (+1); moving past either end does nothing."""
    items = list(item.sheet.items.select_for_update().order_by("position", "pk"))
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    _renumber(item.sheet, items)


def _renumber(sheet, items=None):
    items = items if items is not None else list(sheet.items.order_by("position", "pk"))
    for position, item in enumerate(items, start=1):
        item.position = position
    SheetItem.objects.bulk_update(items, ["position"])
    sheet.save(update_fields=["updated_at"])


@transaction.atomic
def use_current_wording(item, current):
    """Put `current` (the wording in force) where the item's earlier statement was; if the
    sheet holds it already, the earlier one just goes. Returns whether it was replaced."""
    sheet = Sheet.objects.select_for_update().get(pk=item.sheet_id)
    if SheetItem.objects.filter(sheet=sheet, statement=current).exists():
        item.delete()
        _renumber(sheet)
        return False
    item.statement = current
    item.save(update_fields=["statement"])
    sheet.save(update_fields=["updated_at"])
    return True
