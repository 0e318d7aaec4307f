"""Readiness for load balancers, and the error page that tells a database outage apart."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

DATABASE_FAULTS = (OperationalError, InterfaceError)


def database_unavailable(request):
    """503 with Retry-After and the site's own page, rendered without the database: no
    request context (whose user and sheets would query it), so the page shows no account."""
    html = render_to_string("503.html")
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.PRACTICEKB_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500. A database that cannot be reached is an outage, not a bug: 503.

    Django hands every uncaught exception, from a view or from any middleware (the page
    cache reads the content version before the view runs), to this handler while the
    exception is being handled, so sys.exc_info() names it; a middleware's
    process_exception would see only the views' own.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_FAULTS):
        logger.error("Database unavailable: %s", exception)
        return database_unavailable(request)
    try:
        return defaults.server_error(request, template_name)
    except Exception:  # the error page itself failed: a plain answer beats none
        logger.exception("The 500 page could not be rendered")
        return HttpResponseServerError("Server error", content_type="text/plain")


def check_database():
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches["default"]
    if hasattr(cache, "ping"):
        cache.ping()


@login_not_required  # load balancers do not sign in
@never_cache
@require_safe
def readyz(request):
    """'ready' when the database and the cache answer, else 503 naming what does not."""
    failures = []
    for name, check in (("database", check_database), ("cache", check_cache)):
        try:
            check()
        except Exception as exc:  # any failure means "not ready", whatever its kind
            logger.warning("Readiness: the %s is unavailable (%s)", name, exc)
            failures.append(name)
    if failures:
        response = HttpResponse(
            f"unavailable: {', '.join(failures)}\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(settings.PRACTICEKB_RETRY_AFTER_SECONDS)
        return response
    return HttpResponse("ready\n", content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for by that name, is a static file (nginx serves it
    itself in deploy/nginx/)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
