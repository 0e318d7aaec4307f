"""Reads behind the pages, each in a fixed number of queries whatever the data's size."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from organizations.models import Organization

from .models import Document, DocumentStatus, Section, Statement, StatementKind, Theme

PUBLISHED_TAGGINGS = Q(tagged_statements__content_object__document__status=DocumentStatus.PUBLISHED)


def statements_for_display(queryset, *, with_document=True):
    """Statements with everything a listing shows: section, themes, document, organization.

    Inside a document's own prefetch the document is already known (with_document=False).
    """
    related = ["document__organization", "section"] if with_document else ["section"]
    return queryset.select_related(*related).prefetch_related("tags")


def organizations_with_missions(organizations, user):
    """Attach each organization's visible mission (or None) as `.mission`: two queries."""
    organizations = list(organizations)
    missions = (
        Statement.objects.visible_to(user)
        .filter(kind=StatementKind.MISSION, document__organization__in=organizations)
        .select_related("document")
        .order_by("document__position", "position")
    )
    first_mission = {}
    for statement in missions:
        first_mission.setdefault(statement.document.organization_id, statement)
    for organization in organizations:
        organization.mission = first_mission.get(organization.pk)
    return organizations


def popular_themes(limit=12):
    """Themes in use on published statements, most used first."""
    return (
        Theme.objects.annotate(
            statement_count=Count(
                "tagged_statements",
                filter=PUBLISHED_TAGGINGS,
            )
        )
        .filter(statement_count__gt=0)
        .order_by("-statement_count", "name")[:limit]
    )


def themes_with_counts():
    """Every theme with the number of published statements carrying it."""
    return Theme.objects.annotate(
        statement_count=Count(
            "tagged_statements",
            filter=PUBLISHED_TAGGINGS,
        )
    ).order_by("-curated", "name")


@dataclass
class Block:
    """A run of consecutive statements under one section (or under none)."""

    section: Section | None
    statements: list = field(default_factory=list)


def blocks_of(document):
    """Group a document's prefetched statements into consecutive runs by section."""
    blocks = []
    for statement in document.statements.all():
        if not blocks or blocks[-1].section != statement.section:
            blocks.append(Block(section=statement.section))
        blocks[-1].statements.append(statement)
    return blocks


def documents_for_reading(organization, user, only_slug=None):
    """An organization's visible documents, each with `.blocks` and `.successors`: 4 queries."""
    documents = Document.objects.visible_to(user).filter(organization=organization)
    if only_slug is not None:
        documents = documents.filter(slug=only_slug)
    documents = list(
        documents.select_related("supersedes__organization")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=statements_for_display(
                    Statement.objects.order_by("position"), with_document=False
                ),
            ),
            Prefetch(
                "superseded_by",
                queryset=Document.objects.visible_to(user).only(
                    "pk", "title", "slug", "organization_id", "supersedes_id"
                ),
                to_attr="successors",
            ),
        )
        .order_by("position", "title")
    )
    for document in documents:
        document.blocks = blocks_of(document)
        # the prefetched statements already carry the organization; reuse it
        document.organization = organization
        for successor in document.successors:
            successor.organization = organization
    return documents


@dataclass
class OrganizationPage:
    organization: Organization
    documents: list
    mission: list
    vision: list


def organization_page(slug, user):
    organization = get_object_or_404(Organization, slug=slug)
    documents = documents_for_reading(organization, user)
    statements = [s for document in documents for b in document.blocks for s in b.statements]
    return OrganizationPage(
        organization=organization,
        documents=documents,
        mission=[s for s in statements if s.kind == StatementKind.MISSION],
        vision=[s for s in statements if s.kind == StatementKind.VISION],
    )


def document_page(slug, document_slug, user):
    organization = get_object_or_404(Organization, slug=slug)
    documents = documents_for_reading(organization, user, only_slug=document_slug)
    if not documents:
        raise Http404("No such document.")
    return organization, documents[0]


@dataclass
class StatementPage:
    statement: Statement
    previous: Statement | None
    next: Statement | None


def statement_page(pk, user):
    statement = get_object_or_404(statements_for_display(Statement.objects.visible_to(user)), pk=pk)
    if statement.section:
        statement.section.document = statement.document  # already loaded: spares two queries
    siblings = Statement.objects.filter(document_id=statement.document_id).only(
        "pk", "position", "label", "title", "text", "document_id"
    )
    previous = siblings.filter(position__lt=statement.position).order_by("-position").first()
    following = siblings.filter(position__gt=statement.position).order_by("position").first()
    return StatementPage(statement=statement, previous=previous, next=following)


def theme_statements(theme, user):
    """Visible statements carrying the theme, ordered by organization then source order."""
    return statements_for_display(
        Statement.objects.visible_to(user)
        .filter(tagged_items__tag=theme)
        .order_by("document__organization__name", "document__position", "position")
    )
