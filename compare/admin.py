from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from principles.admin_editing import HistoryIdsMixin

from .models import CrosswalkLink


@admin.register(CrosswalkLink)
class CrosswalkLinkAdmin(HistoryIdsMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "verdict", "added", "note", "author", "reviewed_at"]
    list_filter = ["verdict", "added"]
    search_fields = ["note", "first__text", "second__text"]
    autocomplete_fields = ["first", "second"]
    readonly_fields = ["author", "reviewed_at"]

    def save_model(self, request, obj, form, change):
        obj.author = request.user
        super().save_model(request, obj, form, change)
