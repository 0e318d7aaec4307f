"""The open-data releases: built from the content in force, served as JSON and CSV with a
data dictionary, and rebuilt by a task when content changes."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api import opendata
from api.models import DataRelease
from api.signals import SCHEDULED_KEY
from api.tasks import build_open_data
from performance.versioning import TRIGGER
from principles.models import Statement
from tests.conftest import make_organizations

from .conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions_per_statement(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")


def test_a_release_holds_exactly_the_content_in_force(api, virginia):
    _, draft_statement = make_document(virginia, status="draft", slug="draft-model")
    release = opendata.build_release()
    data = json.loads(release.json_data)
    in_force = set(Statement.objects.in_force().values_list("pk", flat=True))
    assert {row["id"] for row in data["statements"]} == in_force
    assert draft_statement.pk not in in_force
    rows = list(csv.DictReader(io.StringIO(release.csv_data)))
    assert {int(row["statement_id"]) for row in rows} == in_force
    assert set(rows[0]) == set(opendata.DATA_DICTIONARY["files"]["csv"]["columns"])
    sample = Statement.objects.in_force().filter(tagged_items__isnull=False).first()
    row = next(row for row in rows if int(row["statement_id"]) == sample.pk)
    assert row["text"].lstrip("'") == sample.text
    assert set(row["themes"].split("|")) == set(sample.tags.values_list("slug", flat=True))


def test_releases_are_listed_and_downloadable(api):
    release = opendata.build_release()
    listing = api.get(reverse("api:open-data")).json()
    assert listing["latest"]["number"] == release.number
    assert listing["latest"]["statement_count"] == Statement.objects.in_force().count()
    as_json = api.get(reverse("api:release-json", args=[release.number]))
    assert as_json.status_code == 200
    assert json.loads(as_json.content)["release"] == release.number
    as_csv = api.get(reverse("api:release-csv", args=[release.number]))
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in as_csv["Content-Disposition"]
    dictionary = api.get(reverse("api:data-dictionary")).json()
    assert "statement_id" in dictionary["files"]["csv"]["columns"]
    assert api.get(reverse("api:release-json", args=[release.number + 5])).status_code == 404


def test_unchanged_content_builds_no_new_release(versions_per_statement):
    assert opendata.build_release() is not None
    assert opendata.build_release() is None
    statement = Statement.objects.in_force().first()
    statement.text += " Amended."
    statement.save()
    newer = opendata.build_release()
    assert newer is not None and newer.number == 2
    assert "Amended." in newer.csv_data


def test_a_content_change_enqueues_one_build(
    settings, versions_per_statement, django_capture_on_commit_callbacks
):
    settings.PRACTICEKB_OPEN_DATA_ON_CHANGE = True
    settings.PRACTICEKB_OPEN_DATA_DEBOUNCE_SECONDS = 300
    cache.delete(SCHEDULED_KEY)
    statements = list(Statement.objects.in_force()[:3])
    with django_capture_on_commit_callbacks(execute=True):
        for statement in statements:  # three saves, one build (the debounce)
            statement.text += " Changed."
            statement.save()
    assert DataRelease.objects.count() == 1  # the immediate backend ran it at once
    with django_capture_on_commit_callbacks(execute=True):
        statements[0].text += " Again."
        statements[0].save()
    assert DataRelease.objects.count() == 1  # within the debounce window: no new build
    cache.delete(SCHEDULED_KEY)


def test_the_command_builds_and_says_so():
    out = io.StringIO()
    call_command("build_open_data", "--dry-run", stdout=out)
    assert "A build is due." in out.getvalue()
    assert not DataRelease.objects.exists()
    call_command("build_open_data", stdout=out)
    assert DataRelease.objects.count() == 1
    call_command("build_open_data", stdout=out)
    assert "Nothing changed" in out.getvalue()
    assert DataRelease.objects.count() == 1


def test_a_release_read_in_chunks_is_the_release_read_at_once(monkeypatch):
    # statements are streamed CHUNK at a time: small chunks list the same, in the same order
    whole = json.loads(opendata.build_release(force=True).json_data)
    monkeypatch.setattr(opendata, "CHUNK", 7)
    chunked = opendata.build_release(force=True)
    assert json.loads(chunked.json_data)["statements"] == whole["statements"]
    assert chunked.statement_count == len(whole["statements"]) > 7
    rows = list(csv.DictReader(io.StringIO(chunked.csv_data)))
    assert [int(row["statement_id"]) for row in rows] == [s["id"] for s in whole["statements"]]


def test_a_release_costs_the_same_queries_for_any_number_of_statements():
    # two per chunk (statements, their themes) beside a constant few: one chunk either way
    def queries():
        with CaptureQueriesContext(connection) as captured:
            opendata.build_release(force=True)
        return len(captured)

    before = queries()
    make_organizations(20)
    assert queries() == before


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_release_in_a_child_process(settings, child_database):
    settings.PRACTICEKB_JOBS_IN_CHILD = True
    make_organizations(1, statements_per_section=1, sections=1)
    said = build_open_data.call()
    release = DataRelease.objects.get()
    assert said == f"Built release {release.number} ({release.statement_count} statements)."
    assert release.statement_count == Statement.objects.in_force().count() > 0
    assert len(json.loads(release.json_data)["statements"]) == release.statement_count
