"""Revert in admin puts back a statement's text and its themes as they were in that version,
and records it as "Reverted to the version of <date> by <user>" on every row it changes."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from principles.models import TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement
from principles.services.themes import merge_themes
from tests.editing.conftest import change_form_data

pytestmark = pytest.mark.django_db


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
    superuser_client, superuser, kinship_statement
):
    original_text, original_themes = kinship_statement.text, names(kinship_statement)
    assert "Kinship" in original_themes and "Workforce" not in original_themes
    version = kinship_statement.history.first()  # the version to go back to

    # a mistaken save: new text, Kinship taken off and Workforce put on
    data = change_form_data(
        superuser_client.get(
            reverse("admin:principles_statement_change", kwargs={"object_id": kinship_statement.pk})
        )
    )
    shown = [name.strip() for name in data["tags"].split(",") if name.strip()]
    themes = [name for name in shown if name != "Kinship"] + ["Workforce"]
    edit(
        superuser_client,
        kinship_statement,
        text="A mistaken edit.",
        tags=", ".join(themes),
        change_reason="Mistake",
    )
    assert "Kinship" not in names(kinship_statement)
    # later, and on its own, a staff member tags the statement on the public page
    staffer = User.objects.create_user("staffer")
    add_theme_to_statement(kinship_statement, "Family engagement", user=staffer)

    url = reverse(
        "admin:principles_statement_simple_history", args=[kinship_statement.pk, version.history_id]
    )
    page = superuser_client.get(url)
    offered = change_form_data(page)["tags"]
    assert "Kinship" in offered and "Workforce" not in offered  # the version's themes
    # and the editor is told what that does to today's themes, later tagging included
    assert "Reverting adds Kinship and removes Family engagement, Workforce" in (
        page.content.decode()
    )
    response = superuser_client.post(url, {**change_form_data(page), "change_reason": ""})
    assert response.status_code == 302

    kinship_statement.refresh_from_db()
    assert kinship_statement.text == original_text
    assert names(kinship_statement) == original_themes
    reverted = kinship_statement.history.first().history_change_reason
    assert reverted.startswith("Reverted to the version of ")
    tagging = TaggedStatement.history.filter(content_object_id=kinship_statement.pk).order_by(
        "-history_id"
    )[:3]
    assert sorted((row.history_type, row.history_change_reason) for row in tagging) == [
        ("+", reverted),  # Kinship back
        ("-", reverted),  # Workforce off
        ("-", reverted),  # Family engagement off
    ]


def test_a_theme_merged_away_since_comes_back_as_its_survivor(
    superuser_client, superuser, kinship_statement
):
    version = kinship_statement.history.first()
    data = change_form_data(
        superuser_client.get(
            reverse("admin:principles_statement_change", kwargs={"object_id": kinship_statement.pk})
        )
    )
    shown = [name.strip() for name in data["tags"].split(",") if name.strip()]
    edit(
        superuser_client,
        kinship_statement,
        text="A mistaken edit.",
        tags=", ".join(name for name in shown if name != "Kinship"),
        change_reason="Mistake",
    )
    kinship, workforce = Theme.objects.get(slug="kinship"), Theme.objects.get(slug="workforce")
    assert "Workforce" not in names(kinship_statement)
    merge_themes(workforce, [kinship, workforce], user=superuser)

    url = reverse(
        "admin:principles_statement_simple_history", args=[kinship_statement.pk, version.history_id]
    )
    page = superuser_client.get(url)
    assert (
        superuser_client.post(url, {**change_form_data(page), "change_reason": ""}).status_code
        == 302
    )
    assert "Workforce" in names(kinship_statement)  # Kinship, merged into Workforce since
