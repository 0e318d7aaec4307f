"""Import a document (PDF, Word .docx, web page, Markdown or text) as a new draft."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from organizations.models import Organization
from principles.models import DocumentKind

from ...bounded import read_upload
from ...converters import MAX_FILE_BYTES
from ...parser import ImportTextError
from ...services.documents import create_document


class Command(BaseCommand):
    help = (
        "Read a document (.pdf, .docx, .html/.htm, .md or .txt, told by its content or its "
        "name) into sections and statements and save it as a new draft document of the "
        "organization. --dry-run shows what was found and saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--organization", required=True, help="The organization's slug.")
        parser.add_argument("--title", default="", help="The title, if the text names none.")
        parser.add_argument(
            "--kind",
            default="",
            choices=["", *DocumentKind.values],
            help="The document's kind; by default told from its title (else practice model).",
        )
        parser.add_argument(
            "--start-at", default="", help="Leave out the lines before the one starting so."
        )
        parser.add_argument(
            "--stop-at", default="", help="Leave out the line starting so, and all after it."
        )
        parser.add_argument("--dry-run", action="store_true", help="Show the parse; save nothing.")

    def handle(self, *args, file, organization, title, kind, start_at, stop_at, dry_run, **opts):
        try:
            owner = Organization.objects.get(slug=organization)
        except Organization.DoesNotExist:
            raise CommandError(f"No organization with the slug “{organization}”.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before reading it
            raise CommandError(
                f"{path}: the file is {size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split the document and import it in parts."
            )
        try:
            parsed = read_upload(
                path.name, path.read_bytes(), start_at=start_at, stop_at=stop_at, kind=kind
            )
        except ImportTextError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        details = {**parsed.metadata, "title": title or parsed.title, "kind": parsed.kind}
        if not details["title"]:
            raise CommandError("The text names no title: give one with --title.")
        self.report(parsed, details)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        try:
            with transaction.atomic():
                document = create_document(owner, details, parsed.rows)
        except ValidationError as exc:
            raise CommandError(f"Nothing was saved: {'; '.join(exc.messages)}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Saved draft “{document.title}” ({document.slug}) for {owner.name}: "
                f"{len(parsed.sections)} sections, {len(parsed.statements)} statements."
            )
        )

    def report(self, parsed, details):
        self.stdout.write(f"Title: {details['title']} ({details['kind']}, from {parsed.format})")
        for name, value in parsed.metadata.items():
            self.stdout.write(f"{name.replace('_', ' ').capitalize()}: {value}")
        for warning in parsed.warnings:
            self.stderr.write(warning)
        for row in parsed.rows:
            if row.type == "section":
                self.stdout.write(f"\n## {row.text}")
            else:
                head = " ".join(part for part in (row.label, row.title) if part)
                text = row.text if len(row.text) <= 70 else f"{row.text[:67]}..."
                self.stdout.write(f"  [{row.kind}] {head + ' ' if head else ''}{text}")
        self.stdout.write(
            f"\n{len(parsed.sections)} sections, {len(parsed.statements)} statements; "
            f"{len(parsed.skipped)} lines left out."
        )
