"""The read endpoints: shapes, filters, stable ids, and the reader-leak rules."""

import pytest
from django.urls import reverse

from compare.selectors import similar_elsewhere
from principles.models import Document, Statement
from search import selectors as search_selectors
from search.backends import Criteria
from search.query import parse

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_organizations_list_and_detail(api):
    body = api.get(reverse("api:organizations")).json()
    slugs = [row["slug"] for row in body["results"]]
    assert slugs == sorted(slugs)
    assert {"virginia", "maine-cfs", "vermont-fsd"} <= set(slugs)
    virginia = api.get(reverse("api:organization", args=["virginia"])).json()
    assert virginia["permalink"] == "http://testserver/organizations/virginia/"
    assert api.get(reverse("api:organization", args=["nowhere"])).status_code == 404


def test_statement_ids_match_permalinks_and_carry_citations(api):
    statement = Statement.objects.in_force().filter(tagged_items__isnull=False).first()
    body = api.get(reverse("api:statement", args=[statement.pk])).json()
    assert body["id"] == statement.pk
    assert body["permalink"] == f"http://testserver/statements/{statement.pk}/"
    assert body["text"] == statement.text
    assert {t["slug"] for t in body["themes"]} == set(statement.tags.values_list("slug", flat=True))
    citations = body["citations"]
    assert citations["apa"].endswith(f"from http://testserver/statements/{statement.pk}/")
    assert statement.document.organization.name in citations["chicago"]
    assert citations["ris"].startswith("TY  - ELEC")
    assert body["lineage"] is None


def test_statement_filters(api, virginia):
    rows = api.get(
        reverse("api:statements"),
        {"organization": "virginia", "kind": "guiding_principle", "page_size": 200},
    ).json()["results"]
    expected = Statement.objects.in_force().filter(
        document__organization=virginia, kind="guiding_principle"
    )
    assert sorted(row["id"] for row in rows) == sorted(expected.values_list("pk", flat=True))
    themed = api.get(reverse("api:statements"), {"theme": "kinship", "page_size": 200}).json()
    assert themed["results"]
    assert all("kinship" in {t["slug"] for t in row["themes"]} for row in themed["results"])


def test_cursor_pagination_walks_every_statement_once(api):
    seen, url = [], reverse("api:statements") + "?page_size=37"
    while url:
        body = api.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == Statement.objects.in_force().count()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"organization": "atlantis"}, "There is no organization “atlantis”."),
        ({"theme": "nope"}, "There is no theme “nope”."),
        ({"kind": "poem"}, "poem"),
        ({"page_size": "x"}, "page_size: The page size must be a whole number"),
        ({"cursor": "garbage"}, "That cursor is not one"),
        ({"utm_source": "x"}, "Unknown parameter “utm_source”"),
    ],
)
def test_bad_filters_are_plain_problem_details(api, params, message):
    response = api.get(reverse("api:statements"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "Bad request"
    assert message in body["detail"]


def test_document_detail_has_provenance_sections_and_statements(api, virginia):
    document = Document.objects.in_force().filter(organization=virginia).first()
    url = reverse("api:document", args=["virginia", document.slug])
    body = api.get(url).json()
    assert body["id"] == document.pk
    assert body["provenance"]["source_url"] == document.source_url
    assert [row["id"] for row in body["statements"]] == list(
        document.statements.order_by("position").values_list("pk", flat=True)
    )
    assert len(body["sections"]) == document.sections.count()


def test_themes_with_entry_terms(api):
    body = api.get(reverse("api:theme", args=["kinship"])).json()
    assert body["name"] == "Kinship"
    assert "relatives" in [term.lower() for term in body["entry_terms"]]
    assert body["statement_count"] == (
        Statement.objects.in_force().filter(tagged_items__tag__slug="kinship").count()
    )


def test_search_ranks_as_the_page_does(api, virginia):
    body = api.get(reverse("api:search"), {"q": "kinship", "organization": "virginia"}).json()
    criteria = Criteria(query=parse("kinship"), organization=virginia)
    page = search_selectors.search(criteria)
    assert [row["id"] for row in body["results"]] == [st.pk for st in page.results]
    assert body["total"] == page.total
    assert any("<mark>" in row["text_html"] for row in body["results"])
    bad = api.get(reverse("api:search"), {"q": "x", "theme": "nope"})
    assert bad.status_code == 400 and "There is no theme “nope”." in bad.json()["detail"]
    past = api.get(reverse("api:search"), {"q": "kinship", "page": 500})
    assert past.status_code == 404


def test_similar_and_crosswalk_are_marked_suggested(api):
    statement = next(
        st for st in Statement.objects.in_force().order_by("pk") if similar_elsewhere(st)
    )
    links = api.get(reverse("api:statement-similar", args=[statement.pk])).json()
    assert [link["statement"]["id"] for link in links] == [
        row.other.pk for row in similar_elsewhere(statement)
    ]
    assert all(link["kind"] == "suggested" and link["confirmed"] is False for link in links)
    crosswalk = api.get(
        reverse("api:crosswalk"), {"organization": ["virginia", "maine-cfs"]}
    ).json()
    assert crosswalk["count"] == len(crosswalk["pairs"]) > 0
    pair = crosswalk["pairs"][0]
    assert pair["kind"] == "suggested" and pair["confirmed"] is False
    assert pair["first"]["organization"]["slug"] == "virginia"
    one = api.get(reverse("api:crosswalk"), {"organization": "virginia"})
    assert one.status_code == 400 and "at least 2" in one.json()["detail"]


# Reader-leak rules -------------------------------------------------------------------------


def test_readers_never_see_drafts(api, draft):
    document, statement = draft
    assert api.get(reverse("api:statement", args=[statement.pk])).status_code == 404
    assert api.get(reverse("api:document", args=["virginia", document.slug])).status_code == 404
    listed = api.get(reverse("api:statements"), {"organization": "virginia", "page_size": 200})
    assert statement.pk not in [row["id"] for row in listed.json()["results"]]
    documents = api.get(reverse("api:documents"), {"organization": "virginia"}).json()
    assert document.pk not in [row["id"] for row in documents["results"]]
    asked = api.get(reverse("api:statements"), {"status": "draft"})
    assert asked.status_code == 400 and "Only editors" in asked.json()["detail"]
    searched = api.get(reverse("api:search"), {"q": "secret draft"}).json()
    assert statement.pk not in [row["id"] for row in searched["results"]]
    section = document.sections.get()
    assert api.get(reverse("api:section", args=[section.pk])).status_code == 404
    assert api.get(reverse("api:statement-similar", args=[statement.pk])).status_code == 404


def test_retired_content_is_gone(api, retired):
    document, statement = retired
    for url in (
        reverse("api:statement", args=[statement.pk]),
        reverse("api:document", args=["virginia", document.slug]),
    ):
        response = api.get(url)
        assert response.status_code == 410
        assert "retired" in response.json()["detail"]
        assert statement.text not in response.content.decode()
    listed = api.get(reverse("api:statements"), {"theme": "kinship", "page_size": 200}).json()
    assert statement.pk not in [row["id"] for row in listed["results"]]


def test_editors_see_drafts(editor, draft):
    document, statement = draft
    client = client_for(editor)
    assert client.get(reverse("api:statement", args=[statement.pk])).status_code == 200
    rows = client.get(reverse("api:statements"), {"status": "draft"}).json()["results"]
    assert statement.pk in [row["id"] for row in rows]
    body = client.get(reverse("api:document", args=["virginia", document.slug])).json()
    assert body["status"] == "draft"


def test_staff_do_not_see_drafts(staffer, draft):
    _, statement = draft
    client = client_for(staffer)
    assert client.get(reverse("api:statement", args=[statement.pk])).status_code == 404


def test_a_shared_sheet_leaves_out_retired_statements(api, trainer, retired):
    from sheets import services as sheet_services

    _, gone = retired
    sheet = sheet_services.create_sheet(owner=trainer, title="Session 1")
    kept = Statement.objects.in_force().first()
    sheet_services.add_statement(sheet, kept, user=trainer)
    sheet_services.add_statement(sheet, gone, user=trainer)
    body = api.get(reverse("api:sheet", args=[sheet.public_id])).json()
    assert [row["id"] for row in body["statements"]] == [kept.pk]
