"""Build an open-data release now (JSON and CSV of all content in force)."""

from django.core.management.base import BaseCommand

from api import opendata


class Command(BaseCommand):
    help = "Build a new open-data release if content changed since the last (--force: always)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Build even if unchanged.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say whether a build is due."
        )

    def handle(self, *args, force=False, dry_run=False, **options):
        if dry_run:
            from api.models import DataRelease
            from performance import versioning

            latest = DataRelease.objects.defer("json_data", "csv_data").first()
            due = force or latest is None or latest.content_version != versioning.current_version()
            self.stdout.write(
                "A build is due." if due else "Nothing changed since the last release."
            )
            return
        release = opendata.build_release(force=force)
        if release is None:
            self.stdout.write("Nothing changed since the last release.")
        else:
            self.stdout.write(
                f"Built release {release.number} ({release.statement_count} statements)."
            )
