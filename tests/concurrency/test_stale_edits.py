"""Two people, one record: a save based on a stale read is refused and explained, nothing lost."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from principles.models import Document, Statement, TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement
from tests.editing.conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    first = User.objects.create_superuser("ann", "ann@example.org", "pw")
    second = User.objects.create_superuser("bob", "bob@example.org", "pw")
    client.force_login(first)
    other = Client()
    other.force_login(second)
    return client, other


def url_of(statement):
    return reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})


def test_second_editor_saving_a_stale_form_is_refused_with_who_when_and_a_diff(
    two_editors, safe_children_statement
):
    ann, bob = two_editors
    ann_data = change_form_data(ann.get(url_of(safe_children_statement)))
    bob_data = change_form_data(bob.get(url_of(safe_children_statement)))

    ann_data["text"] = "All children have the right to be safe at home."
    assert ann.post(url_of(safe_children_statement), ann_data).status_code == 302

    bob_data["label"] = "1."
    response = bob.post(url_of(safe_children_statement), bob_data)
    html = response.content.decode()
    assert response.status_code == 200  # the form again, not saved
    assert "Not saved: ann saved this statement on" in html
    assert "after you opened this form" in html
    assert "only in the saved version: </span>at home</del>" in html  # the word diff
    assert 'value="1."' in html  # bob's input kept
    safe_children_statement.refresh_from_db()
    assert (
        safe_children_statement.text.endswith("safe at home.")
        and safe_children_statement.label != "1."
    )

    # bob merges (keeps ann's text) and saves again: accepted now
    again = change_form_data(response)
    again["text"] = "All children have the right to be safe at home."
    assert bob.post(url_of(safe_children_statement), again).status_code == 302
    safe_children_statement.refresh_from_db()
    assert (safe_children_statement.text, safe_children_statement.label) == (
        "All children have the right to be safe at home.",
        "1.",
    )


def test_a_theme_added_on_the_public_page_while_the_form_is_open_is_kept(
    two_editors, safe_children_statement
):
    ann, _ = two_editors
    data = change_form_data(ann.get(url_of(safe_children_statement)))
    staffer = User.objects.create_user("staffer")
    add_theme_to_statement(
        safe_children_statement, "Kinship", user=staffer
    )  # meanwhile, on the public page

    data["text"] = "All children have the right to be safe."  # a typo fix elsewhere
    data["title"] = "Safety"
    assert ann.post(url_of(safe_children_statement), data).status_code == 302
    assert safe_children_statement.tags.filter(name="Kinship").exists()
    removed = TaggedStatement.history.filter(
        content_object_id=safe_children_statement.pk, history_type="-"
    )
    assert not removed.exists()  # and history does not say ann removed it


def test_themes_the_editor_adds_and_removes_are_applied(two_editors, safe_children_statement):
    ann, _ = two_editors
    data = change_form_data(ann.get(url_of(safe_children_statement)))
    shown = [name.strip() for name in data["tags"].split(",") if name.strip()]
    data["tags"] = ", ".join([*shown[1:], "Workforce"])
    assert ann.post(url_of(safe_children_statement), data).status_code == 302
    names = set(safe_children_statement.tags.values_list("name", flat=True))
    assert "Workforce" in names and shown[0] not in names


def test_a_reorder_is_not_undone_by_a_stale_document_form(two_editors):
    ann, bob = two_editors
    document = Document.objects.get(organization__slug="maine-cfs")
    url = reverse("admin:principles_document_change", kwargs={"object_id": document.pk})
    ann_data, bob_data = change_form_data(ann.get(url)), change_form_data(bob.get(url))
    first, _second = document.statements.order_by("position")[:2]

    # ann moves the first statement after the second
    prefix = next(k for k, v in ann_data.items() if k.endswith("-id") and v == str(first.pk))
    ann_data[prefix.replace("-id", "-order")] = "2.5"
    assert ann.post(url, ann_data).status_code == 302
    first.refresh_from_db()
    assert first.position == 2

    bob_data["approved_by"] = "The Commissioner"
    response = bob.post(url, bob_data)
    assert response.status_code == 200
    assert "Not saved: ann saved this document" in response.content.decode()
    first.refresh_from_db()
    assert first.position == 2  # the reorder stands
    assert Document.objects.get(pk=document.pk).approved_by != "The Commissioner"


def test_a_published_document_needs_a_reason_which_history_shows(
    two_editors, safe_children_statement
):
    ann, _ = two_editors
    data = change_form_data(ann.get(url_of(safe_children_statement)))
    data["text"] = "All children have the right to be safe, always."
    data["change_reason"] = ""
    response = ann.post(url_of(safe_children_statement), data)
    assert response.status_code == 200
    assert "say in a few words why you change it" in response.content.decode()

    data["change_reason"] = "Matches the 2024 source"
    assert ann.post(url_of(safe_children_statement), data).status_code == 302
    assert (
        safe_children_statement.history.first().history_change_reason == "Matches the 2024 source"
    )
    history = ann.get(
        reverse(
            "admin:principles_statement_history", kwargs={"object_id": safe_children_statement.pk}
        )
    )
    assert "Matches the 2024 source" in history.content.decode()


def test_a_stale_theme_rename_is_refused(two_editors):
    ann, bob = two_editors
    theme = Theme.objects.get(slug="kinship")
    description = theme.description
    url = reverse("admin:principles_theme_change", kwargs={"object_id": theme.pk})
    ann_data, bob_data = change_form_data(ann.get(url)), change_form_data(bob.get(url))
    ann_data["name"] = "Kinship care"
    assert ann.post(url, ann_data).status_code == 302
    bob_data["description"] = "Care by relatives."
    response = bob.post(url, bob_data)
    assert response.status_code == 200
    assert "Not saved: ann saved this theme" in response.content.decode()
    theme.refresh_from_db()
    assert (theme.name, theme.description) == ("Kinship care", description)


def test_a_stale_sheet_form_is_refused_and_history_says_who_changed_the_sheet(two_editors):
    ann, bob = two_editors
    owner = User.objects.get(username="ann")
    owner.first_name, owner.last_name = "Ann", "Example"  # pages name people, not usernames
    owner.save()
    from sheets.models import Sheet
    from sheets.services import add_statement, create_sheet

    sheet = create_sheet(owner=owner, title="Kinship training")
    add_statement(sheet, Statement.objects.first(), user=owner)
    url = sheet.get_absolute_url()
    ann_page, bob_page = ann.get(url), bob.get(url)  # bob is an editor: he may change it
    fields = ["title", "subtitle", "notes", "layout", "paper", "loaded_version"]
    ann_data = {name: ann_page.context["form"][name].value() or "" for name in fields}
    bob_data = {name: bob_page.context["form"][name].value() or "" for name in fields}

    assert ann.post(url, {**ann_data, "title": "Kinship training, day 1"}).status_code == 302
    response = bob.post(url, {**bob_data, "notes": "Bring the handouts."})
    assert response.status_code == 400
    assert "Not saved: Ann Example saved this sheet" in response.content.decode()
    assert Sheet.objects.get(pk=sheet.pk).notes == ""

    page = ann.get(url).content.decode()
    assert "Recent changes" in page
    assert "Ann Example changed the sheet" in page and "Ann Example added statement" in page
    admin_page = ann.get(reverse("admin:sheets_sheet_change", kwargs={"object_id": sheet.pk}))
    assert admin_page.status_code == 200
