"""Reads behind /compare/ and "Similar elsewhere", each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Q

from principles.markup import plain_text
from principles.models import Statement, StatementKind, TaggedStatement
from principles.selectors import statements_for_display

from .models import (
    FLOOR,
    SIMILAR_SCORE,
    CrosswalkLink,
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


# Review queue: the strongest unreviewed suggestions of each organization pair.
QUEUE_PER_PAIR = 10
QUEUE_SCAN = 5000  # the strongest this many suggestions are read to fill the queue


def _linked(verdict=None):
    """Exists: a link (of this verdict) on the similarity row's pair, either way round."""
    links = CrosswalkLink.objects.filter(
        Q(first_id=OuterRef("statement_id"), second_id=OuterRef("other_id"))
        | Q(first_id=OuterRef("other_id"), second_id=OuterRef("statement_id"))
    )
    return Exists(links if verdict is None else links.filter(verdict=verdict))


def suggestions():
    """Automatic similarity rows readers may see, less the pairs an editor rejected."""
    return StatementSimilarity.objects.published().exclude(_linked("rejected"))


@dataclass
class Match(Scored):
    """One entry of "Similar elsewhere": an automatic match, or a confirmed link (first)."""

    other: object
    score: float = 0.0
    link: object = None


def confirmed_links(statement_ids):
    """Confirmed links readers may see that involve these statements: one query."""
    return list(
        CrosswalkLink.objects.confirmed()
        .published()
        .involving(statement_ids)
        .select_related(
            "first__document__organization",
            "first__section",
            "second__document__organization",
            "second__section",
        )
    )


def similar_elsewhere(statement, limit=SIMILAR_ELSEWHERE_LIMIT):
    """Confirmed links first (with their note), then the statements of other organizations
    most like this one, best first, never a rejected pair: two queries."""
    links = confirmed_links([statement.pk])
    linked = {
        link.first_id if link.second_id == statement.pk else link.second_id: link for link in links
    }
    rows = (
        suggestions()
        .filter(statement=statement)
        .select_related("other__document__organization", "other__section")
        .order_by("-score", "other_id")[: limit + len(linked)]
    )
    scores = {}
    automatic = []
    for row in rows:
        if row.other_id in linked:
            scores[row.other_id] = row.score
        elif len(automatic) < limit:
            automatic.append(Match(other=row.other, score=row.score))
    confirmed = [
        Match(
            other=link.first if link.second_id == statement.pk else link.second,
            score=scores.get(other_id, 0.0),
            link=link,
        )
        for other_id, link in linked.items()
    ]
    confirmed.sort(key=lambda match: (-match.score, match.other.pk))
    return confirmed + automatic


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
    link: object = None

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
        """Confirmed links first, then suggestions at SIMILAR_SCORE or more."""
        return [pair for pair in self.pairs if pair.link or pair.score >= SIMILAR_SCORE]

    @property
    def weak_pairs(self):
        return [pair for pair in self.pairs if not pair.link and pair.score < SIMILAR_SCORE]

    @property
    def confirmed_count(self):
        return sum(1 for pair in self.pairs if pair.link)

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


def _pairs(organizations, kinds, themes, statements):
    """Pairs of statements of two different chosen organizations, strongest first: one query
    of ids and scores (five large organizations share hundreds of pairs, stored both ways).

    The statements come from those the page already loaded; only with a theme filter can a
    pair's other statement lack the theme, and those are read in one more query.
    Each pair is shown once, its first statement from the organization chosen first.
    """
    rows = suggestions().filter(
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
    links = _links_between(organizations, by_id)
    link_of = {frozenset((link.first_id, link.second_id)): link for link in links}
    for link in links:
        by_id.setdefault(link.first_id, link.first)
        by_id.setdefault(link.second_id, link.second)
    missing = {pk for row in rows for pk in row[:2]} - by_id.keys()
    if missing:
        by_id.update(
            (statement.pk, statement)
            for statement in Statement.objects.filter(pk__in=missing).select_related(
                "document__organization", "section"
            )
        )
    position = {organization.pk: n for n, organization in enumerate(organizations)}

    def pair(statement_id, other_id, score, link=None):
        first, second = by_id[statement_id], by_id[other_id]
        if position[first.document.organization_id] > position[second.document.organization_id]:
            first, second = second, first
        return Pair(first=first, second=second, score=score, link=link)

    scores = {}
    for statement_id, other_id, score in rows:
        scores.setdefault(frozenset((statement_id, other_id)), score)
    confirmed = [
        pair(link.first_id, link.second_id, scores.get(key, 0.0), link)
        for key, link in link_of.items()
    ]
    confirmed.sort(key=lambda each: (-each.score, each.first.pk, each.second.pk))
    pairs, seen = [], set(link_of)
    for statement_id, other_id, score in rows:
        key = frozenset((statement_id, other_id))
        if key in seen:
            continue
        seen.add(key)
        pairs.append(pair(statement_id, other_id, score))
    return confirmed + pairs


def _links_between(organizations, shown):
    """Confirmed links (readers may see) between two of these organizations, at least one of
    whose statements the page shows (the kind and theme filters apply to links too)."""
    links = (
        CrosswalkLink.objects.confirmed()
        .published()
        .filter(
            first__document__organization__in=organizations,
            second__document__organization__in=organizations,
        )
        .exclude(first__document__organization=F("second__document__organization"))
        .select_related(
            "first__document__organization",
            "first__section",
            "second__document__organization",
            "second__section",
        )
    )
    return [link for link in links if link.first_id in shown or link.second_id in shown]


def comparison(organizations, kinds=(), themes=()):
    """Everything /compare/ shows for a valid choice: five queries whatever the data's size."""
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


# The review queue and the collection's crosswalk -------------------------------------------


def _org_pair(first, second):
    a, b = first.document.organization, second.document.organization
    return (a, b) if (a.display_name, a.pk) <= (b.display_name, b.pk) else (b, a)


@dataclass
class QueuePair:
    organizations: tuple
    pairs: list


def review_queue(per_pair=QUEUE_PER_PAIR):
    """Per organization pair, its strongest suggestions no editor has confirmed or rejected
    yet (each pair once): one query over the strongest QUEUE_SCAN suggestions."""
    rows = (
        StatementSimilarity.objects.published()
        .filter(statement_id__lt=F("other_id"))
        .exclude(_linked())
        .select_related(
            "statement__document__organization",
            "statement__section",
            "other__document__organization",
            "other__section",
        )
        .order_by("-score", "statement_id", "other_id")[:QUEUE_SCAN]
    )
    groups = defaultdict(list)
    for row in rows:
        organizations = _org_pair(row.statement, row.other)
        if len(groups[organizations]) < per_pair:
            first, second = row.statement, row.other
            if first.document.organization != organizations[0]:
                first, second = second, first
            groups[organizations].append(Pair(first=first, second=second, score=row.score))
    queue = [QueuePair(organizations, pairs) for organizations, pairs in groups.items()]
    queue.sort(
        key=lambda group: (-group.pairs[0].score, [o.display_name for o in group.organizations])
    )
    return queue


@dataclass
class OrganizationPair:
    first: object
    second: object
    confirmed: int = 0
    suggested: int = 0

    @property
    def query(self):
        return f"org={self.first.slug}&org={self.second.slug}"


def collection_crosswalk():
    """Every pair of organizations with readable statements: how many confirmed links and
    how many suggestions ("Similar" and above, not reviewed) they share. Three queries."""
    from organizations.models import Organization

    organizations = list(
        Organization.objects.filter(
            Exists(Statement.objects.published().filter(document__organization=OuterRef("pk")))
        )
    )
    organizations.sort(key=lambda organization: organization.display_name.lower())
    pairs = {}
    for n, first in enumerate(organizations):
        for second in organizations[n + 1 :]:
            pairs[frozenset((first.pk, second.pk))] = OrganizationPair(first, second)
    links = CrosswalkLink.objects.confirmed().published()
    rows = StatementSimilarity.objects.published().filter(
        statement_id__lt=F("other_id"), score__gte=SIMILAR_SCORE
    )
    for counted, queryset, sides in (
        ("confirmed", links, ("first", "second")),
        ("suggested", rows.exclude(_linked()), ("statement", "other")),
    ):
        fields = [f"{side}__document__organization" for side in sides]
        for row in queryset.values(*fields).annotate(count=Count("pk")).order_by():
            pair = pairs.get(frozenset(row[field] for field in fields))
            if pair is not None:
                setattr(pair, counted, getattr(pair, counted) + row["count"])
    return list(pairs.values())


def crosswalk_rows():
    """Every pair of the crosswalk, statement level, for the CSV export: confirmed links,
    then suggestions from the "Related" floor up, never a rejected pair. Streams."""
    links = confirmed_links_all()
    linked = {frozenset((link.first_id, link.second_id)) for link in links}
    for link in links:
        yield link.first, link.second, None, link
    rows = (
        suggestions()
        .filter(statement_id__lt=F("other_id"))
        .select_related("statement__document__organization", "other__document__organization")
        .order_by("-score", "statement_id", "other_id")
    )
    for row in rows.iterator(chunk_size=2000):
        if frozenset((row.statement_id, row.other_id)) not in linked:
            yield row.statement, row.other, row.score, None


def confirmed_links_all():
    return list(
        CrosswalkLink.objects.confirmed()
        .published()
        .select_related("first__document__organization", "second__document__organization")
        .order_by("first_id", "second_id")
    )
