"""The PDF renderer reads only the app's own static files: no other scheme, host or folder."""

import pytest

pytest.importorskip("weasyprint")

from weasyprint.urls import FatalURLFetchingError

from sheets.pdf import RefusedURL, StaticFilesFetcher, html_to_pdf

BASE = "http://testserver/"


@pytest.fixture
def fetcher():
    return StaticFilesFetcher(BASE)


def test_the_sites_stylesheet_is_read(fetcher):
    response = fetcher.fetch("http://testserver/static/css/practicekb.css")
    assert response.headers["Content-Type"] == "text/css"
    assert fetcher.static_path("http://testserver/static/css/practicekb.css").is_file()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file://testserver/static/css/practicekb.css",
        "ftp://testserver/static/css/practicekb.css",
        "data:text/css,body{}",
        "http://evil.example/static/css/practicekb.css",
        "https://169.254.169.254/static/css/practicekb.css",
        "http://testserver.evil.example/static/css/practicekb.css",
        "http://testserver/static/../../../../etc/passwd",
        "http://testserver/static/css/../../../../etc/passwd",
        "http://testserver/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "http://testserver/static/css/..%2f..%2f..%2fetc/passwd",
        "http://testserver/static//etc/passwd",
        "http://testserver/etc/passwd",
        "http://testserver/admin/",
    ],
)
def test_anything_else_is_refused(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.static_path(url)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_a_symbolic_link_out_of_the_static_files_is_refused(fetcher, settings, tmp_path):
    root = tmp_path / "collected"
    (root / "css").mkdir(parents=True)
    (root / "css" / "escape.css").symlink_to("/etc/hostname")
    settings.STATIC_ROOT = root
    with pytest.raises(RefusedURL):
        fetcher.static_path("http://testserver/static/css/escape.css")


def test_a_sheet_linking_outside_is_refused_before_anything_is_read(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (
        f'<link rel="stylesheet" href="file://{secret}">'
        '<img src="http://evil.example/x.png"><p>Hello</p>'
    )
    with pytest.raises(FatalURLFetchingError) as failure:
        html_to_pdf(html, base_url=BASE)
    assert isinstance(failure.value.__cause__, RefusedURL)
