"""Who may do what through the API: the same checks as the pages, in one place.

- Reading: everyone (unless PRACTICEKB_LOGIN_REQUIRED_FOR_READING closes the site); readers
  see content in force and superseded versions at their address, editors also drafts and
  retired documents (principles.models.can_see_unpublished).
- Tagging: the permissions the statement page's theme forms check (principles.views).
- Crosswalk review: compare.links.REVIEW_PERMISSION (Editors, Reviewers), as the pages.
- Sheets: creating and adding needs sheets.add_sheet (Trainers, Editors), changing one
  needs Sheet.can_change (its owner, or an editor), as on the sheet pages.
"""

from django.conf import settings
from rest_framework import permissions

from compare.links import REVIEW_PERMISSION
from principles.models import can_see_unpublished
from principles.views import ADD_PERMISSION, CREATE_THEME_PERMISSION, REMOVE_PERMISSION

SHEET_BUILD_PERMISSION = "sheets.add_sheet"

__all__ = [
    "ADD_PERMISSION",
    "CREATE_THEME_PERMISSION",
    "REMOVE_PERMISSION",
    "REVIEW_PERMISSION",
    "SHEET_BUILD_PERMISSION",
    "can_see_unpublished",
]


def is_editor(user):
    return can_see_unpublished(user)


class ReadOpen(permissions.BasePermission):
    """Reading follows the site: open, unless the site requires signing in to read."""

    message = "Sign in, or send a personal API token, to read practicekb."

    def has_permission(self, request, view):
        if not getattr(settings, "PRACTICEKB_LOGIN_REQUIRED_FOR_READING", False):
            return True
        return bool(request.user and request.user.is_authenticated)


class HasPermission(permissions.BasePermission):
    """The signed-in user holds the Django permission the view names for this method."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        needed = view.write_permissions.get(request.method)
        if needed is None:
            return True
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return user.has_perm(needed)


def may_add_theme(user):
    return user.is_authenticated and user.has_perm(ADD_PERMISSION)


def may_create_theme(user):
    return user.is_authenticated and user.has_perm(CREATE_THEME_PERMISSION)


def may_change_sheet(user, sheet):
    return sheet.can_change(user)
