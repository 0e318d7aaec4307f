"""Readers' PDFs, prepared by the worker once per content version and served from a table.

A sheet PDF costs up to tens of seconds of CPU (a five-organization comparison), past
gunicorn's timeout. For anonymous readers (whose PDFs are the same for everyone) the PDF
views never render in the request:

1. the request computes the PDF's key (database, content version, code digest and full
   address: performance.pagecache.page_key) and looks for a PreparedPdf row: one query;
2. a ready row is served as it is (a few milliseconds);
3. without a row, the request inserts one ("preparing": the unique key is the lock, so six
   concurrent requests enqueue one job), enqueues sheets.tasks.prepare_pdf, and answers at
   once with a small "being prepared" page (202, Retry-After, no-store, a meta refresh, no
   JavaScript needed) that reloads itself until the PDF is there;
4. the worker calls the same view for the same address as an anonymous reader, with the
   request marked as the worker's, so it renders and keeps the bytes.

A row "preparing" for longer than PREPARE_SECONDS (the worker died, or none runs) is taken
over by the next request, which enqueues again. A job whose view answers something other
than a PDF (an address that is a 404 or 400) marks the row failed: the next request then
runs the view itself, which answers the same 4xx at once.

Signed-in people's PDFs may show drafts: they are rendered in their own request, never
kept (a signed-in five-organization comparison PDF still blocks its request: see
docs/tasks.md). Where pages are not cached at all (PRACTICEKB_PAGE_CACHE off, or a database
without the content-version triggers), every PDF renders in the request, as before.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from performance import pagecache, versioning

from .models import PreparedPdf, PreparedPdfState

# A job not done in this long is presumed lost: the next request enqueues another.
PREPARE_SECONDS = 300
# Set on the worker's own request: render the PDF here, do not enqueue.
WORKER_ATTRIBUTE = "_preparing_pdf"


def _enabled(request):
    return (
        settings.PRACTICEKB_PAGE_CACHE
        and versioning.has_triggers()
        and pagecache.is_cacheable_request(request)
    )


def pdf_key(request):
    return pagecache.page_key(request, f"pdf {versioning.current_version()}")


def prepared_pdf(view):
    """Serve a PDF view's readers from PreparedPdf, preparing it on the worker first."""

    @wraps(view)
    def wrapper(request, *args, as_pdf=False, **kwargs):
        if not as_pdf or getattr(request, WORKER_ATTRIBUTE, False) or not _enabled(request):
            return view(request, *args, as_pdf=as_pdf, **kwargs)
        response = serve_or_prepare(request)
        if response is None:  # the worker could not make a PDF of this address
            return view(request, *args, as_pdf=as_pdf, **kwargs)
        return response

    return wrapper


def serve_or_prepare(request):
    """The prepared PDF, or the "being prepared" page (enqueuing the job if none is under
    way), or None when the job failed."""
    key = pdf_key(request)
    row = _row(key)
    if (row is None or _lost(row)) and _claim(key, row):
        from .tasks import prepare_pdf

        prepare_pdf.enqueue(key, request.build_absolute_uri())
        row = _row(key)  # a backend that runs tasks at once has prepared it already
    if row is not None and row["state"] == PreparedPdfState.READY:
        response = HttpResponse(bytes(row["body"]), content_type="application/pdf")
        response["Content-Disposition"] = row["disposition"]
        return response
    if row is not None and row["state"] == PreparedPdfState.FAILED:
        return None
    return being_prepared(request)


def _row(key):
    fields = ("state", "body", "disposition", "requested_at")
    return PreparedPdf.objects.filter(pk=key).values(*fields).first()


def _stale():
    return timezone.now() - datetime.timedelta(seconds=PREPARE_SECONDS)


def _lost(row):
    return row["state"] == PreparedPdfState.PREPARING and row["requested_at"] < _stale()


def _claim(key, row):
    """Insert the "preparing" row (or take over a lost one); False if another request did."""
    now = timezone.now()
    if row is not None:  # one request takes the lost job over: the others see it renewed
        lost = PreparedPdf.objects.filter(
            pk=key, state=PreparedPdfState.PREPARING, requested_at=row["requested_at"]
        )
        return bool(lost.update(requested_at=now))
    try:
        with transaction.atomic():
            PreparedPdf.objects.create(key=key, requested_at=now)
    except IntegrityError:
        return False  # another request claimed it a moment ago
    return True


def being_prepared(request):
    retry_after = settings.PRACTICEKB_PDF_RETRY_SECONDS
    path = request.path
    page_url = path[: -len("sheet.pdf")] + "sheet/" if path.endswith("sheet.pdf") else "/"
    query = request.META.get("QUERY_STRING", "")
    response = render(
        request,
        "sheets/pdf_being_prepared.html",
        {"retry_after": retry_after, "page_url": f"{page_url}?{query}" if query else page_url},
        status=202,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
