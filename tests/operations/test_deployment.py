"""The shipped deployment, run: Debian's nginx with deploy/nginx/practicekb.conf (TLS with a
certificate made here, on loopback ports) in front of gunicorn with gunicorn.conf.py and
production settings. Skipped where nginx is not installed (.ci/run installs it)."""

import gzip
import http.client
import os
import re
import sqlite3
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from operations import deployment

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not deployment.available(), reason="needs nginx and openssl"),
    # one xdist worker builds the shipped stack and the collected static files (`make test`
    # runs --dist loadgroup)
    pytest.mark.xdist_group("production-static"),
]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory, collected_static):
    work = tmp_path_factory.mktemp("deployment")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practicekb.settings.prod",
        "SECRET_KEY": "deployment-test-" + "k3Yq9" * 10,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "STATIC_ROOT": str(collected_static),
        "CACHE_URL": "",
        "REDIS_URL": "",
        "ADMIN_TWO_FACTOR": "false",
        "TRUSTED_PROXIES": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    with deployment.shipped_stack(work, env, access_log=work / "access.log") as port:
        yield {"port": port, "database": work / "db.sqlite3"}


def fetch(shipped, path, method="GET", body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "localhost", shipped["port"], context=context, timeout=30
    )
    connection.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def test_html_is_compressed_and_carries_the_security_headers(shipped):
    response, content = fetch(
        shipped, reverse("organizations:list"), headers={"Accept-Encoding": "gzip"}
    )
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    html = gzip.decompress(content).decode()
    assert "<h1" in html
    assert "max-age=31536000" in response.getheader("Strict-Transport-Security")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Request-ID")
    assert response.getheader("Server") == "nginx"  # no version: server_tokens off


def test_static_files_are_served_by_nginx_compressed_and_cached_long(shipped):
    _, content = fetch(shipped, "/")
    stylesheet = re.search(r'href="(/static/css/practicekb\.[0-9a-f]+\.css)"', content.decode())
    assert stylesheet, "the manifest's hashed name is in the page"
    response, body = fetch(shipped, stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert b"body" in gzip.decompress(body)
    icon, _ = fetch(shipped, reverse("favicon"))
    assert icon.status == 200 and "icon" in icon.getheader("Content-Type")


def test_collectstatic_leaves_out_what_no_page_uses(collected_static):
    """Swagger UI is collected; Redoc and the browsable API's assets are not
    (operations/staticfiles.py), and source maps have no compressed copies (settings)."""
    assert (collected_static / "drf_spectacular_sidecar" / "swagger-ui-dist").is_dir()
    assert not (collected_static / "drf_spectacular_sidecar" / "redoc").exists()
    assert not (collected_static / "rest_framework").exists()
    assert list(collected_static.rglob("*.js.map"))
    assert not list(collected_static.rglob("*.map.gz")) + list(collected_static.rglob("*.map.br"))


def test_the_login_throttle_sees_the_clients_address_not_the_proxys(shipped):
    page, content = fetch(shipped, reverse("accounts:login"))
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode())[1]
    response, _ = fetch(
        shipped,
        reverse("accounts:login"),
        method="POST",
        body=f"csrfmiddlewaretoken={token}&username=nobody&password=wrong-guess",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": "https://localhost/accounts/login/",  # nginx passes Host without the port
            # forged by the client: nginx appends the real address after it
            "X-Forwarded-For": "203.0.113.99",
        },
    )
    assert response.status == 200
    with sqlite3.connect(shipped["database"]) as database:
        rows = database.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = 'nobody'"
        ).fetchall()
    assert rows == [("127.0.0.1",)]  # the address nginx saw, not the forged one


def test_readyz_answers_through_the_proxy(shipped):
    response, content = fetch(shipped, reverse("readyz"))
    assert response.status == 200
    assert content == b"ready\n"
