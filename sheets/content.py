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
    """A run of statements under a heading; `document` starts a new document on the sheet."""

    heading: str = ""
    document: str = ""
    statements: list = field(default_factory=list)


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

    @property
    def statement_count(self):
        return sum(len(group.statements) for group in self.groups)


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


def comparison_content(form):
    """A valid compare form's comparison as a sheet: each row, then the closest pairs."""
    data = form.cleaned_data
    comparison = compare_selectors.comparison(data["org"], data["kind"], data["theme"])
    # On paper each statement is printed once, under the first row it belongs to: the page's
    # repeat of a statement in every theme row would triple a handout's length.
    printed, groups = set(), []
    for row in comparison.rows:
        fresh = [
            statement
            for cell in row.cells
            for statement in cell.statements
            if statement.pk not in printed
        ]
        printed.update(statement.pk for statement in fresh)
        if fresh:
            groups.append(Group(heading=row.title, statements=fresh))
    for pair in comparison.strong_pairs:
        names = " and ".join(s.document.organization.display_name for s in pair.sides)
        groups.append(Group(heading=f"{pair.percent}% alike: {names}", statements=list(pair.sides)))
    names = [organization.display_name for organization in comparison.organizations]
    filters = [
        *(StatementKind(kind).label for kind in data["kind"]),
        *(theme.name for theme in data["theme"]),
    ]
    query = form.data.urlencode()  # a valid compare form is always bound to a QueryDict
    return SheetContent(
        title="Comparison: " + ", ".join(names),
        subtitle="Side by side by theme" + (f" ({', '.join(filters)})" if filters else ""),
        notes=(
            "Each statement is printed once, under its first theme. "
            + (
                f"Then the {len(comparison.strong_pairs)} pairs that say the same or nearly "
                "the same thing, closest first."
                if comparison.strong_pairs
                else ""
            )
        ),
        groups=groups,
        source="Statements quoted verbatim from each organization's practice model",
        page_url=f"{reverse('compare:compare')}?{query}",
        filename="comparison-" + "-".join(o.slug for o in comparison.organizations) + ".pdf",
        show_source=True,
        query=query,
        empty_message="These organizations have no published statements to compare.",
    )


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
