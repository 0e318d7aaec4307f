from django.apps import AppConfig


class MeaningConfig(AppConfig):
    name = "meaning"
    verbose_name = "Meaning"

    def ready(self):
        from . import signals

        signals.connect()
