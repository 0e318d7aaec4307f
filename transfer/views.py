"""The admin page that imports a document from text: source, then preview, then save."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from principles.models import Document

from . import services
from .forms import DocumentDetailsForm, ImportSourceForm, RowFormSet, preview_forms


def import_document(request):
    """Step 1 (GET, or POST "preview"): pick an organization, paste or upload the text.
    Step 2 (POST "save"): the corrected preview, saved atomically as a new draft."""
    if not request.user.has_perm("principles.add_document"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Import a document from text",
        "opts": Document._meta,
    }
    if request.method == "POST" and "save" in request.POST:
        details = DocumentDetailsForm(request.POST, prefix="document")
        rows = RowFormSet(request.POST, prefix="rows")
        if details.is_valid() and rows.is_valid():
            try:
                document = services.create_document(
                    details.cleaned_data["organization"],
                    details.cleaned_data,
                    rows.kept_rows(),
                    user=request.user,
                )
            except ValidationError as exc:
                details.add_error(None, exc)
            else:
                statements = document.statements.count()
                messages.success(
                    request,
                    f"Imported “{document.title}” as a draft with {statements} statements. "
                    "Check it, then publish it from the documents list.",
                )
                return redirect(reverse("admin:principles_document_change", args=[document.pk]))
        return render(
            request,
            "admin/transfer/import_preview.html",
            {
                **context,
                "details": details,
                "rows": rows,
                "organization": details.cleaned_data.get("organization"),
            },
            status=400,
        )
    if request.method == "POST":
        source = ImportSourceForm(request.POST, request.FILES)
        if source.is_valid():
            details, rows = preview_forms(
                source.cleaned_data["organization"],
                source.cleaned_data["kind"],
                source.cleaned_data["title"],
                source.parsed,
            )
            return render(
                request,
                "admin/transfer/import_preview.html",
                {
                    **context,
                    "details": details,
                    "rows": rows,
                    "parsed": source.parsed,
                    "organization": source.cleaned_data["organization"],
                },
            )
        return render(
            request, "admin/transfer/import.html", {**context, "form": source}, status=400
        )
    return render(request, "admin/transfer/import.html", {**context, "form": ImportSourceForm()})
