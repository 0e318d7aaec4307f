"""A write invalidates exactly the cached pages that show what it changed (issue 17): the
statement, its organization, its themes, search, comparisons that include the
organization, and home when counts change; every other page stays cached."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from compare.models import StatementSimilarity
from organizations.models import Organization
from performance import versioning
from principles.models import Statement, Theme
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

OTHERS = ["maine-cfs", "vermont-fsd", "california-alliance"]


@pytest.fixture
def scene(db):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    bystander = Statement.objects.get(document__organization__slug="maine-cfs", position=3)
    mine = Theme.objects.create(name="Scoped mine", slug="scoped-mine", status="approved")
    other = Theme.objects.create(name="Scoped other", slug="scoped-other", status="approved")
    statement.tags.add(mine)
    bystander.tags.add(other)
    added = Theme.objects.create(name="Scoped added", slug="scoped-added", status="approved")
    return statement, bystander, mine, other, added


def pages(statement, bystander, mine, other):
    with_virginia = reverse("compare:compare") + "?org=virginia&org=maine-cfs"
    without = reverse("compare:compare") + "?" + "&".join(f"org={slug}" for slug in OTHERS)
    changed = {
        "statement": statement.get_absolute_url(),
        "organization": reverse("organizations:detail", kwargs={"slug": "virginia"}),
        "document": reverse(
            "organizations:document",
            kwargs={"slug": "virginia", "document_slug": statement.document.slug},
        ),
        "its theme": mine.get_absolute_url(),
        "search": reverse("search:search") + "?q=kinship",
        "comparison with it": with_virginia,
    }
    unchanged = {
        "other statement": bystander.get_absolute_url(),
        "other organization": reverse("organizations:detail", kwargs={"slug": "maine-cfs"}),
        "other theme": other.get_absolute_url(),
        "comparison without it": without,
    }
    return changed, unchanged


def warm(client, urls):
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit", url


def cache_states(client, urls):
    return {name: client.get(url)["X-Page-Cache"] for name, url in urls.items()}


def test_a_tag_invalidates_exactly_the_pages_that_show_it(client, page_cache, scene):
    statement, bystander, mine, other, added = scene
    changed, unchanged = pages(statement, bystander, mine, other)
    summaries = {
        "home": "/",
        "theme list": reverse("principles:themes"),
        "organization list": reverse("organizations:list"),
    }
    warm(client, [*changed.values(), *unchanged.values(), *summaries.values()])

    statement.tags.add(added)  # bulk_create underneath: the triggers see it

    assert cache_states(client, changed) == dict.fromkeys(changed, "miss")
    assert cache_states(client, unchanged) == dict.fromkeys(unchanged, "hit")
    # a tagging changes theme counts: home and the theme list show them
    assert cache_states(client, summaries) == dict.fromkeys(summaries, "miss")
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Scoped added" in page
    assert statement.get_absolute_url() in client.get(added.get_absolute_url()).content.decode()


def test_a_proposed_theme_changes_signed_in_pages_and_leaves_readers_pages_cached(
    client, page_cache, scene
):
    """Readers see approved themes only: staff proposing one while tagging changes no page
    of theirs, while the staff member's own pages show it at once."""
    statement, bystander, mine, other, _added = scene
    changed, _unchanged = pages(statement, bystander, mine, other)
    proposed = Theme.objects.create(name="Scoped proposed", slug="scoped-proposed")
    assert proposed.status == "proposed"
    warm(client, changed.values())
    staff = Client()
    staff.force_login(make_user("staff-proposing", "Staff"))
    link = f'href="{proposed.get_absolute_url()}"'
    for _ in range(2):  # drawn, then from the cache
        assert link not in staff.get(statement.get_absolute_url()).content.decode()

    statement.tags.add(proposed)

    assert cache_states(client, changed) == dict.fromkeys(changed, "hit")
    assert link in staff.get(statement.get_absolute_url()).content.decode()
    organization = staff.get(changed["organization"])
    assert organization["X-Page-Cache"] == "miss" and link in organization.content.decode()
    # approving it writes the theme: now readers' pages show it
    Theme.objects.filter(pk=proposed.pk).update(status="approved")
    assert cache_states(client, changed) == dict.fromkeys(changed, "miss")
    assert link in client.get(statement.get_absolute_url()).content.decode()


def test_an_edit_of_the_text_invalidates_its_pages_and_leaves_home_cached(
    client, page_cache, scene
):
    statement, bystander, mine, other, _ = scene
    changed, unchanged = pages(statement, bystander, mine, other)
    warm(client, [*changed.values(), *unchanged.values(), "/"])

    Statement.objects.filter(pk=statement.pk).update(text="Kin first: a scoped edit.")

    assert cache_states(client, changed) == dict.fromkeys(changed, "miss")
    assert cache_states(client, unchanged) == dict.fromkeys(unchanged, "hit")
    assert (
        client.get(reverse("home"))["X-Page-Cache"] == "hit"
    )  # not a mission: home does not show it
    for url in (changed["statement"], changed["organization"], changed["its theme"]):
        assert "Kin first: a scoped edit." in client.get(url).content.decode(), url


def test_an_edit_shows_on_the_pages_that_list_it_as_similar(client, page_cache, scene):
    statement, bystander, *_ = scene
    StatementSimilarity.objects.create(statement=bystander, other=statement, score=0.9)
    url = bystander.get_absolute_url()
    warm(client, [url])
    Statement.objects.filter(pk=statement.pk).update(text="Kin first: seen from elsewhere.")
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Kin first: seen from elsewhere." in response.content.decode()


def test_a_similarity_change_invalidates_both_statements_and_their_comparisons(
    client, page_cache, scene
):
    statement, bystander, _mine, _other, _ = scene
    urls = {
        "statement": statement.get_absolute_url(),
        "similar one": bystander.get_absolute_url(),
        "comparison": reverse("compare:compare") + "?org=virginia&org=maine-cfs",
    }
    unrelated = {
        "comparison": reverse("compare:compare") + "?org=vermont-fsd&org=california-alliance"
    }
    warm(client, [*urls.values(), *unrelated.values()])
    StatementSimilarity.objects.filter(statement=statement).delete()
    StatementSimilarity.objects.create(statement=statement, other=bystander, score=0.95)
    assert cache_states(client, urls) == dict.fromkeys(urls, "miss")
    assert cache_states(client, unrelated) == dict.fromkeys(unrelated, "hit")


def test_renaming_an_organization_changes_every_page(client, page_cache, scene):
    statement, bystander, mine, other, _ = scene
    _changed, unchanged = pages(statement, bystander, mine, other)
    warm(client, [*unchanged.values()])
    Organization.objects.filter(slug="maine-cfs").update(name="Maine, renamed")
    assert cache_states(client, unchanged) == dict.fromkeys(unchanged, "miss")


def test_a_bulk_text_edit_bumps_its_scopes_and_not_global(page_cache, scene):
    statement, *_ = scene
    before = dict(versioning.versions(["org:virginia", "search", f"st:{statement.pk}"]))
    Statement.objects.filter(document=statement.document).update(title="Bulk")
    after = dict(versioning.versions(["org:virginia", "search", f"st:{statement.pk}"]))
    assert after["global"] == before["global"]  # text, not structure
    for scope in ("org:virginia", "search", f"st:{statement.pk}"):
        assert after[scope] > before[scope], scope


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps its row triggers")
def test_a_bulk_write_bumps_global_once_instead_of_each_rows_scopes(page_cache, scene):
    statement, bystander, *_ = scene
    scopes = [f"st:{statement.pk}", f"st:{bystander.pk}", "sim:virginia", "sim:maine-cfs"]
    before = dict(versioning.versions(scopes))
    with versioning.bulk_write():
        StatementSimilarity.objects.create(statement=statement, other=bystander, score=0.9)
        StatementSimilarity.objects.create(statement=bystander, other=statement, score=0.9)
    middle = dict(versioning.versions(scopes))
    assert middle["global"] > before["global"]  # every page goes
    assert {scope: middle[scope] for scope in scopes} == {scope: before[scope] for scope in scopes}

    # after the block the same transaction's writes bump their own scopes again
    StatementSimilarity.objects.filter(statement=statement).delete()
    after = dict(versioning.versions(scopes))
    assert after["global"] == middle["global"]
    assert after[f"st:{statement.pk}"] > middle[f"st:{statement.pk}"]
    assert after["sim:virginia"] > middle["sim:virginia"]
