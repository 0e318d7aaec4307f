"""Admin building blocks for editing documents: history with a word-level difference,
order numbers that renumber on save, and list filters that do not query once per choice."""

import difflib
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .models import Document


class WordDiffHelper(HistoricalRecordContextHelper):
    """Show what changed in a text field word by word (<del> and <ins>), in full, rather than
    two shortened values: a one-word fix in a long statement is then easy to see."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, str | type(None)) and isinstance(new, str | type(None)):
            return word_diff(old or "", new or "")
        return super().stringify_delta_change_values(change, old, new)


def word_diff(old, new):
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


class HistoryAdmin(HistoryIdsMixin, SimpleHistoryAdmin):
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
