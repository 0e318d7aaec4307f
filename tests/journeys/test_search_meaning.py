"""The search page with "Related by meaning": where it sits, and no WCAG violations."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from meaning.services import embed_statements

from .axe import audit

pytestmark = pytest.mark.django_db(transaction=True)

PATH = reverse("search:search") + "?q=people+can+turn+their+lives+around"


@pytest.fixture
def with_meaning(seeded, settings):
    settings.PRACTICEKB_MEANING = "process"
    embed_statements()


# One test for the page's layout and its audit: embedding every statement is the cost here,
# paid once.
def test_related_by_meaning_follows_the_word_matches_without_wcag_violations(
    page, live_server, with_meaning
):
    page.goto(live_server.url + PATH)
    related = page.get_by_role("region", name="Related by meaning")
    expect(related).to_be_visible()
    expect(related.locator("li.result").first).to_contain_text("capable of growth and change")
    word_matches = page.locator("ol.results").first.locator("li.result")
    assert word_matches.count() > 0
    last_match = word_matches.last.bounding_box()
    assert related.bounding_box()["y"] > last_match["y"]

    assert audit(page, PATH) == []
