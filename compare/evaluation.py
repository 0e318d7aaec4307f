"""How well the automatic crosswalk agrees with a reference set of judged pairs.

The reference (tests/compare/crosswalk_reference.json) lists pairs of seed statements,
each judged "same" (the same principle) or "related" (the same subject, a different
point), with a reason and a half ("a" or "b": the set is split so that a score tuned on
one half can be checked on the other). Statements are "organization slug:position" in
the organization's one seed document. Pairs it does not list are unjudged.

Only automatic suggestions count (the stored similarity rows, as "Similar elsewhere" and
the crosswalk read them): curated links are measured on top, never in these figures.

- precision at a band: of the judged pairs scoring at that band or above, the share
  judged "same" (unjudged pairs are counted separately, and as wrong in the strict figure);
- recall at a band: of the "same" pairs, the share scoring at that band or above;
- recall@5: for each "same" pair in both directions, whether the partner is among the
  statement's five best automatic matches ("Similar elsewhere").
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from principles.models import Statement

from .models import FLOOR, NEARLY_SAME_SCORE, SIMILAR_SCORE, StatementSimilarity
from .selectors import SIMILAR_ELSEWHERE_LIMIT

SAME, RELATED = "same", "related"
BANDS = (("Nearly the same", NEARLY_SAME_SCORE), ("Similar", SIMILAR_SCORE), ("Related", FLOOR))


def default_reference():
    return Path(settings.BASE_DIR) / "tests" / "compare" / "crosswalk_reference.json"


class ReferenceError(ValueError):
    """The reference file names a statement that does not exist or is malformed."""


def load_reference(path=None):
    """[(first id, second id, judgement, half)] of the reference file."""
    with open(path or default_reference(), encoding="utf-8") as file:
        data = json.load(file)
    ids = {}
    for pk, slug, position in Statement.objects.values_list(
        "pk", "document__organization__slug", "position"
    ).order_by("document__position", "pk"):
        ids.setdefault(f"{slug}:{position}", pk)
    pairs = []
    for entry in data["pairs"]:
        try:
            first, second = ids[entry["first"]], ids[entry["second"]]
        except KeyError as error:
            raise ReferenceError(f"No statement {error.args[0]} (load the seeds first).") from None
        if entry["judgement"] not in (SAME, RELATED):
            raise ReferenceError(f"Unknown judgement {entry['judgement']!r}.")
        pairs.append((first, second, entry["judgement"], entry.get("half", "a")))
    return pairs


@dataclass
class BandFigures:
    name: str
    threshold: float
    same: int  # "same" pairs found at this band or above
    related: int  # "related" pairs found there
    unjudged: int  # pairs found there that the reference does not judge
    wanted: int  # all "same" pairs of the reference

    @property
    def precision(self):
        return self.same / (self.same + self.related) if self.same + self.related else 1.0

    @property
    def strict_precision(self):
        found = self.same + self.related + self.unjudged
        return self.same / found if found else 1.0

    @property
    def recall(self):
        return self.same / self.wanted if self.wanted else 0.0


@dataclass
class Evaluation:
    pairs: int
    bands: list
    recall_at_5: float


def automatic_scores():
    """{frozenset(pair): score} and {statement: [partners best first]} of the stored rows
    between published statements."""
    scores, ranked = {}, defaultdict(list)
    rows = StatementSimilarity.objects.published().order_by("statement_id", "-score", "other_id")
    for statement, other, score in rows.values_list("statement_id", "other_id", "score"):
        scores[frozenset((statement, other))] = max(
            score, scores.get(frozenset((statement, other)), 0)
        )
        ranked[statement].append(other)
    return scores, ranked


def evaluate(reference, half=None):
    """Figures for the reference pairs (of one half, or all)."""
    scores, ranked = automatic_scores()
    chosen = [pair for pair in reference if half is None or pair[3] == half]
    judged = {frozenset(pair[:2]): pair[2] for pair in reference}
    wanted = [pair for pair in chosen if pair[2] == SAME]
    bands = []
    for name, threshold in BANDS:
        found = {pair for pair, score in scores.items() if score >= threshold}
        same = sum(1 for pair in chosen if pair[2] == SAME and frozenset(pair[:2]) in found)
        related = sum(1 for pair in chosen if pair[2] == RELATED and frozenset(pair[:2]) in found)
        unjudged = sum(1 for pair in found if pair not in judged)
        bands.append(BandFigures(name, threshold, same, related, unjudged, len(wanted)))
    hits = sum(
        other in ranked[statement][:SIMILAR_ELSEWHERE_LIMIT]
        for first, second, _, _ in wanted
        for statement, other in ((first, second), (second, first))
    )
    return Evaluation(len(chosen), bands, hits / (2 * len(wanted)) if wanted else 0.0)
