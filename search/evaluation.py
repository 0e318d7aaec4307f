"""How well search answers staff's own questions: recall@10 and nDCG@10 over a judged set.

The set (search/evaluation.json) names each relevant statement by its natural key,
"organization slug/document slug/position", so it survives reloading the fixtures.
Relevance is binary; nDCG@10 divides the discounted gain of the first ten results by that
of an ideal ranking of the relevant statements.
"""

import json
from dataclasses import dataclass, field
from math import log2
from pathlib import Path

from meaning import client
from principles.models import Statement

from . import query as search_query
from . import selectors
from .backends import Criteria

EVALUATION_SET = Path(__file__).with_name("evaluation.json")
K = 10
# The embedding model alone (nearest statements in force), for comparison with the modes of
# the page (search.selectors.MODES).
MEANING = "meaning"
MODES = (*selectors.MODES, MEANING)


def load_questions(path=EVALUATION_SET):
    return json.loads(Path(path).read_text(encoding="utf-8"))["questions"]


def natural_keys(ids):
    """'org/document/position' for each statement id, in the order of `ids`."""
    rows = Statement.objects.filter(pk__in=ids).values_list(
        "pk", "document__organization__slug", "document__slug", "position"
    )
    keys = {pk: f"{org}/{doc}/{position}" for pk, org, doc, position in rows}
    return [keys[pk] for pk in ids if pk in keys]


def recall_at(ranked, relevant, k=K):
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def ndcg_at(ranked, relevant, k=K):
    relevant = set(relevant)
    gain = sum(1 / log2(rank + 2) for rank, key in enumerate(ranked[:k]) if key in relevant)
    ideal = sum(1 / log2(rank + 2) for rank in range(min(k, len(relevant))))
    return gain / ideal


@dataclass
class Figures:
    mode: str
    recall: float = 0.0
    ndcg: float = 0.0
    empty: int = 0
    questions: int = 0
    rows: list = field(default_factory=list)


def nearest_keys(text):
    """The K statements in force closest in meaning to `text` (none without the model)."""
    found = client.closeness(text, K * 5)
    if found is None:
        return []
    ids = [pk for pk, _ in found.neighbours]
    in_force = set(Statement.objects.in_force().filter(pk__in=ids).values_list("pk", flat=True))
    return natural_keys([pk for pk in ids if pk in in_force][:K])


def top_keys(text, mode):
    """The natural keys of the first K results of a search for `text` in `mode`, as the
    first page of search lists them."""
    if mode == MEANING:
        return nearest_keys(text)
    criteria = Criteria(query=search_query.parse(text))
    if criteria.query.is_empty:
        return []
    results = selectors.search(criteria, 1, mode=mode)
    return natural_keys([statement.pk for statement in results.all_results][:K])


def evaluate(mode, questions=None):
    questions = load_questions() if questions is None else questions
    figures = Figures(mode=mode, questions=len(questions))
    for question in questions:
        ranked = top_keys(question["q"], mode)
        recall = recall_at(ranked, question["relevant"])
        ndcg = ndcg_at(ranked, question["relevant"])
        figures.recall += recall / len(questions)
        figures.ndcg += ndcg / len(questions)
        figures.empty += not ranked
        figures.rows.append((question["q"], recall, ndcg, len(ranked)))
    return figures
