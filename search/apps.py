from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from . import schema

        # On SQLite, a later migration that rebuilds principles_statement drops its triggers;
        # put them back (and refill the index) after every migrate.
        post_migrate.connect(schema.repair_after_migrate, sender=self)
