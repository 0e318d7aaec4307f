"""Admin building blocks for editing documents: history with a word-level difference,
order numbers that renumber on save, and list filters that do not query once per choice."""

import difflib
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .concurrency import VERSION_FIELD, VersionedFormMixin, field_diffs
from .history import CHANGE_REASON_MAX
from .models import Document


class WordDiffHelper(HistoricalRecordContextHelper):
    """Show what changed in a text field word by word (<del> and <ins>), in full, rather than
    two shortened values: a one-word fix in a long statement is then easy to see."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str | type(None)) and isinstance(new, str | type(None)):
            return side_by_side_word_diff(old or "", new or "")
        return super().stringify_delta_change_values(change, old, new)


def side_by_side_word_diff(old, new):
    """Both texts as HTML, the removed words wrapped in <del> and the added ones in <ins>."""
    old_words, new_words = old.split(" "), new.split(" ")
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = escape(" ".join(old_words[a1:a2])), escape(" ".join(new_words[b1:b2]))
        if op == "equal":
            old_html.append(before)
            new_html.append(after)
            continue
        if before:
            old_html.append(f"<del>{before}</del>")
        if after:
            new_html.append(f"<ins>{after}</ins>")
    # every piece was escaped above; only the <del>/<ins> tags are markup
    return (
        mark_safe(" ".join(old_html) or "<em>(empty)</em>"),  # noqa: S308
        mark_safe(" ".join(new_html) or "<em>(empty)</em>"),  # noqa: S308
    )


class HistoryIdsMixin:
    """A History address with an id that is not one (…/abc/history/, …/history/abc/) is a 404:
    django-simple-history passes the raw text to the database lookup, which raises (a 500)."""

    def _checked_ids(self, object_id, version_id=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            if version_id is not None:
                self.model.history.model._meta.pk.to_python(version_id)
        except ValidationError as exc:
            raise Http404("No such object or version.") from exc

    def history_view(self, request, object_id, extra_context=None):
        self._checked_ids(object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._checked_ids(object_id, version_id)
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )


class VersionedAdminForm(VersionedFormMixin, forms.ModelForm):
    """An admin change form that refuses a stale save (principles/concurrency.py) and takes
    a reason for the change, which history shows beside it."""

    change_reason = forms.CharField(
        label="Reason for this change",
        required=False,
        max_length=CHANGE_REASON_MAX,
        help_text="Shown in the history beside this change. Needed when the document is published.",
    )

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    # set by VersionedAdminMixin.get_form
    model_admin = None
    reverting = False  # a revert says why by itself

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.reverting:
            # a version's page shows the version read-only (VersionedAdminMixin's
            # readonly fields); what is left, as the themes, is disabled: such a field takes
            # its value from the version, whatever a post says
            for name, field in self.fields.items():
                if name not in ("change_reason", VERSION_FIELD, "themes_shown"):
                    field.disabled = True
        if self.instance.pk is not None and self.model_admin is not None:
            admin_ = self.model_admin
            self.conflict_what = f"this {self._meta.model._meta.verbose_name}"
            self.setup_version(
                admin_.version_watches(self.instance), lambda: admin_.lock_for_edit(self.instance)
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.model_admin is None:
            return cleaned
        try:
            self.check_version()
        except ValidationError:
            fresh = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
            self.conflict.diffs = field_diffs(self, concrete_values(fresh, self.cleaned_data))
            raise
        if (
            self.model_admin.reason_required(self.instance)
            and not self.reverting
            and self.has_changed()
            and not cleaned.get("change_reason", "").strip()
        ):
            self.add_error(
                "change_reason",
                "This document is published: say in a few words why you change it.",
            )
        return cleaned


class VersionedAdminMixin:
    """Admin change forms with optimistic concurrency and a reason for each change.

    Override `version_watches(obj)` to list the history that a change form shows (the object
    and its inline rows), `lock_for_edit(obj)` to lock the rows a save writes, and
    `reason_required(obj)` to make the reason compulsory.
    """

    change_form_template = "admin/editing/change_form.html"

    def version_watches(self, obj):
        return [self.model.history.filter(id=obj.pk)]

    def lock_for_edit(self, obj):
        list(
            # of=self and no ordering: a model's default ordering joins its parents, whose
            # rows FOR ... UPDATE would lock too (a document's, an organization's)
            self.model._default_manager.select_for_update(no_key=True, of=("self",))
            .filter(pk=obj.pk)
            .order_by()
            .values("pk")
        )

    def reason_required(self, obj):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        if not issubclass(base, VersionedAdminForm):
            base = type(f"Versioned{base.__name__}", (VersionedAdminForm, base), {})
        reverting = getattr(request, "reverting_to", None) is not None
        kwargs["form"] = type(base.__name__, (base,), {"model_admin": self, "reverting": reverting})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "reverting_to", None) is None:
            return readonly
        # a version's page: its own fields shown, not edited; Revert saves the version
        # (simple-history's form is built on the version, so unsent fields keep its values)
        own = [f.name for f in self.model._meta.fields if f.editable and not f.primary_key]
        # prepopulated fields (a slug, and the name it is made from) stay in the form,
        # disabled: simple-history's page hands admin the prepopulated fields as declared
        prepopulated = self.prepopulated_fields
        kept = {*readonly, *prepopulated, *(f for fields in prepopulated.values() for f in fields)}
        return [*readonly, *(name for name in own if name not in kept)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        ours = ("change_reason", VERSION_FIELD)
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in ours]})
            for name, options in fieldsets
        ]
        return [*fieldsets, (None, {"fields": list(ours)})]

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        form = context["adminform"].form
        conflict = getattr(form, "conflict", None)
        if conflict is not None:
            context["conflict"] = conflict
            context["conflict_diffs"] = conflict.diffs + inline_diffs(
                context.get("inline_admin_formsets", [])
            )
        return super().render_change_form(request, context, add=add, change=change, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request.history_change_reason = None
        return super().changeform_view(request, object_id, form_url, extra_context)

    object_history_form_template = "admin/editing/object_history_form.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # a revert is a save: under one transaction (the version check locks rows), and
        # recorded as what it is
        request.reverting_to = version_id
        version = (
            self.model.history.filter(history_id=version_id).select_related("history_user").first()
            if version_id.isdigit()
            else None
        )
        request.version_label = version_label(version)
        extra_context = {**(extra_context or {}), "version_label": request.version_label}
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        label = getattr(request, "version_label", "A version")
        return (
            f"{capfirst(self.model._meta.verbose_name)}, the version {label[0].lower()}{label[1:]}"
        )

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("change_reason", "").strip()
        version_id = getattr(request, "reverting_to", None)
        if version_id is not None:
            version = self.model.history.select_related("history_user").get(history_id=version_id)
            author = version.history_user.get_username() if version.history_user else "someone"
            when = version.history_date
            revert = f"Reverted to the version of {when:%Y-%m-%d %H:%M} UTC by {author}"
            reason = f"{revert}: {reason}" if reason else revert
        if reason:
            obj._change_reason = reason[:CHANGE_REASON_MAX]
            request.history_change_reason = obj._change_reason
        super().save_model(request, obj, form, change)


def inline_diffs(inline_admin_formsets):
    """(label, diff) for each inline row whose saved values differ from what the user sent."""
    diffs = []
    for inline in inline_admin_formsets:
        formset = inline.formset
        rows = [f for f in formset.forms if f.instance.pk is not None and f.is_valid()]
        stored = formset.model._default_manager.in_bulk([f.instance.pk for f in rows])
        for form in rows:
            saved, name = stored.get(form.instance.pk), formset.model._meta.verbose_name
            if saved is None:
                diffs.append((f"{name} “{form.instance}”", "deleted by someone else"))
                continue
            for label, diff in field_diffs(form, concrete_values(saved, form.cleaned_data)):
                diffs.append((f"{name} “{saved}”: {label}", diff))
    return diffs


def concrete_values(obj, names):
    """The stored values of obj's own columns among `names` (no many-to-many managers)."""
    if obj is None:
        return {}
    concrete = {field.name for field in obj._meta.concrete_fields}
    return {name: getattr(obj, name) for name in names if name in concrete}


def version_label(version):
    """ "Saved on 2026-11-29 at 14:02 UTC by alice" for a history row."""
    if version is None:
        return "A version"
    who = version.history_user.get_username() if version.history_user else "someone"
    return f"Saved on {version.history_date:%Y-%m-%d} at {version.history_date:%H:%M} UTC by {who}"


class HistoryAdmin(VersionedAdminMixin, HistoryIdsMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose History lists each version's changed fields, old -> new,
    word by word; a version's page has the Revert button."""

    object_history_template = "admin/editing/object_history.html"
    object_history_list_template = "admin/editing/object_history_list.html"
    # Django 6 assumes https for addresses typed without a scheme; say so now (no warning)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_historical_record_context_helper(self, request, historical_record):
        return WordDiffHelper(self.model, historical_record)

    def save_model(self, request, obj, form, change):
        # Saving what is stored already would add a version that changes nothing.
        if change and same_as_stored(obj):
            obj.skip_history_when_saving = True
        try:
            super().save_model(request, obj, form, change)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)


def same_as_stored(obj):
    fields = [field.attname for field in obj._meta.concrete_fields]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*fields).first()
    return stored == {name: getattr(obj, name) for name in fields}


class OrderForm(forms.ModelForm):
    """An inline row with an "order" number instead of the stored position.

    Editors type any numbers (2.5 goes between 2 and 3, 0 to the top); on save a service
    renumbers the document's rows 1..n in that order, in one transaction. Positions are
    unique per document, so editing them directly would collide while rows swap.
    """

    order = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text="Type any number to move the row; rows are renumbered 1, 2, 3… on save.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["order"].initial = self.instance.position


class DocumentFilter(admin.RelatedFieldListFilter):
    """Filter by document; names documents with their organization in one query."""

    def field_choices(self, field, request, model_admin):
        documents = Document.objects.select_related("organization").order_by(
            "organization__name", "position", "title"
        )
        return [(document.pk, str(document)) for document in documents]


def cached_choices(formfield):
    """Evaluate a select's choices once per request rather than once per inline row."""
    if formfield is not None:
        formfield.choices = list(formfield.choices)
    return formfield


def link(url, text):
    return format_html('<a href="{}">{}</a>', url, text)
