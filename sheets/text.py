"""Wording helpers for printed sheets."""

import re

# words a title keeps in lower case unless they open it (Chicago style, short list)
SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "vs",
        "via",
        "with",
    ]
)
# a word, with an apostrophe inside it (straight or typographic: U+2019)
WORD = re.compile("[^\\W\\d_]+(?:['\u2019][^\\W\\d_]+)?")


def heading_case(text):
    """An all-capitals heading ("CHILD SAFETY, FIRST AND FOREMOST") in title case ("Child
    Safety, First and Foremost"); any other heading as written. Sources are stored verbatim:
    this only changes how a sheet shows them."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return text
    lowered = text.lower()
    first = True

    def word(match):
        nonlocal first
        value = match.group(0)
        keep_small = not first and value in SMALL_WORDS
        # after a colon or a dash a title starts again
        first = False
        return value if keep_small else value[:1].upper() + value[1:]

    return WORD.sub(word, lowered)
