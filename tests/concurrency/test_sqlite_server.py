"""`make run` on SQLite: a handful of concurrent writes wait for each other, none fails.

Runs the development server (dev settings, as `make run` does) on a fresh SQLite file in a
subprocess and sends 16 theme additions at once from one signed-in person.
"""

import http.cookiejar
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-test-passphrase"

SETUP = f"""
from django.contrib.auth.models import User
from organizations.models import Organization
from principles.models import Document, Statement
User.objects.create_superuser("chief", "chief@example.org", "{PASSWORD}")
org = Organization.objects.create(name="Org", slug="org", kind="state_agency", jurisdiction="X")
doc = Document.objects.create(organization=org, slug="d", title="D", kind="policy",
                              status="published")
print(Statement.objects.create(document=doc, position=1, kind="value", text="Safe.").pk)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sqlite_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_ADDOPTS")}
    env.update(
        DJANGO_SETTINGS_MODULE="practicekb.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        PRACTICEKB_PAGE_CACHE="false",
    )
    manage = [sys.executable, "manage.py"]
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "check": True}
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], timeout=120, **run)
    statement = subprocess.run([*manage, "shell", "-c", SETUP], timeout=60, **run).stdout
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    # wait for it to answer (a loaded machine may take many seconds), or to have exited
    deadline = time.monotonic() + 120
    while server.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    yield base, int(statement.strip().splitlines()[-1]), tmp_path / "run.sqlite3"
    server.terminate()
    server.wait(timeout=10)


class Session:
    """A browser of one: cookies, the CSRF token, no redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect()
        )

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path, **data):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        try:
            return self.opener.open(f"{self.base}{path}", body, timeout=60).status
        except urllib.error.HTTPError as exc:
            return exc.code

    def sign_in(self):
        self.opener.open(f"{self.base}/accounts/login/", timeout=30).read()
        assert self.post("/accounts/login/", username="chief", password=PASSWORD) == 302


def test_sixteen_concurrent_tag_additions_on_sqlite_all_succeed(sqlite_server):
    base, statement, path = sqlite_server
    session = Session(base)  # one person, sixteen tabs
    session.sign_in()

    def add(n):
        return session.post(f"/statements/{statement}/themes/", name=f"Theme {n:02d}")

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(add, range(16)))

    assert statuses == [302] * 16  # every addition answered with its redirect, none failed
    with sqlite3.connect(path) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM principles_taggedstatement WHERE content_object_id = ?",
            (statement,),
        ).fetchone()
        (journal,) = db.execute("PRAGMA journal_mode").fetchone()
    assert count == 16
    assert journal == "wal"
