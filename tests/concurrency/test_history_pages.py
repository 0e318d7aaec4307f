"""Every history page answers, whatever has since been merged, reverted or deleted."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import Organization
from principles.models import Statement, Theme
from principles.services import merge_themes
from tests.editing.conftest import change_form_data

pytestmark = pytest.mark.django_db


def history_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]


def test_every_history_page_answers_after_a_merge_a_revert_and_a_delete(client):
    chief = User.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(chief)
    # a merge
    kinship, safety = Theme.objects.get(slug="kinship"), Theme.objects.get(slug="safety")
    merge_themes(safety, [kinship, safety], user=chief)
    # an edit, then its revert
    statement = Statement.objects.filter(document__organization__slug="virginia").first()
    url = f"/admin/principles/statement/{statement.pk}/change/"
    data = change_form_data(client.get(url))
    data["text"] = "A mistaken edit."
    assert client.post(url, data).status_code == 302
    first = statement.history.earliest()
    version_url = f"/admin/principles/statement/{statement.pk}/history/{first.history_id}/"
    data = change_form_data(client.get(version_url))
    data["change_reason"] = ""
    response = client.post(version_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reverted = statement.history.first()
    assert reverted.history_change_reason.startswith("Reverted to the version of ")
    assert f"by {first.history_user.username if first.history_user else 'someone'}" in (
        reverted.history_change_reason
    )
    # an organization deleted, with its documents, sections, statements and tagging
    maine = Organization.objects.get(slug="maine-cfs")
    delete_url = f"/admin/organizations/organization/{maine.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 302

    failures, pages = [], 0
    for model, _ in history_admins():
        opts = model._meta
        ids = model.history.values_list("id", flat=True).distinct()
        for object_id in ids:
            url = f"/admin/{opts.app_label}/{opts.model_name}/{object_id}/history/"
            status = client.get(url).status_code
            pages += 1
            if status >= 500 or status == 404:
                failures.append((url, status))
    assert pages > 100
    assert failures == []
