from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class OperationsConfig(AppConfig):
    """Running the site: health checks, fault handling, caches that degrade, abuse limits,
    backup and restore (docs/operations.md)."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from .middleware import mark_seen

        user_logged_in.connect(mark_seen, dispatch_uid="operations-idle-clock")
