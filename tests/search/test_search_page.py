"""The search page on whichever database the suite runs on (SQLite FTS5 or PostgreSQL)."""

import re
from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, TaggedStatement

from .conftest import is_postgres, search_url

pytestmark = pytest.mark.django_db


def published_containing(word):
    return Statement.objects.published().filter(Q(text__icontains=word) | Q(title__icontains=word))


def result_ids(response):
    return [statement.pk for statement in response.context["results"].results]


def marks(response):
    return re.findall(r"<mark>(.*?)</mark>", response.content.decode())


def test_results_show_the_statement_its_source_and_a_permalink(client):
    # "caregivers" names no theme: the results are the statements with the word
    response = client.get(search_url(q="caregivers"))
    assert response.status_code == 200
    expected = published_containing("caregiver")
    assert response.context["results"].total == expected.count() == 4
    assert set(result_ids(response)) == set(expected.values_list("pk", flat=True))
    html = response.content.decode()
    statement = (
        expected.select_related("document__organization", "section")
        .filter(section__isnull=False)
        .first()
    )
    assert statement.get_absolute_url() in html
    assert statement.document.get_absolute_url() in html
    assert statement.document.organization.display_name in html
    assert statement.section.heading in html
    assert f'href="{statement.section.get_absolute_url()}"' in html  # its place in the document
    assert "4 statements match “caregivers”" in html


def test_matched_words_are_marked_and_everything_else_escaped(client, virginia):
    document = virginia.documents.get()
    Statement.objects.create(
        document=document,
        position=900,
        kind="value",
        text='Zebrafish <script>alert("x")</script> & **zebrafish** matter.',
    )
    response = client.get(search_url(q="zebrafish"))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in html
    assert marks(response) == ["Zebrafish", "zebrafish"]
    # the source's **bold** still renders as emphasis around the mark
    assert "<strong><mark>zebrafish</mark></strong>" in html


def test_a_query_that_looks_like_html_is_escaped_everywhere(client):
    response = client.get(search_url(q='<img src=x onerror=alert(1)> "kinship'))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_organization_kind_and_theme_facets_count_the_matches(client, kinship_theme):
    kinship = list(published_containing("caregiver").select_related("document__organization"))
    TaggedStatement.objects.bulk_create(
        [TaggedStatement(content_object=statement, tag=kinship_theme) for statement in kinship[:3]]
    )
    results = client.get(search_url(q="caregivers")).context["results"]
    expected_orgs = Counter(statement.document.organization.slug for statement in kinship)
    assert {v.value: v.count for v in results.organizations.values} == expected_orgs
    assert {v.value: v.count for v in results.kinds.values} == Counter(s.kind for s in kinship)
    themes = {v.value: v.count for v in results.themes.values}
    assert themes[kinship_theme.slug] == 3
    assert sum(v.count for v in results.organizations.values) == results.total == len(kinship)


def test_a_facet_link_narrows_and_keeps_the_other_filters(client, virginia):
    results = client.get(search_url(q="families", kind="guiding_principle")).context["results"]
    virginia_value = next(v for v in results.organizations.values if v.value == "virginia")
    assert "kind=guiding_principle" in virginia_value.url and "org=virginia" in virginia_value.url
    narrowed = client.get(virginia_value.url)
    expected = Statement.objects.published().filter(
        document__organization=virginia, kind="guiding_principle"
    )
    assert narrowed.context["results"].total == virginia_value.count
    assert set(result_ids(narrowed)) <= set(expected.values_list("pk", flat=True))
    # the chosen value is marked and its link removes it, keeping the kind
    chosen = next(v for v in narrowed.context["results"].organizations.values if v.selected)
    assert chosen.value == "virginia"
    assert "org=" not in chosen.url and "kind=guiding_principle" in chosen.url


@pytest.mark.parametrize(
    ("param", "field", "value"),
    [("org", "document__organization__slug", "maine-cfs"), ("kind", "kind", "guiding_principle")],
)
def test_filters_keep_only_matching_statements(client, param, field, value):
    response = client.get(search_url(q="safety", **{param: value}))
    assert response.status_code == 200
    ids = result_ids(response)
    assert ids
    assert Statement.objects.filter(pk__in=ids).exclude(**{field: value}).count() == 0


def test_theme_filter_keeps_only_statements_with_the_theme(client, kinship_theme):
    tagged = published_containing("kinship").first()
    TaggedStatement.objects.create(content_object=tagged, tag=kinship_theme)
    response = client.get(search_url(q="kinship", theme=kinship_theme.slug))
    assert result_ids(response) == [tagged.pk]
    assert "Theme: Search test kinship" in response.content.decode()


def test_drafts_and_retired_documents_are_not_searched(client, virginia):
    for status in ("draft", "retired"):
        document = Document.objects.create(
            organization=virginia, slug=f"old-{status}", title="Old", kind="policy", status=status
        )
        Statement.objects.create(document=document, position=1, kind="value", text="Quokka care.")
    assert client.get(search_url(q="quokka")).context["results"].total == 0


def test_results_are_paginated_twenty_at_a_time(client):
    total = client.get(search_url(q="children")).context["results"].total
    assert total > 20
    first = client.get(search_url(q="children"))
    second = client.get(search_url(q="children", page=2))
    assert len(result_ids(first)) == 20
    assert len(result_ids(second)) == min(20, total - 20)
    assert not set(result_ids(first)) & set(result_ids(second))
    html = first.content.decode()
    assert 'aria-label="Result pages"' in html and "page=2" in html and 'rel="next"' in html
    every_page = []
    for number in range(1, first.context["results"].page.num_pages + 1):
        every_page += result_ids(client.get(search_url(q="children", page=number)))
    assert len(every_page) == len(set(every_page)) == total


def test_a_page_past_the_end_is_404_with_a_way_back(client):
    response = client.get(search_url(q="kinship", page=7))
    assert response.status_code == 404
    assert "There is no page 7" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"org": "atlantis"}, "There is no organization “atlantis”."),
        ({"kind": "recipe"}, "There is no kind of statement “recipe”."),
        ({"theme": "no-such-theme"}, "There is no theme “no-such-theme”."),
        ({"page": "two"}, "The page must be a whole number"),
        ({"page": "0"}, "The page must be 1 or more."),
        ({"page": "-3"}, "The page must be 1 or more."),
        ({"page": "99999999999999999999999"}, "The page must be at most"),
        ({"org": "virginia\x00"}, "Null characters are not allowed."),
    ],
)
def test_unknown_filters_and_malformed_pages_answer_400_on_the_search_page(client, params, message):
    response = client.get(search_url(q="kinship", **params))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="search"' in html and "This search could not be run" in html


HOSTILE = [
    '"',
    '"kinship',
    "kinship AND OR NOT",
    "NEAR(kinship care, 2)",
    "kin*",
    "^kinship",
    "title:kinship",
    "((((kinship",
    "kinship)))",
    "!!! & | <-> :* ''",
    "-",
    "--kinship",
    "-kinship",
    "'; DROP TABLE principles_statement; --",
    "%_%",
    "\\",
    "kin\x00ship \x00",
    "\x00\x01\x02",
    "🙂 kinship ☃",
    "familles façon naïve",
    "a" * 5000,
    "kinship " * 300,
    "_",
    "…",
    '"" "" ""',
    "the and of",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_fail(client, query):
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()


def test_quotes_and_operators_are_searched_as_words(client):
    plain = result_ids(client.get(search_url(q="kinship")))
    for query in ("kinship)", "(kinship", "kinship:*", "kinship OR", "+kinship+"):
        assert result_ids(client.get(search_url(q=query))) == plain, query


def test_a_phrase_in_quotes_needs_the_words_together(client):
    phrase = result_ids(client.get(search_url(q='"kinship care"')))
    assert len(phrase) == 1
    assert "kinship care" in Statement.objects.get(pk=phrase[0]).text


def test_a_minus_leaves_a_word_out(client):
    with_sibling = set(result_ids(client.get(search_url(q="connections"))))
    without = set(result_ids(client.get(search_url(q="connections -sibling"))))
    assert without < with_sibling
    assert not Statement.objects.filter(pk__in=without, text__icontains="sibling").exists()


def test_an_oversized_query_is_cut_at_200_characters_and_says_so(client):
    response = client.get(search_url(q="kinship " + "x" * 400))
    assert response.status_code == 200
    assert len(response.context["q"]) == 200
    assert "only its first 200 characters were used" in response.content.decode()


def test_nul_bytes_are_dropped_not_refused(client):
    response = client.get(reverse("search:search"), {"q": "kin\x00ship"})
    assert response.status_code == 200
    assert response.context["q"] == "kin ship"


def test_an_empty_query_gets_a_helpful_page(client):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(reverse("search:search"), params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "What are you looking for?" in html
        assert reverse("search:search") + "?q=kinship" in html  # example searches
        assert "results" not in response.context


def test_a_query_without_words_says_so(client):
    response = client.get(search_url(q="-adoption !!!"))
    assert "Nothing to search for in" in response.content.decode()


def test_no_results_page_helps(client):
    response = client.get(search_url(q="zebra xylophone"))
    html = response.content.decode()
    assert response.context["results"].total == 0
    assert "Nothing matches “zebra xylophone”" in html
    assert (
        "Search for one word at a time" in html
        and reverse("search:search") + "?q=xylophone" in html
    )


def test_every_page_has_a_search_box_in_its_header(client, virginia):
    # home has one search box, in its body (issue 21: one search box on a phone)
    home = client.get(reverse("home")).content.decode()
    assert home.count('role="search"') == 1 and f'action="{reverse("search:search")}"' in home
    for url in (
        reverse("organizations:list"),
        virginia.get_absolute_url(),
        reverse("principles:themes"),
    ):
        html = client.get(url).content.decode()
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        assert 'role="search"' in header and f'action="{reverse("search:search")}"' in header, url
        assert 'for="site-search-q"' in header and 'name="q"' in header, url


def test_the_home_page_has_a_search_form(client):
    html = client.get(reverse("home")).content.decode()
    main = html.split('<main id="main"')[1]
    assert 'id="home-search-q"' in main and f'action="{reverse("search:search")}"' in main


SEARCHES = [
    {"q": "family"},
    {"q": "family", "page": "2"},
    {"q": "family", "kind": "guiding_principle"},
    {"q": "zebra xylophone"},
]


def expected_queries(finds_something=True):
    """The themes (to read the theme a query names), the counts and the ranked page of ids
    (one query on PostgreSQL; on SQLite one for organizations and kinds, one for themes,
    one for the page), then the names of the listed organizations and themes, the page's
    statements and their themes. Finding nothing (of two words) stops after the counts for
    all the words and for each word, and the words that look like them (none here)."""
    if not finds_something:
        return 4
    return 6 if is_postgres() else 8


@pytest.mark.parametrize("params", SEARCHES)
def test_query_count_does_not_grow_with_organizations(
    client, django_assert_num_queries, params, request
):
    expected = expected_queries(params["q"] == "family")
    with django_assert_num_queries(expected):
        first = client.get(reverse("search:search"), params)
    request.getfixturevalue("many_organizations")
    with django_assert_num_queries(expected):
        second = client.get(reverse("search:search"), params)
    assert first.status_code == second.status_code == 200
    if params["q"] == "family":
        assert second.context["results"].total > first.context["results"].total


def test_query_count_with_every_filter(client, django_assert_num_queries, kinship_theme):
    statement = published_containing("kinship").get(
        document__organization__slug="virginia", kind="guiding_principle", label="2."
    )
    TaggedStatement.objects.create(content_object=statement, tag=kinship_theme)
    params = {"q": "kinship", "org": "virginia", "kind": "guiding_principle"}
    params["theme"] = kinship_theme.slug
    # + the organization and the theme looked up from their slugs
    with django_assert_num_queries(expected_queries() + 2):
        response = client.get(reverse("search:search"), params)
    assert result_ids(response) == [statement.pk]


def test_fifty_five_organizations_are_counted_and_the_first_fifty_listed(
    client, many_organizations, counted_exactly
):
    response = client.get(search_url(q="family"))
    organizations = response.context["results"].organizations
    assert len(organizations.values) == 50 and organizations.unlisted == 5
    assert len(organizations.top) == 8
    assert response.context["results"].total == sum(
        1 for _ in Statement.objects.published().filter(text__icontains="famil")
    )
    html = response.content.decode()
    assert '<details class="facet__more">' in html
    assert "5 more organizations with fewer matches" in html
    assert Organization.objects.count() == 55


def test_a_chosen_organization_is_listed_even_with_few_matches(
    client, many_organizations, counted_exactly
):
    counts = client.get(search_url(q="family")).context["results"].organizations
    listed = {value.value for value in counts.values}
    unlisted = next(
        o.slug
        for o in Organization.objects.filter(slug__startswith="generated-")
        if o.slug not in listed
    )
    organizations = (
        client.get(search_url(q="family", org=unlisted)).context["results"].organizations
    )
    chosen = [value for value in organizations.top if value.selected]
    assert [value.value for value in chosen] == [unlisted]
