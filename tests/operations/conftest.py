"""Faults on demand: a database that cannot be reached, a Redis that is closed or hung."""

import socket
import threading

import pytest
from django.core.cache import caches
from django.db import connections

from operations import cache as resilient
from tests.performance.conftest import page_cache  # noqa: F401 - the page cache, on


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_down(django_db_blocker):
    """The default connection replaced by one to a database that cannot be reached: a closed
    port on PostgreSQL, a file in a missing folder on SQLite. The test's own connection
    (and its transaction) is kept aside and put back afterwards."""
    original = connections["default"]
    broken_settings = dict(original.settings_dict)
    if original.vendor == "postgresql":
        broken_settings.update(HOST="127.0.0.1", PORT=str(closed_port()))
    else:
        broken_settings["NAME"] = "/nonexistent-practicekb-folder/db.sqlite3"
    broken = original.__class__(broken_settings, "default")
    connections["default"] = broken
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        broken.close()
        connections["default"] = original


class HungServer:
    """Accepts connections and never answers, like a Redis stuck on a slow disk."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.accepted:
            connection.close()


def redis_settings(settings, port):
    settings.CACHES = {
        "default": {
            "BACKEND": "operations.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/6",
            "KEY_PREFIX": "practicekb-faults",
        },
        "pages-local": {
            "BACKEND": "operations.cache.ByteBoundedLocMemCache",
            "LOCATION": "practicekb-fault-pages",
            "OPTIONS": {"MAX_BYTES": 10_000_000},
        },
    }
    settings.PRACTICEKB_PAGE_CACHES = ["pages-local", "default"]
    resilient._down_until.clear()


@pytest.fixture
def redis_stopped(settings):
    redis_settings(settings, closed_port())
    yield
    caches["pages-local"].clear()
    resilient._down_until.clear()


@pytest.fixture
def redis_hung(settings):
    server = HungServer()
    redis_settings(settings, server.port)
    yield server
    caches["pages-local"].clear()
    server.close()
    resilient._down_until.clear()
