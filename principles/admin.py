from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Max
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import impact, selectors, vocabulary
from .admin_editing import (
    DocumentFilter,
    HistoryAdmin,
    HistoryIdsMixin,
    OrderForm,
    VersionedAdminMixin,
    cached_choices,
    link,
)
from .forms import (
    LifecycleForm,
    MergeThemesForm,
    StatementAdminForm,
    ThemeAdminForm,
    ThemeChoiceField,
)
from .models import Document, DocumentStatus, Revision, Section, Statement, TaggedStatement, Theme
from .selectors import theme_named
from .services.lifecycle import new_version, publish, retire
from .services.locking import lock_document
from .services.ordering import reorder_document
from .services.tagging import add_theme_to_statement, remove_theme_from_statement
from .services.themes import delete_unused_themes, merge_themes


class ThemeChipsWidget(forms.SelectMultiple):
    """A statement's themes as chips with suggestions (static/js/theme-chips.js); without
    JavaScript, a plain multiple select. Admin's select2 widget is not used here: it writes
    inline styles (refused by the CSP) and its markup fails axe's list and label rules."""

    class Media:
        js = ["js/theme-chips.js"]

    def __init__(self, attrs=None):
        super().__init__({"class": "theme-chips", "size": 8, **(attrs or {})})


class SectionInline(admin.StackedInline):
    """A document's section headings, each with its order and intro, labelled."""

    model = Section
    form = OrderForm
    fields = [("order", "heading"), "intro"]
    extra = 1
    ordering = ["position"]
    classes = ["editing-sections"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "class": "editing-text"})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 60})},
    }


class StatementInline(admin.StackedInline):
    """A document's statements, one block each: the order, kind, label and title on a line,
    the section by its whole name, the text in a wide box (readable at 1280 px)."""

    model = Statement
    form = OrderForm
    fields = [("order", "kind"), ("label", "title"), "section", "text"]
    extra = 1
    ordering = ["position"]
    show_change_link = True
    classes = ["editing-statements"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "editing-text"})},
        models.CharField: {"widget": forms.TextInput(attrs={"size": 16})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document__organization")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "section" and formfield is not None:
            # sections are edited just above; four icons per row would only crowd it
            for action in ("add", "change", "delete", "view"):
                setattr(formfield.widget, f"can_{action}_related", False)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this document's sections, read once for all rows.
        if db_field.name == "section":
            document_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(document_id=document_id)
            kwargs["widget"] = forms.Select(attrs={"class": "editing-section-select"})
            kwargs["empty_label"] = "(no section)"
            return cached_choices(super().formfield_for_foreignkey(db_field, request, **kwargs))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Document)
class DocumentAdmin(HistoryAdmin):
    """A document with its sections and statements in source order, provenance, status
    and versions. Rows reorder by typing order numbers; saving renumbers them 1..n."""

    list_display = [
        "title",
        "organization_name",
        "kind",
        "status",
        "effective_date",
        "statement_count",
        "supersedes_link",
    ]
    list_filter = ["status", "kind", "organization"]
    list_select_related = ["organization", "supersedes__organization"]
    search_fields = ["title", "organization__name", "policy_number"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["organization"]
    inlines = [SectionInline, StatementInline]
    actions = ["publish_selected", "retire_selected", "new_version_of_selected"]

    class Media:
        css = {"all": ["css/editing-admin.css"]}

    readonly_fields = ["successors"]
    fieldsets = [
        (None, {"fields": ["organization", "title", "slug", "kind", "position"]}),
        (
            "Status and versions",
            {
                "fields": ["status", "supersedes", "successors"],
                "description": "Readers see published documents only. A new version names "
                "the document it supersedes; publishing it (Publish action) keeps the old one "
                "readable, marked as superseded with a link to the new one. Retire a document "
                "to hide it from readers.",
            },
        ),
        (
            "Provenance",
            {
                "fields": [
                    "source_citation",
                    "source_url",
                    ("policy_number", "chapter"),
                    "approved_by",
                    "effective_date",
                    ("supersedes_note", "supersedes_date"),
                    "reposted_on",
                    "attribution",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, document):
        return document.statement_count

    @admin.display(description="organization", ordering="organization__name")
    def organization_name(self, document):
        return document.organization.display_name

    @admin.display(description="supersedes", ordering="supersedes__title")
    def supersedes_link(self, document):
        if document.supersedes is None:
            return document.supersedes_note or "—"
        url = reverse("admin:principles_document_change", args=[document.supersedes_id])
        return link(url, document.supersedes.title)

    @admin.display(description="superseded by")
    def successors(self, document):
        successors = list(document.superseded_by.order_by("position"))
        if not successors:
            return "—"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:principles_document_change", args=[s.pk]),
                    s.title,
                    s.get_status_display(),
                )
                for s in successors
            ),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "supersedes":
            # named with their organization: read it in the same query
            kwargs["queryset"] = Document.objects.select_related("organization")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def version_watches(self, document):
        # the form shows the document and, inline, its sections and statements
        return [
            Document.history.filter(id=document.pk),
            Section.history.filter(document_id=document.pk),
            Statement.history.filter(document_id=document.pk),
        ]

    def lock_for_edit(self, document):
        lock_document(document.pk)

    def reason_required(self, document):
        return document.status == DocumentStatus.PUBLISHED

    def save_formset(self, request, form, formset, change):
        """Save inline rows; new ones wait above the others until save_related renumbers."""
        if formset.model not in (Section, Statement):
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        reason = request.history_change_reason
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj._change_reason = reason
            obj.delete()
        in_document = formset.model.objects.filter(document=form.instance)
        spare = (in_document.aggregate(top=Max("position"))["top"] or 0) + 1
        for obj in instances:
            if obj.position is None:
                obj.position, spare = spare, spare + 1
            obj._history_user, obj._change_reason = request.user, reason
            obj.save()
        formset.save_m2m()
        typed = {
            f.instance.pk: f.cleaned_data["order"]
            for f in formset.forms
            if f.instance.pk and f.cleaned_data and f.cleaned_data.get("order") is not None
        }
        request.typed_order = {**getattr(request, "typed_order", {}), formset.model: typed}
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        typed = getattr(request, "typed_order", {})
        reorder_document(
            form.instance,
            section_numbers=typed.get(Section),
            statement_numbers=typed.get(Statement),
            user=request.user,
        )

    # Publish, Retire and Make a new draft version first show what they will do, on a page
    # of their own (as delete_selected does); the change happens when that page is sent.

    def _confirmation(self, request, queryset, *, action, title, verb, rows, summary_required):
        form = LifecycleForm(
            request.POST if "apply" in request.POST else None, summary_required=summary_required
        )
        if form.is_valid():
            return form.cleaned_data["summary"]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.model._meta,
            "rows": rows,
            "form": form,
            "verb": verb,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request,
            "admin/principles/document/confirm_lifecycle.html",
            context,
            status=400 if form.errors else 200,
        )

    def _impact_rows(self, queryset, affected):
        """Per document: its statement count, what it supersedes, who holds what it touches."""
        documents = list(
            queryset.select_related("organization", "supersedes").annotate(
                statement_total=Count("statements", distinct=True)
            )
        )
        rows = []
        for document in documents:
            touched = affected(document)
            rows.append(
                {
                    "document": document,
                    "holders": impact.holders(touched) if touched is not None else [],
                }
            )
        return rows

    @admin.action(description="Publish selected documents (as successors, if they supersede one)")
    def publish_selected(self, request, queryset):
        def affected(document):
            # readers of sheets meet the superseded version's statements
            if document.supersedes_id:
                return Statement.objects.filter(document_id=document.supersedes_id)
            return None

        summary = self._confirmation(
            request,
            queryset,
            action="publish_selected",
            title="Publish documents",
            verb="Publish",
            rows=self._impact_rows(queryset, affected),
            summary_required=True,
        )
        if not isinstance(summary, str):
            return summary
        published = []
        for document in queryset.select_related("supersedes"):
            try:
                publish(document, user=request.user, summary=summary)
            except ValidationError as exc:
                self.message_user(request, f"{document.title}: {exc.messages[0]}", messages.ERROR)
            else:
                published.append(document.title)
        if published:
            self.message_user(request, f"Published {len(published)}: {', '.join(published)}.")
        return None

    @admin.action(description="Retire selected documents (hide them from readers)")
    def retire_selected(self, request, queryset):
        summary = self._confirmation(
            request,
            queryset,
            action="retire_selected",
            title="Retire documents",
            verb="Retire",
            rows=self._impact_rows(
                queryset, lambda document: Statement.objects.filter(document=document)
            ),
            summary_required=False,
        )
        if not isinstance(summary, str):
            return summary
        documents = list(queryset)
        for document in documents:
            retire(document, user=request.user, summary=summary)
        self.message_user(request, f"Retired {len(documents)} document(s).")
        return None

    @admin.action(description="Make a new draft version of selected documents", permissions=["add"])
    def new_version_of_selected(self, request, queryset):
        answer = self._confirmation(
            request,
            queryset,
            action="new_version_of_selected",
            title="Make new draft versions",
            verb="Make a new draft version of",
            rows=self._impact_rows(queryset, lambda document: None),
            summary_required=False,
        )
        if not isinstance(answer, str):
            return answer
        for document in queryset:
            copy = new_version(document, user=request.user)
            url = reverse("admin:principles_document_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    'Made <a href="{}">{}</a>, a draft that supersedes “{}” once published.',
                    url,
                    copy.slug,
                    document.title,
                ),
            )
        return None


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    list_display = ["heading", "document", "position", "statement_count"]
    list_select_related = ["document__organization"]
    list_filter = ["document__organization", ("document", DocumentFilter)]
    search_fields = ["heading", "intro", "document__title"]
    autocomplete_fields = ["document"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(statement_count=Count("statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, section):
        return section.statement_count

    def lock_for_edit(self, section):
        lock_document(section.document_id)
        super().lock_for_edit(section)

    def reason_required(self, section):
        return section.document.status == DocumentStatus.PUBLISHED


@admin.register(Statement)
class StatementAdmin(HistoryAdmin):
    """Statements across documents: filter, search, edit the text and the themes."""

    list_display = ["statement_text", "organization", "kind", "status", "themes"]
    list_filter = [
        "document__organization",
        ("document", DocumentFilter),
        "kind",
        "tags",
        "document__status",
    ]
    list_select_related = ["document__organization"]
    search_fields = ["text", "title", "label", "section__heading"]
    autocomplete_fields = ["document", "section"]
    formfield_overrides = {
        **HistoryAdmin.formfield_overrides,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "class": "editing-text"})},
    }
    fields = [
        "document",
        "section",
        "position",
        "kind",
        ("label", "title"),
        "text",
        "tags",
        "themes_shown",
    ]
    form = StatementAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # chips with suggestions (admin's autocomplete); without JavaScript, a plain
            # multiple select of every theme
            return ThemeChoiceField(
                queryset=Theme.objects.all(),
                required=False,
                label="Themes",
                widget=ThemeChipsWidget(),
                help_text="Type to find a theme. New themes are proposed by staff while tagging, "
                "or added under Vocabulary.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="statement", ordering="position")
    def statement_text(self, statement):
        prefix = " ".join(part for part in (statement.label, statement.title) if part)
        text = statement.text if len(statement.text) <= 300 else f"{statement.text[:297]}…"
        if prefix:
            return format_html('<strong class="editing-prefix">{}</strong> {}', prefix, text)
        return text

    def lock_for_edit(self, statement):
        lock_document(statement.document_id)
        super().lock_for_edit(statement)

    def reason_required(self, statement):
        return statement.document.status == DocumentStatus.PUBLISHED

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        version_id = getattr(request, "reverting_to", None)
        if version_id is not None and obj is not None:
            # Revert offers the themes as they were, too
            themes = selectors.themes_at_version(obj.pk, int(version_id))
            form = type(form.__name__, (form,), {"themes_at_version": themes})
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(request, "reverting_to", None) is not None:
            # a revert (history_form_view) has no save_related: its themes are applied here
            self.apply_theme_changes(request, form)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.apply_theme_changes(request, form)

    def apply_theme_changes(self, request, form):
        """Apply only the themes the editor added or removed, one audited row each: a theme
        someone else added while the form was open stays."""
        added, removed = form.theme_changes()
        statement, reason = form.instance, request.history_change_reason
        for name in added:
            add_theme_to_statement(statement, name, user=request.user, reason=reason)
        for name in removed:
            theme = theme_named(name)
            if theme is not None:
                remove_theme_from_statement(statement, theme, user=request.user, reason=reason)

    @admin.display(description="organization", ordering="document__organization__name")
    def organization(self, statement):
        return statement.document.organization.display_name

    @admin.display(description="status", ordering="document__status")
    def status(self, statement):
        return statement.document.get_status_display()

    @admin.display(description="themes")
    def themes(self, statement):
        return ", ".join(theme.name for theme in statement.tags.all())


@admin.register(Theme)
class ThemeAdmin(VersionedAdminMixin, HistoryIdsMixin, SimpleHistoryAdmin):
    """The governed vocabulary: rename (the slug, and so the address, is kept unless changed
    by hand), merge several themes into one, delete the unused ones; counts shown."""

    form = ThemeAdminForm
    list_display = ["name", "status", "description_shown", "statement_count", "curated"]
    list_filter = ["status", "curated"]
    search_fields = ["name", "description", "entry_terms"]
    prepopulated_fields = {"slug": ["name"]}  # only while adding: renaming keeps the slug
    actions = ["approve_selected_themes", "merge_selected_themes", "delete_unused_themes"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "class": "editing-text"})}
    }

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("review/", review, name="principles_theme_review"),
            *super().get_urls(),
        ]

    def review_view(self, request):
        """Proposals, usage and near-duplicates on one page; approve or merge from it."""
        if not self.has_change_permission(request):
            raise PermissionDenied("Only editors can review the vocabulary.")
        themes = list(vocabulary.themes_for_review())
        context = {
            **self.admin_site.each_context(request),
            "title": "Theme proposals and duplicates",
            "subtitle": None,
            "opts": self.model._meta,
            "proposals": [theme for theme in themes if not theme.is_approved],
            "unused": [theme for theme in themes if theme.is_approved and not theme.in_force_count],
            "duplicates": vocabulary.near_duplicates(themes),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:principles_theme_changelist"),
        }
        return TemplateResponse(request, "admin/principles/theme/review.html", context)

    @admin.display(description="description")
    def description_shown(self, theme):
        return theme.description or "(none yet)"

    @admin.action(description="Approve selected themes for readers", permissions=["change"])
    def approve_selected_themes(self, request, queryset):
        approved = vocabulary.approve_themes(list(queryset), user=request.user)
        if approved:
            self.message_user(
                request,
                f"Approved {', '.join(approved)}: readers see each theme while a published "
                "statement carries it.",
            )
        else:
            self.message_user(request, "Those themes were approved already.", messages.WARNING)

    def get_queryset(self, request):
        # counted in the changelist's one query, not once per row
        return super().get_queryset(request).annotate(statement_count=Count("tagged_statements"))

    @admin.display(description="statements", ordering="statement_count")
    def statement_count(self, theme):
        return theme.statement_count

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would delete themes with their tagging
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        theme = self.get_object(request, unquote(object_id))
        if theme is not None and theme.statement_count:
            self.message_user(
                request,
                f"“{theme.name}” is on {theme.statement_count} statement(s), so it was not "
                "deleted. Merge it into another theme, or remove it from those statements first.",
                messages.ERROR,
            )
            return redirect(reverse("admin:principles_theme_change", args=[theme.pk]))
        if theme is not None and request.method == "POST" and "post" in request.POST:
            # checked again under a lock: a tagging that came in meanwhile keeps the theme
            deleted, _kept = delete_unused_themes([theme], user=request.user)
            if deleted:
                self.message_user(request, f"Deleted the theme “{theme.name}”.")
            else:
                self.message_user(
                    request,
                    f"“{theme.name}” was put on a statement meanwhile, so it was not deleted.",
                    messages.ERROR,
                )
            return redirect(reverse("admin:principles_theme_changelist"))
        return super().delete_view(request, object_id, extra_context)

    @admin.action(
        description="Delete selected themes that no statement uses", permissions=["delete"]
    )
    def delete_unused_themes(self, request, queryset):
        deleted, kept = delete_unused_themes(list(queryset), user=request.user)
        if deleted:
            self.message_user(
                request, f"Deleted {len(deleted)} unused theme(s): {', '.join(deleted)}."
            )
        if kept:
            self.message_user(
                request,
                f"Kept {', '.join(kept)}: still on statements. Merge them into another theme "
                "to retire them.",
                messages.WARNING,
            )

    @admin.action(description="Merge selected themes into one", permissions=["change", "delete"])
    def merge_selected_themes(self, request, queryset):
        themes = queryset.order_by("name")
        if len(themes) < 2:
            self.message_user(request, "Choose at least two themes to merge.", messages.WARNING)
            return None
        form = MergeThemesForm(request.POST if "apply" in request.POST else None, themes=themes)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                report = merge_themes(survivor, list(themes), user=request.user)
            except ValidationError as exc:
                self.message_user(request, exc.messages[0], messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged {', '.join(report.merged)} into “{survivor.name}”: {report.moved} "
                f"statement(s) newly tagged “{survivor.name}”, {report.duplicates} already had it.",
            )
            return None  # back to the changelist
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge themes",
            "subtitle": None,
            "opts": self.model._meta,
            "themes": themes,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/principles/theme/merge_themes.html", context)


@admin.register(TaggedStatement)
class TaggedStatementAdmin(HistoryIdsMixin, SimpleHistoryAdmin):
    """One theme on one statement; its History is the audit trail of tagging. Themes are
    edited on the statement: this join is kept out of admin's index and menu."""

    def has_module_permission(self, request):
        return False

    list_display = ["tag", "content_object", "organization"]
    list_filter = ["tag"]
    list_select_related = ["tag", "content_object__document__organization"]
    search_fields = ["tag__name", "content_object__text"]
    raw_id_fields = ["content_object"]

    @admin.display(description="organization", ordering="content_object__document__organization")
    def organization(self, tagged):
        return tagged.content_object.document.organization.display_name


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """Publications and retirements, as recorded: read-only (the Revised documents report,
    /revisions/, lists them for auditors, with a CSV)."""

    list_display = ["at", "action", "document", "superseded", "by", "summary"]
    list_filter = ["action", "document__organization"]
    list_select_related = ["document__organization", "superseded__organization", "by"]
    search_fields = ["document__title", "summary"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
