"""The one English stemmer of practicekb's own text handling.

Snowball's English stemmer (Porter2), the algorithm of PostgreSQL's `english` text search
configuration, so that the words Python code treats as the same (search on SQLite, the
compare crosswalk's terms, theme entry terms) are the ones PostgreSQL's search treats as the
same: "families" and "family" agree, and so do "reunify" and "reunifying".
"""

from functools import lru_cache

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word):
    """The stem of one lower-case word ("families" -> "famili")."""
    return _STEMMER.stemWord(word)
