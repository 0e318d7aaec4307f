"""Reads behind /compare/ and "Similar elsewhere", each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import zip_longest

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse

from organizations.models import Organization
from principles.markup import plain_text
from principles.models import DocumentStatus, Statement, StatementKind, TaggedStatement
from principles.selectors import statements_for_display

from .forms import MAX_ORGANIZATIONS
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
# ...of which this many are open on the page; the rest are a click away (the page stays short).
PAIRS_FIRST = 10
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


def organizations_to_compare_with(organization):
    """(slug, name) of every other organization, by name, for "Compare with ...": one query
    (pairs, not instances: at 500 organizations, 500 model instances cost more than the
    rest of the query)."""
    return list(
        Organization.objects.exclude(pk=organization.pk)
        .order_by("name")
        .values_list("slug", "name")
    )


def organizations_on_theme(theme, most=MAX_ORGANIZATIONS):
    """The organizations with most published statements on the theme (at most `most`, the
    most /compare/ takes), most first: one query. Fewer than two cannot be compared."""
    return list(
        Organization.objects.filter(
            documents__status=DocumentStatus.PUBLISHED,
            documents__statements__tagged_items__tag=theme,
        )
        .annotate(on_theme=Count("documents__statements", distinct=True))
        .order_by("-on_theme", "name")
        .only("pk", "name", "short_name", "slug")[:most]
    )


@dataclass
class Cell:
    organization: object
    statements: list


@dataclass
class Line(Scored):
    """One line of a row: at most one statement per organization, in the chosen order.

    A matched line holds statements the crosswalk pairs (`score` is its strongest pair);
    the row's other statements follow in plain lines, each column in its own order."""

    slots: list
    score: float = 0.0
    confirmed: bool = False

    @property
    def matched(self):
        return self.confirmed or self.score > 0


@dataclass
class Row:
    """A theme (or a kind: mission, vision, values) across the chosen organizations.

    `statements[i]` are those of the i-th organization placed here: each statement appears in
    one row only, its primary theme's. `overview[i]` is what the overview counts for that
    organization: every statement with this theme (or of this kind), wherever it is placed."""

    key: str
    title: str
    statements: list
    overview: list
    theme: object = None
    kind: str = ""
    lines: list = field(default_factory=list)
    organizations: list = field(default_factory=list)

    @property
    def cells(self):
        """Per organization, the statements placed in this row (the comparison sheet's view)."""
        return [
            Cell(o, statements)
            for o, statements in zip(self.organizations, self.statements, strict=True)
        ]

    @property
    def organizations_covered(self):
        return sum(1 for count in self.overview if count)

    @property
    def counts(self):
        return [len(statements) for statements in self.statements]

    @property
    def size(self):
        return sum(self.counts)

    @property
    def matched_lines(self):
        return sum(1 for line in self.lines if line.matched)


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
    def detail_rows(self):
        return [row for row in self.rows if row.size]

    @property
    def strong_pairs(self):
        """Confirmed links first, then suggestions at SIMILAR_SCORE or more."""
        return _strong(self.pairs)

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
    def strong_pairs_first(self):
        """The strongest few, open on the page; the others wait behind a disclosure."""
        return self.strong_pairs_shown[:PAIRS_FIRST]

    @property
    def strong_pairs_later(self):
        return self.strong_pairs_shown[PAIRS_FIRST:]

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
    statements = list(statements.order_by("document__position", "position"))
    # one reverse() for the page, not one per statement: the address differs only by its id
    marker = 987654321
    prefix, suffix = reverse("principles:statement", kwargs={"pk": marker}).split(str(marker))
    for statement in statements:
        statement.permalink = f"{prefix}{statement.pk}{suffix}"
    return statements


def _rows(organizations, statements, kinds, themes, missing_kinds, partners):
    """Mission, vision and values rows, then one row per theme (those most of the chosen
    organizations speak to first), then "Without a theme". A statement with several themes
    is placed once, under its primary theme: the one it shares with its strongest crosswalk
    partner (`partners`: statement id to the statements it pairs with at SIMILAR_SCORE or
    more, strongest first), else its most specific (fewest statements). Its other themes are
    kept as `statement.other_themes` for the page to name. A theme whose statements all sit
    under other themes keeps its line in the overview and has no row of its own."""
    column = {organization.pk: n for n, organization in enumerate(organizations)}
    width = len(organizations)
    chosen_themes = {theme.pk for theme in themes}
    kind_rows = {
        kind: Row(
            key=f"kind-{kind}",
            title=title,
            kind=kind,
            statements=[[] for _ in range(width)],
            overview=[0] * width,
        )
        for kind, title in KIND_ROWS.items()
        if not kinds or kind in kinds
    }
    theme_rows = {}
    untagged = Row(
        key="untagged",
        title="Without a theme",
        statements=[[] for _ in range(width)],
        overview=[0] * width,
    )
    themed = []
    for statement in statements:
        n = column[statement.document.organization_id]
        statement.other_themes = ()
        if statement.kind in kind_rows:
            row = kind_rows[statement.kind]
            row.statements[n].append(statement)
            row.overview[n] += 1
            continue
        tags = [tag for tag in statement.themes if not themes or tag.pk in chosen_themes]
        for tag in tags:
            if tag.pk not in theme_rows:
                theme_rows[tag.pk] = Row(
                    key=f"theme-{tag.slug}",
                    title=tag.name,
                    theme=tag,
                    statements=[[] for _ in range(width)],
                    overview=[0] * width,
                )
            theme_rows[tag.pk].overview[n] += 1
        if tags:
            themed.append((statement, n, tags))
        else:
            untagged.statements[n].append(statement)
            untagged.overview[n] += 1

    rows = []
    for kind, row in kind_rows.items():
        # a kind none of them states would be a row of blanks: the page names it instead
        if row.size:
            rows.append(row)
        else:
            missing_kinds.append(StatementKind(kind).label.lower())
    # themes most organizations speak to come first: that is where comparing pays
    ordered = sorted(
        theme_rows.values(), key=lambda row: (-row.organizations_covered, row.title.lower())
    )
    rank = {row.theme.pk: n for n, row in enumerate(ordered)}

    def specific(tag):
        # the theme with fewest statements says most about it: Kinship before Family engagement
        return (sum(theme_rows[tag.pk].overview), rank[tag.pk])

    tag_ids = {statement.pk: {tag.pk for tag in tags} for statement, _, tags in themed}
    for statement, n, tags in themed:
        primary = min(tags, key=specific)
        # a statement with a crosswalk partner goes where the partner can go too, on one line
        for partner in partners.get(statement.pk, ()):
            shared = [tag for tag in tags if tag.pk in tag_ids.get(partner.pk, ())]
            if shared:
                primary = min(shared, key=specific)
                break
        theme_rows[primary.pk].statements[n].append(statement)
        statement.other_themes = [
            theme_rows[tag.pk]
            for tag in statement.themes
            if tag.pk in theme_rows and tag != primary
        ]
    rows.extend(ordered)
    if not themes and untagged.size:
        rows.append(untagged)
    for row in rows:
        row.organizations = list(organizations)
    return rows


def _strong(pairs):
    """The pairs that share a line: confirmed links (first), then suggestions at SIMILAR_SCORE
    or more, strongest first."""
    return [pair for pair in pairs if pair.link or pair.score >= SIMILAR_SCORE]


def _align(rows, pairs, organizations):
    """Fill each row's lines: crosswalk pairs of the same row side by side on one line
    (strongest first; a third organization's statement joins a line when it pairs with one
    already there), then the row's other statements, each column in document order."""
    column = {organization.pk: n for n, organization in enumerate(organizations)}
    width = len(organizations)
    row_of = {
        statement.pk: row
        for row in rows
        for column_statements in row.statements
        for statement in column_statements
    }
    line_of = {}
    for pair in _strong(pairs):
        first, second = pair.first, pair.second
        row = row_of.get(first.pk)
        if row is None or row is not row_of.get(second.pk):
            continue
        first_line, second_line = line_of.get(first.pk), line_of.get(second.pk)
        if first_line is None and second_line is None:
            line = Line(slots=[None] * width, score=pair.score, confirmed=bool(pair.link))
            row.lines.append(line)
            joining = (first, second)
        elif second_line is None:
            line, joining = first_line, (second,)
        elif first_line is None:
            line, joining = second_line, (first,)
        else:
            continue
        if any(line.slots[column[s.document.organization_id]] is not None for s in joining):
            continue
        for statement in joining:
            line.slots[column[statement.document.organization_id]] = statement
            line_of[statement.pk] = line
    for row in rows:
        rest = [
            [statement for statement in statements if statement.pk not in line_of]
            for statements in row.statements
        ]
        row.lines.extend(Line(slots=list(slots)) for slots in zip_longest(*rest) if any(slots))


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
    pairs = _pairs(organizations, kinds, themes, statements)
    partners = {}
    for pair in _strong(pairs):
        partners.setdefault(pair.first.pk, []).append(pair.second)
        partners.setdefault(pair.second.pk, []).append(pair.first)
    rows = _rows(organizations, statements, kinds, themes, missing_kinds, partners)
    _align(rows, pairs, organizations)
    return Comparison(
        organizations=list(organizations),
        rows=rows,
        missing_kinds=missing_kinds,
        pairs=pairs,
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
