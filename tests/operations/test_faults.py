"""Degrade, don't fail: a database outage is a 503 with Retry-After on the site's own page;
a Redis that is stopped or hung costs a page nothing but its cache."""

import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

CACHED = reverse("organizations:detail", kwargs={"slug": "virginia"})
UNCACHED = reverse(
    "sheets:organization", kwargs={"slug": "virginia"}
)  # sheets are not in the page cache


@pytest.fixture
def server_client():
    """A client that gets the response a browser would, not the exception behind it."""
    return Client(raise_request_exception=False)


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in html
    assert 'class="skip-link"' in html  # the site's own layout
    assert "Traceback" not in html


@pytest.mark.usefixtures("page_cache")
def test_a_page_already_cached_is_503_while_the_database_is_down(
    server_client, django_db_blocker, request
):
    assert server_client.get(CACHED).status_code == 200
    assert server_client.get(CACHED)["X-Page-Cache"] == "hit"
    request.getfixturevalue("database_down")
    assert_unavailable(server_client.get(CACHED))


@pytest.mark.usefixtures("page_cache", "database_down")
@pytest.mark.parametrize(
    "path", [UNCACHED, reverse("search:search") + "?q=kinship", reverse("organizations:list")]
)
def test_pages_are_503_with_retry_after_while_the_database_is_down(server_client, path):
    assert_unavailable(server_client.get(path))


@pytest.mark.usefixtures("db", "database_down")
def test_readyz_is_503_and_healthz_ok_while_the_database_is_down(server_client):
    ready = server_client.get(reverse("readyz"))
    assert ready.status_code == 503
    assert "database" in ready.content.decode()
    assert server_client.get(reverse("healthz")).status_code == 200


@pytest.mark.django_db
def test_readyz_is_ready_when_everything_answers(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert "no-cache" in response["Cache-Control"]


def timed_get(client, path):
    start = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - start


@pytest.mark.usefixtures("page_cache")
@pytest.mark.parametrize("fault", ["redis_stopped", "redis_hung"])
def test_pages_are_normal_within_a_second_when_redis_is_stopped_or_hung(client, request, fault):
    """Each page costs at most a second more than rendering it with a healthy (empty)
    cache: the fault adds no error and no long wait. (Compared with a healthy render, not
    with a fixed time, so that a busy machine does not fail the test.)"""
    paths = [CACHED, reverse("principles:themes"), reverse("search:search") + "?q=kinship"]
    healthy = {}
    for path in paths:
        client.get(path)  # compiled templates and imports first
        caches["default"].clear()
        healthy[path] = timed_get(client, path)[1]
    request.getfixturevalue(fault)
    for path in [*paths, CACHED]:
        response, seconds = timed_get(client, path)
        assert response.status_code == 200, path
        assert seconds < healthy[path] + 1.0, (
            f"{path}: {seconds:.2f} s, {healthy[path]:.2f} s healthy"
        )


@pytest.mark.usefixtures("db")
@pytest.mark.parametrize("fault", ["redis_stopped", "redis_hung"])
def test_readyz_is_503_when_redis_is_stopped_or_hung(client, request, fault):
    request.getfixturevalue(fault)
    response, seconds = timed_get(client, reverse("readyz"))
    assert response.status_code == 503
    assert "cache" in response.content.decode()
    assert seconds < 1.0
