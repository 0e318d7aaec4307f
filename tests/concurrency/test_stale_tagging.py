"""The public tagging forms: a change of the same theme made after the page was drawn refuses
the user's change (409, who and when, the themes then/now/with theirs, their input kept);
a change someone else already made is a success; other themes' changes are no conflict."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from principles.models import TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement, remove_theme_from_statement
from principles.services.themes import merge_themes
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob(db):
    return make_user("bob", "Staff", first_name="Bob", last_name="Baker")


@pytest.fixture
def tagger(client, staffer):
    client.force_login(staffer)
    return client


def page_of(client, statement):
    """The statement's page as the user's browser holds it: its forms' `loaded_at`."""
    html = client.get(statement.get_absolute_url()).content.decode()
    stamps = set(re.findall(r'name="loaded_at" value="([^"]+)"', html))
    assert len(stamps) == 1, stamps  # one drawing time for every form of the page
    return stamps.pop()


def add(client, statement, name, loaded_at):
    return client.post(
        reverse("principles:statement-theme-add", args=[statement.pk]),
        {"name": name, "loaded_at": loaded_at},
    )


def remove(client, statement, slug, loaded_at):
    return client.post(
        reverse("principles:statement-theme-remove", args=[statement.pk, slug]),
        {"loaded_at": loaded_at},
    )


def names(statement):
    return set(statement.tags.values_list("name", flat=True))


def rows(statement):
    return TaggedStatement.history.filter(content_object_id=statement.pk).count()


def test_adding_a_theme_someone_removed_after_the_page_was_drawn_is_refused_and_explained(
    tagger, kinship_statement, bob
):
    kinship = Theme.objects.get(slug="kinship")
    assert "Kinship" in names(kinship_statement)
    loaded_at = page_of(tagger, kinship_statement)
    remove_theme_from_statement(kinship_statement, kinship, user=bob)  # meanwhile
    before = rows(kinship_statement)

    response = add(tagger, kinship_statement, "kinship", loaded_at)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Not added: Bob Baker removed the theme “Kinship” from this statement on" in html
    assert "UTC, after you opened the page" in html
    assert 'name="name" value="kinship"' in html  # the user's input, kept
    assert "Themes when you opened the page" in html and "With your change" in html
    assert "<ins>" in html  # the difference, word by word
    assert rows(kinship_statement) == before and "Kinship" not in names(
        kinship_statement
    )  # nothing written

    # sent again from the refusal page (which carries a fresh drawing time): added
    fresh = re.search(r'name="loaded_at" value="([^"]+)"', html).group(1)
    assert add(tagger, kinship_statement, "kinship", fresh).status_code == 302
    assert "Kinship" in names(kinship_statement)


def test_removing_a_theme_someone_put_back_after_the_page_was_drawn_is_refused(
    tagger, kinship_statement, bob
):
    safety = Theme.objects.get(slug="safety")
    add_theme_to_statement(kinship_statement, "Safety", user=bob)
    loaded_at = page_of(tagger, kinship_statement)
    remove_theme_from_statement(kinship_statement, safety, user=bob)
    add_theme_to_statement(kinship_statement, "Safety", user=bob)  # bob changed his mind: it stays

    response = remove(tagger, kinship_statement, "safety", loaded_at)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Not removed: Bob Baker put the theme “Safety” on this statement on" in html
    assert "Remove “Safety” all the same" in html
    assert "Safety" in names(kinship_statement)

    fresh = re.search(r'name="loaded_at" value="([^"]+)"', html).group(1)
    assert remove(tagger, kinship_statement, "safety", fresh).status_code == 302
    assert "Safety" not in names(kinship_statement)


def test_the_same_change_made_by_someone_else_meanwhile_is_a_success(
    tagger, kinship_statement, bob
):
    kinship = Theme.objects.get(slug="kinship")
    loaded_at = page_of(tagger, kinship_statement)
    add_theme_to_statement(kinship_statement, "Workforce", user=bob)
    remove_theme_from_statement(kinship_statement, kinship, user=bob)
    before = rows(kinship_statement)

    # bob added Workforce and removed Kinship; the user, on the old page, does the same
    assert add(tagger, kinship_statement, "Workforce", loaded_at).status_code == 302
    assert remove(tagger, kinship_statement, "kinship", loaded_at).status_code == 302
    assert rows(kinship_statement) == before  # idempotent: no second row, no conflict
    page = tagger.get(kinship_statement.get_absolute_url()).content.decode()
    assert "already has the theme “Workforce”" in page


def test_changes_of_other_themes_meanwhile_are_no_conflict(tagger, kinship_statement, bob):
    loaded_at = page_of(tagger, kinship_statement)
    add_theme_to_statement(kinship_statement, "Workforce", user=bob)
    remove_theme_from_statement(kinship_statement, Theme.objects.get(slug="kinship"), user=bob)

    assert add(tagger, kinship_statement, "Safety", loaded_at).status_code == 302
    assert "Safety" in names(kinship_statement) and "Workforce" in names(kinship_statement)


def test_removing_a_theme_merged_away_meanwhile_says_where_it_went(
    tagger, kinship_statement, editor
):
    kinship, family = Theme.objects.get(slug="kinship"), Theme.objects.get(slug="family-engagement")
    loaded_at = page_of(tagger, kinship_statement)
    merge_themes(family, [kinship, family], user=editor)

    response = remove(tagger, kinship_statement, "kinship", loaded_at)
    html = response.content.decode()
    assert response.status_code == 409
    assert "merged the theme “Kinship” into “Family engagement”" in html
    assert "Family engagement" in names(kinship_statement)  # nothing removed on a guess
    fresh = re.search(r'name="loaded_at" value="([^"]+)"', html).group(1)
    action = reverse("principles:statement-theme-remove", args=[kinship_statement.pk, family.slug])
    assert f'action="{action}"' in html
    assert remove(tagger, kinship_statement, family.slug, fresh).status_code == 302
    assert "Family engagement" not in names(kinship_statement)


def test_a_name_merged_away_means_the_survivor_for_people_who_may_not_create_themes(
    client, kinship_statement, editor
):
    chooser = make_user("chooser")
    chooser.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_taggedstatement", "delete_taggedstatement"])
    )
    client.force_login(chooser)
    safety, workforce = Theme.objects.get(slug="safety"), Theme.objects.get(slug="workforce")
    merge_themes(workforce, [safety, workforce], user=editor)
    workforce.name = "Workforce and staff"
    workforce.save()  # the survivor renamed after the merge: the old name still finds it

    response = client.post(
        reverse("principles:statement-theme-add", args=[kinship_statement.pk]), {"name": "Safety"}
    )
    assert response.status_code == 302
    assert "Workforce and staff" in names(kinship_statement)


def test_a_damaged_drawing_time_changes_nothing_and_says_so(tagger, kinship_statement):
    before = rows(kinship_statement)
    response = add(tagger, kinship_statement, "Safety", "yesterday-ish")
    assert response.status_code == 302
    page = tagger.get(response.url).content.decode()
    assert "came from a page that was not understood" in page
    assert rows(kinship_statement) == before


def test_the_address_of_a_theme_merged_away_leads_to_the_survivor_even_once_renamed(client, editor):
    kinship, family = Theme.objects.get(slug="kinship"), Theme.objects.get(slug="family-engagement")
    merge_themes(family, [kinship, family], user=editor)
    family.name, family.slug = "Families and kin", "families-and-kin"
    family.save()  # renamed, address and all, after the merge

    for old in ("kinship", "family-engagement"):
        response = client.get(reverse("principles:theme", args=[old]))
        assert response.status_code == 301, old
        assert response.url == reverse("principles:theme", args=["families-and-kin"])
    assert client.get(response.url).status_code == 200
    assert client.get(reverse("principles:theme", args=["never-a-theme"])).status_code == 404

    # merged again: the oldest address follows both merges
    safety = Theme.objects.get(slug="safety")
    merge_themes(safety, [Theme.objects.get(slug="families-and-kin"), safety], user=editor)
    response = client.get(reverse("principles:theme", args=["kinship"]))
    assert (response.status_code, response.url) == (301, safety.get_absolute_url())
