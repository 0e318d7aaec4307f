"""ETags from the content version, 304s, Cache-Control, and throttling (429 + Retry-After)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from performance.versioning import TRIGGER
from principles.models import Statement

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions_per_statement(db):
    """On PostgreSQL the version triggers run at COMMIT, which a test never reaches: make
    them run at the end of each statement (as tests/performance does)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")


def test_etag_and_304_until_content_changes(api, versions_per_statement):
    url = reverse("api:statements") + "?organization=virginia"
    first = api.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first["Cache-Control"] == "public, max-age=60"
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    statement = Statement.objects.in_force().filter(document__organization__slug="virginia").first()
    statement.text += " Amended."
    statement.save()
    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_304_reads_only_the_content_version(api, django_assert_num_queries):
    url = reverse("api:statements")
    etag = api.get(url)["ETag"]
    with django_assert_num_queries(1):
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_etags_differ_by_address_and_audience(api, editor):
    url = reverse("api:statements")
    reader = api.get(url)["ETag"]
    assert api.get(url + "?kind=value")["ETag"] != reader
    as_editor = client_for(editor).get(url)
    assert as_editor["ETag"] != reader
    assert "private" in as_editor["Cache-Control"]
    assert as_editor["Vary"] == "Authorization, Cookie"


def test_errors_and_writes_are_not_stored(api):
    assert "no-store" in api.get(reverse("api:statement", args=[999999]))["Cache-Control"]


@pytest.fixture
def limited(settings):
    settings.RATELIMIT_ENABLE = True
    settings.PRACTICEKB_API_RATES = {"anonymous": "3/m", "user": "5/m"}
    cache.clear()
    yield
    cache.clear()


def test_anonymous_clients_are_throttled_by_address(api, limited):
    url = reverse("api:organizations")
    for _ in range(3):
        assert api.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = api.get(url, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["status"] == 429
    assert (
        body["detail"]
        == f"Too many requests from this client. Try again in {refused['Retry-After']} seconds."
    )
    # another address is counted on its own
    assert api.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200


def test_the_proxys_forwarded_address_is_the_client(api, limited, settings):
    settings.PRACTICEKB_TRUSTED_PROXIES = 1
    url = reverse("api:organizations")
    for n in range(3):
        # a forged left-hand entry changes nothing: the proxy's own entry is read
        forwarded = f"10.0.0.{n}, 198.51.100.1"
        assert api.get(url, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    assert api.get(url, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1").status_code == 429
    assert api.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_token_users_have_their_own_allowance(staffer, limited):
    client = client_for(staffer)
    url = reverse("api:organizations")
    for _ in range(5):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.get(url).status_code == 429
