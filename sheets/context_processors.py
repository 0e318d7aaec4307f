from django.utils.functional import SimpleLazyObject, lazy

from .models import Sheet, SheetItem


def sheets_of(request):
    """The signed-in trainer's sheets, the one they added to last first, or None for anyone
    who does not build sheets: one query per request, shared by the page and its cache key."""
    if not hasattr(request, "_own_sheets"):
        user = request.user
        allowed = user.is_authenticated and user.has_perm("sheets.add_sheet")
        request._own_sheets = (
            list(Sheet.objects.owned_by(user).only("public_id", "title", "updated_at"))
            if allowed
            else None
        )
    return request._own_sheets


def sheet_builder(request):
    """For signed-in trainers, each queried only if a page uses it:

    - `sheet_builder`: their sheets, the one they added to last first (the sheet the page's
      "Add ticked statements" form offers first: the chosen sheet);
    - `sheet_marks`: the ids of the statements on the chosen sheet (one query for the set, so
      "On your sheet" costs nothing per row);
    - `sheet_marks_version`: what the marks depend on (the chosen sheet and when it last
      changed), for the key of any cached fragment that shows them.
    """

    def own_sheets():
        return sheets_of(request)

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
