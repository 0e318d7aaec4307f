"""Export: content as JSON that loads back to an identical database, statements as CSV."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Section, Statement, TaggedStatement, Theme
from principles.services.lifecycle import new_version, publish
from transfer.services.content import export_content

pytestmark = pytest.mark.django_db


def empty_the_database():
    TaggedStatement.objects.all().delete()
    Statement.objects.all().delete()
    Section.objects.all().delete()
    Document.objects.update(supersedes=None)
    Document.objects.all().delete()
    Organization.objects.all().delete()
    Theme.objects.all().delete()


def counts():
    return [m.objects.count() for m in (Organization, Theme, Document, Section, Statement)] + [
        TaggedStatement.objects.count()
    ]


def test_round_trip_export_load_into_an_empty_database_export_again_is_identical(tmp_path):
    # a successor document, so that a reference between documents makes the trip too
    publish(new_version(Document.objects.get(organization__slug="maine-cfs")))
    first = tmp_path / "first.json"
    call_command("export_content", output=str(first))
    before = counts()
    assert before[4] > 100 and before[5] > 0  # statements and taggings are in the file

    empty_the_database()
    assert counts() == [0, 0, 0, 0, 0, 0]
    out = io.StringIO()
    call_command("import_content", str(first), stdout=out)
    assert "Imported" in out.getvalue()
    assert counts() == before

    second = tmp_path / "second.json"
    call_command("export_content", output=str(second))
    assert second.read_text() == first.read_text()
    successor = Document.objects.get(organization__slug="maine-cfs", supersedes__isnull=False)
    assert successor.supersedes.slug == "practice-model"


def test_importing_an_export_again_changes_nothing_and_records_history(tmp_path):
    path = tmp_path / "all.json"
    call_command("export_content", output=str(path))
    before = counts()
    statement = Statement.objects.get(text="All children have the right to be safe.")
    call_command("import_content", str(path), stdout=io.StringIO())
    assert counts() == before
    assert Statement.objects.get(pk=statement.pk).text == statement.text  # updated in place
    assert statement.history.first().history_change_reason == "Imported from all.json"


def test_one_organization_exports_alone_with_its_themes():
    data = json.loads(export_content([Organization.objects.get(slug="virginia")]))
    models = {row["model"] for row in data}
    assert models >= {"organizations.organization", "principles.document", "principles.statement"}
    organizations = [row["fields"]["slug"] for row in data if row["model"].endswith("organization")]
    assert organizations == ["virginia"]
    statements = [row for row in data if row["model"] == "principles.statement"]
    assert (
        len(statements) == Statement.objects.filter(document__organization__slug="virginia").count()
    )
    assert all(row["fields"]["document"][0] == "virginia" for row in statements)
    assert all("pk" not in row for row in data)  # natural keys: loads into any database


def test_export_command_refuses_an_unknown_organization():
    with pytest.raises(CommandError, match="No organization with the slug “atlantis”"):
        call_command("export_content", organization="atlantis")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a practicekb export"),
        (
            json.dumps(
                [{"model": "auth.user", "fields": {"username": "intruder", "password": "x"}}]
            ),
            "not content",
        ),
        (
            json.dumps(
                [
                    {
                        "model": "principles.statement",
                        "fields": {
                            "document": ["nowhere", "x"],
                            "position": 1,
                            "kind": "value",
                            "text": "t",
                        },
                    }
                ]
            ),
            "could not be loaded",
        ),
    ],
)
def test_import_refuses_bad_files_and_changes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = counts()
    with pytest.raises(CommandError, match=message):
        call_command("import_content", str(path))
    assert counts() == before


def test_import_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "virginia.json"
    call_command("export_content", organization="virginia", output=str(path))
    Organization.objects.get(slug="virginia").delete()
    before = counts()
    out = io.StringIO()
    call_command("import_content", str(path), dry_run=True, stdout=out)
    assert "Would import 1 organizations" in out.getvalue()
    assert counts() == before


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_statements_export_as_csv_in_reading_order(tmp_path):
    path = tmp_path / "maine.csv"
    call_command("export_statements_csv", organization="maine-cfs", output=str(path))
    rows = read_csv(path.read_text())
    assert len(rows) == Statement.objects.filter(document__organization__slug="maine-cfs").count()
    assert list(rows[0]) == [
        "organization",
        "document",
        "status",
        "section",
        "position",
        "kind",
        "label",
        "title",
        "text",
        "themes",
        "permalink",
    ]
    assert [int(row["position"]) for row in rows] == list(range(1, len(rows) + 1))
    assert rows[1]["section"] == "CHILD SAFETY, FIRST AND FOREMOST"
    assert rows[1]["kind"] == "Guiding principle"
    assert rows[1]["permalink"].startswith("/statements/")


def test_csv_cells_that_look_like_formulas_are_quoted():
    statement = Statement.objects.get(text="All children have the right to be safe.")
    statement.text = '=HYPERLINK("http://evil.example")'
    statement.save()
    out = io.StringIO()
    call_command("export_statements_csv", organization="vermont-fsd", stdout=out)
    texts = [row["text"] for row in read_csv(out.getvalue())]
    assert '\'=HYPERLINK("http://evil.example")' in texts


def test_admin_downloads_statements_csv_and_organization_json(superuser_client):
    maine = Organization.objects.get(slug="maine-cfs")
    response = superuser_client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "download_organization_statements_csv", "_selected_action": [maine.pk]},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="statements-')
    rows = read_csv(response.content.decode())
    assert {row["organization"] for row in rows} == {maine.name}
    assert rows[0]["permalink"].startswith("http://testserver/statements/")

    statements = Statement.objects.filter(document__organization=maine)[:3]
    response = superuser_client.post(
        reverse("admin:principles_statement_changelist"),
        {"action": "download_statements_csv", "_selected_action": [s.pk for s in statements]},
    )
    assert len(read_csv(response.content.decode())) == 3

    response = superuser_client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "export_organizations_json", "_selected_action": [maine.pk]},
    )
    assert response["Content-Disposition"].startswith('attachment; filename="maine-cfs-')
    assert json.loads(response.content) == json.loads(export_content([maine]))


def test_readers_and_editors_without_permission_cannot_download(client, document_changer):
    client.force_login(document_changer)
    response = client.post(
        reverse("admin:organizations_organization_changelist"),
        {"action": "export_organizations_json", "_selected_action": [1]},
    )
    assert response.status_code == 403
