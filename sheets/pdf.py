"""Render a sheet's HTML to PDF with WeasyPrint, reading static files from disk.

The fetcher answers only /static/ URLs, from STATIC_ROOT (hashed names after collectstatic)
or the static finders, so rendering a PDF never makes a network request.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticFilesFetcher(URLFetcher):
    def __init__(self):
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = urlsplit(url).path
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not path.startswith(prefix):
            raise ValueError(f"Sheets load only static files, not {url}")
        name = path[len(prefix) :]
        collected = Path(settings.STATIC_ROOT) / name
        found = collected if collected.is_file() else finders.find(name)
        if not found:
            raise FileNotFoundError(f"No static file {name}")
        content_type = mimetypes.guess_type(str(found))[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def html_to_pdf(html, base_url):
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf()
