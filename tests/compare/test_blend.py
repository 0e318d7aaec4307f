"""The blended score (words, meaning and curated themes) and its calibration on the
reference set (tests/compare/crosswalk_reference.json, compare.evaluation)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from compare import services
from compare.evaluation import evaluate, load_reference
from compare.models import SIMILAR_SCORE, StatementSimilarity
from compare.services import refresh_similarities

from .conftest import statement

pytestmark = pytest.mark.django_db


def score(first, second):
    row = StatementSimilarity.objects.filter(statement=first, other=second).first()
    return row.score if row else 0.0


def test_the_reference_set_is_large_and_varied_enough():
    pairs = load_reference()
    same = [pair for pair in pairs if pair[2] == "same"]
    assert len(same) >= 50 and len(pairs) - len(same) >= 50
    organizations = {
        frozenset(
            statement.document.organization.slug
            for statement in [_statement(pair[0]), _statement(pair[1])]
        )
        for pair in same
    }
    assert len(organizations) >= 8  # far beyond Virginia and Maine


def _statement(pk):
    from principles.models import Statement

    return Statement.objects.select_related("document__organization").get(pk=pk)


def test_without_the_model_the_score_is_words_alone_as_before():
    refresh_similarities()
    result = evaluate(load_reference())
    similar = next(band for band in result.bands if band.name == "Similar")
    assert similar.precision == 1.0 and similar.recall < 0.4  # the starting point
    vt = statement("vermont-fsd", "All children have the right to be safe.")
    va = statement("virginia", "Safety comes first.")
    assert score(vt, va) < SIMILAR_SCORE


def test_with_meaning_the_same_idea_in_other_words_is_similar(meaning_on):
    refresh_similarities()
    vt = statement("vermont-fsd", "All children have the right to be safe.")
    va = statement("virginia", "Safety comes first.")
    assert score(vt, va) >= SIMILAR_SCORE and score(va, vt) == score(vt, va)


def test_the_calibrated_score_meets_the_targets_and_holds_on_each_half(meaning_on):
    """Issue 19: "Similar" and above precision >= 0.8 and recall >= 0.6; "Similar
    elsewhere" recall@5 >= 0.7, on the whole reference set. Each half on its own stays
    near (half b's recall is 0.54: docs/CROSSWALK.md), and "Nearly the same" stays exact."""
    refresh_similarities()
    pairs = load_reference()
    for half, least_recall in (("a", 0.6), ("b", 0.5), (None, 0.6)):
        result = evaluate(pairs, half)
        nearly, similar, _ = result.bands
        assert similar.precision >= 0.8, (half, similar)
        assert similar.recall >= least_recall, (half, similar)
        assert result.recall_at_5 >= 0.7, (half, result.recall_at_5)
        assert nearly.precision == 1.0 and nearly.unjudged == 0


def test_the_command_prints_both_halves_and_the_whole(meaning_on):
    out = StringIO()
    call_command("crosswalk_eval", "--refresh", stdout=out)
    text = out.getvalue()
    assert "Score: words, meaning and themes." in text
    assert text.count("Similar elsewhere recall@5:") == 3
    assert re.search(r"Similar +>= 0\.50: precision \d\.\d\d", text)


def test_an_edit_with_meaning_on_updates_incrementally_like_a_full_refresh(
    meaning_on, django_capture_on_commit_callbacks
):
    refresh_similarities()
    vt = statement("vermont-fsd", "Early engagement of the larger family network")
    with django_capture_on_commit_callbacks(execute=True):
        vt.text = "When children cannot live safely at home, we look first to their relatives."
        vt.save()
    partial = dict(
        StatementSimilarity.objects.filter(statement=vt).values_list("other_id", "score")
    )
    assert services._held.corpus is not None and services._held.corpus.blending
    services.forget_held_corpus()
    refresh_similarities()
    full = dict(StatementSimilarity.objects.filter(statement=vt).values_list("other_id", "score"))
    assert partial.keys() == full.keys() and partial
    assert all(abs(partial[key] - full[key]) < 0.02 for key in full)  # frozen IDF weights


def test_a_theme_change_rescores_the_statement_while_meaning_is_on(
    meaning_on, django_capture_on_commit_callbacks
):
    from principles.models import TaggedStatement, Theme

    refresh_similarities()
    vt = statement("vermont-fsd", "All children have the right to be safe.")
    va = statement("virginia", "Safety comes first.")
    before = score(vt, va)
    with django_capture_on_commit_callbacks(execute=True):
        TaggedStatement.objects.filter(content_object=vt).delete()
        TaggedStatement.objects.create(content_object=vt, tag=Theme.objects.get(slug="workforce"))
    assert score(vt, va) < before


def test_without_the_model_files_the_refresh_falls_back_to_words(
    settings, model_missing, django_capture_on_commit_callbacks
):
    from meaning.models import StatementEmbedding

    settings.PRACTICEKB_MEANING = "process"
    StatementEmbedding.objects.all().delete()
    vt = statement("vermont-fsd", "Early engagement of the larger family network")
    with django_capture_on_commit_callbacks(execute=True):
        vt.text = "Permanency planning for children begins at first contact."
        vt.save()
    assert StatementSimilarity.objects.filter(statement=vt).exists()
    assert not services._held.corpus.blending
