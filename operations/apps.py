from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the site: health checks, fault handling, caches that degrade, abuse limits."""

    name = "operations"
    verbose_name = "Operations"
