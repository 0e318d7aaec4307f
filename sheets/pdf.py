"""Render a sheet's HTML to PDF with WeasyPrint, reading static files from disk.

The fetcher answers only this site's /static/ URLs (http or https, the request's own host),
from STATIC_ROOT (hashed names after collectstatic) or the static finders, and only files
whose resolved path stays inside those folders: no other scheme (file:, data:, ftp:), no
other host, no `..` or symbolic link out. Rendering a PDF never makes a network request
and never reads a file that is not one of the app's own static files.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A URL the sheet fetcher will not load."""


def static_roots():
    """STATIC_ROOT and every folder the static finders read (STATICFILES_DIRS, apps' static/),
    resolved."""
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            if getattr(storage, "location", None):
                roots.append(Path(storage.location))
    return [root.resolve() for root in roots]


class StaticFilesFetcher(URLFetcher):
    def __init__(self, base_url):
        super().__init__(fail_on_errors=True)
        self.host = urlsplit(base_url).netloc

    def static_path(self, url):
        """The resolved file a URL names, or RefusedURL / FileNotFoundError."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            raise RefusedURL(f"Sheets load only this site's static files, not {url}")
        path = unquote(parts.path)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not path.startswith(prefix) or "\\" in path or "\x00" in path:
            raise RefusedURL(f"Sheets load only this site's static files, not {url}")
        name = path[len(prefix) :]
        if any(part in ("", ".", "..") for part in name.split("/")):
            raise RefusedURL(f"Sheets load only plain static file names, not {url}")
        collected = Path(settings.STATIC_ROOT) / name
        found = collected if collected.is_file() else finders.find(name)
        if not found:
            raise FileNotFoundError(f"No static file {name}")
        resolved = Path(found).resolve()
        if not any(resolved.is_relative_to(root) for root in static_roots()):
            raise RefusedURL(f"{url} resolves outside the static files")
        return resolved

    def fetch(self, url, headers=None):
        found = self.static_path(url)
        content_type = mimetypes.guess_type(str(found))[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=found.read_bytes(), headers={"Content-Type": content_type}
        )


# Tagged PDF (PDF/UA-1): a structure tree, the document's language (<html lang>) and its
# title (<title>, shown as the window title), so screen readers can read the sheet in order.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html, base_url):
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher(base_url)).write_pdf(
        pdf_variant=PDF_VARIANT
    )
