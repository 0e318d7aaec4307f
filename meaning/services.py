"""Writes: the vectors of changed statements."""

from dataclasses import dataclass, field

from django.db import transaction

from principles.models import Statement

from .encoder import get_encoder
from .models import DTYPE, StatementEmbedding, statement_text, text_hash
from .signals import vectors_changed

BATCH = 500


@dataclass
class EmbeddingReport:
    computed: int = 0
    unchanged: int = 0
    statement_ids: list = field(default_factory=list)  # those whose vector was (re)computed


def stale_statements(statement_ids, model_name):
    """(statement, text, hash) of those whose stored vector is missing or of another text."""
    statements = Statement.objects.only("pk", "title", "text").order_by("pk")
    if statement_ids is not None:
        statements = statements.filter(pk__in=statement_ids)
    stored = dict(
        StatementEmbedding.objects.for_model(model_name)
        .filter(statement__in=statements)
        .values_list("statement_id", "text_hash")
    )
    stale, unchanged = [], 0
    for statement in statements.iterator(chunk_size=BATCH):
        text = statement_text(statement)
        digest = text_hash(text)
        if stored.get(statement.pk) == digest:
            unchanged += 1
        else:
            stale.append((statement.pk, text, digest))
    return stale, unchanged


def embed_statements(statement_ids=None, *, encoder=None, dry_run=False):
    """Compute and store the vectors of `statement_ids` (None: every statement) whose text
    changed since their vector was computed. Each batch is written in one transaction.
    Raises encoder.ModelUnavailable when the model cannot run."""
    encoder = encoder or get_encoder()
    stale, unchanged = stale_statements(statement_ids, encoder.name)
    report = EmbeddingReport(
        computed=len(stale), unchanged=unchanged, statement_ids=[pk for pk, _, _ in stale]
    )
    if dry_run:
        return report
    known = {}  # one run of the model per distinct text (versions repeat statements)
    for start in range(0, len(stale), BATCH):
        batch = stale[start : start + BATCH]
        texts = {digest: text for _, text, digest in batch if digest not in known}
        vectors = encoder.embed(list(texts.values()))
        known.update(
            zip(texts, (vector.astype(DTYPE).tobytes() for vector in vectors), strict=True)
        )
        rows = [
            StatementEmbedding(
                statement_id=pk, model_name=encoder.name, text_hash=digest, vector=known[digest]
            )
            for pk, _, digest in batch
        ]
        with transaction.atomic():
            # a statement deleted meanwhile would break the foreign key: skip it
            alive = set(
                Statement.objects.filter(pk__in=[row.statement_id for row in rows]).values_list(
                    "pk", flat=True
                )
            )
            StatementEmbedding.objects.bulk_create(
                [row for row in rows if row.statement_id in alive],
                update_conflicts=True,
                unique_fields=["statement", "model_name"],
                update_fields=["text_hash", "vector", "computed_at"],
            )
    return report


def embed_and_announce(statement_ids):
    """embed_statements, then tell the features that read vectors which ones changed;
    returns how many were computed. Run by the task worker ("process" mode) or the helper
    ("socket" mode). Raises encoder.ModelUnavailable when the model cannot run."""
    report = embed_statements(statement_ids)
    if report.statement_ids:
        vectors_changed.send(sender=embed_and_announce, statement_ids=report.statement_ids)
    return report.computed
