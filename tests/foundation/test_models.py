"""Integrity lives in the database: slugs, positions, kinds and theme names."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from organizations.models import Organization
from principles.models import Document, Section, Statement, Theme

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_organization_slugs_are_unique(virginia):
    refused(
        lambda: Organization.objects.create(
            name="Other", slug="virginia", kind="state_agency", jurisdiction="X"
        )
    )


def test_organization_kind_must_be_known():
    refused(
        lambda: Organization.objects.create(name="Odd", slug="odd", kind="bakery", jurisdiction="X")
    )


def test_document_slugs_are_unique_per_organization(virginia, maine):
    refused(
        lambda: Document.objects.create(
            organization=virginia, slug="practice-model", title="Again", kind="policy"
        )
    )
    # the same slug under another organization is fine: Maine's model has it too
    assert Document.objects.filter(slug="practice-model").count() == 2


def test_statement_positions_are_unique_within_a_document(virginia):
    document = virginia.documents.get()
    refused(
        lambda: Statement.objects.create(
            document=document, position=1, kind="narrative", text="Duplicate position."
        )
    )


def test_statement_kind_and_text_are_checked(virginia):
    document = virginia.documents.get()
    refused(lambda: Statement.objects.create(document=document, position=500, kind="x", text="t"))
    refused(
        lambda: Statement.objects.create(document=document, position=501, kind="narrative", text="")
    )


def test_section_positions_are_unique_within_a_document(virginia):
    document = virginia.documents.get()
    refused(lambda: Section.objects.create(document=document, position=1, heading="Again"))


def test_theme_names_are_unique_ignoring_case():
    Theme.objects.create(name="Resilience", slug="resilience")
    refused(lambda: Theme.objects.create(name="resilience", slug="resilience-2"))


def test_statement_section_must_belong_to_its_document(virginia, maine):
    from django.core.exceptions import ValidationError

    statement = virginia.documents.get().statements.get(position=2)
    statement.section = maine.documents.get().sections.first()
    with pytest.raises(ValidationError, match="another document"):
        statement.full_clean()


def test_citation_names_organization_date_document_locator_retrieval_and_link():
    statement = Statement.objects.get(document__organization__slug="virginia", position=2)
    citation = statement.citation("https://kb.example/statements/2/", date(2026, 11, 29))
    assert citation == (
        "Virginia Children's Services System. (n.d.). Virginia practice principles [We believe "
        "that all children and communities deserve to be safe, Guiding principle 1]. Retrieved "
        "November 29, 2026, from https://kb.example/statements/2/"
    )
    vermont = Statement.objects.get(document__organization__slug="vermont-fsd", kind="mission")
    assert "(Policy No. 11)" in vermont.citation("x")
    assert "(2012, December 20)." in vermont.citation("x")
    priority = Statement.objects.get(label="Priority Two")
    assert "[ORGANIZATIONAL DEVELOPMENT AND EQUITY ROADMAP, Priority Two: Disaggregate Data]" in (
        priority.citation("x")
    )
