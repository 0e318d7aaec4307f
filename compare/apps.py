from django.apps import AppConfig


class CompareConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "compare"
    verbose_name = "Compare and crosswalk"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
