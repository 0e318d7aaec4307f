"""Every format through `manage.py import_document` and the admin form, batches included."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, DocumentKind, DocumentStatus, StatementKind
from transfer.converters import sniff

from .conftest import content_counts

# beside test_corpus.py on one xdist worker: built_corpus is built once
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("transfer-corpus")]

URL = reverse("transfer:import")


def corpus_file(built_corpus, name):
    return next(path for path in built_corpus if path.name == name)


@pytest.mark.parametrize("ext", ["pdf", "docx", "html", "md", "txt"])
def test_the_command_imports_every_format_as_a_draft(built_corpus, ext):
    path = corpus_file(built_corpus, f"code-of-ethics.{ext}")
    out = io.StringIO()
    call_command("import_document", str(path), organization="maine-cfs", stdout=out)
    document = Document.objects.get(title="Code of Ethics for Child Welfare Staff")
    assert document.status == DocumentStatus.DRAFT
    assert document.kind == DocumentKind.CODE_OF_ETHICS
    assert document.policy_number == "2.04"
    assert str(document.effective_date) == "2022-07-01"
    assert [s.heading for s in document.sections.order_by("position")] == [
        "Purpose",
        "Ethical Duties",
    ]
    kinds = list(document.statements.order_by("position").values_list("kind", flat=True))
    assert kinds == ["narrative", "narrative"] + [StatementKind.ETHICAL_STANDARD] * 6
    assert f"from {ext}" in out.getvalue()


def test_the_format_is_told_by_content_before_name():
    assert sniff("notes.txt", b"%PDF-1.7\n...") == "pdf"
    assert sniff("page.txt", b"<!DOCTYPE html><html><body></body></html>") == "html"
    assert sniff("model.MD", b"# Title\n") == "md"
    assert sniff("model", b"PK\x03\x04....word/document.xml") == "docx"


def test_a_pdf_upload_is_previewed_with_what_was_recognised(importer_client, built_corpus):
    path = corpus_file(built_corpus, "mission-plain.pdf")
    maine = Organization.objects.get(slug="maine-cfs")
    before = content_counts()
    upload = SimpleUploadedFile(path.name, path.read_bytes(), "application/pdf")
    response = importer_client.post(URL, {"organization": maine.pk, "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "in the PDF file" in html
    rows = [form.initial for form in response.context["rows"].forms]
    assert rows[0]["text"] == "Our Mission" and rows[0]["type"] == "section"
    values = [row for row in rows if row["kind"] == "value"]
    assert [row["title"] for row in values] == ["Safety", "Family", "Community", "Integrity"]
    assert response.context["details"].initial["title"] == "Who We Are"
    assert content_counts() == before


def test_a_batch_of_files_is_previewed_and_saved_together(importer_client, built_corpus):
    maine = Organization.objects.get(slug="maine-cfs")
    files = [
        corpus_file(built_corpus, name) for name in ("numbered-beliefs.docx", "policy-footer.html")
    ]
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files]
    response = importer_client.post(URL, {"organization": maine.pk, "file": uploads})
    assert response.status_code == 200
    documents = response.context["documents"]
    assert len(documents) == 2
    assert "Document 2 of 2" in response.content.decode()
    data = {"documents": "2", "save": "Save"}
    for document in documents:
        data.update(form_data(document["details"], document["rows"]))
    response = importer_client.post(URL, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:principles_document_changelist")
    saved = Document.objects.filter(organization=maine, status=DocumentStatus.DRAFT)
    assert set(saved.values_list("title", flat=True)) == {
        "Statement of Core Beliefs",
        "Family Engagement Policy",
    }
    policy = saved.get(title="Family Engagement Policy")
    assert policy.policy_number == "5.3" and policy.kind == DocumentKind.POLICY


def test_a_batch_with_one_bad_preview_saves_none(importer_client, built_corpus):
    maine = Organization.objects.get(slug="maine-cfs")
    files = [corpus_file(built_corpus, n) for n in ("mission-labels.md", "themes-strategies.md")]
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files]
    response = importer_client.post(URL, {"organization": maine.pk, "file": uploads})
    data = {"documents": "2", "save": "Save"}
    for document in response.context["documents"]:
        data.update(form_data(document["details"], document["rows"]))
    data["document1-title"] = ""  # the second document loses its title
    before = content_counts()
    response = importer_client.post(URL, data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert content_counts() == before


def test_a_file_in_a_batch_that_cannot_be_read_is_named(importer_client, built_corpus):
    maine = Organization.objects.get(slug="maine-cfs")
    good = corpus_file(built_corpus, "mission-labels.md")
    uploads = [
        SimpleUploadedFile(good.name, good.read_bytes()),
        SimpleUploadedFile("broken.pdf", b"%PDF-1.4 not really"),
    ]
    response = importer_client.post(URL, {"organization": maine.pk, "file": uploads})
    assert response.status_code == 400
    assert "broken.pdf: The PDF is damaged" in response.content.decode()


def test_rows_the_importer_is_unsure_of_are_marked(importer_client):
    maine = Organization.objects.get(slug="maine-cfs")
    text = "Our Commitments\n\n- Listen first.\n- Speak plainly.\n\nData\n\nWe count it.\n"
    response = importer_client.post(URL, {"organization": maine.pk, "text": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("transfer__row--doubt") >= 1
    assert "A short line read as a heading" in html


def form_data(details, rows):
    data = {}
    for form in [details, rows.management_form]:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    for form in rows.forms:
        for name in form.fields:
            value = form[name].value()
            if name == "skip":
                continue
            data[form.add_prefix(name)] = "" if value is None else str(value)
    return data
