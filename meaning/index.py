"""The stored vectors of the statements as one matrix, and their nearest neighbours.

Exact cosine (the vectors are unit length, so one matrix-vector product), kept as float32:
100,000 statements take 154 MB, in the helper process only (float16 would halve that, but
numpy converts it back on every query, which costs ten times the product itself).
The index reloads itself when the table changed (its count and latest computed_at, one
query, checked at most every `recheck` seconds).
"""

import threading
import time

import numpy as np
from django.db.models import Count, Max

from .encoder import DIMENSION, MODEL_NAME
from .models import DTYPE, StatementEmbedding


class VectorIndex:
    def __init__(self, model_name=MODEL_NAME, recheck=5.0):
        self.model_name = model_name
        self.recheck = recheck
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, DIMENSION), dtype=np.float32)
        self.signature = None
        self.checked = 0.0
        self.lock = threading.Lock()

    def current_signature(self):
        row = StatementEmbedding.objects.for_model(self.model_name).aggregate(
            n=Count("pk"), latest=Max("computed_at")
        )
        return (row["n"], row["latest"])

    def load(self, signature=None):
        rows = (
            StatementEmbedding.objects.for_model(self.model_name)
            .order_by("statement_id")
            .values_list("statement_id", "vector")
        )
        ids, vectors = [], []
        for statement_id, vector in rows.iterator(chunk_size=2_000):
            ids.append(statement_id)
            vectors.append(np.frombuffer(bytes(vector), dtype=DTYPE))
        self.ids = np.array(ids, dtype=np.int64)
        self.matrix = np.stack(vectors) if vectors else np.zeros((0, DIMENSION), dtype=np.float32)
        self.signature = signature or self.current_signature()

    def refresh_every(self, seconds):
        """refresh(), checking the table at most every `seconds` (0: every time)."""
        self.recheck = seconds
        self.refresh()

    def refresh(self, force=False):
        """Reload when the stored vectors changed (checked at most every `recheck` s)."""
        now = time.monotonic()
        if not force and self.signature is not None and now - self.checked < self.recheck:
            return
        with self.lock:
            self.checked = now
            signature = self.current_signature()
            if force or signature != self.signature:
                self.load(signature)

    def scores(self, vector, ids):
        """{statement id: cosine} for those of `ids` that have a vector."""
        if not len(self.ids):
            return {}
        wanted = np.asarray(sorted(set(ids)), dtype=np.int64)
        rows = np.searchsorted(self.ids, wanted)
        rows = np.clip(rows, 0, len(self.ids) - 1)
        found = self.ids[rows] == wanted
        query = np.asarray(vector, dtype=np.float32)
        values = self.matrix[rows[found]] @ query
        return {int(pk): float(value) for pk, value in zip(wanted[found], values, strict=True)}

    def nearest(self, vector, k):
        """[(statement id, cosine)] of the k closest statements, closest first."""
        if not len(self.ids) or k <= 0:
            return []
        scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.lexsort((self.ids[best], -scores[best]))]
        return [(int(self.ids[i]), float(scores[i])) for i in best]
