"""Members of Editors reach admin: give those who are in the group today "staff status", as
accounts.signals now does whenever someone joins it."""

from django.db import migrations


def editors_are_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    User.objects.filter(groups__name="Editors", is_staff=False).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_roles")]

    operations = [migrations.RunPython(editors_are_staff, migrations.RunPython.noop)]
