from django.db import migrations, models


def install(apps, schema_editor):
    from performance.versioning import install_triggers

    ContentVersion = apps.get_model("performance", "ContentVersion")
    ContentVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"version": 1}
    )
    install_triggers(schema_editor.connection.alias)


def uninstall(apps, schema_editor):
    from performance.versioning import TRIGGER, content_tables

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table in content_tables():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
            elif connection.vendor == "sqlite":
                for operation in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{table}_{operation}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS performance_bump_content_version()")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organizations", "0001_initial"),
        ("principles", "0001_initial"),
        ("compare", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField()),
                ("last_bump", models.CharField(blank=True, default="", max_length=80)),
            ],
            options={
                "verbose_name": "content version",
                "verbose_name_plural": "content version",
                "constraints": [models.CheckConstraint(condition=models.Q(id=1), name="content_version_single_row")],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
