"""Signing in: throttled against password guessing, never redirected off-site; admin is for
staff only."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

LOGIN = reverse("accounts:login")


def attempt(client, username, password, next_url=None, **extra):
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data, **extra)


def test_a_wrong_password_says_so_in_plain_words(client, staffer):
    response = attempt(client, "staffer", "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_username_out_even_with_the_right_password(
    client, staffer, settings
):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt(client, "staffer", "guess").status_code == 200
    locked = attempt(client, "staffer", "guess")  # the fifth failure locks
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many sign-in attempts" in html
    assert "paused for 15 minutes" in html
    assert "Traceback" not in html and "axes" not in html.lower()

    right = attempt(client, "staffer", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_cool_off(client, staffer):
    for _ in range(5):
        attempt(client, "staffer", "guess")
    assert attempt(client, "staffer", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = attempt(client, "staffer", PASSWORD, next_url=reverse("principles:themes"))
    assert response.status_code == 302 and response["Location"] == reverse("principles:themes")
    assert client.session["_auth_user_id"] == str(staffer.pk)


def test_the_lockout_is_per_username_and_address(client, staffer, trainer):
    for _ in range(5):
        attempt(client, "staffer", "guess")
    # another person signing in from the same address is not locked out ...
    assert attempt(client, "trainer", PASSWORD).status_code == 302
    client.logout()
    # ... nor is the same person from another address
    other = attempt(client, "staffer", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


def test_a_successful_sign_in_clears_the_count(client, staffer):
    for _ in range(4):
        attempt(client, "staffer", "guess")
    assert attempt(client, "staffer", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "staffer", "guess").status_code == 200
    assert attempt(client, "staffer", PASSWORD).status_code == 302


def test_admin_sign_in_is_throttled_too(client, editor):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "editor", "password": "guess"})
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429


OFF_SITE = [
    "//evil.example",
    "//evil.example/path",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/",
    "https:evil.example",
    "https:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example",
    "http://evil.example\\@testserver/",
]


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_sign_in_never_redirects_off_site(client, staffer, next_url):
    response = attempt(client, "staffer", PASSWORD, next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")  # home, LOGIN_REDIRECT_URL


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_sign_in_form_does_not_carry_an_off_site_next(client, next_url):
    response = client.get(LOGIN, {"next": next_url})
    assert response.status_code == 200
    assert 'name="next" value=""' in response.content.decode()


def test_sign_in_follows_an_on_site_next(client, staffer, kinship_statement):
    target = (
        reverse("principles:statement", kwargs={"pk": kinship_statement.pk}) + "?from=login#themes"
    )
    response = attempt(client, "staffer", PASSWORD, next_url=target)
    assert response["Location"] == target


# "0" and "home" are not paths: redirect() would take them for view names (a 500 once, found
# by the hypothesis sweep)
@pytest.mark.parametrize(
    "next_url", ["//evil.example", "https://evil.example", "javascript:x", "0", "home"]
)
def test_the_tagging_and_sheet_forms_never_redirect_off_site(
    client, staffer, trainer, kinship_statement, next_url
):
    client.force_login(staffer)
    tagged = client.post(
        reverse("principles:statement-theme-add", kwargs={"pk": kinship_statement.pk}),
        {"name": "Workforce", "next": next_url},
    )
    assert tagged.status_code == 302 and tagged["Location"].startswith("/statements/")
    client.force_login(trainer)
    added = client.post(
        reverse("sheets:add"),
        {"statement": kinship_statement.pk, "sheet": "new", "new_title": "T", "next": next_url},
    )
    assert added.status_code == 302 and added["Location"].startswith("/statements/")


ADMIN_PAGES = [
    reverse("admin:index"),
    reverse("admin:principles_statement_changelist"),
    reverse("admin:principles_statement_change", kwargs={"object_id": "1"}),
    reverse("admin:principles_statement_history", kwargs={"object_id": "1"}),
    reverse("admin:auth_user_changelist"),
    reverse("transfer:import"),
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_signed_in_people_without_staff_status_are_not_let_into_admin(client, staffer, path):
    """Staff (the tagging role) without Django's staff status: admin's sign-in page, which
    says they are not authorized, and none of admin's content."""
    client.force_login(staffer)
    response = client.get(path, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("admin:login") + "?next=")
    html = response.content.decode()
    assert "not authorized to access this page" in html
    assert "Select statement to change" not in html and "Site administration" not in html


def test_a_superuser_without_staff_status_is_kept_out_too(client, db):
    client.force_login(make_user("boss", is_superuser=True, is_staff=False))
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_status_alone_opens_admin_but_no_model_without_its_permission(client, db):
    client.force_login(make_user("bare-staff", is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:principles_statement_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editors_reach_the_statements_in_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:principles_statement_changelist")).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        reverse("admin:principles_statement_history", kwargs={"object_id": "abc"}),
        "/admin/principles/statement/1/history/abc/",
        reverse("admin:principles_theme_history", kwargs={"object_id": "abc"}),
        reverse("admin:organizations_organization_history", kwargs={"object_id": "abc"}),
        "/admin/principles/taggedstatement/1/history/x/",
    ],
)
def test_admin_history_with_an_id_that_is_not_one_is_404(client, db, path):
    """django-simple-history looked such ids up as they were, and the database raised (500)."""
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 404
