import pytest

from principles.models import Statement
from tests.meaning.fixtures import committed_seed_vectors, meaning_on, model_missing  # noqa: F401
from tests.performance.conftest import page_cache  # noqa: F401 - the page cache on, for a test


def statement(slug, beginning):
    """The one statement of an organization whose text begins with these words."""
    return Statement.objects.get(document__organization__slug=slug, text__startswith=beginning)


@pytest.fixture
def find():
    return statement
