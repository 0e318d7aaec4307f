"""Where a form sends people after a POST. In the core so that its forms and the features' forms
(sheets) share it."""

from django.utils.http import url_has_allowed_host_and_scheme


def posted_next(request, fallback):
    """The POSTed `next` address if it stays on this site, else `fallback`: forms send people
    back where they came from, never off-site."""
    return safe_next(request, request.POST.get("next", ""), fallback)


def requested_next(request, fallback):
    """The same for a `next` in the query string (a page that shows a form links to it)."""
    return safe_next(request, request.GET.get("next", ""), fallback)


def safe_next(request, target, fallback):
    # only a path ("/..."): a bare word such as "0" would be taken by redirect() for a view name
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
