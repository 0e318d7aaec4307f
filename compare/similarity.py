"""How practicekb decides that two statements say the same thing, and how it shows the difference.

The method (pure Python, no dependency):

1. **Terms.** A statement's text is lower-cased (curly quotes made straight, hyphens inside
   words dropped so "life-long" and "lifelong" agree), split into words, stripped of English
   stop words and numbers, and lightly stemmed (plurals, possessives, -ing/-ed, a final e:
   "families" and "family" agree, "focuses" and "focused" agree, "children" becomes "child").
2. **Weights.** Each term is weighted by TF-IDF: (1 + ln count) x (1 + ln((N + 1) / (df + 1))),
   N statements in the corpus and df of them using the term. Words every agency uses
   ("child", "family") count for little, distinctive ones ("kinship", "urgency") for much.
   Each statement's vector is scaled to length 1.
3. **Score.** The cosine of two vectors (their dot product), from 0 to 1. Verbatim copies
   score 1; Virginia's and Maine's shared principles score 0.5 to 1; unrelated statements
   that merely share "children and families" score below 0.4.

Finding every pair above a floor score without comparing every statement with every other:
a vector's most common terms whose combined weight (L2 norm) stays below the floor cannot
by themselves lift a cosine to the floor, so only the remaining "prefix" terms go into an
inverted index (L2 prefix filtering, as in Anastasiu and Karypis's L2AP). Each statement is
looked up through the index, candidates are bounded by their partial score plus their
unindexed remainder, and survivors are scored exactly. Statements with identical term
counts (templated or copied text) are grouped into one signature and compared once.
Same-group pairs (statements of one organization) are never reported.

The difference between two statements is a word-level diff (difflib.SequenceMatcher over
word and punctuation tokens, compared case- and quote-insensitively), marked with <del> for
what only the first has and <ins> for what only the second has. Every piece of text is
escaped before markup is added.
"""

import difflib
import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most must my myself no nor not now of off
    on once only or other our ours ourselves out over own same shall she should so some
    such than that the their theirs them themselves then there these they this those
    through to too under until up upon us very was we were what when where which while who
    whom why will with would you your yours yourself yourselves may might
    """
STOP_WORDS = frozenset(_STOP_WORDS.split())
# A full refresh holds this many times `limit` best matches per distinct text while it
# searches: enough that skipping same-organization matches still leaves `limit` to store.
KEEP_FACTOR = 4
IRREGULAR = {"children": "child", "people": "person", "lives": "life", "women": "woman"}
WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
INNER_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")


def normalize(text):
    """Lower-case, compatibility-normalized text with straight quotes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("\u2019", "'").replace("\u2018", "'")


@lru_cache(maxsize=50_000)
def stem(word):
    """A deliberately light English stemmer: enough to make plurals and tenses agree."""
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("'"):
        word = word[:-1]
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # planning -> plann -> plan
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # care, cared, caring -> car
    return word


def terms(text):
    """The counted terms of a text: stemmed words less stop words and numbers."""
    counts = Counter()
    for word in WORD.findall(INNER_HYPHEN.sub("", normalize(text))):
        if word in STOP_WORDS or word.isdigit():
            continue
        word = stem(word)
        if len(word) > 1 and word not in STOP_WORDS:
            counts[word] += 1
    return counts


@dataclass
class Neighbour:
    score: float
    item: object


class Corpus:
    """Every statement's vector, grouped by identical terms, with an L2-prefix index.

    items: iterable of (key, group, text); group is the organization, never matched to itself.
    """

    def __init__(self, items, floor):
        self.floor = floor
        self.group_of = {}
        signature_of_text = {}
        self.signature_of = {}
        self.members = []  # per signature: keys in ascending order
        counts = []
        for key, group, text in items:
            self.group_of[key] = group
            bag = terms(text)
            signature = frozenset(bag.items())
            index = signature_of_text.get(signature)
            if index is None:
                index = signature_of_text[signature] = len(counts)
                counts.append(bag)
                self.members.append([])
            self.signature_of[key] = index
            self.members[index].append(key)
        for keys in self.members:
            keys.sort()
        document_frequency = Counter()
        for index, bag in enumerate(counts):
            for term in bag:
                document_frequency[term] += len(self.members[index])
        total = len(self.group_of)
        self.vectors = [_unit_vector(bag, document_frequency, total) for bag in counts]
        self._document_frequency = document_frequency
        self._index = None
        self._split_cache = None

    def __len__(self):
        return len(self.group_of)

    def _split(self, vector):
        """(indexed prefix, unindexed remainder, remainder norm): common terms go last."""
        ordered = sorted(
            vector.items(), key=lambda item: (-self._document_frequency[item[0]], item[0])
        )
        mass = 0.0
        cut = 0
        for _term, weight in ordered:
            if math.sqrt(mass + weight * weight) >= self.floor:
                break
            mass += weight * weight
            cut += 1
        return ordered[cut:], ordered[:cut], math.sqrt(mass)

    def signature_neighbours(self, signatures=None, keep=None):
        """{signature: [(score, other signature), ...]} for every pair scoring >= floor.

        With signatures=None every pair is found once (each vector probes the index of those
        before it); otherwise only the given signatures are probed, against all others.
        keep: hold only each signature's best `keep` pairs while searching. Text that repeats
        a few phrases (a generated corpus) has millions of pairs above the floor; holding
        them all took over 10 GB at 50,000 statements.
        """
        found = defaultdict(list)

        def offer(number, pair):
            pairs = found[number]
            if keep is None:
                pairs.append(pair)
            elif len(pairs) < keep:
                heapq.heappush(pairs, pair)
            elif pair > pairs[0]:
                heapq.heapreplace(pairs, pair)

        if self._split_cache is None:
            split = [self._split(vector) for vector in self.vectors]
            self._split_cache = (
                split,
                [norm for _, _, norm in split],
                [dict(rest) for _, rest, _ in split],
            )
        split, remainder_norm, remainder = self._split_cache
        if signatures is None:
            index = defaultdict(list)  # filled as the probe advances: each pair found once
        else:
            if self._index is None:
                self._index = defaultdict(list)
                for number, (prefix, _, _) in enumerate(split):
                    for term, weight in prefix:
                        self._index[term].append((number, weight))
            index = self._index

        def probe(number):
            vector = self.vectors[number]
            partial = defaultdict(float)
            for term, weight in vector.items():
                for other, other_weight in index.get(term, ()):
                    if other != number:
                        partial[other] += weight * other_weight
            for other, score in partial.items():
                if score + remainder_norm[other] < self.floor:
                    continue  # even a perfect remainder could not reach the floor
                for term, other_weight in remainder[other].items():
                    weight = vector.get(term)
                    if weight:
                        score += weight * other_weight
                if score >= self.floor - 1e-9:
                    yield other, min(score, 1.0)

        if signatures is None:
            for number, (prefix, _, _) in enumerate(split):
                for other, score in probe(number):
                    offer(number, (score, other))
                    offer(other, (score, number))
                for term, weight in prefix:
                    index[term].append((number, weight))
        else:
            for number in signatures:
                found[number] = [(score, other) for other, score in probe(number)]
        return found

    def neighbours(self, keys=None, limit=25):
        """{key: [Neighbour, ...]}: each key's best `limit` matches in other groups, best first.

        keys=None: every key. Ties are broken by the other key, ascending.
        """
        if keys is None:
            wanted = list(self.group_of)
            # room for matches a key must skip (its own organization's, identical texts)
            keep = None if limit is None else KEEP_FACTOR * limit
            by_signature = self.signature_neighbours(keep=keep)
        else:
            wanted = [key for key in keys if key in self.group_of]
            by_signature = self.signature_neighbours({self.signature_of[k] for k in wanted})
        result = {}
        ranked_by_signature = {}  # statements sharing a text share their ranking
        for key in wanted:
            signature = self.signature_of[key]
            group = self.group_of[key]
            ranked = ranked_by_signature.get(signature)
            if ranked is None:
                others = sorted(
                    by_signature.get(signature, ()),
                    key=lambda pair: (-pair[0], self.members[pair[1]][0]),
                )
                # identical text elsewhere scores 1 (unless it has no terms at all), then the rest
                ranked = [(1.0, signature), *others] if self.vectors[signature] else others
                ranked_by_signature[signature] = ranked
            chosen = []
            for score, other_signature in ranked:
                for other in self.members[other_signature]:
                    if other != key and self.group_of[other] != group:
                        chosen.append(Neighbour(round(score, 4), other))
                        if len(chosen) == limit:
                            break
                if len(chosen) == limit:
                    break
            result[key] = chosen
        return result

    def score(self, first, second):
        """The cosine of two keys' vectors (for tests and explanations)."""
        a = self.vectors[self.signature_of[first]]
        b = self.vectors[self.signature_of[second]]
        return min(1.0, sum(weight * b[term] for term, weight in a.items() if term in b))


def _unit_vector(bag, document_frequency, total):
    vector = {
        term: (1.0 + math.log(count))
        * (1.0 + math.log((total + 1) / (document_frequency[term] + 1)))
        for term, count in bag.items()
    }
    length = math.sqrt(sum(weight * weight for weight in vector.values()))
    return {term: weight / length for term, weight in vector.items()} if length else {}


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
