"""A trainer's hand-picked sheet never changes silently when its statements are revised,
retired or deleted."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from principles.services.lifecycle import retire
from sheets.models import Sheet, SheetItem

from .conftest import CHANGED_AFTER, CHANGED_BEFORE, REMOVED, revise

pytestmark = pytest.mark.django_db


@pytest.fixture
def handout(trainer, maine):
    from principles.models import Statement

    sheet = Sheet.objects.create(owner=trainer, title="Kinship training")
    statements = [
        Statement.objects.get(document__organization__slug="vermont-fsd", text=text)
        for text in (CHANGED_BEFORE, REMOVED, "All children have the right to be safe.")
    ] + list(Statement.objects.filter(document__organization=maine)[:3])
    for position, statement in enumerate(statements, 1):
        SheetItem.objects.create(sheet=sheet, statement=statement, position=position)
    return sheet


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_owner_is_told_what_changed_and_can_use_the_current_wording(
    client, trainer, editor, handout
):
    revision = revise(user=editor)
    signed_in(client, trainer)
    html = client.get(handout.get_absolute_url()).content.decode()
    assert "3 statements have changed since you added them" in html
    assert html.count("Use the current wording") == 2  # the removed one has none
    assert "The current version no longer has it." in html
    assert "6 statements" in html  # still printed, marked as an earlier version
    assert (
        "6 statements · <strong>3 changed since added</strong>"
        in client.get(reverse("sheets:list")).content.decode()
    )

    item = handout.items.get(statement=revision.changed[0])
    response = client.post(f"{handout.get_absolute_url()}items/{item.pk}/current/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.statement == revision.changed[1]
    html = client.get(handout.get_absolute_url()).content.decode()
    assert CHANGED_AFTER in html and CHANGED_BEFORE not in html
    assert "2 statements have changed since you added them" in html

    # retiring the new version: the sheet stops printing those, says so, and counts agree
    retire(revision.new, user=editor)
    html = client.get(handout.get_absolute_url()).content.decode()
    assert "5 statements (and 1 retired, listed below)" in html
    assert "was retired, so the sheet no longer prints it" in html
    assert (
        "5 statements · <strong>3 changed since added</strong>"
        in client.get(reverse("sheets:list")).content.decode()
    )
    sheet_page = client.get(f"{handout.get_absolute_url()}sheet/")
    assert sheet_page.context["content"].statement_count == 5


def test_others_cannot_swap_wording_on_a_sheet(client, editor, staffer, handout):
    revise(user=editor)
    item = handout.items.get(position=1)
    signed_in(client, staffer)
    response = client.post(f"{handout.get_absolute_url()}items/{item.pk}/current/")
    assert response.status_code == 403
    assert client.get(f"{handout.get_absolute_url()}items/{item.pk}/current/").status_code == 405


def test_deleting_a_statement_on_a_sheet_is_refused(admin_client, handout):
    statement = handout.items.get(position=1).statement
    with pytest.raises(ProtectedError):
        statement.delete()
    page = admin_client.get(
        reverse("admin:principles_statement_delete", kwargs={"object_id": statement.pk})
    )
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in (
        page.content.decode()
    )
    assert handout.items.count() == 6
