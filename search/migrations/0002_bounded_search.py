"""PostgreSQL: a stored length score (prior) with an index, and an organization index, so
that broad searches read a bounded number of rows. See search/schema.py (version 2)."""

from django.db import migrations

from search import schema


def install(apps, schema_editor):
    schema.install_v2(schema_editor)


def uninstall(apps, schema_editor):
    schema.uninstall_v2(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
