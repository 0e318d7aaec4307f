"""How practicekb decides that two statements say the same thing.

The method:

1. **Terms.** Lower-cased, lightly stemmed words less stop words and numbers
   (compare.text.terms: "families" and "family" agree, "children" becomes "child").
2. **Weights.** Each term is weighted by TF-IDF: (1 + ln count) x (1 + ln((N + 1) / (df + 1))),
   N statements in the corpus and df of them using the term. Words every agency uses
   ("child", "family") count for little, distinctive ones ("kinship", "urgency") for much.
   Each statement's vector is scaled to length 1.
3. **Score.** The cosine of two vectors (their dot product), from 0 to 1. Verbatim copies
   score 1; Virginia's and Maine's shared principles score 0.5 to 1; unrelated statements
   that merely share "children and families" score below 0.4.

Finding every pair above a floor score: the vectors are the rows of a sparse matrix, and
a block of rows times the transposed matrix gives those rows' cosines with every statement
at once (SciPy's compiled sparse product, fed rows by the block so memory stays bounded).
Pairs below the floor are dropped as each block is read. This costs the same however alike
the texts are: the inverted-index search it replaced (L2 prefix filtering, pure Python)
was fast on varied text but quadratic on text that repeats a few phrases, where most pairs
clear the floor (about an hour at 50,000 generated statements). Statements with identical
term counts (templated or copied text) are grouped into one signature and compared once.
Same-group pairs (statements of one organization) are never reported.

Past clusters.EXACT_UP_TO distinct texts, a full refresh (iter_neighbours of every key)
scores each text against its neighbourhood only: the texts of the groups nearest its own
(compare.clusters), by the same scores. Lists of chosen keys (a partial refresh) are always
scored against every text.

**The blended score** (when the meaning model's vectors exist, docs/CROSSWALK.md): words
alone miss the same idea in other words (Vermont's "All children have the right to be
safe." beside Virginia's "Safety comes first ..."). With vectors, a pair's score is

    max(lexical, min(ceiling, a x lexical + b x meaning' + c x themes))

lexical the cosine above; meaning' the cosine of the two statements' sentence vectors
rescaled so that the model's baseline for unrelated statements of this field counts 0
((cos - m0) / (1 - m0), clipped to 0..1); themes the Jaccard overlap of their curated
themes; ceiling keeps "Nearly the same" for nearly the same words. Four weights (BLEND),
calibrated on tests/compare/crosswalk_reference.json (docs/CROSSWALK.md). A pair
where either statement lacks a vector keeps its lexical score, and without vectors the
corpus scores by words alone, as before.
"""

import hashlib
from array import array
from typing import NamedTuple

import numpy
from scipy import sparse

from . import clusters
from .text import terms

# Scores computed per block of rows: at most about this many (row, statement) cells, so
# a block of a nearly dense product stays near 25 MB whatever the corpus size.
BLOCK_CELLS = 2_000_000
# The blend's dense block (float32): rows x signatures, about 16 MB. Fewer rows a block
# cost more: each block converts every held vector it meets (at 500,000 statements, two
# rows a block took 0.4 s a list, against 0.12 s at this size).
DENSE_CELLS = 4_000_000
# Held vectors are converted to float32 this many at a time for a product.
VECTOR_CHUNK = 4096
# How the meaning vectors are held: a quarter of float32's memory, each component (within
# [-1, 1] in a unit vector) as a multiple of 1/VECTOR_SCALE; the cosines move by about 1e-3,
# which leaves the crosswalk's figures as they were (docs/CROSSWALK.md, "Cost").
VECTOR_DTYPE = numpy.int8
VECTOR_SCALE = 127
# Scoring more rows than this at once builds the transposed matrix (an inverted index),
# used for the whole call and dropped after it; fewer are scored without it.
TRANSPOSE_FROM = 256
# Ranking starts from this many times `limit` best matches, and widens only when skipping
# the statement's own organization and its identical copies leaves fewer than `limit`.
RANK_FACTOR = 4
# Scores are stored and compared to this many decimals.
DECIMALS = 4
# Rounding slack: a pair exactly at the floor must not fall out on the last bit.
EPSILON = 1e-9
ABSENT = -1


class Blend(NamedTuple):
    """The weights of the blended score (module docstring)."""

    lexical: float = 0.8
    meaning: float = 0.5
    themes: float = 0.3
    meaning_baseline: float = 0.2
    # what meaning and themes can lift a pair to: under "Nearly the same" (0.75), which
    # stays a matter of the words (a pair only reaches it by its own lexical score)
    ceiling: float = 0.74


BLEND = Blend()


class Neighbour(NamedTuple):
    score: float
    item: object


def _quantized(vector):
    """A unit vector as held (VECTOR_DTYPE, in steps of 1/VECTOR_SCALE)."""
    scaled = numpy.rint(numpy.asarray(vector, dtype=numpy.float32) * VECTOR_SCALE)
    return numpy.clip(scaled, -VECTOR_SCALE, VECTOR_SCALE).astype(VECTOR_DTYPE)


def _grown(values, size, fill=0):
    """`values` (an array that owns its memory) with room for at least `size` rows, grown in
    place (realloc) by an eighth or more, so appending rows does not copy the whole."""
    if size <= len(values):
        return values
    old = len(values)
    values.resize((max(size, old + old // 8 + 1024), *values.shape[1:]), refcheck=False)
    if fill:
        values[old:] = fill
    return values


class Corpus:
    """Every statement's TF-IDF vector as a row of a sparse matrix, one row per distinct text.

    items: iterable of (key, group, text): key a statement id (an int >= 0), group its
    organization (never matched to itself). With blending=True, items are
    (key, group, text, vector, themes): the meaning model's unit vector (or None) and the
    curated theme ids; pairs score by the blend (module docstring) if any item has a vector,
    by words alone otherwise.

    Memory: what is held between jobs is arrays, not Python objects per statement: the
    TF-IDF rows (float32), each key's signature and group (int32, indexed by key), and with
    the blend each signature's vector once, in one contiguous VECTOR_DTYPE matrix.
    """

    def __init__(self, items, floor, blending=False, blend=BLEND):
        self.floor = floor
        self.blend = blend
        self.blending = blending
        self._group_code = {}  # organization: small int
        self._transposed = None
        # Streamed into flat arrays: a Counter and a frozenset per distinct text, held until
        # the matrix is built, left ~80 MB of freed but fragmented memory at 50,000 texts.
        signature_of_text = {}  # digest of the sorted term counts (and blend inputs): signature
        seen = {}  # term: column in order of first use (made alphabetical below)
        frequency = [0]  # statements using each column's term, by the same column
        indices, counts, sizes = array("i"), array("d"), array("q")
        keys, signatures, groups = array("q"), array("i"), array("i")
        theme_lists = []
        self._vectors = numpy.zeros((0, 0), dtype=VECTOR_DTYPE)
        self._has_vector = numpy.zeros(0, dtype=bool)
        for item in items:
            key, group, text = item[:3]
            bag = terms(text)
            for term in bag:
                column = seen.get(term)
                if column is None:
                    column = seen[term] = len(seen)
                    frequency.append(0)
                frequency[column + 1] += 1
            vector, themes = self._blend_inputs(item)
            digest = hashlib.blake2b(self._identity(bag, vector, themes), digest_size=16).digest()
            index = signature_of_text.get(digest)
            if index is None:
                index = signature_of_text[digest] = len(sizes)
                indices.extend(seen[term] for term in bag)
                counts.extend(bag.values())
                sizes.append(len(bag))
                if blending:
                    self._store_vector(index, vector)
                    theme_lists.append(themes)
            keys.append(key)
            signatures.append(index)
            groups.append(self._code(group))
        del signature_of_text
        signature_count = len(sizes)
        self._size = len(keys)
        keys = numpy.frombuffer(keys, dtype=numpy.int64)
        if len(keys) and keys.min() < 0:
            raise ValueError("Corpus keys must be integers >= 0 (statement ids).")
        top = int(keys.max()) + 1 if len(keys) else 0
        self._signature = numpy.full(top, ABSENT, dtype=numpy.int32)
        self._signature[keys] = numpy.frombuffer(signatures, dtype=numpy.int32)
        self._group = numpy.full(top, ABSENT, dtype=numpy.int32)
        self._group[keys] = numpy.frombuffer(groups, dtype=numpy.int32)
        del keys, signatures, groups
        vocabulary = sorted(seen)
        self._column = {term: number for number, term in enumerate(vocabulary)}
        alphabetical = numpy.array([self._column[term] for term in seen], dtype=numpy.int32)
        df = numpy.zeros(len(vocabulary), dtype=numpy.float64)
        df[alphabetical] = frequency[1:]
        self._idf = 1.0 + numpy.log((self._size + 1) / (df + 1))
        indptr = numpy.zeros(signature_count + 1, dtype=numpy.int64)
        numpy.cumsum(numpy.frombuffer(sizes, dtype=numpy.int64), out=indptr[1:])
        self.matrix = _normalised(
            alphabetical[numpy.frombuffer(indices, dtype=numpy.int32)],
            numpy.frombuffer(counts, dtype=numpy.float64),
            indptr,
            self._idf,
            len(vocabulary),
        )
        del indices, counts, sizes
        self.loaded = self._size  # the N of the IDF weights
        self.updated = 0  # statements changed by update() since
        self._theme_column = {}
        if blending and not self._has_vector[:signature_count].any():
            self.blending = False  # no vectors at all: words alone, nothing held for them
        if self.blending:
            # exactly one row per signature: the room left by growing goes back (realloc)
            self._vectors.resize((signature_count, self._vectors.shape[1]), refcheck=False)
            self._has_vector.resize(signature_count, refcheck=False)
            self._themes = self._theme_rows(theme_lists)
        else:
            self._vectors = numpy.zeros((0, 0), dtype=VECTOR_DTYPE)
            self._has_vector = numpy.zeros(0, dtype=bool)
        self._reindex()

    def _blend_inputs(self, item):
        if not self.blending:
            return None, ()
        _, _, _, vector, themes = item
        return vector, tuple(sorted(themes or ()))

    def _identity(self, bag, vector, themes):
        """What makes two statements one signature: their term counts, and when blending
        their vector (as held) and themes too."""
        identity = repr(sorted(bag.items()))
        if self.blending:
            identity += repr(themes)
            if vector is not None:
                identity += _quantized(vector).tobytes().hex()
        return identity.encode()

    def _code(self, group):
        return self._group_code.setdefault(group, len(self._group_code))

    def _store_vector(self, row, vector):
        if vector is None:
            return
        vector = numpy.asarray(vector)
        if not self._vectors.shape[1]:
            self._vectors = numpy.zeros((0, len(vector)), dtype=VECTOR_DTYPE)
        self._vectors = _grown(self._vectors, row + 1)
        self._has_vector = _grown(self._has_vector, row + 1)
        self._vectors[row] = _quantized(vector)
        self._has_vector[row] = True

    def _theme_rows(self, theme_lists):
        indices, indptr = array("i"), array("q", [0])
        for themes in theme_lists:
            for theme in themes:
                indices.append(self._theme_column.setdefault(theme, len(self._theme_column)))
            indptr.append(len(indices))
        indices = numpy.frombuffer(indices, dtype=numpy.int32)
        return sparse.csr_matrix(
            (numpy.ones(len(indices), dtype=numpy.float32), indices, indptr),
            shape=(len(theme_lists), max(1, len(self._theme_column))),
        )

    def _reindex(self):
        """The per-signature lookups, recomputed from the key arrays (NumPy, no Python loop
        over the corpus)."""
        signatures = self.matrix.shape[0]
        keys = numpy.flatnonzero(self._signature != ABSENT)
        of_key = self._signature[keys]
        order = numpy.argsort(of_key, kind="stable")  # keys stay ascending within one
        self._member_keys = keys[order]
        members = numpy.bincount(of_key, minlength=signatures)
        self._member_start = numpy.zeros(signatures + 1, dtype=numpy.int64)
        numpy.cumsum(members, out=self._member_start[1:])
        self._alive = members > 0
        self._has_terms = numpy.diff(self.matrix.indptr) > 0
        # ties are broken by the other signature's first key: its rank among first keys
        # (a signature left without members by update() ranks last)
        first = numpy.full(signatures, numpy.iinfo(numpy.int64).max, dtype=numpy.int64)
        first[self._alive] = self._member_keys[self._member_start[:-1][self._alive]]
        self._rank = numpy.empty(signatures, dtype=numpy.int64)
        self._rank[numpy.argsort(first, kind="stable")] = numpy.arange(signatures)
        if self.blending:
            self._themes_transposed = self._themes.T.tocsr()
            self._theme_counts = numpy.asarray(self._themes.sum(axis=1)).ravel()
            self._without_vector = numpy.flatnonzero(~self._has_vector[:signatures])

    def update(self, changed, deleted=()):
        """Take in edits without reloading the corpus: `changed` holds one item (as in the
        constructor) per new or edited statement, `deleted` the keys of removed ones.

        Each changed statement gets a row of its own, weighted with the IDF statistics of
        the load (a term no statement had is weighted as if one has it); the rows of the
        others stay as they are. The weights thus drift from a full recomputation's by as
        much as the edits shift the document frequencies: little while the edits are a
        small part of the corpus (compare.services reloads past a bound). The work is the
        changed rows plus array operations over the corpus (appending a sparse row, the
        lookups of _reindex), never a pass of Python over every statement.
        """
        changed = list(changed)
        touched = {key for key, *_ in changed}
        for key in [*deleted, *touched]:
            if key in self:
                self._signature[key] = ABSENT
                self._group[key] = ABSENT
                self._size -= 1
                touched.add(key)
        self.updated += len(touched)
        if not changed:
            self._reindex()
            return
        rows, theme_lists = [], []
        first = self.matrix.shape[0]
        top = max(key for key, *_ in changed) + 1
        if top > len(self._signature):
            self._signature = _grown(self._signature, top, fill=ABSENT)
            self._group = _grown(self._group, top, fill=ABSENT)
        new_terms = []
        for number, item in enumerate(changed):
            key, group, text = item[:3]
            bag = terms(text)
            for term in bag:
                if term not in self._column:
                    self._column[term] = len(self._column)
                    new_terms.append(term)
            self._signature[key] = first + number
            self._group[key] = self._code(group)
            self._size += 1
            rows.append(bag)
            if self.blending:
                vector, themes = self._blend_inputs(item)
                self._has_vector = _grown(self._has_vector, first + number + 1)
                self._store_vector(first + number, vector)
                theme_lists.append(themes)
        if new_terms:
            unseen = 1.0 + numpy.log((self.loaded + 1) / 2)
            self._idf = numpy.concatenate([self._idf, numpy.full(len(new_terms), unseen)])
        width = len(self._column)
        new = _weighted_rows(rows, self._column, self._idf, width)
        old = self.matrix
        old.resize((old.shape[0], width))
        self.matrix = sparse.vstack([old, new], format="csr", dtype=numpy.float32)
        if self.blending:
            self._vectors = _grown(self._vectors, self.matrix.shape[0])
            self._has_vector = _grown(self._has_vector, self.matrix.shape[0])
            new_themes = self._theme_rows(theme_lists)
            old_themes = self._themes
            old_themes.resize((old_themes.shape[0], new_themes.shape[1]))
            self._themes = sparse.vstack([old_themes, new_themes], format="csr")
        self._reindex()

    def __len__(self):
        return self._size

    def __contains__(self, key):
        return 0 <= key < len(self._signature) and self._signature[key] != ABSENT

    def held_bytes(self):
        """What the corpus holds in arrays (for tests and reports)."""
        arrays = [self._signature, self._group, self._idf, self._vectors, self._has_vector]
        arrays += [self._member_keys, self._member_start, self._alive, self._rank]
        matrices = [self.matrix]
        if self.blending:
            matrices += [self._themes, self._themes_transposed]
        total = sum(values.nbytes for values in arrays)
        for matrix in matrices:
            total += matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
        return total

    def _lexical(self, rows, columns=None):
        """The cosines of these signatures' rows with every signature, or with the signatures
        `columns` (sparse, R x S or R x C)."""
        if columns is not None:
            return (self.matrix[rows] @ self.matrix[columns].T).tocsr()
        if self._transposed is not None:
            return (self.matrix[rows] @ self._transposed).tocsr()
        # without the inverted index: one pass over the matrix for these few rows
        return (self.matrix @ self.matrix[rows].T).T.tocsr()

    def _every_match(self):
        """_matches for every signature: against every other while they are few
        (clusters.EXACT_UP_TO), else against those of its neighbourhood (compare.clusters)."""
        alive = numpy.flatnonzero(self._alive)
        if len(alive) <= clusters.EXACT_UP_TO:
            yield from self._matches(alive.tolist())
            return
        labels, centres = clusters.groups(self._sketcher(alive), len(alive))
        for rows, columns in clusters.neighbourhoods(labels, centres):
            yield from self._matches(alive[rows], columns=alive[columns])

    def _sketcher(self, signatures):
        """sketch(positions): the clusters' sketches of these positions of `signatures`,
        float32 throughout (a float64 step would double the sample's memory)."""
        folding = clusters.hashing(self.matrix.shape[1])
        words_weight = numpy.float32(numpy.sqrt(self.blend.lexical if self.blending else 1.0))
        width = clusters.HASHED
        if self.blending:
            width += self._vectors.shape[1]
            with_vector = signatures[self._has_vector[signatures]]
            mean = numpy.zeros(self._vectors.shape[1], dtype=numpy.float64)
            for start in range(0, len(with_vector), VECTOR_CHUNK):
                chunk = self._vectors[with_vector[start : start + VECTOR_CHUNK]]
                mean += chunk.sum(axis=0, dtype=numpy.float64)
            mean = (mean / max(1, len(with_vector))).astype(numpy.float32)
            # the meaning cosine's weight in the blend's linear part, per held step
            meaning_weight = numpy.float32(
                numpy.sqrt(self.blend.meaning / (1.0 - self.blend.meaning_baseline)) / VECTOR_SCALE
            )

        def sketch(positions):
            rows = signatures[positions]
            sketches = numpy.empty((len(rows), width), dtype=numpy.float32)
            words = sketches[:, : clusters.HASHED]
            words[:] = (self.matrix[rows] @ folding).toarray()
            words *= words_weight
            if self.blending:
                meaning = sketches[:, clusters.HASHED :]
                meaning[:] = self._vectors[rows]
                meaning -= mean
                meaning *= meaning_weight
                meaning[~self._has_vector[rows]] = 0.0
            return clusters.unit_rows(sketches)

        return sketch

    def _matches(self, signatures, columns=None):
        """(signature, others, scores) per signature: every other signature (of `columns`,
        when given) scoring at least the floor, unordered (NumPy arrays), computed a block
        of rows at a time."""
        count = self.matrix.shape[0] if columns is None else len(columns)
        cells = DENSE_CELLS if self.blending else BLOCK_CELLS
        rows_per_block = max(1, cells // max(1, count))
        built = columns is None and self._transposed is None and len(signatures) > TRANSPOSE_FROM
        if built:
            self._transposed = self.matrix.T.tocsr()
        try:
            for start in range(0, len(signatures), rows_per_block):
                rows = numpy.asarray(signatures[start : start + rows_per_block], dtype=numpy.int64)
                row_of_cell, found, data = self._cells(rows, columns)
                kept = (
                    (data >= self.floor - EPSILON)
                    & (found != rows[row_of_cell])
                    & self._alive[found]
                )
                ends = numpy.cumsum(numpy.bincount(row_of_cell[kept], minlength=len(rows)))
                others = found[kept]
                # rounded as stored and shown (in float64, so 0.92 is stored as 0.92), so
                # equal scores rank by key, not by the last bit
                scores = numpy.minimum(data[kept].astype(numpy.float64), 1.0)
                scores = numpy.round(scores, DECIMALS)
                del row_of_cell, found, data, kept
                for position, signature in enumerate(rows.tolist()):
                    begin = ends[position - 1] if position else 0
                    yield signature, others[begin : ends[position]], scores[begin : ends[position]]
        finally:
            if built:
                self._transposed = None

    def _cells(self, rows, columns=None):
        """(row_of_cell, others, scores): the cells of these rows against every signature
        (or `columns`) that may clear the floor, in row order."""
        lexical = self._lexical(rows, columns)
        if self.blending:
            mixed = self._blended(rows, lexical, columns)
            row_of_cell, cell = numpy.nonzero(mixed >= self.floor - EPSILON)
            data = mixed[row_of_cell, cell]
        else:
            row_of_cell = numpy.repeat(numpy.arange(len(rows)), numpy.diff(lexical.indptr))
            cell, data = lexical.indices, lexical.data
        return row_of_cell, cell if columns is None else columns[cell], data

    def _cosines(self, rows, columns=None):
        """The meaning cosines of these signatures with every signature (or with `columns`),
        float32 (R x S), the held vectors converted a chunk at a time (never a float32 copy
        of them all)."""
        count = self.matrix.shape[0] if columns is None else len(columns)
        left = self._vectors[rows].astype(numpy.float32)
        cosines = numpy.empty((len(rows), count), dtype=numpy.float32)
        for start in range(0, count, VECTOR_CHUNK):
            end = min(count, start + VECTOR_CHUNK)
            chunk = self._vectors[slice(start, end) if columns is None else columns[start:end]]
            numpy.matmul(left, chunk.astype(numpy.float32).T, out=cosines[:, start:end])
        cosines *= 1 / VECTOR_SCALE**2
        return cosines

    def _blended(self, rows, lexical, columns=None):
        """The blended scores of these rows against every signature (or `columns`): a dense
        float32 block (R x S)."""
        blend = self.blend
        mixed = self._cosines(rows, columns)
        mixed -= blend.meaning_baseline
        mixed *= blend.meaning / (1.0 - blend.meaning_baseline)
        numpy.clip(mixed, 0.0, blend.meaning, out=mixed)
        # dense blocks: on text that repeats a few phrases nearly every pair shares a word
        # and a theme, and indexing those cells one by one costs more than whole blocks
        words = lexical.toarray()
        mixed += blend.lexical * words
        if columns is None:
            shared = (self._themes[rows] @ self._themes_transposed).toarray()
            counts = self._theme_counts
        else:
            shared = (self._themes[rows] @ self._themes[columns].T).toarray()
            counts = self._theme_counts[columns]
        union = self._theme_counts[rows][:, None] + counts[None, :] - shared
        numpy.divide(shared, union, out=shared, where=union > 0)
        mixed += blend.themes * shared
        del shared, union
        numpy.minimum(mixed, blend.ceiling, out=mixed)
        # a pair where either statement has no vector keeps its words' score
        mixed[~self._has_vector[rows]] = 0.0
        if columns is None:
            mixed[:, self._without_vector] = 0.0
        else:
            mixed[:, ~self._has_vector[columns]] = 0.0
        numpy.maximum(mixed, words, out=mixed)
        return mixed

    def _best_first(self, signature, others, scores, count):
        """The best `count` others (and any tied with the last) as (scores, signatures)
        arrays, best first; the signature's own identical text first, at 1."""
        if count < len(others):
            threshold = numpy.partition(scores, len(scores) - count)[len(scores) - count]
            best = scores >= threshold
            others, scores = others[best], scores[best]
        order = numpy.lexsort((self._rank[others], -scores))
        others, scores = others[order], scores[order]
        if self._has_terms[signature]:
            others = numpy.concatenate([[signature], others])
            scores = numpy.concatenate([[1.0], scores])
        return scores, others

    def _expanded(self, scores, signatures):
        """(keys, scores): every member of these signatures, with its signature's score."""
        starts = self._member_start[signatures]
        sizes = self._member_start[signatures + 1] - starts
        offsets = numpy.repeat(starts - numpy.cumsum(sizes) + sizes, sizes)
        keys = self._member_keys[offsets + numpy.arange(int(sizes.sum()))]
        return keys, numpy.repeat(scores, sizes)

    def _others_of(self, key, keys, scores):
        """Those of (keys, scores) that `key` may be matched with: not itself, not its group."""
        kept = (keys != key) & (self._group[keys] != self._group[key])
        return keys[kept], scores[kept]

    def _chosen(self, key, ranked, limit):
        """Up to `limit` Neighbours of `key` from ranked signatures, skipping its own group;
        equal scores in the order of the other key. Array operations only: a Python step
        per member of each ranked signature cost more than the scoring itself."""
        keys, scores = self._others_of(key, *self._expanded(*ranked))
        order = numpy.lexsort((keys, -scores))[:limit]
        return list(map(Neighbour, scores[order].tolist(), keys[order].tolist()))

    def iter_neighbours(self, keys=None, limit=25):
        """(key, [Neighbour, ...]) per key: its best `limit` matches in other groups, best
        first (scores to DECIMALS places), ties broken by the other key ascending.
        keys=None: every key. limit=None: every match at or above the floor."""
        if limit is not None and limit < 1:
            raise ValueError(f"limit must be None or at least 1, not {limit!r}")
        if keys is None:
            matches = self._every_match()

            def keys_of(signature):
                start, end = self._member_start[signature : signature + 2].tolist()
                return self._member_keys[start:end].tolist()

        else:
            keys_of_signature = {}
            for key in keys:
                if key in self:
                    keys_of_signature.setdefault(int(self._signature[key]), []).append(key)
            matches = self._matches(list(keys_of_signature))
            keys_of = keys_of_signature.__getitem__
        for signature, others, scores in matches:
            count = len(others) if limit is None else min(len(others), RANK_FACTOR * limit)
            wanted = keys_of(signature)
            while True:
                ranked = self._best_first(signature, others, scores, count)
                lists = [(key, self._chosen(key, ranked, limit)) for key in wanted]
                if count >= len(others) or all(len(chosen) == limit for _, chosen in lists):
                    break
                count *= RANK_FACTOR  # too many skipped: rank more of the others
            yield from lists

    def iter_matches(self, keys, limit=25):
        """(key, [Neighbour, ...], others, scores) per key: its best `limit` matches as
        iter_neighbours gives them, and every match at or above the floor as two NumPy
        arrays (other keys, scores; unordered), without a Python object per match."""
        keys_of_signature = {}
        for key in keys:
            if key in self:
                keys_of_signature.setdefault(int(self._signature[key]), []).append(key)
        for signature, others, scores in self._matches(list(keys_of_signature)):
            count = min(len(others), RANK_FACTOR * limit)
            while True:
                ranked = self._best_first(signature, others, scores, count)
                lists = [
                    (key, self._chosen(key, ranked, limit)) for key in keys_of_signature[signature]
                ]
                if count >= len(others) or all(len(chosen) == limit for _, chosen in lists):
                    break
                count *= RANK_FACTOR
            every = self._expanded(*self._best_first(signature, others, scores, len(others)))
            for key, chosen in lists:
                yield key, chosen, *self._others_of(key, *every)

    def neighbours(self, keys=None, limit=25):
        """{key: [Neighbour, ...]}: iter_neighbours as a dictionary."""
        return dict(self.iter_neighbours(keys, limit))

    def score(self, first, second):
        """Two keys' score, lexical or blended (for tests, explanations and evaluation)."""
        a, b = int(self._signature[first]), int(self._signature[second])
        lexical = min(1.0, float(self.matrix[a].multiply(self.matrix[b]).sum()))
        if not self.blending:
            return lexical
        row = self._blended(numpy.array([a]), self._lexical(numpy.array([a])))
        return min(1.0, float(row[0, b]))


def _weighted_rows(counts, column, idf, width):
    """One unit-length row of TF-IDF weights per term count, `width` columns."""
    cells = sum(len(bag) for bag in counts)
    indices = numpy.fromiter(
        (column[term] for bag in counts for term in bag), dtype=numpy.int32, count=cells
    )
    frequency = numpy.fromiter(
        (count for bag in counts for count in bag.values()), dtype=numpy.float64, count=cells
    )
    indptr = numpy.zeros(len(counts) + 1, dtype=numpy.int64)
    numpy.cumsum([len(bag) for bag in counts], out=indptr[1:])
    return _normalised(indices, frequency, indptr, idf, width)


def _normalised(indices, frequency, indptr, idf, width):
    """A CSR matrix of TF-IDF weights, (1 + ln count) x idf, each row scaled to length 1,
    held as float32 (half the memory; scores are stored to DECIMALS places)."""
    rows = len(indptr) - 1
    data = (1.0 + numpy.log(frequency)) * idf[indices]
    row_of_cell = numpy.repeat(numpy.arange(rows), numpy.diff(indptr))
    lengths = numpy.sqrt(numpy.bincount(row_of_cell, weights=data * data, minlength=rows))
    data /= lengths[row_of_cell]  # a row without terms has no cells to divide
    return sparse.csr_matrix((data.astype(numpy.float32), indices, indptr), shape=(rows, width))
