"""The two steps of an import: the source (text or file), then the corrected preview."""

from django import forms
from django.core.exceptions import ValidationError

from organizations.models import Organization
from principles.models import Document, DocumentKind, StatementKind

from .parser import (
    MAX_BYTES,
    MAX_ROWS,
    SECTION,
    STATEMENT,
    ImportTextError,
    check_text,
    decode_upload,
    parse,
)
from .services import DOCUMENT_FIELDS


class ImportSourceForm(forms.Form):
    organization = forms.ModelChoiceField(
        Organization.objects.order_by("name"), empty_label="Choose an organization"
    )
    text = forms.CharField(
        label="Paste the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
    )
    file = forms.FileField(
        label="or upload a .txt file",
        required=False,
        allow_empty_file=True,  # refused below, with the same words as every other bad file
        help_text="Plain text in UTF-8, at most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,text/plain"}),
    )
    title = forms.CharField(
        max_length=300,
        required=False,
        help_text="Leave blank to use the title found in the text.",
    )
    kind = forms.ChoiceField(choices=DocumentKind.choices, initial=DocumentKind.PRACTICE_MODEL)
    start_at = forms.CharField(
        label="Starts at the line",
        max_length=200,
        required=False,
        help_text="The start of the document's first line, e.g. its title. Lines above it "
        "(a web page around a copied document) are left out.",
    )
    stop_at = forms.CharField(
        label="Stops before the line",
        max_length=200,
        required=False,
        help_text="The start of the first line after the document: it and all after it "
        "are left out.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if not upload.name.lower().endswith(".txt"):
            raise ValidationError("Upload a plain-text file whose name ends in .txt.")
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"The file is {upload.size / MAX_BYTES:.1f} MB; the limit is 1 MB. "
                "Split the document and import it in parts."
            )
        try:
            upload.source_text = decode_upload(upload.read())
        except ImportTextError as exc:
            raise ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, upload = cleaned.get("text") or "", cleaned.get("file")
        if upload and text.strip():
            raise ValidationError("Paste the text or upload a file, not both.")
        if not upload and not text.strip():
            raise ValidationError("Paste the document's text or upload a .txt file.")
        try:
            source = upload.source_text if upload else check_text(text)
            self.parsed = parse(
                source, start_at=cleaned.get("start_at"), stop_at=cleaned.get("stop_at")
            )
        except ImportTextError as exc:
            raise ValidationError(str(exc)) from exc
        return cleaned


class DocumentDetailsForm(forms.ModelForm):
    """The new document's title and provenance, as found in the text and corrected."""

    organization = forms.ModelChoiceField(Organization.objects.all(), widget=forms.HiddenInput)
    source_url = forms.URLField(
        label="Source URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Document
        fields = ["organization", *DOCUMENT_FIELDS]
        widgets = {
            "attribution": forms.Textarea(attrs={"rows": 2}),
            "effective_date": forms.DateInput(attrs={"type": "date"}),
            "supersedes_date": forms.DateInput(attrs={"type": "date"}),
            "reposted_on": forms.DateInput(attrs={"type": "date"}),
        }


ROW_TYPES = [(SECTION, "Section heading"), (STATEMENT, "Statement")]


class RowForm(forms.Form):
    """One proposed section or statement; the editor may change any part or leave it out."""

    type = forms.ChoiceField(choices=ROW_TYPES)
    kind = forms.ChoiceField(choices=[("", "—"), *StatementKind.choices], required=False)
    label = forms.CharField(max_length=60, required=False)
    title = forms.CharField(max_length=300, required=False)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    line = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    skip = forms.BooleanField(label="Leave out", required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("skip") or self.errors:
            return cleaned
        text = " ".join((cleaned.get("text") or "").split())
        if not text:
            self.add_error("text", "Give the text, or tick “Leave out”.")
        if cleaned.get("type") == SECTION and len(text) > 500:
            self.add_error("text", "A section heading has at most 500 characters.")
        if cleaned.get("type") == STATEMENT and not cleaned.get("kind"):
            self.add_error("kind", "Choose the statement's kind.")
        cleaned["text"] = text if cleaned.get("type") == SECTION else cleaned.get("text", "")
        return cleaned


class BaseRowFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(row["type"] == STATEMENT for row in self.kept_rows()):
            raise ValidationError("Keep at least one statement.")

    def kept_rows(self):
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("skip")
        ]


RowFormSet = forms.formset_factory(
    RowForm,
    formset=BaseRowFormSet,
    extra=0,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
    validate_max=True,
)


def preview_forms(organization, kind, title, parsed):
    """The preview's forms, filled with what the parser found."""
    details = DocumentDetailsForm(
        prefix="document",
        initial={
            "organization": organization.pk,
            "kind": kind,
            "title": title or parsed.title,
            **parsed.metadata,
        },
    )
    rows = RowFormSet(
        prefix="rows",
        initial=[
            {
                "type": row.type,
                "kind": row.kind,
                "label": row.label,
                "title": row.title,
                "text": row.text,
                "line": row.line,
            }
            for row in parsed.rows
        ],
    )
    return details, rows
