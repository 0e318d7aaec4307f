"""`statements_changed` is sent once per committed write, on every write path, and compare
answers it by marking the statements pending and enqueuing one refresh."""

import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from compare.models import PendingRefresh
from principles.models import Document, DocumentStatus, Statement, Theme
from principles.services.lifecycle import retire
from principles.services.seeds import load_seed_organizations
from principles.services.tagging import add_theme_to_statement, remove_theme_from_statement
from principles.signals import DELETED, STATUS, TEXT, THEMES, statements_changed
from tests.editing.conftest import change_form_data
from transfer.services.content import export_content, import_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    """Every `changes` mapping sent while the test runs."""
    calls = []

    def received(sender, changes, **kwargs):
        calls.append(changes)

    statements_changed.connect(received, dispatch_uid="test_received")
    yield calls
    statements_changed.disconnect(dispatch_uid="test_received")


def a_statement(slug="virginia"):
    return Statement.objects.filter(document__organization__slug=slug).order_by("pk").first()


def test_a_text_edit_is_sent_once_after_the_commit(sent, django_capture_on_commit_callbacks):
    statement = a_statement()
    with django_capture_on_commit_callbacks(execute=True):
        statement.text = "Families are partners in every decision about their children."
        statement.save()
        statement.text += " Always."
        statement.save()
        assert sent == []  # nothing before the commit
    assert sent == [{statement.pk: frozenset({TEXT})}]


def test_saving_the_same_words_sends_nothing(sent, django_capture_on_commit_callbacks):
    statement = a_statement()
    with django_capture_on_commit_callbacks(execute=True):
        statement.title = "A new title"
        statement.save()
        statement.save(update_fields=["label"])
    assert sent == []


def test_a_rolled_back_edit_sends_nothing_then_the_next_commit_sends(
    sent, django_capture_on_commit_callbacks
):
    from django.db import transaction

    statement = a_statement()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                statement.text = "Rolled back."
                statement.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert sent == []
    other = a_statement("maine-cfs")
    with django_capture_on_commit_callbacks(execute=True):
        other.text = "Committed words."
        other.save()
    assert sent and other.pk in sent[-1]


def test_tagging_and_untagging_send_themes(sent, django_capture_on_commit_callbacks):
    statement = a_statement()
    with django_capture_on_commit_callbacks(execute=True):
        tagging = add_theme_to_statement(statement, "Signal test theme")
    with django_capture_on_commit_callbacks(execute=True):
        remove_theme_from_statement(statement, tagging.theme)
    assert sent == [{statement.pk: frozenset({THEMES})}] * 2


def test_retiring_a_document_sends_its_statements_status(sent, django_capture_on_commit_callbacks):
    document = Document.objects.filter(status=DocumentStatus.PUBLISHED).first()
    ids = set(document.statements.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        retire(document)
    assert len(sent) == 1
    assert set(sent[0]) == ids
    assert all(kinds == {STATUS} for kinds in sent[0].values())


def test_deleting_a_statement_sends_deleted(sent, django_capture_on_commit_callbacks):
    statement = Statement.objects.filter(sheet_items__isnull=True).first()
    key = statement.pk
    with django_capture_on_commit_callbacks(execute=True):
        statement.delete()
    assert sent == [{key: frozenset({DELETED})}]


def test_loading_the_seed_sends_every_loaded_statement(sent, django_capture_on_commit_callbacks):
    ids = set(
        Statement.objects.filter(document__organization__slug="maine-cfs").values_list(
            "pk", flat=True
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        load_seed_organizations(["maine-cfs"], replace=True)  # loaddata: raw saves
    assert len(sent) == 1
    assert set(sent[0]) >= ids
    assert all(TEXT in sent[0][key] for key in ids)


def test_importing_an_export_sends_its_statements(sent, django_capture_on_commit_callbacks):
    from organizations.models import Organization

    maine = Organization.objects.get(slug="maine-cfs")
    exported = export_content([maine])
    ids = set(maine.documents.values_list("statements__pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        import_content(exported if isinstance(exported, str) else json.dumps(exported))
    assert len(sent) == 1
    assert set(sent[0]) >= ids


def test_an_admin_save_sends_and_the_refresh_is_enqueued_not_run(
    client, queue, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser("boss", password="x"))
    statement = a_statement()
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(client.get(url))
    data["text"] = "Every child deserves a family that lasts a lifetime, said the admin."
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert PendingRefresh.objects.filter(statement=statement).exists()
    assert [result.task.name for result in queue.results] == ["refresh_pending"]


def test_a_tagging_in_admin_enqueues_no_refresh(client, queue, django_capture_on_commit_callbacks):
    Theme.objects.create(name="Admin signal theme", slug="admin-signal-theme")
    client.force_login(User.objects.create_superuser("boss", password="x"))
    statement = a_statement()
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(client.get(url))
    data["tags"] = '"Admin signal theme"'  # the statement had no themes
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert statement.tags.filter(name="Admin signal theme").exists()
    assert not PendingRefresh.objects.exists()  # themes change no similarity score
    assert queue.results == []
