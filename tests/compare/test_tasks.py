"""The worker's refresh: pending while queued, cleared when done, and a held corpus that
gives what a reload gives."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compare import services
from compare.models import CorpusState, PendingRefresh, StatementSimilarity
from compare.similarity import Corpus
from compare.tasks import refresh_pending
from principles.models import Statement

from .conftest import statement

pytestmark = pytest.mark.django_db

DUMMY = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "similarity"],
    }
}
PENDING = "Similar elsewhere is being updated"


def rows():
    return set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))


def test_the_page_says_similar_elsewhere_is_pending_until_the_worker_is_done(
    client, django_capture_on_commit_callbacks
):
    va = statement("virginia", "Permanency planning for children begins")
    vermont = statement("vermont-fsd", "Early engagement of the larger family network")
    page = reverse("principles:statement", kwargs={"pk": vermont.pk})
    assert PENDING not in client.get(page).content.decode()
    with override_settings(TASKS=DUMMY), django_capture_on_commit_callbacks(execute=True):
        vermont.text = va.text
        vermont.save()
    html = client.get(page).content.decode()
    assert PENDING in html  # the edit returned; the worker has not run yet
    assert va.pk not in dict(
        StatementSimilarity.objects.filter(statement=vermont).values_list("other_id", "score")
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_pending.call() == 1
    html = client.get(page).content.decode()
    assert PENDING not in html
    assert not PendingRefresh.objects.exists()
    assert StatementSimilarity.objects.get(statement=vermont, other=va).score == 1.0


def test_a_run_takes_every_pending_statement_and_the_next_finds_nothing():
    keys = list(Statement.objects.values_list("pk", flat=True)[:3])
    PendingRefresh.objects.mark(keys)
    PendingRefresh.objects.mark(keys[:1])  # edited twice: two marks, one refresh
    assert refresh_pending.call() == 3
    assert refresh_pending.call() == 0


def test_the_statement_page_runs_the_same_queries_pending_or_not(client):
    vermont = statement("vermont-fsd", "Early engagement of the larger family network")
    page = reverse("principles:statement", kwargs={"pk": vermont.pk})
    with CaptureQueriesContext(connection) as quiet:
        client.get(page)
    PendingRefresh.objects.mark([vermont.pk])
    with CaptureQueriesContext(connection) as pending:
        assert PENDING in client.get(page).content.decode()
    assert len(pending) == len(quiet)


def test_a_held_corpus_refreshes_an_edit_as_a_reload_does(django_capture_on_commit_callbacks):
    services.forget_held_corpus()
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_similarities()  # loads, and holds what it loaded once committed
    va = statement("virginia", "We value family strengths")
    Statement.objects.filter(pk=va.pk).update(
        text="We value family perspectives, goals, and plans as critical to child safety."
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.refresh_similarities([va.pk])
    assert not report.reloaded and not report.full
    held = rows()
    services.forget_held_corpus()
    report = services.refresh_similarities([va.pk])
    assert report.reloaded
    reloaded = rows()
    full = services.refresh_similarities()
    assert full.full
    full_scores = {(a, b): score for a, b, score in rows()}
    # the held corpus keeps the IDF weights of its load; a reload weighs the edited text in:
    # the same pairs, and scores within the drift a partial refresh always had
    for partial in (held, reloaded):
        assert {(a, b) for a, b, _ in partial} == set(full_scores)
        assert all(abs(score - full_scores[(a, b)]) < 0.02 for a, b, score in partial)


def test_a_held_corpus_is_not_trusted_after_someone_else_refreshed(
    django_capture_on_commit_callbacks,
):
    services.forget_held_corpus()
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_similarities()
    CorpusState.objects.update(generation=12345)  # another worker, or the command
    va = statement("virginia", "We value family strengths")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refresh_similarities([va.pk]).reloaded
    Statement.objects.create(
        document=va.document, position=999, kind=va.kind, text="Bulk-inserted, unannounced."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.refresh_similarities([va.pk]).reloaded  # the count disagrees


def test_corpus_update_matches_a_corpus_built_with_the_new_texts():
    texts = [
        (1, "a", "Kinship care keeps children with family."),
        (2, "b", "Children stay with kin whenever possible."),
        (3, "c", "Budgets are reviewed quarterly."),
        (4, "d", "Kinship care keeps children with family members."),
    ]
    corpus = Corpus(texts, floor=0.1)
    corpus.update([(3, "c", "Kinship care keeps children with family.")], deleted=[4])
    found = corpus.neighbours(limit=5)
    assert 4 not in found and all(m.item != 4 for ms in found.values() for m in ms)
    assert found[3][0].item == 1 and found[3][0].score == 1.0
    assert found[1][0].item == 3 and found[1][0].score == 1.0
    assert corpus.updated == 2


def test_a_cached_statement_page_loses_its_pending_notice_when_no_match_changed(
    client, page_cache, django_capture_on_commit_callbacks
):
    vermont = statement("vermont-fsd", "Early engagement of the larger family network")
    page = reverse("principles:statement", kwargs={"pk": vermont.pk})
    PendingRefresh.objects.mark([vermont.pk])  # as an edit leaves it, before the worker ran
    assert PENDING in client.get(page).content.decode()  # and now cached with the notice
    before = rows()
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_pending.call() == 1
    assert rows() == before  # the same matches: no similarity trigger fired
    assert PENDING not in client.get(page).content.decode()
