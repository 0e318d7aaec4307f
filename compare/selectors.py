"""Reads behind /compare/ and "Similar elsewhere", each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef

from principles.models import Statement, StatementKind, TaggedStatement
from principles.selectors import statements_for_display
from principles.templatetags.practicekb import plain_text

from .models import FLOOR, SIMILAR_SCORE, Scored, SimilarityBand, StatementSimilarity
from .similarity import word_diff

SIMILAR_ELSEWHERE_LIMIT = 5
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
    diff: str

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
        tags = [tag for tag in statement.tags.all() if not themes or tag.pk in chosen_themes]
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


def _pairs(organizations, kinds, themes):
    """Pairs of statements of two different chosen organizations, strongest first: one query.

    Each pair is stored in one or both directions; it is shown once, its first statement
    from the organization chosen first.
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
    rows = rows.select_related(
        "statement__document__organization",
        "statement__section",
        "other__document__organization",
        "other__section",
    ).order_by("-score", "statement_id", "other_id")
    position = {organization.pk: n for n, organization in enumerate(organizations)}
    pairs, seen = [], set()
    for row in rows:
        key = frozenset((row.statement_id, row.other_id))
        if key in seen:
            continue
        seen.add(key)
        first, second = row.statement, row.other
        if position[first.document.organization_id] > position[second.document.organization_id]:
            first, second = second, first
        diff = word_diff(
            plain_text(first.text),
            plain_text(second.text),
            first.document.organization.display_name,
            second.document.organization.display_name,
        )
        pairs.append(Pair(first=first, second=second, score=row.score, diff=diff))
    return pairs


def comparison(organizations, kinds=(), themes=()):
    """Everything /compare/ shows for a valid choice: four queries whatever the data's size."""
    statements = _statements(organizations, kinds, themes)
    missing_kinds = []
    return Comparison(
        organizations=list(organizations),
        rows=_rows(organizations, statements, kinds, themes, missing_kinds),
        missing_kinds=missing_kinds,
        pairs=_pairs(organizations, kinds, themes),
        kinds=list(kinds),
        themes=list(themes),
    )
