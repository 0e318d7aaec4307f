"""Search in staff's words: themes named by their entry terms, the fallback to most of the
words, one stemmer, and the evaluation set's figures."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from principles.models import Statement, Theme
from principles.words import stem
from search import selectors
from search.backends import Criteria
from search.evaluation import evaluate, load_questions, ndcg_at, recall_at
from search.expansion import expand
from search.query import parse

from .conftest import search_url

pytestmark = pytest.mark.django_db


def results_for(client, q, **params):
    response = client.get(search_url(q=q, **params))
    assert response.status_code == 200
    return response, response.context["results"]


def test_an_entry_term_finds_the_theme_and_says_so(client):
    response, results = results_for(client, "relatives")
    kinship = Theme.objects.get(slug="kinship")
    assert [theme.slug for theme in results.themes_named] == ["kinship"]
    tagged = set(kinship.tagged_statements.values_list("content_object_id", flat=True))
    assert tagged <= {statement.pk for statement in results.results} | {0}
    html = response.content.decode()
    assert "Showing statements on" in html and kinship.get_absolute_url() in html
    assert "Compare these organizations on Kinship" in html
    assert reverse("compare:compare") + "?org=" in html and "theme=kinship" in html


def test_entry_terms_are_editable_and_read_at_search_time(client):
    before = results_for(client, "zebra")[1]
    assert before.total == 0
    Theme.objects.filter(slug="safety").update(entry_terms="zebra")
    after = results_for(client, "zebra")[1]
    assert [theme.slug for theme in after.themes_named] == ["safety"] and after.total > 0


def test_words_naming_one_theme_are_one_concept():
    kinship = Theme.objects.get(slug="kinship")
    workforce = Theme.objects.get(slug="workforce")
    concepts = expand(parse("caseworker burnout relatives"), [kinship, workforce]).concepts
    assert [c.theme_ids for c in concepts] == [(workforce.pk,), (kinship.pk,)]


def test_no_statement_with_all_words_lists_those_with_most_and_says_so(client):
    response, results = results_for(client, "kinship siblings zebra")
    assert results.fallback and results.all_words_total == 0 and results.total > 0
    assert "No statement has all your words; these have most of them." in response.content.decode()
    # those with more of the words come first
    first = results.results[0].text.lower()
    assert "kinship" in first and "sibling" in first


def test_enough_statements_with_all_words_do_not_fall_back(client):
    _, results = results_for(client, "children families")
    assert not results.fallback and results.total >= selectors.FEW


def test_few_statements_with_all_words_come_first_then_most(client):
    response, results = results_for(client, "permanency urgency")
    assert results.fallback and 0 < results.all_words_total < selectors.FEW
    assert "all your words; they come first, then those with most of them" in (
        response.content.decode()
    )
    first = [s.text.lower() for s in results.results[: results.all_words_total]]
    assert all("urgency" in text and "permanency" in text for text in first)


def test_nothing_found_stays_nothing(client):
    response, results = results_for(client, "zebra xylophone")
    assert results.total == 0 and not results.fallback
    assert "Nothing matches" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "written"),
    [("reunification", "reunifying"), ("trauma", "traumatic"), ("families", "family")],
)
def test_a_word_finds_its_variants(client, typed, written):
    _, results = results_for(client, typed)
    assert any(written in statement.text.lower() for statement in results.results)


def test_one_stemmer_agrees_with_postgresql_english():
    assert stem("families") == stem("family") == "famili"
    assert stem("reunifying") == "reunifi" and stem("caregivers") == "caregiv"


@pytest.mark.parametrize(
    "q",
    [
        "kinship & | ! <-> :* ( )",
        '"unclosed phrase kinship',
        "'quoted' \"kin\"ship",
        "the and of",
        "!!! ??? ...",
        "родственники семья",
        "亲属 家庭 kinship",
        "kinship " * 60,
        "-kinship -safety",
        "relatives OR NOT staff AND",
    ],
)
def test_hostile_queries_never_fail(client, q):
    response = client.get(search_url(q=q))
    assert response.status_code == 200


def test_the_fallback_keeps_a_constant_number_of_queries(client, django_assert_max_num_queries):
    # themes, all-word counts, concept frequencies, counts and page, the vocabulary for
    # "Did you mean" (zebra is unknown), names, statements, themes
    with django_assert_max_num_queries(11):
        results_for(client, "kinship siblings zebra")


def test_metrics():
    assert recall_at(["a", "x", "b"], ["a", "b"]) == 1.0
    assert recall_at(["x"], ["a", "b"]) == 0.0
    assert ndcg_at(["a", "b"], ["a", "b"]) == pytest.approx(1.0)
    assert ndcg_at(["x", "a"], ["a"]) == pytest.approx(1 / 1.584962500721156)


def test_the_evaluation_set_names_real_statements():
    keys = {key for question in load_questions() for key in question["relevant"]}
    assert len(load_questions()) >= 30
    found = {
        f"{org}/{doc}/{position}"
        for org, doc, position in Statement.objects.values_list(
            "document__organization__slug", "document__slug", "position"
        )
    }
    assert keys <= found


def test_ranked_search_answers_the_evaluation_set():
    words, ranked = evaluate(selectors.WORDS), evaluate(selectors.RANKED)
    assert ranked.empty == 0
    assert ranked.recall > words.recall + 0.5
    assert ranked.recall >= 0.7 and ranked.ndcg >= 0.65


def test_the_command_prints_figures_per_mode():
    out = StringIO()
    call_command("evaluate_search", "--mode", "ranked", "--per-question", stdout=out)
    text = out.getvalue()
    assert "recall@10" in text and "ranked" in text
    assert "grandparents taking in grandkids" in text


def test_criteria_without_concepts_use_the_query_words():
    criteria = Criteria(query=parse("kinship care"))
    assert [c.label for c in criteria.terms] == ["kinship", "care"]


def test_facets_count_what_the_fallback_lists(client):
    _, results = results_for(client, "kinship siblings zebra")
    assert results.fallback
    assert sum(v.count for v in results.organizations.values) == results.total
    assert sum(v.count for v in results.kinds.values) == results.total
