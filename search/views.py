from functools import cached_property
from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from principles.fragments import kept_with_fragments

from . import selectors
from .forms import SearchForm
from .query import MAX_QUERY_LENGTH, clean_text

EXAMPLES = ["kinship", "families", "safety", '"family engagement"', "permanency -adoption"]


class SearchLinks:
    """Links to /search/ with the criteria's parameters, changed by keyword (None removes).

    Every facet, filter and page link is built here, so changing one filter keeps the
    others; a changed filter starts again at page 1.
    """

    def __init__(self, criteria):
        self.base = reverse("search:search")
        self.params = {
            "q": criteria.query.text,
            "org": criteria.organization.slug if criteria.organization else None,
            "kind": criteria.kind,
            "theme": criteria.theme.slug if criteria.theme else None,
            "earlier": "on" if criteria.earlier else None,
        }

    def __call__(self, **changes):
        params = {**self.params, **changes}
        return f"{self.base}?{urlencode({k: v for k, v in params.items() if v})}"

    def page(self, number):
        return self(page=number if number > 1 else None)


def facet_links(results, links):
    """Attach to each facet value the link that applies it (or, if applied, removes it)."""
    for facet in results.facets:
        for value in facet.values:
            value.url = links(**{facet.param: None if value.selected else value.value})


def active_filters(criteria, links):
    filters = []
    if criteria.organization:
        filters.append(("Organization", criteria.organization.name, links(org=None)))
    if criteria.kind:
        filters.append(("Kind", criteria.kind_label, links(kind=None)))
    if criteria.theme:
        filters.append(("Theme", criteria.theme.name, links(theme=None)))
    if criteria.earlier:
        filters.append(("Versions", "Including earlier versions", links(earlier=None)))
    return filters


def pagination(page, links):
    """Previous, numbered (with gaps) and next links."""
    return {
        "previous": links.page(page.previous_page_number) if page.has_previous else None,
        "next": links.page(page.next_page_number) if page.has_next else None,
        "numbers": [
            {"number": number, "url": links.page(number), "current": number == page.number}
            if number
            else None
            for number in page.window()
        ],
    }


# The compare page takes two to five organizations (compare.forms); linked, not imported.
COMPARE_AT_MOST = 5


def theme_actions(results):
    """For each theme the query names: its page and a comparison of the organizations
    found (the most matches first) on that theme, when there are two or more."""
    organizations = [value.value for value in results.organizations.values][:COMPARE_AT_MOST]
    actions = []
    for theme in results.themes_named:
        compare_url = None
        if len(organizations) >= 2:
            params = [("org", slug) for slug in organizations] + [("theme", theme.slug)]
            compare_url = f"{reverse('compare:compare')}?{urlencode(params)}"
        actions.append({"theme": theme, "compare_url": compare_url})
    return actions


def canonical_theme_parameter(request):
    """?tag= was the theme filter's name until issue 23: the address with ?theme= (which wins
    when both are given), or None when the request already uses it."""
    if "tag" not in request.GET:
        return None
    query = request.GET.copy()
    tags = query.pop("tag")
    if "theme" not in query:
        query.setlist("theme", tags[-1:])
    return f"{request.path}?{query.urlencode()}"


class Found:
    """A search's results and what is drawn from them, computed when the page first reads
    them: a signed-in person's come from a fragment (search.html), and then a hit computes
    nothing."""

    def __init__(self, criteria, page_number, links):
        self.criteria, self.page_number, self.links = criteria, page_number, links

    @cached_property
    def results(self):
        results = selectors.search(self.criteria, self.page_number)
        facet_links(results, self.links)
        return results

    def context(self):
        links = self.links
        return {
            "results": SimpleLazyObject(lambda: self.results),
            "pagination": SimpleLazyObject(lambda: pagination(self.results.page, links)),
            "theme_actions": SimpleLazyObject(lambda: theme_actions(self.results)),
            "suggestion_url": SimpleLazyObject(
                lambda: (
                    links(q=self.results.suggestion, page=None) if self.results.suggestion else None
                )
            ),
        }


def search(request):
    if alias := canonical_theme_parameter(request):
        return HttpResponsePermanentRedirect(alias)
    form = SearchForm(request.GET)
    context = {"form": form, "examples": EXAMPLES}
    if not form.is_valid():
        context["q"] = clean_text(form.data.get("q", ""))[:MAX_QUERY_LENGTH]
        return render(request, "search/search.html", context, status=400)
    criteria = form.criteria()
    links = SearchLinks(criteria)
    context.update(
        criteria=criteria, q=criteria.query.text, filters=active_filters(criteria, links)
    )
    if criteria.query.is_empty:
        return render(request, "search/search.html", context)
    found = Found(criteria, form.page_number, links)
    if form.page_number > 1:
        # a page past the last answers 404, so it is known before the page is drawn (the
        # first page always exists)
        try:
            found.results  # noqa: B018 - computed now for its exception
        except selectors.PageOutOfRange as error:
            context.update(page_error=error, first_page_url=links())
            return render(request, "search/search.html", context, status=404)
    # whether the page lists any statement (its own or related ones), for the "Add ticked"
    # form above them: for a signed-in person, kept beside the results' fragment
    any_shown = kept_with_fragments(
        request, "search-any", lambda: bool(found.results.total or found.results.related)
    )
    context.update(found.context(), searched=True, any_shown=any_shown)
    return render(request, "search/search.html", context)
