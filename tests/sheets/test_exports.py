"""Every sheet kind as a tagged PDF (PDF/UA: structure tree, language, title) and as a Word
file that LibreOffice opens, with the statements numbered and in the sheet's order."""

import io
import os
import re
import shutil
import subprocess

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from docx import Document
from pypdf import PdfReader

from compare.forms import compare_form
from principles.markup import plain_text
from principles.models import Statement
from sheets import content as sheet_content
from sheets import services
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DOCUMENT = ("vermont-fsd", "policy-11-mission-values-guiding-principles")
COMPARISON = "org=virginia&org=maine-cfs"


@pytest.fixture
def picked(db):
    trainer = make_user("picker", "Trainers")
    sheet = services.create_sheet(owner=trainer, title="Three states")
    for slug, position in (("virginia", 17), ("maine-cfs", 15), ("vermont-fsd", 3)):
        statement = Statement.objects.get(document__organization__slug=slug, position=position)
        services.add_statement(sheet, statement)
    return sheet


def comparison(query):
    form = compare_form(QueryDict(query))
    assert form.is_valid()
    return sheet_content.comparison_content(form)


def kinds(sheet):
    """(name, address without the extension, the content the sheet prints)."""
    reader = AnonymousUser()
    return [
        (
            "organization",
            "/organizations/maine-cfs/sheet",
            sheet_content.organization_content("maine-cfs", reader),
        ),
        (
            "document",
            f"/organizations/{DOCUMENT[0]}/documents/{DOCUMENT[1]}/sheet",
            sheet_content.organization_content(*DOCUMENT[:1], reader, DOCUMENT[1]),
        ),
        ("theme", "/themes/kinship/sheet", sheet_content.theme_content("kinship", reader)),
        (
            "comparison",
            "/compare/sheet",
            comparison(COMPARISON),
        ),
        (
            "selection",
            f"/sheets/{sheet.public_id}/sheet",
            sheet_content.selection_content(sheet.public_id, reader)[1],
        ),
    ]


def query_of(name):
    return f"?{COMPARISON}" if name == "comparison" else ""


def test_every_sheet_pdf_is_tagged_with_language_title_and_structure(client, picked):
    for name, address, content in kinds(picked):
        response = client.get(f"{address}.pdf{query_of(name)}")
        assert response.status_code == 200, name
        reader = PdfReader(io.BytesIO(response.content))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root, f"{name}: no structure tree"
        assert root["/StructTreeRoot"].get_object().get("/K"), f"{name}: empty structure tree"
        assert root["/Lang"] == "en", name
        assert root["/MarkInfo"]["/Marked"], name
        assert reader.metadata.title.startswith(content.title), name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"], name


def soffice():
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI to check the Word files")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def in_order(text, content):
    """Every statement's opening words appear in `text`, numbered, in the sheet's order."""
    text = re.sub(r"\s+", " ", text)
    at = 0
    for number, statement in content.numbered():
        opening = " ".join(plain_text(statement.text).split()[:6])
        found = text.find(opening, at)
        while found > 0 and text[found - 1] == "“":  # a crosswalk summary's excerpt
            found = text.find(opening, found + 1)
        assert found >= 0, f"statement {number} ({statement.pk}) missing or out of order"
        assert f"{number}. " in text[max(0, found - 300) : found], f"no number {number}"
        at = found + 1


def test_every_sheet_as_word_opens_in_libreoffice_in_order(client, picked, tmp_path):
    program = soffice()
    expected = {}
    for name, address, content in kinds(picked):
        response = client.get(f"{address}.docx{query_of(name)}")
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].endswith('.docx"')
        assert content.statement_count, f"{name}: the check needs statements"
        (tmp_path / f"{name}.docx").write_bytes(response.content)
        core = Document(io.BytesIO(response.content)).core_properties
        assert core.title == content.title and core.language == "en-US"
        expected[name] = content
    subprocess.run(
        [
            program,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(tmp_path / f"{name}.docx") for name in expected),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for name, content in expected.items():
        reader = PdfReader(tmp_path / f"{name}.pdf")
        text = " ".join(page.extract_text() for page in reader.pages)
        assert content.title in re.sub(r"\s+", " ", text), name
        in_order(text, content)


def test_readers_word_files_leave_drafts_out(client, picked):
    draft = Statement.objects.filter(document__organization__slug="maine-cfs").first()
    document = draft.document
    document.status = "draft"
    document.save()
    body = client.get("/organizations/maine-cfs/sheet.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(body.content)).paragraphs)
    assert plain_text(draft.text)[:40] not in text
