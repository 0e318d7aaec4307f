"""Users and addresses for the security tests."""

import pytest

from principles.models import Statement


@pytest.fixture
def statement(db):
    """Virginia's guiding principle 5 on kinship placement."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


def public_paths(statement):
    """The main pages anyone can open."""
    return [
        "/",
        "/organizations/",
        "/organizations/virginia/",
        "/organizations/virginia/documents/practice-model/",
        f"/statements/{statement.pk}/",
        "/themes/",
        "/themes/kinship/",
        "/search/?q=kinship",
        "/compare/",
        "/compare/?org=virginia&org=maine-cfs",
        "/organizations/virginia/sheet/",
        "/themes/kinship/sheet/",
        "/compare/sheet/?org=virginia&org=maine-cfs",
        "/accounts/login/",
        "/no-such-page/",
    ]
