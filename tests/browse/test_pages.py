"""Browse and read: every page answers for every organization and statement, in constant queries."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, Theme
from tests.conftest import make_organizations

pytestmark = pytest.mark.django_db

SLUGS = ["california-alliance", "vermont-fsd", "virginia", "california-child-support", "maine-cfs"]


@pytest.fixture
def draft_reader(db):
    """Not staff, in no group, but may change documents, and so reads drafts and retired ones."""
    user = User.objects.create_user("draft-reader", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    return user


@pytest.fixture
def kinship(db):
    theme = Theme.objects.create(
        name="Kinship test", slug="kinship-test", curated=True, status="approved"
    )
    for statement in Statement.objects.filter(text__contains="kinship"):
        statement.tags.add(theme)
    return theme


def test_home_lists_the_five_organizations_with_their_missions(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for organization in Organization.objects.all():
        assert organization.get_absolute_url() in html
    assert "Promote parental responsibility to enhance the well-being of children" in html


@pytest.mark.parametrize("slug", SLUGS)
def test_every_organization_page_and_document_page_answers(client, slug):
    organization = Organization.objects.get(slug=slug)
    response = client.get(organization.get_absolute_url())
    assert response.status_code == 200
    assert organization.name.replace("'", "&#x27;") in response.content.decode()
    for document in organization.documents.all():
        assert client.get(document.get_absolute_url()).status_code == 200


def test_every_statement_permalink_answers_and_is_linked_from_its_organization(client):
    pages = {
        slug: client.get(reverse("organizations:detail", kwargs={"slug": slug})).content.decode()
        for slug in SLUGS
    }
    for statement in Statement.objects.select_related("document__organization"):
        url = statement.get_absolute_url()
        assert client.get(url).status_code == 200, url
        assert f'href="{url}"' in pages[statement.document.organization.slug]


def test_organization_page_sets_mission_and_vision_apart_and_shows_provenance(client):
    html = client.get(
        reverse("organizations:detail", kwargs={"slug": "vermont-fsd"})
    ).content.decode()
    assert 'class="mission-vision"' in html
    assert "Cynthia K. Walcott, Deputy Commissioner" in html
    assert "December 20, 2012" in html
    assert "Family Services Policy No. 11, dated" in html
    # the source's **bold** becomes emphasis, not asterisks
    assert "Our <strong>Practice Model</strong>, which" in html


def test_long_pages_get_contents_beside_them(client):
    for address in (
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse(
            "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
        ),
    ):
        html = client.get(address).content.decode()
        contents = html.split('<nav class="toc" aria-labelledby="contents-title">')[1]
        contents = contents.split("</nav>")[0]
        assert 'href="#document-practice-model">Virginia Practice Principles</a>' in contents
        assert 'href="#section-practice-model-6"' in contents
        assert 'id="section-practice-model-6"' in html


def test_statement_page_has_context_neighbours_and_citation(client):
    statement = Statement.objects.get(document__organization__slug="virginia", position=3)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert "We believe that all children and communities deserve to be safe." in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "Cite this" in html
    assert f"http://testserver{statement.get_absolute_url()}" in html
    assert "Guiding principle 2." in html


def test_theme_pages_group_statements_by_organization(client, kinship):
    html = client.get(reverse("principles:themes")).content.decode()
    assert kinship.get_absolute_url() in html
    response = client.get(kinship.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="org-virginia"' in html and 'id="org-maine-cfs"' in html


@pytest.mark.parametrize(
    "url",
    [
        reverse("organizations:detail", kwargs={"slug": "atlantis"}),
        reverse("organizations:document", kwargs={"slug": "virginia", "document_slug": "nope"}),
        reverse("principles:statement", kwargs={"pk": 999999}),
        "/statements/abc/",
        reverse("principles:theme", kwargs={"slug": "no-such-theme"}),
        "/nowhere/",
    ],
)
def test_unknown_addresses_answer_404_with_the_site_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="skip-link"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=association", ["california-alliance"]),
        ("jurisdiction=California", ["california-alliance", "california-child-support"]),
        ("kind=state_agency&jurisdiction=Maine", ["maine-cfs"]),
    ],
)
def test_organizations_can_be_filtered(client, query, expected):
    response = client.get(reverse("organizations:list") + f"?{query}")
    assert response.status_code == 200
    shown = [o.slug for o in response.context["organizations"]]
    assert shown == expected


@pytest.mark.parametrize("query", ["kind=bakery", "jurisdiction=Atlantis", "kind=%00"])
def test_unknown_filter_values_answer_400_in_plain_words(client, query):
    response = client.get(reverse("organizations:list") + f"?{query}")
    assert response.status_code == 400
    assert "Those filters could not be used" in response.content.decode()


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_unpublished_documents_are_hidden_from_readers_and_shown_to_editors(
    client, draft_reader, status
):
    document = Document.objects.get(organization__slug="maine-cfs")
    document.status = status
    document.save()
    statement = document.statements.first()
    gone = 410 if status == "retired" else 404  # a retired statement's permalink: tombstone
    assert client.get(statement.get_absolute_url()).status_code == gone
    assert client.get(document.get_absolute_url()).status_code == gone
    assert (
        "no published documents"
        in client.get(
            reverse("organizations:detail", kwargs={"slug": "maine-cfs"})
        ).content.decode()
    )

    client.force_login(draft_reader)
    html = client.get(
        reverse("organizations:detail", kwargs={"slug": "maine-cfs"})
    ).content.decode()
    assert f"banner--{status}" in html
    permalink = client.get(statement.get_absolute_url())
    assert permalink.status_code == (410 if status == "retired" else 200)
    assert statement.text in permalink.content.decode()  # editors read the retired text


def test_a_superseded_document_links_to_its_successor(client):
    old = Document.objects.get(organization__slug="vermont-fsd")
    new = Document.objects.create(
        organization=old.organization,
        slug="policy-11-2024",
        title="Mission, Values, & Guiding Principles (2024)",
        kind="policy",
        status="published",
        position=2,
        supersedes=old,
    )
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Superseded" in html and new.get_absolute_url() in html


# Query counts: the same for the five seed organizations and with fifty more.
PAGES = [
    # home and themes: one of them counts every theme's statements (selectors.theme_counts)
    ("home", lambda: reverse("home"), 4),
    ("organizations", lambda: reverse("organizations:list"), 3),
    # organization: and one to list its earlier versions (superseded documents), and one for
    # "Compare with ..." (compare: the other organizations)
    ("organization", lambda: reverse("organizations:detail", kwargs={"slug": "virginia"}), 7),
    (
        "document",
        lambda: reverse(
            "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
        ),
        5,
    ),
    # statement: 4, one for its place in the document (the citation's locator), and three
    # for "Similar elsewhere" (compare: confirmed links, the matches, and whether they are
    # being updated)
    ("statement", lambda: Statement.objects.get(label="Priority Two").get_absolute_url(), 8),
    ("themes", lambda: reverse("principles:themes"), 2),
    # theme: and one to count its statements (50 to a page), and one for the organizations
    # that say most on it, to compare (compare)
    ("theme", lambda: Theme.objects.get(slug="kinship-test").get_absolute_url(), 5),
]


@pytest.mark.parametrize(("name", "url", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_is_constant_as_data_grows(
    client, django_assert_num_queries, kinship, name, url, queries
):
    address = url()
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200
    make_organizations(50)
    for statement in Statement.objects.filter(document__organization__slug__startswith="gen")[:80]:
        statement.tags.add(kinship)
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200
