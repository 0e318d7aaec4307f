"""manage.py restore FILE: put a backup back, refusing to overwrite data unless --force."""

from django.core.management.base import BaseCommand, CommandError

from operations.backup import check_file, non_empty_tables, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this database. Refuses when the "
        "database already holds data (beyond what `migrate` creates) unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file to restore.")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data this database holds now."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and the database only."
        )

    def handle(self, *args, file, database, force, dry_run, **options):
        from django.db import connections

        check_file(file, connections[database].vendor)
        filled = non_empty_tables(database)
        if filled and not force:
            shown = ", ".join(filled[:5]) + (" …" if len(filled) > 5 else "")
            raise CommandError(
                f"The database is not empty ({len(filled)} tables hold rows: {shown}). "
                "Restore into an empty database, or add --force to replace what it holds."
            )
        if dry_run:
            self.stdout.write(f"Would restore {file} into the {database!r} database.")
            return
        restore(file, database)
        self.stdout.write(f"Restored {file}.")
