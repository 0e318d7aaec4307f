"""The two steps of an import: the source (text or file), then the corrected preview."""

from django import forms
from django.core.exceptions import ValidationError

from organizations.models import Organization
from principles.models import Document, DocumentKind, StatementKind

from .bounded import read_upload
from .converters import ACCEPT, MAX_FILE_BYTES
from .parser import MAX_ROWS, SECTION, STATEMENT, ImportTextError, check_text, parse
from .services.documents import DOCUMENT_FIELDS

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (a batch); each is checked like a single one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ImportSourceForm(forms.Form):
    organization = forms.ModelChoiceField(
        Organization.objects.order_by("name"), empty_label="Choose an organization"
    )
    text = forms.CharField(
        label="Paste the text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
    )
    file = MultipleFileField(
        label="or upload files",
        required=False,
        allow_empty_file=True,  # refused below, with the same words as every other bad file
        help_text=f"PDF, Word (.docx), web page (.html), Markdown (.md) or plain text (.txt); "
        f"at most {MAX_FILE_BYTES // 1024 // 1024} MB each (1 MB of text), up to {MAX_FILES} "
        "files at once, each previewed as its own document.",
    )
    title = forms.CharField(
        max_length=300,
        required=False,
        help_text="Leave blank to use the title found in the document (for one document).",
    )
    kind = forms.ChoiceField(
        choices=[("", "Tell from the title"), *DocumentKind.choices],
        required=False,
        help_text="Codes of ethics and strategic plans give their lists' kinds.",
    )
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
        uploads = self.cleaned_data.get("file") or []
        if len(uploads) > MAX_FILES:
            raise ValidationError(f"Upload at most {MAX_FILES} files at once.")
        for upload in uploads:
            if upload.size > MAX_FILE_BYTES:  # refused before reading it
                raise ValidationError(
                    f"{upload.name}: the file is {upload.size / 1024 / 1024:.1f} MB; the limit "
                    f"is {MAX_FILE_BYTES // 1024 // 1024} MB. Split the document and import "
                    "it in parts."
                )
        return uploads

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text, uploads = cleaned.get("text") or "", cleaned.get("file") or []
        if uploads and text.strip():
            raise ValidationError("Paste the text or upload a file, not both.")
        if not uploads and not text.strip():
            raise ValidationError("Paste the document's text or upload a file.")
        options = {
            "start_at": cleaned.get("start_at"),
            "stop_at": cleaned.get("stop_at"),
            "kind": cleaned.get("kind") or "",
        }
        self.parsed_documents, errors = [], []
        if not uploads:
            try:
                self.parsed_documents.append(parse(check_text(text), **options))
            except ImportTextError as exc:
                raise ValidationError(str(exc)) from exc
        for upload in uploads:
            try:
                self.parsed_documents.append(read_upload(upload.name, upload.read(), **options))
            except ImportTextError as exc:
                prefix = f"{upload.name}: " if len(uploads) > 1 else ""
                errors.append(ValidationError(f"{prefix}{exc}"))
        if errors:
            raise ValidationError(errors)
        self.parsed = self.parsed_documents[0]
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


def prefixes(index):
    """The form prefixes of the index-th document of a batch ("document", "rows" for one)."""
    suffix = str(index) if index else ""
    return f"document{suffix}", f"rows{suffix}"


def preview_forms(organization, kind, title, parsed, index=0):
    """The preview's forms, filled with what the parser found."""
    document_prefix, rows_prefix = prefixes(index)
    details = DocumentDetailsForm(
        prefix=document_prefix,
        initial={
            "organization": organization.pk,
            "kind": kind or parsed.kind,
            "title": title or parsed.title,
            **parsed.metadata,
        },
    )
    rows = RowFormSet(
        prefix=rows_prefix,
        initial=[
            {
                "type": row.type,
                "kind": row.kind,
                "label": row.label,
                "title": row.title,
                "text": row.text,
                "line": row.line,
                "doubt": row.doubt,
            }
            for row in parsed.rows
        ],
    )
    return details, rows
