"""Users and addresses for the security tests."""

import pytest
from django.contrib.auth.models import Group, User

from principles.models import Statement

PASSWORD = "a-long-test-passphrase"


def make_user(username, *groups, **fields):
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def statement(db):
    """Virginia's guiding principle 5 on kinship placement."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


@pytest.fixture
def staffer(db):
    return make_user("staffer", "Staff")


@pytest.fixture
def trainer(db):
    return make_user("trainer", "Trainers")


@pytest.fixture
def editor(db):
    return make_user("editor", "Editors", is_staff=True)


def public_paths(statement):
    """The main pages anyone can open."""
    return [
        "/",
        "/organizations/",
        "/organizations/virginia/",
        "/organizations/virginia/documents/practice-model/",
        f"/statements/{statement.pk}/",
        "/tags/",
        "/tags/kinship/",
        "/search/?q=kinship",
        "/compare/",
        "/compare/?org=virginia&org=maine-cfs",
        "/organizations/virginia/sheet/",
        "/tags/kinship/sheet/",
        "/compare/sheet/?org=virginia&org=maine-cfs",
        "/accounts/login/",
        "/no-such-page/",
    ]
