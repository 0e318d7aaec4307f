"""Vectors per statement: computed for changed text only, by the task queue on commit."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from meaning.encoder import MODEL_NAME
from meaning.models import StatementEmbedding, statement_text, text_hash
from meaning.services import embed_statements
from meaning.signals import PendingVectors
from principles.models import Statement

pytestmark = pytest.mark.django_db


def test_every_statement_has_a_vector_of_its_current_text(meaning_on):
    statement = Statement.objects.order_by("pk").first()
    stored = StatementEmbedding.objects.get(statement=statement, model_name=MODEL_NAME)
    assert stored.text_hash == text_hash(statement_text(statement))
    assert stored.as_array().shape == (384,)
    assert StatementEmbedding.objects.count() == Statement.objects.count()


def test_only_changed_statements_are_computed_again(meaning_on):
    statement = Statement.objects.order_by("pk").first()
    before = StatementEmbedding.objects.get(statement=statement).as_array().copy()
    assert embed_statements().computed == 0
    Statement.objects.filter(pk=statement.pk).update(text="Children deserve a safe home.")
    report = embed_statements()
    assert report.computed == 1 and report.unchanged == Statement.objects.count() - 1
    after = StatementEmbedding.objects.get(statement=statement).as_array()
    assert not np.allclose(before, after)


def test_dry_run_writes_nothing(meaning_on):
    StatementEmbedding.objects.all().delete()
    out = StringIO()
    call_command("embed_statements", "--dry-run", stdout=out)
    assert "Would compute" in out.getvalue()
    assert not StatementEmbedding.objects.exists()
    call_command("embed_statements", stdout=out)
    assert StatementEmbedding.objects.count() == Statement.objects.count()


def test_a_saved_statement_is_queued_once_its_transaction_commits(
    meaning_on, django_capture_on_commit_callbacks
):
    statement = Statement.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        statement.text = "Brothers and sisters are placed together whenever they can be."
        statement.save()
        statement.title = "Siblings"
        statement.save()
    # one task for the transaction, whatever else runs on commit
    assert sum(isinstance(callback, PendingVectors) for callback in callbacks) == 1
    stored = StatementEmbedding.objects.get(statement=statement)
    assert stored.text_hash == text_hash(statement_text(statement))


def test_nothing_is_queued_when_meaning_is_off(settings, django_capture_on_commit_callbacks):
    settings.PRACTICEKB_MEANING = "off"
    statement = Statement.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        statement.save()
    assert not any(isinstance(callback, PendingVectors) for callback in callbacks)


def test_the_task_without_the_model_computes_nothing_and_does_not_fail(
    settings, model_missing, django_capture_on_commit_callbacks
):
    settings.PRACTICEKB_MEANING = "process"
    StatementEmbedding.objects.all().delete()
    statement = Statement.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        statement.save()
    assert not StatementEmbedding.objects.exists()


def test_the_command_says_plainly_when_the_model_is_missing(model_missing):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="cannot run"):
        call_command("embed_statements", stdout=StringIO())


def test_clearing_the_benchmark_corpus_removes_its_vectors(meaning_on):
    generate = ["generate_corpus", "--statements-per-organization", "5"]
    call_command(*generate, "--organizations", "1", stdout=StringIO())
    corpus = Statement.objects.filter(document__organization__slug__startswith="corpus-")
    embed_statements(list(corpus.values_list("pk", flat=True)))
    assert StatementEmbedding.objects.filter(statement__in=corpus).count() == 5
    call_command(*generate, "--organizations", "1", "--clear", stdout=StringIO())
    # the old corpus and its vectors are gone; the new one has none yet (no signals)
    assert not StatementEmbedding.objects.filter(statement__in=corpus).exists()
    assert StatementEmbedding.objects.count() == Statement.objects.count() - 5
