"""Reads behind the pages, each in a fixed number of queries whatever the data's size."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from organizations.models import Organization

from .models import (
    Document,
    DocumentStatus,
    Section,
    Statement,
    StatementKind,
    TaggedStatement,
    Theme,
)

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
    # the mission and vision in force: a superseded document's stay in it, not at the top
    current = [document for document in documents if not document.successors]
    statements = [s for document in current for b in document.blocks for s in b.statements]
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


# Tagging (issue 4)


def theme_named(name):
    """The theme a typed name means, or None: the same name in any case ("safety" is
    "Safety"), or the same slug ("well being" is "Well-being")."""
    slug = slugify(name)
    query = Q(name__iexact=name) | Q(slug=slug) if slug else Q(name__iexact=name)
    candidates = list(Theme.objects.filter(query))  # at most two: names and slugs are unique
    for theme in candidates:
        if theme.name.lower() == name.lower():
            return theme  # the same name wins over the same slug
    return candidates[0] if candidates else None


def theme_names():
    """Every theme's name, for the suggestions of the add-a-theme field: one query."""
    return list(Theme.objects.order_by("name").values_list("name", flat=True))


def theme_changes(statement, limit=30):
    """The statement's latest theme additions and removals, with who and when: one query.

    A history row keeps the theme's id only; the name comes from the theme, or from the
    theme's own history when it has since been merged away or deleted.
    """
    current = Theme.objects.filter(pk=OuterRef("tag_id")).values("name")[:1]
    last_known = (
        Theme.history.filter(id=OuterRef("tag_id"))
        .order_by("-history_date", "-history_id")
        .values("name")[:1]
    )
    return list(
        TaggedStatement.history.filter(content_object_id=statement.pk)
        .select_related("history_user")
        .annotate(theme_name=Coalesce(Subquery(current), Subquery(last_known)))
        .order_by("-history_date", "-history_id")[:limit]
    )
