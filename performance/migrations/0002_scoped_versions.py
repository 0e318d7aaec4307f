"""Versions scoped to what a page shows replace the single content version (issue 17)."""

from django.db import migrations, models


def drop_old_triggers(apps, schema_editor):
    from performance.versioning import OLD_FUNCTION, OLD_TRIGGER, content_tables

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in content_tables():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {OLD_TRIGGER} ON {table}")
            elif connection.vendor == "sqlite":
                for operation in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {OLD_TRIGGER}_{table}_{operation}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {OLD_FUNCTION}()")


def install(apps, schema_editor):
    from performance.versioning import install_triggers

    install_triggers(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    from performance.versioning import drop_triggers

    drop_triggers(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("principles", "0003_theme_entry_terms"),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="ContentVersion"),
        migrations.CreateModel(
            name="ScopeVersion",
            fields=[
                ("scope", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
                ("last_bump", models.CharField(blank=True, default="", max_length=80)),
            ],
            options={
                "verbose_name": "content version",
                "verbose_name_plural": "content versions",
                "ordering": ["scope"],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
