"""The shipped deployment, started on loopback: Debian's nginx with deploy/nginx/practicekb.conf
(TLS with a certificate made on the spot) in front of gunicorn with gunicorn.conf.py.

Used by the deployment test (tests/operations/test_deployment.py) and the abuse run
(`make abuse`), so both exercise the very files an agency installs.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def available():
    return Path(NGINX).exists() and shutil.which("openssl") is not None


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
    """The shipped config, pointed at these ports, certificate and static files."""
    text = (Path(settings.BASE_DIR) / "deploy/nginx/practicekb.conf").read_text()
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = re.sub(r"server \{\n    listen 80;.*?\n\}\n", "", text, count=1, flags=re.S)
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;")
    text = text.replace("    listen [::]:443 ssl;\n", "")
    text = re.sub(r"ssl_certificate .*;", f"ssl_certificate {certificate};", text)
    text = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", text)
    return text.replace("/srv/practicekb/var/staticfiles/", f"{static_root}/")


@contextlib.contextmanager
def shipped_stack(work, env, workers=2, access_log=os.devnull):
    """Start gunicorn and nginx in `work` (a private directory) with the environment `env`
    (production settings; STATIC_ROOT already collected); yield nginx's TLS port."""
    work = Path(work)
    certificate, key = work / "cert.pem", work / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(certificate)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    app_port, tls_port = free_port(), free_port()
    (work / "site.conf").write_text(
        site_config(app_port, tls_port, env["STATIC_ROOT"], certificate, key)
    )
    # started as root, nginx's workers would run as nobody, who cannot read a 0700 directory
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""
        {user}
        pid {work}/nginx.pid;
        error_log {work}/error.log;
        events {{ worker_connections 256; }}
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
        cwd=settings.BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}", "GUNICORN_WORKERS": str(workers),
             "GUNICORN_ACCESS_LOG": str(access_log)},
    )  # fmt: skip
    nginx = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"]
    )
    try:
        wait_for(app_port)
        wait_for(tls_port)
        yield tls_port
    finally:
        nginx.terminate()
        gunicorn.terminate()
        nginx.wait(timeout=20)
        gunicorn.wait(timeout=30)
