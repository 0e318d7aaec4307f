from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running practicekb: backup and restore of the whole database (docs/operations-backup.md)."""

    name = "operations"
    verbose_name = "operations"
