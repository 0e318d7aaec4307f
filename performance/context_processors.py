from .pagecache import CSRF_MARKER


def fragment_csrf(request):
    """On a signed-in page drawn from shared fragments, every CSRF field holds CSRF_MARKER,
    those inside a fragment and out alike: SignedInPageCacheMiddleware replaces each with the
    person's own token, so no fragment can keep someone else's."""
    if getattr(request, "fragment_key", None):
        return {"csrf_token": CSRF_MARKER}
    return {}
