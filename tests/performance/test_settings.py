"""The cache is Redis when CACHE_URL or REDIS_URL says so, else each process's memory."""

import pytest

from tests.foundation.test_settings import run_manage

SHOW = (
    "from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'], *settings.PRACTICEKB_PAGE_CACHES)"
)


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "ByteBoundedLocMemCache default"),
        # pages are looked for in the process's memory before Redis
        ({"CACHE_URL": "redis://127.0.0.1:6379/1"}, "ResilientRedisCache pages-local default"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/2"}, "ResilientRedisCache pages-local default"),
    ],
)
def test_the_cache_backend_follows_the_environment(env, backend):
    result = run_manage("shell", "-c", SHOW, **{"CACHE_URL": None, "REDIS_URL": None, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(backend)


def test_a_cache_url_that_is_not_redis_stops_start_up_with_a_message():
    result = run_manage("check", CACHE_URL="memcached://127.0.0.1:11211", REDIS_URL=None)
    assert result.returncode != 0
    assert "CACHE_URL must be a Redis address" in result.stderr
