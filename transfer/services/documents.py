"""A parsed (and perhaps corrected) text saved as a new draft document."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from principles.history import audited
from principles.models import Document, DocumentStatus, Section, Statement, StatementKind
from principles.slugs import unique_slug

from ..parser import SECTION, STATEMENT

IMPORT_REASON = "Imported from text"

DOCUMENT_FIELDS = [
    "title",
    "kind",
    "source_citation",
    "source_url",
    "policy_number",
    "chapter",
    "approved_by",
    "effective_date",
    "supersedes_note",
    "supersedes_date",
    "reposted_on",
    "attribution",
]


def unique_document_slug(organization, title):
    base = (slugify(title) or "document")[:72].strip("-")
    return unique_slug(Document.objects.filter(organization=organization), base)


@transaction.atomic
def create_document(organization, details, rows, *, user=None):
    """Save a parsed (and perhaps corrected) document as a new draft, all or nothing.

    `details` holds Document fields (title and provenance); `rows` are in source order,
    each a dict or parser Row with type, text, kind, label and title. A statement belongs
    to the nearest section row above it, or to none.
    """
    rows = [row if isinstance(row, dict) else vars(row) for row in rows]
    if not any(row["type"] == STATEMENT for row in rows):
        raise ValidationError("The document has no statements.")
    last = Document.objects.filter(organization=organization).order_by("-position").first()
    document = Document(
        organization=organization,
        slug=unique_document_slug(organization, details["title"]),
        status=DocumentStatus.DRAFT,
        position=(last.position + 1) if last else 1,
        **{name: details.get(name) or _blank(name) for name in DOCUMENT_FIELDS},
    )
    document.full_clean(exclude=["supersedes"])
    audited(document, user, IMPORT_REASON).save()
    section, section_position, position = None, 0, 0
    for row in rows:
        if row["type"] == SECTION:
            section_position += 1
            section = Section(document=document, position=section_position, heading=row["text"])
            section.full_clean()
            audited(section, user, IMPORT_REASON).save()
        else:
            position += 1
            statement = Statement(
                document=document,
                section=section,
                position=position,
                kind=row["kind"] or StatementKind.NARRATIVE,
                label=row.get("label") or "",
                title=row.get("title") or "",
                text=row["text"],
            )
            statement.full_clean(exclude=["document", "section"])
            audited(statement, user, IMPORT_REASON).save()
    return document


def _blank(name):
    return None if name.endswith("_date") or name == "reposted_on" else ""
