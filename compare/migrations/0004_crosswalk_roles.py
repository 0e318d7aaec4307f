"""Editors review the crosswalk (confirm, reject, add links); a new Reviewers group may do
only that (compare.links.may_review checks compare.add_crosswalklink)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editors": ["add_crosswalklink", "change_crosswalklink", "delete_crosswalklink", "view_crosswalklink"],
    "Reviewers": ["add_crosswalklink", "change_crosswalklink", "delete_crosswalklink", "view_crosswalklink"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate): create this app's now.
    app_config = apps.get_app_config("compare")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="compare", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    links = Permission.objects.filter(
        content_type__app_label="compare", codename__endswith="_crosswalklink"
    )
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*links)
    Group.objects.filter(name="Reviewers", permissions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compare", "0003_crosswalk_links"),
        ("accounts", "0001_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
