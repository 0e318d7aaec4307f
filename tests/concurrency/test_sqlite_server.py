"""`make run` on SQLite: a handful of concurrent writes wait for each other, none fails.

Runs the development server (dev settings, as `make run` does, with the tests' password hasher:
sqlite_server_settings.py) on a fresh SQLite file in a
subprocess and sends 16 theme additions at once: from one person's sixteen tabs, and from
sixteen people, each posting from a page drawn before (the forms' `loaded_at`).
"""

import http.cookiejar
import os
import re
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
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

# one xdist worker starts the server (a module fixture) for both tests
pytestmark = pytest.mark.xdist_group("sqlite-server")
PASSWORD = "a-long-test-passphrase"

SETUP = f"""
from django.contrib.auth.models import Group, User
from organizations.models import Organization
from principles.models import Document, Statement
User.objects.create_superuser("chief", "chief@example.org", "{PASSWORD}")
for n in range(16):
    User.objects.create_user(f"tagger{{n:02d}}", password="{PASSWORD}").groups.add(
        Group.objects.get(name="Staff")
    )
org = Organization.objects.create(name="Org", slug="org", kind="state_agency", jurisdiction="X")
doc = Document.objects.create(organization=org, slug="d", title="D", kind="policy",
                              status="published")
print(Statement.objects.create(document=doc, position=1, kind="value", text="Safe.").pk)
"""


def free_port():
    if os.environ.get("PRACTICEKB_TEST_PORT"):  # a port of one's own, on a shared machine
        return int(os.environ["PRACTICEKB_TEST_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("sqlite-server")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTEST_ADDOPTS")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.concurrency.sqlite_server_settings",
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

    def sign_in(self, username="chief"):
        self.opener.open(f"{self.base}/accounts/login/", timeout=30).read()
        assert self.post(reverse("accounts:login"), username=username, password=PASSWORD) == 302

    def drawn_at(self, path):
        html = self.opener.open(f"{self.base}{path}", timeout=30).read().decode()
        return re.search(r'name="loaded_at" value="([^"]+)"', html).group(1)


def test_sixteen_concurrent_tag_additions_on_sqlite_all_succeed(sqlite_server):
    base, statement, path = sqlite_server
    session = Session(base)  # one person, sixteen tabs
    session.sign_in()

    def add(n):
        return session.post(
            reverse("principles:statement-theme-add", kwargs={"pk": statement}),
            name=f"Theme {n:02d}",
        )

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


def test_sixteen_people_adding_themes_at_once_on_sqlite_all_succeed(sqlite_server):
    base, statement, path = sqlite_server
    people = [Session(base) for _ in range(16)]
    for n, person in enumerate(people):
        person.sign_in(f"tagger{n:02d}")
    pages = [
        person.drawn_at(reverse("principles:statement", kwargs={"pk": statement}))
        for person in people
    ]

    def add(n):
        # half add one theme together, half a theme each
        name = "Shared" if n % 2 else f"Own {n:02d}"
        return people[n].post(
            reverse("principles:statement-theme-add", kwargs={"pk": statement}),
            name=name,
            loaded_at=pages[n],
        )

    before = taggings(path, statement)
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(add, range(16)))

    assert statuses == [302] * 16
    assert taggings(path, statement) - before == 9  # eight of their own, the shared one once


def taggings(path, statement):
    with sqlite3.connect(path) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM principles_taggedstatement WHERE content_object_id = ?",
            (statement,),
        ).fetchone()
    return count
