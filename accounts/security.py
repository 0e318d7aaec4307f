"""Security helpers: the sign-in lockout page (django-axes) and admin's one CSP exception."""

import base64
import hashlib
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render

# django-simple-history's history list, which admin's History pages extend, renders
# <p class="paginator" style="border-top: 0"> outside any template block, so no override can
# drop it. Admin pages alone may apply exactly these style attributes (a hash, with
# 'unsafe-hashes'), nothing else: no inline scripts, no other inline styles.
ADMIN_STYLE_ATTRIBUTES = ["border-top: 0"]


def csp_hash(text):
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


class AdminStyleHashesMiddleware:
    """Adds the hashes above to style-src on /admin/ responses. Listed after django-csp's
    middleware, so that it marks the response before django-csp writes the header."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.update = {
            "style-src": ["'unsafe-hashes'", *(csp_hash(s) for s in ADMIN_STYLE_ATTRIBUTES)]
        }

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/admin/"):
            response._csp_update = self.update
        return response


def lockout_response(request, original_response=None, credentials=None):
    """A plain page, status 429, saying why sign-in is refused and for how long."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
