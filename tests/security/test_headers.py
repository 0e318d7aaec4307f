"""Security headers on every page, the Content-Security-Policy, and the production settings."""

import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.foundation.test_settings import run_manage

from .conftest import public_paths


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_every_main_page_sends_the_security_headers(client, kinship_statement, staffer):
    client.force_login(staffer)
    for path in public_paths(kinship_statement):
        response = client.get(path)
        assert response.status_code in (200, 302, 404), path  # signed in: login redirects
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        policy = csp_directives(response)
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["base-uri"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert "unsafe-inline" not in response["Content-Security-Policy"], path


def test_pdfs_and_errors_carry_the_policy_too(client, db):
    assert "Content-Security-Policy" in client.get(
        reverse("sheets:theme", kwargs={"slug": "kinship"}) + "?paper=tabloid"
    )
    response = client.get(reverse("sheets:theme-pdf", kwargs={"slug": "kinship"}))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_may_apply_only_one_hashed_style_attribute(client, editor):
    """django-simple-history's history list has one style= attribute that no template block
    can remove; admin alone allows exactly that one, by hash, and still no inline script."""
    client.force_login(editor)
    policy = csp_directives(client.get(reverse("admin:index")))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == [
        "'self'",
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # "border-top: 0"
    ]
    assert "unsafe-inline" not in client.get(reverse("admin:login"))["Content-Security-Policy"]


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline <script>, <style>, style= and on...=."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{name}= on <{tag}>" for name in names if name == "style"]
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]
        self.found += [
            f"javascript: URL on <{tag}>"
            for name, value in attrs
            if name in ("href", "src", "action") and (value or "").strip().startswith("javascript:")
        ]


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("who", ["anonymous", "staffer", "trainer", "editor"])
def test_pages_have_no_inline_script_style_or_event_handler(
    client, request, kinship_statement, who
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for path in [*public_paths(kinship_statement), reverse("sheets:list")]:
        response = client.get(path)
        if response.status_code == 302:  # /sheets/ for anonymous users: sign in first
            continue
        assert inline_code(response.content.decode()) == [], path


def test_the_inline_code_finder_finds_inline_code():
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:alert(1)">x</a><style>p{}</style><script src="/a.js"></script>'
    )
    assert inline_code(html) == [
        "inline <script>",
        "style= on <p>",
        "onclick= on <p>",
        "javascript: URL on <a>",
        "<style> element",
    ]


def test_production_settings_harden_transport_cookies_and_framing():
    result = run_manage(
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT',"
        " 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE',"
        " 'CSRF_COOKIE_HTTPONLY', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY',"
        " 'X_FRAME_OPTIONS', 'DEBUG']}))",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["CSRF_COOKIE_SECURE"] is values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DEBUG"] is False


@pytest.mark.xdist_group("production-static")  # beside test_deployment: one collectstatic
def test_production_answers_https_with_hsts_and_secure_httponly_cookies(collected_static):
    """A real request through the production settings' middleware (sign-in page, no DB)."""
    # production serves hashed static names from a manifest: collected as a deploy would
    static_root = {"STATIC_ROOT": str(collected_static)}
    script = (
        "from django.test import Client; import json;"
        " r = Client().get('/accounts/login/', secure=True, HTTP_HOST='practicekb.example.org');"
        " c = r.cookies['csrftoken'];"
        " print(json.dumps({'status': r.status_code, 'hsts': r.get('Strict-Transport-Security'),"
        " 'csp': r.get('Content-Security-Policy'), 'secure': c['secure'],"
        " 'httponly': c['httponly'], 'plain': Client().get('/accounts/login/',"
        " HTTP_HOST='practicekb.example.org').status_code}))"
    )
    result = run_manage("shell", "-c", script, **static_root)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["status"] == 200
    assert values["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "unsafe-inline" not in values["csp"] and "script-src 'self'" in values["csp"]
    assert values["secure"] is True and values["httponly"] is True
    assert values["plain"] == 301  # plain http is sent to https
