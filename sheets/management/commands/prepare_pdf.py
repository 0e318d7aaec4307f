"""Render one reader's PDF into its prepared row: run by the task worker in a child process
(sheets.tasks.prepare_in_child), not by hand."""

from django.core.management.base import BaseCommand

from sheets.tasks import prepare


class Command(BaseCommand):
    help = "Render the PDF a reader asked for at URL and keep it under KEY (the task worker's)."

    def add_arguments(self, parser):
        parser.add_argument("key")
        parser.add_argument("url")

    def handle(self, *args, key, url, **options):
        self.stdout.write(prepare(key, url))
