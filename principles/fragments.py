"""Values kept beside a signed-in person's cached fragments.

The page cache (a feature app) gives a signed-in person's page `request.fragment_key`: the
versions of what the page shows, its address and the person's permissions. Templates keep
the page's heavy parts under it ({% shared_fragment %}); a view keeps here, under the same
key, the few values it needs before drawing (a count, whether anything is listed), so that a
hit on the fragments reads nothing they were computed from.
"""

from django.core.cache import cache

# How long fragments ({% shared_fragment %}) and what is kept beside them last
FRAGMENT_SECONDS = 3600


def kept_with_fragments(request, name, compute):
    """compute(), kept under `name` for this page's fragments; computed every time when the
    page has none (readers, whose whole page is cached, and pages the cache leaves out)."""
    fragment_key = getattr(request, "fragment_key", None)
    if fragment_key is None:
        return compute()
    key = f"{name}:{fragment_key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FRAGMENT_SECONDS)
    return value
