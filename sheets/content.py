"""What each kind of sheet prints: titled groups of statements, read in constant queries."""

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify

from compare import selectors as compare_selectors
from organizations.models import Organization
from principles import selectors
from principles.models import DocumentStatus, Statement, StatementKind, long_date

from .models import Sheet


@dataclass
class Group:
    """A run of statements under a heading; `document` starts a new document on the sheet.
    `start` is the number of the statements before it: items are numbered 1..n on a sheet."""

    heading: str = ""
    document: str = ""
    statements: list = field(default_factory=list)
    start: int = 0

    @property
    def common_kind(self):
        """The kind shared by the group's unlabelled statements ("Guiding principles"), printed
        once above them instead of above each; "" when they differ or all are labelled."""
        kinds = {s.get_kind_display() for s in self.statements if not s.label}
        return plural_kind(kinds.pop()) if len(kinds) == 1 else ""

    @property
    def numbered(self):
        return [(self.start + n, statement) for n, statement in enumerate(self.statements, 1)]


def plural_kind(kind):
    return kind if kind.endswith("s") or kind == "Narrative" else f"{kind}s"


@dataclass
class SheetContent:
    title: str
    subtitle: str
    groups: list
    source: str
    page_url: str
    filename: str
    notes: str = ""
    show_source: bool = False  # statements from several places carry their source line
    query: str = ""  # parameters that choose the content, kept on print-option links
    empty_message: str = "There is nothing to print on this sheet yet."
    columns: object = None  # a comparison's Columns: printed side by side

    def __post_init__(self):
        start = 0
        for group in self.groups:
            group.start = start
            start += len(group.statements)

    @property
    def statement_count(self):
        return sum(len(group.statements) for group in self.groups)

    def numbered(self):
        """(number, statement) for every statement, in the sheet's order."""
        return [pair for group in self.groups for pair in group.numbered]


def document_source(document):
    parts = [document.source_citation or document.title]
    if document.policy_number:
        parts.append(f"policy {document.policy_number}")
    if document.effective_date:
        parts.append(f"effective {long_date(document.effective_date)}")
    elif document.reposted_on:
        parts.append(long_date(document.reposted_on))
    return ", ".join(parts)


def organization_content(slug, user, document_slug=None):
    organization = get_object_or_404(Organization, slug=slug)
    documents = selectors.documents_for_reading(organization, user, only_slug=document_slug)
    if document_slug and not documents:
        raise Http404("No such document.")
    groups = []
    for document in documents:
        for index, block in enumerate(document.blocks):
            groups.append(
                Group(
                    heading=block.section.heading if block.section else "",
                    document=document.title if index == 0 else "",
                    statements=block.statements,
                )
            )
    page = documents[0] if document_slug else organization
    name = f"{organization.slug}-{document_slug}" if document_slug else organization.slug
    return SheetContent(
        title=organization.name,
        subtitle=documents[0].title if document_slug else "Practice model",
        groups=groups,
        source="; ".join(document_source(d) for d in documents) or organization.name,
        page_url=page.get_absolute_url(),
        filename=f"{name}-sheet.pdf",
        empty_message=f"{organization.name} has no published documents to print.",
    )


def theme_content(slug, user):
    theme = selectors.theme_for_reading(slug, user)
    groups = []
    for statement in selectors.theme_statements(theme, user):
        organization = statement.document.organization
        if not groups or groups[-1].heading != organization.name:
            groups.append(Group(heading=organization.name))
        groups[-1].statements.append(statement)
    return SheetContent(
        title=theme.name,
        subtitle="One theme across organizations",
        notes=theme.description,
        groups=groups,
        source="Statements quoted verbatim from each organization's practice model",
        page_url=theme.get_absolute_url(),
        filename=f"theme-{theme.slug}-sheet.pdf",
        show_source=True,
        empty_message="No published statement carries this theme yet.",
    )


@dataclass
class ColumnRow:
    """One line of a comparison handout: per organization a list of (number, statement), and
    the crosswalk pair whose two statements it aligns, if any (never split across pages)."""

    cells: list
    pair: object = None
    # the statement of a theme only one organization still speaks to: printed full width
    alone: object = None

    @property
    def laid_out(self):
        """(colspan, cell, named) per cell printed: every column when all have statements;
        else the columns with statements share the width, each statement naming its
        organization (five columns of which two speak would leave most of a page blank)."""
        filled = [cell for cell in self.cells if cell]
        if len(filled) == len(self.cells) or len(self.cells) <= 2:
            return [(1, cell, False) for cell in self.cells]
        width, extra = divmod(len(self.cells), len(filled))
        return [(width + (n < extra), cell, True) for n, cell in enumerate(filled)]


@dataclass
class ColumnSection:
    heading: str
    rows: list


# how many crosswalk pairs the handout's first page lists (the rest are marked in the columns)
SUMMARY_ROWS, SUMMARY_ROWS_WIDE = 18, 11


@dataclass
class Columns:
    """A comparison laid out in one column per organization, with its crosswalk summary."""

    organizations: list
    sections: list
    crosswalk: list  # the pairs printed on one row, strongest first (numbered by the view)

    @property
    def wide(self):
        """Four or five organizations print across a landscape page."""
        return len(self.organizations) >= 4

    @property
    def summary(self):
        """The strongest pairs, as many as the first page holds (fewer on a landscape one)."""
        return self.crosswalk[: SUMMARY_ROWS_WIDE if self.wide else SUMMARY_ROWS]

    @property
    def not_summarised(self):
        return len(self.crosswalk) - len(self.summary)


def _partners(pairs):
    """Each statement's partner in the strongest crosswalk pair still free for both, so a
    handout aligns as many pairs as it can, one per statement."""
    partner = {}
    for pair in pairs:
        first, second = pair.sides
        if first.pk not in partner and second.pk not in partner:
            partner[first.pk] = (second, pair)
            partner[second.pk] = (first, pair)
    return partner


def _rest_rows(rest, order):
    """A theme's unpaired statements (a list per organization): side by side as many as the
    shortest column holds, again for the columns still running, and the statements of an
    organization left alone across the whole page (each naming it): a column beside an empty
    one would leave half of each page blank. Appends them to `order` as they are printed."""
    lines = []
    while any(rest):
        running = [statements for statements in rest if statements]
        if len(running) == 1:
            lines.extend(ColumnRow(cells=[], alone=statement) for statement in running[0])
            order.extend(running[0])
            break
        take = min(len(statements) for statements in running)
        cells = [statements[:take] for statements in rest]
        rest = [statements[take:] for statements in rest]
        lines.append(ColumnRow(cells=cells))
        order.extend(statement for statements in cells for statement in statements)
    return lines


def comparison_columns(comparison):
    """The comparison's rows as sections of column rows: each statement printed once, under
    the first theme it belongs to, beside its crosswalk partner (brought up from a later theme
    if need be), then the rest of the theme's statements side by side. Returns the groups (the
    same statements in the same order: what numbers them, and the Word file) and the columns."""
    organizations = comparison.organizations
    column = {organization.pk: n for n, organization in enumerate(organizations)}
    pairs = comparison.strong_pairs
    partner = _partners(pairs)
    printed, aligned, groups, sections = set(), set(), [], []
    for row in comparison.rows:
        fresh = [
            statement
            for cell in row.cells
            for statement in cell.statements
            if statement.pk not in printed
        ]
        if not fresh:
            continue
        lines, order = [], []
        for statement in fresh:
            other, pair = partner.get(statement.pk, (None, None))
            if statement.pk in printed or other is None or other.pk in printed:
                continue
            cells = [[] for _ in organizations]
            for side in pair.sides:
                cells[column[side.document.organization_id]].append(side)
                printed.add(side.pk)
                order.append(side)
            lines.append(ColumnRow(cells=cells, pair=pair))
            aligned.add(id(pair))
        rest = [[] for _ in organizations]
        for statement in fresh:
            if statement.pk not in printed:
                printed.add(statement.pk)
                rest[column[statement.document.organization_id]].append(statement)
        lines.extend(_rest_rows(rest, order))
        groups.append(Group(heading=row.title, statements=order))
        sections.append(ColumnSection(heading=row.title, rows=lines))
    # the summary lists the pairs the columns align, one per statement: every pair at the
    # "Similar" band would run to pages where a statement resembles several of the other's
    crosswalk = [pair for pair in pairs if id(pair) in aligned]
    return groups, Columns(organizations=organizations, sections=sections, crosswalk=crosswalk)


def comparison_content(form):
    """A valid compare form's comparison as a handout: a crosswalk summary, then a column per
    organization, theme by theme, crosswalk pairs on one row with their word differences."""
    data = form.cleaned_data
    comparison = compare_selectors.comparison(data["org"], data["kind"], data["theme"])
    groups, columns = comparison_columns(comparison)
    names = [organization.display_name for organization in comparison.organizations]
    filters = [
        *(StatementKind(kind).label for kind in data["kind"]),
        *(theme.name for theme in data["theme"]),
    ]
    query = form.data.urlencode()  # a valid compare form is always bound to a QueryDict
    content = SheetContent(
        title="Comparison: " + ", ".join(names),
        subtitle="Side by side by theme" + (f" ({', '.join(filters)})" if filters else ""),
        notes=(
            "One column per organization. Each statement is printed once, under its first "
            "theme; statements that say the same or nearly the same thing share a row."
        ),
        groups=groups,
        source="Statements quoted verbatim from each organization's practice model",
        page_url=f"{reverse('compare:compare')}?{query}",
        filename="comparison-" + "-".join(o.slug for o in comparison.organizations) + ".pdf",
        show_source=True,
        query=query,
        empty_message="These organizations have no published statements to compare.",
    )
    numbers = {statement.pk: number for number, statement in content.numbered()}
    for section in columns.sections:
        for line in section.rows:
            line.cells = [
                [(numbers[statement.pk], statement) for statement in statements]
                for statements in line.cells
            ]
            if line.alone is not None:
                line.alone = (numbers[line.alone.pk], line.alone)
    columns.crosswalk = [
        (pair, numbers[pair.first.pk], numbers[pair.second.pk])
        for pair in columns.crosswalk
        if pair.first.pk in numbers and pair.second.pk in numbers
    ]
    content.columns = columns
    return content


def selection_content(public_id, user):
    """A hand-picked sheet prints the statements readers may read (an earlier version's
    too, marked); a retired statement is left out, and its owner told (item_changes)."""
    sheet = get_object_or_404(Sheet.objects.select_related("owner"), public_id=public_id)
    statements = list(
        selectors.statements_for_display(Statement.objects.readable())
        .filter(sheet_items__sheet=sheet)
        .order_by("sheet_items__position")
    )
    content = SheetContent(
        title=sheet.title,
        subtitle=sheet.subtitle,
        notes=sheet.notes,
        groups=[Group(statements=statements)] if statements else [],
        source="Statements quoted verbatim from each organization's practice model",
        page_url=sheet.get_absolute_url(),
        filename=f"sheet-{slug_for_file(sheet.title)}.pdf",
        show_source=True,
        empty_message=(
            "This sheet has no statements yet. Open any organization, theme or statement "
            "page and use “Add to sheet” beside a statement to add it here."
        ),
    )
    return sheet, content


def slug_for_file(text):
    return slugify(text)[:60] or "sheet"


@dataclass
class ItemChange:
    """A statement on a sheet that is no longer in force, and its wording in force now."""

    item: object
    statement: Statement
    current: Statement | None

    @property
    def retired(self):
        return self.statement.document.status == DocumentStatus.RETIRED


def item_changes(sheet):
    """The sheet's statements that a newer version replaced or that were retired since they
    were added, each with its current wording if there is one: a few queries, whatever the
    sheet's length."""
    items = list(
        sheet.items.exclude(statement__document__status=DocumentStatus.PUBLISHED)
        .exclude(statement__document__status=DocumentStatus.DRAFT)
        .select_related("statement__document__organization")
        .order_by("position")
    )
    if not items:
        return []
    current = selectors.current_versions([item.statement for item in items])
    return [ItemChange(item, item.statement, current[item.statement_id]) for item in items]
