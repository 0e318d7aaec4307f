"""The pages with tagging forms answer in a constant number of queries as the data grows."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Statement, Theme
from tests.conftest import make_organizations

pytestmark = pytest.mark.django_db

# What showing the forms costs over an anonymous reader's page, whatever the data's size:
# session, user, the user's own and group permissions; on the statement page (the only one
# with the forms: listings link each statement to its Edit themes page) the theme names for
# the suggestions and its theme changes.
EXTRA_FOR_TAGGERS = {"statement": 6, "organization": 4, "document": 4}


def page_url(page):
    if page == "statement":
        return Statement.objects.get(
            document__organization__slug="virginia", position=16
        ).get_absolute_url()
    if page == "organization":
        return reverse("organizations:detail", kwargs={"slug": "virginia"})
    return reverse(
        "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
    )


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


@pytest.mark.parametrize("page", sorted(EXTRA_FOR_TAGGERS))
def test_pages_with_forms_take_constant_queries_for_a_permitted_user(
    client, staffer, django_assert_num_queries, page
):
    url = page_url(page)
    anonymous, _ = queries_for(Client(), url)
    client.force_login(staffer)
    permitted, html = queries_for(client, url)
    assert ("Add a theme" if page == "statement" else ">Edit themes<") in html
    assert permitted - anonymous == EXTRA_FOR_TAGGERS[page]

    make_organizations(50)
    Theme.objects.bulk_create(Theme(name=f"More {n}", slug=f"more-{n}") for n in range(40))
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    statement.tags.add(*Theme.objects.filter(slug__startswith="more-")[:5])
    with django_assert_num_queries(permitted):
        response = client.get(url)
    assert response.status_code == 200
    options = Theme.objects.count() if page == "statement" else 0
    html = response.content.decode()
    # leave out the organization page's "Compare with ..." choice of organizations (compare)
    html = re.sub(r'<form class="compare-with".*?</form>', "", html, flags=re.DOTALL)
    assert html.count("<option value=") == options
