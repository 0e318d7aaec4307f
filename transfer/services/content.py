"""Content as JSON: an export of organizations with everything they hold, and loading one back."""

import json
from dataclasses import dataclass

from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from compare.models import CrosswalkLink
from organizations.models import Organization
from principles.models import Document, Section, Statement, TaggedStatement, Theme

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
