"""Shared fixtures: the five seed organizations are loaded once per test database."""

import fcntl
import os

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings

from organizations.models import Organization
from principles.models import Document, Section, Statement, TaggedStatement, Theme

# The role groups the data migrations made, {name: [(app_label, codename), ...]}, read when
# the test database is set up: a transactional test's flush empties the groups table, and
# the migrations do not run again to refill it (restore_roles puts them back).
ROLES = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_organizations", verbosity=0)
        ROLES.update(
            (group.name, list(group.permissions.values_list("content_type__app_label", "codename")))
            for group in Group.objects.all()
        )


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The static files as production collects them (hashed names, a manifest, gzip and
    brotli copies), collected once per run and shared by every test and xdist worker that
    needs them: compressing them costs about 50 s of CPU each time. Read-only."""
    from tests.foundation.test_settings import run_manage

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's directory, above each worker's own
    target = shared / "collected-static"
    with open(shared / "collected-static.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker collects, the other waits
        if not (target / "staticfiles.json").exists():
            # a guard against a hang: on a saturated machine this has taken over 5 minutes
            collected = run_manage(
                "collectstatic", "--noinput", timeout=1200, STATIC_ROOT=str(target)
            )
            assert collected.returncode == 0, collected.stderr
    return target


@pytest.fixture(autouse=True)
def _no_held_similarity_corpus():
    """compare.services keeps the corpus of a committed refresh for the next one; a test's
    rolled-back data must not reach the next test that way."""
    from compare.services import forget_held_corpus

    forget_held_corpus()
    yield
    forget_held_corpus()


# Tasks wait in the DummyBackend's queue instead of running at once (the test settings').
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "similarity"],
    }
}


@pytest.fixture
def child_database(monkeypatch):
    """A child process (operations.children) opens this test's database: PostgreSQL only
    (SQLite's test database lives in this process's memory). The test must commit what the
    child reads: django_db(transaction=True)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a child process cannot open the in-memory SQLite test database")
    database = connection.settings_dict
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
    )


@pytest.fixture
def queue():
    """The DummyBackend's queue, emptied: enqueued tasks wait there (nothing runs)."""
    from django_tasks import task_backends

    with override_settings(TASKS=DUMMY_TASKS):
        backend = task_backends["default"]
        backend.clear()
        yield backend


@pytest.fixture
def renders(monkeypatch):
    """Count PDF renders (and skip WeasyPrint: the bytes do not matter here). The n-th render
    answers b"%PDF-1.7 fake n"."""
    calls = []

    def fake_pdf(html, base_url):
        calls.append(base_url)
        return b"%PDF-1.7 fake " + str(len(calls)).encode()

    monkeypatch.setattr("sheets.pdf.html_to_pdf", fake_pdf)
    return calls


def restore_roles():
    """Put back any role group a flush emptied away, with the permissions it had."""
    for name, wanted in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            which = Q(pk__in=[])
            for app_label, codename in wanted:
                which |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.set(Permission.objects.filter(which))


PASSWORD = "a-long-test-passphrase"


def make_user(username, *groups, **fields):
    """A user signing in with PASSWORD, in the named role groups (accounts/roles.py)."""
    restore_roles()
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def role_database(db):
    """The database the role users below are made in (the browser tests' is their own)."""


# One name, one user, everywhere in the suite. Users with other rights have their own names
# (`superuser` and `document_changer` below, tests/browse's `draft_reader`, tests/tagging's
# `reader` and `chooser`).


@pytest.fixture
def staffer(role_database):
    """In the Staff group: tags statements."""
    return make_user("staffer", "Staff")


@pytest.fixture
def trainer(role_database):
    """In the Trainers group: builds sheets."""
    return make_user("trainer", "Trainers")


@pytest.fixture
def editor(role_database):
    """In the Editors group, with staff status: edits content in the admin."""
    return make_user("editor", "Editors", is_staff=True)


@pytest.fixture
def superuser(db):
    """Django's superuser: every permission."""
    return User.objects.create_superuser("chief", "chief@example.org", "pw")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def document_changer(db):
    """Staff who may change documents (and so read drafts), but not add them."""
    user = User.objects.create_user("document-changer", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_document", "view_document"])
    )
    return user


# One name, one statement: tests that need "a statement" name which one they mean.


@pytest.fixture
def kinship_statement(db):
    """Virginia's guiding principle 5 on kinship placement (its themes include Kinship)."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


@pytest.fixture
def safe_children_statement(db):
    """Vermont's "All children have the right to be safe."."""
    return Statement.objects.get(
        document__organization__slug="vermont-fsd", text="All children have the right to be safe."
    )


@pytest.fixture
def virginia(db):
    return Organization.objects.get(slug="virginia")


@pytest.fixture
def maine(db):
    return Organization.objects.get(slug="maine-cfs")


def make_organizations(count, *, statements_per_section=4, sections=3, start=0):
    """Generate `count` organizations, each with one published document, sections,
    statements (a mission first) and two themes per statement."""
    themes = [
        Theme.objects.get_or_create(
            slug=f"generated-theme-{n}", defaults={"name": f"Gen {n}", "status": "approved"}
        )[0]
        for n in range(5)
    ]
    created = []
    for n in range(start, start + count):
        organization = Organization.objects.create(
            name=f"Generated Agency {n}",
            slug=f"generated-agency-{n}",
            kind="state_agency",
            jurisdiction=f"State {n % 7}",
        )
        document = Document.objects.create(
            organization=organization,
            slug="practice-model",
            title=f"Practice Model {n}",
            kind="practice_model",
            status="published",
            effective_date="2020-01-01",
        )
        position = 1
        Statement.objects.create(
            document=document, position=position, kind="mission", text=f"Mission {n}."
        )
        for s in range(1, sections + 1):
            section = Section.objects.create(document=document, position=s, heading=f"H {s}")
            for _ in range(statements_per_section):
                position += 1
                statement = Statement.objects.create(
                    document=document,
                    section=section,
                    position=position,
                    kind="guiding_principle",
                    label=f"{position}.",
                    text=f"Generated principle {n}-{position} about family safety.",
                )
                TaggedStatement.objects.bulk_create(
                    [
                        TaggedStatement(content_object=statement, tag=themes[position % 5]),
                        TaggedStatement(content_object=statement, tag=themes[(position + 1) % 5]),
                    ]
                )
        created.append(organization)
    return created


@pytest.fixture
def many_organizations(db):
    """Fifty more organizations, to show that a page's query count does not grow."""
    return make_organizations(50)
