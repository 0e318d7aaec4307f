"""Load the seed organizations from fixtures/<slug>.json, verbatim and idempotently."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from principles.services.seeds import load_seed_organizations, seed_slugs


class Command(BaseCommand):
    help = (
        "Load the seed organizations (and the theme vocabulary) from fixtures/. "
        "Organizations already in the database are left as they are, so edits made in "
        "admin survive; --replace reloads them from the fixtures. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "slugs", nargs="*", help=f"Organizations to load (default: all of {seed_slugs()})."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite organizations already present with the fixture content.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be loaded; write nothing."
        )

    def handle(self, *args, slugs, replace, dry_run, **options):
        unknown = sorted(set(slugs) - set(seed_slugs()))
        if unknown:
            raise CommandError(
                f"No fixture for {', '.join(unknown)}. Known: {', '.join(seed_slugs())}."
            )
        with transaction.atomic():
            report = load_seed_organizations(slugs or seed_slugs(), replace=replace)
            if dry_run:
                transaction.set_rollback(True)
        prefix = "Would load" if dry_run else "Loaded"
        for slug in report.loaded:
            self.stdout.write(f"{prefix} {slug}")
        for slug in report.skipped:
            self.stdout.write(f"Kept {slug} (already present; use --replace to reload it)")
        self.stdout.write(self.style.SUCCESS(f"{prefix} {len(report.loaded)} organization(s)."))
