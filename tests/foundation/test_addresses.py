"""The public address contract: "theme" is the one name (issue 23); the old "tag" addresses
that people bookmarked answer with a permanent redirect to the new ones."""

import pytest
from django.urls import reverse

from principles.models import Statement, Theme, ThemeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(db):
    """An approved theme on a published statement: one readers may see."""
    theme = Theme.objects.create(
        name="Address test", slug="address-test", curated=True, status=ThemeStatus.APPROVED
    )
    Statement.objects.in_force().filter(text__icontains="family").first().tags.add(theme)
    return theme


def test_theme_pages_live_under_themes(theme):
    assert reverse("principles:themes") == "/themes/"
    assert reverse("principles:theme", args=[theme.slug]) == "/themes/address-test/"
    assert reverse("sheets:theme", args=[theme.slug]) == "/themes/address-test/sheet/"
    assert reverse("sheets:theme-pdf", args=[theme.slug]) == "/themes/address-test/sheet.pdf"
    assert reverse("sheets:theme-docx", args=[theme.slug]) == "/themes/address-test/sheet.docx"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/tags/", "/themes/"),
        ("/tags/address-test/", "/themes/address-test/"),
        ("/tags/address-test/?page=2", "/themes/address-test/?page=2"),
        ("/tags/address-test/sheet/", "/themes/address-test/sheet/"),
        (
            "/tags/address-test/sheet/?layout=discussion",
            "/themes/address-test/sheet/?layout=discussion",
        ),
        ("/tags/address-test/sheet.pdf", "/themes/address-test/sheet.pdf"),
        ("/tags/address-test/sheet.docx", "/themes/address-test/sheet.docx"),
    ],
)
def test_old_tag_addresses_redirect_permanently(client, theme, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_the_new_theme_addresses_answer(client, theme):
    assert client.get("/themes/").status_code == 200
    assert client.get("/themes/address-test/").status_code == 200


def test_search_filters_by_theme(client, theme):
    response = client.get("/search/", {"q": "family", "theme": theme.slug})
    assert response.status_code == 200
    assert response.context["criteria"].theme == theme
    assert 'name="theme" value="address-test"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("q=family&tag=address-test", "/search/?q=family&theme=address-test"),
        ("tag=address-test&q=family&page=2", "/search/?q=family&page=2&theme=address-test"),
        # both given: the new name wins, the old one is dropped
        ("q=family&tag=other&theme=address-test", "/search/?q=family&theme=address-test"),
    ],
)
def test_search_tag_parameter_redirects_to_theme(client, theme, query, location):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 301
    assert response["Location"] == location


def test_search_facet_links_use_theme(client):
    response = client.get("/search/", {"q": "family"})
    html = response.content.decode()
    assert "theme=" in html or not response.context["results"].themes.values
    assert "tag=" not in html


def test_the_api_search_filters_by_theme(client, theme):
    response = client.get("/api/v1/search/", {"q": "family", "theme": theme.slug})
    assert response.status_code == 200
    bad = client.get("/api/v1/search/", {"q": "family", "theme": "no-such-theme"})
    assert bad.status_code == 400
    assert "theme" in bad.content.decode()
