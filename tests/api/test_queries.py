"""Every list and detail endpoint runs a fixed number of queries, whatever the data's size:
counted with the five seed organizations, then again with fifty more."""

import gc

import pytest
from django.core.cache import cache
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, TaggedStatement
from tests.conftest import make_organizations

pytestmark = pytest.mark.django_db


def first_statement():
    return Statement.objects.in_force().order_by("pk").first().pk


def statement_with_similar():
    from compare.models import StatementSimilarity

    return StatementSimilarity.objects.published().order_by("pk").first().statement_id


def virginia_document():
    return Document.objects.in_force().get(organization__slug="virginia").slug


# name: (address, queries). Each read: the content version (the ETag) first, then its own.
ENDPOINTS = {
    "organizations": (lambda: reverse("api:organizations"), 2),
    "organization": (lambda: reverse("api:organization", args=["virginia"]), 2),
    "documents": (lambda: reverse("api:documents"), 2),
    "document": (lambda: reverse("api:document", args=["virginia", virginia_document()]), 7),
    "sections": (lambda: reverse("api:sections"), 2),
    "statements": (lambda: reverse("api:statements") + "?page_size=200", 3),
    "statements by theme": (lambda: reverse("api:statements") + "?theme=kinship", 4),
    "statement": (lambda: reverse("api:statement", args=[first_statement()]), 6),
    "similar": (lambda: reverse("api:statement-similar", args=[statement_with_similar()]), 9),
    # themes and theme: and the theme counts (kept per content version by
    # api.caching.theme_counts; the cache is emptied before each read here)
    "themes": (lambda: reverse("api:themes"), 3),
    "theme": (lambda: reverse("api:theme", args=["kinship"]), 4),
}


def test_query_counts_do_not_grow(api, django_assert_num_queries):
    urls = {name: (address(), queries) for name, (address, queries) in ENDPOINTS.items()}
    for more in (0, 50):
        make_organizations(more)
        for url, queries in urls.values():
            cache.clear()
            with django_assert_num_queries(queries):
                assert api.get(url).status_code == 200


@pytest.mark.parametrize(
    "name", ["statements", "statements by theme", "documents", "sections", "organizations"]
)
def test_a_list_leaves_no_rows_for_the_garbage_collector(api, name):
    """A list's rows are freed when its response is written, not left on reference cycles
    (a list serializer and its child; prefetched taggings pointing back at their statement)
    for the collector's full passes, whose pauses made the p95 of a 200-statement list. (A
    document's page links its statements to it and back by design: one document's worth.)"""
    url = ENDPOINTS[name][0]()
    assert api.get(url).status_code == 200  # warm: what loading makes is not the point
    gc.collect()
    gc.disable()
    try:
        assert api.get(url).status_code == 200
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        rows = (Organization, Document, Statement, TaggedStatement)
        left = [type(obj).__name__ for obj in gc.garbage if type(obj) in rows]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert left == []
