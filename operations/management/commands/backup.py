"""manage.py backup FILE: the whole database in one file (docs/operations.md, backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (content, history, users, sheets, ids) to FILE: SQLite "
        "with its online backup API, PostgreSQL with pg_dump's custom format."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup.")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be written; write nothing."
        )

    def handle(self, *args, file, database, dry_run, **options):
        path = Path(file)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        if dry_run:
            self.stdout.write(f"Would back up the {database!r} database to {path}.")
            return
        backup(path, database)
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
