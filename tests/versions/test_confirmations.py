"""Publish, Retire and Make a new draft version ask first, saying what they will change."""

import pytest
from django.urls import reverse

from principles.models import Document, DocumentStatus, Revision
from principles.services.lifecycle import new_version
from sheets.models import Sheet, SheetItem
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("admin:principles_document_changelist")


@pytest.fixture
def vermont():
    return Document.objects.get(organization__slug="vermont-fsd")


def test_publish_asks_first_and_states_the_impact(admin_client, vermont):
    trainer = make_user("sheet-owner", "Trainers")
    sheet = Sheet.objects.create(owner=trainer, title="Handout")
    for position, statement in enumerate(vermont.statements.all()[:3], 1):
        SheetItem.objects.create(sheet=sheet, statement=statement, position=position)
    draft = new_version(vermont)
    response = admin_client.post(
        URL, {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Publish 1 document?" in html
    assert f"{draft.statements.count()} statements" in html
    assert "Supersedes <a" in html and "it stops being in force" in html
    assert "1 hand-picked sheet holds 3 of these statements" in html
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT  # nothing happened yet

    # a confirmation without a summary of at least a sentence is refused, in plain words
    refused = admin_client.post(
        URL,
        {"action": "publish_selected", "_selected_action": [draft.pk], "apply": 1, "summary": "ok"},
    )
    assert refused.status_code == 400
    assert "at least a sentence" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and not Revision.objects.exists()

    summary = "Reworded the growth principle and dropped the one on shared authority."
    done = admin_client.post(
        URL,
        {
            "action": "publish_selected",
            "_selected_action": [draft.pk],
            "apply": 1,
            "summary": summary,
        },
    )
    assert done.status_code == 302
    draft.refresh_from_db()
    vermont.refresh_from_db()
    assert (draft.status, vermont.status) == (DocumentStatus.PUBLISHED, DocumentStatus.SUPERSEDED)
    revision = Revision.objects.get()
    assert (revision.summary, revision.superseded, revision.by.username) == (
        summary,
        vermont,
        "admin",
    )


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("retire_selected", "will answer “410 Gone”"),
        ("new_version_of_selected", "A draft copy of its sections, 14 statements"),
    ],
)
def test_retire_and_new_version_ask_first(admin_client, vermont, action, words):
    documents = Document.objects.count()
    response = admin_client.post(URL, {"action": action, "_selected_action": [vermont.pk]})
    assert response.status_code == 200
    assert words in response.content.decode()
    assert 'name="apply"' in response.content.decode()
    vermont.refresh_from_db()
    assert vermont.status == DocumentStatus.PUBLISHED and Document.objects.count() == documents
