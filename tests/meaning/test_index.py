"""The vectors as one matrix: exact nearest neighbours, scores of given ids, reloads."""

import numpy as np
import pytest

from meaning.index import VectorIndex
from meaning.models import DTYPE, StatementEmbedding
from principles.models import Statement
from search.related import reordered

pytestmark = pytest.mark.django_db


def unit(*values):
    vector = np.zeros(384, dtype=DTYPE)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


@pytest.fixture
def three_vectors():
    first, second, third = Statement.objects.order_by("pk")[:3]
    StatementEmbedding.objects.all().delete()
    for statement, vector in ((first, unit(1, 0)), (second, unit(1, 1)), (third, unit(0, 1))):
        StatementEmbedding.objects.create(
            statement=statement, model_name="test", text_hash="x", vector=vector.tobytes()
        )
    return first.pk, second.pk, third.pk


def test_nearest_are_exact_and_closest_first(three_vectors):
    first, second, third = three_vectors
    index = VectorIndex(model_name="test")
    index.refresh(force=True)
    found = index.nearest(unit(1, 0.1), 2)
    assert [pk for pk, _ in found] == [first, second]
    assert found[0][1] == pytest.approx(float(unit(1, 0.1) @ unit(1, 0)), abs=1e-5)
    assert set(index.scores(unit(0, 1), [third, first, 999_999])) == {third, first}


def test_the_index_reloads_when_the_vectors_change(three_vectors):
    _, _, third = three_vectors
    index = VectorIndex(model_name="test", recheck=0)
    index.refresh()
    assert len(index.ids) == 3
    StatementEmbedding.objects.filter(statement_id=third).delete()
    index.refresh()
    assert third not in {pk for pk, _ in index.nearest(unit(0, 1), 3)}


def test_an_empty_index_finds_nothing():
    index = VectorIndex(model_name="none")
    index.refresh(force=True)
    assert index.nearest(unit(1), 5) == [] and index.scores(unit(1), [1]) == {}


def test_meaning_reorders_within_the_page_only():
    ids = [10, 20, 30]
    # the last word match is much closer in meaning: it moves up, nothing else changes
    assert reordered(ids, {10: 0.1, 20: 0.1, 30: 0.9}) == [30, 10, 20]
    assert reordered(ids, {}) == ids
    # a statement without a vector counts the page's mean closeness
    assert reordered(ids, {10: 0.5, 30: 0.5}) == ids
