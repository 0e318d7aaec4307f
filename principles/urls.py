from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "principles"

urlpatterns = [
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/cite.ris",
        views.statement_citation,
        {"fmt": "ris"},
        name="statement-cite-ris",
    ),
    path(
        "statements/<int:pk>/cite.json",
        views.statement_citation,
        {"fmt": "csl"},
        name="statement-cite-csl",
    ),
    path("statements/<int:pk>/themes/", views.statement_theme_add, name="statement-theme-add"),
    path("statements/<int:pk>/themes/edit/", views.statement_themes, name="statement-themes"),
    path(
        "statements/<int:pk>/themes/<slug:slug>/remove/",
        views.statement_theme_remove,
        name="statement-theme-remove",
    ),
    path(
        "organizations/<slug:slug>/documents/<slug:document_slug>/changes/",
        views.document_changes,
        name="changes",
    ),
    path("revisions/", views.revisions, name="revisions"),
    path("themes/", views.theme_list, name="themes"),
    path("themes/<slug:slug>/", views.theme_detail, name="theme"),
    # /tags/ was the themes' address until issue 23: bookmarks and links elsewhere keep working
    path("tags/", RedirectView.as_view(pattern_name="principles:themes", permanent=True)),
    path(
        "tags/<slug:slug>/",
        RedirectView.as_view(pattern_name="principles:theme", permanent=True, query_string=True),
    ),
]
