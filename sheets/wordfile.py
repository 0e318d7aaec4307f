"""A sheet as a Word file (.docx, python-docx): the same statements, numbers and sources as
its PDF, in editable paragraphs, so trainers can adapt a handout.

It is built from the same SheetContent as the PDF (so the same statements: readers never
see a draft), in the request: a five-organization comparison takes a fraction of a second.
"""

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Mm, Pt, RGBColor

from principles.citations import headline_case as heading_case
from principles.markup import plain_text

from .models import Paper

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
GREY = RGBColor(0x4A, 0x53, 0x60)
PAPER_MM = {Paper.LETTER: (215.9, 279.4), Paper.A4: (210, 297)}
NOTE_LINES = 4
CROSSWALK_MM = (12, 72, 12, 72, 16)


def docx_filename(content):
    return content.filename.removesuffix(".pdf") + ".docx"


def _small(paragraph, text, *, italic=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    run.italic = italic
    return run


def _designation(statement, common_kind=""):
    if statement.label:
        return statement.designation
    return "" if common_kind else statement.get_kind_display()


def _statement(document, number, statement, *, named, common_kind, discussion, site_url):
    meta = document.add_paragraph()
    meta.paragraph_format.space_before = Pt(6)
    meta.paragraph_format.space_after = Pt(0)
    meta.paragraph_format.keep_with_next = True
    meta.add_run(f"{number}. ").bold = True
    parts = [
        statement.document.organization.display_name if named else "",
        _designation(statement, common_kind),
        statement.title,
    ]
    label = meta.add_run(" · ".join(part for part in parts if part))
    label.bold = True
    label.font.color.rgb = GREY
    text = document.add_paragraph(plain_text(statement.text))
    text.paragraph_format.left_indent = Mm(6)
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.keep_with_next = True
    source = document.add_paragraph()
    source.paragraph_format.left_indent = Mm(6)
    where = [statement.document.title]
    if statement.section:
        where.append(heading_case(statement.section.heading))
    _small(source, " · ".join([*where, f"{site_url}{statement.get_absolute_url()}"]))
    if discussion:
        for _ in range(NOTE_LINES):
            line = document.add_paragraph("_" * 80)
            line.paragraph_format.left_indent = Mm(6)
            line.runs[0].font.color.rgb = GREY


def _crosswalk(document, columns):
    document.add_heading(
        f"Crosswalk: {len(columns.crosswalk)} pairs that say the same or nearly the same thing",
        level=1,
    )
    document.add_paragraph("Numbers refer to the statements below.")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    titles = ("No.", "Statement", "No.", "Statement", "Alike")
    for cell, text in zip(table.rows[0].cells, titles, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for pair, first, second in columns.crosswalk:
        cells = table.add_row().cells
        cells[0].text = str(first)
        cells[2].text = str(second)
        for cell, statement in ((cells[1], pair.first), (cells[3], pair.second)):
            name = statement.document.organization.display_name
            words = plain_text(statement.text).split()
            excerpt = " ".join(words[:10]) + (" …" if len(words) > 10 else "")
            cell.text = f"{name}, {_designation(statement)}: “{excerpt}”"
        cells[4].text = "Confirmed" if pair.link else f"{pair.percent}%"
    table.autofit = False
    for column, width in zip(table.columns, CROSSWALK_MM, strict=True):
        column.width = Mm(width)
        for cell in column.cells:  # Word reads the cells' widths, LibreOffice the grid's
            cell.width = Mm(width)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def sheet_docx(content, *, paper, discussion, printed_on, online_url, site_url):
    """The .docx bytes of a sheet."""
    document = Document()
    section = document.sections[0]
    width, height = PAPER_MM[paper]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    properties = document.core_properties
    properties.title = content.title
    properties.subject = content.subtitle
    properties.language = "en-US"
    properties.author = "PracticeKB"

    document.add_heading(content.title, level=0)
    if content.subtitle:
        document.add_paragraph(content.subtitle, style="Subtitle")
    if content.notes:
        document.add_paragraph().add_run(content.notes).italic = True
    source = document.add_paragraph()
    source.add_run("Source: ").bold = True
    source.add_run(content.source)
    printed = f"Printed {printed_on:%B} {printed_on.day}, {printed_on.year}. Online: {online_url}"
    _small(document.add_paragraph(), printed)

    columns = content.columns
    if columns is not None and columns.crosswalk:
        _crosswalk(document, columns)
    named = content.show_source
    for group in content.groups:
        if group.document:
            document.add_heading(heading_case(group.document), level=1)
        if group.heading:
            document.add_heading(heading_case(group.heading), level=1 if named else 2)
        common_kind = group.common_kind
        if common_kind:
            _small(document.add_paragraph(), common_kind).bold = True
        for number, statement in group.numbered:
            _statement(
                document,
                number,
                statement,
                named=named,
                common_kind=common_kind,
                discussion=discussion,
                site_url=site_url,
            )
    if not content.groups:
        document.add_paragraph(content.empty_message)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
