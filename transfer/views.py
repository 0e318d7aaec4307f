"""The admin page that imports documents (text, PDF, Word, web pages): source, preview, save."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from principles.models import Document

from .forms import (
    MAX_FILES,
    DocumentDetailsForm,
    ImportSourceForm,
    RowFormSet,
    prefixes,
    preview_forms,
)
from .services.documents import create_document


def _batch_size(post):
    """How many documents the preview holds (a hidden field; bounded, never trusted)."""
    value = post.get("documents", "1")
    return min(max(int(value), 1), MAX_FILES) if value.isdigit() else 1


def _save_all(request, documents):
    """Every previewed document saved as a draft, all of them or none."""
    saved = []
    with transaction.atomic():
        for details, rows in documents:
            saved.append(
                create_document(
                    details.cleaned_data["organization"],
                    details.cleaned_data,
                    rows.kept_rows(),
                    user=request.user,
                )
            )
    return saved


def import_document(request):
    """Step 1 (GET, or POST "preview"): pick an organization, paste text or upload files.
    Step 2 (POST "save"): the corrected preview of each, saved atomically as new drafts."""
    if not request.user.has_perm("principles.add_document"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "title": "Import documents",
        "opts": Document._meta,
    }
    if request.method == "POST" and "save" in request.POST:
        documents = []
        for index in range(_batch_size(request.POST)):
            document_prefix, rows_prefix = prefixes(index)
            documents.append(
                (
                    DocumentDetailsForm(request.POST, prefix=document_prefix),
                    RowFormSet(request.POST, prefix=rows_prefix),
                )
            )
        valid = [details.is_valid() and rows.is_valid() for details, rows in documents]
        if all(valid):
            try:
                saved = _save_all(request, documents)
            except ValidationError as exc:
                documents[0][0].add_error(None, exc)
            else:
                if len(saved) == 1:
                    document = saved[0]
                    statements = document.statements.count()
                    messages.success(
                        request,
                        f"Imported “{document.title}” as a draft with {statements} statements. "
                        "Check it, then publish it from the documents list.",
                    )
                    return redirect(reverse("admin:principles_document_change", args=[document.pk]))
                titles = "; ".join(f"“{document.title}”" for document in saved)
                messages.success(
                    request,
                    f"Imported {len(saved)} documents as drafts: {titles}. Check them, then "
                    "publish them from the documents list.",
                )
                return redirect(reverse("admin:principles_document_changelist"))
        details, rows = documents[0]
        return render(
            request,
            "admin/transfer/import_preview.html",
            {
                **context,
                "details": details,
                "rows": rows,
                "documents": [
                    {"details": d, "rows": r, "organization": d.cleaned_data.get("organization")}
                    for d, r in documents
                ],
                "organization": details.cleaned_data.get("organization"),
            },
            status=400,
        )
    if request.method == "POST":
        source = ImportSourceForm(request.POST, request.FILES)
        if source.is_valid():
            documents = []
            for index, parsed in enumerate(source.parsed_documents):
                details, rows = preview_forms(
                    source.cleaned_data["organization"],
                    source.cleaned_data["kind"],
                    source.cleaned_data["title"] if len(source.parsed_documents) == 1 else "",
                    parsed,
                    index=index,
                )
                documents.append({"details": details, "rows": rows, "parsed": parsed})
            return render(
                request,
                "admin/transfer/import_preview.html",
                {
                    **context,
                    "details": documents[0]["details"],
                    "rows": documents[0]["rows"],
                    "parsed": documents[0]["parsed"],
                    "documents": documents,
                    "organization": source.cleaned_data["organization"],
                },
            )
        return render(
            request, "admin/transfer/import.html", {**context, "form": source}, status=400
        )
    return render(request, "admin/transfer/import.html", {**context, "form": ImportSourceForm()})
