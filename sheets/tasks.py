"""The worker's PDF job (django-tasks, queue "default"): see sheets.pdfcache."""

import datetime
import io
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_tasks import task

from operations.children import ChildFailed, jobs_in_child, run_command

from .models import PreparedPdf, PreparedPdfState
from .pdfcache import WORKER_ATTRIBUTE

logger = logging.getLogger(__name__)


def reader_request(url):
    """A GET of `url` by an anonymous reader, as the web server would have handed it over."""
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if secure else 80)),
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme,
        "wsgi.input": io.BytesIO(),
    }
    if settings.SECURE_PROXY_SSL_HEADER:  # the proxy's word for the scheme, as it says it
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value if secure else parts.scheme
    request = WSGIRequest(environ)
    request.user = AnonymousUser()
    setattr(request, WORKER_ATTRIBUTE, True)
    return request


@task()
def prepare_pdf(key, url):
    """Render the PDF that a reader asked for at `url` and keep it under `key`, in a child
    process (`manage.py prepare_pdf`, operations.children): WeasyPrint with its fonts and a
    layout would otherwise stay in the worker (185 MB after one comparison, 95 MB without)."""
    if not jobs_in_child():
        return prepare(key, url)
    try:
        return run_command("prepare_pdf", key, url)
    except ChildFailed:
        PreparedPdf.objects.filter(pk=key).update(state=PreparedPdfState.FAILED)
        raise


def prepare(key, url):
    """Render the PDF at `url` as an anonymous reader would get it; keep it under `key`.
    Returns "ready" or "failed" (a 4xx, or not a PDF)."""
    request = reader_request(url)
    try:
        match = resolve(request.path_info)
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
    except (Resolver404, Http404, PermissionDenied, BadRequest, SuspiciousOperation):
        response = None  # the reader's own request will answer the same 4xx
    except Exception:
        PreparedPdf.objects.filter(pk=key).update(state=PreparedPdfState.FAILED)
        raise
    is_pdf = response is not None and response.status_code == 200
    if not is_pdf or response.get("Content-Type") != "application/pdf":
        PreparedPdf.objects.filter(pk=key).update(state=PreparedPdfState.FAILED)
        return "failed"
    PreparedPdf.objects.update_or_create(
        pk=key,
        defaults={
            "state": PreparedPdfState.READY,
            "body": response.content,
            "disposition": response.get("Content-Disposition", ""),
            "ready_at": timezone.now(),
        },
    )
    prune()
    return "ready"


def prune():
    """Drop prepared PDFs older than a cached page lives (their content version is past)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.PRACTICEKB_PAGE_CACHE_SECONDS)
    PreparedPdf.objects.filter(requested_at__lt=cutoff).delete()
