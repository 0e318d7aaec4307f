"""The curated vocabulary (fixtures/themes.json) is approved; other themes staff made before
approval existed become proposals, for editors to approve or merge (docs/guide/editors.md)."""

from django.db import migrations


def approve_curated(apps, schema_editor):
    Theme = apps.get_model("principles", "Theme")
    Theme.objects.filter(curated=True).update(status="approved")


class Migration(migrations.Migration):
    dependencies = [("principles", "0004_theme_status")]

    operations = [migrations.RunPython(approve_curated, migrations.RunPython.noop)]
