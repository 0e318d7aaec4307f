from urllib.parse import urlencode

from django.shortcuts import render

from . import selectors
from .forms import compare_form
from .models import FLOOR, MAX_NEIGHBOURS, NEARLY_SAME_SCORE, SIMILAR_SCORE


def compare(request):
    """/compare/?org=a&org=b[&kind=...][&theme=...]: side by side, then the crosswalk."""
    form = compare_form(request.GET)
    context = {
        "form": form,
        "floor": FLOOR,
        "similar_score": SIMILAR_SCORE,
        "nearly_same_score": NEARLY_SAME_SCORE,
        "max_neighbours": MAX_NEIGHBOURS,
    }
    if not form.is_bound:
        return render(request, "compare/compare.html", context)
    if not form.is_valid():
        return render(request, "compare/compare.html", context, status=400)
    organizations = form.cleaned_data["org"]
    context["comparison"] = selectors.comparison(
        organizations, form.cleaned_data["kind"], form.cleaned_data["theme"]
    )
    # the overview's cells link to this comparison narrowed to one theme or kind
    context["org_query"] = urlencode([("org", organization.slug) for organization in organizations])
    return render(request, "compare/compare.html", context)
