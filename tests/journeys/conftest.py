"""Browser tests: Playwright (sync API) drives Debian's Chromium against Django's live_server.

Chromium comes from the system (`apt-get install chromium`), never from `playwright install`.
Without it these tests are skipped locally with a message saying how to enable them; when the
environment variable CI is set they fail instead, so CI never passes without running them.

live_server tests run on a transactional database that Django empties after each test, so
every test gets the seed organizations and the Staff, Editors and Trainers groups that the
data migrations made back (the `seeded` fixture) from a copy of the seeded database taken
after the first load in each worker: on SQLite with the backup API, on PostgreSQL with COPY
of every table (triggers off while it copies back, as the rows already carry what the
triggers made). Loading the seeds again instead costs about 2 s of CPU a test. Django's
serialized rollback cannot do this here: it keeps its copy on the database connection
object, and while Playwright's event loop runs, asgiref hands Django a different connection
object (one per async context), which has no copy.
"""

import io
import os
import shutil
import sqlite3

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, restore_roles

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOW_TO_ENABLE = (
    "Browser tests need Debian's Chromium at /usr/bin/chromium (or PRACTICEKB_CHROMIUM=path): "
    "`apt-get install -y chromium` enables them. Never `playwright install`."
)


def chromium_path():
    wanted = os.environ.get("PRACTICEKB_CHROMIUM", "/usr/bin/chromium")
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which("chromium")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the live_server tests last of all. pytest-django puts transactional tests after the
    others, but pytest's own regrouping by parametrized session fixtures (pytest-playwright's
    browser_name) can move tests back behind them, and those would then find the seed data
    flushed away. The one such test outside the journeys (the API fuzzing, about 15 s) goes
    first among them, so that it does not run alone at the end while the other xdist worker
    waits. A stable sort keeps every other order as it was."""
    items.sort(
        key=lambda item: (
            "live_server" in getattr(item, "fixturenames", ()),
            item.path.parent.name == "journeys",
        )
    )


@pytest.fixture(scope="session")
def orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the main thread, and Django's ORM
    refuses to run there unless told that it is safe (it is: the loop only drives the browser).
    Set from the first browser test on, not at import: subprocesses started by other tests
    (manage.py check --deploy) must not inherit it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def required_chromium():
    """The system's Chromium; skip the test (locally) or fail it (in CI) when there is none."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests. {HOW_TO_ENABLE}", pytrace=False)
        pytest.skip(HOW_TO_ENABLE)
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Decide before any fixture runs: a browser test without Chromium then costs no test
    database and no live server."""
    if "browser_type_launch_args" in getattr(item, "fixturenames", ()):
        required_chromium()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, orm_beside_playwright):
    """Launch the system's Chromium."""
    path = required_chromium()
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-US",
    }


@pytest.fixture
def page(context, live_server):
    """A page that fails its test on any Content-Security-Policy violation or script error:
    the policy forbids inline scripts, style= attributes and inline event handlers."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss()
    )
    yield page
    assert problems == [], problems


@pytest.fixture(scope="session")
def seed_snapshot():
    """The seeded database, copied once per worker so that later tests copy it back rather
    than load the fixtures again."""
    return {}


def _sqlite_copy():
    """The in-memory database's pages (the backup API copies them in milliseconds)."""
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    return copy


def _sqlite_restore(copy):
    copy.backup(connection.connection)


def _postgresql_copy():
    """Each table's rows in COPY's text format, {table: bytes}: every table, those Django
    does not manage too (search_entry, the version counters), but not the migrations'."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            buffer = io.BytesIO()
            cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            rows[table] = buffer.getvalue()
    return rows


def _postgresql_restore(rows):
    """Empty every table and copy the seeded rows back with triggers (and so foreign-key
    checks) off: the rows already hold what the triggers made, and every table comes back
    at once. Sequences stay where they are, ahead of every copied id."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # replica first: statement's TRUNCATE trigger would truncate search_entry in the middle
        # of the TRUNCATE that names it (PostgreSQL refuses), and every table is named anyway
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in rows)} CASCADE")
            for table, data in rows.items():
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.BytesIO(data))
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


SNAPSHOTS = {
    "sqlite": (_sqlite_copy, _sqlite_restore),
    "postgresql": (_postgresql_copy, _postgresql_restore),
}


@pytest.fixture
def seeded(live_server, seed_snapshot):
    """The five seed organizations and the roles, put back into the emptied database."""
    connection.ensure_connection()
    take, put_back = SNAPSHOTS[connection.vendor]
    if "copy" in seed_snapshot:
        put_back(seed_snapshot["copy"])
        # the flush made new content types and permissions; the copy has the seeded ones
        ContentType.objects.clear_cache()
        return
    call_command("load_organizations", verbosity=0, stdout=io.StringIO())
    restore_roles()
    seed_snapshot["copy"] = take()


@pytest.fixture
def signed_in(live_server):
    """Sign a user in without the form (a session made by Django's test client, its cookie
    given to the browser): for tests about a page rather than about signing in, which save
    the sign-in page, the POST and the page after it. The journeys sign in with `sign_in`."""

    def sign(page, user):
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookie = {"name": name, "value": client.cookies[name].value, "url": live_server.url}
        page.context.add_cookies([cookie])

    return sign


def sign_in(page, username, password=PASSWORD, next_url=None):
    """Sign in through the real form, as a person would (then go to next_url, home by default)."""
    page.goto(reverse("accounts:login") + f"?next={next_url or reverse('home')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def role_database(seeded):
    """Role users (tests/conftest.py) go into the live server's freshly seeded database."""
