"""Create the Staff, Editors and Trainers groups with their permissions (accounts/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of accounts.roles at the time of this migration: later changes to roles.py
# come with their own migration.
GROUPS = {
    "Staff": [
        ("principles", "add_taggedstatement"),
        ("principles", "delete_taggedstatement"),
        ("principles", "add_theme"),
    ],
    "Editors": [
        *[("organizations", f"{a}_organization") for a in ("add", "change", "view")],
        *[("principles", f"{a}_document") for a in ("add", "change", "view")],
        *[
            ("principles", f"{a}_{model}")
            for model in ("section", "statement", "theme", "taggedstatement")
            for a in ("add", "change", "delete", "view")
        ],
    ],
    "Trainers": [],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran (post_migrate); make sure
    # the ones this migration grants exist already on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.add(*permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("organizations", "0001_initial"),
        ("principles", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
