from django.utils.functional import SimpleLazyObject

from .models import Sheet


def sheet_builder(request):
    """The signed-in trainer's sheets, for "Add to sheet" forms; queried only if a page uses it."""

    def own_sheets():
        user = request.user
        if not user.is_authenticated or not user.has_perm("sheets.add_sheet"):
            return None
        return list(Sheet.objects.owned_by(user).only("public_id", "title"))

    return {"sheet_builder": SimpleLazyObject(own_sheets)}
