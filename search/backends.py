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

get_backend() picks one by connection.vendor: PostgreSQL full-text search, SQLite FTS5, or
LIKE where SQLite was built without FTS5.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import Case, Count, Q, TextField, Value, When
from django.db.models.expressions import RawSQL

from organizations.models import Organization
from principles.models import DocumentStatus, Statement, StatementKind, TaggedStatement, Theme
from principles.selectors import statements_for_display

from .query import ParsedQuery
from .schema import FTS_TABLE, sqlite_has_fts5

# Private-use characters: the database wraps matches in these, search.highlight turns them
# into <mark> after escaping everything else. They do not occur in the sources.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class Criteria:
    query: ParsedQuery
    organization: Organization | None = None
    kind: str | None = None
    theme: Theme | None = None

    @property
    def kind_label(self):
        return StatementKind(self.kind).label if self.kind else ""


def in_order(statements, ids):
    """Statements in the order of `ids` (the ranking), whatever order the query returned."""
    by_id = {statement.pk: statement for statement in statements}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class Counts:
    """Matches per organization id, kind and theme id (each without its own filter)."""

    organizations: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    themes: Counter = field(default_factory=Counter)
    total: int = 0

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


class SearchBackend:
    """The interface the search page uses; get_backend() returns one."""

    name = ""

    def counts_and_page(self, criteria, offset, limit):
        """The Counts, and the ids of the matches ranked offset+1 to offset+limit."""
        raise NotImplementedError

    def statements(self, ids, criteria):
        """The statements `ids` for display, in that order, with their marked text and title."""
        raise NotImplementedError


class StatementQueryBackend(SearchBackend):
    """Shared ORM implementation for SQLite: querysets of matching statements."""

    def matching(self, criteria):
        """Published statements (or index rows) that match the query, before any filter."""
        raise NotImplementedError

    def entries(self, criteria, *, without=None, entries=None):
        """The matches (or `entries`) narrowed by every filter but those `without` names."""
        entries = self.matching(criteria) if entries is None else entries
        without = without or set()
        if criteria.organization and "organization" not in without:
            entries = entries.filter(document__organization_id=criteria.organization.pk)
        if criteria.kind and "kind" not in without:
            entries = entries.filter(kind=criteria.kind)
        if criteria.theme and "theme" not in without:
            tagged = TaggedStatement.objects.filter(tag=criteria.theme)
            entries = entries.filter(pk__in=tagged.values("content_object_id"))
        return entries

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

    def counts_and_page(self, criteria, offset, limit):
        counts = self.counts(criteria)
        ids = []
        if counts.total > offset:
            ids = list(self.ranked_ids(criteria)[offset : offset + limit])
        return counts, ids


class PostgresBackend(SearchBackend):
    """English full-text search over search_entry: stemming, ranking, GIN index."""

    name = "postgresql"

    # Every facet and the total in one pass over the matching rows (through the GIN index,
    # or a scan when most rows match): one grouping set counts (organization, kind) among
    # rows passing the theme filter, the other (kind, theme_ids) among rows passing the
    # organization filter, and Python applies the remaining filter to each (disjunctive
    # facets) and spreads theme_ids over themes.
    COUNTS_SQL = """
        SELECT GROUPING(organization_id) AS by_theme, organization_id, kind, theme_ids,
               count(*)
        FROM (
            SELECT organization_id, kind, theme_ids,
                   (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint) AS org_ok,
                   (%(theme)s::bigint IS NULL OR theme_ids @> ARRAY[%(theme)s::bigint])
                       AS theme_ok
            FROM search_entry
            WHERE published AND vector @@ websearch_to_tsquery('english'::regconfig, %(query)s)
        ) AS matches
        GROUP BY GROUPING SETS ((organization_id, kind, theme_ok), (kind, org_ok, theme_ids))
        HAVING (GROUPING(organization_id) = 0 AND theme_ok)
            OR (GROUPING(organization_id) = 1 AND org_ok)
    """
    # One page of matches passing every filter, best first. With several words, cover
    # density rewards them standing close together ("kinship care"); one word is ranked by
    # plain ts_rank, at half the cost. Normalization 1 keeps long statements from winning by
    # sheer length.
    PAGE_SQL = """
        SELECT statement_id
        FROM search_entry, websearch_to_tsquery('english'::regconfig, %(query)s) AS query
        WHERE published AND vector @@ query
          AND (%(org)s::bigint IS NULL OR organization_id = %(org)s::bigint)
          AND (%(kind)s::text IS NULL OR kind = %(kind)s::text)
          AND (%(theme)s::bigint IS NULL OR theme_ids @> ARRAY[%(theme)s::bigint])
        ORDER BY {rank}(vector, query, 1) DESC, statement_id
        LIMIT %(limit)s OFFSET %(offset)s
    """

    def tsquery(self, criteria):
        return SearchQuery(criteria.query.websearch(), search_type="websearch", config="english")

    def counts_and_page(self, criteria, offset, limit):
        """Two queries on search_entry: the counts (COUNTS_SQL), then the page (PAGE_SQL)."""
        params = {
            "org": criteria.organization.pk if criteria.organization else None,
            "kind": criteria.kind,
            "theme": criteria.theme.pk if criteria.theme else None,
            "query": criteria.query.websearch(),
            "limit": limit,
            "offset": offset,
        }
        counts, theme_rows, ids = Counts(), [], []
        with connection.cursor() as cursor:
            cursor.execute(self.COUNTS_SQL, params)
            for by_theme, organization_id, kind, theme_ids, n in cursor.fetchall():
                if by_theme:
                    theme_rows.append((kind, theme_ids, n))
                else:
                    counts.add(criteria, organization_id, kind, n)
            if counts.total > offset:
                several = len(criteria.query.positive_terms) > 1
                rank = "ts_rank_cd" if several else "ts_rank"
                cursor.execute(self.PAGE_SQL.format(rank=rank), params)
                ids = [statement_id for (statement_id,) in cursor.fetchall()]
        for kind, theme_ids, n in theme_rows:
            if criteria.kind is None or kind == criteria.kind:
                for theme_id in theme_ids:
                    counts.themes[theme_id] += n
        return counts, ids

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
    """SQLite FTS5 with the porter stemmer, ranked by bm25."""

    name = "sqlite-fts5"

    def matching(self, criteria):
        # For counting, the matching ids as a subquery that SQLite runs once: joined instead,
        # with a selective filter (kind) the planner may scan by that index and run a
        # full-text query per row.
        ids = RawSQL(  # noqa: S611 - constant SQL, the query string is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            (criteria.query.fts5(),),
        )
        return Statement.objects.filter(document__status=DocumentStatus.PUBLISHED, pk__in=ids)

    def ranked_ids(self, criteria):
        # bm25 (the hidden rank column) needs the FTS table joined and driving the query.
        joined = Statement.objects.filter(
            document__status=DocumentStatus.PUBLISHED, fts__index__match=criteria.query.fts5()
        )
        entries = self.entries(criteria, entries=joined)
        return entries.order_by("fts__rank", "pk").values_list("pk", flat=True)

    def statements(self, ids, criteria):
        # highlight() needs the FTS table in the query's FROM under its own name, which the
        # join through `fts` gives it (Django aliases a table's first join by its name).
        statements = statements_for_display(
            Statement.objects.filter(pk__in=ids, fts__index__match=criteria.query.fts5())
        ).annotate(
            marked_title=RawSQL(  # noqa: S611 - constant SQL
                f"highlight({FTS_TABLE}, 0, %s, %s)", (MARK_START, MARK_END)
            ),
            marked_text=RawSQL(  # noqa: S611 - constant SQL
                f"highlight({FTS_TABLE}, 1, %s, %s)", (MARK_START, MARK_END)
            ),
        )
        return in_order(statements, ids)


class SqliteLikeBackend(StatementQueryBackend):
    """SQLite without FTS5: every word (or phrase) as a case-insensitive substring."""

    name = "sqlite-like"

    def matching(self, criteria):
        query = criteria.query
        statements = Statement.objects.filter(document__status=DocumentStatus.PUBLISHED)
        for term in [*query.words, *(" ".join(phrase) for phrase in query.phrases)]:
            statements = statements.filter(Q(text__icontains=term) | Q(title__icontains=term))
        for word in query.excluded:
            statements = statements.exclude(Q(text__icontains=word) | Q(title__icontains=word))
        return statements

    def ranked_ids(self, criteria):
        return (
            self.entries(criteria)
            .order_by("document__organization__name", "document__position", "position")
            .values_list("pk", flat=True)
        )

    def statements(self, ids, criteria):
        query = criteria.query
        terms = sorted(
            [*query.words, *(" ".join(phrase) for phrase in query.phrases)], key=len, reverse=True
        )
        pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)

        def mark(text):
            return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text)

        statements = in_order(statements_for_display(Statement.objects.filter(pk__in=ids)), ids)
        for statement in statements:
            statement.marked_text = mark(statement.text)
            statement.marked_title = mark(statement.title)
        return statements


def get_backend(using=None):
    vendor = (using or connection).vendor
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite" and sqlite_has_fts5():
        return SqliteFtsBackend()
    return SqliteLikeBackend()
