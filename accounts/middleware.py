"""Reading is open by default; a setting closes every page but sign-in to anonymous users."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredForReadingMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, switched by a setting read on every request.

    The sign-in pages are exempt through Django's own login_not_required marks; admin keeps
    its own sign-in page, and static files stay reachable so the sign-in page has its styles.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(settings, "PRACTICEKB_LOGIN_REQUIRED_FOR_READING", False):
            return None
        if request.path_info.startswith(self.exempt_prefixes()):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    @staticmethod
    def exempt_prefixes():
        return ("/admin/", f"/{settings.STATIC_URL.lstrip('/')}")
