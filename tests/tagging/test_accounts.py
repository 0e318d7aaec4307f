"""Signing in and out, the roles as groups, and closing reading to anonymous users."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import GROUPS
from tests.conftest import PASSWORD

from .util import signed_in

pytestmark = pytest.mark.django_db


def test_the_groups_hold_exactly_the_permissions_of_their_role():
    for name, wanted in GROUPS.items():
        group = Group.objects.get(name=name)
        held = set(
            group.permissions.filter(
                content_type__app_label__in=["principles", "organizations"]
            ).values_list("content_type__app_label", "codename")
        )
        assert held == set(wanted), name
    assert Group.objects.filter(name="Trainers").exists()


def test_staff_may_tag_but_not_edit_and_editors_may_edit(staffer, editor):
    assert staffer.has_perms(
        [
            "principles.add_taggedstatement",
            "principles.delete_taggedstatement",
            "principles.add_theme",
        ]
    )
    assert not staffer.has_perm("principles.change_statement")
    assert not staffer.has_perm("principles.change_document")  # so no drafts either
    assert editor.has_perms(["principles.change_statement", "principles.change_theme"])
    assert not editor.has_perm("principles.delete_document")


def test_the_sign_in_page_signs_in_and_returns_to_the_page(client, staffer):
    themes = reverse("principles:themes")
    response = client.get(reverse("accounts:login") + f"?next={themes}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in html
    assert f'name="next" value="{themes}"' in html
    response = client.post(
        reverse("accounts:login"),
        {"username": "staffer", "password": PASSWORD, "next": themes},
    )
    assert response.status_code == 302 and response["Location"] == themes
    html = client.get(themes).content.decode()
    assert "Signed in as staffer." in html
    assert "Sign out" in html


def test_a_wrong_password_says_so_in_plain_words(client, staffer):
    response = client.post(reverse("accounts:login"), {"username": "staffer", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_the_header_offers_sign_in_or_sign_out(client, staffer):
    html = client.get(reverse("organizations:list")).content.decode()
    assert f'<a href="{reverse("accounts:login")}?next=/organizations/">Sign in</a>' in html
    signed_in(client, staffer)
    html = client.get(reverse("organizations:list")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in html and "Sign in</a>" not in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Signed out." in client.get(reverse("home")).content.decode()


def test_reading_is_open_by_default(client, kinship_statement):
    for url in [
        "/",
        reverse("organizations:list"),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("principles:themes"),
        kinship_statement.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 200, url


def test_a_setting_requires_sign_in_for_reading(client, settings, reader, kinship_statement):
    settings.PRACTICEKB_LOGIN_REQUIRED_FOR_READING = True
    pages = [
        reverse("home"),
        reverse("organizations:list"),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("principles:themes"),
        reverse("principles:theme", kwargs={"slug": "kinship"}),
    ]
    for url in [*pages, kinship_statement.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url
    # the sign-in page, admin's own sign-in and the static files stay reachable
    assert client.get(reverse("accounts:login")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
    assert reverse("admin:login") in client.get(reverse("admin:index"))["Location"]
    signed_in(client, reader)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_unknown_pages_are_still_404_when_sign_in_is_required(client, settings):
    settings.PRACTICEKB_LOGIN_REQUIRED_FOR_READING = True
    assert client.get("/no-such-page/").status_code == 404


def test_editors_reach_admin_and_staff_do_not(client, staffer, editor):
    signed_in(client, editor)
    assert client.get(reverse("admin:principles_statement_changelist")).status_code == 200
    signed_in(client, staffer)
    assert client.get(reverse("admin:principles_statement_changelist")).status_code == 302


def test_permissions_named_in_roles_exist():
    for wanted in GROUPS.values():
        for app_label, codename in wanted:
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists()
