"""The governed vocabulary: a theme staff propose is on the statement at once, but readers
see it nowhere until an editor approves it; an approved theme no published statement
carries is hidden from readers too (Theme.objects.visible_to_readers)."""

import pytest
from django.urls import reverse

from principles import vocabulary
from principles.models import Theme, ThemeStatus

from .util import add_url, remove_url, signed_in

pytestmark = pytest.mark.django_db

NAME = "Pangolin stewardship"


def reader_pages(statement, theme):
    """Every public place a theme can show, as (address, whether it names the theme)."""
    organization = statement.document.organization
    return [
        reverse("principles:themes"),
        statement.get_absolute_url(),
        statement.document.get_absolute_url(),
        organization.get_absolute_url(),
        "/",
        "/search/?q=kinship",
        f"/search/?q=kinship&org={organization.slug}",
        "/compare/?org=virginia&org=maine-cfs",
        "/api/v1/themes/",
        f"/api/v1/statements/{statement.pk}/",
        f"/api/v1/statements/?organization={organization.slug}",
    ]


def assert_hidden(client, statement, theme, *, by_name=True):
    for url in reader_pages(statement, theme):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert theme.get_absolute_url() not in body, url  # no link, chip or facet
        assert f'"{theme.slug}"' not in body, url  # nor in the API's answers
        if by_name:
            assert theme.name not in body, url
    for url in (
        theme.get_absolute_url(),
        reverse("sheets:theme", args=[theme.slug]),
        f"/api/v1/themes/{theme.slug}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/search/?q=kinship&theme={theme.slug}").status_code == 400


@pytest.fixture
def proposed(client, staffer, kinship_statement):
    signed_in(client, staffer)
    client.post(add_url(kinship_statement), {"name": NAME, "description": "Caring for  pangolins."})
    client.logout()
    return Theme.objects.get(name=NAME)


def test_a_theme_staff_propose_is_on_the_statement_but_shown_to_no_reader(
    client, proposed, kinship_statement, staffer
):
    assert proposed.status == ThemeStatus.PROPOSED
    assert proposed.description == "Caring for pangolins."
    assert kinship_statement.tags.filter(pk=proposed.pk).exists()
    assert_hidden(client, kinship_statement, proposed)
    # the staff member who tags sees it, marked as proposed
    signed_in(client, staffer)
    page = client.get(kinship_statement.get_absolute_url()).content.decode()
    assert NAME in page and "(proposed)" in page


def test_once_approved_readers_see_it_everywhere(client, proposed, kinship_statement, editor):
    assert vocabulary.approve_themes([proposed], user=editor) == [NAME]
    assert NAME in client.get(reverse("principles:themes")).content.decode()
    assert client.get(proposed.get_absolute_url()).status_code == 200
    assert NAME in client.get(kinship_statement.get_absolute_url()).content.decode()
    assert client.get(f"/api/v1/themes/{proposed.slug}/").status_code == 200
    assert client.get(reverse("sheets:theme", args=[proposed.slug])).status_code == 200
    assert proposed.history.latest().history_user == editor


def test_an_approved_theme_that_loses_its_last_statement_is_hidden_again(
    client, proposed, kinship_statement, staffer, editor
):
    vocabulary.approve_themes([proposed], user=editor)
    signed_in(client, staffer)
    client.post(remove_url(kinship_statement, proposed))
    client.logout()
    assert_hidden(client, kinship_statement, proposed)


def test_a_curated_theme_with_no_published_statement_is_hidden(client, kinship_statement):
    workforce = Theme.objects.get(slug="workforce")
    assert workforce.status == ThemeStatus.APPROVED  # the 18 curated themes are approved
    workforce.tagged_statements.all().delete()
    assert_hidden(client, kinship_statement, workforce, by_name=False)  # "workforce" is also a word


def test_the_curated_vocabulary_is_approved_and_nothing_else_is():
    assert set(Theme.objects.approved().values_list("curated", flat=True)) == {True}
    assert Theme.objects.filter(curated=True).count() == 18
