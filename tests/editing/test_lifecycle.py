"""Lifecycle: drafts and retired documents are hidden from readers and shown to editors with a
banner; a new version supersedes an old one, which stays readable and links to it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from principles.models import Document, DocumentStatus, TaggedStatement
from principles.services.lifecycle import new_version, publish, retire, supersede

pytestmark = pytest.mark.django_db


@pytest.fixture
def vermont_policy(db):
    return Document.objects.get(organization__slug="vermont-fsd")


def pages(document):
    statement = document.statements.get(text="All children have the right to be safe.")
    return {
        "organization": document.organization.get_absolute_url(),
        "document": document.get_absolute_url(),
        "statement": statement.get_absolute_url(),
    }, statement


@pytest.mark.parametrize("status", [DocumentStatus.RETIRED, DocumentStatus.DRAFT])
def test_unpublished_documents_are_hidden_from_readers(client, vermont_policy, status):
    vermont_policy.status = status
    vermont_policy.save()
    urls, statement = pages(vermont_policy)
    organization_page = client.get(urls["organization"])
    assert organization_page.status_code == 200
    assert statement.text not in organization_page.content.decode()
    assert "has no published documents yet" in organization_page.content.decode()
    # a retired document's address is a tombstone (410), a draft's does not exist (404)
    assert client.get(urls["document"]).status_code == (
        410 if status == DocumentStatus.RETIRED else 404
    )
    permalink = client.get(urls["statement"])
    # a retired statement's permalink is a tombstone (410), a draft's does not exist (404)
    assert permalink.status_code == (410 if status == DocumentStatus.RETIRED else 404)
    assert statement.text not in permalink.content.decode()


@pytest.mark.parametrize(
    ("status", "banner"),
    [
        (DocumentStatus.RETIRED, "<strong>Retired.</strong>"),
        (DocumentStatus.DRAFT, "<strong>Draft.</strong>"),
    ],
)
def test_editors_see_unpublished_documents_with_a_banner(
    client, document_changer, vermont_policy, status, banner
):
    vermont_policy.status = status
    vermont_policy.save()
    client.force_login(document_changer)
    urls, statement = pages(vermont_policy)
    for name in ("organization", "document"):
        html = client.get(urls[name]).content.decode()
        assert banner in html, name
        assert statement.text in html, name
    html = client.get(urls["statement"]).content.decode()
    assert f"banner--{status}" in html
    assert statement.text in html


def test_retire_service_records_who(vermont_policy, superuser):
    retire(vermont_policy, user=superuser)
    record = vermont_policy.history.first()
    assert (record.status, record.history_user, record.history_change_reason) == (
        "retired",
        superuser,
        "Retired",
    )


def test_a_new_version_supersedes_the_old_which_stays_readable_and_links_to_it(
    client, vermont_policy, superuser
):
    shown_before = (
        client.get(reverse("organizations:detail", kwargs={"slug": "vermont-fsd"}))
        .content.decode()
        .count("All children have the right to be safe.")
    )
    draft = new_version(vermont_policy, user=superuser)
    assert draft.status == DocumentStatus.DRAFT and draft.supersedes == vermont_policy
    assert draft.slug == f"{vermont_policy.slug}-v2"
    assert draft.statements.count() == vermont_policy.statements.count()
    assert draft.sections.count() == vermont_policy.sections.count()
    assert TaggedStatement.objects.filter(content_object__document=draft).count() == (
        TaggedStatement.objects.filter(content_object__document=vermont_policy).count()
    )
    # readers do not see the draft yet, nor a "superseded" banner
    html = client.get(vermont_policy.get_absolute_url()).content.decode()
    assert "Superseded" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404

    draft.title = "Mission, Values, & Guiding Principles (2026)"
    draft.save()
    publish(draft, user=superuser)
    draft.refresh_from_db()
    vermont_policy.refresh_from_db()
    assert draft.status == DocumentStatus.PUBLISHED
    assert vermont_policy.status == DocumentStatus.SUPERSEDED  # readable, no longer in force
    assert draft.position < vermont_policy.position  # the new version reads first

    old_page = client.get(vermont_policy.get_absolute_url())
    assert old_page.status_code == 200
    assert (
        f'<strong>Superseded</strong> by <a href="{draft.get_absolute_url()}">'
        "Mission, Values, &amp; Guiding Principles (2026)</a>" in old_page.content.decode()
    )
    new_page = client.get(draft.get_absolute_url()).content.decode()
    assert f'<dt>Supersedes</dt><dd><a href="{vermont_policy.get_absolute_url()}">' in new_page
    organization_page = client.get(
        reverse("organizations:detail", kwargs={"slug": "vermont-fsd"})
    ).content.decode()
    # the organization's page lists the version in force, and the earlier one by name only
    assert "Principles (2026)" in organization_page
    text = "All children have the right to be safe."
    assert organization_page.count(text) == shown_before > 0  # once, not once per version
    assert organization_page.index("Principles (2026)") < organization_page.index(
        "Earlier versions"
    )
    assert vermont_policy.get_absolute_url() in organization_page


def test_supersede_refuses_itself_other_organizations_and_cycles(vermont_policy, maine):
    with pytest.raises(ValidationError, match="itself"):
        supersede(vermont_policy, vermont_policy)
    with pytest.raises(ValidationError, match="its own organization"):
        supersede(vermont_policy, Document.objects.get(organization=maine))
    newer = new_version(vermont_policy)
    publish(newer)
    with pytest.raises(ValidationError, match="already descends"):
        supersede(newer, vermont_policy)


def test_admin_actions_publish_retire_and_make_new_versions(superuser_client, vermont_policy):
    url = reverse("admin:principles_document_changelist")
    confirm = {"apply": "1"}
    response = superuser_client.post(
        url,
        {"action": "new_version_of_selected", "_selected_action": [vermont_policy.pk], **confirm},
    )
    assert response.status_code == 302
    draft = Document.objects.get(supersedes=vermont_policy)
    assert draft.status == DocumentStatus.DRAFT
    superuser_client.post(
        url,
        {
            "action": "publish_selected",
            "_selected_action": [draft.pk],
            "summary": "Guiding principles reworded after the 2026 review.",
            **confirm,
        },
    )
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.PUBLISHED
    superuser_client.post(
        url, {"action": "retire_selected", "_selected_action": [vermont_policy.pk], **confirm}
    )
    vermont_policy.refresh_from_db()
    assert vermont_policy.status == DocumentStatus.RETIRED
    change = superuser_client.get(
        reverse("admin:principles_document_change", kwargs={"object_id": vermont_policy.pk})
    )
    # the change form says what supersedes it
    assert (
        f'<a href="{reverse("admin:principles_document_change", kwargs={"object_id": draft.pk})}">'
        in change.content.decode()
    )


def test_editors_without_add_permission_cannot_make_new_versions(
    client, document_changer, vermont_policy
):
    client.force_login(document_changer)
    before = Document.objects.count()
    client.post(
        reverse("admin:principles_document_changelist"),
        {"action": "new_version_of_selected", "_selected_action": [vermont_policy.pk], "apply": 1},
    )
    assert Document.objects.count() == before


def test_only_the_current_version_s_mission_heads_the_organization_page(client):
    old = Document.objects.get(organization__slug="california-child-support")
    new = new_version(old)
    mission = new.statements.get(kind="mission")
    mission.text = "A revised mission for the new version."
    mission.save()
    publish(new)
    page = client.get(reverse("organizations:detail", kwargs={"slug": "california-child-support"}))
    missions = page.context["page"].mission
    assert [m.text for m in missions] == ["A revised mission for the new version."]
