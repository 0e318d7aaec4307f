"""A property-based sweep: every public URL pattern, read from the URLconf, requested with
random or real path values, random query parameters and random form bodies, by GET and POST,
anonymously and signed in with every role. Whatever comes in, the answer is never a 5xx.

The number of examples is bounded (the PDFs, which WeasyPrint renders, get fewer) so the sweep
takes well under a minute in CI. The test client re-raises any exception a view lets escape,
so a crash fails the test with its traceback, and the status is checked besides.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, UUIDConverter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizations.models import Organization
from principles.models import Document, Statement, Theme
from sheets import services as sheet_services
from sheets.models import SheetItem
from tests.conftest import make_user


def url_patterns():
    """(route, converters, namespace) for every URL pattern; namespace is the nearest one."""

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            else:
                yield prefix + str(pattern.pattern), dict(pattern.pattern.converters), namespace

    return list(walk(get_resolver().url_patterns))


def public_patterns():
    """(route, converters) for every URL pattern outside Django's own admin."""
    return sorted(
        (route, converters)
        for route, converters, namespace in url_patterns()
        if namespace != "admin"
    )


PATTERNS = public_patterns()
HOSTILE_SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Parameter names the views read, so that random values reach real code paths.
KNOWN_PARAMS = [
    "q", "org", "kind", "tag", "theme", "page", "paper", "layout", "jurisdiction", "next",
    "name", "statement", "sheet", "new_title", "title", "subtitle", "notes", "direction",
    "username", "password", "sort",
]  # fmt: skip
REAL_VALUES = [
    "virginia", "maine-cfs", "vermont-fsd", "kinship", "safety", "a4", "letter",
    "discussion", "standard", "guiding_principle", "mission", "up", "down", "new", "1", "2",
    "0", "-1", "999999999999999999999", "", " ", "%", "*", '"', "'", "\\", "AND", "OR", "NEAR",
]  # fmt: skip
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(REAL_VALUES),
    st.just("x" * 5000),
    st.text(alphabet="<>&\"'%;(){}[]*:\x00\n\t\u200b\ufeff", max_size=20),
)
params = st.dictionaries(
    keys=st.one_of(st.sampled_from(KNOWN_PARAMS), st.text(min_size=1, max_size=10)),
    values=st.lists(texts, min_size=1, max_size=3),
    max_size=5,
)


@pytest.fixture
def world(db):
    """Real values to put in paths, signed-in clients for each role, and a sheet with items."""
    trainer = make_user("sweep-trainer", "Trainers")
    sheet = sheet_services.create_sheet(owner=trainer, title="Sweep")
    for statement in Statement.objects.order_by("pk")[:3]:
        sheet_services.add_statement(sheet, statement)
    everyone = make_user("sweep-all", "Staff", "Editors", "Trainers", is_staff=True)
    clients = {"anonymous": Client()}
    for name, user in [("trainer", trainer), ("everyone", everyone)]:
        clients[name] = Client()
        clients[name].force_login(user)
    return {
        "clients": clients,
        "ints": list(Statement.objects.values_list("pk", flat=True)[:20])
        + list(SheetItem.objects.values_list("pk", flat=True)),
        "slugs": list(Organization.objects.values_list("slug", flat=True))
        + list(Document.objects.values_list("slug", flat=True).distinct())
        + list(Theme.objects.values_list("slug", flat=True)[:10]),
        "uuids": [sheet.public_id],
    }


def path_value(data, converter, world):
    if isinstance(converter, IntConverter):
        strategy = st.one_of(
            st.sampled_from(world["ints"]),
            st.integers(min_value=0, max_value=10**30),
        )
    elif isinstance(converter, UUIDConverter):
        strategy = st.one_of(st.sampled_from(world["uuids"]), st.uuids())
    elif isinstance(converter, SlugConverter):
        strategy = st.one_of(
            st.sampled_from(world["slugs"]),
            st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True),
        )
    else:
        strategy = st.text(min_size=1, max_size=30).map(lambda s: quote(s, safe=""))
    return str(data.draw(strategy))


def build_path(route, converters, data, world):
    path = "/" + route
    for name, converter in converters.items():
        token = f"<{name}>"
        for prefix in ("int:", "slug:", "uuid:", "str:", "path:"):
            path = path.replace(f"<{prefix}{name}>", token)
        path = path.replace(token, path_value(data, converter, world))
    return path


def request(world, data, path):
    client = world["clients"][data.draw(st.sampled_from(sorted(world["clients"])))]
    method = data.draw(st.sampled_from(["get", "post"]))
    query = data.draw(params)
    response = client.get(path, query) if method == "get" else client.post(path, query)
    assert response.status_code < 500, (method, path, query, response.status_code)
    return response


@pytest.mark.parametrize(("route", "converters"), PATTERNS, ids=[r for r, _ in PATTERNS])
def test_every_url_pattern_answers_hostile_input_without_a_server_error(route, converters, world):
    examples = 5 if route.endswith(".pdf") else 25

    @settings(HOSTILE_SETTINGS, max_examples=examples)
    @given(data=st.data())
    def sweep(data):
        request(world, data, build_path(route, converters, data, world))

    sweep()


def test_random_paths_are_answered_without_a_server_error(world):
    prefixes = st.sampled_from(
        ["", "organizations/", "statements/", "tags/", "sheets/", "compare/", "search/",
         "accounts/", "admin/", "static/", "organizations/virginia/"]
    )  # fmt: skip

    @settings(HOSTILE_SETTINGS, max_examples=100)
    @given(data=st.data(), prefix=prefixes, rest=st.text(max_size=60))
    def sweep(data, prefix, rest):
        request(world, data, "/" + prefix + quote(rest, safe="/"))

    sweep()


def test_the_sweep_covers_every_public_page():
    routes = {route for route, _ in PATTERNS}
    assert {"", "organizations/<slug:slug>/", "statements/<int:pk>/", "search/", "compare/"} <= (
        routes
    )
    assert "sheets/<uuid:public_id>/items/<int:item_id>/move/" in routes
    assert not any(route.startswith("admin/") and "transfer" not in route for route in routes)


def admin_patterns():
    # signing out would end the sweep's session; it is covered by the public sweep's logout
    return sorted(
        route
        for route, _, namespace in url_patterns()
        if namespace == "admin" and "logout" not in route
    )


ADMIN_PATTERNS = admin_patterns()
PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>|\([^)]*\)")


def test_admin_answers_hostile_input_without_a_server_error(world):
    """Admin's pages (with django-simple-history's), for a superuser, with real and random
    ids in their addresses: a wrong id is a 404 or a redirect, never a 500."""
    superuser = Client()
    superuser.force_login(make_user("sweep-root", is_staff=True, is_superuser=True))
    world["clients"] = {"superuser": superuser}
    ids = st.one_of(
        st.sampled_from([str(i) for i in world["ints"][:5]] + ["1", "2", "3"]),
        st.integers(min_value=-5, max_value=10**30).map(str),
        st.text(min_size=1, max_size=20).map(lambda s: quote(s, safe="")),
    )

    @settings(HOSTILE_SETTINGS, max_examples=150)
    @given(data=st.data(), route=st.sampled_from(ADMIN_PATTERNS))
    def sweep(data, route):
        path = "/" + PLACEHOLDER.sub(
            lambda _: data.draw(ids), route.replace("^", "").replace("$", "")
        )
        request(world, data, path)

    sweep()
