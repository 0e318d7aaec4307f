"""Request-level guards: canonical addresses, rate limits, private pages, request ids."""

import re
import time
import uuid

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django_ratelimit.core import get_usage

from .clients import rate_limit_key
from .logs import request_id_var

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Every request gets an id (the proxy's X-Request-ID when it sends a sane one), put in
    every log line (logs.RequestIdFilter) and sent back in the response's X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        request.id = sent if REQUEST_ID.match(sent) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class CanonicalQueryMiddleware:
    """Pages whose answer is cached or costly (PRACTICEKB_QUERY_PARAMETERS) take only their
    own query parameters: any other (?utm_source=..., ?x=random) is answered with a redirect
    to the address without it, so it can neither make a fresh render nor a new cache entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or not request.GET:
            return None
        allowed = settings.PRACTICEKB_QUERY_PARAMETERS.get(request.resolver_match.view_name)
        if allowed is None:
            return None
        if all(name in allowed for name in request.GET):
            return None
        query = request.GET.copy()
        for name in list(query):
            if name not in allowed:
                del query[name]
        location = request.path + (f"?{query.urlencode()}" if query else "")
        response = HttpResponseRedirect(location)
        patch_cache_control(response, max_age=3600, public=True)
        return response


class RateLimitMiddleware:
    """Per-client limits on costly pages (PRACTICEKB_RATE_LIMITED_VIEWS, rates in
    PRACTICEKB_RATE_LIMITS), counted in the cache by django-ratelimit and keyed by the
    client's own address (clients.py). Over the limit: 429 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limited = settings.PRACTICEKB_RATE_LIMITED_VIEWS.get(request.resolver_match.view_name)
        if limited is None:
            return None
        group, methods = limited
        if request.method not in methods:
            return None
        usage = get_usage(
            request,
            group=group,
            key=rate_limit_key,
            rate=settings.PRACTICEKB_RATE_LIMITS[group],
            increment=True,
        )
        if usage is None or not usage["should_limit"]:
            return None
        retry_after = max(1, usage["time_left"])
        response = render(
            request,
            "429.html",
            {"retry_after": retry_after, "minutes": -(-retry_after // 60)},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        patch_cache_control(response, no_store=True)
        return response


class PrivateWhenSignedInMiddleware:
    """A signed-in person's pages (drafts, forms, their sheets) are theirs alone: no shared
    cache or browser history may keep them. Any request carrying a session cookie counts,
    and so does the sign-in that sets one; checking the cookie costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cookie = settings.SESSION_COOKIE_NAME
        if cookie in request.COOKIES or cookie in response.cookies:
            patch_cache_control(response, private=True, no_store=True)
            if "max-age" in response.get("Cache-Control", ""):
                patch_cache_control(response, max_age=0)
        return response


SEEN = "_practicekb_seen"


class IdleTimeoutMiddleware:
    """Signed-in sessions end after SESSION_COOKIE_AGE without a request.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would write to the
    database on every page; instead the expiry is pushed back when the last save is more
    than PRACTICEKB_SESSION_IDLE_REFRESH_SECONDS old, so at most one write in that time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        seen = session.get(SEEN)
        now = int(time.time())
        if seen is not None and now - seen > settings.PRACTICEKB_SESSION_IDLE_REFRESH_SECONDS:
            session[SEEN] = now  # modified: SessionMiddleware saves it with a new expiry
        return response


def mark_seen(sender, request, user, **kwargs):
    """At sign-in: the session's idle clock starts (connected in apps.py)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
