from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "sheets"
    verbose_name = "Principle sheets"

    def ready(self):
        from performance.versioning import add_personal_table
        from principles import impact

        from .models import Sheet
        from .selectors import describe_sheets_holding

        # the admin's Publish and Retire confirmations say how many sheets are affected
        impact.register_holder(describe_sheets_holding)
        # a signed-in page shows the person's sheets (the Add forms' choice, the marks of
        # the sheet added to last): the page cache keys their pages by the sheets' version
        add_personal_table("sheets.Sheet", "{row}.owner_id")
        add_personal_table(
            "sheets.SheetItem",
            f"SELECT owner_id FROM {Sheet._meta.db_table} WHERE id = {{row}}.sheet_id",  # noqa: S608
        )
