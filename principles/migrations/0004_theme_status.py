"""Themes get a status: proposed (by staff, while tagging) or approved (by an editor).

On SQLite, adding a column with a default rebuilds principles_theme, and SQLite refuses to
rename the rebuilt table while other tables' triggers (the page cache's, search's) name it.
Those triggers are set aside around the rebuild and put back as they were."""

from django.db import migrations, models

THEME_TABLE = "principles_theme"
_set_aside = {}


def set_triggers_aside(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
            [f"%{THEME_TABLE}%"],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    _set_aside[connection.alias] = triggers


def put_triggers_back(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for _name, sql in _set_aside.pop(connection.alias, []):
            cursor.execute(sql)


STATUS = models.CharField(
    choices=[("proposed", "Proposed"), ("approved", "Approved")],
    default="proposed",
    help_text="Readers see a theme once an editor approves it, and only while a statement "
    "in force carries it.",
    max_length=20,
)


class Migration(migrations.Migration):
    dependencies = [("principles", "0003_theme_entry_terms")]

    operations = [
        migrations.RunPython(set_triggers_aside, migrations.RunPython.noop),
        migrations.AddField(model_name="historicaltheme", name="status", field=STATUS),
        migrations.AddField(model_name="theme", name="status", field=STATUS),
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=["proposed", "approved"]),
                name="theme_status_valid",
            ),
        ),
        migrations.RunPython(put_triggers_back, migrations.RunPython.noop),
    ]
