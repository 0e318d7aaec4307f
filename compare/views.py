import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_POST

from principles.markup import plain_text
from principles.navigation import posted_next

from . import links, selectors
from .forms import compare_form
from .models import FLOOR, MAX_NEIGHBOURS, NEARLY_SAME_SCORE, SIMILAR_SCORE, band_of


def compare(request):
    """/compare/?org=a&org=b[&kind=...][&theme=...]: side by side, then the crosswalk."""
    form = compare_form(request.GET)
    context = {
        "form": form,
        "floor": FLOOR,
        "similar_score": SIMILAR_SCORE,
        "nearly_same_score": NEARLY_SAME_SCORE,
        "max_neighbours": MAX_NEIGHBOURS,
        "may_review": links.may_review(request.user),
    }
    if not form.is_bound:
        return render(request, "compare/compare.html", context)
    if not form.is_valid():
        return render(request, "compare/compare.html", context, status=400)
    organizations = form.cleaned_data["org"]
    kinds, themes = form.cleaned_data["kind"], form.cleaned_data["theme"]
    context["organizations"] = organizations
    # computed when the template first reads it: a signed-in person's comparison may come
    # from cached fragments (compare.html), and then it is never computed
    context["comparison"] = SimpleLazyObject(
        lambda: selectors.comparison(organizations, kinds, themes)
    )
    # the overview's cells link to this comparison narrowed to one theme or kind
    context["org_query"] = urlencode([("org", organization.slug) for organization in organizations])
    return render(request, "compare/compare.html", context)


def _reviewer_only(request):
    """None for a reviewer; a sign-in redirect for anonymous people; 403 for others."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not links.may_review(request.user):
        raise PermissionDenied("Your account may not review crosswalk links.")
    return None


class _Malformed(Exception):
    pass


def _statement_id(request, name):
    value = request.POST.get(name, "").strip().lstrip("#")
    if not value.isdigit() or len(value) > 18:
        raise _Malformed(f"“{value[:20]}” is not a statement number.")
    return int(value)


ACTIONS = {
    "confirm": "confirmed",
    "reject": "rejected",
}


@require_POST
def review_link(request):
    """POST first, second, action (confirm, reject or withdraw), note, next: an editor's
    verdict on a pair; back to where the form was."""
    if not request.user.is_authenticated:
        return redirect_to_login(posted_next(request, reverse("compare:review")))
    if not links.may_review(request.user):
        raise PermissionDenied("Your account may not review crosswalk links.")
    action = request.POST.get("action", "")
    try:
        if action not in (*ACTIONS, "withdraw"):
            raise _Malformed("Choose to confirm, reject or withdraw the link.")
        first, second = _statement_id(request, "first"), _statement_id(request, "second")
    except _Malformed as problem:
        return render(request, "compare/review_refused.html", {"problem": problem}, status=400)
    back = posted_next(request, reverse("compare:review"))
    try:
        if action == "withdraw":
            done = links.withdraw(request.user, first, second)
            text = "Link withdrawn." if done else "There was no link to withdraw."
        else:
            added = request.POST.get("added") == "1"
            link = links.review(
                request.user, first, second, ACTIONS[action], request.POST.get("note", ""), added
            )
            text = f"Link {link.get_verdict_display().lower()}."
    except links.LinkRefused as refused:
        messages.error(request, f"Nothing changed: {refused}")
        return redirect(back)
    messages.success(request, text)
    return redirect(back)


def review_queue(request):
    """/compare/review/: per organization pair, the strongest suggestions not yet reviewed."""
    refused = _reviewer_only(request)
    if refused:
        return refused
    return render(
        request,
        "compare/review_queue.html",
        {
            "queue": selectors.review_queue(),
            "may_review": True,
            "per_pair": selectors.QUEUE_PER_PAIR,
        },
    )


def collection(request):
    """/compare/crosswalk/: every pair of organizations, with its confirmed and suggested links."""
    return render(
        request,
        "compare/collection.html",
        {"pairs": selectors.collection_crosswalk(), "similar_score": SIMILAR_SCORE},
    )


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    "status",
    "score",
    "band",
    "note",
    "first_organization",
    "first_statement",
    "first_url",
    "first_text",
    "second_organization",
    "second_statement",
    "second_url",
    "second_text",
]


def crosswalk_csv(request):
    """/compare/crosswalk.csv: every pair of the crosswalk, one row per pair (researchers)."""
    writer = csv.writer(_Echo())

    def side(statement):
        return [
            statement.document.organization.slug,
            statement.designation,
            request.build_absolute_uri(statement.get_absolute_url()),
            plain_text(statement.text),
        ]

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for first, second, score, link in selectors.crosswalk_rows():
            status = "confirmed" if link else "suggested"
            shown = "" if score is None else f"{score:.4f}"
            band = "" if score is None else band_of(score).label
            note = link.note if link else ""
            yield writer.writerow([status, shown, band, note, *side(first), *side(second)])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="practicekb-crosswalk.csv"'
    return response
