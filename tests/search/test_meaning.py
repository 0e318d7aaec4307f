"""Search with meaning: each page ordered by meaning too, "Related by meaning" below the word
matches, and, without the model, search exactly as before."""

import pytest
from django.db import connection

from meaning import client as meaning_client
from meaning.models import StatementEmbedding
from principles.models import Document, DocumentStatus, Statement
from search import selectors
from search.backends import Criteria
from search.evaluation import MEANING, evaluate
from search.query import parse

from .conftest import search_url

pytestmark = pytest.mark.django_db

# Words no seed statement uses all of, whose meaning several statements share.
QUERY = "parents know their kids best"


def page(client, q=QUERY, **params):
    response = client.get(search_url(q=q, **params))
    assert response.status_code == 200
    return response, response.context["results"]


def test_related_by_meaning_lists_what_the_words_miss(client, meaning_on):
    response, results = page(client)
    assert results.related
    shown = {statement.pk for statement in results.results}
    assert not shown & {statement.pk for statement in results.related}
    # none of them contains the words: search for them as words finds none of them
    word_matches = selectors.search(
        Criteria(query=parse(QUERY)), 1, per_page=1000, mode=selectors.RANKED
    )
    assert not {s.pk for s in word_matches.results} & {s.pk for s in results.related}
    html = response.content.decode()
    assert "Related by meaning" in html
    assert html.index("Related by meaning") > html.index(f'id="result-{results.results[-1].pk}"')


def test_related_by_meaning_keeps_the_filters(client, meaning_on):
    _, results = page(client, org="virginia")
    assert results.related
    assert {s.document.organization.slug for s in results.related} == {"virginia"}


def test_related_by_meaning_never_shows_drafts(client, meaning_on):
    _, before = page(client)
    hidden = before.related[0]
    Document.objects.filter(pk=hidden.document_id).update(status=DocumentStatus.DRAFT)
    _, after = page(client)
    assert hidden.pk not in {s.pk for s in after.all_results}


def test_meaning_orders_a_page_but_lists_the_same_statements(meaning_on):
    criteria = Criteria(query=parse("family engagement"))
    ranked = selectors.search(criteria, 1, mode=selectors.RANKED)
    hybrid = selectors.search(criteria, 1, mode=selectors.HYBRID)
    assert {s.pk for s in ranked.results} == {s.pk for s in hybrid.results}
    assert hybrid.total == ranked.total


def test_without_the_model_search_is_exactly_as_before(client, settings, model_missing):
    settings.PRACTICEKB_MEANING = "process"
    response, results = page(client)
    ranked = selectors.search(Criteria(query=parse(QUERY)), 1, mode=selectors.RANKED)
    assert [s.pk for s in results.results] == [s.pk for s in ranked.results]
    assert results.related == []
    html = response.content.decode()
    assert "Related by meaning" not in html and "unavailable" not in html.lower()


def test_without_the_helper_process_search_is_words_alone(client, settings, tmp_path):
    settings.PRACTICEKB_MEANING = "socket"
    settings.PRACTICEKB_MEANING_SOCKET = str(tmp_path / "absent.sock")
    _, results = page(client)
    assert results.total and results.related == []


@pytest.fixture
def helper(meaning_on, helper_server):
    """The helper process's server, in a thread, reading this test's seed vectors."""


def test_the_helper_process_answers_over_its_socket(client, helper):
    # the server's threads read the vectors committed for the test database
    found = meaning_client.closeness(QUERY, 5)
    assert found is not None and len(found.neighbours) == 5
    _, results = page(client)
    assert results.related


def test_the_page_makes_a_constant_number_of_queries(
    client, meaning_on, django_assert_max_num_queries
):
    # the ranked page's queries (see test_ranking), the vectors' freshness, which candidates
    # the words match, the related statements and their themes
    for q in (QUERY, "kinship", "sharing power with families"):
        with django_assert_max_num_queries(15):
            page(client, q=q)


@pytest.mark.parametrize(
    "q",
    [
        "kinship & | ! <-> :* ( )",
        '"unclosed phrase kinship',
        "the and of",
        "!!! ??? ...",
        "родственники семья",
        "亲属 家庭 kinship",
        "kinship " * 60,
        "-kinship -safety",
        "\u0000\u202e kin",
    ],
)
def test_hostile_queries_never_fail_with_meaning(client, meaning_on, q):
    response = client.get(search_url(q=q))
    assert response.status_code in (200, 400)


def test_hybrid_search_answers_the_evaluation_set(meaning_on):
    hybrid, ranked = evaluate(selectors.HYBRID), evaluate(selectors.RANKED)
    assert hybrid.empty == 0
    assert hybrid.recall >= 0.8 and hybrid.ndcg >= 0.75
    assert hybrid.ndcg > ranked.ndcg
    assert evaluate(MEANING).recall > 0.5


def test_statements_without_a_vector_still_show(client, meaning_on):
    StatementEmbedding.objects.all().delete()
    _, results = page(client, q="kinship")
    assert results.total and results.related == []
    assert Statement.objects.exists() and connection.vendor
