"""The admin import page: source, preview the editor corrects, atomic save; bad files refused."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Section, Statement
from transfer.parser import MAX_BYTES

pytestmark = pytest.mark.django_db

URL = reverse("transfer:import")

TEXT = """OUR MISSION
Keep every child safe at home.
OUR VALUES
- Families first
- Honest work
Priority One: Listen to Youth
- Ask young people what they need.
"""


def content_counts():
    return (Document.objects.count(), Section.objects.count(), Statement.objects.count())


def preview(client, **fields):
    maine = Organization.objects.get(slug="maine-cfs")
    data = {"organization": maine.pk, "kind": "practice_model", "text": "", **fields}
    return client.post(URL, data)


def save_data(response, **changes):
    """The preview's forms sent back as they are, with `changes` (by field name) applied."""
    data = {}
    for form in [response.context["details"], response.context["rows"].management_form]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    for form in response.context["rows"].forms:
        for name in form.fields:
            value = form[name].value()
            if name == "skip":
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(changes)
    data["save"] = "Save"
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_add_document_permission_is_refused(client, document_changer):
    client.force_login(document_changer)
    assert client.get(URL).status_code == 403
    assert preview(client, text=TEXT).status_code == 403


def test_the_document_list_links_to_the_import_page(superuser_client):
    html = superuser_client.get(reverse("admin:principles_document_changelist")).content.decode()
    assert f'href="{URL}"' in html


def test_preview_shows_sections_statements_kinds_labels_and_saves_nothing(superuser_client):
    before = content_counts()
    response = preview(superuser_client, text=TEXT, title="Maine roadmap")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Found 2 sections and 4 statements" in html
    rows = response.context["rows"]
    assert [form.initial["type"] for form in rows.forms] == [
        "section",
        "statement",
        "section",
        "statement",
        "statement",
        "statement",
    ]
    priority = rows.forms[-1].initial
    assert (priority["kind"], priority["label"], priority["title"]) == (
        "priority",
        "Priority One",
        "Listen to Youth",
    )
    assert response.context["details"].initial["title"] == "Maine roadmap"
    assert content_counts() == before


def test_the_editor_corrects_the_preview_then_saves_a_draft(superuser_client, superuser):
    response = preview(superuser_client, text=TEXT, title="Maine roadmap")
    data = save_data(
        response,
        **{
            "rows-3-kind": "commitment",  # "Families first" is a commitment, says the editor
            "rows-4-skip": "on",  # and "Honest work" is left out
            "document-title": "Maine equity roadmap",
        },
    )
    response = superuser_client.post(URL, data)
    assert response.status_code == 302
    document = Document.objects.get(title="Maine equity roadmap")
    assert response["Location"] == reverse(
        "admin:principles_document_change", kwargs={"object_id": document.pk}
    )
    assert document.status == "draft" and document.organization.slug == "maine-cfs"
    statements = list(document.statements.select_related("section").order_by("position"))
    assert [(s.position, s.kind, s.text) for s in statements] == [
        (1, "mission", "Keep every child safe at home."),
        (2, "commitment", "Families first"),
        (3, "priority", "Ask young people what they need."),
    ]
    assert [s.section.heading for s in statements] == ["OUR MISSION", "OUR VALUES", "OUR VALUES"]
    assert statements[0].history.get().history_user == superuser


def test_an_invalid_preview_saves_nothing_and_says_why(superuser_client):
    response = preview(superuser_client, text=TEXT, title="Maine roadmap")
    before = content_counts()
    data = save_data(response, **{"rows-1-text": "   ", "rows-3-kind": ""})
    response = superuser_client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the text, or tick “Leave out”." in html
    assert "Choose the statement&#x27;s kind." in html
    assert "Nothing was saved." in html
    assert content_counts() == before


def test_leaving_out_every_statement_is_refused(superuser_client):
    response = preview(superuser_client, text=TEXT, title="Maine roadmap")
    before = content_counts()
    skips = {f"rows-{n}-skip": "on" for n in (1, 3, 4, 5)}
    response = superuser_client.post(URL, save_data(response, **skips))
    assert response.status_code == 400
    assert "Keep at least one statement." in response.content.decode()
    assert content_counts() == before


def test_a_tampered_organization_is_refused(superuser_client):
    response = preview(superuser_client, text=TEXT, title="Maine roadmap")
    before = content_counts()
    response = superuser_client.post(URL, save_data(response, **{"document-organization": "999"}))
    assert response.status_code == 400
    assert content_counts() == before


BAD_FILES = [
    ("empty.txt", b"", "The file is empty."),
    ("blank.txt", b"  \n\n \t\n", "The file is empty."),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is a binary file"),
    ("latin1.txt", "Café des familles\n- Sécurité".encode("latin-1"), "not UTF-8 text"),
    ("big.txt", b"- A principle.\n" * (MAX_BYTES // 15 + 1), "the limit is 1 MB"),
    ("model.pdf", b"%PDF-1.4 something", "The PDF is damaged"),
    ("nothing.txt", b"OUR MISSION\n", "No statements were found"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_files_are_refused_with_a_message_and_nothing_saved(
    superuser_client, name, content, message
):
    before = content_counts()
    upload = SimpleUploadedFile(name, content, content_type="text/plain")
    response = preview(superuser_client, file=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert content_counts() == before


def test_pasting_and_uploading_at_once_or_neither_is_refused(superuser_client):
    upload = SimpleUploadedFile("a.txt", TEXT.encode(), content_type="text/plain")
    response = preview(superuser_client, file=upload, text=TEXT)
    assert "Paste the text or upload a file, not both." in response.content.decode()
    response = preview(superuser_client)
    assert "Paste the document&#x27;s text or upload a file." in response.content.decode()


def test_a_stop_line_that_is_not_in_the_text_is_refused(superuser_client):
    response = preview(superuser_client, text=TEXT, stop_at="Comments")
    assert response.status_code == 400
    assert "No line starts with “Comments” (where to stop)." in response.content.decode()


def test_an_uploaded_file_is_previewed(superuser_client):
    upload = SimpleUploadedFile("model.txt", ("\ufeff" + TEXT).encode(), "text/plain")
    response = preview(superuser_client, file=upload)
    assert response.status_code == 200
    assert response.context["rows"].forms[0].initial["text"] == "OUR MISSION"


def test_hostile_text_is_escaped_in_the_preview(superuser_client):
    response = preview(superuser_client, text="- <script>alert(1)</script> matters.\n")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES[:5])
def test_the_command_refuses_bad_files_and_saves_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = content_counts()
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("import_document", str(path), organization="maine-cfs", title="T")
    assert content_counts() == before


def test_the_command_refuses_an_unknown_organization_or_missing_title(tmp_path):
    path = tmp_path / "model.txt"
    path.write_text("- A principle.\n")
    with pytest.raises(CommandError, match="No organization with the slug “nowhere”"):
        call_command("import_document", str(path), organization="nowhere")
    with pytest.raises(CommandError, match="--title"):
        call_command("import_document", str(path), organization="maine-cfs")


def test_a_user_with_add_permission_but_not_superuser_can_import(client):
    user = User.objects.create_user("importer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_document"))
    client.force_login(user)
    assert client.get(URL).status_code == 200


def test_a_long_document_posts_back_and_saves(superuser_client):
    text = "".join(f"- Principle number {n}.\n" for n in range(1, 301))
    response = preview(superuser_client, text=text, title="Three hundred principles")
    data = save_data(response)
    assert len(data) > 1500  # more fields than Django's default limit of 1,000
    response = superuser_client.post(URL, data)
    assert response.status_code == 302
    assert Document.objects.get(title="Three hundred principles").statements.count() == 300
