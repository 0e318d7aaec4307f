"""What a person typed, cleaned into plain terms that no search engine can misread.

Whatever arrives in `q` (quotes, operators, brackets, symbols, NUL bytes, thousands of
characters) becomes a ParsedQuery of words, quoted phrases and -excluded words made only of
letters and digits. Each backend writes its own query syntax from those terms, so no user
character ever reaches FTS5's MATCH grammar or PostgreSQL's tsquery parser unescaped.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16

# PostgreSQL's English stop words (tsearch_data/english.stop): dropped from every query so
# that both backends agree ("kinship or care" means kinship and care; "the" alone finds
# nothing rather than everything on SQLite, whose FTS5 has no stop words).
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()  # noqa: SIM905 - laid out as in PostgreSQL's english.stop
)

# A term is a run of letters and digits (any script); everything else separates terms.
WORD = re.compile(r"[^\W_]+")
# "a phrase", or a single -excluded or plain chunk of non-space text.
CHUNK = re.compile(r'"([^"]*)"?|(\S+)')


def clean_text(raw):
    """Drop control and format characters (NUL included), collapse whitespace, trim."""
    kept = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in raw or "")
    return " ".join(kept.split())


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    words: tuple = ()
    phrases: tuple = ()
    excluded: tuple = ()
    truncated: bool = False
    terms_dropped: bool = False

    @property
    def is_empty(self):
        """Nothing to look for: excluded words alone cannot select anything."""
        return not (self.words or self.phrases)

    @property
    def positive_terms(self):
        """Every word that should be highlighted, phrases split into their words."""
        return tuple(self.words) + tuple(word for phrase in self.phrases for word in phrase)

    def websearch(self):
        """The terms in websearch_to_tsquery syntax (plain words, "phrases", -words)."""
        parts = list(self.words)
        parts += [f'"{" ".join(phrase)}"' for phrase in self.phrases]
        parts += [f"-{word}" for word in self.excluded]
        return " ".join(parts)

    def fts5(self):
        """The terms as an FTS5 MATCH expression: every term quoted, so none is an operator."""
        positive = [f'"{word}"' for word in self.words]
        positive += [f'"{" ".join(phrase)}"' for phrase in self.phrases]
        expression = " AND ".join(positive)
        for word in self.excluded:
            expression += f' NOT "{word}"'
        return expression


def is_stop(item):
    """A stop word, or a phrase made only of stop words."""
    words = item if isinstance(item, tuple) else (item,)
    return all(word in STOP_WORDS for word in words)


def parse(raw):
    """Clean, cap at MAX_QUERY_LENGTH characters and split into terms."""
    text = clean_text(raw)
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    words, phrases, excluded = [], [], []
    count = 0
    dropped = False
    for match in CHUNK.finditer(text):
        phrase, chunk = match.groups()
        if phrase is not None:
            tokens = WORD.findall(phrase.lower())
            target = phrases if len(tokens) > 1 else words
            item = tuple(tokens) if len(tokens) > 1 else (tokens[0] if tokens else None)
            found = [item] if item else []
        elif chunk.startswith("-") and len(chunk) > 1:
            target, found = excluded, WORD.findall(chunk[1:].lower())
        else:
            target, found = words, WORD.findall(chunk.lower())
        found = [item for item in found if not is_stop(item)]
        for item in found:
            if count >= MAX_TERMS:
                dropped = True
                break
            if item not in target:
                target.append(item)
                count += 1
    return ParsedQuery(
        text=text,
        words=tuple(words),
        phrases=tuple(phrases),
        excluded=tuple(excluded),
        truncated=truncated,
        terms_dropped=dropped,
    )
