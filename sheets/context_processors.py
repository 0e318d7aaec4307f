from django.utils.functional import SimpleLazyObject, lazy

from .models import Sheet, SheetItem


def sheet_builder(request):
    """For signed-in trainers, each queried only if a page uses it:

    - `sheet_builder`: their sheets, the one they added to last first (the sheet the page's
      "Add ticked statements" form offers first: the chosen sheet);
    - `sheet_marks`: the ids of the statements on the chosen sheet (one query for the set, so
      "On your sheet" costs nothing per row);
    - `sheet_marks_version`: what the marks depend on (the chosen sheet and when it last
      changed), for the key of any cached fragment that shows them.
    """
    cache = {}

    def own_sheets():
        if "sheets" not in cache:
            user = request.user
            allowed = user.is_authenticated and user.has_perm("sheets.add_sheet")
            cache["sheets"] = (
                list(Sheet.objects.owned_by(user).only("public_id", "title", "updated_at"))
                if allowed
                else None
            )
        return cache["sheets"]

    def marks():
        sheets = own_sheets()
        if not sheets:
            return frozenset()
        items = SheetItem.objects.filter(sheet__public_id=sheets[0].public_id)
        return frozenset(items.values_list("statement_id", flat=True))

    def marks_version():
        sheets = own_sheets()
        if not sheets:
            return "-"
        return f"{sheets[0].public_id}-{sheets[0].updated_at.timestamp()}"

    return {
        "sheet_builder": SimpleLazyObject(own_sheets),
        "sheet_marks": SimpleLazyObject(marks),
        "sheet_marks_version": lazy(marks_version, str)(),
    }
