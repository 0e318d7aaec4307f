"""In "socket" mode the task worker never runs the model: it hands the edited statements to the
helper process, which computes, stores and announces their vectors."""

import os
import subprocess
import sys
import threading

import pytest

from meaning import encoder
from meaning.encoder import MODEL_NAME
from meaning.management.commands.meaning_server import catch_up
from meaning.models import StatementEmbedding, statement_text, text_hash
from meaning.server import EMBED_NICENESS, yield_to_searches
from meaning.signals import vectors_changed
from meaning.tasks import embed_changed_statements
from principles.models import Statement
from tests.conftest import make_organizations

# The helper's threads have their own database connections: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def statements():
    """Three statements without vectors (the seeds may have theirs, committed)."""
    (organization,) = make_organizations(1, statements_per_section=2, sections=1)
    return list(Statement.objects.filter(document__organization=organization).order_by("pk"))


@pytest.fixture
def announced():
    heard = []

    def listener(sender, statement_ids, **kwargs):
        heard.extend(statement_ids)

    vectors_changed.connect(listener, dispatch_uid="test-heard")
    yield heard
    vectors_changed.disconnect(dispatch_uid="test-heard")


def stored_hash(statement):
    return (
        StatementEmbedding.objects.filter(statement=statement, model_name=MODEL_NAME)
        .values_list("text_hash", flat=True)
        .first()
    )


def test_the_job_has_the_helper_embed_the_edited_statements(statements, helper_server, announced):
    first, second = statements[1], statements[2]
    Statement.objects.filter(pk=first.pk).update(text="Relatives are asked first to care.")
    first.refresh_from_db()

    assert embed_changed_statements.call([first.pk, second.pk]) == 2
    assert stored_hash(first) == text_hash(statement_text(first))
    assert sorted(announced) == sorted([first.pk, second.pk])

    # unchanged text: nothing computed, nothing announced
    announced.clear()
    assert embed_changed_statements.call([first.pk]) == 0
    assert announced == []


def test_without_the_helper_the_job_computes_nothing_and_does_not_fail(
    statements, settings, tmp_path, caplog
):
    settings.PRACTICEKB_MEANING = "socket"
    settings.PRACTICEKB_MEANING_SOCKET = str(tmp_path / "absent.sock")
    encoder.forget()
    with caplog.at_level("INFO", logger="meaning.tasks"):
        assert embed_changed_statements.call([statements[0].pk]) == 0
    assert "not computed" in caplog.text
    assert stored_hash(statements[0]) is None
    # and this process did not load the model to find that out
    assert encoder._encoder is None


def test_a_helper_that_starts_embeds_what_was_left_stale(statements, settings):
    settings.PRACTICEKB_MEANING = "socket"
    assert not any(stored_hash(statement) for statement in statements)
    catch_up()
    assert all(
        stored_hash(statement) == text_hash(statement_text(statement)) for statement in statements
    )


def test_embedding_threads_yield_to_searches():
    """The helper embeds at the task workers' niceness, in the embedding thread only."""
    seen = {}

    def embedding_thread():
        yield_to_searches()
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker = threading.Thread(target=embedding_thread)
    worker.start()
    worker.join()
    assert seen["thread"] == max(EMBED_NICENESS, before)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


def test_the_helper_scans_with_one_blas_thread():
    script = (
        "import django; django.setup(); "
        "import meaning.management.commands.meaning_server, os; "
        "print(os.environ['OPENBLAS_NUM_THREADS'])"
    )
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=environment,
    )
    assert result.stdout.strip() == "1"
