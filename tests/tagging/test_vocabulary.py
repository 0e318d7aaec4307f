"""The governed vocabulary ships with the seed data, and every principle carries a theme."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from principles.models import Statement, StatementKind, Theme

pytestmark = pytest.mark.django_db

TAGGED_KINDS = [
    StatementKind.GUIDING_PRINCIPLE,
    StatementKind.VALUE,
    StatementKind.ETHICAL_STANDARD,
    StatementKind.PRIORITY,
]
STARTER = [
    "safety",
    "permanency",
    "well-being",
    "kinship",
    "family-engagement",
    "child-and-youth-voice",
    "cultural-responsiveness-and-equity",
    "workforce",
    "collaboration-and-partnership",
    "data-and-accountability",
]


def test_every_seed_principle_value_ethical_standard_and_priority_has_a_theme():
    statements = Statement.objects.filter(kind__in=TAGGED_KINDS)
    assert statements.count() == 17 + 9 + 31 + 15 + 25
    untagged = statements.filter(tagged_items__isnull=True)
    assert not untagged.exists(), [str(s) for s in untagged]


def test_the_starter_vocabulary_is_curated_with_one_sentence_descriptions():
    themes = {theme.slug: theme for theme in Theme.objects.filter(curated=True)}
    assert set(STARTER) <= set(themes)
    for theme in themes.values():
        assert theme.description.endswith(".") and theme.description.count(". ") == 0, theme
        assert 20 < len(theme.description) < 200, theme


def test_every_curated_theme_is_used_by_the_seed_statements():
    unused = Theme.objects.filter(curated=True, tagged_statements__isnull=True)
    assert not unused.exists(), list(unused)


@pytest.mark.parametrize(
    ("organization", "phrase", "theme"),
    [
        ("virginia", "first consideration for placement will be with kinship", "kinship"),
        ("maine-cfs", "first consideration for placement will be with kinship", "kinship"),
        ("virginia", "promote and preserve kinship", "kinship"),
        ("maine-cfs", "promote and preserve kinship", "kinship"),
        ("vermont-fsd", "All children have the right to be safe.", "safety"),
        (
            "california-child-support",
            "Analyze employee and customer metrics",
            "data-and-accountability",
        ),
        ("california-child-support", "A Skilled and Knowledgeable Workforce", "workforce"),
        (
            "california-alliance",
            "Diversity, Equity, and Inclusiveness",
            "cultural-responsiveness-and-equity",
        ),
        (
            "virginia",
            "The voices of children, youth and parents are heard",
            "child-and-youth-voice",
        ),
        ("maine-cfs", "Permanency planning for children begins", "permanency"),
        (
            "vermont-fsd",
            "Separating children from their families is traumatic",
            "trauma-informed-practice",
        ),
    ],
)
def test_themes_follow_the_text(organization, phrase, theme):
    statement = Statement.objects.get(
        document__organization__slug=organization, text__contains=phrase
    )
    assert statement.tags.filter(slug=theme).exists()


def test_the_themes_page_lists_the_curated_themes_with_descriptions(client):
    html = client.get(reverse("principles:themes")).content.decode()
    curated = list(Theme.objects.filter(curated=True))
    assert len(curated) >= 10
    for theme in curated:
        address = reverse("principles:theme", kwargs={"slug": theme.slug})
        assert f'<a href="{address}">{theme.name}</a> <span class="badge">curated</span>' in html
        assert theme.description.replace("'", "&#x27;") in html


def test_the_tagging_lives_in_the_fixtures():
    fixtures = Path(settings.FIXTURE_DIRS[0])
    vocabulary = json.loads((fixtures / "themes.json").read_text())
    assert all(item["model"] == "principles.theme" and "pk" not in item for item in vocabulary)
    rows = json.loads((fixtures / "virginia.json").read_text())
    tagging = [row for row in rows if row["model"] == "principles.taggedstatement"]
    assert tagging and all("pk" not in row for row in tagging)
    # after every statement, so the fixture reads as content first, then its tagging
    last_statement = max(i for i, row in enumerate(rows) if row["model"] == "principles.statement")
    assert rows.index(tagging[0]) > last_statement
