"""Managing the vocabulary in admin: counts, rename, merge into one, delete only unused."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Statement, TaggedStatement, Theme
from principles.services.themes import merge_themes

from .util import signed_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:principles_theme_changelist")


def taggings():
    """Every (statement, theme slug) pair: what a merge must neither lose nor duplicate."""
    return set(TaggedStatement.objects.values_list("content_object_id", "tag__slug"))


def merge(client, themes, survivor=None):
    data = {"action": "merge_selected_themes", ACTION_CHECKBOX_NAME: [t.pk for t in themes]}
    if survivor is not None:
        data.update(apply="1", survivor=survivor.pk)
    return client.post(CHANGELIST, data)


def test_the_changelist_shows_how_many_statements_carry_each_theme(client, editor):
    signed_in(client, editor)
    html = client.get(CHANGELIST).content.decode()
    kinship = Theme.objects.get(slug="kinship")
    count = TaggedStatement.objects.filter(tag=kinship).count()
    assert count >= 2
    assert f'<td class="field-statement_count">{count}</td>' in html


def test_the_changelist_counts_in_constant_queries(client, editor, django_assert_max_num_queries):
    signed_in(client, editor)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    Theme.objects.bulk_create(Theme(name=f"Extra {n}", slug=f"extra-{n}") for n in range(60))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(CHANGELIST).status_code == 200


def test_renaming_keeps_the_slug_and_the_tagging(client, editor):
    signed_in(client, editor)
    theme = Theme.objects.get(slug="kinship")
    before = TaggedStatement.objects.filter(tag=theme).count()
    response = client.post(
        f"{CHANGELIST}{theme.pk}/change/",
        {
            "name": "Kinship care",
            "slug": "kinship",
            "description": theme.description,
            "curated": "on",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.slug) == ("Kinship care", "kinship")
    assert TaggedStatement.objects.filter(tag=theme).count() == before
    assert (
        "Kinship care"
        in client.get(reverse("principles:theme", kwargs={"slug": "kinship"})).content.decode()
    )


def test_renaming_to_an_existing_name_in_another_case_is_refused(client, editor):
    signed_in(client, editor)
    theme = Theme.objects.get(slug="kinship")
    response = client.post(
        f"{CHANGELIST}{theme.pk}/change/", {"name": "safety", "slug": "kinship", "description": ""}
    )
    assert response.status_code == 200
    assert "There is already a theme “Safety”" in response.content.decode()
    theme.refresh_from_db()
    assert theme.name == "Kinship"


def test_merge_asks_which_theme_to_keep(client, editor):
    signed_in(client, editor)
    themes = list(Theme.objects.filter(slug__in=["community", "collaboration-and-partnership"]))
    before = taggings()
    response = merge(client, themes)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Merge themes" in html and html.count('type="radio" name="survivor"') == 2
    assert taggings() == before  # nothing happens until a survivor is chosen


def test_merge_moves_every_tagged_statement_to_the_survivor_once(client, editor):
    signed_in(client, editor)
    survivor = Theme.objects.get(slug="collaboration-and-partnership")
    merged = Theme.objects.get(slug="community")
    # a statement carrying both themes must end up with the survivor once
    both = set(
        TaggedStatement.objects.filter(tag=survivor).values_list("content_object_id", flat=True)
    ) & set(TaggedStatement.objects.filter(tag=merged).values_list("content_object_id", flat=True))
    assert both, "the seed data has statements with both themes"
    before = taggings()
    expected = {(s, survivor.slug if t == "community" else t) for s, t in before}
    union = {s for s, t in before if t in ("community", survivor.slug)}
    had_survivor = {s for s, t in before if t == survivor.slug}

    response = merge(client, [survivor, merged], survivor=survivor)

    assert response.status_code == 302
    assert not Theme.objects.filter(slug="community").exists()
    assert taggings() == expected  # nothing lost, nothing duplicated
    assert TaggedStatement.objects.filter(tag=survivor).count() == len(union)
    assert TaggedStatement.objects.count() == len(before) - len(both)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    moved = len(union - had_survivor)
    assert moved > 0
    assert message == (
        f"Merged Community into “Collaboration and partnership”: {moved} statement(s) newly "
        f"tagged “Collaboration and partnership”, {len(both)} already had it."
    )


def test_merging_three_themes_with_a_new_theme_as_survivor(editor):
    statements = list(Statement.objects.filter(document__organization__slug="virginia")[:6])
    a, b, c = (Theme.objects.create(name=n, slug=n.lower()) for n in ["Alpha", "Beta", "Gamma"])
    for statement in statements[:4]:
        statement.tags.add(a)
    for statement in statements[2:6]:
        statement.tags.add(b, c)
    total = TaggedStatement.objects.count()
    report = merge_themes(c, [a, b, c], user=editor)
    assert (report.moved, report.duplicates) == (2, 6)
    assert sorted(report.merged) == ["Alpha", "Beta"]
    assert set(
        Theme.objects.filter(slug__in=["alpha", "beta", "gamma"]).values_list("slug", flat=True)
    ) == {"gamma"}
    assert set(
        TaggedStatement.objects.filter(tag=c).values_list("content_object_id", flat=True)
    ) == {s.pk for s in statements}
    assert TaggedStatement.objects.count() == total - 6


def test_a_merge_that_fails_half_way_changes_nothing(editor, monkeypatch):
    survivor = Theme.objects.get(slug="collaboration-and-partnership")
    merged = Theme.objects.get(slug="community")
    before = taggings()
    calls = []
    original = TaggedStatement.save

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TaggedStatement, "save", failing_save)
    with pytest.raises(RuntimeError):
        merge_themes(survivor, [survivor, merged], user=editor)
    assert taggings() == before
    assert Theme.objects.filter(slug="community").exists()


def test_merge_needs_two_themes(client, editor):
    signed_in(client, editor)
    response = merge(client, [Theme.objects.get(slug="community")])
    assert response.status_code == 302
    assert "Choose at least two themes to merge." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_delete_action_deletes_only_unused_themes(client, editor):
    signed_in(client, editor)
    unused = Theme.objects.create(name="Unused idea", slug="unused-idea")
    used = Theme.objects.get(slug="kinship")
    response = client.post(
        CHANGELIST,
        {"action": "delete_unused_themes", ACTION_CHECKBOX_NAME: [unused.pk, used.pk]},
    )
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=unused.pk).exists()
    assert Theme.objects.filter(pk=used.pk).exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Deleted 1 unused theme(s): Unused idea." in texts
    assert any(t.startswith("Kept Kinship: still on statements.") for t in texts)


def test_the_bulk_delete_that_would_drop_tagging_is_not_offered(client, editor):
    signed_in(client, editor)
    html = client.get(CHANGELIST).content.decode()
    assert 'value="delete_selected"' not in html
    assert 'value="merge_selected_themes"' in html and 'value="delete_unused_themes"' in html


def test_deleting_a_used_theme_is_refused_with_a_reason(client, editor):
    signed_in(client, editor)
    used = Theme.objects.get(slug="kinship")
    count = TaggedStatement.objects.filter(tag=used).count()
    response = client.post(f"{CHANGELIST}{used.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Theme.objects.filter(pk=used.pk).exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"“Kinship” is on {count} statement(s), so it was not deleted. Merge it into another "
        "theme, or remove it from those statements first."
    ]
    unused = Theme.objects.create(name="Unused idea", slug="unused-idea")
    assert client.post(f"{CHANGELIST}{unused.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Theme.objects.filter(pk=unused.pk).exists()


def test_staff_who_only_tag_cannot_manage_themes_in_admin(client, staffer):
    signed_in(client, staffer)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_adding_a_theme_in_admin_follows_the_name_rules(client, editor):
    signed_in(client, editor)
    response = client.post(
        f"{CHANGELIST}add/", {"name": "  Youth   transitions ", "slug": "youth-transitions"}
    )
    assert response.status_code == 302
    assert Theme.objects.get(slug="youth-transitions").name == "Youth transitions"
    response = client.post(f"{CHANGELIST}add/", {"name": "<b>bold</b>", "slug": "bold"})
    assert response.status_code == 200
    assert "A theme name may contain only letters, digits, spaces and hyphens." in (
        response.content.decode()
    )
    assert not Theme.objects.filter(slug="bold").exists()


def test_merging_themes_with_the_longest_names_keeps_a_readable_reason(editor, kinship_statement):
    long_a = Theme.objects.create(name="A" * 50, slug="a-long")
    long_b = Theme.objects.create(name="B" * 50, slug="b-long")
    kinship_statement.tags.add(long_a)
    merge_themes(long_b, [long_a], user=editor)
    reasons = TaggedStatement.history.filter(content_object_id=kinship_statement.pk).values_list(
        "history_change_reason", flat=True
    )
    merged = [r for r in reasons if r and r.startswith("Merged")]
    assert merged and all(len(r) <= 100 for r in merged)
    assert kinship_statement.tags.filter(pk=long_b.pk).exists()
