"""Render the import corpus (tests/transfer/corpus/*.yaml) as the files agencies publish.

Each YAML file holds a document written for this project and the structure a careful
editor would give it. `build()` writes, per document and format, the file and an
`<name>.<ext>.expected.json` that `transfer.scoring` compares the importer's result with.
PyYAML and python-docx are development dependencies: this module is for tests and
`manage.py score_import --corpus`, never for a request.
"""

import datetime
import html
import json
from pathlib import Path

from django.conf import settings

CORPUS_DIR = Path(settings.BASE_DIR) / "tests" / "transfer" / "corpus"
FORMATS = ["txt", "md", "html", "pdf", "docx"]
NAMED_SEPARATOR = {"colon": ": ", "dash": " \u2013 ", "bold": ". "}


def load(path):
    import yaml

    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _blocks(doc):
    """The document as ("h", level, text) / ("p", lead, text) / ("li", style, n, lead, text)
    / ("meta", text), plus the statements and headings an editor expects."""
    blocks, statements, sections = [], [], []
    section = ""

    def expect(text, kind, label="", title=""):
        statements.append(
            {"text": text, "kind": kind, "label": label, "title": title, "section": section}
        )

    for element in doc["body"]:
        if "heading" in element:
            section = element["heading"]
            sections.append(section)
            blocks.append(("h", element.get("level", 2), section, element.get("caps", False)))
        elif "meta" in element:
            blocks.append(("meta", element["meta"]))
        elif "noise" in element:  # page furniture copied with the text: never a statement
            blocks.append(("meta", element["noise"]))
        elif "text" in element:
            text, label = element["text"], element.get("label", "")
            blocks.append(("p", "", text))
            if label:
                text = text[len(label) + 1 :].strip()
            expect(text, element["kind"], label)
        elif "pair" in element:
            pair = element["pair"]
            blocks.append(("p", "Value:", f"Value: {pair['value']}"))
            blocks.append(("p", "Principle:", f"Principle: {pair['principle']}"))
            expect(pair["principle"], "guiding_principle", "", pair["value"])
        elif "list" in element:
            style, named = element["list"], element.get("named", "")
            for number, item in enumerate(element["items"], 1):
                title, text = item.get("title", ""), item["text"]
                label = f"{number}." if style == "numbered" else ""
                if named in ("line", "heading"):
                    if named == "heading":
                        blocks.append(("h", 3, title, False))
                    else:
                        blocks.append(("p", title, title))
                    blocks.append(("p", "", text))
                elif named:
                    lead = title + NAMED_SEPARATOR[named].rstrip()
                    full = f"{title}{NAMED_SEPARATOR[named]}{text}"
                    if style == "paragraphs":
                        blocks.append(("p", lead, full))
                    else:
                        blocks.append(("li", style, number, lead, full))
                elif style == "paragraphs":
                    blocks.append(("p", "", text))
                else:
                    blocks.append(("li", style, number, "", text))
                expect(text, element["kind"], label, title)
    return blocks, statements, sections


def expected(doc):
    metadata = {
        key: value.isoformat() if isinstance(value, datetime.date) else str(value)
        for key, value in (doc.get("metadata") or {}).items()
    }
    _, statements, sections = _blocks(doc)
    return {
        "title": doc["title"],
        "kind": doc["kind"],
        "metadata": metadata,
        "sections": sections,
        "statements": statements,
    }


def render_text(doc, markdown=False):
    blocks, _, _ = _blocks(doc)
    lines = [f"# {doc['title']}" if markdown else doc["title"], ""]
    previous = None
    for block in blocks:
        if block[0] == "h":
            heading = block[2].upper() if block[3] and not markdown else block[2]
            lines += ["", f"{'#' * block[1]} {heading}" if markdown else heading, ""]
        elif block[0] in ("p", "meta"):
            text = block[-1]
            lead = block[1] if block[0] == "p" else ""
            if markdown and lead:
                text = f"**{lead}**{text[len(lead) :]}"
            lines += [text, ""]
        else:
            _, style, number, lead, text = block
            if markdown and lead:
                text = f"**{lead}**{text[len(lead) :]}"
            mark = f"{number}." if style == "numbered" else "-"
            if previous != "li":
                lines.append("")
            lines.append(f"{mark} {text}")
        previous = block[0]
    if doc.get("footer"):
        lines += ["", doc["footer"]]
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


def _html_body(doc):
    blocks, _, _ = _blocks(doc)
    out, open_list = [f"<h1>{html.escape(doc['title'])}</h1>"], None
    for block in blocks:
        style = block[1] if block[0] == "li" else None
        if open_list and style != open_list:
            out.append("</ol>" if open_list == "numbered" else "</ul>")
            open_list = None
        if block[0] == "h":
            out.append(f"<h{block[1]}>{html.escape(block[2])}</h{block[1]}>")
        elif block[0] == "meta":
            out.append(f"<p>{html.escape(block[1])}</p>")
        else:
            lead, text = (block[1], block[2]) if block[0] == "p" else (block[3], block[4])
            body = html.escape(text[len(lead) :])
            inner = f"<strong>{html.escape(lead)}</strong>{body}" if lead else body
            if block[0] == "p":
                out.append(f"<p>{inner}</p>")
            else:
                if not open_list:
                    out.append("<ol>" if style == "numbered" else "<ul>")
                    open_list = style
                out.append(f"<li>{inner}</li>")
    if open_list:
        out.append("</ol>" if open_list == "numbered" else "</ul>")
    return "\n".join(out)


def render_html(doc):
    """A page as an agency's site serves it: navigation, header, sidebar, footer, scripts."""
    publisher = html.escape(doc["publisher"])
    footer = html.escape(doc.get("footer", ""))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(doc["title"])} | {publisher}</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{}}</script>
<style>body {{ font-family: sans-serif; }}</style></head>
<body>
<a href="#main" class="skip">Skip to main content</a>
<header class="site-header"><div class="logo">{publisher}</div>
<nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/about/">About Us</a></li>
<li><a href="/services/">Services</a></li><li><a href="/foster/">Become a Foster Parent</a></li>
<li><a href="/contact/">Contact</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/about/">About Us</a></div>
<main id="main"><article>
{_html_body(doc)}
</article></main>
<aside><h2>Related Links</h2><ul><li><a href="/reports/">Annual Reports</a></li>
<li><a href="/careers/">Careers</a></li></ul></aside>
<footer><p>{footer}</p><p>&copy; 2024 {publisher}. All rights reserved.</p>
<p><a href="/privacy/">Privacy Policy</a> | <a href="/accessibility/">Accessibility</a></p>
</footer>
<script src="/static/site.js"></script>
</body></html>
"""


def render_pdf(doc):
    """A printed page: the publisher in a running header, the footer and page numbers below."""
    from weasyprint import HTML

    publisher = doc["publisher"].replace('"', "'")
    footer = doc.get("footer", "").replace('"', "'")
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ size: letter; margin: 2.2cm 2.5cm;
  @top-center {{ content: "{publisher}"; font-family: DejaVu Sans; font-size: 8pt; }}
  @bottom-left {{ content: "{footer}"; font-family: DejaVu Sans; font-size: 8pt; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages);
    font-family: DejaVu Sans; font-size: 8pt; }} }}
body {{ font-family: DejaVu Serif; font-size: 11pt; line-height: 1.35; hyphens: auto; }}
h1 {{ font-size: 20pt; }} h2 {{ font-size: 15pt; }} h3 {{ font-size: 12.5pt; }}
p, li {{ margin: 0 0 0.5em; }}
</style></head><body>{_html_body(doc)}</body></html>"""
    return HTML(string=page).write_pdf()


def render_docx(doc):
    """A Word file with heading styles, list styles, bold names, and header and footer."""
    import io

    from docx import Document as WordDocument

    blocks, _, _ = _blocks(doc)
    word = WordDocument()
    section = word.sections[0]
    section.header.paragraphs[0].text = doc["publisher"]
    section.footer.paragraphs[0].text = doc.get("footer", "")
    word.add_heading(doc["title"], level=1)

    def add(text, lead, style=None):
        paragraph = word.add_paragraph(style=style)
        if lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(text[len(lead) :])

    for block in blocks:
        if block[0] == "h":
            word.add_heading(block[2], level=block[1])
        elif block[0] == "meta":
            add(block[1], "")
        elif block[0] == "p":
            add(block[2], block[1])
        else:
            _, style, _, lead, text = block
            add(text, lead, "List Number" if style == "numbered" else "List Bullet")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


RENDERERS = {
    "txt": lambda doc: render_text(doc).encode(),
    "md": lambda doc: render_text(doc, markdown=True).encode(),
    "html": lambda doc: render_html(doc).encode(),
    "pdf": render_pdf,
    "docx": render_docx,
}


def build(out_dir, formats=FORMATS, names=None):
    """Write every corpus document in each format to out_dir; return the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(CORPUS_DIR.glob("*.yaml")):
        if names and source.stem not in names:
            continue
        doc = load(source)
        truth = json.dumps(expected(doc), indent=2)
        for ext in formats:
            path = out_dir / f"{source.stem}.{ext}"
            path.write_bytes(RENDERERS[ext](doc))
            path.with_name(f"{path.name}.expected.json").write_text(truth, encoding="utf-8")
            written.append(path)
    return written
