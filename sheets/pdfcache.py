"""PDFs for readers, rendered once per content version and served from the cache.

A sheet PDF costs up to seconds of CPU. For anonymous readers (whose PDFs are the same for
everyone) the bytes are kept in the default cache under the page cache's key (content
version, code digest, full URL), so a PDF is rendered once per content version. While one
request renders a PDF, the others for the same address get a short "being prepared" page
that reloads itself, instead of rendering it again alongside.
Signed-in people's PDFs may show drafts: they are rendered each time, never cached.
"""

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from performance import pagecache, versioning

RENDER_LOCK_SECONDS = 60


def _enabled(request):
    return (
        settings.PRACTICEKB_PAGE_CACHE
        and versioning.has_triggers()
        and pagecache.is_cacheable_request(request)
    )


def cached_pdf(request, render_pdf):
    """The PDF's bytes, from the cache or rendered now (and kept); None while another
    request renders the same PDF."""
    if not _enabled(request):
        return render_pdf()
    cache = caches["default"]
    key = "pdf:" + pagecache.page_key(request, versioning.current_version())
    body = cache.get(key)
    if body is not None:
        return body
    lock = f"{key}:rendering"
    if not cache.add(lock, 1, RENDER_LOCK_SECONDS):
        return None
    try:
        body = render_pdf()
        if len(body) <= settings.PRACTICEKB_PDF_CACHE_MAX_BYTES:
            cache.set(key, body, settings.PRACTICEKB_PAGE_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return body


def being_prepared(request, content):
    retry_after = settings.PRACTICEKB_PDF_RETRY_SECONDS
    response = render(
        request,
        "sheets/pdf_being_prepared.html",
        {"content": content, "retry_after": retry_after},
        status=503,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
