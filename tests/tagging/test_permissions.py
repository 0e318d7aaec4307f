"""Who may tag: anonymous users sign in first, signed-in users need the permission, and
every write needs the CSRF token."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from principles.models import Document, DocumentStatus, Statement

from .util import add_url, remove_url, signed_in

pytestmark = pytest.mark.django_db


def themes_of(statement):
    return set(statement.tags.values_list("slug", flat=True))


def test_anonymous_users_are_sent_to_sign_in_and_nothing_changes(client, kinship_statement, safety):
    before = themes_of(kinship_statement)
    response = client.post(add_url(kinship_statement), {"name": "Workforce"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    # after signing in they come back to the statement, not to the form's address
    assert (
        reverse("principles:statement", kwargs={"pk": kinship_statement.pk}) in response["Location"]
    )
    response = client.post(remove_url(kinship_statement, safety))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert themes_of(kinship_statement) == before


def test_signed_in_users_without_the_permission_get_403(client, reader, kinship_statement, safety):
    before = themes_of(kinship_statement)
    signed_in(client, reader)
    response = client.post(add_url(kinship_statement), {"name": "Workforce"})
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert client.post(remove_url(kinship_statement, safety)).status_code == 403
    assert themes_of(kinship_statement) == before


@pytest.mark.parametrize("who", ["staffer", "editor"])
def test_permitted_users_add_and_remove_themes(client, request, who, kinship_statement, safety):
    signed_in(client, request.getfixturevalue(who))
    response = client.post(add_url(kinship_statement), {"name": "Workforce"})
    assert response.status_code == 302
    assert "workforce" in themes_of(kinship_statement)
    response = client.post(remove_url(kinship_statement, safety))
    assert response.status_code == 302
    assert "safety" not in themes_of(kinship_statement)


def test_a_post_without_the_csrf_token_is_refused(staffer, kinship_statement, safety):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staffer)
    before = themes_of(kinship_statement)
    assert client.post(add_url(kinship_statement), {"name": "Workforce"}).status_code == 403
    assert client.post(remove_url(kinship_statement, safety)).status_code == 403
    assert themes_of(kinship_statement) == before


def test_the_csrf_token_from_the_page_is_accepted(staffer, kinship_statement):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staffer)
    client.get(kinship_statement.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(
        add_url(kinship_statement), {"name": "Workforce", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert "workforce" in themes_of(kinship_statement)


def test_tagging_answers_only_post(client, staffer, kinship_statement, safety):
    signed_in(client, staffer)
    assert client.get(add_url(kinship_statement)).status_code == 405
    assert client.get(remove_url(kinship_statement, safety)).status_code == 405


def test_adding_needs_add_and_removing_needs_delete(client, staffer, kinship_statement, safety):
    staffer.groups.clear()
    staffer.user_permissions.add(Permission.objects.get(codename="delete_taggedstatement"))
    signed_in(client, staffer)
    assert client.post(add_url(kinship_statement), {"name": "Workforce"}).status_code == 403
    assert client.post(remove_url(kinship_statement, safety)).status_code == 302
    assert "safety" not in themes_of(kinship_statement)


def test_unknown_statements_themes_and_hidden_drafts_are_404(
    client, staffer, kinship_statement, safety
):
    signed_in(client, staffer)
    assert (
        client.post(
            reverse("principles:statement-theme-add", kwargs={"pk": 999999}), {"name": "Safety"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse(
                "principles:statement-theme-remove",
                kwargs={"pk": kinship_statement.pk, "slug": "no-such-theme"},
            )
        ).status_code
        == 404
    )
    draft = Document.objects.get(organization__slug="maine-cfs")
    draft.status = DocumentStatus.DRAFT
    draft.save()
    hidden = Statement.objects.get(document=draft, position=2)
    # staff who may tag but not edit documents do not see drafts, so cannot tag them
    assert client.post(add_url(hidden), {"name": "Workforce"}).status_code == 404
    assert not hidden.tags.filter(slug="workforce").exists()


def test_the_forms_are_shown_only_to_people_who_may_tag(client, reader, staffer, kinship_statement):
    pages = [
        kinship_statement.get_absolute_url(),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert "Add a theme" not in html and "Edit themes" not in html
    signed_in(client, reader)
    for page in pages:
        html = client.get(page).content.decode()
        assert "Add a theme" not in html and "Edit themes" not in html
    signed_in(client, staffer)
    html = client.get(kinship_statement.get_absolute_url()).content.decode()
    assert (
        f'action="{reverse("principles:statement-theme-add", kwargs={"pk": kinship_statement.pk})}"'
        in html
    )
    remove = reverse(
        "principles:statement-theme-remove", kwargs={"pk": kinship_statement.pk, "slug": "safety"}
    )
    assert f'action="{remove}"' in html
    html = client.get(reverse("organizations:detail", kwargs={"slug": "virginia"})).content.decode()
    # a listing carries one "Edit themes" link per statement, and no tagging form at all
    count = Statement.objects.filter(document__organization__slug="virginia").count()
    assert html.count('class="statement__action" href="/statements/') == count
    assert html.count(">Edit themes<") == count
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'method="post"' not in main and 'name="name"' not in html and "<datalist" not in html
    # the link opens the statement's small Edit themes page, which has the forms
    edit = client.get(
        reverse("principles:statement-themes", kwargs={"pk": kinship_statement.pk})
        + "?next=/organizations/virginia/"
    )
    page = edit.content.decode()
    assert edit.status_code == 200
    assert (
        f'action="{reverse("principles:statement-theme-add", kwargs={"pk": kinship_statement.pk})}"'
        in page
    )
    assert (
        f'name="next" value="{reverse("organizations:detail", kwargs={"slug": "virginia"})}"'
        in page
    )
    assert page.count('<datalist id="theme-names">') == 1
