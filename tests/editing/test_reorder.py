"""Reordering in the document change form: editors type order numbers, save renumbers 1..n."""

import pytest
from django.urls import reverse

from principles.models import Document
from principles.services.ordering import reorder_document

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(db):
    return Document.objects.get(organization__slug="vermont-fsd")


def texts(document):
    return list(document.statements.order_by("position").values_list("text", flat=True))


def row_prefix(data, prefix, pk):
    return next(
        key[: -len("-id")]
        for key, value in data.items()
        if key.startswith(prefix) and key.endswith("-id") and value == str(pk)
    )


def test_typed_order_numbers_move_rows_and_save_renumbers_them(superuser_client, superuser, policy):
    url = reverse("admin:principles_document_change", kwargs={"object_id": policy.pk})
    before = texts(policy)
    sections_before = list(policy.sections.order_by("position").values_list("heading", flat=True))
    data = change_form_data(superuser_client.get(url))
    last = policy.statements.order_by("position").last()
    data[f"{row_prefix(data, 'statements-', last.pk)}-order"] = "0.5"  # to the top
    values = policy.sections.get(heading="Values & Guiding Principles")
    data[f"{row_prefix(data, 'sections-', values.pk)}-order"] = "0"  # first section
    new = f"statements-{int(data['statements-INITIAL_FORMS'])}"
    data.update(
        {
            f"{new}-order": "2.5",  # between the 2nd and the 3rd
            f"{new}-kind": "narrative",
            f"{new}-text": "A new paragraph typed in admin.",
            f"{new}-section": "",
        }
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    after = texts(policy)
    assert after[0] == before[-1]
    assert after[1:3] == before[0:2]
    assert after[3] == "A new paragraph typed in admin."
    assert after[4:] == before[2:-1]
    positions = list(policy.statements.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(before) + 2))
    headings = list(policy.sections.order_by("position").values_list("heading", flat=True))
    assert headings == ["Values & Guiding Principles", *sections_before[:2]]
    moved = last.history.first()
    assert (moved.position, moved.history_user) == (1, superuser)


def test_swapping_two_rows_keeps_positions_unique(policy):
    first, second = policy.statements.order_by("position")[:2]
    reorder_document(policy, statement_numbers={first.pk: 2, second.pk: 1})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, second.position) == (2, 1)


def test_a_row_typed_onto_a_number_in_use_goes_before_it(policy):
    statements = list(policy.statements.order_by("position"))
    reorder_document(policy, statement_numbers={statements[5].pk: 2})
    assert texts(policy)[:3] == [statements[0].text, statements[5].text, statements[1].text]


def test_an_unchanged_order_writes_no_history(policy):
    counts = [s.history.count() for s in policy.statements.all()]
    assert reorder_document(policy) == 0
    assert [s.history.count() for s in policy.statements.all()] == counts
