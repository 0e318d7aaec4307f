"""Trainers build sheets; Editors may also change or delete anyone's sheet."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Trainers": ["add_sheet", "view_sheet"],
    "Editors": ["add_sheet", "change_sheet", "delete_sheet", "view_sheet"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate): create this app's now.
    app_config = apps.get_app_config("sheets")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="sheets", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    sheet_permissions = Permission.objects.filter(content_type__app_label="sheets")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*sheet_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("sheets", "0001_initial"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
