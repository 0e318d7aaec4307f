"""The admin site, with TOTP two-factor sign-in for staff when the deployment asks for it.

PRACTICEKB_ADMIN_TWO_FACTOR (on in production settings, off elsewhere) makes admin ask for
a one-time code from the staff member's authenticator app (django-otp's TOTP devices) after
the password, and refuse anyone whose sign-in was not verified that way. Read on every
request, so one process serves either way. docs/operations.md says how to enrol staff.
"""

import fnmatch

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import AdminSite
from django.urls import NoReverseMatch, reverse
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def two_factor():
    return getattr(settings, "PRACTICEKB_ADMIN_TWO_FACTOR", False)


class PracticekbAdminSite(OTPAdminSite):
    """practicekb's admin: the product's name, an index grouped by task (TASK_GROUPS)."""

    index_title = "The editors' workspace"

    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def site_header(self):
        return site_name()

    @property
    def site_title(self):
        return f"{site_name()} admin"

    def login(self, request, extra_context=None):
        # Someone signed in whom admin refuses is told why, not only "not authorized"
        if request.method == "GET" and request.user.is_authenticated:
            reason = why_no_admin(request.user)
            if reason:
                messages.warning(request, reason)
        return super().login(request, extra_context)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        return grouped_by_task(app_list, request)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if two_factor() else None

    @login_form.setter
    def login_form(self, value):  # OTPAdminSite sets a class attribute; the property decides
        pass

    @property
    def login_template(self):
        return OTPAdminSite.login_template if two_factor() else None

    @login_template.setter
    def login_template(self, value):
        pass

    def has_permission(self, request):
        if two_factor():
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)


# The admin index groups what editors do by task, not by Django app. Each entry names a
# model ("app_label.ModelName", or "app_label.*" for all of an app's) or one of the pages
# below; a model no group names is listed after them under its app, so nothing is lost.
TASK_GROUPS = [
    (
        "content",
        "Content",
        [
            "organizations.Organization",
            "principles.Document",
            "principles.Section",
            "principles.Statement",
            "page:import",
        ],
    ),
    ("vocabulary", "Vocabulary", ["page:vocabulary", "principles.Theme"]),
    ("crosswalk", "Crosswalk", ["compare.*"]),
    ("sheets", "Sheets", ["sheets.*"]),
    ("people", "People", ["auth.User", "auth.Group", "otp_totp.*", "otp_static.*"]),
    ("reports", "Reports", ["page:revised-documents", "principles.Revision", "api.*"]),
]

# Names the index gives models whose own names say less to editors.
TASK_NAMES = {"auth.User": "People", "auth.Group": "Roles"}

# Pages that are not a model's list: (name, url name, permission needed).
TASK_PAGES = {
    "page:import": ("Import from text", "transfer:import", "principles.add_document"),
    "page:vocabulary": (
        "Theme proposals and duplicates",
        "admin:principles_theme_review",
        "principles.change_theme",
    ),
    "page:revised-documents": (
        "Revised documents report",
        "principles:revisions",
        "principles.change_document",
    ),
}


def why_no_admin(user):
    """Why admin stays closed to a signed-in user, in plain words (None if it is open)."""
    if not user.is_active:
        return "Your account is switched off. Ask an administrator to switch it on."
    if not user.is_staff:
        return (
            f"You are signed in as {user.get_username()}, but your account does not have the "
            "Editor role, which opens the editors' workspace. Ask an administrator to give "
            "you the Editor role (People, in admin)."
        )
    return None


def site_name():
    """The product's name in admin's header and titles (the public site's, from settings)."""
    return getattr(settings, "PRACTICEKB_SITE_NAME", "practicekb")


def grouped_by_task(app_list, request):
    """Admin's app list (Django's dicts) regrouped as TASK_GROUPS, empty groups left out."""
    models = {}
    for app in app_list:
        for model in app["models"]:
            models[f"{app['app_label']}.{model['object_name']}"] = (app, model)
    index = reverse("admin:index")
    groups, placed = [], set()
    for slug, name, entries in TASK_GROUPS:
        rows = []
        for entry in entries:
            if entry in TASK_PAGES:
                page = task_page(entry, request)
                if page is not None:
                    rows.append(page)
                continue
            for key, (_app, model) in models.items():
                if key not in placed and fnmatch.fnmatchcase(key, entry):
                    rows.append({**model, "name": TASK_NAMES.get(key, model["name"])})
                    placed.add(key)
        if rows:
            groups.append(
                {
                    "name": name,
                    "app_label": slug,
                    "app_url": f"{index}#{slug}",
                    "has_module_perms": True,
                    "models": rows,
                }
            )
    for app in app_list:
        rest = [m for m in app["models"] if f"{app['app_label']}.{m['object_name']}" not in placed]
        if rest:
            groups.append({**app, "models": rest})
    return groups


def task_page(entry, request):
    name, url_name, permission = TASK_PAGES[entry]
    if not request.user.has_perm(permission):
        return None
    try:
        url = reverse(url_name)
    except NoReverseMatch:  # the app that serves it is not installed
        return None
    return {
        "name": name,
        "object_name": entry.removeprefix("page:").replace("-", "_"),
        "admin_url": url,
        "add_url": None,
        "view_only": True,
        "perms": {"view": True},
    }
