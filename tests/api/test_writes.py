"""The permission matrix of every write, by token and by session (with CSRF)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from principles.models import Statement, TaggedStatement
from sheets.models import Sheet, SheetItem

from .conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return Statement.objects.in_force().exclude(tagged_items__tag__slug="workforce").first()


@pytest.fixture
def users(staffer, trainer, editor):
    return {"staffer": staffer, "trainer": trainer, "editor": editor}


def caller(name, users):
    return APIClient() if name == "anonymous" else client_for(users[name])


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("trainer", 403), ("staffer", 201), ("editor", 201)],
)
def test_adding_a_theme(users, statement, who, expected):
    response = caller(who, users).post(
        reverse("api:statement-themes", args=[statement.pk]), {"name": "Workforce"}, format="json"
    )
    assert response.status_code == expected, response.content
    tagged = TaggedStatement.objects.filter(content_object=statement, tag__slug="workforce")
    assert tagged.exists() == (expected == 201)
    if expected == 201:
        assert response.json()["theme"]["slug"] == "workforce"
        row = TaggedStatement.history.filter(content_object_id=statement.pk).first()
        assert row.history_user == users[who]  # the audit trail names the token's user
    else:
        assert response["Content-Type"] == "application/problem+json"
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("trainer", 403), ("staffer", 204), ("editor", 204)],
)
def test_removing_a_theme(users, who, expected):
    tagged = (
        TaggedStatement.objects.filter(content_object__document__status="published")
        .select_related("tag")
        .first()
    )
    url = reverse("api:statement-theme", args=[tagged.content_object_id, tagged.tag.slug])
    response = caller(who, users).delete(url)
    assert response.status_code == expected
    assert TaggedStatement.objects.filter(pk=tagged.pk).exists() == (expected != 204)


def test_only_those_who_may_add_themes_invent_them(staffer, statement):
    """As on the statement page: tagging with existing themes needs add_taggedstatement,
    a new theme also add_theme (Staff hold both; this user only the first)."""
    from django.contrib.auth.models import Permission

    from tests.conftest import make_user

    tagger = make_user("tagger")
    tagger.user_permissions.add(Permission.objects.get(codename="add_taggedstatement"))
    url = reverse("api:statement-themes", args=[statement.pk])
    refused = client_for(tagger).post(url, {"name": "Brand New Theme"}, format="json")
    assert refused.status_code == 400
    assert "not a theme yet" in refused.json()["errors"]["name"]
    made = client_for(staffer).post(url, {"name": "Brand New Theme"}, format="json")
    assert made.status_code == 201 and made.json()["theme_created"] is True


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("staffer", 403), ("trainer", 201), ("editor", 201)],
)
def test_creating_a_sheet(users, who, expected):
    response = caller(who, users).post(
        reverse("api:sheets"), {"title": "  Session   one "}, format="json"
    )
    assert response.status_code == expected
    assert Sheet.objects.filter(title="Session one").exists() == (expected == 201)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("staffer", 403),
        ("other trainer", 403),
        ("trainer", 201),
        ("editor", 201),
    ],
)
def test_adding_to_and_removing_from_a_sheet(users, statement, who, expected):
    from tests.conftest import make_user

    owner = users["trainer"]
    sheet = Sheet.objects.create(owner=owner, title="Mine")
    if who == "other trainer":
        client = client_for(make_user("other", "Trainers"))
    else:
        client = caller(who, users)
    url = reverse("api:sheet-statements", args=[sheet.public_id])
    response = client.post(url, {"statement": statement.pk}, format="json")
    assert response.status_code == expected
    assert SheetItem.objects.filter(sheet=sheet).count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert [row["id"] for row in response.json()["statements"]] == [statement.pk]
        again = client.post(url, {"statement": statement.pk}, format="json")
        assert again.status_code == 200  # already there: nothing changes
        gone = client.delete(reverse("api:sheet-statement", args=[sheet.public_id, statement.pk]))
        assert gone.status_code == 204
        assert not SheetItem.objects.filter(sheet=sheet).exists()


def test_a_sheet_cannot_take_a_draft(trainer, draft):
    _, hidden = draft
    sheet = Sheet.objects.create(owner=trainer, title="Mine")
    response = client_for(trainer).post(
        reverse("api:sheet-statements", args=[sheet.public_id]),
        {"statement": hidden.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["statement"] == "There is no such statement."


def test_session_writes_need_the_csrf_token(staffer, statement):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staffer)
    url = reverse("api:statement-themes", args=[statement.pk])
    refused = client.post(url, {"name": "Workforce"}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = client.get(reverse("api:tokens"))  # any page sets the cookie
    token = page.cookies["csrftoken"].value
    accepted = client.post(url, {"name": "Workforce"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_tokens_need_no_csrf(staffer, statement):
    client = client_for(staffer)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        reverse("api:statement-themes", args=[statement.pk]), {"name": "Workforce"}, format="json"
    )
    assert response.status_code == 201


def test_malformed_bodies_are_400(staffer, statement):
    client = client_for(staffer)
    url = reverse("api:statement-themes", args=[statement.pk])
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert client.post(url, {}, format="json").status_code == 400


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("trainer", 403), ("staffer", 403), ("editor", 200)],
)
@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_reviewing_a_crosswalk_link(users, who, expected, action):
    from compare.models import CrosswalkLink

    first = Statement.objects.get(document__organization__slug="vermont-fsd", position=9)
    second = Statement.objects.get(document__organization__slug="virginia", position=13)
    response = caller(who, users).post(
        reverse("api:crosswalk-links"),
        {"first": first.pk, "second": second.pk, "action": action, "note": "last resort"},
        format="json",
    )
    assert response.status_code == expected, response.content
    assert CrosswalkLink.objects.exists() == (expected == 200)
    if expected == 200:
        body = response.json()
        assert body["verdict"] == f"{action}ed".replace("eed", "ed") and body["added"] is True
        assert CrosswalkLink.history.get().history_user == users[who]
        again = caller(who, users).post(
            reverse("api:crosswalk-links"),
            {"first": first.pk, "second": second.pk, "action": "withdraw"},
            format="json",
        )
        assert again.status_code == 204 and not CrosswalkLink.objects.exists()
    else:
        assert response["Content-Type"] == "application/problem+json"


def test_reviewing_a_link_within_one_organization_is_refused_in_plain_words(users):
    first, second = Statement.objects.filter(document__organization__slug="virginia")[:2]
    response = client_for(users["editor"]).post(
        reverse("api:crosswalk-links"),
        {"first": first.pk, "second": second.pk, "action": "confirm"},
        format="json",
    )
    assert response.status_code == 400
    assert "one organization" in response.json()["detail"]
