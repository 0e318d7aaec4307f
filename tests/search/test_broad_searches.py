"""Broad searches: counted exactly up to COUNT_LIMIT, then listed and counted over the best.

The limits are made tiny here (a broad search is one with more than 3 matches; the 2 best are
listed) so that the seed data's five "kinship" statements make a broad search. On
PostgreSQL the real backend caps; SQLite counts every match, so the page's wording is also
checked with a backend that reports a capped search.
"""

import math
import re

import pytest
from django.db import connection
from django.urls import reverse

from principles.models import Statement, TaggedStatement, Theme
from search import backends
from search.backends import Counts, get_backend, lexeme

from .conftest import search_url

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL caps broad searches"
)


@pytest.fixture(autouse=True)
def kinship_is_only_a_word(db):
    """These tests bound the literal word "kinship": the Kinship theme, which would widen it
    to its entry terms and tagged statements (search.expansion), is renamed away."""
    Theme.objects.filter(slug="kinship").update(name="Kin (renamed)", entry_terms="")


@pytest.fixture
def tiny_limits(monkeypatch):
    for module in ("search.backends", "search.selectors"):
        monkeypatch.setattr(f"{module}.COUNT_LIMIT", 3)
        monkeypatch.setattr(f"{module}.BEST_LIMIT", 2)


def result_ids(response):
    return [statement.pk for statement in response.context["results"].results]


def entry(statement_id, *columns):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM search_entry WHERE statement_id = %s",  # noqa: S608
            [statement_id],
        )
        return cursor.fetchone()


def kinship_by_prior():
    """The published kinship matches, highest stored prior (shortest) first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement_id FROM search_entry WHERE published "
            "AND vector @@ websearch_to_tsquery('english', 'kinship') "
            "ORDER BY prior DESC, statement_id"
        )
        return [row[0] for row in cursor.fetchall()]


@postgres_only
def test_a_broad_search_says_more_than_the_limit_and_lists_the_best(client, tiny_limits):
    response = client.get(search_url(q="kinship"))
    results = response.context["results"]
    html = response.content.decode()
    assert results.capped
    assert "More than 3 statements match “kinship”" in html
    assert "Showing 1–2 of the 2 best matches, best first." in html  # noqa: RUF001
    # the two shortest matches, ranked between themselves by ts_rank
    assert set(result_ids(response)) == set(kinship_by_prior()[:2])
    # every facet counts those two, and says so
    assert all(facet.capped for facet in results.facets)
    assert sum(value.count for value in results.organizations.values) == 2
    assert sum(value.count for value in results.kinds.values) == 2
    shown = [facet for facet in results.facets if facet.values]
    assert html.count("More than 3 matches: counts of the 2 best.") == len(shown)
    # the pages stop at the best: one page of two here
    assert 'aria-label="Result pages"' not in html
    past = client.get(search_url(q="kinship", page=2))
    assert past.status_code == 404
    assert "There is no page 2: the 2 best results fill 1." in past.content.decode()


@postgres_only
def test_a_search_at_the_limit_is_counted_in_full(client, monkeypatch):
    matches = len(kinship_by_prior())
    for module in ("search.backends", "search.selectors"):
        monkeypatch.setattr(f"{module}.COUNT_LIMIT", matches)
        monkeypatch.setattr(f"{module}.BEST_LIMIT", 2)
    response = client.get(search_url(q="kinship"))
    results = response.context["results"]
    assert not results.capped and results.total == matches == len(result_ids(response))
    assert not any(facet.capped for facet in results.facets)
    assert "counts of the" not in response.content.decode()


@postgres_only
def test_a_filter_narrows_a_broad_search_to_exact_counts(client, tiny_limits):
    response = client.get(search_url(q="kinship", org="virginia"))
    results = response.context["results"]
    html = response.content.decode()
    expected = Statement.objects.published().filter(
        document__organization__slug="virginia", text__icontains="kinship"
    )
    assert 0 < expected.count() <= 3
    assert not results.capped and results.total == expected.count()
    assert set(result_ids(response)) == set(expected.values_list("pk", flat=True))
    # the kind facet counts the same exact results; the organization facet (kinship in
    # every organization, more than 3) counts the best 2 and says so
    assert not results.kinds.capped
    assert sum(value.count for value in results.kinds.values) == expected.count()
    assert results.organizations.capped
    assert sum(value.count for value in results.organizations.values) == 2
    assert html.count("counts of the 2 best") == 1


@postgres_only
def test_a_broad_search_runs_as_many_queries_as_any_other(
    client, tiny_limits, django_assert_num_queries, request
):
    for params in ({"q": "kinship"}, {"q": "kinship", "org": "virginia"}):
        # the themes, the counts with the page, names, statements, themes
        with django_assert_num_queries(6 + ("org" in params)):
            assert client.get(reverse("search:search"), params).context["results"].total
    request.getfixturevalue("many_organizations")
    with django_assert_num_queries(6):
        assert client.get(reverse("search:search"), {"q": "kinship"}).context["results"].capped


@postgres_only
def test_the_stored_prior_follows_the_text(virginia):
    statement = Statement.objects.create(
        document=virginia.documents.get(), position=910, kind="value", text="Otters swim."
    )
    # two words: the length factor ts_rank divides by is log2(1 + 2)
    assert entry(statement.pk, "prior")[0] == pytest.approx(1 / math.log2(3), rel=1e-6)
    statement.text = "Otters swim in rivers, lakes and the open sea."
    statement.save()
    assert entry(statement.pk, "prior")[0] < 1 / math.log2(3)


@postgres_only
def test_the_filter_tokens_follow_moves_kinds_and_themes(client, virginia, maine, kinship_theme):
    statement = Statement.objects.create(
        document=virginia.documents.get(), position=911, kind="value", text="Walrus welfare."
    )

    def found(**params):
        return result_ids(client.get(search_url(q="walrus", **params)))

    assert found(org="virginia") == [statement.pk] and found(org="maine-cfs") == []
    statement.document = maine.documents.get()
    statement.kind = "guiding_principle"
    statement.save()
    assert found(org="virginia") == [] and found(org="maine-cfs") == [statement.pk]
    assert found(kind="value") == [] and found(kind="guiding_principle") == [statement.pk]
    # a theme no statement in force carries is refused to readers (issue 22's rule)
    assert client.get(search_url(q="walrus", theme=kinship_theme.slug)).status_code == 400
    TaggedStatement.objects.create(content_object=statement, tag=kinship_theme)
    assert found(theme=kinship_theme.slug, kind="guiding_principle") == [statement.pk]
    (facets,) = entry(statement.pk, "facets::text")
    assert set(re.findall(r"'([^']+)'", facets)) == {
        f"o{maine.pk}",
        "kguiding_principle",
        f"t{kinship_theme.pk}",
    }


@postgres_only
def test_filters_and_words_are_read_together_from_one_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT statement_id FROM search_entry "
            "WHERE vector @@ websearch_to_tsquery('english', 'kinship') "
            "AND facets @@ 'kvalue'::tsquery"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    index_line = next(line for line in plan.splitlines() if "Index Scan" in line)
    assert "search_entry_match_idx" in index_line
    assert re.search(r"Index Cond: \(\(vector @@ .*\) AND \(facets @@ .*\)\)", plan)


def test_filter_tokens_are_quoted_whatever_they_contain():
    assert lexeme("kvalue") == "'kvalue'"
    assert lexeme("k' | 'x") == "'k'' | ''x'"
    assert lexeme("a\\b") == "'a\\\\b'"


def test_the_page_words_a_capped_search_on_every_backend(client, monkeypatch):
    """Whatever the backend: what the page says when the backend reports a capped search."""
    real = get_backend()

    class CappedBackend(type(real)):
        def counts_and_page(self, criteria, offset, limit):
            counts, ids = super().counts_and_page(criteria, offset, limit)
            return Counts(
                organizations=counts.organizations,
                kinds=counts.kinds,
                themes=counts.themes,
                total=backends.COUNT_LIMIT + 1,
                capped=frozenset({"total", "organizations", "kinds", "themes"}),
                listed=backends.BEST_LIMIT,
            ), ids

    monkeypatch.setattr("search.selectors.get_backend", CappedBackend)
    for module in ("search.backends", "search.selectors"):  # four digits: the separator shows
        monkeypatch.setattr(f"{module}.COUNT_LIMIT", 1_000)
        monkeypatch.setattr(f"{module}.BEST_LIMIT", 1_000)
    html = client.get(search_url(q="children")).content.decode()
    assert "More than 1,000 statements match “children”" in html
    assert "Showing 1–20 of the 1,000 best matches, best first." in html  # noqa: RUF001
    assert "More than 1,000 matches: counts of the 1,000 best." in html
    assert "Page 1 of 50" in html
