"""Addresses of content pages, reversed once per process.

A results page or a document links each statement, its document, its organization and its
themes: a hundred reverse() calls, a fifth of the page's CPU. The answer depends only on
the URL name and arguments, the URLconf and the script prefix, so it is kept per process
under all four (tests that swap the URLconf or prefix get their own entries).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=50_000)
def _reverse(prefix, urlconf, root_urlconf, name, args):
    return reverse(name, urlconf=urlconf, args=args)


def reverse_cached(name, *args):
    """reverse(name, args=args), remembered: for addresses of content (slugs and ids)."""
    return _reverse(get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF, name, args)
