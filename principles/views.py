import csv
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import citations, selectors
from .concurrency import moment_text, word_diff
from .forms import AddThemeForm, RemoveThemeForm, loaded_at_value, rejected_name_key
from .fragments import kept_with_fragments
from .models import Statement, Theme, can_see_unpublished
from .navigation import posted_next, requested_next
from .services.tagging import (
    StaleTagging,
    ThemeNotAllowed,
    add_theme_to_statement,
    remove_theme_from_statement,
)


def statement_detail(request, pk):
    page = selectors.statement_page(pk, request.user)
    if page.is_gone:
        # a citation's address keeps answering: what it was, when it went, what replaced it
        return render(
            request,
            "principles/statement_gone.html",
            {"page": page, "show_text": can_see_unpublished(request.user)},
            status=410,
        )
    return render(
        request,
        "principles/statement_detail.html",
        {
            "page": page,
            "citation": citation_of(request, page),
            # the audit trail of tagging, for the people who tag
            "theme_changes": (
                selectors.theme_changes(page.statement) if can_tag(request.user) else None
            ),
        },
    )


def citation_of(request, page):
    return citations.cite(
        page.statement,
        permalink=request.build_absolute_uri(page.statement.get_absolute_url()),
        retrieved=timezone.localdate(),
        ordinal=page.ordinal,
        total=page.total,
    )


CITATION_FORMATS = {
    "ris": ("application/x-research-info-systems", "ris"),
    "csl": ("application/vnd.citationstyles.csl+json", "json"),
}


def statement_citation(request, pk, fmt):
    """The statement's citation as RIS or CSL-JSON, for reference managers."""
    page = selectors.statement_page(pk, request.user)
    if page.is_gone:
        return render(
            request,
            "principles/statement_gone.html",
            {"page": page, "show_text": False},
            status=410,
        )
    citation = citation_of(request, page)
    content_type, extension = CITATION_FORMATS[fmt]
    body = citation.ris if fmt == "ris" else citation.csl(f"practicekb-statement-{pk}")
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    filename = f"practicekb-statement-{pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def theme_list(request):
    themes = selectors.themes_with_counts(request.user)
    return render(request, "principles/theme_list.html", {"themes": themes})


# A theme can carry thousands of statements: a page shows this many (the sheet shows all).
THEME_PAGE_SIZE = 50


def theme_detail(request, slug):
    try:
        theme = selectors.theme_for_reading(slug, request.user)
    except Http404:
        # a theme merged away, or whose address changed: its old address keeps working
        moved = selectors.theme_formerly_at(slug)
        if moved is None:
            raise
        return redirect(moved.get_absolute_url(), permanent=True)
    paginator = Paginator(selectors.theme_statements(theme, request.user), THEME_PAGE_SIZE)
    # counting a large theme's statements costs the database more than everything else on a
    # signed-in page whose statements come from fragments: the count is kept beside them
    paginator.count = kept_with_fragments(request, "theme-count", lambda: paginator.count)
    number = request.GET.get("page", "1")
    if not number.isdigit() or int(number) < 1:
        raise BadRequest("The page number must be a whole number from 1.")
    try:
        page = paginator.page(int(number))
    except EmptyPage:
        raise Http404("That page is past the last page of this theme.") from None
    return render(
        request,
        "principles/theme_detail.html",
        {
            "theme": theme,
            "page_obj": page,
            "statements": page.object_list,
            # for the shared pagination (templates/includes/_pagination.html)
            "previous_page": f"?page={page.previous_page_number()}" if page.has_previous() else "",
            "next_page": f"?page={page.next_page_number()}" if page.has_next() else "",
        },
    )


# Tagging (issue 4): plain POST forms that redirect back to where they were sent from.

ADD_PERMISSION = "principles.add_taggedstatement"
REMOVE_PERMISSION = "principles.delete_taggedstatement"
CREATE_THEME_PERMISSION = "principles.add_theme"


def can_tag(user):
    return user.has_perm(ADD_PERMISSION) or user.has_perm(REMOVE_PERMISSION)


def back_to(request, statement):
    """Where the form came from (the page and the statement's anchor), if it is this site."""
    return posted_next(request, f"{statement.get_absolute_url()}#themes")


def tagging_permission_required(permission):
    """Anonymous users are sent to sign in (and back to the statement); signed-in users
    without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(back_to(request, Statement(pk=pk)))
            if not request.user.has_perm(permission):
                raise PermissionDenied("Your account may not change the themes of statements.")
            return view(request, pk, *args, **kwargs)

        return wrapped

    return decorator


def _taggable_statement(request, pk):
    return get_object_or_404(Statement.objects.visible_to(request.user), pk=pk)


def _stale(request, statement, refused, *, action, name, theme=None):
    """409: the user's theme change was refused because someone changed the same theme on
    the statement after the user's page was drawn. The page says who and when, shows the
    statement's themes then, now and with the user's change, and offers the change again
    (their input kept, with a fresh `loaded_at`, so sending it again goes through)."""
    themes = selectors.themes_then_and_now(statement, refused.since)
    now = themes.now
    yours = (
        sorted({*now, refused.theme.name}, key=str.casefold)
        if action == "add"
        else [t for t in now if t != refused.theme.name]
    )
    context = {
        "statement": statement,
        "action": action,
        "name": name,
        "theme": theme or refused.theme,
        "message": describe_stale_tagging(refused, action),
        "then": themes.then,
        "now": now,
        "yours": yours,
        "diff": word_diff(", ".join(now), ", ".join(yours)),
        "next": back_to(request, statement),
        "loaded_at": loaded_at_value(timezone.now()),
    }
    return render(request, "principles/tagging_conflict.html", context, status=409)


def describe_stale_tagging(refused, action):
    change, theme = refused.change, refused.theme
    user = change.history_user
    who = (user.get_full_name() or user.get_username()) if user else "someone"
    if refused.merged_from:
        did = f"merged the theme “{refused.merged_from}” into “{theme.name}”"
    elif change.history_type == "-":
        did = f"removed the theme “{theme.name}” from this statement"
    else:
        did = f"put the theme “{theme.name}” on this statement"
    verb = "added" if action == "add" else "removed"
    return (
        f"Not {verb}: {who} {did} on {moment_text(change.history_date)}, after you opened "
        "the page. Your change is kept below: look at the themes as they are now and send it "
        "again if it is still right."
    )


def statement_themes(request, pk):
    """The "Edit themes" page of one statement: a page listing many statements links each
    to this small form instead of carrying a form per statement. The forms send the user
    back to `next`, the statement on the page they came from."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_tag(request.user):
        raise PermissionDenied("Your account may not change the themes of statements.")
    statement = get_object_or_404(
        selectors.statements_for_display(
            Statement.objects.visible_to(request.user), user=request.user
        ),
        pk=pk,
    )
    back = requested_next(request, f"{statement.get_absolute_url()}#themes")
    return render(
        request, "principles/statement_themes.html", {"statement": statement, "back": back}
    )


@require_POST
@tagging_permission_required(ADD_PERMISSION)
def statement_theme_add(request, pk):
    statement = _taggable_statement(request, pk)
    feedback = {"extra_tags": f"statement-{statement.pk}"}
    form = AddThemeForm(request.POST, may_create=request.user.has_perm(CREATE_THEME_PERMISSION))
    if not form.is_valid():
        return _rejected(request, statement, f"Theme not added. {form.error_text()}")
    name, since = form.cleaned_data["name"], form.cleaned_data["loaded_at"]
    try:
        result = add_theme_to_statement(
            statement,
            name,
            user=request.user,
            allow_new=form.may_create,
            since=since,
            description=form.cleaned_data["description"],
        )
    except ThemeNotAllowed:  # created and deleted again since the form looked
        return _rejected(request, statement, f"Theme not added: “{name}” is not a theme.")
    except StaleTagging as refused:
        return _stale(request, statement, refused, action="add", name=name)
    theme, where = result.theme.name, statement.designation
    if result.theme_created:
        messages.success(
            request,
            f"Proposed the new theme “{theme}” and added it to {where}. Readers see it once "
            "an editor approves it.",
            **feedback,
        )
    elif not result.added:
        messages.info(request, f"{where} already has the theme “{theme}”.", **feedback)
    elif theme != name:
        messages.success(request, f"Added the existing theme “{theme}” to {where}.", **feedback)
    else:
        messages.success(request, f"Added the theme “{theme}” to {where}.", **feedback)
    return redirect(back_to(request, statement))


def _rejected(request, statement, text):
    """Back to the form, whose field shows the error and keeps what was typed (the tagging
    template tags read both: the message marked "tagging-field", the name from the session)."""
    messages.error(request, text, extra_tags=f"statement-{statement.pk} tagging-field")
    request.session[rejected_name_key(statement.pk)] = request.POST.get("name", "")[:200]
    return redirect(back_to(request, statement))


@require_POST
@tagging_permission_required(REMOVE_PERMISSION)
def statement_theme_remove(request, pk, slug):
    statement = _taggable_statement(request, pk)
    feedback = {"extra_tags": f"statement-{statement.pk}"}
    where = statement.designation
    form = RemoveThemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Theme not removed. {form.error_text()}", **feedback)
        return redirect(back_to(request, statement))
    since = form.cleaned_data["loaded_at"]
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        # merged away since the page was drawn: the user has not seen the theme it went into
        # (removing that is their call, on the page that says so); deleted unused: not here
        merge = selectors.merge_of_slug(slug)
        if merge is None:
            raise Http404("No such theme.")
        deletion, survivor = merge
        if statement.tagged_items.filter(tag=survivor).exists():
            refused = StaleTagging(deletion, survivor, since, merged_from=deletion.name)
            return _stale(request, statement, refused, action="remove", name=survivor.name)
        messages.info(request, f"{where} does not have the theme “{deletion.name}”.", **feedback)
        return redirect(back_to(request, statement))
    try:
        removed = remove_theme_from_statement(statement, theme, user=request.user, since=since)
    except StaleTagging as refused:
        return _stale(request, statement, refused, action="remove", name=theme.name)
    if removed:
        messages.success(request, f"Removed the theme “{theme.name}” from {where}.", **feedback)
    else:
        messages.info(request, f"{where} does not have the theme “{theme.name}”.", **feedback)
    return redirect(back_to(request, statement))


def document_changes(request, slug, document_slug):
    changes = selectors.changes_page(slug, document_slug, request.user)
    return render(request, "principles/document_changes.html", {"changes": changes})


def revisions(request):
    """The Revised documents report for auditors (editors only: it names retired documents)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_see_unpublished(request.user):
        raise PermissionDenied("Only editors can read the Revised documents report.")
    rows = selectors.revisions_report()
    if request.GET.get("format") == "csv":
        return revisions_csv(rows)
    return render(request, "principles/revisions.html", {"revisions": rows})


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Spreadsheets run cells that start like a formula; such text is quoted with a '."""
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


def revisions_csv(rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="revised-documents.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["date", "action", "organization", "document", "address", "supersedes", "by", "summary"]
    )
    for revision in rows:
        document = revision.document
        cells = [
            revision.at.isoformat(timespec="seconds"),
            revision.get_action_display(),
            document.organization.name,
            document.title,
            document.get_absolute_url(),
            revision.superseded.title if revision.superseded else "",
            revision.by.get_username() if revision.by else "",
            revision.summary,
        ]
        writer.writerow([_cell(cell) for cell in cells])
    return response
