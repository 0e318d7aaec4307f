import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from principles.models import Document, Section, Statement, TaggedStatement, Theme


@pytest.fixture
def api():
    return APIClient()


def client_for(user):
    """An API client sending `user`'s personal token."""
    _, token = ApiToken.issue(user, "tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def make_document(organization, *, status, slug, text="A secret draft about kinship care."):
    """A document of `organization` in `status`, with one section and one tagged statement."""
    document = Document.objects.create(
        organization=organization,
        slug=slug,
        title=f"{status.title()} practice model",
        kind="practice_model",
        status=status,
        position=50,
    )
    section = Section.objects.create(document=document, position=1, heading="Hidden heading")
    statement = Statement.objects.create(
        document=document, section=section, position=1, kind="value", text=text
    )
    TaggedStatement.objects.create(content_object=statement, tag=Theme.objects.get(slug="kinship"))
    return document, statement


@pytest.fixture
def draft(virginia):
    return make_document(virginia, status="draft", slug="draft-model")


@pytest.fixture
def retired(virginia):
    return make_document(virginia, status="retired", slug="retired-model")
