"""The read and write endpoints under /api/v1/. Views stay thin: reads come from the
selectors the pages use (principles, search, compare, sheets) and writes go through the
same services, so the API and the pages cannot disagree."""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from compare import links
from compare import selectors as compare_selectors
from compare.forms import compare_form
from compare.models import StatementSimilarity
from organizations.models import Organization
from principles import citations
from principles import selectors as principle_selectors
from principles.forms import AddThemeForm
from principles.models import DocumentStatus, Section, Statement, Theme, attach_themes
from principles.services.tagging import (
    ThemeNotAllowed,
    add_theme_to_statement,
    remove_theme_from_statement,
)
from search import selectors as search_selectors
from search.forms import SearchForm
from sheets import content as sheet_content
from sheets import services as sheet_services
from sheets.models import Sheet, SheetItem

from . import serializers as s
from .caching import ConditionalReadMixin, theme_counts
from .filters import (
    CrosswalkParameters,
    DocumentFilters,
    SearchParameters,
    SectionFilters,
    StatementFilters,
)
from .models import DataRelease
from .pagination import Cursor, SlugCursor
from .permissions import (
    ADD_PERMISSION,
    CREATE_THEME_PERMISSION,
    REMOVE_PERMISSION,
    REVIEW_PERMISSION,
    SHEET_BUILD_PERMISSION,
    HasPermission,
    ReadOpen,
)
from .problems import Conflict, Gone

PAGINATION = ("cursor", "page_size")


class ApiView(ConditionalReadMixin, APIView):
    """Every endpoint: reading open as on the site, writes by permission, unknown query
    parameters refused (so `?x=random` cannot make a fresh answer)."""

    permission_classes = [ReadOpen, HasPermission]
    write_permissions = {}
    parameters = ()
    pagination_class = None  # list endpoints: Cursor (drf-spectacular documents the envelope)

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # with PRACTICEKB_LOGIN_REQUIRED_FOR_READING, Django's LoginRequiredMiddleware would
        # send token clients to the sign-in page; ReadOpen applies the setting here instead
        view.login_required = False
        return view

    def check_parameters(self, request):
        """Called before the ETag is computed, after authentication (ConditionalReadMixin)."""
        unknown = sorted(name for name in request.query_params if name not in self.parameters)
        if unknown and request.method in ("GET", "HEAD"):
            names = ", ".join(f"“{name[:40]}”" for name in unknown[:5])
            known = ", ".join(self.parameters) or "none"
            raise ValidationError(
                {"parameters": f"Unknown parameter {names}. This endpoint takes: {known}."}
            )

    def filters(self, serializer_class):
        data = dict(self.request.query_params.items())
        filters = serializer_class(data=data, context={"request": self.request})
        filters.is_valid(raise_exception=True)
        return filters

    def paginate(self, queryset, serializer_class):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = s.represent(serializer_class, page, many=True, context={"request": self.request})
        return paginator.get_paginated_response(data)


# Organizations ------------------------------------------------------------------------


class OrganizationList(ApiView):
    pagination_class = SlugCursor
    parameters = PAGINATION

    @extend_schema(
        responses=s.OrganizationSerializer(many=True),
        tags=["organizations"],
    )
    def get(self, request):
        return self.paginate(Organization.objects.all(), s.OrganizationSerializer)


class OrganizationDetail(ApiView):
    @extend_schema(responses=s.OrganizationSerializer, tags=["organizations"])
    def get(self, request, slug):
        organization = get_object_or_404(Organization, slug=slug)
        return Response(
            s.represent(s.OrganizationSerializer, organization, context={"request": request})
        )


# Documents ----------------------------------------------------------------------------


def documents_queryset(user):
    from principles.models import Document

    return Document.objects.visible_to(user).select_related("organization")


class DocumentList(ApiView):
    pagination_class = Cursor
    parameters = (*PAGINATION, "organization", "kind", "status")

    @extend_schema(
        parameters=[DocumentFilters],
        responses=s.DocumentSerializer(many=True),
        tags=["documents"],
    )
    def get(self, request):
        filters = self.filters(DocumentFilters)
        data = filters.validated_data
        documents = documents_queryset(request.user).filter(status__in=filters.statuses())
        if data.get("organization"):
            documents = documents.filter(organization=data["organization"])
        if data.get("kind"):
            documents = documents.filter(kind=data["kind"])
        return self.paginate(documents, s.DocumentSerializer)


class DocumentDetail(ApiView):
    """A document with its provenance, lineage (the version it replaced and those that
    replaced it), sections and statements, in source order. Readers get 404 for drafts and
    410 for retired documents, as on the site."""

    @extend_schema(responses=s.DocumentDetailSerializer, tags=["documents"])
    def get(self, request, slug, document_slug):
        try:
            _organization, document = principle_selectors.document_page(
                slug, document_slug, request.user
            )
        except Http404:
            if principle_selectors.retired_document(slug, document_slug) is not None:
                raise Gone("This document was retired and is no longer available.") from None
            raise
        document.statement_list = [
            statement for block in document.blocks for statement in block.statements
        ]
        prefetch_related_objects(
            [document], Prefetch("sections", queryset=Section.objects.order_by("position"))
        )
        for section in document.sections.all():
            section.document = document
        return Response(
            s.represent(s.DocumentDetailSerializer, document, context={"request": request})
        )


# Sections -----------------------------------------------------------------------------


class SectionList(ApiView):
    pagination_class = Cursor
    parameters = (*PAGINATION, "document", "organization")

    @extend_schema(
        parameters=[SectionFilters],
        responses=s.SectionSerializer(many=True),
        tags=["documents"],
    )
    def get(self, request):
        data = self.filters(SectionFilters).validated_data
        sections = Section.objects.filter(
            document__in=documents_queryset(request.user).filter(
                status__in=[DocumentStatus.PUBLISHED]
                if "document" not in data
                else list(DocumentStatus.values)
            )
        ).select_related("document__organization")
        if "document" in data:
            sections = sections.filter(document_id=data["document"])
        if data.get("organization"):
            sections = sections.filter(document__organization__slug=data["organization"])
        return self.paginate(sections, s.SectionSerializer)


class SectionDetail(ApiView):
    @extend_schema(responses=s.SectionSerializer, tags=["documents"])
    def get(self, request, pk):
        section = get_object_or_404(
            Section.objects.select_related("document__organization").filter(
                document__in=documents_queryset(request.user)
            ),
            pk=pk,
        )
        return Response(s.represent(s.SectionSerializer, section, context={"request": request}))


# Statements ---------------------------------------------------------------------------


def statements_queryset(user):
    """The statements a user may read, with statements_for_display's joins and the themes
    the user may see."""
    return principle_selectors.statements_for_display(Statement.objects.visible_to(user), user=user)


class StatementList(ApiView):
    pagination_class = Cursor
    parameters = (*PAGINATION, "organization", "kind", "theme", "status", "document")

    @extend_schema(
        parameters=[StatementFilters],
        responses=s.StatementSerializer(many=True),
        tags=["statements"],
    )
    def get(self, request):
        filters = self.filters(StatementFilters)
        data = filters.validated_data
        statements = statements_queryset(request.user).filter(
            document__status__in=filters.statuses()
        )
        if data.get("organization"):
            statements = statements.filter(document__organization=data["organization"])
        if data.get("kind"):
            statements = statements.filter(kind=data["kind"])
        if data.get("theme"):
            statements = statements.filter(tagged_items__tag=data["theme"])
        if data.get("document"):
            statements = statements.filter(document_id=data["document"])
        return self.paginate(statements, s.StatementSerializer)


def readable_statement(request, pk):
    """The statement page's rules: 404 for a reader's draft, 410 for a retired statement."""
    page = principle_selectors.statement_page(pk, request.user)
    if page.is_gone:
        raise Gone("This statement's document was retired; it is no longer available.")
    return page


class StatementDetail(ApiView):
    @extend_schema(
        responses=s.StatementDetailSerializer,
        tags=["statements"],
        description="A statement with its themes, permalink, citations in each style and, "
        "for a statement of an earlier version, where its wording went.",
    )
    def get(self, request, pk):
        page = readable_statement(request, pk)
        citation = citations.cite(
            page.statement,
            permalink=request.build_absolute_uri(page.statement.get_absolute_url()),
            retrieved=timezone.localdate(),
            ordinal=page.ordinal,
            total=page.total,
        )
        context = {"request": request, "citation": citation, "lineage": page.lineage}
        return Response(s.represent(s.StatementDetailSerializer, page.statement, context=context))


class StatementSimilar(ApiView):
    @extend_schema(
        responses=s.LinkSerializer(many=True),
        tags=["crosswalk"],
        description="Statements of other organizations that say much the same, best first. "
        "Links an editor confirmed come first (`kind: confirmed`, with the editor's note), "
        "then the automatic suggestions (`kind: suggested`); a pair an editor rejected is "
        "never listed.",
    )
    def get(self, request, pk):
        statement = readable_statement(request, pk).statement
        rows = compare_selectors.similar_elsewhere(statement)
        others = [row.other for row in rows]
        attach_themes(others)
        data = [s.suggested(row.score, row.other, row.link) for row in rows]
        return Response(
            s.represent(s.LinkSerializer, data, many=True, context={"request": request})
        )


class StatementThemes(ApiView):
    """Tagging (Staff): the same permissions and service as the statement page's form."""

    conditional = False
    write_permissions = {"POST": ADD_PERMISSION}

    @extend_schema(
        request=s.AddThemeSerializer,
        responses={201: s.TaggingResultSerializer, 200: s.TaggingResultSerializer},
        tags=["tagging"],
    )
    def post(self, request, pk):
        statement = get_object_or_404(Statement.objects.visible_to(request.user), pk=pk)
        body = s.AddThemeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        may_create = request.user.has_perm(CREATE_THEME_PERMISSION)
        form = AddThemeForm({"name": body.validated_data["name"]}, may_create=may_create)
        if not form.is_valid():
            raise ValidationError({"name": form.error_text()})
        try:
            result = add_theme_to_statement(
                statement, form.cleaned_data["name"], user=request.user, allow_new=may_create
            )
        except ThemeNotAllowed:
            raise ValidationError({"name": "That is not a theme."}) from None
        data = s.TaggingResultSerializer(
            {"theme": result.theme, "added": result.added, "theme_created": result.theme_created}
        ).data
        return Response(data, status=status.HTTP_201_CREATED if result.added else 200)


class StatementTheme(ApiView):
    conditional = False
    write_permissions = {"DELETE": REMOVE_PERMISSION}

    @extend_schema(responses={204: None}, tags=["tagging"])
    def delete(self, request, pk, slug):
        statement = get_object_or_404(Statement.objects.visible_to(request.user), pk=pk)
        theme = get_object_or_404(Theme, slug=slug)
        if not remove_theme_from_statement(statement, theme, user=request.user):
            raise Http404("The statement does not have that theme.")
        return Response(status=status.HTTP_204_NO_CONTENT)


# Themes -------------------------------------------------------------------------------


class ThemeList(ApiView):
    pagination_class = SlugCursor
    parameters = PAGINATION

    @extend_schema(responses=s.ThemeSerializer(many=True), tags=["themes"])
    def get(self, request):
        themes = principle_selectors.themes_with_counts(
            request.user, counts=theme_counts(request)
        ).order_by()
        return self.paginate(themes, s.ThemeSerializer)


class ThemeDetail(ApiView):
    @extend_schema(responses=s.ThemeSerializer, tags=["themes"])
    def get(self, request, slug):
        theme = principle_selectors.theme_for_reading(slug, request.user)
        theme = get_object_or_404(
            principle_selectors.themes_with_counts(request.user, counts=theme_counts(request)),
            pk=theme.pk,
        )
        return Response(s.represent(s.ThemeSerializer, theme, context={"request": request}))


# Search -------------------------------------------------------------------------------


def facet_data(facet):
    return [
        {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
        for v in facet.values
    ]


class Search(ApiView):
    """The search page's ranking and filters (search.selectors.search), as data."""

    parameters = ("q", "organization", "kind", "theme", "earlier", "page")

    @extend_schema(parameters=[SearchParameters], responses=s.SearchSerializer, tags=["search"])
    def get(self, request):
        params = request.query_params
        form = SearchForm(
            {
                "q": params.get("q", ""),
                "org": params.get("organization", ""),
                "kind": params.get("kind", ""),
                "theme": params.get("theme", ""),
                "earlier": params.get("earlier", ""),
                "page": params.get("page", ""),
            }
        )
        if not form.is_valid():
            names = {"org": "organization"}
            raise ValidationError(
                {names.get(field, field): " ".join(errors) for field, errors in form.errors.items()}
            )
        criteria = form.criteria()
        empty = {
            "query": criteria.query.text,
            "total": 0,
            "capped": False,
            "page": 1,
            "pages": 0,
            "next": None,
            "previous": None,
            "suggestion": None,
            "themes_named": [],
            "facets": {},
            "results": [],
        }
        if criteria.query.is_empty:
            return Response(s.SearchSerializer(empty).data)
        try:
            results = search_selectors.search(criteria, form.page_number)
        except search_selectors.PageOutOfRange as error:
            raise Http404(str(error)) from None
        page = results.page

        def page_link(number):
            query = request.query_params.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        data = {
            "query": criteria.query.text,
            "total": results.total,
            "capped": results.capped,
            "page": page.number,
            "pages": page.num_pages,
            "next": page_link(page.next_page_number) if page.has_next else None,
            "previous": page_link(page.previous_page_number) if page.has_previous else None,
            "suggestion": results.suggestion,
            "themes_named": results.themes_named,
            "facets": {
                "organization": facet_data(results.organizations),
                "kind": facet_data(results.kinds),
                "theme": facet_data(results.themes),
            },
            "results": results.results,
        }
        return Response(s.represent(s.SearchSerializer, data, context={"request": request}))


# Crosswalk ----------------------------------------------------------------------------


class Crosswalk(ApiView):
    parameters = ("organization", "kind", "theme")

    @extend_schema(
        parameters=[CrosswalkParameters],
        responses=s.CrosswalkSerializer,
        tags=["crosswalk"],
        description="Pairs of statements of the chosen organizations that say much the "
        "same (the compare page's crosswalk): links an editor confirmed first "
        "(`kind: confirmed`), then suggestions strongest first (`kind: suggested`).",
    )
    def get(self, request):
        query = request.query_params.copy()
        data = type(query)(mutable=True)
        data.setlist("org", query.getlist("organization"))
        data.setlist("kind", query.getlist("kind"))
        data.setlist("theme", query.getlist("theme"))
        form = compare_form(data)
        if not form.is_bound:
            raise ValidationError({"organization": "Choose at least 2 organizations to compare."})
        if not form.is_valid():
            names = {"org": "organization"}
            raise ValidationError(
                {names.get(field, field): " ".join(errors) for field, errors in form.errors.items()}
            )
        organizations = form.cleaned_data["org"]
        comparison = compare_selectors.comparison(
            organizations, form.cleaned_data["kind"], form.cleaned_data["theme"]
        )
        statements = [side for pair in comparison.pairs for side in pair.sides]
        attach_themes(statements)
        pairs = [
            {**s.link_marks(pair.score, pair.link), "first": pair.first, "second": pair.second}
            for pair in comparison.pairs
        ]
        body = {"organizations": organizations, "count": len(pairs), "pairs": pairs}
        return Response(s.represent(s.CrosswalkSerializer, body, context={"request": request}))


class CrosswalkLinks(ApiView):
    """Crosswalk review (Editors, Reviewers): the same permission and service as the
    review forms of the compare and statement pages (compare.links)."""

    conditional = False
    write_permissions = {"POST": REVIEW_PERMISSION}

    @extend_schema(
        request=s.ReviewLinkSerializer,
        responses={200: s.ReviewedLinkSerializer, 204: None},
        tags=["crosswalk"],
        description="Confirm or reject the link of two statements of different "
        "organizations (creating it if the score did not suggest it), or withdraw the "
        "verdict (204). Rejected pairs are never suggested again.",
    )
    def post(self, request):
        body = s.ReviewLinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            if data["action"] == "withdraw":
                links.withdraw(request.user, data["first"], data["second"])
                return Response(status=status.HTTP_204_NO_CONTENT)
            verdict = "confirmed" if data["action"] == "confirm" else "rejected"
            suggested = StatementSimilarity.objects.filter(
                statement_id=data["first"], other_id=data["second"]
            ).exists()
            link = links.review(
                request.user, data["first"], data["second"], verdict, data["note"], not suggested
            )
        except links.LinkRefused as refused:
            raise ValidationError({"detail": str(refused)}) from None
        return Response(s.ReviewedLinkSerializer(link).data)


# Sheets -------------------------------------------------------------------------------


def sheet_body(request, sheet, statements):
    sheet.statement_list = statements
    return s.represent(s.SheetSerializer, sheet, context={"request": request})


class SheetCreate(ApiView):
    conditional = False
    write_permissions = {"POST": SHEET_BUILD_PERMISSION}

    @extend_schema(
        request=s.SheetCreateSerializer, responses={201: s.SheetSerializer}, tags=["sheets"]
    )
    def post(self, request):
        body = s.SheetCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        sheet = sheet_services.create_sheet(owner=request.user, **body.validated_data)
        return Response(sheet_body(request, sheet, []), status=status.HTTP_201_CREATED)


class SheetDetail(ApiView):
    """A sheet shared by link: anyone with its id reads the statements readers may read."""

    conditional = False  # a sheet's own changes are not in the content version

    @extend_schema(responses=s.SheetSerializer, tags=["sheets"])
    def get(self, request, public_id):
        sheet, content = sheet_content.selection_content(public_id, request.user)
        statements = [st for group in content.groups for st in group.statements]
        return Response(sheet_body(request, sheet, statements))


def changeable_sheet(request, public_id):
    from django.core.exceptions import PermissionDenied

    sheet = get_object_or_404(Sheet, public_id=public_id)
    if not sheet.can_change(request.user):
        raise PermissionDenied("Only the sheet's owner or an editor can change it.")
    return sheet


class SheetStatements(ApiView):
    conditional = False
    write_permissions = {"POST": SHEET_BUILD_PERMISSION}

    @extend_schema(
        request=s.SheetAddSerializer,
        responses={201: s.SheetSerializer, 200: s.SheetSerializer},
        tags=["sheets"],
    )
    def post(self, request, public_id):
        sheet = changeable_sheet(request, public_id)
        body = s.SheetAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = (
            Statement.objects.visible_to(request.user)
            .filter(pk=body.validated_data["statement"])
            .first()
        )
        if statement is None:
            raise ValidationError({"statement": "There is no such statement."})
        try:
            added = sheet_services.add_statement(sheet, statement, user=request.user)
        except sheet_services.Gone as exc:
            raise Conflict(str(exc)) from None
        sheet, content = sheet_content.selection_content(public_id, request.user)
        statements = [st for group in content.groups for st in group.statements]
        return Response(
            sheet_body(request, sheet, statements),
            status=status.HTTP_201_CREATED if added else status.HTTP_200_OK,
        )


class SheetStatement(ApiView):
    conditional = False
    write_permissions = {"DELETE": SHEET_BUILD_PERMISSION}

    @extend_schema(responses={204: None}, tags=["sheets"])
    def delete(self, request, public_id, statement_id):
        sheet = changeable_sheet(request, public_id)
        item = get_object_or_404(SheetItem, sheet=sheet, statement_id=statement_id)
        try:
            sheet_services.remove_item(item, user=request.user)
        except sheet_services.Gone as exc:
            raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# Open data ----------------------------------------------------------------------------


def release_links(request, release):
    return {
        "number": release.number,
        "created_at": release.created_at,
        "statement_count": release.statement_count,
        "json": request.build_absolute_uri(
            reverse("api:release-json", kwargs={"number": release.number})
        ),
        "csv": request.build_absolute_uri(
            reverse("api:release-csv", kwargs={"number": release.number})
        ),
    }


class ReleaseList(ApiView):
    @extend_schema(
        responses=inline_serializer(
            "OpenData",
            {
                "latest": s.ReleaseSerializer(allow_null=True),
                "releases": s.ReleaseSerializer(many=True),
                "data_dictionary": serializers.URLField(),
            },
        ),
        tags=["open data"],
    )
    def get(self, request):
        releases = list(DataRelease.objects.defer("json_data", "csv_data")[:20])
        links = [release_links(request, release) for release in releases]
        return Response(
            {
                "latest": links[0] if links else None,
                "releases": links,
                "data_dictionary": request.build_absolute_uri(reverse("api:data-dictionary")),
            }
        )


class ReleaseFile(ApiView):
    fmt = "json"

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT}, tags=["open data"])
    def get(self, request, number):
        field = "json_data" if self.fmt == "json" else "csv_data"
        text = DataRelease.objects.filter(number=number).values_list(field, flat=True).first()
        if text is None:
            raise Http404("There is no such release.")
        content_type = "application/json" if self.fmt == "json" else "text/csv"
        response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
        name = f"practicekb-open-data-{number}.{self.fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ReleaseCsv(ReleaseFile):
    fmt = "csv"

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, tags=["open data"])
    def get(self, request, number):
        return super().get(request, number)


class DataDictionary(ApiView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["open data"])
    def get(self, request):
        from .opendata import DATA_DICTIONARY

        return Response(DATA_DICTIONARY)


class Root(ApiView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=["about"])
    def get(self, request):
        def link(name):
            return request.build_absolute_uri(reverse(f"api:{name}"))

        return Response(
            {
                "organizations": link("organizations"),
                "documents": link("documents"),
                "sections": link("sections"),
                "statements": link("statements"),
                "themes": link("themes"),
                "search": link("search"),
                "crosswalk": link("crosswalk"),
                "open_data": link("open-data"),
                "schema": link("schema"),
                "docs": link("docs"),
            }
        )
