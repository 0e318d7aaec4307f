"""Admin's People page: add a person with their role in one step; see everyone's roles and
whether admin is open to them (membership in Editors opens it: accounts.signals)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group

from . import roles

User = get_user_model()

ROLE_HELP = {
    roles.STAFF: "Staff: read, search and tag statements with themes; propose new themes.",
    roles.TRAINERS: "Trainers: read and print principle sheets.",
    roles.EDITORS: "Editors: keep the content right in admin (this opens admin to them).",
}


class PersonCreationForm(AdminUserCreationForm):
    """Django's add-user form, with the person's name, address and role."""

    role = forms.ModelChoiceField(
        queryset=Group.objects.filter(name__in=list(ROLE_HELP)).order_by("name"),
        required=False,
        empty_label="(no role yet)",
        help_text=" ".join(ROLE_HELP.values()),
    )

    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


class PeopleAdmin(UserAdmin):
    add_form = PersonCreationForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    ("first_name", "last_name"),
                    "email",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]
    list_display = ["username", "full_name", "email", "role_names", "admin_access", "is_active"]
    list_filter = ["groups", "is_staff", "is_active", "is_superuser"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="name", ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description="admin access", boolean=True, ordering="is_staff")
    def admin_access(self, user):
        return user.is_staff

    @admin.display(description="roles")
    def role_names(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role = form.cleaned_data.get("role") if not change else None
        if role is not None:
            form.instance.groups.add(role)  # Editors: staff status follows (signals)


def register(site):
    if site.is_registered(User):
        site.unregister(User)
    site.register(User, PeopleAdmin)
