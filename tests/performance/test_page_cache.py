"""Readers' pages come from the cache until the content behind them changes; signed-in
people get only their own page (tests/performance/test_signed_in_pages.py); browsers
revalidate with ETags."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.urls import reverse

from compare.models import StatementSimilarity
from organizations.models import Organization
from performance.versioning import current_version
from principles.models import Statement, TaggedStatement, Theme

pytestmark = pytest.mark.django_db

SLUGS = ["virginia", "maine-cfs", "vermont-fsd", "california-alliance", "california-child-support"]
COMPARE = reverse("compare:compare") + "?" + "&".join(f"org={slug}" for slug in SLUGS)


@pytest.fixture
def theme(kinship_statement):
    theme = Theme.objects.create(name="Cache test", slug="cache-test", status="approved")
    kinship_statement.tags.add(theme)
    return theme


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (200, 304), url
    return response


def pages_for(statement, theme):
    return [
        "/",
        reverse("organizations:list"),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse(
            "organizations:document",
            kwargs={"slug": "virginia", "document_slug": statement.document.slug},
        ),
        statement.get_absolute_url(),
        reverse("principles:themes"),
        theme.get_absolute_url(),
        reverse("search:search") + "?q=kinship",
        COMPARE,
    ]


def test_a_second_visit_is_served_from_the_cache_in_one_query(
    client, page_cache, kinship_statement, theme, django_assert_num_queries
):
    for url in pages_for(kinship_statement, theme):
        first = get(client, url)
        assert first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(1):  # the content version, nothing else
            second = get(client, url)
        assert second["X-Page-Cache"] == "hit", url
        assert second.content == first.content, url
        assert second["ETag"] == first["ETag"]


def test_without_the_cache_a_page_runs_its_own_queries(client, kinship_statement, theme):
    # the setting off (as in the other tests): no header, no ETag, no stored page
    response = get(client, kinship_statement.get_absolute_url())
    assert "X-Page-Cache" not in response and "ETag" not in response


def test_editing_a_statement_changes_every_page_that_shows_it(
    client, page_cache, kinship_statement, theme
):
    urls = [
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        kinship_statement.get_absolute_url(),
        theme.get_absolute_url(),
    ]
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Page-Cache"] == "hit"
    kinship_statement.text = "Kin come first when a child cannot stay home: an edited sentence."
    kinship_statement.save()
    for url in urls:
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "an edited sentence" in response.content.decode(), url


def test_tagging_and_renaming_a_theme_change_the_pages(
    client, page_cache, kinship_statement, theme
):
    other = Statement.objects.get(document__organization__slug="maine-cfs", position=3)
    theme_page = theme.get_absolute_url()
    assert other.get_absolute_url() not in get(client, theme_page).content.decode()
    other.tags.add(theme)  # bulk_create underneath: no model signal, the trigger sees it
    assert other.get_absolute_url() in get(client, theme_page).content.decode()

    get(client, kinship_statement.get_absolute_url())
    Theme.objects.filter(pk=theme.pk).update(name="Renamed cache test")  # no signal either
    assert (
        "Renamed cache test" in get(client, kinship_statement.get_absolute_url()).content.decode()
    )
    assert "Renamed cache test" in get(client, theme_page).content.decode()

    TaggedStatement.objects.filter(content_object=other, tag=theme).delete()
    assert other.get_absolute_url() not in get(client, theme_page).content.decode()


def test_organization_and_similarity_changes_change_the_pages(
    client, page_cache, kinship_statement
):
    assert "Virginia Children" in get(client, "/").content.decode()
    Organization.objects.filter(slug="virginia").update(name="Commonwealth of Virginia CSS")
    assert "Commonwealth of Virginia CSS" in get(client, "/").content.decode()

    before = current_version()
    StatementSimilarity.objects.filter(statement=kinship_statement).delete()
    assert current_version() != before


def test_conditional_get_answers_304_until_the_content_changes(
    client, page_cache, kinship_statement, django_assert_num_queries
):
    url = kinship_statement.get_absolute_url()
    first = get(client, url)
    etag = first["ETag"]
    assert etag.startswith('"') and "no-cache" in first["Cache-Control"]
    with django_assert_num_queries(1):
        revalidated = get(client, url, if_none_match=etag)
    assert revalidated.status_code == 304
    assert revalidated["ETag"] == etag and revalidated.content == b""

    kinship_statement.title = "A new title"
    kinship_statement.save()
    changed = get(client, url, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "A new title" in changed.content.decode()
    # another page's ETag does not match this one
    assert (
        get(client, reverse("principles:themes"), if_none_match=changed["ETag"]).status_code == 200
    )


def test_signed_in_people_get_only_their_own_page(client, page_cache, kinship_statement):
    staff = Group.objects.get(name="Staff")
    alice = User.objects.create_user("alice-h10", password="pw")
    alice.groups.add(staff)
    bob = User.objects.create_user("bob-h10", password="pw")
    url = kinship_statement.get_absolute_url()

    anonymous = get(client, url)
    assert get(client, url)["X-Page-Cache"] == "hit"
    assert "alice-h10" not in anonymous.content.decode()

    client.force_login(alice)
    page = get(client, url)
    assert page["X-Page-Cache"] == "miss" and "ETag" not in page
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "alice-h10" in html and 'name="name"' in html  # her add-a-theme form
    assert get(client, url)["X-Page-Cache"] == "hit"
    # her page is hers: Bob, then an anonymous reader, get their own
    client.force_login(bob)
    html = get(client, url).content.decode()
    assert "bob-h10" in html and "alice-h10" not in html and 'name="name"' not in html
    client.logout()
    client.cookies.clear()
    html = get(client, url).content.decode()
    assert "alice-h10" not in html and "bob-h10" not in html


def test_a_reader_with_a_message_waiting_gets_a_fresh_page(client, page_cache, kinship_statement):
    url = kinship_statement.get_absolute_url()
    get(client, url)
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in get(client, url)


def test_error_pages_are_not_cached(client, page_cache):
    assert (
        client.get(reverse("organizations:detail", kwargs={"slug": "atlantis"})).status_code == 404
    )
    assert "X-Page-Cache" not in client.get(
        reverse("organizations:detail", kwargs={"slug": "atlantis"})
    )
    for _ in range(2):
        response = client.get(reverse("compare:compare") + "?org=virginia")
        assert response.status_code == 400 and "X-Page-Cache" not in response


def test_a_bulk_write_bumps_the_version(page_cache, kinship_statement):
    before = current_version()
    Statement.objects.filter(document=kinship_statement.document).update(label="")
    assert current_version() > before


@pytest.fixture
def near_and_far(settings, page_cache):
    """Two page caches as with Redis: this process's memory first, then the shared one."""
    settings.CACHES = {
        **settings.CACHES,
        "near": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "n"},
        "far": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "f"},
    }
    settings.PRACTICEKB_PAGE_CACHES = ["near", "far"]
    near, far = caches["near"], caches["far"]
    near.clear()
    far.clear()
    yield near, far
    near.clear()
    far.clear()


def test_a_page_is_kept_near_and_far_and_a_far_hit_is_copied_near(
    client, near_and_far, kinship_statement, django_assert_num_queries
):
    near, far = near_and_far
    url = kinship_statement.get_absolute_url()
    first = get(client, url)
    # without `near`, the page comes from `far` (stored there too) and is copied near;
    # then without `far`, it comes from that copy
    for forget in (near, far):
        forget.clear()
        with django_assert_num_queries(1):
            again = get(client, url)
        assert again["X-Page-Cache"] == "hit" and again.content == first.content


def test_a_nearer_copy_is_never_served_after_an_edit(client, near_and_far, kinship_statement):
    url = kinship_statement.get_absolute_url()
    get(client, url)
    Statement.objects.filter(pk=kinship_statement.pk).update(text="Kinship placements come first.")
    fresh = get(client, url)
    assert fresh["X-Page-Cache"] == "miss"
    assert b"Kinship placements come first." in fresh.content
