"""Sheets sit beside the page they print: <page>/sheet/ and <page>/sheet.pdf."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "sheets"

PDF = {"as_pdf": True}
DOCX = {"as_docx": True}

urlpatterns = [
    path("organizations/<slug:slug>/sheet/", views.organization_sheet, name="organization"),
    path(
        "organizations/<slug:slug>/sheet.pdf",
        views.organization_sheet,
        PDF,
        name="organization-pdf",
    ),
    path(
        "organizations/<slug:slug>/sheet.docx",
        views.organization_sheet,
        DOCX,
        name="organization-docx",
    ),
    path(
        "organizations/<slug:slug>/documents/<slug:document_slug>/sheet/",
        views.document_sheet,
        name="document",
    ),
    path(
        "organizations/<slug:slug>/documents/<slug:document_slug>/sheet.pdf",
        views.document_sheet,
        PDF,
        name="document-pdf",
    ),
    path(
        "organizations/<slug:slug>/documents/<slug:document_slug>/sheet.docx",
        views.document_sheet,
        DOCX,
        name="document-docx",
    ),
    path("themes/<slug:slug>/sheet/", views.theme_sheet, name="theme"),
    path("themes/<slug:slug>/sheet.pdf", views.theme_sheet, PDF, name="theme-pdf"),
    path("themes/<slug:slug>/sheet.docx", views.theme_sheet, DOCX, name="theme-docx"),
    # the /tags/ addresses of before issue 23, kept as permanent redirects
    *(
        path(
            f"tags/<slug:slug>/{name}",
            RedirectView.as_view(pattern_name=target, permanent=True, query_string=True),
        )
        for name, target in (
            ("sheet/", "sheets:theme"),
            ("sheet.pdf", "sheets:theme-pdf"),
            ("sheet.docx", "sheets:theme-docx"),
        )
    ),
    path("compare/sheet/", views.comparison_sheet, name="comparison"),
    path("compare/sheet.pdf", views.comparison_sheet, PDF, name="comparison-pdf"),
    path("compare/sheet.docx", views.comparison_sheet, DOCX, name="comparison-docx"),
    path("sheets/", views.sheet_list, name="list"),
    path("sheets/add/", views.add_to_sheet, name="add"),
    path("sheets/<uuid:public_id>/", views.sheet_detail, name="detail"),
    path("sheets/<uuid:public_id>/sheet/", views.selection_sheet, name="selection"),
    path("sheets/<uuid:public_id>/sheet.pdf", views.selection_sheet, PDF, name="selection-pdf"),
    path("sheets/<uuid:public_id>/sheet.docx", views.selection_sheet, DOCX, name="selection-docx"),
    path("sheets/<uuid:public_id>/delete/", views.delete_sheet, name="delete"),
    path(
        "sheets/<uuid:public_id>/items/<int:item_id>/remove/",
        views.remove_item,
        name="remove-item",
    ),
    path("sheets/<uuid:public_id>/items/<int:item_id>/move/", views.move_item, name="move-item"),
    path(
        "sheets/<uuid:public_id>/items/<int:item_id>/current/",
        views.use_current_wording,
        name="use-current",
    ),
]
