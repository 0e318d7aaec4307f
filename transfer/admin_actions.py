"""Admin actions that download content: statements as CSV, organizations as JSON."""

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone

from principles.models import Statement

from .services.content import export_content
from .services.statements_csv import statements_for_csv, write_statements_csv


def _attachment(response, stem, extension):
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{extension}"'
    return response


def statements_csv_response(request, statements, stem):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    write_statements_csv(
        response, statements_for_csv(statements), base_url=request.build_absolute_uri("/")[:-1]
    )
    return _attachment(response, stem, "csv")


@admin.action(description="Download selected statements as CSV")
def download_statements_csv(modeladmin, request, queryset):
    return statements_csv_response(request, queryset, "statements")


@admin.action(description="Download the statements of selected organizations as CSV")
def download_organization_statements_csv(modeladmin, request, queryset):
    statements = Statement.objects.filter(document__organization__in=queryset)
    return statements_csv_response(request, statements, "statements")


@admin.action(description="Export selected organizations as JSON (for import_content)")
def export_organizations_json(modeladmin, request, queryset):
    organizations = list(queryset.order_by("slug"))
    stem = organizations[0].slug if len(organizations) == 1 else "organizations"
    response = HttpResponse(
        export_content(organizations), content_type="application/json; charset=utf-8"
    )
    return _attachment(response, stem, "json")
