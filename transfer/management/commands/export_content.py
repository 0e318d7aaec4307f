"""Export content (one organization, or everything) as JSON with natural keys."""

from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization

from ...services.content import export_content


class Command(BaseCommand):
    help = (
        "Write organizations with their documents, sections, statements and themes as JSON "
        "to standard output (or --output). Rows are addressed by slugs and positions, so "
        "`manage.py import_content FILE` loads the file into another database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", help="Only this organization (its slug).")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, organization, output, **options):
        owner = None
        if organization:
            owner = Organization.objects.filter(slug=organization).first()
            if owner is None:
                raise CommandError(f"No organization with the slug “{organization}”.")
        data = export_content([owner] if owner else None)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(data + "\n")
        else:
            self.stdout.write(data)
