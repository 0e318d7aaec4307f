"""A signed-in person's page is cached whole for them alone, and what it shows of them (their
permissions, their sheets, a message waiting) changes it at once (issue 17)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from principles.models import Statement
from sheets.services import add_statement, create_sheet
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("organizations:detail", kwargs={"slug": "virginia"})


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def get(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return response


def body(response):
    """The page below its header, less the CSRF tokens (each response masks its own)."""
    main = response.content.decode().split("<main", 1)[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def statement():
    return Statement.objects.get(document__organization__slug="virginia", position=16)


def test_a_person_s_page_again_costs_three_reads(page_cache, django_assert_num_queries):
    client = signed_in(make_user("trainer-again", "Trainers"))
    first = get(client)
    assert first["X-Page-Cache"] == "miss"
    # the session, the user, and the versions of the page, the permissions and their sheets
    with django_assert_num_queries(3):
        again = get(client)
    assert again["X-Page-Cache"] == "hit"
    assert body(again) == body(first)


def test_the_cached_page_carries_the_person_s_own_working_token(page_cache):
    client = signed_in(make_user("trainer-token", "Trainers"), enforce_csrf_checks=True)
    get(client)
    html = get(client).content.decode()
    assert "csrf-token" not in html
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        reverse("sheets:add"),
        {
            "csrfmiddlewaretoken": token,
            "statement": [statement().pk],
            "sheet": "new",
            "new_title": "From the cached page",
            "next": URL,
        },
    )
    assert response.status_code == 302  # not 403: the token is theirs


def test_two_people_of_one_role_never_share_a_page(page_cache):
    owner = make_user("trainer-owner", "Trainers")
    create_sheet(owner=owner, title="Owner's own sheet")
    get(signed_in(owner))
    page = get(signed_in(make_user("trainer-other", "Trainers")))
    assert page["X-Page-Cache"] == "miss"
    html = page.content.decode()
    assert "trainer-other" in html
    assert "trainer-owner" not in html and "Owner&#x27;s own sheet" not in html


def test_a_change_to_the_person_s_sheets_shows_at_once(page_cache):
    owner = make_user("trainer-builder", "Trainers")
    sheet = create_sheet(owner=owner, title="Week one")
    client = signed_in(owner)
    get(client)
    assert "On your sheet" not in get(client).content.decode()
    add_statement(sheet, statement(), user=owner)  # the sheet's triggers bump person:<id>
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and "On your sheet" in page.content.decode()
    create_sheet(owner=owner, title="Week two")
    assert "Week two" in get(client).content.decode()


def test_a_permission_taken_away_shows_at_once(page_cache):
    user = make_user("staff-demoted", "Staff")
    client = signed_in(user)
    get(client)
    assert ">Edit themes<" in get(client).content.decode()
    user.groups.remove(Group.objects.get(name="Staff"))  # auth's triggers bump `auth`
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and ">Edit themes<" not in page.content.decode()
    user.groups.add(Group.objects.get(name="Staff"))
    assert ">Edit themes<" in get(client).content.decode()


def test_a_session_holding_more_than_the_sign_in_gets_a_fresh_page(page_cache):
    client = signed_in(make_user("staff-pending", "Staff"))
    get(client)
    assert get(client)["X-Page-Cache"] == "hit"
    session = client.session
    session["waiting"] = "a refused theme name, messages that did not fit their cookie"
    session.save()
    assert "X-Page-Cache" not in get(client)
