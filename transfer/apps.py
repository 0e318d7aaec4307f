from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Import of plain-text documents, and export of content as JSON and CSV."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "transfer"
    verbose_name = "Import and export"

    def ready(self):
        # The core's admin knows nothing of exports: this app adds its actions to the
        # Organization and Statement admins that admin's autodiscovery has registered by now
        # (django.contrib.admin comes first in INSTALLED_APPS).
        from django.contrib import admin

        from organizations.models import Organization
        from principles.models import Statement

        from .admin_actions import (
            download_organization_statements_csv,
            download_statements_csv,
            export_organizations_json,
        )

        add_actions(
            admin.site,
            Organization,
            export_organizations_json,
            download_organization_statements_csv,
        )
        add_actions(admin.site, Statement, download_statements_csv)


def add_actions(site, model, *actions):
    """Append `actions` to the registered admin of `model`, once (ready() may run twice)."""
    model_admin = site.get_model_admin(model)
    model_admin.actions = [
        *model_admin.actions,
        *(action for action in actions if action not in model_admin.actions),
    ]
