"""ETags from the content version, 304s and Cache-Control for the API's reads.

A read's answer depends only on the content (versioned by performance.versioning), the
address with its query, and who asks (a reader, or an editor who also sees drafts). The
ETag is a digest of those, known before any content is read: a client revalidating with
If-None-Match gets a 304 for one indexed read of the version row.
"""

import hashlib

from django.core.cache import cache
from django.utils.cache import patch_cache_control, patch_vary_headers

from performance import versioning
from principles import selectors as principle_selectors

from .permissions import is_editor
from .problems import NotModified

# Readers' answers may be kept by shared caches this long; signed-in answers by nobody.
PUBLIC_MAX_AGE = 60
# Theme counts kept per content version; an old version's entry is never read again
COUNTS_TIMEOUT = 3600


def audience(user):
    """Whose view of the content this is: every reader's is the same, an editor's differs."""
    if not user.is_authenticated:
        return "reader"
    return "editor" if is_editor(user) else "signed-in"


def etag_for(request, *extra):
    version = versioning.current_version()
    request.content_version = version  # for reads kept per version (theme_counts)
    parts = [str(version), request.get_full_path(), audience(request.user), *map(str, extra)]
    return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def theme_counts(request):
    """principles' theme_counts(), kept in the cache for the content version the ETag read
    (any content change makes a new key): counting every tagging takes 50-100 ms at 230,000
    taggings, and the themes list and each theme ask for it."""
    version = getattr(request, "content_version", None)
    if version is None:
        return principle_selectors.theme_counts()
    key = f"api:theme-counts:{version}"
    counts = cache.get(key)
    if counts is None:
        counts = principle_selectors.theme_counts()
        cache.set(key, counts, COUNTS_TIMEOUT)
    return counts


def matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or etag in (tag.strip() for tag in header.split(","))


class ConditionalReadMixin:
    """For APIView: ETag and 304 on GET/HEAD (unless `etag = False`), Cache-Control on all."""

    conditional = True

    def check_parameters(self, request):
        """Refuse what the endpoint does not take, before any content is read."""

    def initial(self, request, *args, **kwargs):
        self.etag = None
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        self.check_parameters(request)
        if self.conditional and request.method in ("GET", "HEAD"):
            self.etag = etag_for(request)
            if matches(request, self.etag):
                raise NotModified(self.etag)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        etag = getattr(self, "etag", None)
        if etag and response.status_code in (200, 304):
            response["ETag"] = etag
        # the user as authenticated, if that ran (an error may come before it did)
        user = getattr(request, "_user", None)
        if request.method not in ("GET", "HEAD") or response.status_code >= 400:
            patch_cache_control(response, no_store=True)
        elif user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response
