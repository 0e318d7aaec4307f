"""Signed-in pages share their statements' fragments with everyone of the same role, and a
write changes the fragments that show it (issue 17)."""

import pytest
from django.db import connection
from django.test import Client
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
