from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Import of plain-text documents, and export of content as JSON and CSV."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "transfer"
    verbose_name = "Import and export"
