"""The in-memory cache is bounded in bytes; layered caches read nearest first; connections
are health-checked."""

import pytest
from django.conf import settings
from django.core.cache import caches
from redis import Redis

from operations.cache import ByteBoundedLocMemCache, ResilientRedisCache


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


LAYERS = {
    "near": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "near"},
    "far": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "far"},
    "layered": {"BACKEND": "operations.cache.LayeredCache", "OPTIONS": {"LAYERS": ["near", "far"]}},
}


@pytest.fixture
def layers(settings):
    settings.CACHES = {**settings.CACHES, **LAYERS}
    yield caches["layered"], caches["near"], caches["far"]
    for alias in LAYERS:
        caches[alias].clear()


def test_a_layered_cache_reads_the_nearest_copy_and_brings_a_far_one_near(layers):
    layered, near, far = layers
    far.set("fragment", "from Redis")
    assert near.get("fragment") is None
    assert layered.get("fragment") == "from Redis"
    assert near.get("fragment") == "from Redis"  # the next read stays in the process
    near.set("fragment", "nearer")
    assert layered.get("fragment") == "nearer"
    assert layered.get("absent", "default") == "default"


def test_a_layered_cache_writes_and_deletes_every_layer(layers):
    layered, near, far = layers
    layered.set("fragment", "drawn")
    assert near.get("fragment") == far.get("fragment") == "drawn"
    assert layered.add("fragment", "again") is False
    assert layered.delete("fragment") is True
    assert near.get("fragment") is None and far.get("fragment") is None
    assert layered.add("fragment", "again") is True and far.get("fragment") == "again"


def test_incr_counts_an_existing_key_in_one_call_and_refuses_a_missing_one(monkeypatch):
    """Rate limits count with add() then incr(); incr is one round trip to the real Redis."""
    redis = ResilientRedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "practicekb-incr"})
    redis.delete("counted")
    with pytest.raises(ValueError, match="not found"):
        redis.incr("counted")
    assert redis.get("counted") is None  # not created by the refused incr
    assert redis.add("counted", 1, timeout=60)
    sent = []
    original = Redis.execute_command

    def counting(client, *args, **options):
        sent.append(args[0])
        return original(client, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counting)
    assert redis.incr("counted") == 2 and redis.incr("counted", 3) == 5
    assert sent == ["EVAL", "EVAL"]
    monkeypatch.undo()
    key = redis.make_and_validate_key("counted")
    assert redis._cache.get_client(key).ttl(key) > 0  # the add's expiry is kept
    redis.delete("counted")
