"""Compute the embedding vectors of every statement whose text changed (or has none).

The task queue does this for statements as they are saved; run this after installing the
model, after loading content, or to catch up. Idempotent: unchanged statements are skipped.
"""

from django.core.management.base import BaseCommand, CommandError

from meaning.encoder import ModelUnavailable
from meaning.services import embed_statements


class Command(BaseCommand):
    help = "Compute the embedding vectors of statements that have none or whose text changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be computed; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            report = embed_statements(dry_run=dry_run)
        except ModelUnavailable as error:
            raise CommandError(f"The embedding model cannot run: {error}") from error
        verb = "Would compute" if dry_run else "Computed"
        self.stdout.write(
            f"{verb} {report.computed:,} vectors; {report.unchanged:,} were up to date."
        )
