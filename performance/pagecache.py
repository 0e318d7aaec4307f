"""Rendered pages, cached per version of what they show: readers' with conditional GET.

ReaderPageCacheMiddleware: anonymous GET and HEAD requests that carry no session or messages
cookie, whose pages are the same for every reader. Signed-in people see forms, drafts and
messages of their own: SignedInPageCacheMiddleware (below) keeps their pages apart.

A page's key holds the versions of the scopes it shows (page_scopes; versioning.py), a
digest of the code and templates (a deploy changes what pages look like without changing
content) and the full absolute URL (the sign-in link carries the path, citations carry the
host). When content a page shows changes, one of its scopes' versions changes, so its key
changes: the stale entry is never read again and expires. Pages that do not show the
change keep their keys: a tag on one statement leaves other organizations', themes' and
statements' pages cached.
With Redis, pages are kept in each process's memory too and looked for there first
(PRACTICEKB_PAGE_CACHES): a version-keyed page cannot go stale, so the nearer copy is safe.
The same key, quoted, is the page's ETag: a browser revalidating with If-None-Match gets a
304 without the page being rendered or even read from the cache.

A signed-in person's page is cached whole too, for that person alone (it shows their name
and their sheets), under the fragments' key (the versions, the address, their permissions)
and the version of their own things (`person:<id>`: versioning.add_personal_table). Its
CSRF fields hold the marker, filled in each response. A session that holds anything but the
sign-in (a message waiting, a refused theme name for its form) is never served from it.
"""

import hashlib
import re
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.safestring import mark_safe
from django_otp import DEVICE_ID_SESSION_KEY

from operations.middleware import SEEN

from . import versioning
from .versioning import AUTH, EVERYTHING, GLOBAL, SEARCH, SUMMARY, UNSEEN

HIT_HEADER = "X-Page-Cache"
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
# A comparison names at most this many organizations (compare.forms); more is not cached.
MAX_COMPARED = 10
# A fragment shared by everyone of one role may hold forms (a reviewer's): on such a page
# every CSRF field is drawn with this marker (context_processors.fragment_csrf), which each
# response replaces with its own person's token. Raw markup, so only a template can write
# it: anyone's text reaches the page escaped and cannot contain it.
CSRF_MARKER = mark_safe("<!--csrf-token-->")
# What a session holds of the sign-in itself; any other key is the person's own state.
SIGN_IN_SESSION_KEYS = frozenset(
    {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY, DEVICE_ID_SESSION_KEY, SEEN}
)


def _organization(kwargs, request):
    return [f"org:{kwargs['slug']}"]


def _compared(kwargs, request):
    slugs = request.GET.getlist("org")
    if len(slugs) > MAX_COMPARED or not all(SLUG.match(slug) for slug in slugs):
        return None
    return [scope for slug in sorted(set(slugs)) for scope in (f"org:{slug}", f"sim:{slug}")]


# The scopes each cached page shows, besides `global` (every page shows navigation): from
# the URL alone, so a cache hit costs one query.
PAGE_SCOPES = {
    "home": lambda kwargs, request: [SUMMARY],
    "organizations:list": lambda kwargs, request: [SUMMARY],
    "organizations:detail": _organization,
    "organizations:document": _organization,
    "principles:statement": lambda kwargs, request: [f"st:{kwargs['pk']}"],
    "principles:themes": lambda kwargs, request: [SUMMARY],
    "principles:theme": lambda kwargs, request: [f"theme:{kwargs['slug']}"],
    "search:search": lambda kwargs, request: [SEARCH],
    "compare:compare": _compared,
    # the collection's crosswalk counts every organization's links and similarities
    "compare:collection": lambda kwargs, request: [EVERYTHING],
    "compare:crosswalk-csv": lambda kwargs, request: [EVERYTHING],
}


def page_scopes(request):
    """The scopes the requested page shows, or None when it is not to be cached."""
    match = request.resolver_match
    scopes = PAGE_SCOPES.get(match.view_name, lambda kwargs, request: [])(match.kwargs, request)
    return None if scopes is None else [GLOBAL, *scopes]


@cache
def code_digest():
    """A digest of every first-party template and Python file, computed once per process."""
    base = Path(settings.BASE_DIR)
    roots = [Path(directory) for engine in settings.TEMPLATES for directory in engine["DIRS"]]
    roots += [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base)
    ]
    digest = hashlib.sha256()
    for root in sorted(set(roots)):
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".py", ".txt"} and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_cacheable_request(request):
    """A reader's plain request: no session (so no user, no drafts), no pending messages."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and not request.user.is_authenticated
    )


def page_key(request, version):
    """`version`: the versions of the page's scopes (or any value that changes with them)."""
    database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    parts = [str(database), str(version), code_digest(), request.build_absolute_uri()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _etag(key):
    return f'"{key[:32]}"'


def _matches(request, etag):
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or etag in (tag.strip() for tag in header.split(","))


def cached(key):
    """What the nearest of PRACTICEKB_PAGE_CACHES holds under `key` (a page: its content and
    content type), copied into the nearer ones. Keys name the versions of what they hold, so
    a nearer copy is never staler than the farther one."""
    aliases = settings.PRACTICEKB_PAGE_CACHES
    for depth, alias in enumerate(aliases):
        page = caches[alias].get(key)
        if page is not None:
            for nearer in aliases[:depth]:
                caches[nearer].set(key, page, settings.PRACTICEKB_PAGE_CACHE_SECONDS)
            return page
    return None


def _applies(request):
    return (
        settings.PRACTICEKB_PAGE_CACHE
        and versioning.has_triggers()
        and request.resolver_match.view_name in settings.PRACTICEKB_CACHED_PAGES
    )


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies  # a CSRF or session cookie is someone's, not everyone's
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and len(response.content) <= settings.PRACTICEKB_PAGE_CACHE_MAX_BYTES
    )


class ReaderPageCacheMiddleware:
    """Serve and store readers' whole pages of the views named in PRACTICEKB_CACHED_PAGES.

    Place it after the authentication and login-required middleware (whose checks must run
    first) and after MessageMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is None:
            return response
        if _storable(request, response):
            _store_page(key, response)
        if response.status_code == 200:
            self._mark(response, key, hit=False)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # signed-in people see forms and drafts at the same address: SignedInPageCacheMiddleware
        if not _applies(request) or not is_cacheable_request(request):
            return None
        scopes = page_scopes(request)
        if scopes is None:
            return None
        key = page_key(request, versioning.versions(scopes))
        if _matches(request, _etag(key)):
            response = HttpResponseNotModified()
            self._mark(response, key, hit=True)
            return response
        page = cached(key)
        if page is not None:
            content, content_type = page
            response = HttpResponse(content, content_type=content_type)
            self._mark(response, key, hit=True)
            return response
        request._page_cache_key = key
        return None

    @staticmethod
    def _mark(response, key, *, hit):
        response["ETag"] = _etag(key)
        response[HIT_HEADER] = "hit" if hit else "miss"
        # browsers keep the page but ask each time; a 304 answers when nothing changed
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ["Cookie"])


class SignedInPageCacheMiddleware:
    """A signed-in person's GETs of the views in PRACTICEKB_CACHED_PAGES: fragments shared by
    everyone of their role (`request.fragment_key`) and the whole page kept for them alone.

    Place it after the authentication, login-required and messages middleware, and before
    the rate limits: a page from here costs three reads, less than counting it against a
    limit kept per address, which all the staff of an office share.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_signed_in_page_key", None)
        if key is not None:
            # stored before the markers are filled: a token is valid for one response
            if _storable(request, response) and not _added_messages(request):
                _store_page(key, response)
            response[HIT_HEADER] = "miss"
        if getattr(request, "fragment_key", None):
            _fill_csrf_markers(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _applies(request) or is_cacheable_request(request):
            return None
        self._set_fragment_key(request)
        return self._signed_in_page(request)

    @staticmethod
    def _set_fragment_key(request):
        """For a signed-in person's GET of a page in PAGE_SCOPES: `request.fragment_key`, the
        key under which templates keep the page's statements ({% shared_fragment %}): the
        versions of what the page shows (proposed themes too: `staff:` scopes), the code, the
        address (the links carry it) and the person's permissions (which controls and drafts
        they see; permissions_of, under the `auth` version read with the others), so everyone
        with the same role shares the fragment. Not while a message waits: it is shown beside
        its statement. Also `request.person_version`, the version of their own things."""
        if (
            request.method not in ("GET", "HEAD")
            or not request.user.is_authenticated
            or getattr(settings, "MESSAGES_COOKIE_NAME", "messages") in request.COOKIES
        ):
            return
        scopes = page_scopes(request)
        if scopes is None:
            return
        unseen = [f"{UNSEEN}{scope}" for scope in scopes if scope != GLOBAL]
        own = versioning.person(request.user.pk)
        *scope_versions, (_, request.person_version) = versioning.versions(
            [*scopes, *unseen, AUTH, own]
        )
        permissions = permissions_of(request.user, dict(scope_versions)[AUTH])
        request.fragment_key = page_key(request, (scope_versions, ",".join(sorted(permissions))))

    @staticmethod
    def _signed_in_page(request):
        """A signed-in person's page as it was drawn for them before, or None (then
        `request._signed_in_page_key` says where to keep the page drawn now)."""
        if not getattr(request, "fragment_key", None) or not _only_signed_in(request.session):
            return None
        key = signed_in_page_key(request)
        page = cached(key)
        if page is None:
            request._signed_in_page_key = key
            return None
        content, content_type = page
        response = HttpResponse(content, content_type=content_type)
        response[HIT_HEADER] = "hit"
        return response


def signed_in_page_key(request):
    """The key of a signed-in person's page (request.fragment_key set): theirs alone, and it
    changes with what the page shows of them (name, staff status, their own things)."""
    user = request.user
    parts = [
        request.fragment_key,
        str(user.pk),
        user.get_username(),
        str(user.is_staff),
        str(request.person_version),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _only_signed_in(session):
    return set(session.keys()) <= SIGN_IN_SESSION_KEYS


def _added_messages(request):
    storage = getattr(request, "_messages", None)
    return storage is not None and storage.added_new


def _store(key, value):
    for alias in settings.PRACTICEKB_PAGE_CACHES:
        caches[alias].set(key, value, settings.PRACTICEKB_PAGE_CACHE_SECONDS)


def _store_page(key, response):
    _store(key, (response.content, response["Content-Type"]))


def permissions_of(user, auth_version):
    """user.get_all_permissions(), kept between requests under the version of the tables that
    grant them (versioning.AUTH) and the user's own is_active and is_superuser, read with the
    user. Given to the user object as ModelBackend's own per-request copy, so the request's
    other permission checks read nothing either."""
    database = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    key = f"permissions:{database}:{user.pk}:{user.is_active}:{user.is_superuser}:{auth_version}"
    permissions = cached(key)
    if permissions is None:
        permissions = user.get_all_permissions()
        _store(key, permissions)
    else:
        user._perm_cache = permissions
    return permissions


def _fill_csrf_markers(request, response):
    """Each CSRF_MARKER of the fragments in a signed-in person's page becomes their token."""
    marker = CSRF_MARKER.encode()
    if not response.streaming and marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
