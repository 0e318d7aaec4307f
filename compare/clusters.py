"""Which pairs a full refresh scores once every pair is too many (compare.similarity).

Scoring every pair costs the square of the corpus: at 500,000 statements, hours. Above
EXACT_UP_TO distinct texts the full refresh scores each text against the texts near it only:

1. Each text gets a **sketch**: a short unit vector whose dot products follow the blend's
   linear part. Its TF-IDF weights are folded into HASHED columns (each term to one column
   with a random sign, so two sketches' product is their cosine plus noise of about
   1 / sqrt(HASHED)), and beside them the meaning vector less the corpus's mean (the
   direction every statement of the field shares, which tells nothing apart).
2. The sketches are grouped by spherical k-means, about GROUP_SIZE texts a group; a group
   that comes out larger than MAX_GROUP is split again.
3. Each group's texts are scored exactly, by the same blend as every pair, against the texts
   of the PROBES groups whose centres are nearest its own (its own among them).

A pair is scored only if its groups are near: the lists are approximate. Their recall
against scoring every pair is measured by `bench/scripts/refresh_recall.py`
(docs/CROSSWALK.md, "Full refresh"). Everything is seeded: the same corpus gives the same
groups and the same lists.
"""

import math

import numpy
from scipy import sparse

# Below this many distinct texts every pair is scored (exact, and fast enough).
EXACT_UP_TO = 20_000
GROUP_SIZE = 500
MAX_GROUP = 4 * GROUP_SIZE
PROBES = 10
HASHED = 256
# k-means learns its centres from this many sketches, in this many rounds.
SAMPLE = 50_000
ROUNDS = 10
SEED = 20_261_130
CHUNK = 8192


def hashing(width, seed=SEED):
    """A sparse (width x HASHED) matrix sending each term's column to one of HASHED columns
    with a random sign."""
    rng = numpy.random.default_rng(seed)
    columns = rng.integers(0, HASHED, width)
    signs = rng.choice(numpy.array([-1.0, 1.0], dtype=numpy.float32), width)
    return sparse.csr_matrix((signs, (numpy.arange(width), columns)), shape=(width, HASHED))


def unit_rows(values):
    """`values` with each non-zero row scaled to length 1 (in place)."""
    lengths = numpy.linalg.norm(values, axis=1, keepdims=True)
    numpy.divide(values, lengths, out=values, where=lengths > 0)
    return values


def nearest(sketches, centres):
    """The index of each sketch's nearest centre (largest dot product)."""
    labels = numpy.empty(len(sketches), dtype=numpy.int32)
    for start in range(0, len(sketches), CHUNK):
        block = sketches[start : start + CHUNK] @ centres.T
        labels[start : start + CHUNK] = block.argmax(axis=1)
    return labels


def centres_of(sketches, labels, count):
    """The unit mean of each label's sketches (zero for a label with none)."""
    members = sparse.csr_matrix(
        (numpy.ones(len(labels), dtype=numpy.float32), (labels, numpy.arange(len(labels)))),
        shape=(count, len(labels)),
    )
    return unit_rows(numpy.asarray(members @ sketches, dtype=numpy.float32))


def kmeans(sketches, count, rng):
    """`count` unit centres of these unit sketches (spherical k-means, ROUNDS rounds)."""
    count = max(1, min(count, len(sketches)))
    centres = sketches[rng.choice(len(sketches), count, replace=False)].copy()
    for _ in range(ROUNDS):
        labels = nearest(sketches, centres)
        moved = centres_of(sketches, labels, count)
        empty = ~moved.any(axis=1)
        moved[empty] = centres[empty]  # a centre nobody chose stays where it was
        centres = moved
    return centres


def groups(sketch, count, rng=None):
    """Group `count` texts by their sketches: (labels, centres), labels one int32 per text.

    sketch(rows) gives the unit sketches of those rows (float32); it is called a chunk at a
    time, so no more than a sample's sketches are held at once.
    """
    rng = rng or numpy.random.default_rng(SEED)
    sample = numpy.sort(rng.choice(count, min(count, SAMPLE), replace=False))
    centres = kmeans(sketch(sample), math.ceil(count / GROUP_SIZE), rng)
    labels = numpy.concatenate(
        [
            nearest(sketch(numpy.arange(start, min(count, start + CHUNK))), centres)
            for start in range(0, count, CHUNK)
        ]
    )
    sizes = numpy.bincount(labels, minlength=len(centres))
    for label in numpy.flatnonzero(sizes > MAX_GROUP).tolist():
        labels, centres = _split(labels, centres, label, sketch, rng)
    return labels, centres


def _split(labels, centres, label, sketch, rng):
    """Split an oversized group by k-means on its own sketches, and whatever still exceeds
    MAX_GROUP (texts whose sketches are all alike) in consecutive parts."""
    rows = numpy.flatnonzero(labels == label)
    sketches = sketch(rows)
    parts = math.ceil(len(rows) / GROUP_SIZE)
    local = nearest(sketches, kmeans(sketches, parts, rng))
    pieces = []
    for part in range(parts):
        members = numpy.flatnonzero(local == part)
        pieces += [members[i : i + GROUP_SIZE] for i in range(0, len(members), GROUP_SIZE)]
    piece_of = numpy.empty(len(rows), dtype=numpy.int32)
    for number, piece in enumerate(piece for piece in pieces if len(piece)):
        piece_of[piece] = number
    made = centres_of(sketches, piece_of, piece_of.max() + 1)
    # the first piece keeps the group's number, the others are numbered after every group
    labels[rows] = numpy.where(piece_of == 0, label, len(centres) + piece_of - 1)
    centres[label] = made[0]
    return labels, numpy.vstack([centres, made[1:]])


def neighbourhoods(labels, centres):
    """(rows, columns) per group: its texts, and the texts of the PROBES groups whose
    centres are nearest its own (its own first among them), both ascending."""
    order = numpy.argsort(labels, kind="stable")
    starts = numpy.zeros(len(centres) + 1, dtype=numpy.int64)
    numpy.cumsum(numpy.bincount(labels, minlength=len(centres)), out=starts[1:])
    probes = min(PROBES, len(centres))
    for group in range(len(centres)):
        rows = order[starts[group] : starts[group + 1]]
        if not len(rows):
            continue
        closeness = centres @ centres[group]
        closeness[group] = numpy.inf  # its own group first, even if its centre is zero
        near = numpy.argpartition(-closeness, probes - 1)[:probes]
        columns = numpy.sort(numpy.concatenate([order[starts[g] : starts[g + 1]] for g in near]))
        yield numpy.sort(rows), columns
