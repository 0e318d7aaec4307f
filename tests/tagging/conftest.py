"""People with and without the right to tag, and the statements they tag."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from principles.models import Statement, Theme


def user_in(username, *groups, is_staff=False):
    user = User.objects.create_user(username, password=f"pw-{username}", is_staff=is_staff)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def reader(db):
    """Signed in, but in no group: reads like anyone, may not tag."""
    return user_in("reader")


@pytest.fixture
def staffer(db):
    return user_in("staffer", "Staff")


@pytest.fixture
def editor(db):
    return user_in("editor", "Editors", is_staff=True)


@pytest.fixture
def chooser(db):
    """May put existing themes on statements, but not add new themes to the vocabulary."""
    user = user_in("chooser")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_taggedstatement", "delete_taggedstatement"])
    )
    return user


@pytest.fixture
def statement(db):
    """Virginia's guiding principle 5 on kinship placement."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


@pytest.fixture
def safety(db):
    return Theme.objects.get(slug="safety")
