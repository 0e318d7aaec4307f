"""Keeping the precomputed similarities current.

refresh_similarities is called from three places (README, "Compare and crosswalk"):
1. compare.signals, after a statement is saved or deleted (on commit, not for raw saves);
2. principles.services.load_seed_organizations, since loaddata saves raw and signals skip it;
3. the `refresh_similarities` management command, for bulk imports that bypass signals
   (bulk_create, SQL) and to recompute every score against the corpus as it now is.
"""

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min

from principles.models import Statement

from .models import FLOOR, MAX_NEIGHBOURS, StatementSimilarity
from .similarity import Corpus

BATCH = 1000


@dataclass
class RefreshReport:
    corpus: int = 0  # statements compared against
    refreshed: int = 0  # statements whose list of matches was recomputed
    rows: int = 0  # similarity rows written
    full: bool = False
    seconds: float = 0.0


def _load_corpus():
    rows = Statement.objects.values_list("pk", "document__organization_id", "text")
    return Corpus(rows.iterator(chunk_size=2000), floor=FLOOR)


def _ids(statements):
    return {getattr(statement, "pk", statement) for statement in statements}


def _chunks(values, size=500):
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _lists_it_now_enters(changed, already):
    """Statements whose stored list a changed statement now enters: not yet full, or its
    score beats their weakest match. (Ties do not displace, so with many equal scores the
    partners kept can differ from a full refresh's; the scores shown cannot.)"""
    best = defaultdict(float)
    for matches in changed.values():
        for match in matches:
            if match.item not in already:
                best[match.item] = max(best[match.item], match.score)
    if not best:
        return set()
    stats = StatementSimilarity.objects.values("statement_id").annotate(
        count=Count("pk"), weakest=Min("score")
    )
    found = {}
    if len(best) > 5000:  # one pass over the table beats thousands of IN lists
        found = {row["statement_id"]: row for row in stats.order_by()}
    else:
        for chunk in _chunks(best):
            found.update(
                {
                    row["statement_id"]: row
                    for row in stats.filter(statement_id__in=chunk).order_by()
                }
            )
    entering = set()
    for key, score in best.items():
        row = found.get(key)
        if row is None or row["count"] < MAX_NEIGHBOURS or score > row["weakest"]:
            entering.add(key)
    return entering


@transaction.atomic
def refresh_similarities(statements=None):
    """Recompute the stored matches of `statements` (ids, instances or a queryset), or of all.

    The changed statements are scored against the whole corpus at once (a sparse matrix
    product, see compare.similarity). Every statement whose own list may change is
    recomputed too: those that matched a changed statement before, and those that match it
    now. Statements that no longer exist are skipped. A full refresh streams its rows to
    the database in batches instead of holding them all.
    """
    started = time.perf_counter()
    corpus = _load_corpus()
    report = RefreshReport(corpus=len(corpus))
    wanted = None if statements is None else _ids(statements)

    if wanted is None or 2 * len(wanted) >= len(corpus):
        report.full = True
        StatementSimilarity.objects.all().delete()
        lists = corpus.iter_neighbours(limit=MAX_NEIGHBOURS)  # streamed: 1.25M rows at 50k
    else:
        changed = corpus.neighbours(wanted, limit=None)  # every match above the floor
        affected = set(wanted)
        for chunk in _chunks(wanted):
            for pair in StatementSimilarity.objects.involving(chunk).values_list(
                "statement_id", "other_id"
            ):
                affected.update(pair)  # lists that held a changed statement must be refilled
        affected |= _lists_it_now_enters(changed, affected)
        refilled = {key: matches[:MAX_NEIGHBOURS] for key, matches in changed.items()}
        refilled.update(corpus.neighbours(affected - set(changed), limit=MAX_NEIGHBOURS))
        for chunk in _chunks(affected):
            StatementSimilarity.objects.filter(statement_id__in=chunk).delete()
        lists = refilled.items()

    rows = []
    for key, matches in lists:
        report.refreshed += 1
        rows.extend(
            StatementSimilarity(statement_id=key, other_id=match.item, score=match.score)
            for match in matches
        )
        if len(rows) >= BATCH:
            StatementSimilarity.objects.bulk_create(rows)
            report.rows += len(rows)
            rows = []
    StatementSimilarity.objects.bulk_create(rows)
    report.rows += len(rows)
    report.seconds = time.perf_counter() - started
    return report
