from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from principles.models import Document

from .models import Organization


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ["position", "title", "slug", "kind", "status", "effective_date"]
    extra = 0
    show_change_link = True
    ordering = ["position"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "jurisdiction"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name", "short_name", "jurisdiction"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DocumentInline]
