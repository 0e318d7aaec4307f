"""Files that cannot be imported get a plain message, the page never fails, nothing is saved.

PDF and Word files are converted in a child process with time and memory limits
(transfer.bounded); these tests go through it, as the admin form and the command do.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from organizations.models import Organization
from transfer.converters import MAX_FILE_BYTES

from .conftest import content_counts

pytestmark = pytest.mark.django_db

URL = reverse("transfer:import")


def small_pdf(body="<h1>Values</h1><ul><li>Families first.</li></ul>"):
    from weasyprint import HTML

    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def encrypted_pdf():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(small_pdf())))
    writer.encrypt("a secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf():
    """A page with only a picture on it (no text layer), as a scanner makes."""
    return small_pdf('<div style="width:400px;height:500px;background:#333"></div>')


def word_file(extra=None):
    from docx import Document

    word = Document()
    word.add_heading("Values", level=1)
    word.add_paragraph("Families first.", style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    if not extra:
        return out.getvalue()
    bigger = io.BytesIO(out.getvalue())
    with zipfile.ZipFile(bigger, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in extra.items():
            archive.writestr(name, data)
    return bigger.getvalue()


BAD_FILES = [
    ("locked.pdf", encrypted_pdf, "protected by a password"),
    ("scan.pdf", scanned_pdf, "looks like a scan"),
    ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF", "damaged"),
    ("cut.pdf", lambda: small_pdf()[:600], "damaged"),
    ("bomb.docx", lambda: word_file({"word/media/x.bin": b"\0" * (8 * 1024 * 1024)}), "zip bomb"),
    ("macros.docx", lambda: word_file({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
    ("broken.docx", lambda: b"PK\x03\x04" + b"\x00" * 200, "damaged"),
    ("notword.docx", lambda: zipfile_with({"hello.txt": b"hi"}), "not a Word .docx"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word (.doc)"),
    ("model.exe", lambda: b"MZ\x90\x00" + b"\0" * 100, "not a file type I can read"),
    ("scripts.html", lambda: b"<html><body><script>alert(1)</script></body></html>", "No state"),
]


def zipfile_with(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[n for n, _, _ in BAD_FILES])
def test_the_form_refuses_bad_files_saving_nothing(importer_client, name, make, message):
    maine = Organization.objects.get(slug="maine-cfs")
    before = content_counts()
    upload = SimpleUploadedFile(name, make())
    response = importer_client.post(URL, {"organization": maine.pk, "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert content_counts() == before


@pytest.mark.parametrize(
    ("name", "make", "message"), BAD_FILES[:6], ids=[n for n, _, _ in BAD_FILES[:6]]
)
def test_the_command_refuses_bad_files_saving_nothing(tmp_path, name, make, message):
    path = tmp_path / name
    path.write_bytes(make())
    before = content_counts()
    with pytest.raises(CommandError, match=message):
        call_command("import_document", str(path), organization="maine-cfs")
    assert content_counts() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(importer_client, tmp_path):
    maine = Organization.objects.get(slug="maine-cfs")
    data = b"%PDF-1.4\n" + b"0" * MAX_FILE_BYTES
    upload = SimpleUploadedFile("huge.pdf", data)
    response = importer_client.post(URL, {"organization": maine.pk, "file": upload})
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    path = tmp_path / "huge.pdf"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="the limit is 10 MB"):
        call_command("import_document", str(path), organization="maine-cfs")


def test_scripts_in_a_web_page_are_left_out_and_never_shown(importer_client):
    maine = Organization.objects.get(slug="maine-cfs")
    page = (
        b"<html><head><script>document.write('x')</script></head><body>"
        b"<main><h1>Our Values</h1><ul><li onclick=\"alert('hi')\">Families first.</li>"
        b"<li>We say &lt;script&gt;alert(2)&lt;/script&gt; plainly.</li></ul>"
        b"<script>alert(1)</script><noscript>Enable scripts</noscript></main></body></html>"
    )
    response = importer_client.post(
        URL, {"organization": maine.pk, "file": SimpleUploadedFile("page.html", page)}
    )
    assert response.status_code == 200
    texts = [form.initial["text"] for form in response.context["rows"].forms]
    assert texts == ["Families first.", "We say <script>alert(2)</script> plainly."]
    html = response.content.decode()
    assert "alert(1)" not in html and "document.write" not in html and "onclick" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_a_conversion_over_its_time_or_memory_is_stopped_with_a_message(importer_client, settings):
    maine = Organization.objects.get(slug="maine-cfs")
    before = content_counts()
    settings.TRANSFER_CONVERT_MEMORY_MB = 40  # too little to start the converter at all
    upload = SimpleUploadedFile("model.pdf", small_pdf())
    response = importer_client.post(URL, {"organization": maine.pk, "file": upload})
    assert response.status_code == 400
    assert "more time or memory than a document should" in response.content.decode()
    assert content_counts() == before


def test_a_good_pdf_converts_within_the_limits(importer_client):
    maine = Organization.objects.get(slug="maine-cfs")
    upload = SimpleUploadedFile("model.pdf", small_pdf())
    response = importer_client.post(URL, {"organization": maine.pk, "file": upload})
    assert response.status_code == 200
    assert [form.initial["text"] for form in response.context["rows"].forms] == ["Families first."]
