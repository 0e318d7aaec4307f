"""/api/: the read-write API (v1), its schema and docs, and the personal token page."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# schema registers the token scheme with drf-spectacular: imported with the URLs that serve
# the schema, not at start-up, so task workers never load DRF and drf-spectacular for it
from . import schema, tokens, views  # noqa: F401

app_name = "api"

v1 = [
    path("", views.Root.as_view(), name="root"),
    path("organizations/", views.OrganizationList.as_view(), name="organizations"),
    path("organizations/<slug:slug>/", views.OrganizationDetail.as_view(), name="organization"),
    path(
        "organizations/<slug:slug>/documents/<slug:document_slug>/",
        views.DocumentDetail.as_view(),
        name="document",
    ),
    path("documents/", views.DocumentList.as_view(), name="documents"),
    path("sections/", views.SectionList.as_view(), name="sections"),
    path("sections/<int:pk>/", views.SectionDetail.as_view(), name="section"),
    path("statements/", views.StatementList.as_view(), name="statements"),
    path("statements/<int:pk>/", views.StatementDetail.as_view(), name="statement"),
    path(
        "statements/<int:pk>/similar/",
        views.StatementSimilar.as_view(),
        name="statement-similar",
    ),
    path("statements/<int:pk>/themes/", views.StatementThemes.as_view(), name="statement-themes"),
    path(
        "statements/<int:pk>/themes/<slug:slug>/",
        views.StatementTheme.as_view(),
        name="statement-theme",
    ),
    path("themes/", views.ThemeList.as_view(), name="themes"),
    path("themes/<slug:slug>/", views.ThemeDetail.as_view(), name="theme"),
    path("search/", views.Search.as_view(), name="search"),
    path("crosswalk/", views.Crosswalk.as_view(), name="crosswalk"),
    path("crosswalk/links/", views.CrosswalkLinks.as_view(), name="crosswalk-links"),
    path("sheets/", views.SheetCreate.as_view(), name="sheets"),
    path("sheets/<uuid:public_id>/", views.SheetDetail.as_view(), name="sheet"),
    path(
        "sheets/<uuid:public_id>/statements/",
        views.SheetStatements.as_view(),
        name="sheet-statements",
    ),
    path(
        "sheets/<uuid:public_id>/statements/<int:statement_id>/",
        views.SheetStatement.as_view(),
        name="sheet-statement",
    ),
    path("open-data/", views.ReleaseList.as_view(), name="open-data"),
    path("open-data/dictionary/", views.DataDictionary.as_view(), name="data-dictionary"),
    path("open-data/<int:number>.json", views.ReleaseFile.as_view(), name="release-json"),
    path("open-data/<int:number>.csv", views.ReleaseCsv.as_view(), name="release-csv"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]

urlpatterns = [
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.revoke_token, name="token-revoke"),
    *(path(f"v1/{p.pattern}", p.callback, p.default_args, p.name) for p in v1),
]
