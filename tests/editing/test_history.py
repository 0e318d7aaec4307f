"""History: every change is kept with who and when; admin shows the difference and reverts."""

import pytest
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Section, TaggedStatement, Theme

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def edit_statement(client, statement, text):
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(client.get(url))
    data["text"] = text
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


def test_an_edit_is_recorded_with_who_and_when_and_shown_as_a_difference(
    superuser_client, superuser, safe_children_statement
):
    edit_statement(
        superuser_client, safe_children_statement, "All children have the right to be safe at home."
    )
    latest = safe_children_statement.history.first()
    assert latest.history_user == superuser and latest.history_type == "~"
    html = superuser_client.get(
        reverse(
            "admin:principles_statement_history", kwargs={"object_id": safe_children_statement.pk}
        )
    )
    html = html.content.decode()
    assert "<dt>Text</dt>" in html
    assert "<del>safe.</del>" in html
    assert "<ins>safe at home.</ins>" in html
    assert "chief" in html  # who


def test_a_difference_escapes_what_was_typed(superuser_client, safe_children_statement):
    edit_statement(
        superuser_client, safe_children_statement, "All children <b>have</b> the right to be safe."
    )
    html = superuser_client.get(
        reverse(
            "admin:principles_statement_history", kwargs={"object_id": safe_children_statement.pk}
        )
    )
    html = html.content.decode()
    assert "<ins>&lt;b&gt;have&lt;/b&gt;</ins>" in html
    assert "<b>have</b>" not in html


def test_saving_an_unchanged_form_adds_no_version(superuser_client, safe_children_statement):
    before = safe_children_statement.history.count()
    edit_statement(superuser_client, safe_children_statement, safe_children_statement.text)
    assert safe_children_statement.history.count() == before


def test_revert_brings_the_original_text_back(superuser_client, superuser, safe_children_statement):
    original = safe_children_statement.text
    first_version = safe_children_statement.history.earliest()
    edit_statement(
        superuser_client, safe_children_statement, "Children are safe (a mistaken edit)."
    )
    safe_children_statement.refresh_from_db()
    assert safe_children_statement.text == "Children are safe (a mistaken edit)."

    url = reverse(
        "admin:principles_statement_simple_history",
        args=[safe_children_statement.pk, first_version.history_id],
    )
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()  # the Revert button
    data = change_form_data(page)
    data["_save"] = "Revert"
    assert superuser_client.post(url, data).status_code == 302

    safe_children_statement.refresh_from_db()
    assert safe_children_statement.text == original
    assert safe_children_statement.history.count() == 3  # loaded, edited, reverted: nothing lost
    assert safe_children_statement.history.first().history_user == superuser


def test_documents_sections_organizations_and_tagging_keep_history(superuser):
    organization = Organization.objects.get(slug="maine-cfs")
    document = Document.objects.get(organization=organization)
    section = Section.objects.filter(document=document).first()
    statement = document.statements.first()
    for obj, field, value in [
        (organization, "summary", "Changed summary."),
        (document, "title", "Changed title"),
        (section, "heading", "CHANGED HEADING"),
    ]:
        setattr(obj, field, value)
        obj._history_user = superuser
        obj.save()
        assert obj.history.first().history_user == superuser
        assert obj.history.first().diff_against(obj.history.all()[1]).changed_fields == [field]
    theme = Theme.objects.create(
        name="Editing test theme", slug="editing-test-theme", status="approved"
    )
    statement.tags.add(theme)
    tagged = TaggedStatement.objects.get(content_object=statement, tag=theme)
    assert tagged.history.get().history_type == "+"
    statement.tags.remove(theme)
    assert TaggedStatement.history.filter(id=tagged.pk).latest().history_type == "-"
