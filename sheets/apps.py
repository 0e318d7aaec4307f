from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "sheets"
    verbose_name = "Principle sheets"

    def ready(self):
        from principles import impact

        from .selectors import describe_sheets_holding

        # the admin's Publish and Retire confirmations say how many sheets are affected
        impact.register_holder(describe_sheets_holding)
