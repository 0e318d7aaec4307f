"""Revert in admin puts back a statement's text and its themes as they were in that version,
and records it as "Reverted to the version of <date> by <user>" on every row it changes."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from principles.models import Statement, TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement
from principles.services.themes import merge_themes
from tests.editing.conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(db):
    """Virginia's guiding principle 5 on kinship placement (themes include Kinship)."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


@pytest.fixture
def chief(client):
    user = User.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return user


def names(statement):
    return set(statement.tags.values_list("name", flat=True))


def edit(client, statement, **changes):
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


def test_revert_puts_back_the_themes_of_the_version_and_says_what_it_changes(
    client, chief, statement
):
    original_text, original_themes = statement.text, names(statement)
    assert "Kinship" in original_themes and "Workforce" not in original_themes
    version = statement.history.first()  # the version to go back to

    # a mistaken save: new text, Kinship taken off and Workforce put on
    data = change_form_data(
        client.get(reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk}))
    )
    shown = [name.strip() for name in data["tags"].split(",") if name.strip()]
    themes = [name for name in shown if name != "Kinship"] + ["Workforce"]
    edit(
        client,
        statement,
        text="A mistaken edit.",
        tags=", ".join(themes),
        change_reason="Mistake",
    )
    assert "Kinship" not in names(statement)
    # later, and on its own, a staff member tags the statement on the public page
    staffer = User.objects.create_user("staffer")
    add_theme_to_statement(statement, "Family engagement", user=staffer)

    url = reverse(
        "admin:principles_statement_simple_history", args=[statement.pk, version.history_id]
    )
    page = client.get(url)
    offered = change_form_data(page)["tags"]
    assert "Kinship" in offered and "Workforce" not in offered  # the version's themes
    # and the editor is told what that does to today's themes, later tagging included
    assert "Reverting adds Kinship and removes Family engagement, Workforce" in (
        page.content.decode()
    )
    response = client.post(url, {**change_form_data(page), "change_reason": ""})
    assert response.status_code == 302

    statement.refresh_from_db()
    assert statement.text == original_text
    assert names(statement) == original_themes
    reverted = statement.history.first().history_change_reason
    assert reverted.startswith("Reverted to the version of ")
    tagging = TaggedStatement.history.filter(content_object_id=statement.pk).order_by(
        "-history_id"
    )[:3]
    assert sorted((row.history_type, row.history_change_reason) for row in tagging) == [
        ("+", reverted),  # Kinship back
        ("-", reverted),  # Workforce off
        ("-", reverted),  # Family engagement off
    ]


def test_a_theme_merged_away_since_comes_back_as_its_survivor(client, chief, statement):
    version = statement.history.first()
    data = change_form_data(
        client.get(reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk}))
    )
    shown = [name.strip() for name in data["tags"].split(",") if name.strip()]
    edit(
        client,
        statement,
        text="A mistaken edit.",
        tags=", ".join(name for name in shown if name != "Kinship"),
        change_reason="Mistake",
    )
    kinship, workforce = Theme.objects.get(slug="kinship"), Theme.objects.get(slug="workforce")
    assert "Workforce" not in names(statement)
    merge_themes(workforce, [kinship, workforce], user=chief)

    url = reverse(
        "admin:principles_statement_simple_history", args=[statement.pk, version.history_id]
    )
    page = client.get(url)
    assert client.post(url, {**change_form_data(page), "change_reason": ""}).status_code == 302
    assert "Workforce" in names(statement)  # Kinship, merged into Workforce since
