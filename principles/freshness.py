"""When the content last changed, for the footer's "Content last updated" line.

Kept in the cache (shared by every worker when Redis is configured), set after each
committed change of statements (`statements_changed`), and read without a query: a page
must not cost one more query for its footer. When the cache has no date (a fresh process
with the per-process cache, or after a flush), the footer leaves the line out rather than
guess; the next change of content sets it again.
"""

from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

from .signals import statements_changed

CACHE_KEY = "practicekb:content-last-updated"


def last_updated():
    """The time of the latest committed change of content, or None when not known."""
    return cache.get(CACHE_KEY)


@receiver(statements_changed, dispatch_uid="principles.freshness")
def remember_change(sender, changes, **kwargs):
    cache.set(CACHE_KEY, timezone.now(), timeout=None)
