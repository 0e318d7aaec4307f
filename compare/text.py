"""What practicekb treats as the same word, and how it shows two statements' difference.

**Terms.** A statement's text is lower-cased (curly quotes made straight, hyphens inside
words dropped so "life-long" and "lifelong" agree), split into words, stripped of English
stop words and numbers, and stemmed by principles.words (Snowball English, the stemmer of
PostgreSQL's search: "families" and "family" agree, "focuses" and "focused" agree; possessives
are dropped and "children" becomes "child" first).
compare.similarity weighs and compares them; this module needs no NumPy, so pages that show
differences do not load it.

The difference between two statements is the core's word diff (principles.words.word_diff,
which the stale-edit forms use too).
"""

import re
from collections import Counter
from functools import lru_cache

from principles.words import normalize, word_diff  # noqa: F401 - the core's, shared
from principles.words import stem as english_stem

_SIMILARITY_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most must my myself no nor not now of off
    on once only or other our ours ourselves out over own same shall she should so some
    such than that the their theirs them themselves then there these they this those
    through to too under until up upon us very was we were what when where which while who
    whom why will with would you your yours yourself yourselves may might
    """
# not search's query STOP_WORDS (search/query.py, PostgreSQL's list): these weigh nothing in a
# similarity score, and include modal verbs ("may", "shall") that practice models use freely
SIMILARITY_STOP_WORDS = frozenset(_SIMILARITY_STOP_WORDS.split())
IRREGULAR = {"children": "child", "people": "person", "lives": "life", "women": "woman"}
WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


@lru_cache(maxsize=50_000)
def stem(word):
    """Possessives dropped, a few irregular plurals made singular, then practicekb's one
    stemmer (Snowball English, as PostgreSQL's search stems)."""
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    word = IRREGULAR.get(word, word)
    return english_stem(word)


def terms(text):
    """The counted terms of a text: stemmed words less stop words and numbers."""
    counts = Counter()
    for word in WORD.findall(INNER_HYPHEN.sub("", normalize(text))):
        if word in SIMILARITY_STOP_WORDS or word.isdigit():
            continue
        word = stem(word)
        if len(word) > 1 and word not in SIMILARITY_STOP_WORDS:
            counts[word] += 1
    return counts
