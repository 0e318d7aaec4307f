"""The shipped deployment, run: Debian's nginx with deploy/nginx/practicekb.conf (TLS with a
certificate made here, on loopback ports) in front of gunicorn with gunicorn.conf.py and
production settings. Skipped where nginx is not installed (.ci/run installs it)."""

import gzip
import http.client
import os
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists() or not shutil.which("openssl"), reason="needs nginx and openssl"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing answered on port {port}")


def site_config(app_port, tls_port, static_root, certificate, key):
    """The shipped config, pointed at this test's ports, certificate and static files."""
    text = (ROOT / "deploy/nginx/practicekb.conf").read_text()
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", text, count=1, flags=re.S)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;")
    text = text.replace("    listen [::]:443 ssl;\n", "")
    text = re.sub(r"ssl_certificate .*;", f"ssl_certificate {certificate};", text)
    text = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", text)
    return text.replace("/srv/practicekb/var/staticfiles/", f"{static_root}/")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    work = tmp_path_factory.mktemp("deployment")
    static_root = work / "static"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practicekb.settings.prod",
        "SECRET_KEY": "deployment-test-" + "k3Yq9" * 10,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "STATIC_ROOT": str(static_root),
        "CACHE_URL": "",
        "REDIS_URL": "",
        "ADMIN_TWO_FACTOR": "false",
        "TRUSTED_PROXIES": "1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([*manage, *command, "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    certificate, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    app_port, tls_port = free_port(), free_port()
    (work / "site.conf").write_text(site_config(app_port, tls_port, static_root, certificate, key))
    # started as root, nginx's workers would run as nobody, who cannot read pytest's 0700 tmp
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""
        {user}
        pid {work}/nginx.pid;
        error_log {work}/error.log;
        events {{ worker_connections 64; }}
        http {{
            include /etc/nginx/mime.types;
            access_log off;
            client_body_temp_path {work}/body;
            proxy_temp_path {work}/proxy;
            fastcgi_temp_path {work}/fastcgi;
            uwsgi_temp_path {work}/uwsgi;
            scgi_temp_path {work}/scgi;
            include {work}/site.conf;
        }}
        """
    )
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": "2",
             "GUNICORN_ACCESS_LOG": str(work / "access.log")},
    )  # fmt: skip
    nginx = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"]
    )
    try:
        wait_for(app_port)
        wait_for(tls_port)
        yield {"port": tls_port, "database": work / "db.sqlite3"}
    finally:
        nginx.terminate()
        gunicorn.terminate()
        nginx.wait(timeout=20)
        gunicorn.wait(timeout=30)


def fetch(deployment, path, method="GET", body=None, headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "localhost", deployment["port"], context=context, timeout=30
    )
    connection.request(method, path, body=body, headers={"Host": "localhost", **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def test_html_is_compressed_and_carries_the_security_headers(deployment):
    response, content = fetch(deployment, "/organizations/", headers={"Accept-Encoding": "gzip"})
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


def test_static_files_are_served_by_nginx_compressed_and_cached_long(deployment):
    _, content = fetch(deployment, "/")
    stylesheet = re.search(r'href="(/static/css/practicekb\.[0-9a-f]+\.css)"', content.decode())
    assert stylesheet, "the manifest's hashed name is in the page"
    response, body = fetch(deployment, stylesheet[1], headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert b"body" in gzip.decompress(body)
    icon, _ = fetch(deployment, "/favicon.ico")
    assert icon.status == 200 and "icon" in icon.getheader("Content-Type")


def test_the_login_throttle_sees_the_clients_address_not_the_proxys(deployment):
    page, content = fetch(deployment, "/accounts/login/")
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content.decode())[1]
    response, _ = fetch(
        deployment,
        "/accounts/login/",
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
    with sqlite3.connect(deployment["database"]) as database:
        rows = database.execute(
            "SELECT ip_address FROM axes_accessattempt WHERE username = 'nobody'"
        ).fetchall()
    assert rows == [("127.0.0.1",)]  # the address nginx saw, not the forged one


def test_readyz_answers_through_the_proxy(deployment):
    response, content = fetch(deployment, "/readyz")
    assert response.status == 200
    assert content == b"ready\n"
