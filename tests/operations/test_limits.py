"""Bounded work for anonymous requests: canonical addresses, PDFs rendered once, rate limits."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from principles.models import Statement
from tests.conftest import PASSWORD

PDF = reverse("sheets:organization-pdf", kwargs={"slug": "virginia"})


@pytest.mark.parametrize(
    ("path", "canonical"),
    [
        (reverse("home") + "?utm_source=mail", "/"),
        (
            reverse("organizations:detail", kwargs={"slug": "virginia"}) + "?x=1&y=2",
            reverse("organizations:detail", kwargs={"slug": "virginia"}),
        ),
        (reverse("search:search") + "?q=kinship&utm=7", reverse("search:search") + "?q=kinship"),
        (PDF + "?paper=a4&nonce=5", PDF + "?paper=a4"),
    ],
)
def test_unknown_query_parameters_redirect_to_the_canonical_address(client, db, path, canonical):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == canonical


def test_the_comparison_answers_unknown_parameters_with_400_itself(client, db):
    assert (
        client.get(reverse("compare:compare") + "?org=virginia&org=maine-cfs&ref=a").status_code
        == 400
    )


@pytest.mark.usefixtures("page_cache")
def test_random_query_parameters_add_no_cache_entries(client):
    cache = caches["default"]
    assert client.get(reverse("principles:themes")).status_code == 200
    size = cache.size_in_bytes()
    entries = len(cache._cache)
    for n in range(30):
        assert client.get(reverse("principles:themes") + f"?r={n}").status_code == 302
    assert len(cache._cache) == entries
    assert cache.size_in_bytes() == size


@pytest.mark.usefixtures("page_cache")
def test_a_readers_pdf_is_rendered_once_per_content_version(client, renders):
    for _ in range(3):
        response = client.get(PDF)
        assert response.status_code == 200
        assert response.content == b"%PDF-1.7 fake 1"  # the one render, each time
    assert len(renders) == 1
    client.get(PDF + "?paper=a4")  # another address, another PDF
    assert len(renders) == 2
    statement = Statement.objects.filter(document__organization__slug="virginia").first()
    statement.title = "Changed"
    statement.save()
    client.get(PDF)
    assert len(renders) == 3  # new content, new PDF


@pytest.mark.usefixtures("page_cache")
def test_a_signed_in_persons_pdf_is_never_cached(client, renders, staffer):
    client.force_login(staffer)
    client.get(PDF)
    client.get(PDF)
    assert len(renders) == 2


@pytest.mark.usefixtures("page_cache")
def test_while_the_worker_prepares_a_pdf_readers_get_a_page_that_reloads(client, renders, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "similarity"],
        }
    }
    response = client.get(PDF)
    assert response.status_code == 202
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Your PDF is being prepared</h1>" in html
    assert 'http-equiv="refresh"' in html
    assert renders == []


@pytest.fixture
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.PRACTICEKB_TRUSTED_PROXIES = 1
    settings.PRACTICEKB_RATE_LIMITS = {**settings.PRACTICEKB_RATE_LIMITS, "search": "3/m"}
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.usefixtures("limits")
def test_searches_over_the_limit_get_429_with_retry_after(client, db):
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for _ in range(3):
        assert client.get(reverse("search:search") + "?q=kinship", **proxied).status_code == 200
    response = client.get(reverse("search:search") + "?q=kinship", **proxied)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "<h1>Too many requests</h1>" in response.content.decode()
    # another client behind the same proxy is not affected ...
    other = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.get(reverse("search:search") + "?q=kinship", **other).status_code == 200
    # ... and a forged X-Forwarded-For entry left of the proxy's is not believed
    forged = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.5"}
    assert client.get(reverse("search:search") + "?q=kinship", **forged).status_code == 429


@pytest.mark.usefixtures("limits", "page_cache")
def test_a_signed_in_person_s_cached_page_is_not_counted_against_the_limit(client, staffer):
    """Staff of one office share an address; a page kept for them costs less than counting."""
    client.force_login(staffer)
    search = reverse("search:search")
    statuses = [client.get(f"{search}?q=kinship").status_code for _ in range(6)]
    assert statuses == [200] * 6  # one drawn (counted), five from the cache
    drawn = [client.get(f"{search}?q={words}").status_code for words in ("family", "safety", "x")]
    assert drawn == [200, 200, 429]  # the limit (3 a minute) still holds for drawn pages


@pytest.mark.usefixtures("limits")
def test_pdfs_are_limited_per_client(client, db, renders, settings):
    settings.PRACTICEKB_RATE_LIMITS = {**settings.PRACTICEKB_RATE_LIMITS, "pdf": "2/m"}
    address = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert [client.get(PDF, **address).status_code for _ in range(3)] == [200, 200, 429]


def test_signed_in_pages_are_private_and_never_stored(client, staffer):
    anonymous = client.get(reverse("home"))
    assert "private" not in anonymous.get("Cache-Control", "")
    signed_in = client.post(
        reverse("accounts:login"), {"username": "staffer", "password": PASSWORD}
    )
    assert "no-store" in signed_in["Cache-Control"]
    for path in [
        reverse("home"),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("principles:themes"),
        reverse("search:search") + "?q=kinship",
    ]:
        control = client.get(path)["Cache-Control"]
        assert "private" in control and "no-store" in control, path
