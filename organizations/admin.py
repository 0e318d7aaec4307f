from django.contrib import admin
from django.db.models import Count

from principles.admin_editing import HistoryAdmin
from principles.models import Document

from .models import Organization


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ["position", "title", "slug", "kind", "status", "effective_date"]
    extra = 0
    show_change_link = True
    ordering = ["position", "title"]

    def get_queryset(self, request):
        # each row is named "Organization: title": no query per row
        return super().get_queryset(request).select_related("organization")


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    """An organization with its documents (the transfer app adds its export actions)."""

    list_display = ["name", "short_name", "kind", "jurisdiction", "document_count"]
    list_filter = ["kind", "jurisdiction"]
    search_fields = ["name", "short_name", "jurisdiction"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    def version_watches(self, organization):
        # the form shows the organization and, inline, its documents
        return [
            Organization.history.filter(id=organization.pk),
            Document.history.filter(organization_id=organization.pk),
        ]

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, organization):
        return organization.document_count
