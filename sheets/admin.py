from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from principles.admin_editing import HistoryIdsMixin, VersionedAdminMixin

from .models import Sheet, SheetItem


class SheetItemInline(admin.TabularInline):
    model = SheetItem
    raw_id_fields = ["statement"]
    extra = 0


@admin.register(Sheet)
class SheetAdmin(VersionedAdminMixin, HistoryIdsMixin, SimpleHistoryAdmin):
    list_display = ["title", "owner", "layout", "paper", "updated_at"]
    list_filter = ["layout", "paper"]
    list_select_related = ["owner"]
    search_fields = ["title", "subtitle", "owner__username"]
    inlines = [SheetItemInline]

    def version_watches(self, sheet):
        return [Sheet.history.filter(id=sheet.pk), SheetItem.history.filter(sheet_id=sheet.pk)]


@admin.register(SheetItem)
class SheetItemAdmin(HistoryIdsMixin, SimpleHistoryAdmin):
    """Read-mostly: each item's History says who added, moved or removed it."""

    list_display = ["sheet", "statement", "position"]
    list_select_related = ["sheet"]
    raw_id_fields = ["sheet", "statement"]
