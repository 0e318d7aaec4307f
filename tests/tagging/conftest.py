"""People with and without the right to tag, and the statements they tag."""

import pytest
from django.contrib.auth.models import Permission

from principles.models import Theme
from tests.conftest import make_user


@pytest.fixture
def reader(db):
    """Signed in, but in no group: reads like anyone, may not tag."""
    return make_user("reader")


@pytest.fixture
def chooser(db):
    """May put existing themes on statements, but not add new themes to the vocabulary."""
    user = make_user("chooser")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_taggedstatement", "delete_taggedstatement"])
    )
    return user


@pytest.fixture
def safety(db):
    return Theme.objects.get(slug="safety")
