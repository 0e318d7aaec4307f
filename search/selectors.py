"""The search read: facets and one page of ranked results, in a fixed number of queries.

Facet counts leave out their own filter ("disjunctive" facets): with an organization chosen,
the organization facet still counts every organization's matches for the query and the
other filters, so a reader can switch organization and knows what each choice will give.
Facets list their LISTED largest values and say how many more there are.

A broad search (more than backends.COUNT_LIMIT matches; PostgreSQL only) is listed and
counted over its backends.BEST_LIMIT best matches: the page says "more than 500" and
which counts are of the best 500, and the pages stop at the last of those.
"""

from dataclasses import dataclass, field, replace
from math import ceil

from organizations.models import Organization
from principles.models import StatementKind, Theme

from . import related as meaning
from . import spelling
from .backends import ALL, BEST_LIMIT, COUNT_LIMIT, MOST, Criteria, get_backend, weights
from .expansion import expand
from .highlight import marked_html

PER_PAGE = 20
# Facet values listed on the page; the rest are counted but not listed.
LISTED = 50
MAX_PAGE = 10_000

# Modes of search, for the page (HYBRID) and for measuring (manage.py evaluate_search):
# WORDS finds the statements with every word; RANKED also reads the themes a query names and,
# when fewer than FEW statements have every word, lists those with most of them; HYBRID
# also orders each page by meaning and adds "Related by meaning" (search.related), when
# the embedding model answers (otherwise it is RANKED).
WORDS, RANKED, HYBRID = "words", "ranked", "hybrid"
MODES = (WORDS, RANKED, HYBRID)
FEW = 5


class PageOutOfRange(Exception):
    def __init__(self, number, num_pages, capped=False):
        results = f"the {BEST_LIMIT:,} best results" if capped else "the results"
        super().__init__(f"There is no page {number}: {results} fill {num_pages}.")
        self.number = number
        self.num_pages = num_pages


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False

    @property
    def count_text(self):
        """1,234: what floatformat:"g" prints in English, without its per-call locale work."""
        return f"{self.count:,}"


@dataclass
class Facet:
    """A facet's values, most frequent first; only the first LISTED are listed on the page."""

    param: str
    title: str
    values: list
    unlisted: int = 0
    shown: int = 8
    # True when the counts are of the BEST_LIMIT best matches only (a broad search)
    capped: bool = False

    @property
    def top(self):
        """The first values, with the selected one always among them."""
        top = self.values[: self.shown]
        selected = [value for value in self.values[self.shown :] if value.selected]
        return top + selected

    @property
    def more(self):
        return [value for value in self.values[self.shown :] if not value.selected]

    @property
    def groups(self):
        """The values as the page lists them: the first few, then the rest folded away."""
        groups = [{"values": self.top, "folded": False}]
        if self.more:
            groups.append({"values": self.more, "folded": True})
        return groups


@dataclass
class ResultsPage:
    number: int
    total: int
    per_page: int = PER_PAGE
    # a broad search: `total` is only "more than COUNT_LIMIT" and the pages list `listable`
    capped: bool = False
    listable: int | None = None

    @property
    def listed(self):
        """How many results the pages list: all of them, or the best when capped."""
        return self.listable if self.capped else self.total

    @property
    def num_pages(self):
        return max(1, ceil(self.listed / self.per_page))

    @property
    def offset(self):
        return (self.number - 1) * self.per_page

    @property
    def start_index(self):
        return self.offset + 1 if self.total else 0

    @property
    def end_index(self):
        return min(self.offset + self.per_page, self.listed)

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.num_pages

    @property
    def previous_page_number(self):
        return self.number - 1

    @property
    def next_page_number(self):
        return self.number + 1

    def window(self, size=2):
        """Page numbers to link around the current one, with None for a gap."""
        last = self.num_pages
        numbers = sorted(
            {1, last} | set(range(max(1, self.number - size), min(last, self.number + size) + 1))
        )
        window, previous = [], 0
        for number in numbers:
            if number - previous > 1:
                window.append(None)
            window.append(number)
            previous = number
        return window


@dataclass
class SearchResults:
    criteria: Criteria
    page: ResultsPage
    results: list = field(default_factory=list)
    organizations: Facet | None = None
    kinds: Facet | None = None
    themes: Facet | None = None
    backend: str = ""
    # RANKED: the themes the query names, and, when it fell back to most of the words,
    # how many statements have all of them
    themes_named: list = field(default_factory=list)
    fallback: bool = False
    all_words_total: int = 0
    # "Did you mean ...?": the query with its unknown words corrected (search.spelling)
    suggestion: str | None = None
    # HYBRID: statements the words miss that are close in meaning (first page only)
    related: list = field(default_factory=list)

    @property
    def all_results(self):
        """Every statement listed, best first: the word matches, then related by meaning."""
        return self.results + self.related

    @property
    def total(self):
        return self.page.total

    @property
    def capped(self):
        """More than COUNT_LIMIT matches: the total is not known, the best are listed."""
        return self.page.capped

    @property
    def count_limit(self):
        return COUNT_LIMIT

    @property
    def best_limit(self):
        return BEST_LIMIT

    @property
    def facets(self):
        return [self.organizations, self.kinds, self.themes]


def listed(counter, chosen):
    """The LISTED most frequent (id, count) pairs, plus the chosen id wherever it ranks."""
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    top = ranked[:LISTED]
    if chosen in counter and chosen not in dict(top):
        top.append((chosen, counter[chosen]))
    return top, len(ranked) - len(top)


def named_facet(param, title, rows, counter, chosen, capped=False):
    """A facet over organizations or themes (`rows`, a manager or queryset of what readers
    may see): one query names the listed ones."""
    top, unlisted = listed(counter, chosen.pk if chosen else None)
    names = {}
    if top:
        found = rows.filter(pk__in=[pk for pk, _ in top]).values_list("pk", "slug", "name")
        names = {pk: (slug, name) for pk, slug, name in found}
    values = sorted(
        (
            FacetValue(names[pk][0], names[pk][1], count, chosen is not None and pk == chosen.pk)
            for pk, count in top
            if pk in names
        ),
        key=lambda value: (-value.count, value.label.lower()),
    )
    return Facet(param, title, values, unlisted=unlisted, capped=capped)


def kind_facet(counter, chosen, capped=False):
    labels = dict(StatementKind.choices)
    values = [
        FacetValue(kind, labels.get(kind, kind), count, kind == chosen)
        for kind, count in sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Facet("kind", "Kind", values, capped=capped)


def search(criteria, page_number=1, per_page=PER_PAGE, mode=HYBRID):
    """Facets and one page of ranked, highlighted results for `criteria`.

    HYBRID and RANKED first read the themes (one query) to expand the query. When something matches:
    the counts and the ranked page of ids (two queries on PostgreSQL, three on SQLite; the
    counts twice when few statements have every word), the names of the listed
    organizations and themes, the page's statements and their themes. When nothing
    matches, only the counts. HYBRID with the model answering: at most three more queries
    for "Related by meaning" on the first page (search.related).
    """
    backend = get_backend()
    page = ResultsPage(number=page_number, total=0, per_page=per_page)
    themes_named, fallback, all_words_total = [], False, 0
    if mode in (RANKED, HYBRID):
        expansion = expand(criteria.query)
        criteria = replace(criteria, concepts=expansion.concepts, match=ALL)
        themes_named = expansion.themes
    counts, ids = backend.counts_and_page(criteria, page.offset, per_page)
    suggestion = None
    if mode in (RANKED, HYBRID) and counts.total < FEW:
        all_words_total = counts.total
        several = len(criteria.terms) > 1
        frequencies = backend.frequencies(criteria) if several else [counts.total]
        if several and sum(frequencies) > 0:
            # otherwise nothing has any of the words either
            criteria = replace(criteria, match=MOST, weights=weights(frequencies, criteria.terms))
            counts, ids = backend.counts_and_page(criteria, page.offset, per_page)
            fallback = counts.total > all_words_total
        if page_number == 1:
            unknown = spelling.unknown_words(criteria.terms, frequencies)
            suggestion = spelling.suggest(backend, criteria, unknown)
    page.total = counts.total
    page.capped = "total" in counts.capped
    page.listable = counts.listable
    if page_number > page.num_pages:
        raise PageOutOfRange(page_number, page.num_pages, page.capped)
    organizations = named_facet(
        "org",
        "Organization",
        Organization.objects,
        counts.organizations,
        criteria.organization,
        capped="organizations" in counts.capped,
    )
    kinds = kind_facet(counts.kinds, criteria.kind, capped="kinds" in counts.capped)
    themes = named_facet(
        "theme",
        "Theme",
        Theme.objects.visible_to_readers(),
        counts.themes,
        criteria.theme,
        capped="themes" in counts.capped,
    )
    related = []
    if mode == HYBRID:
        found = meaning.closeness(criteria, ids)
        if found is not None:
            ids = meaning.reordered(ids, found.scores)
            if page_number == 1:
                related = meaning.related_statements(backend, criteria, found, set(ids))
    results = backend.statements(ids, criteria) if ids else []
    for statement in results:
        statement.text_html = marked_html(statement.marked_text)
        statement.title_html = marked_html(statement.marked_title)
    return SearchResults(
        criteria=criteria,
        page=page,
        results=results,
        organizations=organizations,
        kinds=kinds,
        themes=themes,
        backend=backend.name,
        themes_named=themes_named,
        fallback=fallback,
        all_words_total=all_words_total,
        suggestion=suggestion,
        related=related,
    )
