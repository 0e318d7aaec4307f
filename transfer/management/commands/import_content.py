"""Load a JSON export back, in one transaction."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...services.content import ImportContentError, import_content


class Command(BaseCommand):
    help = (
        "Load a file written by export_content in one transaction. Rows whose slugs and "
        "positions exist are updated in place; nothing is deleted; history records the "
        "import. --dry-run checks the file and saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file written by export_content.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; save nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 JSON.") from exc
        try:
            with transaction.atomic():
                report = import_content(text, reason=f"Imported from {path.name}")
                if dry_run:
                    transaction.set_rollback(True)
        except ImportContentError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        prefix = "Would import" if dry_run else "Imported"
        summary = ", ".join(f"{count} {label}" for label, count in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"{prefix} {summary or 'nothing'}."))
