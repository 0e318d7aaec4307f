from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    verbose_name = "Practice models"

    def ready(self):
        from . import freshness, signals  # noqa: F401 - records changes for `statements_changed`
