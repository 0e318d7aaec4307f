import pytest

from transfer import corpus


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory):
    """Every corpus document rendered in every format, once per test run (about 5 s)."""
    return corpus.build(tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def importer_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("importer", "importer@example.org", "pw")
    client.force_login(user)
    return client


def content_counts():
    from principles.models import Document, Section, Statement

    return (Document.objects.count(), Section.objects.count(), Statement.objects.count())
