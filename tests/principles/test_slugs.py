"""principles.slugs.unique_slug: the one loop that finds a free slug."""

import pytest

from principles.models import Document, Theme
from principles.slugs import unique_slug


@pytest.mark.django_db
def test_the_base_when_free_else_the_first_free_number():
    assert unique_slug(Theme.objects, "narwhal-care") == "narwhal-care"
    Theme.objects.create(name="Narwhal care", slug="narwhal-care")
    Theme.objects.create(name="Narwhal care 2", slug="narwhal-care-2")
    assert unique_slug(Theme.objects, "narwhal-care") == "narwhal-care-3"


@pytest.mark.django_db
def test_a_number_always_when_not_bare(virginia):
    documents = Document.objects.filter(organization=virginia)
    base = f"{documents.get().slug}-v"
    assert unique_slug(documents, base, suffix="{}", bare=False) == f"{base}2"
