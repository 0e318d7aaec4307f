"""PostgreSQL: pg_trgm and a table of the statements' words, for "Did you mean ...?".
Nothing on SQLite, which reads its vocabulary from the statements. See search/schema.py
(version 3)."""

from django.db import migrations

from search import schema


def install(apps, schema_editor):
    schema.install_v3(schema_editor)


def uninstall(apps, schema_editor):
    schema.uninstall_v3(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_bounded_search"),
        ("principles", "0003_theme_entry_terms"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
