"""Keeping the precomputed similarities current.

refresh_similarities is called from two places (docs/tasks.md):
1. compare.tasks.refresh_pending, the worker's job enqueued by compare.signals when the
   core announces changed statements (principles.signals: every save, import and loaddata);
2. the `refresh_similarities` management command, for bulk imports that bypass signals
   (bulk_create, SQL) and to recompute every score against the corpus as it now is.

A partial refresh reuses the corpus (every statement's TF-IDF row) that the process holds
from its previous refresh, taking in only the statements that changed (Corpus.update), as
long as nobody else has refreshed since (CorpusState's generation), the statement count and
highest id agree with what it took in, and the edits stay under RELOAD_AFTER of the corpus
(past it, the frozen IDF weights would drift): the first refresh of a process, and any
after those checks fail, loads the corpus from the database.
"""

import io
import itertools
import threading
import time
from dataclasses import dataclass
from types import SimpleNamespace

import numpy
from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Max, Min, Q

from meaning.conf import meaning_enabled
from meaning.encoder import MODEL_NAME
from meaning.models import DTYPE, statement_text, text_hash
from performance import versioning
from principles.models import Statement, TaggedStatement

from .models import FLOOR, MAX_NEIGHBOURS, CorpusState, StatementSimilarity
from .similarity import Corpus, Neighbour

BATCH = 1000
# A full refresh on PostgreSQL streams its rows with COPY, this many at a time: 502,432
# rows took 4.4 to 4.9 s, against 13.7 to 15.1 s by bulk_create (12.5 million at 500,000).
COPY_BATCH = 100_000
# A held corpus is reloaded once edits since its load reach this share of it.
RELOAD_AFTER = 0.05
# Any refresh takes this advisory lock (PostgreSQL): two at once would write the same rows.
LOCK_KEY = 0x70_6B_62_73  # "pkbs"


@dataclass
class RefreshReport:
    corpus: int = 0  # statements compared against
    refreshed: int = 0  # statements whose list of matches was written
    rows: int = 0  # similarity rows written
    full: bool = False
    reloaded: bool = True  # the corpus was read from the database (not the one held)
    seconds: float = 0.0


def _items(queryset):
    """The corpus items of these statements, streamed in id order (compare.similarity):
    (id, organization, text), and while meaning is on (id, organization, text, vector,
    curated theme ids). A vector counts only if it was computed from the statement's
    current text. Vectors come with their statement in one query (a filtered join), and
    themes from a second query read in the same order and merged in: nothing is held per
    statement besides what the corpus keeps."""
    statements = queryset.order_by("pk")
    if not meaning_enabled():
        rows = statements.values_list("pk", "document__organization_id", "text")
        yield from rows.iterator(chunk_size=2000)
        return
    rows = statements.annotate(
        vector_of_model=FilteredRelation(
            "embeddings", condition=Q(embeddings__model_name=MODEL_NAME)
        )
    ).values_list(
        "pk",
        "document__organization_id",
        "title",
        "text",
        "vector_of_model__text_hash",
        "vector_of_model__vector",
    )
    taggings = (
        TaggedStatement.objects.filter(tag__curated=True, content_object__in=statements)
        .order_by("content_object_id", "tag_id")
        .values_list("content_object_id", "tag_id")
        .iterator(chunk_size=5000)
    )
    tagging = next(taggings, None)
    for key, group, title, text, digest, vector in rows.iterator(chunk_size=2000):
        themes = []
        while tagging is not None and tagging[0] <= key:
            if tagging[0] == key:
                themes.append(tagging[1])
            tagging = next(taggings, None)
        if vector is not None and (
            digest != text_hash(statement_text(SimpleNamespace(title=title, text=text)))
        ):
            vector = None  # of an older text: the meaning job will bring the new one
        if vector is not None:
            vector = numpy.frombuffer(vector, dtype=DTYPE)
        yield key, group, text, vector, themes


def _load_corpus():
    return Corpus(_items(Statement.objects.all()), floor=FLOOR, blending=meaning_enabled())


class _Held(threading.local):
    """The corpus this process (thread) computed with last, and what it matched then."""

    corpus = None
    generation = None
    count = None
    top = None
    weakest = None  # Weakest of the corpus's statements' stored lists (as last written)


_held = _Held()


def forget_held_corpus():
    _held.corpus = _held.generation = _held.count = _held.top = _held.weakest = None


class Weakest:
    """Per statement, the score a new match must beat to enter its stored list: its
    weakest score when the list is full (MAX_NEIGHBOURS), else nothing (any match at the
    floor enters). One float32 per statement id, kept beside the held corpus so that an
    edit finds the lists it enters without reading the similarity table."""

    def __init__(self, size=0):
        self.scores = numpy.zeros(size, dtype=numpy.float32)

    @classmethod
    def from_table(cls, size):
        """Read from the stored rows: one aggregate over the table (when a corpus is loaded,
        itself a pass over every statement)."""
        weakest = cls(size)
        stats = (
            StatementSimilarity.objects.values("statement_id")
            .annotate(count=Count("pk"), weakest=Min("score"))
            .filter(count__gte=MAX_NEIGHBOURS)
            .order_by()
        )
        for key, score in stats.values_list("statement_id", "weakest").iterator():
            weakest.set(key, score)
        return weakest

    def set(self, key, score):
        if key >= len(self.scores):
            self.scores = numpy.concatenate(
                [self.scores, numpy.zeros(key + 1 - len(self.scores) + 1024, numpy.float32)]
            )
        self.scores[key] = score

    def of(self, key):
        """The score a match must reach to stay in or enter `key`'s list (0: any)."""
        return float(self.scores[key]) if key < len(self.scores) else 0.0

    def note(self, key, matches):
        self.set(key, matches[-1].score if len(matches) >= MAX_NEIGHBOURS else 0.0)

    def entered(self, others, scores):
        """Those of `others` whose list a match of these scores now enters."""
        limits = numpy.zeros(len(others), dtype=numpy.float32)
        known = others < len(self.scores)
        limits[known] = self.scores[others[known]]
        # no full list: any match enters; a full one: only above its weakest (ties do not
        # displace, so with many equal scores the partners kept can differ from a full
        # refresh's; the scores shown cannot)
        return others[(limits == 0) | (scores > limits + 1e-6)]


def _next_generation():
    """Take the generation row's lock for this refresh and return (before, after)."""
    state, _ = CorpusState.objects.select_for_update().get_or_create(pk=1)
    CorpusState.objects.filter(pk=1).update(generation=F("generation") + 1)
    return state.generation, state.generation + 1


def _corpus_for(wanted, generation, shape):
    """The held corpus brought up to date with `wanted` (the statements that changed), or
    None when it cannot be trusted and the corpus must be loaded."""
    corpus = _held.corpus
    if corpus is None or _held.generation != generation:
        return None
    if corpus.blending and not meaning_enabled():
        return None  # meaning was turned off: score by words alone from scratch
    if corpus.updated + len(wanted) > RELOAD_AFTER * max(corpus.loaded, 1):
        return None
    existing = list(_items(Statement.objects.filter(pk__in=wanted)))
    if not corpus.blending and any(len(item) > 3 and item[3] is not None for item in existing):
        return None  # the first vectors arrived: blend from scratch
    deleted = set(wanted) - {item[0] for item in existing}
    count = _held.count + sum(1 for item in existing if item[0] not in corpus)
    count -= sum(1 for key in deleted if key in corpus)
    top = max([_held.top or 0, *(item[0] for item in existing)])
    if (count, top) != shape:
        return None  # rows came or went without an announcement (bulk writes, SQL)
    corpus.update(existing, deleted)
    return corpus


def _lock():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _ids(statements):
    return {getattr(statement, "pk", statement) for statement in statements}


def _chunks(values, size=500):
    iterator = iter(values)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


@transaction.atomic
def refresh_similarities(statements=None):
    """Recompute the stored matches of `statements` (ids, instances or a queryset), or of all.

    The changed statements are scored against the whole corpus at once (a sparse matrix
    product, see compare.similarity). The lists that held a changed statement, and those
    it now enters (its score beats their weakest, held beside the corpus: class Weakest),
    take its new score in place; only a list it falls out of is recomputed, since what
    that list left out may now come first (_moves_of). Statements that no longer exist
    are skipped. A full refresh streams its rows to the database in batches instead of
    holding them all.
    """
    started = time.perf_counter()
    _lock()
    before, generation = _next_generation()
    shape = Statement.objects.aggregate(count=Count("pk"), top=Max("pk"))
    shape = (shape["count"], shape["top"] or 0)
    wanted = None if statements is None else _ids(statements)
    corpus = None
    if wanted is not None and 2 * len(wanted) < shape[0]:
        corpus = _corpus_for(wanted, before, shape)
    held_weakest = _held.weakest if corpus is not None else None
    forget_held_corpus()  # updated in place: held again only once this refresh commits
    report = RefreshReport(reloaded=corpus is None)
    if corpus is None:
        corpus = _load_corpus()
    report.corpus = len(corpus)

    full = wanted is None or 2 * len(wanted) >= len(corpus)
    weakest = Weakest() if full else held_weakest or Weakest.from_table(0)

    def hold():
        _held.corpus, _held.generation = corpus, generation
        _held.count, _held.top = shape
        _held.weakest = weakest

    transaction.on_commit(hold)

    if full:
        report.full = True
        # every page changes: one bump of `global`, not a trigger per row at COMMIT
        with versioning.bulk_write():
            StatementSimilarity.objects.all().delete()
            _write(corpus.iter_neighbours(limit=MAX_NEIGHBOURS), report, weakest)
            if connection.vendor == "postgresql":
                _analyze()
    else:
        holders = {}  # changed statement: the lists holding it
        for chunk in _chunks(wanted):
            rows = StatementSimilarity.objects.filter(other_id__in=chunk)
            for owner, key in rows.values_list("statement_id", "other_id"):
                holders.setdefault(key, set()).add(owner)
        # each changed statement against every other: its own list, and what it does to
        # the lists that held it or that it now enters (its score beats their weakest)
        refilled, recompute, moves = {}, set(), {}
        for key, matches, others, scores in corpus.iter_matches(wanted, limit=MAX_NEIGHBOURS):
            refilled[key] = matches
            _moves_of(key, others, scores, holders.get(key, set()), weakest, recompute, moves)
        recompute -= set(refilled)
        stored = _stored(set(refilled) | recompute | set(moves))
        refilled.update(_moved(set(moves) - recompute - set(refilled), moves, stored))
        refilled.update(corpus.neighbours(recompute, limit=MAX_NEIGHBOURS))
        # a list that comes out as stored is not rewritten: rewriting it would expire the
        # cached pages of its statements and organizations (a tagging with a theme that is
        # not curated, for one, changes no score)
        kept = {
            key for key, matches in refilled.items() if stored.get(key, {}) == _as_stored(matches)
        }
        for key in kept:
            weakest.note(key, refilled.pop(key))
        for chunk in _chunks(set(refilled) | (set(wanted) - kept)):
            StatementSimilarity.objects.filter(statement_id__in=chunk).delete()
        _write(refilled.items(), report, weakest)
    report.seconds = time.perf_counter() - started
    return report


def _moves_of(key, others, scores, holders, weakest, recompute, moves):
    """What a changed statement's new scores (others, scores: every match at the floor or
    above) do to other lists. A list that held it keeps it at its new score while that
    still beats whatever the list left out: the list is not full, or the score is at least
    its weakest. Otherwise the list is recomputed (something left out may now come first).
    A list it now enters takes it in. Moves are noted in `moves` ({list: {key: score or
    None to leave}}), lists to recompute in `recompute`."""
    score_of = dict(zip(others.tolist(), scores.tolist(), strict=True))
    for owner in holders:
        score, limit = score_of.get(owner), weakest.of(owner)
        if limit and (score is None or score < limit - 1e-6):
            recompute.add(owner)
        else:
            moves.setdefault(owner, {})[key] = score
    for owner in weakest.entered(others, scores).tolist():
        if owner not in holders:
            moves.setdefault(owner, {})[key] = score_of[owner]


def _stored(owners):
    """{owner: {other: score}}: these statements' lists as stored (absent when empty)."""
    lists = {}
    for chunk in _chunks(owners):
        rows = StatementSimilarity.objects.filter(statement_id__in=chunk)
        for owner, other, score in rows.values_list("statement_id", "other_id", "score"):
            lists.setdefault(owner, {})[other] = score
    return lists


def _as_stored(matches):
    return {match.item: match.score for match in matches}


def _moved(owners, moves, stored):
    """{owner: [Neighbour, ...]}: these lists as stored, with their moves applied."""
    lists = {}
    for owner in owners:
        matches = dict(stored.get(owner, {}))
        for key, score in moves[owner].items():
            if score is None:
                matches.pop(key, None)
            else:
                matches[key] = score
        best = sorted(matches.items(), key=lambda match: (-match[1], match[0]))
        lists[owner] = [Neighbour(score, other) for other, score in best[:MAX_NEIGHBOURS]]
    return lists


def _write(lists, report, weakest):
    """Store `lists` ((statement id, matches) pairs) in batches, counting them in `report`
    and noting each list's weakest score in `weakest`: by COPY on PostgreSQL, by
    bulk_create elsewhere."""
    store, size = (_copy, COPY_BATCH) if connection.vendor == "postgresql" else (_insert, BATCH)
    rows = []
    for key, matches in lists:
        report.refreshed += 1
        weakest.note(key, matches)
        rows.extend((key, match.item, match.score) for match in matches)
        if len(rows) >= size:
            store(rows)
            report.rows += len(rows)
            rows = []
    store(rows)
    report.rows += len(rows)


def _insert(rows):
    StatementSimilarity.objects.bulk_create(
        StatementSimilarity(statement_id=key, other_id=other, score=score)
        for key, other, score in rows
    )


def _analyze():
    """Give PostgreSQL's planner the new table's statistics now: planned on those of the
    table before (empty, after a first load), the next edit's job took 17 s instead of 1.7
    at 20,000 statements. Inside the transaction, so they commit with the rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(StatementSimilarity._meta.db_table)}")


def _copy(rows):
    """(statement id, other id, score) rows by PostgreSQL's COPY (integers and rounded
    floats only: nothing to escape)."""
    if not rows:
        return
    meta = StatementSimilarity._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("statement", "other", "score")
    )
    text = io.StringIO("".join(f"{key}\t{other}\t{score!r}\n" for key, other, score in rows))
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN", text
        )
