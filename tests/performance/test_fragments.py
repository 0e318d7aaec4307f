"""Signed-in pages share their statements' fragments with everyone of the same role, and a
write changes the fragments that show it (issue 17)."""

import pytest
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Statement, Theme
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("organizations:detail", kwargs={"slug": "virginia"})


def render_time_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    return response.content.decode(), len(queries.captured_queries)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_people_of_one_role_share_the_fragment_and_see_their_own_controls(page_cache):
    first = signed_in(make_user("staff-one", "Staff"))
    second = signed_in(make_user("staff-two", "Staff"))
    trainer = signed_in(make_user("trainer-one", "Trainers"))

    html, _ = render_time_queries(first, URL)
    assert ">Edit themes<" in html and "staff-one" in html
    again, _ = render_time_queries(second, URL)
    # the same statements with the same controls, under the other person's own header
    assert "staff-two" in again and "staff-one" not in again
    body = again.split("<main", 1)[1]
    assert body == html.split("<main", 1)[1]
    trainers, _ = render_time_queries(trainer, URL)
    assert ">Edit themes<" not in trainers and "Add to sheet" in trainers


def test_a_tag_shows_at_once_on_a_signed_in_page(page_cache):
    client = signed_in(make_user("staff-tagger", "Staff"))
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    render_time_queries(client, URL)
    statement.tags.add(
        Theme.objects.create(name="Fragment fresh", slug="fragment-fresh", status="approved")
    )
    html, _ = render_time_queries(client, URL)
    assert "Fragment fresh" in html


def test_without_the_page_cache_no_fragment_is_kept(settings):
    settings.PRACTICEKB_PAGE_CACHE = False
    client = signed_in(make_user("staff-plain", "Staff"))
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    render_time_queries(client, URL)
    Statement.objects.filter(pk=statement.pk).update(text="Seen without any cache.")
    assert "Seen without any cache." in render_time_queries(client, URL)[0]


def statements_read(queries):
    """The queries that read statements: not the theme counts, a read of the taggings that
    names statements only in a subquery (selectors.theme_counts)."""
    return [
        q["sql"]
        for q in queries
        if 'FROM "principles_statement"' in q["sql"]
        and 'FROM "principles_taggedstatement"' not in q["sql"]
    ]


def again_from_fragments(client, url, first_html):
    """The page asked for again: its body whole from the fragments, no statement read."""
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert statements_read(queries.captured_queries) == []
    assert again.content.decode().split("<main", 1)[1] == first_html.split("<main", 1)[1]
    return queries.captured_queries


COMPARE = reverse("compare:compare") + "?org=virginia&org=maine-cfs"
SEARCH = reverse("search:search") + "?q=families"


@pytest.mark.parametrize(
    ("url", "drawn"),
    [
        (URL, ()),  # selectors.OrganizationPage reads nothing
        (COMPARE, ("Crosswalk", "statement__permalink")),  # the comparison is not computed
        (SEARCH, ("statements match", ">Edit themes<")),  # the search is not run
    ],
    ids=["organization", "comparison", "search"],
)
def test_a_signed_in_page_from_its_fragments_reads_none_of_its_statements(page_cache, url, drawn):
    client = signed_in(make_user("staff-reader", "Staff"))
    first_html, _ = render_time_queries(client, url)
    assert all(part in first_html for part in drawn)
    again_from_fragments(client, url, first_html)


def review_form_fields(html):
    form = html.split('class="review__form"', 1)[1]
    return {
        name: form.split(f'name="{name}" value="', 1)[1].split('"', 1)[0]
        for name in ("csrfmiddlewaretoken", "first", "second")
    }


def test_a_reviewer_s_comparison_comes_from_the_fragment_with_their_own_token(page_cache):
    """Review forms are drawn once per role with a marker for the CSRF token; each response
    carries its own person's token, which their POST is accepted with."""
    first = Client(enforce_csrf_checks=True)
    first.force_login(make_user("editor-one", "Editors", is_staff=True))
    second = Client(enforce_csrf_checks=True)
    second.force_login(make_user("editor-two", "Editors", is_staff=True))
    first_html, _ = render_time_queries(first, COMPARE)
    with CaptureQueriesContext(connection) as queries:
        response = second.get(COMPARE)
    assert statements_read(queries.captured_queries) == []
    html = response.content.decode()
    assert "csrf-token" not in html and "csrf-token" not in first_html
    fields = review_form_fields(html)
    assert fields["csrfmiddlewaretoken"] != review_form_fields(first_html)["csrfmiddlewaretoken"]
    response = second.post(
        reverse("compare:review-link"), {**fields, "action": "confirm", "next": COMPARE}
    )
    assert response.status_code == 302  # not 403: the token is the second editor's own


def test_the_token_marker_in_someone_s_text_stays_text(page_cache):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    Statement.objects.filter(pk=statement.pk).update(text="Quoted: <!--csrf-token--> as text.")
    client = signed_in(make_user("editor-marker", "Editors", is_staff=True))
    html, _ = render_time_queries(client, COMPARE)
    assert "Quoted: &lt;!--csrf-token--&gt; as text." in html


def test_a_signed_in_theme_page_keeps_its_count_beside_its_fragments(page_cache):
    theme = Theme.objects.get(slug="kinship")
    url = theme.get_absolute_url()
    client = signed_in(make_user("staff-theme", "Staff"))
    first_html, _ = render_time_queries(client, url)
    queries = again_from_fragments(client, url, first_html)
    assert not [q for q in queries if "COUNT(" in q["sql"]]


def test_a_trainer_s_search_offers_the_add_ticked_form_only_with_statements(page_cache):
    client = signed_in(make_user("trainer-searcher", "Trainers"))
    for _ in range(2):  # drawn, then from the fragment and what is kept beside it
        html, _ = render_time_queries(client, SEARCH)
        assert 'id="add-to-sheet"' in html and 'form="add-to-sheet"' in html
    nothing = reverse("search:search") + "?q=zyzzogeton"
    for _ in range(2):
        html, _ = render_time_queries(client, nothing)
        assert "Nothing matches" in html and 'id="add-to-sheet"' not in html


def test_a_tag_shows_at_once_in_a_signed_in_search(page_cache):
    client = signed_in(make_user("staff-fresh-search", "Staff"))
    render_time_queries(client, SEARCH)
    statement = Statement.objects.filter(text__icontains="families").first()
    statement.tags.add(
        Theme.objects.create(name="Search fresh", slug="search-fresh", status="approved")
    )
    html, _ = render_time_queries(client, SEARCH)
    assert "Search fresh" in html


def test_a_reviewer_s_statement_page_takes_similar_elsewhere_from_the_fragment(page_cache):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    url = statement.get_absolute_url()
    first = Client(enforce_csrf_checks=True)
    first.force_login(make_user("editor-similar-one", "Editors", is_staff=True))
    second = Client(enforce_csrf_checks=True)
    second.force_login(make_user("editor-similar-two", "Editors", is_staff=True))
    render_time_queries(first, url)
    with CaptureQueriesContext(connection) as queries:
        html = second.get(url).content.decode()
    assert not [q for q in queries.captured_queries if "compare_statementsimilarity" in q["sql"]]
    assert "Similar elsewhere" in html and "csrf-token" not in html
    add_form = html.split("review__add", 1)[1]
    token = add_form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    other = Statement.objects.filter(document__organization__slug="maine-cfs").first()
    response = second.post(
        reverse("compare:review-link"),
        {
            "csrfmiddlewaretoken": token,
            "first": statement.pk,
            "second": other.pk,
            "action": "confirm",
            "added": "1",
            "next": url,
        },
    )
    assert response.status_code == 302  # the second editor's own token


def test_a_shared_fragment_is_kept_only_on_a_page_with_a_fragment_key():
    template = Template(
        "{% load practicekb %}{% shared_fragment test-fragment version %}{{ text }}"
        "{% endshared_fragment %}"
    )
    request = RequestFactory().get("/")
    assert template.render(Context({"request": request, "text": "one"})) == "one"
    assert template.render(Context({"request": request, "text": "two"})) == "two"
    request.fragment_key = "key-of-the-page"
    kept = {"request": request, "version": 1}
    assert template.render(Context({**kept, "text": "three"})) == "three"
    assert template.render(Context({**kept, "text": "four"})) == "three"  # from the cache
    assert template.render(Context({**kept, "version": 2, "text": "five"})) == "five"
    with pytest.raises(TemplateSyntaxError):
        Template("{% load practicekb %}{% shared_fragment %}{% endshared_fragment %}")
