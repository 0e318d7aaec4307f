from django.db import migrations, models


def install(apps, schema_editor):
    # the triggers of this single version were replaced by scoped ones (0002), which
    # install their own
    ContentVersion = apps.get_model("performance", "ContentVersion")
    ContentVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"version": 1}
    )


def uninstall(apps, schema_editor):
    pass  # 0002 drops the triggers this migration once installed


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
