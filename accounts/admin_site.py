"""The admin site, with TOTP two-factor sign-in for staff when the deployment asks for it.

PRACTICEKB_ADMIN_TWO_FACTOR (on in production settings, off elsewhere) makes admin ask for
a one-time code from the staff member's authenticator app (django-otp's TOTP devices) after
the password, and refuse anyone whose sign-in was not verified that way. Read on every
request, so one process serves either way. docs/operations.md says how to enrol staff.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def two_factor():
    return getattr(settings, "PRACTICEKB_ADMIN_TWO_FACTOR", False)


class PracticekbAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

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
