"""Store a synthetic unit vector for every statement (for benchmarks without the model).

Running the real model over 50,000 statements takes most of an hour of CPU on 2 cores; the
similarity worker's memory and time depend on the vectors' number, not their values (the
rows written depend on them through the blend). Each distinct text gets the sum of a fixed
random direction per stemmed term, mixed with one common direction so that unrelated
statements have cosines near 0.3, as MiniLM gives this field; identical texts get identical
vectors, as with the model. Replaces every stored vector of the model: run it on a
benchmark database only, from the project folder:

    DATABASE_URL=postgres://... .venv/bin/python bench/scripts/synthetic_vectors.py
"""

import hashlib
import os
import sys
from pathlib import Path
from types import SimpleNamespace

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.dev")

import django  # noqa: E402

django.setup()

import numpy  # noqa: E402

from compare.text import terms  # noqa: E402
from meaning.encoder import DIMENSION, MODEL_NAME  # noqa: E402
from meaning.models import DTYPE, StatementEmbedding, statement_text, text_hash  # noqa: E402
from principles.models import Statement  # noqa: E402

COMMON_SHARE = 0.3  # the cosine of two statements with no term in common


def direction(seed):
    vector = numpy.random.default_rng(seed).standard_normal(DIMENSION)
    return vector / numpy.linalg.norm(vector)


def main():
    common = direction(7)
    of_term = {}

    def term_direction(term):
        if term not in of_term:
            digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
            of_term[term] = direction(int.from_bytes(digest, "little"))
        return of_term[term]

    StatementEmbedding.objects.for_model(MODEL_NAME).delete()
    rows, known = [], {}
    statements = Statement.objects.order_by("pk").values_list("pk", "title", "text")
    for pk, title, text in statements.iterator(chunk_size=2000):
        full = statement_text(SimpleNamespace(title=title, text=text))
        digest = text_hash(full)
        if digest not in known:
            bag = terms(full)
            own = (
                sum((1 + numpy.log(n)) * term_direction(t) for t, n in bag.items())
                if bag
                else common
            )
            own = own / numpy.linalg.norm(own)
            vector = numpy.sqrt(COMMON_SHARE) * common + numpy.sqrt(1 - COMMON_SHARE) * own
            known[digest] = (vector / numpy.linalg.norm(vector)).astype(DTYPE).tobytes()
        rows.append(
            StatementEmbedding(
                statement_id=pk, model_name=MODEL_NAME, text_hash=digest, vector=known[digest]
            )
        )
        if len(rows) >= 2000:
            StatementEmbedding.objects.bulk_create(rows)
            rows = []
    StatementEmbedding.objects.bulk_create(rows)
    print(f"{StatementEmbedding.objects.count():,} vectors, {len(known):,} distinct texts.")


if __name__ == "__main__":
    main()
