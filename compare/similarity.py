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
from collections import defaultdict
from typing import NamedTuple

import numpy
from scipy import sparse

from .text import terms

# Scores computed per block of rows: at most about this many (row, statement) cells, so
# a block of a nearly dense product stays near 25 MB whatever the corpus size.
BLOCK_CELLS = 2_000_000
# Ranking starts from this many times `limit` best matches, and widens only when skipping
# the statement's own organization and its identical copies leaves fewer than `limit`.
RANK_FACTOR = 4
# Scores are stored and compared to this many decimals.
DECIMALS = 4
# Rounding slack: a pair exactly at the floor must not fall out on the last bit.
EPSILON = 1e-9


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


class Corpus:
    """Every statement's TF-IDF vector as a row of a sparse matrix, one row per distinct text.

    items: iterable of (key, group, text); group is the organization, never matched to itself.
    vectors: {key: unit float32 vector} (the meaning model's) and themes: {key: theme ids}:
    given vectors, pairs score by the blend (module docstring); without, by words alone.
    """

    def __init__(self, items, floor, vectors=None, themes=None, blend=BLEND):
        self.floor = floor
        self.blend = blend
        self.blending = bool(vectors)
        self._vector_of = vectors or {}
        self._themes_of = themes or {}
        self._dimension = len(next(iter(vectors.values()))) if vectors else 0
        self._theme_column = {}
        self.group_of = {}
        self.signature_of = {}
        self.members = []  # per signature: keys in ascending order
        # Streamed into flat arrays: a Counter and a frozenset per distinct text, held until
        # the matrix is built, left ~80 MB of freed but fragmented memory at 50,000 texts.
        signature_of_text = {}  # digest of the sorted term counts: signature
        seen = {}  # term: column in order of first use (made alphabetical below)
        frequency = [0]  # statements using each column's term, by the same column
        indices, counts, sizes = array("i"), array("d"), array("q")
        for key, group, text in items:
            self.group_of[key] = group
            bag = terms(text)
            for term in bag:
                column = seen.get(term)
                if column is None:
                    column = seen[term] = len(seen)
                    frequency.append(0)
                frequency[column + 1] += 1
            digest = hashlib.blake2b(self._identity(key, bag), digest_size=16).digest()
            index = signature_of_text.get(digest)
            if index is None:
                index = signature_of_text[digest] = len(self.members)
                indices.extend(seen[term] for term in bag)
                counts.extend(bag.values())
                sizes.append(len(bag))
                self.members.append([])
            self.signature_of[key] = index
            self.members[index].append(key)
        del signature_of_text
        for keys in self.members:
            keys.sort()
        vocabulary = sorted(seen)
        self._column = {term: number for number, term in enumerate(vocabulary)}
        alphabetical = numpy.array([self._column[term] for term in seen], dtype=numpy.int32)
        df = numpy.zeros(len(vocabulary), dtype=numpy.float64)
        df[alphabetical] = frequency[1:]
        self._idf = 1.0 + numpy.log((len(self.group_of) + 1) / (df + 1))
        indptr = numpy.zeros(len(sizes) + 1, dtype=numpy.int64)
        numpy.cumsum(numpy.frombuffer(sizes, dtype=numpy.int64), out=indptr[1:])
        self.matrix = _normalised(
            alphabetical[numpy.frombuffer(indices, dtype=numpy.int32)],
            numpy.frombuffer(counts, dtype=numpy.float64),
            indptr,
            self._idf,
            len(vocabulary),
        )
        self.loaded = len(self.group_of)  # the N of the IDF weights
        self.updated = 0  # statements changed by update() since
        self._alive = numpy.ones(len(self.members), dtype=bool)
        if self.blending:
            firsts = [keys[0] for keys in self.members]
            self._vectors, self._has_vector = self._vector_rows(firsts)
            self._themes = self._theme_rows(firsts)
        self._reindex()

    def _identity(self, key, bag):
        """What makes two statements one signature: their term counts, and when blending
        their vector and themes too."""
        identity = repr(sorted(bag.items()))
        if self.blending:
            vector = self._vector_of.get(key)
            identity += repr(sorted(self._themes_of.get(key, ())))
            identity += "" if vector is None else numpy.asarray(vector).tobytes().hex()
        return identity.encode()

    def _vector_rows(self, keys):
        vectors = numpy.zeros((len(keys), self._dimension), dtype=numpy.float32)
        present = numpy.zeros(len(keys), dtype=bool)
        for row, key in enumerate(keys):
            vector = self._vector_of.get(key)
            if vector is not None:
                vectors[row], present[row] = vector, True
        return vectors, present

    def _theme_rows(self, keys):
        indices, indptr = [], [0]
        for key in keys:
            for theme in sorted(self._themes_of.get(key, ())):
                indices.append(self._theme_column.setdefault(theme, len(self._theme_column)))
            indptr.append(len(indices))
        data = numpy.ones(len(indices), dtype=numpy.float64)
        return sparse.csr_matrix(
            (data, indices, indptr), shape=(len(keys), max(1, len(self._theme_column)))
        )

    def _reindex(self):
        self._transposed = self.matrix.T.tocsr()
        self._has_terms = numpy.diff(self.matrix.indptr) > 0
        # ties are broken by the other signature's first key: its rank among first keys
        # (a signature left without members by update() ranks last)
        self._rank = numpy.empty(len(self.members), dtype=numpy.int64)
        by_first_key = sorted(
            range(len(self.members)),
            key=lambda number: (not self.members[number], self.members[number][:1]),
        )
        self._rank[by_first_key] = numpy.arange(len(self.members))
        if self.blending:
            self._themes_transposed = self._themes.T.tocsr()
            self._theme_counts = numpy.asarray(self._themes.sum(axis=1)).ravel()

    def update(self, changed, deleted=(), vectors=None, themes=None):
        """Take in edits without reloading the corpus: `changed` is (key, group, text) per
        new or edited statement, `deleted` the keys of removed ones.

        Each changed statement gets a row of its own, weighted with the IDF statistics of
        the load (a term no statement had is weighted as if one has it); the rows of the
        others stay as they are. The weights thus drift from a full recomputation's by as
        much as the edits shift the document frequencies: little while the edits are a
        small part of the corpus (compare.services reloads past a bound).
        When blending, `vectors` and `themes` give the changed statements' own.
        """
        if self.blending:
            for key, _, _ in changed:
                self._vector_of.pop(key, None)
                self._themes_of.pop(key, None)
            self._vector_of.update(vectors or {})
            self._themes_of.update(themes or {})
        touched = set()
        for key in [*deleted, *(key for key, _, _ in changed)]:
            signature = self.signature_of.pop(key, None)
            self.group_of.pop(key, None)
            if signature is not None:
                self.members[signature].remove(key)
                self._alive[signature] = bool(self.members[signature])
                touched.add(key)
        rows = []
        for key, group, text in changed:
            bag = terms(text)
            for term in bag:
                if term not in self._column:
                    self._column[term] = len(self._column)
                    self._idf = numpy.append(self._idf, 1.0 + numpy.log((self.loaded + 1) / 2))
            self.group_of[key] = group
            self.signature_of[key] = len(self.members)
            self.members.append([key])
            rows.append(bag)
            touched.add(key)
        self.updated += len(touched)
        if rows:
            self._alive = numpy.concatenate([self._alive, numpy.ones(len(rows), dtype=bool)])
            width = len(self._column)
            new = _weighted_rows(rows, self._column, self._idf, width)
            old = self.matrix
            old.resize((old.shape[0], width))
            self.matrix = sparse.vstack([old, new], format="csr")
            if self.blending:
                keys = [key for key, _, _ in changed]
                added, present = self._vector_rows(keys)
                self._vectors = numpy.vstack([self._vectors, added])
                self._has_vector = numpy.concatenate([self._has_vector, present])
                new_themes = self._theme_rows(keys)
                old_themes = self._themes
                old_themes.resize((old_themes.shape[0], new_themes.shape[1]))
                self._themes = sparse.vstack([old_themes, new_themes], format="csr")
        self._reindex()

    def __len__(self):
        return len(self.group_of)

    def _matches(self, signatures):
        """(signature, others, scores) per signature: every other signature scoring at least
        the floor, unordered (NumPy arrays), computed a block of rows at a time."""
        cells = BLOCK_CELLS // 4 if self.blending else BLOCK_CELLS  # dense blocks: smaller
        rows_per_block = max(1, cells // max(1, self.matrix.shape[0]))
        for start in range(0, len(signatures), rows_per_block):
            rows = numpy.asarray(signatures[start : start + rows_per_block], dtype=numpy.int64)
            product = (self.matrix[rows] @ self._transposed).tocsr()
            if self.blending:
                product = self._blended(rows, product)
            row_of_cell = numpy.repeat(numpy.arange(len(rows)), numpy.diff(product.indptr))
            kept = (
                (product.data >= self.floor - EPSILON)
                & (product.indices != rows[row_of_cell])
                & self._alive[product.indices]
            )
            ends = numpy.cumsum(numpy.bincount(row_of_cell[kept], minlength=len(rows)))
            others = product.indices[kept]
            # rounded as stored and shown, so equal scores rank by key, not by the last bit
            scores = numpy.round(numpy.minimum(product.data[kept], 1.0), DECIMALS)
            for position, signature in enumerate(rows.tolist()):
                begin = ends[position - 1] if position else 0
                yield signature, others[begin : ends[position]], scores[begin : ends[position]]

    def _blended(self, rows, lexical, floor=None):
        """The blended scores of these rows against every signature, as a sparse matrix
        keeping only cells at or above the floor."""
        floor = self.floor if floor is None else floor
        blend = self.blend
        lexical = lexical.toarray()
        meaning = self._vectors[rows] @ self._vectors.T
        meaning = numpy.clip(
            (meaning - blend.meaning_baseline) / (1.0 - blend.meaning_baseline), 0.0, 1.0
        )
        shared = (self._themes[rows] @ self._themes_transposed).toarray()
        union = self._theme_counts[rows][:, None] + self._theme_counts[None, :] - shared
        overlap = numpy.divide(shared, union, out=numpy.zeros_like(shared), where=union > 0)
        mixed = blend.lexical * lexical + blend.meaning * meaning + blend.themes * overlap
        both = self._has_vector[rows][:, None] & self._has_vector[None, :]
        mixed = numpy.minimum(mixed, blend.ceiling)
        scores = numpy.where(both, numpy.maximum(lexical, mixed), lexical)
        scores[scores < floor - EPSILON] = 0.0
        return sparse.csr_matrix(scores)

    def _best_first(self, signature, others, scores, count):
        """The best `count` others (and any tied with the last), best first, as
        [(score, other signature)]; the signature's own identical text first, at 1."""
        if count < len(others):
            threshold = numpy.partition(scores, len(scores) - count)[len(scores) - count]
            best = scores >= threshold
            others, scores = others[best], scores[best]
        order = numpy.lexsort((self._rank[others], -scores))
        ranked = list(zip(scores[order].tolist(), others[order].tolist(), strict=True))
        return [(1.0, signature), *ranked] if self._has_terms[signature] else ranked

    def _chosen(self, key, ranked, limit):
        """Up to `limit` Neighbours of `key` from ranked signatures, skipping its own group;
        equal scores in the order of the other key."""
        group = self.group_of[key]
        chosen = []
        for score, other_signature in ranked:
            if limit is not None and len(chosen) >= limit and score < chosen[limit - 1].score:
                break
            chosen.extend(
                Neighbour(score, other)
                for other in self.members[other_signature]
                if other != key and self.group_of[other] != group
            )
        chosen.sort(key=lambda neighbour: (-neighbour.score, neighbour.item))
        return chosen[:limit]

    def iter_neighbours(self, keys=None, limit=25):
        """(key, [Neighbour, ...]) per key: its best `limit` matches in other groups, best
        first (scores to DECIMALS places), ties broken by the other key ascending.
        keys=None: every key. limit=None: every match at or above the floor."""
        if limit is not None and limit < 1:
            raise ValueError(f"limit must be None or at least 1, not {limit!r}")
        keys = self.group_of if keys is None else [key for key in keys if key in self.group_of]
        keys_of_signature = defaultdict(list)
        for key in keys:
            keys_of_signature[self.signature_of[key]].append(key)
        for signature, others, scores in self._matches(list(keys_of_signature)):
            count = len(others) if limit is None else min(len(others), RANK_FACTOR * limit)
            while True:
                ranked = self._best_first(signature, others, scores, count)
                lists = [
                    (key, self._chosen(key, ranked, limit)) for key in keys_of_signature[signature]
                ]
                if count >= len(others) or all(len(chosen) == limit for _, chosen in lists):
                    break
                count *= RANK_FACTOR  # too many skipped: rank more of the others
            yield from lists

    def neighbours(self, keys=None, limit=25):
        """{key: [Neighbour, ...]}: iter_neighbours as a dictionary."""
        return dict(self.iter_neighbours(keys, limit))

    def score(self, first, second):
        """Two keys' score, lexical or blended (for tests, explanations and evaluation)."""
        a, b = self.signature_of[first], self.signature_of[second]
        lexical = min(1.0, float(self.matrix[a].multiply(self.matrix[b]).sum()))
        if not self.blending:
            return lexical
        row = self._blended(numpy.array([a]), self.matrix[[a]] @ self._transposed, floor=0.0)
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
    """A CSR matrix of TF-IDF weights, (1 + ln count) x idf, each row scaled to length 1."""
    rows = len(indptr) - 1
    data = (1.0 + numpy.log(frequency)) * idf[indices]
    row_of_cell = numpy.repeat(numpy.arange(rows), numpy.diff(indptr))
    lengths = numpy.sqrt(numpy.bincount(row_of_cell, weights=data * data, minlength=rows))
    data /= lengths[row_of_cell]  # a row without terms has no cells to divide
    return sparse.csr_matrix((data, indices, indptr), shape=(rows, width))
