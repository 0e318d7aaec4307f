"""Stored similarities follow the statements: edits, deletions, loading and the command."""

import pytest
from django.core.management import call_command
from django.db import connection

from compare import services
from compare.models import StatementSimilarity
from principles.models import Statement
from principles.services.seeds import load_seed_organizations

from .conftest import statement

pytestmark = pytest.mark.django_db


def pairs_of(statement_):
    return dict(
        StatementSimilarity.objects.filter(statement=statement_).values_list("other_id", "score")
    )


def test_editing_a_statement_drops_old_matches_and_finds_new_ones(
    django_capture_on_commit_callbacks,
):
    va = statement("virginia", "Permanency planning for children begins")
    me = statement("maine-cfs", "Permanency planning for children begins")
    vermont = statement("vermont-fsd", "Early engagement of the larger family network")
    assert me.pk in pairs_of(va)
    with django_capture_on_commit_callbacks(execute=True):
        va.text = "Budgets are reviewed every quarter by the finance office."
        va.save()
    assert pairs_of(va) == {}
    assert va.pk not in pairs_of(me)  # the other direction goes too
    with django_capture_on_commit_callbacks(execute=True):
        vermont.text = me.text
        vermont.save()
    assert pairs_of(vermont)[me.pk] == 1.0
    assert pairs_of(me)[vermont.pk] == 1.0


def test_saving_without_changing_the_words_schedules_nothing(django_capture_on_commit_callbacks):
    va = statement("virginia", "Permanency planning for children begins")
    with django_capture_on_commit_callbacks() as callbacks:
        va.label = "4a."
        va.save(update_fields=["label"])
    assert callbacks == []


def test_nothing_is_recomputed_before_the_edit_commits(django_capture_on_commit_callbacks):
    va = statement("virginia", "Permanency planning for children begins")
    before = pairs_of(va)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        va.text = "Nothing in common at all, zebra."
        va.save()
    assert pairs_of(va) == before  # a rollback now would leave the rows as they were
    assert len(callbacks) == 1


def test_deleting_a_statement_removes_its_pairs_and_refills_its_partners_lists(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "MAX_NEIGHBOURS", 1)
    services.refresh_similarities()
    va = statement("virginia", "Children\u2019s needs are best served")
    best = StatementSimilarity.objects.get(statement=va)
    assert best.other.document.organization.slug == "maine-cfs"
    with django_capture_on_commit_callbacks(execute=True):
        Statement.objects.get(pk=best.other_id).delete()
    refilled = StatementSimilarity.objects.get(statement=va)  # the next best takes its place
    assert refilled.other_id != best.other_id
    assert refilled.score <= best.score
    assert not StatementSimilarity.objects.filter(other_id=best.other_id).exists()


def test_a_partial_refresh_agrees_with_a_full_one(django_capture_on_commit_callbacks):
    va = statement("virginia", "We value family strengths")
    with django_capture_on_commit_callbacks(execute=True):
        va.text = "We value family perspectives, goals, and plans as critical to child safety."
        va.save()
    partial = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    report = services.refresh_similarities()
    assert report.full
    full = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    # the IDF weights of every other pair were computed before the edit: allow for that drift
    assert {(a, b) for a, b, _ in partial} == {(a, b) for a, b, _ in full}
    full_scores = {(a, b): score for a, b, score in full}
    assert all(abs(score - full_scores[(a, b)]) < 0.02 for a, b, score in partial)


def test_loading_the_seed_again_keeps_the_similarities(django_capture_on_commit_callbacks):
    before = StatementSimilarity.objects.count()
    StatementSimilarity.objects.filter(statement__document__organization__slug="maine-cfs").delete()
    with django_capture_on_commit_callbacks(execute=True):  # announced once the load commits
        load_seed_organizations(["maine-cfs"], replace=True)
    assert StatementSimilarity.objects.count() == before


def test_command_recomputes_everything_and_dry_run_writes_nothing(capsys):
    before = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    StatementSimilarity.objects.all().delete()
    call_command("refresh_similarities", "--dry-run")
    assert "Would store" in capsys.readouterr().out
    assert not StatementSimilarity.objects.exists()
    call_command("refresh_similarities")
    assert f"Stored {len(before)} similarity row(s)" in capsys.readouterr().out
    after = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    assert after == before


def test_a_full_refresh_writes_in_batches_and_stores_every_row(monkeypatch):
    before = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    monkeypatch.setattr(services, "BATCH", 7)  # many batches and a remainder
    monkeypatch.setattr(services, "COPY_BATCH", 7)  # PostgreSQL's COPY, the same
    report = services.refresh_similarities()
    after = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    assert report.rows == len(after) == len(before) > 7
    assert after == before


def test_an_edit_finds_the_full_lists_it_enters_from_the_held_weakest_scores(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "MAX_NEIGHBOURS", 2)  # most lists are full
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_similarities()  # held afterwards, with each list's weakest score
    va = statement("virginia", "Permanency planning for children begins")
    vermont = statement("vermont-fsd", "Early engagement of the larger family network")
    with django_capture_on_commit_callbacks(execute=True):
        vermont.text = va.text
        vermont.save()
    assert services._held.corpus is not None and services._held.corpus.updated == 1
    partial = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    assert (va.pk, vermont.pk, 1.0) in partial  # it entered va's full list
    services.forget_held_corpus()
    services.refresh_similarities()
    full = set(StatementSimilarity.objects.values_list("statement_id", "other_id", "score"))
    assert {(a, b) for a, b, _ in partial} == {(a, b) for a, b, _ in full}
    full_scores = {(a, b): score for a, b, score in full}
    assert all(abs(score - full_scores[(a, b)]) < 0.02 for a, b, score in partial)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_full_refresh_leaves_the_planner_the_new_tables_statistics():
    table = StatementSimilarity._meta.db_table
    with connection.cursor() as cursor:
        StatementSimilarity.objects.all().delete()
        cursor.execute(f"ANALYZE {table}")
        report = services.refresh_similarities()
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        assert cursor.fetchone()[0] == report.rows > 0


@pytest.mark.parametrize("limit", [1, 3])
def test_edits_that_raise_lower_or_remove_a_match_leave_the_lists_a_full_refresh_gives(
    limit, monkeypatch, django_capture_on_commit_callbacks
):
    # Lists that held an edited statement keep it at its new score, or are recomputed when
    # it falls below what they left out; lists it enters take it in. Full lists (a small
    # limit) exercise every case; each edit's result must be what a full refresh stores.
    monkeypatch.setattr(services, "MAX_NEIGHBOURS", limit)
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_similarities()
    texts = list(Statement.objects.order_by("pk").values_list("pk", "text"))
    edits = [
        (texts[3][0], texts[40][1]),  # becomes a copy of another: rises into many lists
        (texts[3][0], texts[3][1] + " Budgets are reviewed by the finance office."),  # falls
        (texts[60][0], "Budgets are reviewed every quarter by the finance office."),  # leaves
        (texts[90][0], texts[90][1].upper()),  # the same words: nothing moves
    ]
    for pk, text in edits:
        with django_capture_on_commit_callbacks(execute=True):
            edited = Statement.objects.get(pk=pk)
            edited.text = text
            edited.save()
        partial = set(StatementSimilarity.objects.values_list("statement_id", "other_id"))
        services.forget_held_corpus()
        with django_capture_on_commit_callbacks(execute=True):
            services.refresh_similarities()
        full = set(StatementSimilarity.objects.values_list("statement_id", "other_id"))
        assert partial == full, (pk, sorted(partial ^ full)[:5])


def test_a_refresh_that_changes_no_score_rewrites_no_row(django_capture_on_commit_callbacks):
    # Rewritten rows would expire the cached pages of every statement and organization in
    # them, for nothing (a tagging with a theme that is not curated changes no score).
    va = statement("virginia", "Permanency planning for children begins")
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh_similarities([va.pk])
    before = set(StatementSimilarity.objects.values_list("pk", "statement_id", "other_id", "score"))
    with django_capture_on_commit_callbacks(execute=True):
        report = services.refresh_similarities([va.pk])  # the held corpus, nothing changed
    assert not report.reloaded and report.rows == 0
    assert (
        set(StatementSimilarity.objects.values_list("pk", "statement_id", "other_id", "score"))
        == before
    )
