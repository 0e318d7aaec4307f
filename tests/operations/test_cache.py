"""The in-memory cache is bounded in bytes; connections are health-checked."""

from django.conf import settings

from operations.cache import ByteBoundedLocMemCache


def make_cache(max_bytes, name="bounded-test"):
    cache = ByteBoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes}})
    cache.clear()
    return cache


def test_the_cache_never_holds_more_bytes_than_its_cap():
    cache = make_cache(100_000)
    for n in range(200):
        cache.set(f"page-{n}", b"x" * 3_000)
        assert cache.size_in_bytes() <= 100_000
    assert cache.get("page-199") is not None  # the newest stay
    assert cache.get("page-0") is None  # the oldest went first


def test_the_least_recently_used_entry_goes_first():
    cache = make_cache(10_000)
    cache.set("kept", b"k" * 3_000)
    cache.set("dropped", b"d" * 3_000)
    cache.get("kept")  # used: now the most recent
    cache.set("new", b"n" * 3_000)
    cache.set("newer", b"n" * 3_000)
    assert cache.get("kept") is not None
    assert cache.get("dropped") is None


def test_an_entry_larger_than_the_cap_is_not_stored():
    cache = make_cache(1_000)
    cache.set("small", b"s" * 100)
    cache.set("huge", b"h" * 5_000)
    assert cache.get("huge") is None
    assert cache.get("small") is not None


def test_database_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
