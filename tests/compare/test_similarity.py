"""The similarity method: what it treats as the same word, and that its index misses nothing."""

import itertools
import random

import numpy
import pytest

from compare.models import FLOOR, MAX_NEIGHBOURS, StatementSimilarity
from compare.similarity import DECIMALS, Corpus
from compare.text import terms
from principles.models import Statement

pytestmark = pytest.mark.django_db


def test_terms_fold_plurals_tenses_case_quotes_and_hyphens():
    assert terms("Children\u2019s families") == terms("child's family")
    assert terms("Life-long connections") == terms("lifelong connection")
    assert set(terms("Planning focuses")) == set(terms("planned focused"))
    assert terms("The 3 of us and them") == {}  # stop words and numbers carry nothing


def test_index_finds_exactly_the_pairs_a_brute_force_comparison_finds():
    rows = list(Statement.objects.values_list("pk", "document__organization_id", "text"))
    corpus = Corpus(rows, floor=FLOOR)
    brute = {
        frozenset((a, b)): round(corpus.score(a, b), 4)
        for (a, group_a, _), (b, group_b, _) in itertools.combinations(rows, 2)
        if group_a != group_b and corpus.score(a, b) >= FLOOR
    }
    found = {
        frozenset((key, match.item)): match.score
        for key, matches in corpus.neighbours(limit=None).items()
        for match in matches
    }
    assert found == brute
    assert len(brute) > 20


def test_stored_rows_are_the_computed_pairs_in_both_directions():
    # the seed is small enough that no statement reaches MAX_NEIGHBOURS
    stored = {(s.statement_id, s.other_id): s.score for s in StatementSimilarity.objects.all()}
    assert stored
    assert all(stored[(b, a)] == score for (a, b), score in stored.items())
    assert (
        max(StatementSimilarity.objects.filter(statement_id=a).count() for a, _ in stored)
        < MAX_NEIGHBOURS
    )


def test_identical_texts_score_one_and_share_nothing_within_an_organization():
    corpus = Corpus(
        [
            (1, "a", "Kinship care comes first."),
            (2, "b", "Kinship care comes first."),
            (3, "a", "Kinship care comes first."),
            (4, "c", "1. 2."),
        ],
        floor=FLOOR,
    )
    found = corpus.neighbours(limit=None)
    assert [(m.item, m.score) for m in found[1]] == [(2, 1.0)]
    assert [(m.item, m.score) for m in found[2]] == [(1, 1.0), (3, 1.0)]
    assert found[4] == []  # a text without words matches nothing


def test_the_limit_keeps_the_best_matches():
    corpus = Corpus(
        [(0, "x", "kinship placement urgency family")]
        + [(n, f"g{n}", "kinship placement urgency family" + " extra" * n) for n in range(1, 6)],
        floor=0.1,
    )
    best = corpus.neighbours([0], limit=2)[0]
    assert [match.item for match in best] == [1, 2]


def _brute_force_lists(rows, corpus, limit):
    """Each key's best `limit` matches in other groups by comparing every pair."""
    lists = {}
    for key, group, _ in rows:
        scored = [
            (float(numpy.round(corpus.score(key, other), DECIMALS)), other)
            for other, other_group, _ in rows
            if other_group != group and corpus.score(key, other) >= corpus.floor - 1e-9
        ]
        scored.sort(key=lambda item: (-item[0], item[1]))
        lists[key] = [(other, score) for score, other in scored[:limit]]
    return lists


def test_blocks_and_limits_give_exactly_the_brute_force_lists(monkeypatch):
    # Text repeating a few phrases, like the generated benchmark corpus: most pairs clear
    # the floor, many tie, and texts repeat within and across organizations.
    from compare import similarity

    rng = random.Random(7)  # noqa: S311 - test data, not secrets
    phrases = ["kinship care", "family engagement", "safety planning", "youth voice"]
    phrases += ["placement stability", "trauma", "permanency", "community partners"]
    rows = [
        (key, f"org-{key % 6}", " and ".join(rng.sample(phrases, rng.randint(1, 3))))
        for key in range(1, 121)
    ]
    monkeypatch.setattr(similarity, "BLOCK_CELLS", 250)  # a few rows per block
    corpus = Corpus(rows, floor=FLOOR)
    for limit in (1, 3, 25):
        found = {
            key: [(match.item, match.score) for match in matches]
            for key, matches in corpus.neighbours(limit=limit).items()
        }
        assert found == _brute_force_lists(rows, corpus, limit)


def test_a_statement_outranked_by_its_own_organization_still_gets_its_match():
    # Forty near-copies in its own organization outscore the one match elsewhere: the
    # ranking must widen past them rather than return nothing.
    text = "kinship placement urgency family relatives"
    rows = [(1, "a", text)] + [(n, "a", f"{text} {'extra ' * n}") for n in range(2, 42)]
    rows.append((99, "b", f"{text} unrelated words entirely different here"))
    corpus = Corpus(rows, floor=0.1)
    assert [match.item for match in corpus.neighbours([1], limit=1)[1]] == [99]


def test_a_limit_below_one_is_refused_and_unknown_keys_are_skipped():
    corpus = Corpus([(1, "a", "kinship care"), (2, "b", "kinship care")], floor=FLOOR)
    with pytest.raises(ValueError, match="limit must be None or at least 1"):
        corpus.neighbours(limit=0)
    assert corpus.neighbours([1, 99], limit=1) == {1: [(1.0, 2)]}
