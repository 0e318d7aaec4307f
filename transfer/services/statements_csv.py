"""Statements as CSV, one row each, for spreadsheets."""

import csv

from principles.models import Statement
from principles.selectors import statements_for_display

CSV_HEADER = [
    "organization",
    "document",
    "status",
    "section",
    "position",
    "kind",
    "label",
    "title",
    "text",
    "themes",
    "permalink",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Spreadsheets run cells that start like a formula; such text is quoted with a '."""
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


def statements_for_csv(queryset=None):
    queryset = Statement.objects.all() if queryset is None else queryset
    return statements_for_display(queryset, all_themes=True).order_by(
        "document__organization__name", "document__position", "document__title", "position"
    )


def write_statements_csv(out, statements, *, base_url=""):
    """Write statements (one row each, in reading order) as CSV for spreadsheets."""
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for statement in statements:
        document = statement.document
        writer.writerow(
            _cell(value)
            for value in (
                document.organization.name,
                document.title,
                document.get_status_display(),
                statement.section.heading if statement.section else "",
                statement.position,
                statement.get_kind_display(),
                statement.label,
                statement.title,
                statement.text,
                "; ".join(theme.name for theme in statement.themes),
                f"{base_url}{statement.get_absolute_url()}",
            )
        )
