"""Every theme added or removed is recorded: who, when, which statement, which theme."""

import re

import pytest
from django.utils import timezone

from principles.models import TaggedStatement, Theme
from principles.services.themes import merge_themes

from .util import add_url, remove_url, signed_in

pytestmark = pytest.mark.django_db


def text_of(html):
    """What a reader sees: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def history_of(statement):
    return TaggedStatement.history.filter(content_object_id=statement.pk).order_by("history_id")


def test_adding_and_removing_in_the_browser_are_recorded_with_the_user(
    client, staffer, kinship_statement, safety
):
    signed_in(client, staffer)
    start = timezone.now()
    known = set(history_of(kinship_statement).values_list("history_id", flat=True))
    client.post(add_url(kinship_statement), {"name": "Workforce"})
    client.post(remove_url(kinship_statement, safety))
    new = list(history_of(kinship_statement).exclude(history_id__in=known))
    workforce = Theme.objects.get(slug="workforce")
    assert [(h.history_type, h.tag_id, h.history_user) for h in new] == [
        ("+", workforce.pk, staffer),
        ("-", safety.pk, staffer),
    ]
    assert all(h.history_date >= start and h.content_object_id == kinship_statement.pk for h in new)


def test_a_new_theme_records_who_added_it_to_the_vocabulary(client, staffer, kinship_statement):
    signed_in(client, staffer)
    client.post(add_url(kinship_statement), {"name": "Resilience"})
    created = Theme.history.get(name="Resilience")
    assert (created.history_type, created.history_user) == ("+", staffer)


def test_a_merge_is_recorded_on_each_statement_with_its_reason(editor, kinship_statement):
    survivor = Theme.objects.get(slug="placement-and-stability")
    kinship = Theme.objects.get(slug="kinship")
    kinship_id = kinship.pk  # the merge deletes the theme
    known = set(history_of(kinship_statement).values_list("history_id", flat=True))
    merge_themes(survivor, [kinship], user=editor)
    new = list(history_of(kinship_statement).exclude(history_id__in=known))
    # the statement had both: kinship is removed, placement and stability stays
    assert [(h.history_type, h.tag_id, h.history_user) for h in new] == [("-", kinship_id, editor)]
    assert new[0].history_change_reason == "Merged “Kinship” into “Placement and stability”"


def test_the_statement_page_shows_theme_changes_to_people_who_tag(
    client, reader, staffer, kinship_statement, safety
):
    signed_in(client, staffer)
    client.post(remove_url(kinship_statement, safety))
    client.post(add_url(kinship_statement), {"name": "Resilience"})
    html = client.get(kinship_statement.get_absolute_url()).content.decode()
    assert '<h3 id="theme-changes-heading">Theme changes</h3>' in html
    section = text_of(html[html.index("Theme changes") :])
    assert section.index("Added “Resilience”") < section.index("Removed “Safety”")
    assert "by staffer" in section
    assert "Added “Kinship” (when the organization was first loaded)" in section
    assert "fixtures/" not in section  # no developer's words
    # readers do not see who tagged what
    for client_user in (None, reader):
        client.logout()
        if client_user:
            signed_in(client, client_user)
        assert (
            "Theme changes" not in client.get(kinship_statement.get_absolute_url()).content.decode()
        )


def test_theme_changes_keep_the_name_of_a_theme_merged_away(client, editor, kinship_statement):
    kinship = Theme.objects.get(slug="kinship")
    merge_themes(Theme.objects.get(slug="permanency"), [kinship], user=editor)
    signed_in(client, editor)
    html = text_of(client.get(kinship_statement.get_absolute_url()).content.decode())
    assert "Removed “Kinship” by editor (Merged “Kinship” into “Permanency”)" in html
    assert "Added “Permanency” by editor (Merged “Kinship” into “Permanency”)" in html
