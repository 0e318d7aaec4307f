from django.apps import AppConfig


class PrinciplesConfig(AppConfig):
    name = "principles"
    verbose_name = "Practice models"
