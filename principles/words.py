"""The one English stemmer of practicekb's own text handling.

Snowball's English stemmer (Porter2), the algorithm of PostgreSQL's `english` text search
configuration, so that the words Python code treats as the same (search on SQLite, the
compare crosswalk's terms, theme entry terms) are the ones PostgreSQL's search treats as the
same: "families" and "family" agree, and so do "reunify" and "reunifying".

And the one word-level difference of two texts (word_diff): the crosswalk's pairs
(compare), versions of a statement, and a stale edit form's "saved" against "yours"
(principles.concurrency). A difflib.SequenceMatcher over word and punctuation tokens,
compared case- and quote-insensitively, marked with <del> for what only the first has and
<ins> for what only the second has. Every piece of text is escaped before markup is added.
"""

import difflib
import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import mark_safe

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=100_000)
def stem(word):
    """The stem of one lower-case word ("families" -> "famili")."""
    return _STEMMER.stemWord(word)


def normalize(text):
    """Lower-case, compatibility-normalized text with straight quotes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'")


TOKEN = re.compile(r"(\s*)(\w+(?:['\u2019]\w+)*|[^\w\s]+)")


def _tokens(text):
    return [(match.group(1), match.group(2)) for match in TOKEN.finditer(text)]


def _key(token):
    return normalize(token)


def word_diff(first, second, first_name, second_name):
    """HTML of `second` with what only `first` has in <del> and what only `second` adds in <ins>.

    The names say, to screen readers, whose words each mark belongs to.
    """
    a, b = _tokens(first), _tokens(second)
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for _, t in a], [_key(t) for _, t in b], autojunk=False
    )
    parts = []

    def run(tokens):
        text = "".join(space + token for space, token in tokens)
        return tokens[0][0], escape(text.lstrip())

    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(space + token for space, token in b[b1:b2])))
            continue
        if op in ("delete", "replace"):
            space, text = run(a[a1:a2])
            parts.append(
                f'{escape(space)}<del><span class="visually-hidden">only in {escape(first_name)}: '
                f"</span>{text}</del>"
            )
        if op in ("insert", "replace"):
            space, text = run(b[b1:b2])
            if op == "replace":
                space = " " if space else ""
            parts.append(
                f'{escape(space)}<ins><span class="visually-hidden">only in {escape(second_name)}: '
                f"</span>{text}</ins>"
            )
    return mark_safe("".join(parts).strip())  # noqa: S308 - every text piece above is escaped
