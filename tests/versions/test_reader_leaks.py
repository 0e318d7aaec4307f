"""Nothing of drafts or retired documents reaches an anonymous reader: no title, mission,
theme or statement text on any page, in search, compare's options, sheets or PDFs."""

import pytest
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, TaggedStatement, Theme
from principles.services.lifecycle import new_version
from principles.services.tagging import add_theme_to_statement
from sheets.models import Sheet, SheetItem
from tests.conftest import make_user
from tests.sheets.test_sheets import pdf_text

pytestmark = pytest.mark.django_db

SECRETS = [
    "Zanzibar draft title",
    "Quokka draft mission",
    "Xylophone draft theme",
    "Marzipan retired title",
    "Wolfram retired principle",
]


@pytest.fixture
def hidden_content():
    """A draft new version (its own title, mission and a theme only it carries) of a seed
    model, and a retired document that the model in force names as the one it superseded."""
    current = Document.objects.get(organization__slug="california-child-support")
    draft = new_version(current)
    draft.title = "Zanzibar draft title"
    draft.save()
    mission = draft.statements.get(kind="mission")
    mission.text = "Quokka draft mission: every family, every day."
    mission.save()
    add_theme_to_statement(mission, "Xylophone draft theme")
    retired = Document.objects.create(
        organization=current.organization,
        slug="old-model",
        title="Marzipan retired title",
        kind="practice_model",
        status="retired",
        position=9,
    )
    gone = Statement.objects.create(
        document=retired, position=1, kind="mission", text="Wolfram retired principle."
    )
    TaggedStatement.objects.create(content_object=gone, tag=Theme.objects.get(slug="safety"))
    current.supersedes = retired
    current.save()
    trainer = make_user("leaky-trainer", "Trainers")
    sheet = Sheet.objects.create(owner=trainer, title="Handout")
    SheetItem.objects.create(sheet=sheet, statement=gone, position=1)
    SheetItem.objects.create(sheet=sheet, statement=mission, position=2)
    return {"draft": draft, "retired": retired, "sheet": sheet, "theme": "xylophone-draft-theme"}


def assert_no_secret(text, where, allowed=()):
    for secret in set(SECRETS) - set(allowed):
        assert secret.lower() not in text.lower(), f"{secret!r} leaks on {where}"


def test_anonymous_readers_see_nothing_of_drafts_or_retired_documents(client, hidden_content):
    sheet = hidden_content["sheet"]
    urls = [
        "/",
        reverse("organizations:list"),
        reverse("principles:themes"),
        reverse("compare:compare"),
        reverse("compare:compare") + "?org=california-child-support&org=virginia",
        reverse("sheets:comparison") + "?org=california-child-support&org=virginia",
        reverse("sheets:detail", kwargs={"public_id": sheet.public_id}),
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}),
    ]
    for organization in Organization.objects.all():
        urls += [organization.get_absolute_url(), f"{organization.get_absolute_url()}sheet/"]
        for document in organization.documents.filter(status="published"):
            urls.append(document.get_absolute_url())
    for theme in Theme.objects.all():
        urls.append(theme.get_absolute_url())
    for word in ("Zanzibar", "Quokka", "Xylophone", "Marzipan", "Wolfram", "family"):
        urls += [
            reverse("search:search") + f"?q={word}",
            reverse("search:search") + f"?q={word}&earlier=on",
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_no_secret(response.content.decode(), url)

    # the draft-only theme is not listed, and its page does not exist for readers
    assert (
        client.get(
            reverse("principles:theme", kwargs={"slug": hidden_content["theme"]})
        ).status_code
        == 404
    )
    # nor may it filter a search (a theme readers cannot see is refused in plain words)
    assert (
        client.get(
            reverse("search:search") + f"?q=family&theme={hidden_content['theme']}"
        ).status_code
        == 400
    )
    # the draft and retired documents and their statements are not there
    assert client.get(hidden_content["draft"].get_absolute_url()).status_code == 404
    tombstone = client.get(hidden_content["retired"].get_absolute_url())
    assert tombstone.status_code == 410
    assert_no_secret(tombstone.content.decode(), "the retired document", ["Marzipan retired title"])
    for document in (hidden_content["draft"], hidden_content["retired"]):
        for statement in document.statements.all():
            response = client.get(statement.get_absolute_url())
            assert response.status_code in (404, 410)
            # a tombstone names the retired document its citation named, nothing more
            allowed = ["Marzipan retired title"] if response.status_code == 410 else []
            assert_no_secret(response.content.decode(), statement.get_absolute_url(), allowed)

    for url in (
        reverse("sheets:organization-pdf", kwargs={"slug": "california-child-support"}),
        reverse("sheets:selection-pdf", kwargs={"public_id": sheet.public_id}),
        reverse("sheets:comparison-pdf") + "?org=california-child-support&org=virginia",
    ):
        _, text = pdf_text(client.get(url))
        assert_no_secret(text, url)
