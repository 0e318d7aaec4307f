"""Loading the seed organizations: exact counts, idempotent, atomic, with history."""

import io

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from organizations.models import Organization
from principles.models import Document, Section, Statement

pytestmark = pytest.mark.django_db

EXPECTED = {
    # slug: (sections, statements)
    "california-alliance": (3, 23),
    "vermont-fsd": (3, 14),
    "virginia": (6, 32),
    "california-child-support": (4, 19),
    "maine-cfs": (5, 26),
}


def snapshot():
    models = [Organization, Document, Section, Statement]
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in models)


def empty_database():
    Organization.objects.all().delete()
    assert not Statement.objects.exists()


def test_loading_into_an_empty_database_gives_exactly_the_expected_counts():
    empty_database()
    call_command("load_organizations", stdout=io.StringIO())
    assert Organization.objects.count() == 5
    for slug, (sections, statements) in EXPECTED.items():
        assert Section.objects.filter(document__organization__slug=slug).count() == sections
        assert Statement.objects.filter(document__organization__slug=slug).count() == statements


def test_loading_twice_changes_nothing():
    empty_database()
    call_command("load_organizations", stdout=io.StringIO())
    first = snapshot()
    out = io.StringIO()
    call_command("load_organizations", stdout=out)
    assert snapshot() == first
    assert "Kept virginia" in out.getvalue()


def test_replace_reloads_from_the_fixture_in_place_and_records_history():
    statement = Statement.objects.get(document__organization__slug="virginia", position=2)
    statement.text = "Edited in admin."
    statement.save()
    call_command("load_organizations", "virginia", stdout=io.StringIO())
    statement.refresh_from_db()
    assert statement.text == "Edited in admin."  # edits survive an ordinary load

    call_command("load_organizations", "virginia", "--replace", stdout=io.StringIO())
    reloaded = Statement.objects.get(document__organization__slug="virginia", position=2)
    assert reloaded.pk == statement.pk  # permalinks stay stable
    assert reloaded.text.startswith("Safety comes first.")
    assert reloaded.history.first().history_change_reason == "Reloaded from fixtures/virginia.json"


def test_dry_run_writes_nothing():
    empty_database()
    out = io.StringIO()
    call_command("load_organizations", "--dry-run", stdout=out)
    assert "Would load 5 organization(s)" in out.getvalue()
    assert not Organization.objects.exists()


def test_unknown_slug_is_refused_with_the_known_ones():
    with pytest.raises(CommandError, match=r"No fixture for atlantis\. Known: california-alliance"):
        call_command("load_organizations", "atlantis")


def test_loaded_rows_start_their_history_with_where_they_came_from():
    statement = Statement.objects.get(document__organization__slug="maine-cfs", position=1)
    record = statement.history.earliest()
    assert record.history_type == "+"
    assert record.history_change_reason == "Loaded from fixtures/maine-cfs.json"
