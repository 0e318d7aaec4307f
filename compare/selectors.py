"""Reads behind /compare/ and "Similar elsewhere", each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef

from principles.markup import plain_text
from principles.models import Statement, StatementKind, TaggedStatement
from principles.selectors import statements_for_display

from .models import (
    FLOOR,
    SIMILAR_SCORE,
    PendingRefresh,
    Scored,
    SimilarityBand,
    StatementSimilarity,
)
from .text import word_diff

SIMILAR_ELSEWHERE_LIMIT = 5
# Five large organizations can share hundreds of pairs (a 2 MB page, 1.7 s to build): each
# list shows its strongest this many, with the count of all; a theme or kind narrows them.
PAIRS_SHOWN = 100
# The kinds that get their own row, in this order and with these titles, before the themes.
KIND_ROWS = {
    StatementKind.MISSION: "Mission",
    StatementKind.VISION: "Vision",
    StatementKind.VALUE: "Values",
}


def similar_elsewhere(statement, limit=SIMILAR_ELSEWHERE_LIMIT):
    """The statements of other organizations most like this one, best first: one query."""
    return list(
        StatementSimilarity.objects.published()
        .filter(statement=statement)
        .select_related("other__document__organization", "other__section")
        .order_by("-score", "other_id")[:limit]
    )


def similarity_pending(statement):
    """Whether the worker has yet to recompute this statement's matches: one query."""
    return PendingRefresh.objects.filter(statement_id=statement.pk).exists()


@dataclass
class Cell:
    organization: object
    statements: list = field(default_factory=list)


@dataclass
class Row:
    key: str
    title: str
    cells: list
    theme: object = None

    @property
    def organizations_covered(self):
        return sum(1 for cell in self.cells if cell.statements)


@dataclass
class Pair(Scored):
    first: object
    second: object
    score: float

    @cached_property
    def diff(self):
        """Word-level difference, computed only for the pairs a page shows."""
        return word_diff(
            plain_text(self.first.text),
            plain_text(self.second.text),
            self.first.document.organization.display_name,
            self.second.document.organization.display_name,
        )

    @property
    def sides(self):
        return (self.first, self.second)

    @property
    def anchor(self):
        return f"pair-{self.first.pk}-{self.second.pk}"


@dataclass
class Comparison:
    organizations: list
    rows: list
    missing_kinds: list
    pairs: list
    kinds: list
    themes: list

    @property
    def strong_pairs(self):
        return [pair for pair in self.pairs if pair.score >= SIMILAR_SCORE]

    @property
    def weak_pairs(self):
        return [pair for pair in self.pairs if pair.score < SIMILAR_SCORE]

    @property
    def strong_pairs_shown(self):
        return self.strong_pairs[:PAIRS_SHOWN]

    @property
    def weak_pairs_shown(self):
        return self.weak_pairs[:PAIRS_SHOWN]

    @property
    def pairs_shown(self):
        return PAIRS_SHOWN

    @property
    def nearly_same_count(self):
        return sum(1 for pair in self.pairs if pair.band == SimilarityBand.NEARLY_SAME)


def _statements(organizations, kinds, themes):
    statements = statements_for_display(
        # published(): comparisons are for readers; drafts stay on their own pages
        Statement.objects.published()
    )
    statements = statements.filter(document__organization__in=organizations)
    if kinds:
        statements = statements.filter(kind__in=kinds)
    if themes:
        statements = statements.filter(
            Exists(TaggedStatement.objects.filter(content_object=OuterRef("pk"), tag__in=themes))
        )
    return list(statements.order_by("document__position", "position"))


def _rows(organizations, statements, kinds, themes, missing_kinds):
    by_org = {organization.pk: organization for organization in organizations}

    def empty_cells():
        return {pk: Cell(organization=by_org[pk]) for pk in by_org}

    rows = []
    kind_cells = {kind: empty_cells() for kind in KIND_ROWS if not kinds or kind in kinds}
    theme_cells = defaultdict(empty_cells)
    theme_by_pk = {}
    untagged = empty_cells()
    chosen_themes = {theme.pk for theme in themes}
    for statement in statements:
        organization_id = statement.document.organization_id
        if statement.kind in kind_cells:
            kind_cells[statement.kind][organization_id].statements.append(statement)
            continue
        tags = [tag for tag in statement.themes if not themes or tag.pk in chosen_themes]
        for tag in tags:
            theme_by_pk[tag.pk] = tag
            theme_cells[tag.pk][organization_id].statements.append(statement)
        if not tags:
            untagged[organization_id].statements.append(statement)

    def ordered(cells):
        return [cells[organization.pk] for organization in organizations]

    for kind, cells in kind_cells.items():
        # a kind none of them states would be a row of blanks: the page names it instead
        if any(cell.statements for cell in cells.values()):
            rows.append(Row(key=f"kind-{kind}", title=KIND_ROWS[kind], cells=ordered(cells)))
        else:
            missing_kinds.append(StatementKind(kind).label.lower())
    theme_rows = [
        Row(key=f"theme-{theme.slug}", title=theme.name, cells=ordered(cells), theme=theme)
        for theme, cells in ((theme_by_pk[pk], cells) for pk, cells in theme_cells.items())
    ]
    # themes most organizations speak to come first: that is where comparing pays
    theme_rows.sort(key=lambda row: (-row.organizations_covered, row.title.lower()))
    rows.extend(theme_rows)
    if not themes and any(cell.statements for cell in untagged.values()):
        rows.append(Row(key="untagged", title="Without a theme", cells=ordered(untagged)))
    return rows


def _pairs(organizations, kinds, themes, statements):
    """Pairs of statements of two different chosen organizations, strongest first: one query
    of ids and scores (five large organizations share hundreds of pairs, stored both ways).

    The statements come from those the page already loaded; only with a theme filter can a
    pair's other statement lack the theme, and those are read in one more query.
    Each pair is shown once, its first statement from the organization chosen first.
    """
    rows = StatementSimilarity.objects.published().filter(
        statement__document__organization__in=organizations,
        other__document__organization__in=organizations,
        score__gte=FLOOR,
    )
    if kinds:
        rows = rows.filter(statement__kind__in=kinds, other__kind__in=kinds)
    if themes:
        tagged = TaggedStatement.objects.filter(tag__in=themes)
        rows = rows.filter(
            Exists(tagged.filter(content_object=OuterRef("statement_id")))
            | Exists(tagged.filter(content_object=OuterRef("other_id")))
        )
    rows = list(
        rows.order_by("-score", "statement_id", "other_id").values_list(
            "statement_id", "other_id", "score"
        )
    )
    by_id = {statement.pk: statement for statement in statements}
    missing = {pk for row in rows for pk in row[:2]} - by_id.keys()
    if missing:
        by_id.update(
            (statement.pk, statement)
            for statement in Statement.objects.filter(pk__in=missing).select_related(
                "document__organization", "section"
            )
        )
    position = {organization.pk: n for n, organization in enumerate(organizations)}
    pairs, seen = [], set()
    for statement_id, other_id, score in rows:
        key = frozenset((statement_id, other_id))
        if key in seen:
            continue
        seen.add(key)
        first, second = by_id[statement_id], by_id[other_id]
        if position[first.document.organization_id] > position[second.document.organization_id]:
            first, second = second, first
        pairs.append(Pair(first=first, second=second, score=score))
    return pairs


def comparison(organizations, kinds=(), themes=()):
    """Everything /compare/ shows for a valid choice: four queries whatever the data's size."""
    statements = _statements(organizations, kinds, themes)
    missing_kinds = []
    return Comparison(
        organizations=list(organizations),
        rows=_rows(organizations, statements, kinds, themes, missing_kinds),
        missing_kinds=missing_kinds,
        pairs=_pairs(organizations, kinds, themes, statements),
        kinds=list(kinds),
        themes=list(themes),
    )
