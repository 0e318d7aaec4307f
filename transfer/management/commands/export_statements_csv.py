"""Export statements as CSV, for spreadsheets."""

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization
from principles.models import Statement

from ...services.statements_csv import statements_for_csv, write_statements_csv


class Command(BaseCommand):
    help = (
        "Write statements (all, or one organization's) as CSV to standard output or --output: "
        "organization, document, status, section, position, kind, label, title, text, themes "
        "and permalink, in reading order."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization (its slug).")
        parser.add_argument("--output", help="Write to this file instead of standard output.")
        parser.add_argument(
            "--base-url", default="", help="Prefix for permalinks, e.g. https://kb.example.org"
        )

    def handle(self, *args, organization, output, base_url, **options):
        statements = Statement.objects.all()
        if organization:
            owner = Organization.objects.filter(slug=organization).first()
            if owner is None:
                raise CommandError(f"No organization with the slug “{organization}”.")
            statements = statements.for_organization(owner)
        statements = statements_for_csv(statements)
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                write_statements_csv(handle, statements, base_url=base_url.rstrip("/"))
        else:
            write_statements_csv(self.stdout, statements, base_url=base_url.rstrip("/"))
