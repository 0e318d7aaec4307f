"""One search interface, one implementation per database engine.

A backend answers two questions about a Criteria (the parsed query and its filters):
- counts_and_page(criteria, offset, limit): a Counts of matching published statements per
  organization, kind and theme, and in all, and the ids of one page of them, best match
  first. Each facet's counts leave out that facet's own filter ("disjunctive" facets), so a
  reader can switch organization and see what each choice gives;
- statements(ids, criteria): those statements for display, each with `.marked_text` and
  `.marked_title` in which matched words are wrapped in the MARK_START/MARK_END sentinels.

The SQLite backends share an ORM implementation (StatementQueryBackend); PostgreSQL answers
the first question with two SQL queries over its search_entry table, without joins.

get_backend() picks one by connection.vendor: PostgreSQL full-text search or SQLite FTS5
(every SQLite that Python ships with has it; a build without it is refused, see schema.py).
"""

# ruff: noqa: S608 - PostgresBackend joins constant SQL fragments; user input is only ever a
# query parameter

from collections import Counter
from dataclasses import dataclass, field, replace
from math import log2

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    FloatField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from organizations.models import Organization
from principles.models import (
    Document,
    DocumentStatus,
    Statement,
    StatementKind,
    TaggedStatement,
    Theme,
)
from principles.selectors import statements_for_display

from .expansion import expand, highlight_stems, mark_words
from .query import WORD, ParsedQuery
from .schema import FTS_TABLE, NO_FTS5, sqlite_has_fts5

# Private-use characters: the database wraps matches in these, search.highlight turns them
# into <mark> after escaping everything else. They do not occur in the sources.
MARK_START = "\ue000"
MARK_END = "\ue001"


ALL, MOST = "all", "most"


@dataclass(frozen=True)
class Criteria:
    """What to find: the parsed query, its concepts (search.expansion) and the filters.

    `match` is ALL (every concept) or MOST (any concept, those matching most first).
    Without `concepts`, each word and phrase of the query is one concept.
    """

    query: ParsedQuery
    organization: Organization | None = None
    kind: str | None = None
    theme: Theme | None = None
    earlier: bool = False  # also superseded versions' statements, not only those in force
    concepts: tuple | None = None
    match: str = ALL
    # one per concept: what matching it is worth (rarer concepts more); 1 each by default
    weights: tuple | None = None

    def statements(self):
        """The statements searched: those in force (see principles.models.IN_FORCE), or
        also earlier versions' when asked."""
        return Statement.objects.readable() if self.earlier else Statement.objects.in_force()

    @property
    def concept_weights(self):
        return self.weights or (1.0,) * len(self.terms)

    @property
    def terms(self):
        if self.concepts is not None:
            return self.concepts
        return expand(self.query, with_themes=False).concepts

    @property
    def kind_label(self):
        return StatementKind(self.kind).label if self.kind else ""


def in_order(statements, ids):
    """Statements in the order of `ids` (the ranking), whatever order the query returned."""
    by_id = {statement.pk: statement for statement in statements}
    return [by_id[pk] for pk in ids if pk in by_id]


# PostgreSQL counts each facet's matches exactly up to COUNT_LIMIT. A search with more
# matches than that is "broad": its pages list, and its facets count, the BEST_LIMIT matches
# with the best length score (see PostgresBackend), ranked exactly among themselves.
# Counting costs time in proportion to COUNT_LIMIT for a common word (PostgresBackend):
# a search whose words are in a few percent of the statements walks 40 rows per match it
# keeps ("protect children" at 100,000 statements: 29 ms of its query at 1,000, 19 at 500).
# 500 best matches are 25 pages; the page says to add a word or choose a filter.
COUNT_LIMIT = 500
BEST_LIMIT = 500


@dataclass
class Counts:
    """Matches per organization id, kind and theme id (each without its own filter).

    `capped` names what was not counted in full because more than COUNT_LIMIT statements
    matched: "total" (then `total` is COUNT_LIMIT + 1 and the pages list `listed` of the best
    matches), or a facet ("organizations", "kinds", "themes"), which then counts only the
    BEST_LIMIT best matches of its own population.
    """

    organizations: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    themes: Counter = field(default_factory=Counter)
    total: int = 0
    capped: frozenset = frozenset()
    listed: int | None = None

    def add(self, criteria, organization_id, kind, count):
        """Count one (organization, kind) group of statements that pass the theme filter."""
        org_ok = criteria.organization is None or organization_id == criteria.organization.pk
        kind_ok = criteria.kind is None or kind == criteria.kind
        if kind_ok:
            self.organizations[organization_id] += count
        if org_ok:
            self.kinds[kind] += count
        if org_ok and kind_ok:
            self.total += count

    @property
    def listable(self):
        """How many results the pages can list: every match, or the best when capped."""
        return self.listed if "total" in self.capped else self.total


def filtered(criteria, statements, *, without=None):
    """Statements narrowed by the criteria's filters, but those `without` names."""
    without = without or set()
    if criteria.organization and "organization" not in without:
        statements = statements.filter(document__organization_id=criteria.organization.pk)
    if criteria.kind and "kind" not in without:
        statements = statements.filter(kind=criteria.kind)
    if criteria.theme and "theme" not in without:
        tagged = TaggedStatement.objects.filter(tag=criteria.theme)
        statements = statements.filter(pk__in=tagged.values("content_object_id"))
    return statements


class SearchBackend:
    """The interface the search page uses; get_backend() returns one."""

    name = ""

    def counts_and_page(self, criteria, offset, limit):
        """The Counts, and the ids of the matches ranked offset+1 to offset+limit."""
        raise NotImplementedError

    def statements(self, ids, criteria):
        """The statements `ids` for display, in that order, with their marked text and title."""
        raise NotImplementedError

    def frequencies(self, criteria):
        """How many published statements match each concept (up to COUNT_LIMIT): one query."""
        raise NotImplementedError

    def similar_words(self, words, limit):
        """{word: up to `limit` words of the statements that look like it, closest first}."""
        raise NotImplementedError

    def word_matches_among(self, criteria, ids):
        """Those of `ids` that the query's words match (the concepts as criteria.match
        says), whatever the filters: one query."""
        raise NotImplementedError


def tie_weight(weights):
    """What the tie-breakers (words as typed, tagged with the theme, word rank; each from 0
    to 1) may add together: below the smallest weight, so that they never outweigh one more
    concept matched."""
    return min([w for w in weights if w] or [1.0]) / 2


# A concept naming a theme says what the person is after more than a word does.
THEME_BOOST = 3.0


def weights(frequencies, concepts):
    """What matching each concept is worth: rarer concepts more, themes more, none for a
    concept that matches nothing. A statement matching every concept scores highest."""
    return tuple(
        (THEME_BOOST if concept.theme_ids else 1.0) / log2(2 + n) if n else 0.0
        for n, concept in zip(frequencies, concepts, strict=True)
    )


# pg_trgm's default similarity threshold, so that both backends suggest alike.
TRIGRAM_THRESHOLD = 0.3


def trigrams(word):
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def trigram_similarity(first, second):
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b)


class StatementQueryBackend(SearchBackend):
    """Shared ORM implementation for SQLite: querysets of matching statements."""

    def matching(self, criteria):
        """Published statements (or index rows) that match the query, before any filter."""
        raise NotImplementedError

    def entries(self, criteria, *, without=None, entries=None):
        """The matches (or `entries`) narrowed by every filter but those `without` names."""
        entries = self.matching(criteria) if entries is None else entries
        return filtered(criteria, entries, without=without)

    def word_matches_among(self, criteria, ids):
        return set(self.matching(criteria).filter(pk__in=ids).values_list("pk", flat=True))

    def counts(self, criteria):
        """Two queries: (organization, kind) groups, then theme counts."""
        counts = Counts()
        groups = (
            self.entries(criteria, without={"organization", "kind"})
            .values_list("document__organization_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for organization_id, kind, count in groups:
            counts.add(criteria, organization_id, kind, count)
        if counts.total:
            statement_ids = self.entries(criteria, without={"theme"}).values("pk")
            themes = (
                TaggedStatement.objects.filter(content_object_id__in=statement_ids)
                .values_list("tag_id")
                .annotate(n=Count("pk"))
                .order_by()
            )
            counts.themes.update(dict(themes))
        return counts

    def ranked_ids(self, criteria):
        """The matching statements' ids, best first (a queryset to slice)."""
        raise NotImplementedError

    def similar_words(self, words, limit):
        # The vocabulary of the published statements, read when needed (SQLite serves one
        # person's collection; PostgreSQL keeps a table of words for this).
        rows = Statement.objects.in_force().values_list("title", "text")
        vocabulary = {
            word for row in rows for word in WORD.findall(" ".join(row).lower()) if len(word) > 2
        }
        found = {}
        for word in words:
            scored = sorted(
                (-score, other)
                for other in vocabulary - {word}
                if (score := trigram_similarity(word, other)) >= TRIGRAM_THRESHOLD
            )
            if scored:
                found[word] = [other for _, other in scored[:limit]]
        return found

    def counts_and_page(self, criteria, offset, limit):
        counts = self.counts(criteria)
        ids = []
        if counts.total > offset:
            ids = list(self.ranked_ids(criteria)[offset : offset + limit])
        return counts, ids


def lexeme(token):
    """A tsquery of one quoted lexeme: `token` taken literally, whatever it contains."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresBackend(SearchBackend):
    """English full-text search over search_entry: stemming, ranking, GIN index.

    Every read is bounded, so a word found in most statements costs about as much as a
    rarer one. A "population" is the matches passing some of the filters: the results pass
    all of them, each facet's counts all but its own. One query (search_sql) reads, per
    population, its first COUNT_LIMIT + 1 matches by `prior` (1 / log2(1 + words), the
    length factor that ts_rank applies, stored by the triggers and indexed):

    - a population with at most COUNT_LIMIT matches is counted exactly (by organization,
      kind, theme set and in all); a bigger one is "capped": its facets count its
      BEST_LIMIT first matches, the highest `prior`;
    - the page of results is ranked among the same rows (every match, or the best when
      capped) by ts_rank (one word) or ts_rank_cd (several: cover density rewards them
      standing close together), normalization 1 so that long statements do not win by
      sheer length, computed once per row and only for the rows whose other parts of the
      rank leave them a chance of reaching the page.

    Asking for the matches in `prior` order lets the planner choose by its estimate of
    their number: for a common word it walks the `prior` index and stops after COUNT_LIMIT
    + 1 matches (a GIN bitmap reads the word's whole posting list first: 100-150 ms for a
    word in most of 100,000 statements); for a rarer one it reads the GIN bitmap and sorts
    the few matches.

    SET LOCAL, sent with each query in one round trip, keeps the planner on the GIN index
    (under a LIMIT it would otherwise read the table in order, slow for a word in a few
    percent of statements) and off parallel workers. It lasts until the transaction ends:
    this one statement in autocommit, or an enclosing atomic block (whose later reads are
    by primary key).
    """

    name = "postgresql"

    PLANNER = "SET LOCAL enable_seqscan = off; SET LOCAL max_parallel_workers_per_gather = 0; "
    # The WHERE clause and rank of the matches are written per search by prepare().
    # Filters match tokens of the generated `facets` tsvector, which shares a GIN index
    # with `vector`: the index intersects the words and the filters (see search.schema).
    FILTERS = {
        "organizations": "facets @@ %(org_token)s::tsquery",
        "kinds": "facets @@ %(kind_token)s::tsquery",
        "themes": "facets @@ %(theme_token)s::tsquery",
    }
    # A grouping set per facet and () for the size: the columns not grouped are NULL.
    # The group columns of a row that is not a group (typed: UNION ALL cannot guess them)
    NO_GROUP = "NULL::bigint, NULL::text, NULL::bigint[]"

    def populations(self, criteria):
        """{filters: [what it counts]}: the results ("total") and each facet's population."""
        active = {
            name
            for name, value in (
                ("organizations", criteria.organization),
                ("kinds", criteria.kind),
                ("themes", criteria.theme),
            )
            if value
        }
        populations = {}
        for counted in ("total", "organizations", "kinds", "themes"):
            populations.setdefault(frozenset(active - {counted}), []).append(counted)
        return populations

    def where(self, filters):
        return " AND ".join([self.match, *(self.FILTERS[name] for name in sorted(filters))])

    @staticmethod
    def concept_sql(index, concept, themes_column):
        """SQL true when a row matches concept `index` (its words, or one of its themes)."""
        sql = f"vector @@ to_tsquery('english'::regconfig, %(c{index})s)"
        if concept.theme_ids:
            theme_match = (
                f"facets @@ %(ct{index})s::tsquery"
                if themes_column == "facets"
                else f"theme_ids && %(ci{index})s::bigint[]"
            )
            # the tag first: a few tokens to look at, where the words may be fifteen
            # alternatives with prefixes (PostgreSQL tests OR's arms in order; for a theme
            # many statements carry this halves a search's walk of the `prior` index)
            sql = f"({theme_match} OR {sql})"
        return sql

    def prepare(self, criteria):
        """The WHERE clause of the matches, the rank expression and their parameters."""
        concepts = criteria.terms
        params = {}
        for index, concept in enumerate(concepts):
            params[f"c{index}"] = concept.tsquery()
            params[f"ct{index}"] = " | ".join(lexeme(f"t{pk}") for pk in concept.theme_ids)
            params[f"ci{index}"] = list(concept.theme_ids)
        params["any"] = " | ".join(f"({concept.tsquery()})" for concept in concepts)
        joiner = " AND " if criteria.match == ALL else " OR "
        match = joiner.join(self.concept_sql(i, c, "facets") for i, c in enumerate(concepts))
        if criteria.query.excluded:
            params["excluded"] = " | ".join(lexeme(word) for word in criteria.query.excluded)
            match = f"({match}) AND NOT vector @@ to_tsquery('english'::regconfig, %(excluded)s)"
        if criteria.earlier:
            # "include earlier versions": superseded documents' rows too (their ids are few)
            params["earlier_ids"] = list(
                Document.objects.filter(status=DocumentStatus.SUPERSEDED).values_list(
                    "pk", flat=True
                )
            )
            self.match = f"(published OR document_id = ANY(%(earlier_ids)s)) AND ({match})"
        else:
            self.match = f"published AND ({match})"
        # The weights of the concepts a row matches.
        weights = criteria.concept_weights
        score = " + ".join(
            f"({self.concept_sql(i, c, 'theme_ids')})::int * {float(weights[i])!r}"
            for i, c in enumerate(concepts)
        )
        # Then, as tie-breakers (tie_weight): the words matched as typed rather than through
        # a theme's other words, the themes matched by tag, and how well the words match.
        typed = []
        words = [word for concept in concepts for word in concept.typed]
        for index, word in enumerate(words):
            params[f"w{index}"] = word.tsquery()
            typed.append(f"(vector @@ to_tsquery('english'::regconfig, %(w{index})s))::int")
        themed = [concept for concept in concepts if concept.theme_ids]
        tagged = []
        for index, concept in enumerate(themed):
            params[f"tt{index}"] = list(concept.theme_ids)
            tagged.append(f"(theme_ids && %(tt{index})s::bigint[])::int")
        function = "ts_rank_cd" if len(criteria.query.positive_terms) > 1 else "ts_rank"
        # the word rank, computed by search_sql as `word_rank` once per row that can still
        # reach the page: the rank is `cheap` (the concepts, the words as typed, the tags)
        # plus at most word_bound for the word rank
        self.word_rank = f"{function}(vector, to_tsquery('english'::regconfig, %(any)s), 1)"
        tie = tie_weight(weights)
        self.cheap_rank = (
            f"({score}) + {tie!r} * ("
            f"0.4 * ({' + '.join(typed)}) / {len(words)}.0 "
            f"+ 0.3 * ({' + '.join(tagged) or '0'}) / {max(1, len(themed))}.0)"
        )
        self.word_bound = 0.3 * tie
        self.rank = f"cheap + {self.word_bound!r} * word_rank / (1 + word_rank)"
        return params

    def search_sql(self, populations):
        """One query: per population, its first COUNT_LIMIT + 1 matches by `prior`; its size;
        its groups, over every match when it has at most COUNT_LIMIT, else over its BEST_LIMIT
        first (the capped facets' "counts of the best"); and, from the results' population,
        the page, ranked among the same rows. The page never needs a second read because
        BEST_LIMIT <= COUNT_LIMIT: the best of a capped population are among those rows."""
        ctes, parts = [], []
        for index, (filters, counted) in enumerate(populations.items()):
            results = "total" in counted
            vector = ", vector" if results else ""  # only the page ranks
            ctes.append(
                f"matches{index} AS MATERIALIZED (SELECT statement_id, organization_id, kind, "
                f"theme_ids{vector} FROM search_entry WHERE {self.where(filters)} "
                f"ORDER BY prior DESC, statement_id LIMIT %(count_limit)s)"
            )
            # the rows counted and ranked: all of them, or the best when there are too many
            # (LIMIT NULL is no limit; the CTE keeps the `prior` order)
            ctes.append(
                f"listed{index} AS (SELECT * FROM matches{index} LIMIT CASE WHEN "
                f"(SELECT count(*) FROM matches{index}) > %(count_cap)s "
                f"THEN %(best_limit)s END)"
            )
            parts.append(
                f"SELECT {index}, {self.NO_GROUP}, count(*), NULL::bigint, NULL::real "
                f"FROM matches{index}"
            )
            if set(counted) - {"total"}:  # a facet counts this population
                parts.append(
                    f"SELECT {index}, organization_id, kind, theme_ids, count(*), NULL::bigint, "
                    f"NULL::real FROM listed{index} "
                    f"GROUP BY GROUPING SETS ((organization_id), (kind), (theme_ids))"
                )
            if results:
                # The word rank (ts_rank_cd over every alternative of every concept: 100 ms
                # per 1,000 rows for a theme's fifteen words) only for the rows that can
                # still reach the page: those whose cheap rank plus the most the word rank
                # adds beats the cheap rank of the page's last place (the rest rank below
                # at least that many rows). The margin absorbs rounding.
                ctes.append(
                    f"cheap{index} AS MATERIALIZED (SELECT statement_id, vector, "
                    f"{self.cheap_rank} AS cheap FROM listed{index})"
                )
                parts.append(
                    f"(SELECT NULL::int, {self.NO_GROUP}, NULL::bigint, statement_id, rank FROM ("
                    f"SELECT statement_id, {self.rank} AS rank FROM (SELECT statement_id, "
                    f"cheap, {self.word_rank} AS word_rank FROM cheap{index} WHERE cheap > "
                    f"(SELECT cheap FROM cheap{index} ORDER BY cheap DESC LIMIT 1 "
                    f"OFFSET %(last_place)s) - {self.word_bound!r} - 1e-9 "
                    f"OR (SELECT count(*) FROM cheap{index}) <= %(last_place)s "
                    # OFFSET 0 keeps this subquery whole: flattened, word_rank would be
                    # computed twice per row
                    "OFFSET 0) AS scored) AS ranked "
                    "ORDER BY rank DESC, statement_id LIMIT %(limit)s OFFSET %(offset)s)"
                )
        return self.PLANNER + f"WITH {', '.join(ctes)} " + " UNION ALL ".join(parts)

    def frequencies(self, criteria):
        params = self.prepare(replace(criteria, match=MOST))  # rows with any of them
        counts = ", ".join(
            f"count(*) FILTER (WHERE {self.concept_sql(i, c, 'facets')})"
            for i, c in enumerate(criteria.terms)
        )
        sql = (
            f"{self.PLANNER}SELECT {counts} FROM (SELECT vector, facets FROM search_entry "
            f"WHERE {self.match} LIMIT {COUNT_LIMIT}) AS matches"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchone())

    def word_matches_among(self, criteria, ids):
        params = {**self.prepare(criteria), "among": list(ids)}
        sql = (
            "SELECT statement_id FROM search_entry "
            f"WHERE statement_id = ANY(%(among)s) AND {self.match}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, words, limit):
        sql = (
            "SELECT typed, word FROM unnest(%s::text[]) AS typed, LATERAL ("
            "SELECT word FROM search_word WHERE word %% typed AND word <> typed "
            "ORDER BY similarity(word, typed) DESC, word LIMIT %s) AS close"
        )
        found = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(words), limit])
            for typed, word in cursor.fetchall():
                found.setdefault(typed, []).append(word)
        return found

    @staticmethod
    def collect(counts, counted, organization_id, kind, theme_ids, n):
        """One grouped row into the Counts of what its population counts."""
        if organization_id is not None:
            if "organizations" in counted:
                counts.organizations[organization_id] = n
        elif kind is not None:
            if "kinds" in counted:
                counts.kinds[kind] = n
        elif theme_ids is not None and "themes" in counted:
            for theme_id in theme_ids:
                counts.themes[theme_id] += n

    def counts_and_page(self, criteria, offset, limit):
        """One query (search_sql); see the class docstring."""
        populations = self.populations(criteria)
        params = {
            **self.prepare(criteria),
            "limit": limit,
            "offset": offset,
            "last_place": offset + limit - 1,
            "org_token": lexeme(f"o{criteria.organization.pk}") if criteria.organization else None,
            "kind_token": lexeme(f"k{criteria.kind}") if criteria.kind else None,
            "theme_token": lexeme(f"t{criteria.theme.pk}") if criteria.theme else None,
            "count_limit": COUNT_LIMIT + 1,
            "count_cap": COUNT_LIMIT,
            "best_limit": BEST_LIMIT,
        }
        counted_by = list(populations.values())
        with connection.cursor() as cursor:
            cursor.execute(self.search_sql(populations), params)
            rows = cursor.fetchall()
        counts, sizes, page = Counts(), {}, []
        for index, organization_id, kind, theme_ids, n, statement_id, score in rows:
            if statement_id is not None:
                page.append((-score, statement_id))
            elif organization_id is None and kind is None and theme_ids is None:
                sizes[index] = n  # the population's size
            else:
                self.collect(counts, counted_by[index], organization_id, kind, theme_ids, n)
        capped = {
            name
            for index, counted in enumerate(counted_by)
            if sizes.get(index, 0) > COUNT_LIMIT
            for name in counted
        }
        result_index = next(i for i, counted in enumerate(counted_by) if "total" in counted)
        counts.total = sizes.get(result_index, 0)
        counts.capped = frozenset(capped)
        counts.listed = BEST_LIMIT if "total" in capped else None
        ids = [statement_id for _, statement_id in sorted(page)]  # best first
        if counts.listable <= offset:
            ids = []
        return counts, ids

    def tsquery(self, criteria):
        """Every concept's words: what the page highlights."""
        text = " | ".join(f"({concept.tsquery()})" for concept in criteria.terms)
        return SearchQuery(text, search_type="raw", config="english")

    def statements(self, ids, criteria):
        query = self.tsquery(criteria)

        def headline(field):
            return SearchHeadline(
                field,
                query,
                config="english",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                highlight_all=True,
            )

        statements = statements_for_display(Statement.objects.filter(pk__in=ids)).annotate(
            marked_text=headline("text"),
            # most statements have no title: skip ts_headline for those
            marked_title=Case(
                When(title="", then=Value("")),
                default=headline("title"),
                output_field=TextField(),
            ),
        )
        return in_order(statements, ids)


class SqliteFtsBackend(StatementQueryBackend):
    """SQLite FTS5 (porter tokenizer), concept by concept; ranked by how many concepts a
    statement matches, then how many in the words typed, then by bm25 over all their words."""

    name = "sqlite-fts5"

    @staticmethod
    def fts_ids(expression):
        # The matching ids as a subquery that SQLite runs once: joined instead, with a
        # selective filter (kind) the planner may scan by that index and run a full-text
        # query per row.
        return RawSQL(  # noqa: S611 - constant SQL, the expression is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (expression,)
        )

    def concept_q(self, concept):
        condition = Q(pk__in=self.fts_ids(concept.fts5()))
        if concept.theme_ids:
            tagged = TaggedStatement.objects.filter(tag_id__in=concept.theme_ids)
            condition |= Q(pk__in=tagged.values("content_object_id"))
        return condition

    def matching(self, criteria):
        conditions = [self.concept_q(concept) for concept in criteria.terms]
        condition = conditions[0]
        for other in conditions[1:]:
            condition = condition & other if criteria.match == ALL else condition | other
        statements = criteria.statements().filter(condition)
        if criteria.query.excluded:
            excluded = " OR ".join(f'"{word}"' for word in criteria.query.excluded)
            statements = statements.exclude(pk__in=self.fts_ids(excluded))
        return statements

    def frequencies(self, criteria):
        counts = criteria.statements().aggregate(
            **{
                f"c{index}": Count("pk", filter=self.concept_q(concept))
                for index, concept in enumerate(criteria.terms)
            }
        )
        return [counts[f"c{index}"] for index in range(len(criteria.terms))]

    def ranked_ids(self, criteria):
        concepts = criteria.terms
        score = sum(
            (
                Case(When(self.concept_q(c), then=Value(w)), default=Value(0.0))
                for c, w in zip(concepts, criteria.concept_weights, strict=True)
            ),
            start=Value(0.0),
        )
        any_words = " OR ".join(concept.fts5() for concept in concepts)
        bm25 = RawSQL(  # noqa: S611 - constant SQL; bm25 is negative, lower is better
            f"SELECT coalesce(min(rank), 0) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = principles_statement.id",
            (any_words,),
        )
        typed = sum(
            (
                Case(When(Q(pk__in=self.fts_ids(w.fts5())), then=Value(1.0)), default=Value(0.0))
                for c in concepts
                for w in c.typed
            ),
            start=Value(0.0),
        )
        themed = [c for c in concepts if c.theme_ids]
        tagged = sum(
            (
                Case(
                    When(
                        pk__in=TaggedStatement.objects.filter(tag_id__in=c.theme_ids).values(
                            "content_object_id"
                        ),
                        then=Value(1.0),
                    ),
                    default=Value(0.0),
                )
                for c in themed
            ),
            start=Value(0.0),
        )
        # the same formula as PostgresBackend.prepare's, with bm25 for ts_rank
        words = sum(len(c.typed) for c in concepts)
        tie = tie_weight(criteria.concept_weights)
        rank = ExpressionWrapper(
            score
            + Value(tie)
            * (
                Value(0.4) * typed / Value(float(words))
                + Value(0.3) * tagged / Value(float(max(1, len(themed))))
                + Value(0.3) * (Value(0.0) - bm25) / (Value(1.0) - bm25)
            ),
            output_field=FloatField(),
        )
        return (
            self.entries(criteria)
            .annotate(rank=rank)
            .order_by("-rank", "pk")
            .values_list("pk", flat=True)
        )

    def statements(self, ids, criteria):
        stems = highlight_stems(criteria.terms)
        statements = in_order(statements_for_display(Statement.objects.filter(pk__in=ids)), ids)
        for statement in statements:
            statement.marked_text = mark_words(statement.text, stems, MARK_START, MARK_END)
            statement.marked_title = mark_words(statement.title, stems, MARK_START, MARK_END)
        return statements


def get_backend(using=None):
    vendor = (using or connection).vendor
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite" and sqlite_has_fts5():
        return SqliteFtsBackend()
    raise ImproperlyConfigured(NO_FTS5)
