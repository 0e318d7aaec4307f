"""Writes behind import and export: a parsed text saved as a draft, content as JSON and CSV."""

import csv
import json
from dataclasses import dataclass

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from compare.models import CrosswalkLink
from organizations.models import Organization
from principles.history import audited
from principles.models import (
    Document,
    DocumentStatus,
    Section,
    Statement,
    StatementKind,
    TaggedStatement,
    Theme,
)
from principles.selectors import statements_for_display
from principles.slugs import unique_slug

from .parser import SECTION, STATEMENT

IMPORT_REASON = "Imported from text"

# What an export holds, in loading order; nothing else may come back in through import.
CONTENT_MODELS = [
    Organization,
    Theme,
    Document,
    Section,
    Statement,
    TaggedStatement,
    CrosswalkLink,  # editors' crosswalk verdicts (compare): both statements exported
]
CONTENT_LABELS = {model._meta.label_lower for model in CONTENT_MODELS}

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


# Export and import of content as JSON ---------------------------------------------------


def content_querysets(organizations=None):
    """Everything an export holds, each queryset in a stable order (so exports compare).

    `organizations`: a list of organizations to export, or None for everything.
    """
    documents = Document.objects.all()
    statements = Statement.objects.all()
    themes = Theme.objects.all()
    selected = Organization.objects.all()
    if organizations is not None:
        selected = selected.filter(pk__in=[o.pk for o in organizations])
        documents = documents.filter(organization__in=selected)
        statements = statements.filter(document__organization__in=selected)
        themes = themes.filter(
            tagged_statements__content_object__document__organization__in=selected
        ).distinct()
    return [
        selected.order_by("slug"),
        themes.order_by("slug"),
        documents.select_related("organization", "supersedes__organization").order_by(
            "organization__slug", "slug"
        ),
        Section.objects.filter(document__in=documents)
        .select_related("document__organization")
        .order_by("document__organization__slug", "document__slug", "position"),
        statements.select_related(
            "document__organization", "section__document__organization"
        ).order_by("document__organization__slug", "document__slug", "position"),
        TaggedStatement.objects.filter(content_object__in=statements)
        .select_related("content_object__document__organization", "tag")
        .order_by(
            "content_object__document__organization__slug",
            "content_object__document__slug",
            "content_object__position",
            "tag__slug",
        ),
        _crosswalk_links(statements),
    ]


def _crosswalk_links(statements):
    """Crosswalk links between two exported statements, without their author: a user of
    this database may not exist in the one the file is loaded into (who decided stays in
    this database's history; the import's history names who imported)."""
    links = (
        CrosswalkLink.objects.filter(first__in=statements, second__in=statements)
        .select_related("first__document__organization", "second__document__organization")
        .order_by("first_id", "second_id")
    )
    for link in links:
        link.author = None
        yield link


def export_content(organizations=None):
    """Organizations (all, or a list) with documents, sections, statements and themes as JSON.

    Rows are addressed by natural keys (slugs and positions), like the seed fixtures, so the
    file loads into another database: rows with the same key are updated in place.
    """
    objects = [obj for queryset in content_querysets(organizations) for obj in queryset]
    return serializers.serialize(
        "json", objects, indent=2, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )


class ImportContentError(ValueError):
    """The file cannot be imported; the message says why."""


@dataclass
class ContentReport:
    counts: dict


@transaction.atomic
def import_content(text, *, user=None, reason="Imported from an export"):
    """Load an export (JSON from export_content) in one transaction, recording history.

    Only content models are accepted. Rows whose natural key exists are updated in place;
    nothing is deleted.
    """
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise ImportContentError(f"The file is not a practicekb export (not JSON: {exc}).") from exc
    if not isinstance(payload, list) or not all(isinstance(row, dict) for row in payload):
        raise ImportContentError("The file is not a practicekb export (not a list of rows).")
    objects, deferred, counts = [], [], {}
    try:
        # one at a time: a row's natural key may name rows saved just before it
        for obj in serializers.deserialize("python", payload, handle_forward_references=True):
            label = obj.object._meta.label_lower
            if label not in CONTENT_LABELS:
                raise ImportContentError(
                    f"The file holds rows that are not content ({label}); nothing was imported."
                )
            obj.save()
            objects.append(obj)
            if obj.deferred_fields:
                deferred.append(obj)
            name = obj.object._meta.verbose_name_plural
            counts[name] = counts.get(name, 0) + 1
        for obj in deferred:
            obj.save_deferred_fields()
    except ImportContentError:
        raise
    except (DeserializationError, DatabaseError, ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise ImportContentError(f"The file could not be loaded: {exc}") from exc
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj.object), []).append(obj.object.pk)
    for model, pks in by_model.items():
        rows = list(model.objects.filter(pk__in=pks))
        model.history.bulk_history_create(
            rows, default_user=_user_or_none(user), default_change_reason=reason[:100]
        )
    return ContentReport(counts=counts)


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


# Statements as CSV ----------------------------------------------------------------------

CSV_HEADER = [
    "organization",
    "document",
    "status",
    "section",
    "position",
    "kind",
    "label",
    "title",
    "text",
    "themes",
    "permalink",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Spreadsheets run cells that start like a formula; such text is quoted with a '."""
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


def statements_for_csv(queryset=None):
    queryset = Statement.objects.all() if queryset is None else queryset
    return statements_for_display(queryset, all_themes=True).order_by(
        "document__organization__name", "document__position", "document__title", "position"
    )


def write_statements_csv(out, statements, *, base_url=""):
    """Write statements (one row each, in reading order) as CSV for spreadsheets."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for statement in statements:
        document = statement.document
        writer.writerow(
            _cell(value)
            for value in (
                document.organization.name,
                document.title,
                document.get_status_display(),
                statement.section.heading if statement.section else "",
                statement.position,
                statement.get_kind_display(),
                statement.label,
                statement.title,
                statement.text,
                "; ".join(theme.name for theme in statement.themes),
                f"{base_url}{statement.get_absolute_url()}",
            )
        )
