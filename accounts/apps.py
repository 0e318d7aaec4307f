from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "accounts and roles"

    def ready(self):
        from . import signals  # noqa: F401 - connects the sign-in and sign-out messages
