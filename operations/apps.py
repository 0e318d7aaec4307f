from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django_tasks.signals import task_finished


class OperationsConfig(AppConfig):
    """Running the site: health checks, fault handling, caches that degrade, abuse limits,
    backup and restore (docs/operations.md)."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from .memory import after_job
        from .middleware import mark_seen

        user_logged_in.connect(mark_seen, dispatch_uid="operations-idle-clock")
        task_finished.connect(after_job, dispatch_uid="operations-give-back-memory")
