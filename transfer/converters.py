"""Files as agencies publish them (PDF, Word, web pages, Markdown) turned into blocks.

Every converter returns a `Converted`: the document's blocks in reading order (headings
with levels, paragraphs, list items with their numbers or bullets, the emphasised words a
block starts with), the lines printed around it (running headers and footers, a page's
footer) that may carry provenance, and a title hint. `transfer.parser` structures blocks
the same way whatever the format. Plain text goes to the parser line by line.

Conversion is bounded: sizes, page counts, zip members and nesting are checked before
and while reading, and a bad file raises ImportTextError with a plain message.
"""

import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from .source import ImportTextError, check_text

HEADING, PARAGRAPH, ITEM = "heading", "paragraph", "item"

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PAGES = 60
MAX_ZIP_MEMBERS = 500
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ZIP_RATIO = 100
FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
}
ACCEPT = ",".join(FORMATS)


@dataclass
class Block:
    type: str
    text: str
    level: int = 0
    label: str = ""
    lead: str = ""
    line: int = 0


@dataclass
class Converted:
    format: str
    blocks: list = field(default_factory=list)
    margins: list = field(default_factory=list)
    title: str = ""
    text: str = ""  # plain text, parsed line by line


def clean(text):
    return " ".join((text or "").replace("\u00ad", "").replace("\u2028", " ").split())


def sniff(name, data):
    """The file's format from its first bytes, else its name's extension; or an error."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if name.lower().endswith(".docx") or b"word/" in data[:4096] or b"[Content_Types]" in head:
            return "docx"
        raise ImportTextError(
            "This is a zip archive, not a Word .docx file. Upload a .pdf, .docx, .html, .md "
            "or .txt file."
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportTextError(
            "This is an old Word (.doc) file. Save it as .docx or PDF and upload it again."
        )
    lower = head[:300].lower()
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower:
        return "html"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in FORMATS:
        return FORMATS[suffix]
    raise ImportTextError(
        f"“{name}” is not a file type I can read. Upload a .pdf, .docx, .html, .md or .txt file."
    )


def convert(name, data):
    """Turn an uploaded file's bytes into a Converted, or raise ImportTextError."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportTextError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split the document and import it in parts."
        )
    if not data.strip():
        raise ImportTextError("The file is empty.")
    kind = sniff(name, data)
    if kind == "pdf":
        return pdf_blocks(data)
    if kind == "docx":
        return docx_blocks(data)
    text = _decode(data)
    if kind == "html":
        return html_blocks(text)
    if kind == "md":
        return markdown_blocks(text)
    return Converted("txt", text=text)


def _decode(data):
    from .source import decode_upload

    return decode_upload(data)


# Markdown -------------------------------------------------------------------------------

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MD_ITEM = re.compile(r"^(\s*)(?:([-*+])|(\d{1,3})[.)])\s+(.*)$")
MD_LEAD = re.compile(r"^(\*\*|__)(.+?)\1")


def _md_inline(text):
    lead = ""
    if match := MD_LEAD.match(text):
        lead = match[2]
        text = lead + text[match.end() :]
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](\S.*?)[*_](?![\w*])", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return clean(text), clean(lead)


def markdown_blocks(text):
    check_text(text)
    converted = Converted("md")
    blocks = converted.blocks
    paragraph = []

    def flush():
        if paragraph:
            body, lead = _md_inline(" ".join(paragraph))
            blocks.append(Block(PARAGRAPH, body, lead=lead, line=start[0]))
            paragraph.clear()

    start = [0]
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or re.match(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$", line):
            flush()
            continue
        if match := MD_HEADING.match(line.strip()):
            flush()
            body, _ = _md_inline(match[2])
            blocks.append(Block(HEADING, body, level=len(match[1]), line=number))
            continue
        if match := MD_ITEM.match(line):
            flush()
            body, lead = _md_inline(match[4])
            label = f"{match[3]}." if match[3] else ""
            level = len(match[1].expandtabs(4)) // 2
            blocks.append(Block(ITEM, body, level=level, label=label, lead=lead, line=number))
            continue
        if blocks and blocks[-1].type == ITEM and not paragraph and raw[:1].isspace():
            blocks[-1].text = clean(f"{blocks[-1].text} {_md_inline(line)[0]}")
            continue
        if not paragraph:
            start[0] = number
        paragraph.append(line.strip())
    flush()
    first = next((b for b in blocks if b.type == HEADING), None)
    if first and first.level == 1:
        converted.title = first.text
    return converted


# HTML -----------------------------------------------------------------------------------

DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "svg",
    "canvas",
    "button",
    "select",
    "input",
    "textarea",
    "head",
]
CHROME_TAGS = ["nav", "header", "footer", "aside"]
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
CHROME_CLASS = re.compile(
    r"(?:^|\s)(?:breadcrumbs?|skip(?:-link)?|site-?nav|nav|navbar|menu|sidebar|cookie\S*|"
    r"site-?header|masthead|site-?footer|footer|social|share)(?:\s|$)",
    re.I,
)
BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "td", "th", "dd", "dt"}
MAX_HTML_DEPTH = 200
LINE_BREAK = "\u2028"  # where a <br> was: lines of a paragraph that are blocks of their own


def html_blocks(text, fmt="html"):
    import lxml.html
    from lxml import etree

    check_text(text)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ImportTextError("The web page cannot be read as HTML.") from exc
    converted = Converted(fmt)
    title = root.find(".//title")
    page_title = clean(title.text_content()) if title is not None else ""
    for element in list(root.iter(*DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter(*CHROME_TAGS)):
        if element.tag == "footer":
            converted.margins += [clean(p.text_content()) for p in element.iter("p", "div")]
        if element.getparent() is not None:
            element.drop_tree()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        if element.get("role") in CHROME_ROLES or CHROME_CLASS.search(element.get("class", "")):
            if "footer" in element.get("class", "") or element.get("role") == "contentinfo":
                converted.margins += [clean(p.text_content()) for p in element.iter("p", "div")]
            element.drop_tree()
    for br in list(root.iter("br")):
        br.tail = LINE_BREAK + (br.tail or "")
    main = root.find(".//main")
    if main is None:
        main = next(iter(root.xpath("//*[@role='main'] | //article")), None)
    if main is None:
        main = root.find(".//body")
    if main is None:
        main = root
    _walk(main, converted.blocks, 0, 0)
    first = next((b for b in converted.blocks if b.type == HEADING and b.level == 1), None)
    converted.title = first.text if first else page_title.split(" | ")[0].split(" - ")[0]
    return converted


def _lead(element):
    """The bold or strong words an element starts with."""
    if clean(element.text):
        return ""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        bold_span = child.tag == "span" and "bold" in child.get("style", "")
        if child.tag in ("strong", "b") or bold_span:
            return clean(child.text_content())
        return _lead(child) if child.tag in ("span", "a", "em") else ""
    return ""


def _walk(element, blocks, depth, list_level):
    if depth > MAX_HTML_DEPTH:
        raise ImportTextError("The web page is nested too deeply to read.")
    tag = element.tag if isinstance(element.tag, str) else ""
    if re.fullmatch(r"h[1-6]", tag):
        text = clean(element.text_content())
        if text:
            blocks.append(Block(HEADING, text, level=int(tag[1]), line=len(blocks) + 1))
        return
    if tag in ("ul", "ol"):
        number = int(element.get("start", "1")) if element.get("start", "1").isdigit() else 1
        for child in element:
            if isinstance(child.tag, str) and child.tag == "li":
                label = f"{number}." if tag == "ol" else ""
                _item(child, blocks, depth, list_level, label)
                number += 1
        return
    if tag in ("p", "dt", "dd", "td", "th", "blockquote", "pre") or (
        tag in BLOCK_TAGS
        and not any(
            isinstance(c.tag, str) and c.tag in BLOCK_TAGS | {"h1", "h2", "h3", "h4", "h5", "h6"}
            for c in element
        )
    ):
        lines = [clean(part) for part in element.text_content().split(LINE_BREAK)]
        lead = _lead(element)
        for text in filter(None, lines):
            line_lead = lead if lead and text.startswith(lead) else ""
            blocks.append(Block(PARAGRAPH, text, lead=line_lead, line=len(blocks) + 1))
            lead = ""
        return
    if clean(element.text):
        blocks.append(Block(PARAGRAPH, clean(element.text), line=len(blocks) + 1))
    for child in element:
        if isinstance(child.tag, str):
            _walk(child, blocks, depth + 1, list_level)
        if clean(child.tail):
            blocks.append(Block(PARAGRAPH, clean(child.tail), line=len(blocks) + 1))


def _item(element, blocks, depth, level, label):
    """A list item: its own text (without nested lists) then its nested lists."""
    nested = [c for c in element if isinstance(c.tag, str) and c.tag in ("ul", "ol")]
    for child in nested:
        element.remove(child)
    text = clean(element.text_content())
    if text:
        blocks.append(
            Block(ITEM, text, level=level, label=label, lead=_lead(element), line=len(blocks) + 1)
        )
    for child in nested:
        _walk(child, blocks, depth + 1, level + 1)


# Word -----------------------------------------------------------------------------------


def _check_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportTextError("The Word file is damaged: it cannot be opened.") from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportTextError("The Word file holds too many parts to be a document.")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNZIPPED_BYTES or (member.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO):
            raise ImportTextError(
                "The Word file expands to far more than it holds (a “zip bomb”); it was not read."
            )
    names = {member.filename.lower() for member in members}
    if "word/document.xml" not in names:
        raise ImportTextError("This is not a Word .docx document (it has no document part).")
    content_types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise ImportTextError(
            "The Word file contains macros. Save it as a plain .docx (without macros) or as "
            "PDF and upload it again."
        )
    return archive


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(archive, name):
    from lxml import etree

    try:
        data = archive.read(name)
    except KeyError:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportTextError("The Word file is damaged: its text cannot be read.") from exc


def _val(element, path):
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


def _is_on(element):
    return element is not None and element.get(f"{W}val", "true") not in ("0", "false", "off")


def docx_blocks(data):
    """Word's own structure, read with lxml: heading styles (or outline levels), list
    numbering (from the paragraph or its style), bold words, and headers and footers."""
    archive = _check_zip(data)
    document = _xml(archive, "word/document.xml")
    styles = _docx_styles(_xml(archive, "word/styles.xml"))
    formats = _docx_numbering(_xml(archive, "word/numbering.xml"))
    converted = Converted("docx")
    for name in archive.namelist():
        if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
            for paragraph in _xml(archive, name).iter(f"{W}p"):
                text = clean("".join(t.text or "" for t in paragraph.iter(f"{W}t")))
                if text:
                    converted.margins.append(text)
    counters = {}
    for paragraph in document.iter(f"{W}p"):
        style = styles.get(_val(paragraph, f"{W}pPr/{W}pStyle") or "Normal", {})
        words, lead, leading = [], [], True
        for run in paragraph.iter(f"{W}r"):
            text = "".join(
                (t.text or "") if t.tag == f"{W}t" else " "
                for t in run
                if t.tag in (f"{W}t", f"{W}tab", f"{W}br")
            )
            bold = _is_on(run.find(f"{W}rPr/{W}b")) or style.get("bold", False)
            if leading and text.strip() and not bold:
                leading = False
            if leading:
                lead.append(text)
            words.append(text)
        text, lead = clean("".join(words)), clean("".join(lead))
        if not text:
            continue
        line = len(converted.blocks) + 1
        outline = _val(paragraph, f"{W}pPr/{W}outlineLvl")
        level = int(outline) + 1 if outline and outline.isdigit() else style.get("heading")
        if level:
            converted.blocks.append(Block(HEADING, text, level=min(level, 6), line=line))
            continue
        num_id = _val(paragraph, f"{W}pPr/{W}numPr/{W}numId") or style.get("num_id")
        ilvl = _val(paragraph, f"{W}pPr/{W}numPr/{W}ilvl") or style.get("ilvl") or "0"
        kind = formats.get((num_id, ilvl)) if num_id and num_id != "0" else style.get("list")
        if kind:
            depth = int(ilvl) if ilvl.isdigit() else 0
            for key in [k for k in counters if k[0] == num_id and k[1] > depth]:
                del counters[key]
            counters[(num_id, depth)] = counters.get((num_id, depth), 0) + 1
            label = f"{counters[(num_id, depth)]}." if kind == "number" else ""
            converted.blocks.append(
                Block(ITEM, text, level=depth, label=label, lead=lead, line=line)
            )
            continue
        converted.blocks.append(Block(PARAGRAPH, text, lead=lead, line=line))
    first = next((b for b in converted.blocks if b.type == HEADING), None)
    if first and first.level == 1:
        converted.title = first.text
    return converted


def _docx_styles(root):
    """styleId -> heading level, list kind and numbering, bold; following basedOn."""
    if root is None:
        return {}
    raw = {}
    for style in root.iter(f"{W}style"):
        name = (_val(style, f"{W}name") or "").lower()
        entry = {"based_on": _val(style, f"{W}basedOn")}
        if match := re.fullmatch(r"heading (\d)", name):
            entry["heading"] = int(match[1])
        elif name == "title":
            entry["heading"] = 1
        outline = _val(style, f"{W}pPr/{W}outlineLvl")
        if outline and outline.isdigit() and int(outline) < 9:
            entry.setdefault("heading", int(outline) + 1)
        if num_id := _val(style, f"{W}pPr/{W}numPr/{W}numId"):
            entry["num_id"] = num_id
            entry["ilvl"] = _val(style, f"{W}pPr/{W}numPr/{W}ilvl")
        if name.startswith("list number"):
            entry["list"] = "number"
        elif name.startswith("list bullet"):
            entry["list"] = "bullet"
        if _is_on(style.find(f"{W}rPr/{W}b")):
            entry["bold"] = True
        raw[style.get(f"{W}styleId")] = entry
    resolved = {}
    for style_id in raw:
        entry, seen, parent = dict(raw[style_id]), {style_id}, raw[style_id]["based_on"]
        while parent in raw and parent not in seen:
            seen.add(parent)
            for key, value in raw[parent].items():
                entry.setdefault(key, value)
            parent = raw[parent]["based_on"]
        resolved[style_id] = entry
    return resolved


def _docx_numbering(root):
    """(numId, level) -> "number" or "bullet"."""
    if root is None:
        return {}
    abstract = {}
    for element in root.iter(f"{W}abstractNum"):
        for level in element.iter(f"{W}lvl"):
            fmt = _val(level, f"{W}numFmt") or "decimal"
            kind = "bullet" if fmt in ("bullet", "none") else "number"
            abstract[(element.get(f"{W}abstractNumId"), level.get(f"{W}ilvl"))] = kind
    formats = {}
    for num in root.iter(f"{W}num"):
        abstract_id = _val(num, f"{W}abstractNumId")
        for (key, level), kind in abstract.items():
            if key == abstract_id:
                formats[(num.get(f"{W}numId"), level)] = kind
    return formats


# PDF ------------------------------------------------------------------------------------

MARGIN_SHARE = 0.08
PDF_MARKER = re.compile(r"^(\d{1,3}[.)]|[•\u25aa\u25cf\u2013\u2022-])$")
PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?$", re.I)
PDF_ITEM = re.compile(r"^(?:(?P<number>\d{1,3}[.)])|(?P<bullet>[•\u25aa\u25cf\u2013\u2022-]))\s+")


def pdf_blocks(data):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportTextError(
            "The PDF is protected by a password. Remove the protection and upload it again."
        ) from exc
    except (PDFSyntaxError, Exception) as exc:  # damaged files fail in many ways
        if re.search(r"password|encrypt", repr(exc), re.I):
            raise ImportTextError(
                "The PDF is protected by a password. Remove the protection and upload it again."
            ) from exc
        raise ImportTextError("The PDF is damaged: it cannot be opened.") from exc
    with pdf:
        if len(pages) > MAX_PAGES:
            raise ImportTextError(
                f"The PDF has {len(pages)} pages; the limit is {MAX_PAGES}. "
                "Import the pages that hold the practice model."
            )
        lines, margins = [], []
        try:
            for number, page in enumerate(pages, 1):
                page_lines = _pdf_lines(page, number)
                for line in page_lines:
                    top_share = line["top"] / float(page.height)
                    line["edge"] = top_share < 2 * MARGIN_SHARE or top_share > 1 - 2 * MARGIN_SHARE
                    if top_share < MARGIN_SHARE or top_share > 1 - MARGIN_SHARE:
                        margins.append(line["text"])
                    elif not PAGE_NUMBER.match(line["text"]):
                        lines.append(line)
        except ImportTextError:
            raise
        except Exception as exc:
            raise ImportTextError("The PDF is damaged: its text cannot be read.") from exc
    if not lines:
        raise ImportTextError(
            "The PDF has no text to read: it looks like a scan (pictures of pages). Run it "
            "through text recognition (OCR) first, or paste the text."
        )
    # the same line near the top or bottom of most pages is running matter
    repeated = Counter(line["text"] for line in lines if line["edge"])
    many = max(2, len(pages) // 2 + 1) if len(pages) > 2 else 99
    lines = [line for line in lines if not line["edge"] or repeated[line["text"]] < many]
    converted = Converted("pdf", blocks=_pdf_group(lines), margins=margins)
    first = next((b for b in converted.blocks if b.type == HEADING), None)
    if first and first.level == 1:
        converted.title = first.text
    return converted


def _pdf_lines(page, number):
    words = sorted(
        page.extract_words(extra_attrs=["size", "fontname"]), key=lambda w: (w["top"], w["x0"])
    )
    lines = []
    for word in words:
        if lines and abs(word["top"] - lines[-1]["top"]) < 2:
            lines[-1]["words"].append(word)
            lines[-1]["bottom"] = max(lines[-1]["bottom"], word["bottom"])
        else:
            lines.append(
                {"words": [word], "top": word["top"], "bottom": word["bottom"], "page": number}
            )
    for line in lines:
        line["words"].sort(key=lambda w: w["x0"])
        line["x0"] = line["words"][0]["x0"]
    for line in lines:
        line["text"] = clean(" ".join(w["text"] for w in line["words"]))
        line["size"] = round(max(w["size"] for w in line["words"]), 1)
        bold = [_is_bold(w["fontname"]) for w in line["words"]]
        line["bold"] = all(bold)
        lead = []
        pairs = list(zip(line["words"], bold, strict=True))
        if pairs and PDF_MARKER.match(pairs[0][0]["text"]):
            pairs = pairs[1:]
        for word, is_bold in pairs:
            if not is_bold:
                break
            lead.append(word["text"])
        line["lead"] = " ".join(lead)
    return lines


def _is_bold(fontname):
    return bool(re.search(r"bold|black|heavy|semibold", fontname, re.I))


def _pdf_group(lines):
    sizes = Counter()
    for line in lines:
        sizes[line["size"]] += len(line["text"])
    body = sizes.most_common(1)[0][0]
    larger = sorted({line["size"] for line in lines if line["size"] > body * 1.12}, reverse=True)
    levels = {size: min(index + 1, 6) for index, size in enumerate(larger)}
    blocks, current, previous = [], None, None
    for line in lines:
        text = line["text"]
        heading = line["size"] in levels
        item = PDF_ITEM.match(text)
        gap = line["top"] - previous["bottom"] if previous else 0
        new_page = previous is not None and line["page"] != previous["page"]
        joins = (
            current is not None
            and not heading
            and not item
            and (new_page or gap < body * 0.6)
            and current.type != HEADING
            and not (line["bold"] and not previous["bold"])
            and not (previous["bold"] and current.lead == current.text and not line["bold"])
        )
        same_heading = current is not None and current.type == HEADING and heading
        if same_heading and gap < line["size"] * 0.6 and line["size"] == previous["size"]:
            current.text = _join(current.text, text)
            previous = line
            continue
        if joins:
            current.text = _join(current.text, text)
        elif heading:
            current = Block(HEADING, text, level=levels[line["size"]], line=len(blocks) + 1)
            blocks.append(current)
        elif item:
            label = item["number"] or ""
            rest = text[item.end() :]
            current = Block(ITEM, rest, label=label, lead=_trim_lead(line["lead"], rest))
            current.line = len(blocks) + 1
            blocks.append(current)
        else:
            current = Block(PARAGRAPH, text, lead=line["lead"], line=len(blocks) + 1)
            blocks.append(current)
        previous = line
    document_text = " ".join(block.text for block in blocks)
    for block in blocks:
        block.text = _dehyphenate(block.text, document_text)
        block.lead = _dehyphenate(block.lead, document_text)
    return blocks


def _trim_lead(lead, text):
    return lead if lead and text.startswith(lead) else ""


def _join(text, more):
    """Join a line to the next. A hyphen the typesetter added (U+2010, soft hyphen) goes;
    a plain hyphen is the word's own (family-centred) unless the document spells the word
    whole elsewhere."""
    if text.endswith(("\u2010", "\u00ad")):
        return f"{text[:-1]}\u0000{more}"
    if text.endswith("-") and text[-2:-1].isalpha():
        return f"{text[:-1]}\u0001{more}"
    return f"{text} {more}"


def _dehyphenate(text, document_text):
    whole = re.sub(r"\w+[\u0000\u0001]\w+", " ", document_text)

    def repair(match):
        joined = match[1] + match[3]
        if match[2] == "\u0000" or re.search(rf"\b{re.escape(joined)}\b", whole):
            return joined
        return f"{match[1]}-{match[3]}"

    text = re.sub(r"(\w+)([\u0000\u0001])(\w+)", repair, text)
    return text.replace("\u0000", "").replace("\u0001", "-")


def parse_file(name, data, **options):
    """A file's bytes, whatever its format, parsed into a ParsedDocument."""
    from .parser import parse_converted

    return parse_converted(convert(name, data), **options)
