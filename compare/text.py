"""What practicekb treats as the same word, and how it shows two statements' difference.

**Terms.** A statement's text is lower-cased (curly quotes made straight, hyphens inside
words dropped so "life-long" and "lifelong" agree), split into words, stripped of English
stop words and numbers, and stemmed by principles.words (Snowball English, the stemmer of
PostgreSQL's search: "families" and "family" agree, "focuses" and "focused" agree; possessives
are dropped and "children" becomes "child" first).
compare.similarity weighs and compares them; this module needs no NumPy, so pages that show
differences do not load it.

The difference between two statements is a word-level diff (difflib.SequenceMatcher over
word and punctuation tokens, compared case- and quote-insensitively), marked with <del> for
what only the first has and <ins> for what only the second has. Every piece of text is
escaped before markup is added.
"""

import difflib
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

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


def normalize(text):
    """Lower-case, compatibility-normalized text with straight quotes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'")


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


# --- the word-level difference ------------------------------------------------------------

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
