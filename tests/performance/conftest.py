import pytest
from django.core.cache import cache
from django.db import connection

from performance.versioning import TRIGGER


@pytest.fixture
def page_cache(settings, db):
    """The page cache on (test settings keep it off), empty before and after.

    On PostgreSQL the version triggers run at COMMIT, which a test (one transaction rolled
    back at its end) never reaches: make them run at the end of each statement instead.
    """
    settings.PRACTICEKB_PAGE_CACHE = True
    cache.clear()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {TRIGGER} IMMEDIATE")
    yield
    cache.clear()
