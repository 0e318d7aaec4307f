"""The ceiling view and the theme page's pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Statement, Theme
from principles.views import THEME_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_when_reading_needs_a_sign_in(client, settings):
    settings.PRACTICEKB_LOGIN_REQUIRED_FOR_READING = True
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("healthz")).content == b"ok"


@pytest.fixture
def big_theme(db):
    """A theme on more statements than one page holds."""
    theme = Theme.objects.create(name="Everywhere", slug="everywhere", status="approved")
    statements = list(Statement.objects.published()[: THEME_PAGE_SIZE + 7])
    for statement in statements:
        statement.tags.add(theme)
    return theme, statements


def test_a_theme_page_shows_its_statements_a_page_at_a_time(client, big_theme):
    theme, statements = big_theme
    first = client.get(theme.get_absolute_url()).content.decode()
    assert f"{len(statements)} statements, 1 to {THEME_PAGE_SIZE} on this page" in first
    assert first.count('class="statement ') == THEME_PAGE_SIZE
    assert 'href="?page=2" rel="next"' in first
    second = client.get(f"{theme.get_absolute_url()}?page=2").content.decode()
    assert second.count('class="statement ') == 7
    assert 'href="?page=1" rel="prev"' in second
    shown = first + second
    assert all(statement.get_absolute_url() in shown for statement in statements)


@pytest.mark.parametrize(("page", "status"), [("0", 400), ("abc", 400), ("-1", 400), ("3", 404)])
def test_a_wrong_theme_page_number_is_refused_in_plain_words(client, big_theme, page, status):
    theme, _ = big_theme
    response = client.get(f"{theme.get_absolute_url()}?page={page}")
    assert response.status_code == status


def test_the_crosswalk_lists_the_strongest_pairs_and_counts_them_all(client, monkeypatch):
    monkeypatch.setattr("compare.selectors.PAIRS_SHOWN", 3)
    html = client.get(reverse("compare:compare") + "?org=virginia&org=maine-cfs").content.decode()
    assert "20 pairs at 50% or more" in html  # the count covers every pair
    crosswalk = html[html.index('id="crosswalk"') :]
    strong = crosswalk[: crosswalk.index("pairs-more")]
    assert strong.count('class="pair"') == 3
    assert "The 3 strongest are shown." in html
    assert "8 more pairs that are related" in html


def test_home_summarises_many_organizations_in_constant_queries(client, django_assert_num_queries):
    from organizations.views import HOME_ORGANIZATIONS
    from tests.conftest import make_organizations

    make_organizations(2, statements_per_section=1, sections=1)
    with CaptureQueriesContext(connection) as few:
        small = client.get(reverse("home")).content.decode()
    assert small.count('class="card"') == 7 and "All organizations</a>" not in small
    make_organizations(HOME_ORGANIZATIONS, statements_per_section=1, sections=1, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert html.count('class="card"') == HOME_ORGANIZATIONS
    assert f'href="{reverse("organizations:list")}">All organizations</a>' in html
