"""From the words a person typed to the concepts search looks for.

Each positive term of a ParsedQuery becomes a Concept: the word itself (and, when its stem is
long enough, every word that stem begins: "reunification" finds "reunifying", "trauma"
finds "traumatic"), or a quoted phrase as typed. A run of words that names a theme or one
of its entry terms ("relatives", "caseworker burnout") becomes one concept instead: the
theme's name and entry terms, or a statement tagged with the theme.

Stems come from principles.words (Snowball English, PostgreSQL's `english` algorithm).
Backends write each concept in their own syntax: tsquery(), fts5().
"""

from dataclasses import dataclass, field
from functools import lru_cache

from principles.models import Theme, split_entry_terms
from principles.words import stem

from .query import STOP_WORDS, WORD

# Everyday words staff use for what the documents say in other words, by stem. Words that
# stand for a theme belong in that theme's entry terms (editable in the admin) instead.
SYNONYMS = {
    "kid": ("children", "child", "youth"),
    "grandkid": ("grandchildren", "children"),
    "teen": ("youth", "adolescents"),
    "teenag": ("youth", "adolescents"),
    "quick": ("timely", "urgency", "prompt"),
    "fast": ("timely", "urgency", "prompt"),
    "soon": ("timely", "urgency", "early"),
    "job": ("work", "role"),
    "mom": ("mother", "parents"),
    "dad": ("father", "parents"),
    "patern": ("parentage",),
    "payment": ("support", "collect"),
    "pay": ("support", "collect"),
    "avoid": ("prevent",),
    "stop": ("prevent",),
    "help": ("support", "assist"),
    "listen": ("heard", "voices"),
    "hear": ("heard", "listen", "voices"),
}

# Stems at least this long also match the words they begin ("trauma" -> "traumatic");
# shorter ones would pull in unrelated words ("care" -> "career").
PREFIX_FROM = 6


def words_of(text):
    """Lower-case words of `text`, stop words left out (as a query's are)."""
    return tuple(word for word in WORD.findall(text.lower()) if word not in STOP_WORDS)


def stems_of(words):
    return tuple(stem(word) for word in words)


@dataclass(frozen=True)
class Concept:
    """One thing the person asked for: any of `alternatives` (each a run of words that must
    all occur; a phrase when `phrase`), or a statement tagged with one of `theme_ids`."""

    label: str
    alternatives: tuple  # of tuples of words
    theme_ids: tuple = ()
    phrase: bool = False

    @staticmethod
    def prefixed(word):
        return len(stem(word)) >= PREFIX_FROM and not word.isdigit()

    @property
    def typed(self):
        """The words as typed, each a concept: statements using more of them rank higher."""
        if self.phrase:
            return [Concept(self.label, self.alternatives[:1], phrase=True)]
        return [Concept(word, ((word,),)) for word in self.alternatives[0]]

    def tsquery(self):
        """The concept's words as to_tsquery('english', ...) text; every word quoted."""
        parts = []
        for words in self.alternatives:
            quoted = [
                quote_lexeme(word, prefix=not self.phrase and self.prefixed(word)) for word in words
            ]
            parts.append("(" + (" <-> " if self.phrase else " & ").join(quoted) + ")")
        return " | ".join(parts)

    def fts5(self):
        """The concept's words as an FTS5 MATCH expression; every word quoted."""
        parts = []
        for words in self.alternatives:
            if self.phrase:
                parts.append('"' + " ".join(words) + '"')
            else:
                parts.append(
                    "("
                    + " AND ".join(f'"{w}"' + ("*" if self.prefixed(w) else "") for w in words)
                    + ")"
                )
        return "(" + " OR ".join(parts) + ")"

    def stems(self):
        """(exact stems, prefix stems) of the words to highlight: those typed and the
        one-word alternatives ("family" of "extended family" alone is no match)."""
        exact, prefixes = set(), set()
        for index, words in enumerate(self.alternatives):
            if index and len(words) > 1:
                continue
            for word in words:
                (prefixes if not self.phrase and self.prefixed(word) else exact).add(stem(word))
        return exact, prefixes


def quote_lexeme(word, prefix=False):
    """A tsquery operand for `word`, taken literally whatever it contains."""
    quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


@dataclass(frozen=True)
class ThemeEntry:
    theme_id: int
    stems: tuple


@dataclass
class Expansion:
    concepts: tuple = ()
    themes: list = field(default_factory=list)  # the themes the query names, in order


def theme_entries(themes):
    """Every theme's name and entry terms as stem sequences, longest first."""
    return _theme_entries(tuple((theme.pk, theme.name, theme.entry_terms) for theme in themes))


# Every search reads all themes' terms; they change only when an editor edits a theme, so
# their words and stems are worked out once per process for each version of the terms
# (about 200 terms: 4 ms of CPU per search otherwise).
@lru_cache(maxsize=64)
def _theme_entries(themes):
    entries = []
    for pk, name, entry_terms in themes:
        for words in _term_words(name, entry_terms):
            entries.append(ThemeEntry(pk, stems_of(words)))
    entries.sort(key=lambda entry: -len(entry.stems))
    return tuple(entries)


@lru_cache(maxsize=1024)
def _term_words(name, entry_terms):
    """The theme's name and each entry term, as words (terms without a word left out)."""
    return tuple(
        words
        for words in (words_of(term) for term in [name, *split_entry_terms(entry_terms)])
        if words
    )


def theme_alternatives(theme):
    return _term_words(theme.name, theme.entry_terms)


def expand(parsed, themes=None, *, with_themes=True):
    """The concepts of a ParsedQuery; `themes` defaults to every theme (one query)."""
    if with_themes and themes is None:
        themes = list(Theme.objects.visible_to_readers().only("pk", "name", "slug", "entry_terms"))
    themes = themes or []
    by_id = {theme.pk: theme for theme in themes}
    entries = theme_entries(themes) if with_themes else []
    words = list(parsed.words)
    stems = stems_of(words)
    concepts, named = [], []
    position = 0
    while position < len(words):
        matched = []
        length = 0
        for entry in entries:
            size = len(entry.stems)
            if length and size < length:
                break
            if stems[position : position + size] == entry.stems:
                length = size
                if entry.theme_id not in matched:
                    matched.append(entry.theme_id)
        if matched:
            typed = tuple(words[position : position + length])
            alternatives = [typed]
            for theme_id in matched:
                for alternative in theme_alternatives(by_id[theme_id]):
                    if alternative not in alternatives:
                        alternatives.append(alternative)
                if by_id[theme_id] not in named:
                    named.append(by_id[theme_id])
            same = next((c for c in concepts if c.theme_ids == tuple(matched)), None)
            if same:
                # "caseworker burnout": words naming the same theme are one concept
                label = f"{same.label} {' '.join(typed)}"
                alternatives = tuple(dict.fromkeys([*same.alternatives, typed]))
                concepts[concepts.index(same)] = Concept(label, alternatives, same.theme_ids)
            else:
                concepts.append(Concept(" ".join(typed), tuple(alternatives), tuple(matched)))
            position += length
        else:
            word = words[position]
            alternatives = ((word,), *((other,) for other in SYNONYMS.get(stem(word), ())))
            concepts.append(Concept(word, alternatives))
            position += 1
    for phrase in parsed.phrases:
        concepts.append(Concept(" ".join(phrase), (tuple(phrase),), phrase=True))
    return Expansion(tuple(concepts), named)


def highlight_stems(concepts):
    """(exact stems, prefix stems) of every word the concepts match."""
    exact, prefixes = set(), set()
    for concept in concepts:
        more_exact, more_prefixes = concept.stems()
        exact |= more_exact
        prefixes |= more_prefixes
    return exact, tuple(sorted(prefixes))


def mark_words(text, stems, start, end):
    """`text` with each word whose stem the concepts match wrapped in start/end."""
    exact, prefixes = stems

    def mark(match):
        word = match.group(0)
        stemmed = stem(word.lower())
        if stemmed in exact or stemmed.startswith(prefixes or ("\0",)):
            return f"{start}{word}{end}"
        return word

    return WORD.sub(mark, text or "")
