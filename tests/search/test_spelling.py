"""Suggestions ("Did you mean ...?") from the published words, never a word finding nothing."""

import pytest
from django.urls import reverse

from principles.models import Document, Statement
from search.backends import get_backend, trigram_similarity

from .conftest import search_url

pytestmark = pytest.mark.django_db


def results_for(client, q):
    response = client.get(search_url(q=q))
    assert response.status_code == 200
    return response, response.context["results"]


def test_a_misspelt_word_gets_the_word_it_resembles(client):
    response, results = results_for(client, "kinshp")
    assert results.total == 0 and results.suggestion == "kinship"
    html = response.content.decode()
    assert "Did you mean" in html and reverse("search:search") + "?q=kinship" in html


def test_only_the_misspelt_word_is_replaced(client):
    _, results = results_for(client, "famlies together")
    assert results.suggestion == "families together"


def test_no_suggestion_for_words_like_nothing_in_the_statements(client):
    _, results = results_for(client, "xqzt")
    assert results.suggestion is None


def test_a_found_word_is_not_corrected(client):
    _, results = results_for(client, "siblings")
    assert results.suggestion is None


def test_never_suggests_a_word_only_in_a_draft(client, maine):
    draft = Document.objects.create(
        organization=maine, slug="draft-model", title="Draft", kind="practice_model"
    )
    Statement.objects.create(document=draft, position=1, kind="value", text="Quokkaburra care.")
    _, results = results_for(client, "quokkabura")
    assert results.total == 0 and results.suggestion is None


def test_candidates_look_alike_on_both_backends():
    assert trigram_similarity("kinshp", "kinship") > 0.3 > trigram_similarity("kinshp", "safety")
    assert "kinship" in get_backend().similar_words(["kinshp"], 5)["kinshp"]
