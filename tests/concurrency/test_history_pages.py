"""Every history page answers, whatever has since been merged, reverted or deleted."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from organizations.models import Organization
from principles.models import Statement, Theme
from principles.services.tagging import add_theme_to_statement
from principles.services.themes import merge_themes
from sheets import services as sheets
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
    url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
    data = change_form_data(client.get(url))
    data["text"] = "A mistaken edit."
    assert client.post(url, data).status_code == 302
    first = statement.history.earliest()
    version_url = reverse(
        "admin:principles_statement_simple_history", args=[statement.pk, first.history_id]
    )
    data = change_form_data(client.get(version_url))
    data["change_reason"] = ""
    response = client.post(version_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reverted = statement.history.first()
    assert reverted.history_change_reason.startswith("Reverted to the version of ")
    assert f"by {first.history_user.username if first.history_user else 'someone'}" in (
        reverted.history_change_reason
    )
    # sheets: one changed and deleted, with its items
    kept, gone = (sheets.create_sheet(owner=chief, title=title) for title in ("Kept", "Gone"))
    for sheet in (kept, gone):
        for other in Statement.objects.filter(document__organization__slug="vermont-fsd")[:3]:
            sheets.add_statement(sheet, other, user=chief)
    sheets.remove_item(kept.items.first(), user=chief)
    sheets.delete_sheet(gone, user=chief)
    # a theme put on and taken off in the browser, on a statement then deleted
    maine_statement = Statement.objects.filter(document__organization__slug="maine-cfs").first()
    add_theme_to_statement(maine_statement, "Short-lived", user=chief)
    # an organization deleted, with its documents, sections, statements and tagging
    maine = Organization.objects.get(slug="maine-cfs")
    delete_url = reverse("admin:organizations_organization_delete", kwargs={"object_id": maine.pk})
    assert client.post(delete_url, {"post": "yes"}).status_code == 302

    failures, pages = [], 0
    for model, _ in history_admins():
        opts = model._meta
        ids = model.history.values_list("id", flat=True).distinct()
        for object_id in ids:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
            status = client.get(url).status_code
            pages += 1
            if status >= 500 or status == 404:
                failures.append((url, status))
    # and every version page of what is gone (merged, deleted) or was reverted
    versions = 0
    for model, _ in history_admins():
        opts = model._meta
        rows = model.history.exclude(id__in=model._default_manager.values("pk"))
        if model is Statement:
            rows = rows | model.history.filter(id=statement.pk)
        for object_id, version_id in rows.values_list("id", "history_id"):
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                args=[object_id, version_id],
            )
            status = client.get(url).status_code
            versions += 1
            if status >= 500 or status == 404:
                failures.append((url, status))
    print(f"{pages} history pages, {versions} version pages, {len(failures)} failures")
    assert pages > 100 and versions > 100
    assert failures == []
