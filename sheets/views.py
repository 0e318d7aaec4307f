from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from compare.forms import compare_form
from principles import selectors as principles_selectors
from principles.concurrency import VersionedFormMixin
from principles.models import Statement
from principles.navigation import posted_next, requested_next

from . import content as sheet_content
from . import pdfcache, services, wordfile
from .forms import AddToSheetForm, MoveForm, PrintOptionsForm, SheetForm
from .models import Layout, Paper, Sheet, SheetItem

# ruled lines under each statement in the discussion layout (whole lines: see sheet.css)
DISCUSSION_LINES = 4


def render_sheet(request, content, *, as_pdf, as_docx=False, defaults=None):
    """One template for screen, print and PDF, and the same content as a Word file;
    ?paper= and ?layout= choose the print options."""
    form = PrintOptionsForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "sheets/bad_options.html",
            {"form": form, "page_url": content.page_url, "print_options": True},
            status=400,
        )
    options = form.options(defaults or {})
    context = {
        "content": content,
        "paper": options["paper"],
        "discussion": options["layout"] == Layout.DISCUSSION,
        "discussion_lines": range(DISCUSSION_LINES),
        "printed_on": timezone.localdate(),
        "as_pdf": as_pdf,
        "papers": Paper,
        "layouts": Layout,
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "online_url": request.build_absolute_uri(content.page_url),
    }
    if as_docx:
        return word_file(content, context)
    if not as_pdf:
        return render(request, "sheets/sheet.html", context)

    # readers' PDFs are rendered by the worker (pdfcache.prepared_pdf), others' here
    html = render_to_string("sheets/sheet.html", context, request=request)
    from . import pdf  # WeasyPrint needs Pango: load it only when asked for

    body = pdf.html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{content.filename}"'
    return response


def word_file(content, context):
    body = wordfile.sheet_docx(
        content,
        paper=context["paper"],
        discussion=context["discussion"],
        printed_on=context["printed_on"],
        online_url=context["online_url"],
        site_url=context["site_url"],
    )
    response = HttpResponse(body, content_type=wordfile.CONTENT_TYPE)
    filename = wordfile.docx_filename(content)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@pdfcache.prepared_pdf
def organization_sheet(request, slug, as_pdf=False, as_docx=False):
    content = sheet_content.organization_content(slug, request.user)
    return render_sheet(request, content, as_pdf=as_pdf, as_docx=as_docx)


@pdfcache.prepared_pdf
def document_sheet(request, slug, document_slug, as_pdf=False, as_docx=False):
    content = sheet_content.organization_content(slug, request.user, document_slug)
    return render_sheet(request, content, as_pdf=as_pdf, as_docx=as_docx)


@pdfcache.prepared_pdf
def theme_sheet(request, slug, as_pdf=False, as_docx=False):
    content = sheet_content.theme_content(slug, request.user)
    return render_sheet(request, content, as_pdf=as_pdf, as_docx=as_docx)


@pdfcache.prepared_pdf
def comparison_sheet(request, as_pdf=False, as_docx=False):
    # the print options are the sheet's; everything else chooses the comparison
    query = request.GET.copy()
    for option in PrintOptionsForm.base_fields:
        query.pop(option, None)
    form = compare_form(query)
    if not form.is_valid():
        return render(
            request,
            "sheets/bad_options.html",
            {
                "form": form,
                "page_url": f"{reverse('compare:compare')}?{query.urlencode()}",
                "unchosen": not form.is_bound,
            },
            status=400,
        )
    content = sheet_content.comparison_content(form)
    return render_sheet(request, content, as_pdf=as_pdf, as_docx=as_docx)


@pdfcache.prepared_pdf
def selection_sheet(request, public_id, as_pdf=False, as_docx=False):
    sheet, content = sheet_content.selection_content(public_id, request.user)
    defaults = {"paper": sheet.paper, "layout": sheet.layout}
    return render_sheet(request, content, as_pdf=as_pdf, as_docx=as_docx, defaults=defaults)


@login_required
def sheet_list(request):
    may_create = request.user.has_perm("sheets.add_sheet")
    form = SheetForm(request.POST or None) if may_create else None
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("Only trainers and editors can create sheets.")
        if form.is_valid():
            sheet = services.create_sheet(owner=request.user, **form.cleaned_data)
            messages.success(request, f"Created “{sheet.title}”. Add statements from any page.")
            return redirect(sheet)
    sheets = Sheet.objects.owned_by(request.user).with_counts()
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "sheets/sheet_list.html",
        {"sheets": sheets, "form": form, "may_create": may_create},
        status=status,
    )


def conflict(request, message, back_url):
    """A change that lost a race: a plain 409 page; nothing was written."""
    return render(request, "409.html", {"message": message, "back_url": back_url}, status=409)


class VersionedSheetForm(VersionedFormMixin, SheetForm):
    """The sheet's title, notes and options, refused if someone saved them after it was drawn."""

    conflict_what = "this sheet"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sheet = self.instance
        self.setup_version(
            [Sheet.history.filter(id=sheet.pk)], lambda: services.lock_sheet(sheet.pk)
        )

    def clean(self):
        cleaned = super().clean()
        self.check_version()
        return cleaned


def sheet_detail(request, public_id):
    sheet, content = sheet_content.selection_content(public_id, request.user)
    can_change = sheet.can_change(request.user)
    form = VersionedSheetForm(request.POST or None, instance=sheet) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("Only the sheet's owner or an editor can change it.")
        try:
            with transaction.atomic():  # the version is checked under the sheet's lock
                if form.is_valid():
                    form.instance._history_user = request.user
                    form.save()
                    messages.success(request, "Sheet saved.")
                    return redirect(sheet)
        except services.Gone as exc:
            return conflict(request, str(exc), reverse("sheets:list"))
    items = {item.statement_id: item for item in sheet.items.all()} if can_change else {}
    # the owner hears of every statement that changed since it was added: nothing goes silently
    changes = sheet_content.item_changes(sheet) if can_change else []
    rows = [
        (statement, items.get(statement.pk))
        for group in content.groups
        for statement in group.statements
    ]
    return render(
        request,
        "sheets/sheet_detail.html",
        {
            "sheet": sheet,
            "content": content,
            "rows": rows,
            "form": form,
            "can_change": can_change,
            "changes": changes,
            "retired_count": sum(1 for change in changes if change.retired),
            "recent_changes": recent_changes(sheet) if can_change else None,
            "share_url": request.build_absolute_uri(sheet.get_absolute_url()),
        },
        status=400 if form is not None and form.errors else 200,
    )


HISTORY_SHOWN = 20
CHANGE_WORDS = {"+": "added", "~": "changed", "-": "removed"}


def recent_changes(sheet):
    """Who changed the sheet and its items, newest first: (when, who, what). Two queries."""
    rows = [
        (row.history_date, row.history_user, f"{CHANGE_WORDS[row.history_type]} the sheet")
        for row in sheet.history.select_related("history_user")[:HISTORY_SHOWN]
    ]
    items = SheetItem.history.filter(sheet_id=sheet.pk).select_related("history_user")
    for row in items.order_by("-history_date")[:HISTORY_SHOWN]:
        what = "moved" if row.history_type == "~" else CHANGE_WORDS[row.history_type]
        rows.append((row.history_date, row.history_user, f"{what} statement {row.statement_id}"))
    return sorted(rows, key=lambda row: row[0], reverse=True)[:HISTORY_SHOWN]


def changeable_sheet(request, public_id):
    sheet = get_object_or_404(Sheet, public_id=public_id)
    if not sheet.can_change(request.user):
        raise PermissionDenied("Only the sheet's owner or an editor can change it.")
    return sheet


# the most statements one "Add ticked" may carry (a page lists at most a few hundred)
MAX_TICKED = 500


def posted_statements(request):
    """The statements a POST names (`statement`, once or many times: the ticked boxes), in
    the order given, that the user may read; a value that is not a number is a 400."""
    values = request.POST.getlist("statement")
    if not values:
        return []
    if len(values) > MAX_TICKED or not all(value.isdigit() for value in values):
        raise BadRequest("Statements are named by their numbers.")
    ids = list(dict.fromkeys(int(value) for value in values))
    found = Statement.objects.visible_to(request.user).in_bulk(ids)
    if len(found) != len(ids):
        raise Http404("No such statement.")
    return [found[pk] for pk in ids]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def add_to_sheet(request):
    """GET: the small "Add to sheet" page of one statement (?statement=ID&next=PATH), which
    pages listing many statements link to; POST: add the statement, or every ticked one of a
    page's "Add ticked statements" form, and go back to `next`."""
    if not request.user.has_perm("sheets.add_sheet"):
        raise PermissionDenied("Only trainers and editors can build sheets.")
    if request.method != "POST":
        return add_to_sheet_page(request)
    statements = posted_statements(request)
    back = statements[0].get_absolute_url() if len(statements) == 1 else "/"
    back = posted_next(request, back)
    if not statements:
        messages.error(request, "Tick the statements to add first, then press “Add ticked”.")
        return redirect(back)
    form = AddToSheetForm(request.POST, sheets=Sheet.objects.owned_by(request.user))
    if not form.is_valid():
        messages.error(request, "Choose one of your sheets, or a new one.")
        return redirect(back)
    sheet = form.chosen_sheet() or services.create_sheet(
        owner=request.user, title=form.cleaned_data["new_title"]
    )
    try:
        added = services.add_statements(sheet, statements, user=request.user)
    except services.Gone:
        return conflict(
            request,
            f"The sheet “{sheet.title}” was deleted meanwhile, so nothing was added.",
            back,
        )
    skipped = len(statements) - added
    if added == 1 and not skipped:
        messages.success(request, f"Added to “{sheet.title}”.")
    elif added:
        messages.success(
            request,
            f"Added {added} statement{pluralize(added)} to “{sheet.title}”"
            + (
                f" ({skipped} {'was' if skipped == 1 else 'were'} on it already)."
                if skipped
                else "."
            ),
        )
    else:
        messages.info(request, f"Already on “{sheet.title}”.")
    return redirect(back)


def add_to_sheet_page(request):
    value = request.GET.get("statement", "")
    if not value.isdigit():
        raise BadRequest("Name the statement to add: ?statement= followed by its number.")
    statement = get_object_or_404(
        principles_selectors.statements_for_display(Statement.objects.visible_to(request.user)),
        pk=value,
    )
    back = requested_next(request, statement.get_absolute_url())
    return render(request, "sheets/add_to_sheet.html", {"statement": statement, "back": back})


@require_POST
def remove_item(request, public_id, item_id):
    sheet = changeable_sheet(request, public_id)
    try:
        services.remove_item(SheetItem(pk=item_id, sheet=sheet), user=request.user)
    except services.Gone as exc:
        return conflict(request, str(exc), sheet.get_absolute_url())
    messages.success(request, "Removed from the sheet.")
    return redirect(sheet)


@require_POST
def use_current_wording(request, public_id, item_id):
    sheet = changeable_sheet(request, public_id)
    item = get_object_or_404(SheetItem, pk=item_id, sheet=sheet)
    change = next((c for c in sheet_content.item_changes(sheet) if c.item.pk == item.pk), None)
    if change is None or change.current is None:
        messages.error(request, "That statement has no newer wording in force to use.")
        return redirect(sheet)
    try:
        replaced = services.use_current_wording(item, change.current, user=request.user)
    except services.Gone as exc:
        return conflict(request, str(exc), sheet.get_absolute_url())
    if replaced:
        messages.success(request, "Replaced with the current wording.")
    else:
        messages.info(request, "The current wording was on the sheet already; removed the old.")
    return redirect(sheet)


@require_POST
def move_item(request, public_id, item_id):
    sheet = changeable_sheet(request, public_id)
    item = get_object_or_404(SheetItem, pk=item_id, sheet=sheet)
    form = MoveForm(request.POST)
    if form.is_valid():
        offset = -1 if form.cleaned_data["direction"] == "up" else 1
        try:
            services.move_item(item, offset, user=request.user)
        except services.Gone as exc:
            return conflict(request, str(exc), sheet.get_absolute_url())
    else:
        messages.error(request, "Move a statement up or down.")
    return redirect(f"{sheet.get_absolute_url()}#item-{item.pk}")


@require_POST
def delete_sheet(request, public_id):
    sheet = changeable_sheet(request, public_id)
    title = sheet.title
    try:
        services.delete_sheet(sheet, user=request.user)
    except services.Gone as exc:
        return conflict(request, str(exc), reverse("sheets:list"))
    messages.success(request, f"Deleted “{title}”.")
    return redirect("sheets:list")
