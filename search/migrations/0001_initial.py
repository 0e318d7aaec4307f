"""The search index: a table, a GIN index and triggers on PostgreSQL; an FTS5 table and
triggers on SQLite (none where SQLite lacks FTS5). See search/schema.py."""

import django.db.models.deletion
from django.db import migrations, models

import search.models
from search import schema


def install(apps, schema_editor):
    schema.install(schema_editor)


def uninstall(apps, schema_editor):
    schema.uninstall(schema_editor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("principles", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatementText",
            fields=[
                (
                    "statement",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts",
                        serialize=False,
                        to="principles.statement",
                    ),
                ),
                ("title", models.TextField()),
                ("text", models.TextField()),
                ("index", search.models.FtsIndexField(db_column="search_statement_fts")),
                ("rank", models.FloatField()),
            ],
            options={
                "verbose_name": "statement text index",
                "verbose_name_plural": "statement text index",
                "db_table": "search_statement_fts",
                "ordering": ["statement"],
                "managed": False,
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
