"""Cache backends that bound what they hold and never turn a cache fault into an error page.

- ResilientRedisCache: Redis with short socket timeouts; an unreachable, refusing or hung
  server makes every call a miss (get returns the default, set does nothing) and is left
  alone for a few seconds afterwards, so a hung Redis costs one timeout per process every
  few seconds rather than one per call.
- ByteBoundedLocMemCache: Django's in-memory cache, bounded in bytes as well as entries
  (MAX_BYTES, pickled sizes), evicting the least recently used entries first.
- LayeredCache: other caches read nearest first (this process's memory, then Redis), for
  values whose keys name the versions of what they hold, so that a nearer copy is never
  staler than a farther one: signed-in people's fragments.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAULTS = (RedisError, OSError)
DEFAULT_SOCKET_TIMEOUT = 0.25
DEFAULT_RETRY_AFTER = 5.0

# INCRBY of a key that exists, in one round trip (Django's incr asks EXISTS, then INCRBY): a
# rate-limited page counts each request with add() and incr().
INCR_IF_EXISTS = (
    "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"
)

# location -> monotonic time before which the server is not tried again; one per process,
# shared by the per-thread backend instances Django creates.
_down_until = {}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options = dict(self._options)
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        options.setdefault("socket_connect_timeout", DEFAULT_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", DEFAULT_SOCKET_TIMEOUT)
        self._options = options
        self._location = ",".join(self._servers)

    def _guard(self, call, default):
        if time.monotonic() < _down_until.get(self._location, 0.0):
            return default
        try:
            return call()
        except FAULTS as exc:
            _down_until[self._location] = time.monotonic() + self.retry_after
            logger.warning(
                "The cache at %s failed (%s: %s); serving without it for %s s.",
                self._location,
                type(exc).__name__,
                exc,
                self.retry_after,
            )
            return default

    def ping(self):
        """Raise unless the server answers now (readiness checks; bypasses the pause)."""
        self._cache.get_client(write=True).ping()
        _down_until.pop(self._location, None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: RedisCache.get(self, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guard(lambda: RedisCache.delete(self, key, version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)

        def call():
            return self._cache.get_client(key, write=True).eval(INCR_IF_EXISTS, 1, key, delta)

        value = self._guard(call, None)
        if value is None:  # as for a missing key: callers such as rate limits start again
            raise ValueError(f"Key '{key}' not found")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guard(lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self):
        return self._guard(lambda: RedisCache.clear(self), False)


class ByteBoundedLocMemCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 64 * 1024 * 1024))

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        # value is the pickled bytes; called with the lock held
        if len(value) > self.max_bytes:
            self._delete(key)
            return
        super()._set(key, value, timeout)
        total = self.size_in_bytes()
        while total > self.max_bytes:
            # LocMemCache keeps the most recently used entries first
            oldest, pickled = next(reversed(self._cache.items()))
            self._delete(oldest)
            total -= len(pickled)

    def size_in_bytes(self):
        """The pickled size of everything held (keys aside)."""
        return sum(len(pickled) for pickled in list(self._cache.values()))


class LayeredCache(BaseCache):
    """The caches named in OPTIONS["LAYERS"], nearest first: a read takes the nearest copy
    and copies a farther one into the nearer layers; a write goes to every layer. Each layer
    keeps its own bounds and prefix. A signed-in comparison's fragments are 770 KB: read from
    Redis they cost 1.5 to 5 ms of a 10 to 16 ms page; from the process's memory, a copy."""

    def __init__(self, location, params):
        super().__init__(params)
        self.aliases = list(params.get("OPTIONS", {}).get("LAYERS", ()))

    @property
    def layers(self):
        return [caches[alias] for alias in self.aliases]

    def get(self, key, default=None, version=None):
        missing = object()
        layers = self.layers
        for depth, layer in enumerate(layers):
            value = layer.get(key, missing, version=version)
            if value is not missing:
                for nearer in layers[:depth]:
                    nearer.set(key, value, version=version)
                return value
        return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        for layer in self.layers:
            layer.set(key, value, timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version=version):
            return False
        self.set(key, value, timeout, version=version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        touched = [layer.touch(key, timeout, version=version) for layer in self.layers]  # all
        return any(touched)

    def delete(self, key, version=None):
        deleted = [layer.delete(key, version=version) for layer in self.layers]  # all
        return any(deleted)

    def has_key(self, key, version=None):
        return any(layer.has_key(key, version=version) for layer in self.layers)

    def clear(self):
        for layer in self.layers:
            layer.clear()
