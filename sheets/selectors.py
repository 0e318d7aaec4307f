"""Reads about sheets that other apps ask for through the hooks the core defines."""

from django.db.models import Count

from .models import SheetItem


def describe_sheets_holding(statements):
    """ "2 hand-picked sheets hold 3 of these statements", or "" (one query)."""
    held = SheetItem.objects.filter(statement__in=statements).aggregate(
        sheets=Count("sheet", distinct=True), statements=Count("statement", distinct=True)
    )
    if not held["sheets"]:
        return ""
    sheets = (
        "1 hand-picked sheet holds"
        if held["sheets"] == 1
        else (f"{held['sheets']} hand-picked sheets hold")
    )
    return f"{sheets} {held['statements']} of these statements; their owners will be told."
