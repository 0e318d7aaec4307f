"""Admin pages answer for a superuser, and every changelist runs a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, Theme
from tests.conftest import make_organizations

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def admin_urls():
    document = Document.objects.get(organization__slug="vermont-fsd")
    statement = document.statements.first()
    section = document.sections.first()
    organization = document.organization
    version = statement.history.earliest()
    theme = Theme.objects.first()
    urls = [
        reverse("admin:index"),
        reverse("admin:organizations_organization_changelist"),
        reverse("admin:principles_document_changelist"),
        reverse("admin:principles_section_changelist"),
        reverse("admin:principles_statement_changelist"),
        reverse("admin:organizations_organization_add"),
        reverse("admin:principles_document_add"),
        reverse("admin:principles_statement_add"),
        reverse("admin:organizations_organization_change", kwargs={"object_id": organization.pk}),
        reverse("admin:organizations_organization_history", kwargs={"object_id": organization.pk}),
        reverse("admin:principles_document_change", kwargs={"object_id": document.pk}),
        reverse("admin:principles_document_history", kwargs={"object_id": document.pk}),
        reverse("admin:principles_section_change", kwargs={"object_id": section.pk}),
        reverse("admin:principles_section_history", kwargs={"object_id": section.pk}),
        reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk}),
        reverse("admin:principles_statement_history", kwargs={"object_id": statement.pk}),
        reverse(
            "admin:principles_statement_simple_history", args=[statement.pk, version.history_id]
        ),
        reverse("transfer:import"),
    ]
    if theme is not None:
        urls.append(
            reverse("admin:principles_statement_changelist") + f"?tags__id__exact={theme.pk}"
        )
    return urls


def test_every_editing_admin_page_answers_200_for_a_superuser(superuser_client):
    for url in admin_urls():
        assert superuser_client.get(url).status_code == 200, url


def changelists():
    vermont = Organization.objects.get(slug="vermont-fsd")
    document = Document.objects.get(organization=vermont)
    return [
        reverse("admin:organizations_organization_changelist"),
        reverse("admin:principles_document_changelist"),
        reverse("admin:principles_section_changelist"),
        reverse("admin:principles_section_changelist") + f"?document__id__exact={document.pk}",
        reverse("admin:principles_statement_changelist"),
        reverse("admin:principles_statement_changelist")
        + f"?document__organization__id__exact={vermont.pk}",
        reverse("admin:principles_statement_changelist") + f"?document__id__exact={document.pk}",
        reverse("admin:principles_statement_changelist")
        + "?kind__exact=guiding_principle&document__status__exact="
        "published&q=family",
    ]


@pytest.mark.parametrize("index", range(8))
def test_changelists_run_the_same_queries_for_5_and_55_organizations(
    superuser_client, django_assert_num_queries, index
):
    url = changelists()[index]
    superuser_client.get(url)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as seed:
        assert superuser_client.get(url).status_code == 200
    assert len(seed) <= 12, [q["sql"] for q in seed.captured_queries]
    make_organizations(50)
    with django_assert_num_queries(len(seed)):
        response = superuser_client.get(url)
    assert response.status_code == 200
    if index in (0, 1, 4):
        assert "Generated Agency" in response.content.decode()


def test_the_document_change_form_does_not_query_per_statement(superuser_client):
    """Each statement row offers the document's sections: read once, not once per row."""
    small = Document.objects.get(organization__slug="vermont-fsd")
    large = Document.objects.get(organization__slug="virginia")
    assert large.statements.count() > 2 * small.statements.count()
    counts = []
    for document in (small, large):
        url = reverse("admin:principles_document_change", kwargs={"object_id": document.pk})
        superuser_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert superuser_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_statement_list_edits_themes_and_filters_by_theme(superuser_client):
    theme = Theme.objects.create(
        name="Editing filter theme", slug="editing-filter-theme", status="approved"
    )
    statement = Statement.objects.get(text="All children have the right to be safe.")
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(superuser_client.get(url))
    data["tags"] = ", ".join(filter(None, [data["tags"], "Editing filter theme"]))
    assert superuser_client.post(url, data).status_code == 302
    assert theme in statement.tags.all()
    listing = superuser_client.get(
        reverse("admin:principles_statement_changelist") + f"?tags__id__exact={theme.pk}"
    )
    assert list(listing.context["cl"].result_list) == [statement]
