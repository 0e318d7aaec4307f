from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from principles.models import Theme
from tests.meaning.fixtures import (  # noqa: F401
    committed_seed_vectors,
    helper_server,
    meaning_on,
    model_missing,
)


def search_url(**params):
    return reverse("search:search") + "?" + urlencode(params)


def is_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture
def kinship_theme(db):
    theme, _ = Theme.objects.get_or_create(
        slug="search-test-kinship", defaults={"name": "Search test kinship", "status": "approved"}
    )
    return theme


@pytest.fixture
def counted_exactly(monkeypatch):
    """Broad-search limits above a test's several hundred matches: all of them counted
    (PostgreSQL caps a search at backends.COUNT_LIMIT)."""
    for module in ("search.backends", "search.selectors"):
        monkeypatch.setattr(f"{module}.COUNT_LIMIT", 10_000)
        monkeypatch.setattr(f"{module}.BEST_LIMIT", 10_000)
