"""Suggestions ("Did you mean ...?"): close words from the published statements' vocabulary.

A word of the query that nothing published contains (and that names no theme) is compared
with the vocabulary (pg_trgm similarity over search_word on PostgreSQL, difflib's ratio over
the published statements' words on SQLite). Each candidate is counted among published
statements before it is offered, so a suggestion always finds something.
"""

import re
from dataclasses import replace

from .expansion import Concept

# Words looked at per query, and candidates per word.
MAX_WORDS = 3
CANDIDATES = 5


def unknown_words(concepts, frequencies):
    """The typed words that match nothing published, in query order."""
    return [
        concept.label
        for concept, count in zip(concepts, frequencies, strict=True)
        if not count and not concept.theme_ids and not concept.phrase
    ][:MAX_WORDS]


def suggest(backend, criteria, unknown):
    """The query with each unknown word replaced by its closest word that finds something,
    or None when no word has such a neighbour. Two queries: candidates, then their counts."""
    if not unknown:
        return None
    candidates = backend.similar_words(unknown, CANDIDATES)
    flat = list(dict.fromkeys(word for words in candidates.values() for word in words))
    if not flat:
        return None
    concepts = tuple(Concept(word, ((word,),)) for word in flat)
    counts = dict(zip(flat, backend.frequencies(replace(criteria, concepts=concepts)), strict=True))
    text = criteria.query.text
    changed = False
    for word in unknown:
        best = next((c for c in candidates.get(word, []) if counts.get(c)), None)
        if best:
            text = re.sub(rf"(?i)(?<![^\W_]){re.escape(word)}(?![^\W_])", best, text)
            changed = True
    return text if changed else None
