"""Personal API tokens: made and revoked on the account page, stored hashed, checked."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, staffer):
    client.force_login(staffer)
    return client


def make_token(client, name="nightly sync"):
    response = client.post(reverse("api:tokens"), {"name": name})
    assert response.status_code == 200
    return response, response.context["created"]["token"]


def test_the_token_page_needs_a_sign_in(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_new_token_is_shown_once_and_stored_hashed(signed_in, staffer):
    response, token = make_token(signed_in)
    assert token.startswith("pkb_")
    assert token in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get(user=staffer)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.lookup, row.digest, row.name)
    listing = signed_in.get(reverse("api:tokens")).content.decode()
    assert "nightly sync" in listing and token not in listing


def test_a_token_acts_as_its_user_until_revoked(signed_in, staffer):
    _, token = make_token(signed_in)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    statement_url = reverse("api:statements")
    response = api.get(statement_url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]  # an answer for one user only
    row = ApiToken.objects.get(user=staffer)
    assert row.last_used_at is not None
    revoked = signed_in.post(reverse("api:token-revoke", args=[row.pk]))
    assert revoked.status_code == 302
    refused = api.get(statement_url)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "That token is not valid, or was revoked."


def test_people_revoke_only_their_own_tokens(signed_in, editor):
    theirs, _ = ApiToken.issue(editor, "editor's")
    response = signed_in.post(reverse("api:token-revoke", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert "editor's" not in signed_in.get(reverse("api:tokens")).content.decode()


def test_revoking_needs_a_post(signed_in, staffer):
    row, _ = ApiToken.issue(staffer, "x")
    assert signed_in.get(reverse("api:token-revoke", args=[row.pk])).status_code == 405


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer pkb_000000000000_wrong",
        "Bearer",
        "Bearer a b",
    ],
)
def test_bad_tokens_are_refused_with_401(staffer, header):
    ApiToken.issue(staffer, "real")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(reverse("api:statements"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_guessed_secret_with_a_real_lookup_is_refused(staffer):
    _row, token = ApiToken.issue(staffer, "real")
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert api.get(reverse("api:statements")).status_code == 401


def test_a_deactivated_users_token_is_refused(staffer):
    _, token = ApiToken.issue(staffer, "real")
    staffer.is_active = False
    staffer.save()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:statements")).status_code == 401


def test_a_token_needs_a_name(signed_in):
    response = signed_in.post(reverse("api:tokens"), {"name": "   "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_closed_site_answers_tokens_and_refuses_anonymous_readers(settings, staffer):
    settings.PRACTICEKB_LOGIN_REQUIRED_FOR_READING = True
    anonymous = APIClient().get(reverse("api:statements"))
    assert anonymous.status_code == 401
    _, token = ApiToken.issue(staffer, "sync")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get(reverse("api:statements")).status_code == 200
