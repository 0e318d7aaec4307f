from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Document, Section, Statement, TaggedStatement, Theme


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["position", "heading", "intro"]
    extra = 0
    ordering = ["position"]


class StatementInline(admin.StackedInline):
    model = Statement
    fields = [("position", "kind", "label"), "section", "title", "text"]
    extra = 0
    ordering = ["position"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this document's sections.
        if db_field.name == "section":
            document_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(document_id=document_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organization", "kind", "status", "effective_date"]
    list_filter = ["status", "kind", "organization"]
    list_select_related = ["organization"]
    search_fields = ["title", "organization__name", "policy_number"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, StatementInline]
    fieldsets = [
        (None, {"fields": ["organization", "title", "slug", "kind", "status", "position"]}),
        (
            "Provenance",
            {
                "fields": [
                    "source_citation",
                    "source_url",
                    ("policy_number", "chapter"),
                    "approved_by",
                    "effective_date",
                    "supersedes",
                    ("supersedes_note", "supersedes_date"),
                    "reposted_on",
                    "attribution",
                ]
            },
        ),
    ]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["heading", "document", "position"]
    list_select_related = ["document__organization"]
    list_filter = ["document__organization"]
    search_fields = ["heading", "intro"]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "organization", "document", "kind", "label", "themes"]
    list_filter = ["kind", "document__status", "document__organization", "tags"]
    list_select_related = ["document__organization"]
    search_fields = ["text", "title", "label"]
    raw_id_fields = ["document", "section"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="organization", ordering="document__organization__name")
    def organization(self, statement):
        return statement.document.organization

    @admin.display(description="themes")
    def themes(self, statement):
        return ", ".join(theme.name for theme in statement.tags.all())


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "curated"]
    list_filter = ["curated"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TaggedStatement)
class TaggedStatementAdmin(SimpleHistoryAdmin):
    list_display = ["tag", "content_object"]
    list_select_related = ["tag", "content_object"]
    raw_id_fields = ["content_object"]
