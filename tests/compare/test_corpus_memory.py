"""What the similarity worker holds between jobs: every vector once, in one byte-per-component
matrix, and nothing per statement but arrays (compare.similarity.Corpus)."""

import itertools

import numpy
import pytest

from compare import services
from compare.models import FLOOR
from compare.similarity import BLEND, VECTOR_DTYPE, Corpus
from meaning.encoder import MODEL_NAME
from meaning.models import DTYPE, StatementEmbedding, statement_text, text_hash
from principles.models import Statement, TaggedStatement

DIMENSION = 384
TEXTS = [
    "Kinship care keeps children with their family.",
    "Children stay with relatives whenever it is safe.",
    "Budgets are reviewed every quarter by the finance office.",
    "Families are partners in every decision about their children.",
    "We listen to young people and act on what they tell us.",
    "Safety comes first in every placement decision.",
]


def unit(rng):
    vector = rng.standard_normal(DIMENSION).astype(numpy.float32)
    return vector / numpy.linalg.norm(vector)


def items(count=40, seed=3):
    """Blend items: texts repeat (with their vector and themes, as copies do), some
    statements have no vector, themes overlap."""
    rng = numpy.random.default_rng(seed)
    vector_of_text = {text: unit(rng) for text in TEXTS}
    made = []
    for key in range(1, count + 1):
        text = TEXTS[key % len(TEXTS)]
        vector = None if key % 7 == 0 else vector_of_text[text]
        themes = [key % 3] if key % 2 else [key % 3, 5]
        made.append((key, f"org{key % 4}", text, vector, themes))
    return made


def brute_score(corpus, a, b):
    """The blend of docs/CROSSWALK.md in float64, from the items' vectors and themes (the
    lexical cosine from the corpus's TF-IDF rows)."""
    rows = corpus.matrix
    lexical = rows[int(corpus._signature[a[0]])].multiply(rows[int(corpus._signature[b[0]])])
    lexical = min(1.0, float(lexical.sum()))
    if a[3] is None or b[3] is None:
        return lexical
    cosine = float(numpy.dot(a[3].astype(numpy.float64), b[3].astype(numpy.float64)))
    meaning = min(1.0, max(0.0, (cosine - BLEND.meaning_baseline) / (1 - BLEND.meaning_baseline)))
    shared = len(set(a[4]) & set(b[4]))
    union = len(set(a[4]) | set(b[4]))
    themes = shared / union if union else 0.0
    mixed = BLEND.lexical * lexical + BLEND.meaning * meaning + BLEND.themes * themes
    return max(lexical, min(BLEND.ceiling, mixed))


ITEMS = items()


def test_vectors_are_held_once_in_one_byte_per_component_matrix():
    corpus = Corpus(ITEMS, floor=FLOOR, blending=True)
    signatures = corpus.matrix.shape[0]
    distinct = len(
        {(text, tuple(sorted(themes)), vector is None) for _, _, text, vector, themes in ITEMS}
    )
    assert signatures == distinct < len(ITEMS)  # copies share one row, and one vector
    vectors = corpus._vectors
    assert vectors.dtype == VECTOR_DTYPE == numpy.int8
    assert vectors.ndim == 2 and vectors.shape[1] == DIMENSION
    assert vectors.shape[0] == signatures and vectors.flags.c_contiguous and vectors.flags.owndata
    assert not corpus._has_vector[:signatures].all()  # statements without a vector
    # no other copy: nothing held is a mapping, and the arrays add up to little more
    for name, value in vars(corpus).items():
        assert not (
            isinstance(value, dict) and any(isinstance(v, numpy.ndarray) for v in value.values())
        ), name
    assert corpus.held_bytes() < vectors.nbytes + 64 * 1024


def test_the_blended_scores_are_the_formula_within_the_held_precision():
    corpus = Corpus(ITEMS, floor=FLOOR, blending=True)
    by_key = {item[0]: item for item in ITEMS}
    found = {
        (key, match.item): match.score
        for key, matches in corpus.neighbours(limit=None).items()
        for match in matches
    }
    checked = 0
    for a, b in itertools.permutations(ITEMS, 2):
        if a[1] == b[1]:
            continue
        expected = brute_score(corpus, a, b)
        assert abs(corpus.score(a[0], b[0]) - expected) < 2e-3
        if expected >= FLOOR + 2e-3:
            assert abs(found[(a[0], b[0])] - expected) < 2e-3
            checked += 1
        elif expected < FLOOR - 2e-3:
            assert (a[0], b[0]) not in found
    assert checked > 100
    assert all(by_key[a][1] != by_key[b][1] for a, b in found)


def test_an_update_of_the_held_corpus_matches_a_corpus_built_with_the_edit():
    corpus = Corpus(ITEMS, floor=FLOOR, blending=True)
    rng = numpy.random.default_rng(9)
    edited = (3, "org3", "Relatives are the first place a child should go.", unit(rng), [1])
    corpus.update([edited], deleted=[4])
    rebuilt = Corpus(
        [edited if item[0] == 3 else item for item in ITEMS if item[0] != 4],
        floor=FLOOR,
        blending=True,
    )
    assert 4 not in corpus and len(corpus) == len(rebuilt)
    held = corpus.neighbours(limit=5)
    fresh = rebuilt.neighbours(limit=5)
    assert held.keys() == fresh.keys()
    for key in fresh:  # the frozen IDF weights of the held corpus drift a little
        assert [m.item for m in held[key]][:2] == [m.item for m in fresh[key]][:2] or all(
            abs(x.score - y.score) < 0.02 for x, y in zip(held[key], fresh[key], strict=False)
        )
    assert corpus._vectors.dtype == VECTOR_DTYPE and corpus._vectors.shape[1] == DIMENSION


@pytest.mark.django_db
def test_the_worker_reads_current_vectors_and_themes_in_one_stream(settings):
    settings.PRACTICEKB_MEANING = "process"
    StatementEmbedding.objects.all().delete()
    first, second = Statement.objects.order_by("pk")[:2]
    vector = (numpy.ones(DIMENSION) / numpy.sqrt(DIMENSION)).astype(DTYPE)
    for row, text in ((first, statement_text(first)), (second, "an older text")):
        StatementEmbedding.objects.create(
            statement=row,
            model_name=MODEL_NAME,
            text_hash=text_hash(text),
            vector=vector.tobytes(),
        )
    streamed = {item[0]: item for item in services._items(Statement.objects.all())}
    assert len(streamed) == Statement.objects.count()
    assert numpy.array_equal(streamed[first.pk][3], vector)
    assert streamed[second.pk][3] is None  # computed from a text it no longer has
    themes = TaggedStatement.objects.filter(tag__curated=True)
    for key, theme in themes.values_list("content_object_id", "tag_id"):
        assert theme in streamed[key][4]
    assert sum(len(item[4]) for item in streamed.values()) == themes.count()
    corpus = services._load_corpus()
    assert corpus.blending and corpus._has_vector[: corpus.matrix.shape[0]].sum() == 1


@pytest.mark.django_db
def test_a_full_refresh_keeps_nothing_it_only_needed_for_the_job(
    django_capture_on_commit_callbacks,
):
    services.forget_held_corpus()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.refresh_similarities()
    assert report.full and services._held.corpus is not None
    # the inverted index the full refresh built is dropped once its lists are written
    assert services._held.corpus._transposed is None
