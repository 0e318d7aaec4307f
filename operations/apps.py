from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.contrib.staticfiles.apps import StaticFilesConfig


class OperationsConfig(AppConfig):
    """Running the site: health checks, fault handling, caches that degrade, abuse limits,
    backup and restore (docs/operations.md)."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        from .middleware import mark_seen

        user_logged_in.connect(mark_seen, dispatch_uid="operations-idle-clock")


class StaticFiles(StaticFilesConfig):
    """django.contrib.staticfiles without two apps' files that no page uses: the Redoc
    bundle drf-spectacular's sidecar ships beside Swagger UI (the API docs are Swagger UI)
    and Django REST framework's browsable-API assets (the API renders JSON only). They were
    9 of the 20 MB collectstatic copied, and most of its compressing."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "drf_spectacular_sidecar/redoc/*",
        "rest_framework/*",
    ]
