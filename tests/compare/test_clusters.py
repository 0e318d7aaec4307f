"""The full refresh of a large corpus scores each text against its neighbourhood only
(compare.clusters): the lists it gives are made of true scores, become the exact lists when
every group is probed, and keep most of them when few are."""

import random

import numpy
import pytest

from compare import clusters
from compare.models import FLOOR
from compare.similarity import Corpus

from .test_corpus_memory import items

TOPICS = [
    ["kinship care", "relatives", "grandparents", "family placement"],
    ["safety planning", "risk assessment", "protective factors", "safe homes"],
    ["youth voice", "young people", "transition to adulthood", "independent living"],
    ["budget", "finance office", "quarterly review", "procurement"],
    ["trauma", "healing", "mental health", "therapeutic care"],
    ["tribes", "culture", "language", "community traditions"],
]


def topical_rows(count=300, seed=5):
    """Texts of one topic each (two or three of its phrases, a word of another topic now and
    then), in six organizations."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    rows = []
    for key in range(1, count + 1):
        topic = TOPICS[key % len(TOPICS)]
        words = rng.sample(topic, rng.randint(2, 3))
        if key % 5 == 0:
            words.append(rng.choice(rng.choice(TOPICS)))
        rows.append((key, f"org-{key % 6 + key // 60}", " and ".join(words)))
    return rows


@pytest.fixture
def neighbourhoods(monkeypatch):
    """Every corpus scored by neighbourhoods of about 20 texts, whatever its size."""
    monkeypatch.setattr(clusters, "EXACT_UP_TO", 0)
    monkeypatch.setattr(clusters, "GROUP_SIZE", 20)
    monkeypatch.setattr(clusters, "MAX_GROUP", 40)
    return monkeypatch


def lists(corpus, limit=25):
    return {
        key: [(match.item, match.score) for match in matches]
        for key, matches in corpus.neighbours(limit=limit).items()
    }


@pytest.mark.parametrize("blending", [False, True])
def test_probing_every_group_gives_exactly_the_lists_of_every_pair(neighbourhoods, blending):
    rows = items(120) if blending else topical_rows()
    exact = lists(Corpus(rows, floor=FLOOR, blending=blending))
    neighbourhoods.setattr(clusters, "PROBES", 1000)
    assert lists(Corpus(rows, floor=FLOOR, blending=blending)) == exact
    assert sum(map(len, exact.values())) > 200


def test_few_probes_keep_true_scores_and_most_of_the_lists(neighbourhoods):
    rows = topical_rows()
    exact = lists(Corpus(rows, floor=FLOOR))
    neighbourhoods.setattr(clusters, "PROBES", 3)
    corpus = Corpus(rows, floor=FLOOR)
    approximate = lists(corpus)
    held = total = 0
    for key, matches in exact.items():
        mine = approximate[key]
        for other, score in mine:  # a listed score is the pair's score, ranked as ever
            assert score == round(corpus.score(key, other), 4)
        assert [score for _, score in mine] == sorted((s for _, s in mine), reverse=True)
        total += len(matches)
        held += sum(
            rank < len(mine) and mine[rank][1] >= score for rank, (_, score) in enumerate(matches)
        )
    assert held / total >= 0.9, held / total
    assert approximate != exact  # three groups of fifteen: not every pair was scored


def test_groups_stay_bounded_and_the_same_corpus_gives_the_same_groups(neighbourhoods):
    sketches = clusters.unit_rows(numpy.ones((150, 8), dtype=numpy.float32))  # all alike
    sketches[100:] = clusters.unit_rows(numpy.random.default_rng(1).random((50, 8)))

    def sketch(rows):
        return sketches[rows]

    labels, centres = clusters.groups(sketch, len(sketches))
    assert numpy.bincount(labels).max() <= clusters.MAX_GROUP
    assert len(centres) == labels.max() + 1
    again, _ = clusters.groups(sketch, len(sketches))
    assert (labels == again).all()
    covered = numpy.concatenate([rows for rows, _ in clusters.neighbourhoods(labels, centres)])
    assert sorted(covered.tolist()) == list(range(len(sketches)))  # each text in one group
    for rows, columns in clusters.neighbourhoods(labels, centres):
        assert set(rows.tolist()) <= set(columns.tolist())  # its own group among its probes
