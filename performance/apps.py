from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self):
        from . import versioning

        # A later migration that rebuilds a content table on SQLite drops its triggers: put
        # them back after every migrate (idempotent on both databases).
        post_migrate.connect(versioning.install_after_migrate, sender=self)
