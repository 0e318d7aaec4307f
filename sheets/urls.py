"""Sheets sit beside the page they print: <page>/sheet/ and <page>/sheet.pdf."""

from django.urls import path

from . import views

app_name = "sheets"

PDF = {"as_pdf": True}

urlpatterns = [
    path("organizations/<slug:slug>/sheet/", views.organization_sheet, name="organization"),
    path(
        "organizations/<slug:slug>/sheet.pdf",
        views.organization_sheet,
        PDF,
        name="organization_pdf",
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
        name="document_pdf",
    ),
    path("tags/<slug:slug>/sheet/", views.theme_sheet, name="theme"),
    path("tags/<slug:slug>/sheet.pdf", views.theme_sheet, PDF, name="theme_pdf"),
    path("compare/sheet/", views.comparison_sheet, name="comparison"),
    path("compare/sheet.pdf", views.comparison_sheet, PDF, name="comparison_pdf"),
    path("sheets/", views.sheet_list, name="list"),
    path("sheets/add/", views.add_to_sheet, name="add"),
    path("sheets/<uuid:public_id>/", views.sheet_detail, name="detail"),
    path("sheets/<uuid:public_id>/sheet/", views.selection_sheet, name="selection"),
    path("sheets/<uuid:public_id>/sheet.pdf", views.selection_sheet, PDF, name="selection_pdf"),
    path("sheets/<uuid:public_id>/delete/", views.delete_sheet, name="delete"),
    path(
        "sheets/<uuid:public_id>/items/<int:item_id>/remove/",
        views.remove_item,
        name="remove_item",
    ),
    path("sheets/<uuid:public_id>/items/<int:item_id>/move/", views.move_item, name="move_item"),
    path(
        "sheets/<uuid:public_id>/items/<int:item_id>/current/",
        views.use_current_wording,
        name="use_current",
    ),
]
