"""Recompute every stored similarity between statements of different organizations."""

from django.core.management.base import BaseCommand
from django.db import transaction

from compare.models import FLOOR, MAX_NEIGHBOURS
from compare.services import refresh_similarities


class Command(BaseCommand):
    help = (
        "Recompute the similarities behind /compare/ and each statement's 'Similar "
        f"elsewhere' (pairs scoring at least {FLOOR}, at most {MAX_NEIGHBOURS} per "
        "statement). Run it after importing statements in bulk (bulk_create or SQL bypass "
        "the signals). Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Compute and report; write nothing."
        )

    def handle(self, *args, dry_run, **options):
        with transaction.atomic():
            report = refresh_similarities()
            if dry_run:
                transaction.set_rollback(True)
        verb = "Would store" if dry_run else "Stored"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.rows} similarity row(s) for {report.corpus} statement(s) "
                f"in {report.seconds:.1f} s."
            )
        )
