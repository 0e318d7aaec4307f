import pytest

from transfer import corpus


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory):
    """Every corpus document rendered in every format, once per test run (about 5 s)."""
    return corpus.build(tmp_path_factory.mktemp("corpus"))
