"""Turn a plain-text practice model into a title, provenance, sections and statements.

The parser only proposes; the import preview lets an editor correct every row before
anything is saved. It reads the text line by line:

- Policy metadata: ``Chapter:``, ``Subject:`` (the title), ``Approved:``, ``Effective:``,
  ``Supersedes:``, ``Dated:``, ``Policy:`` lines, with several ``Key: value`` cells per
  line separated by tabs as policy manuals print them. A tab-separated first line ending in
  a number is the manual's header: its citation and the policy number. A date on a line of
  its own (as a blog prints a post's date) is the date of the reposted copy.
- Headings: upper-case lines, "We believe ..." sentences, "Mission"/"Vision"/"Values"
  headers, and short Title Case lines (with or without a closing ":"). When a text has
  upper-case headings, its Title Case headings rank below them: one followed by a single
  statement titles that statement ("Commitment to Inclusive Service"), otherwise it
  starts a section.
- The opening heading is the document's title when no ``Subject:`` names one and it is
  not a Mission/Vision/Values header.
- Statements: bullets (``-``, ``•``, ``*``), numbered items (``1.``, ``1)``, kept as the
  label), "Priority One: Title" labels whose text is the next line, "Label: text" lines
  ("Mission Statement: ..."), and every other line as a paragraph. A line starting in
  lower case continues the line before it (wrapped text).
- A closing line starting with ``*`` is the footnote of a heading marked ``*``: the
  document's attribution.
- Kinds: from the label or title ("Priority", "Commitment", "Mission Statement"), else from
  the section heading (ethics, principles or "We believe", mission, vision, priorities,
  commitments or requirements, values); list items default to guiding principles;
  paragraphs are narrative, except in mission, vision and commitment sections and after a
  section's list, where a closing paragraph states a commitment.
"""

import datetime
import re
from dataclasses import dataclass, field

from principles.models import StatementKind

MAX_BYTES = 1024 * 1024
MAX_ROWS = 500

SECTION = "section"
STATEMENT = "statement"

# Units the lexer produces before rows are built.
HEADING, ITEM, LABELLED, PARAGRAPH = "heading", "item", "labelled", "paragraph"

BULLET = re.compile(r"^[-•*]\s+(?P<text>\S.*)$")
NUMBERED = re.compile(r"^(?P<label>\d{1,3}[.)])\s+(?P<text>\S.*)$")
ORDINAL_LABEL = re.compile(
    r"^(?P<label>(?:Priority|Goal|Objective|Principle|Value|Strategy|Standard|Outcome)"
    r"\s+(?:\d+|[A-Z][a-z]+))\s*:\s*(?P<rest>\S.*)$"
)
GENERIC_LABEL = re.compile(
    r"^(?P<label>[A-Z][\w'\u2019&-]*(?: [\w'\u2019&-]+){0,3}):\s+(?P<rest>\S.*)$"
)
KIND_HEADER = re.compile(
    r"^(?:our\s+|core\s+)*(?:mission|vision|values?)(?:\s+statement)?\s*:?$", re.IGNORECASE
)
WE_BELIEVE = re.compile(r"^We believe\b[^.!?]*[.!?]?$")
SENTENCE_END = re.compile(r"[.!?;,]$")
FOOTNOTE = re.compile(r"^\*(?P<text>[^*\s].*)$")
META_KEY = re.compile(
    r"^(?P<key>Chapter|Subject|Approved(?: by)?|Effective(?: date)?|Supersedes|Dated|"
    r"Policy(?: No\.?| Number)?)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
POLICY_NUMBER = re.compile(r"^\d+[\w.-]*$")
PAGE_OF = re.compile(r"^Page \d+ of \d+$", re.IGNORECASE)
DATE_FORMATS = [
    "%m/%d/%Y",
    "%m/%d/%y",
    "%Y-%m-%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%A, %B %d, %Y",
    "%d %B %Y",
]
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the"}
SMALL_WORDS |= {"to", "with", "&", "-", "\u2013", "\u2014"}

# Checked in this order: "Values & Guiding Principles" lists principles.
KIND_WORDS = [
    (re.compile(r"\bethic", re.I), StatementKind.ETHICAL_STANDARD),
    (re.compile(r"\bprinciple|\bwe believe\b", re.I), StatementKind.GUIDING_PRINCIPLE),
    (re.compile(r"\bmission\b", re.I), StatementKind.MISSION),
    (re.compile(r"\bvision\b", re.I), StatementKind.VISION),
    (re.compile(r"\bpriorit", re.I), StatementKind.PRIORITY),
    (re.compile(r"\bcommitment|\brequirement|\bpledge", re.I), StatementKind.COMMITMENT),
    (re.compile(r"\bvalues?\b", re.I), StatementKind.VALUE),
]
PROSE_TAKES_SECTION_KIND = {StatementKind.MISSION, StatementKind.VISION, StatementKind.COMMITMENT}


class ImportTextError(ValueError):
    """The text cannot be imported; the message says why in plain words."""


@dataclass
class Row:
    """One proposed section or statement, in source order."""

    type: str
    text: str
    kind: str = ""
    label: str = ""
    title: str = ""
    line: int = 0


@dataclass
class ParsedDocument:
    title: str = ""
    metadata: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def sections(self):
        return [row for row in self.rows if row.type == SECTION]

    @property
    def statements(self):
        return [row for row in self.rows if row.type == STATEMENT]


@dataclass
class Unit:
    type: str
    text: str
    line: int
    label: str = ""
    title: str = ""
    style: str = ""


def decode_upload(data: bytes) -> str:
    """The uploaded bytes as text, or ImportTextError saying what is wrong with them."""
    if len(data) > MAX_BYTES:
        raise ImportTextError(
            f"The file is {len(data) / MAX_BYTES:.1f} MB; the limit is 1 MB. "
            "Split the document and import it in parts."
        )
    if not data.strip():
        raise ImportTextError("The file is empty.")
    if b"\x00" in data:
        raise ImportTextError("This is a binary file, not plain text. Upload a .txt file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportTextError(
            f"The file is not UTF-8 text (the bytes at position {exc.start} cannot be read). "
            "Save it as UTF-8 (“Plain text, UTF-8”) and upload it again."
        ) from exc
    return check_text(text)


def check_text(text: str) -> str:
    """Refuse empty, oversized or binary text (pasted or decoded)."""
    if not text.strip():
        raise ImportTextError("There is no text to import.")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ImportTextError("The text is over 1 MB. Split the document and import it in parts.")
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        raise ImportTextError("The text contains control characters; it looks like a binary file.")
    return text


def parse_date(value):
    value = " ".join(value.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def is_title_case(text):
    words = [word.strip("()\"'\u201c\u201d\u2018\u2019,*") for word in text.split()]
    words = [word for word in words if word]
    if not words:
        return False
    for index, word in enumerate(words):
        if index and word.lower() in SMALL_WORDS:
            continue
        if not (word[0].isupper() or word[0].isdigit() or not word[0].isalpha()):
            return False
    return True


def is_upper_case(text):
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def kind_from_words(text):
    for pattern, kind in KIND_WORDS:
        if text and pattern.search(text):
            return kind
    return ""


def heading_style(line):
    """How a line reads as a heading ("caps", "believe", "kind", "colon", "short") or ""."""
    text = line.rstrip("*").strip()
    if KIND_HEADER.match(text):
        return "kind"
    if is_upper_case(text) and not SENTENCE_END.search(text):
        return "caps"
    if WE_BELIEVE.match(text):
        return "believe"
    words = text.rstrip(":").split()
    if text.endswith(":") and len(words) <= 6 and is_title_case(text[:-1]):
        return "colon"
    if len(words) <= 10 and not SENTENCE_END.search(text) and is_title_case(text):
        return "short"
    return ""


class _Lexer:
    """Reads lines into units, collecting metadata and the attribution on the way."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.units = []

    def meta(self, name, value):
        self.parsed.metadata.setdefault(name, value)

    def meta_date(self, name, value, line_number):
        day = parse_date(value)
        if day is None:
            self.parsed.warnings.append(f"Line {line_number}: “{value}” is not a date I can read.")
        else:
            self.meta(name, day)

    def metadata_line(self, raw, line_number):
        cells = [cell.strip() for cell in raw.split("\t")]
        cells = [cell for cell in cells if cell]
        if not cells or not META_KEY.match(cells[0]):
            return False
        index = 0
        while index < len(cells):
            match = META_KEY.match(cells[index])
            index += 1
            if not match:
                continue
            key, value = match["key"].lower(), match["value"].strip()
            if not value and index < len(cells) and not META_KEY.match(cells[index]):
                value = cells[index]
                index += 1
            if not value:
                continue
            if key == "subject":
                self.parsed.title = self.parsed.title or value
            elif key == "chapter":
                self.meta("chapter", value)
            elif key.startswith("approved"):
                self.meta("approved_by", value)
            elif key.startswith("effective"):
                self.meta_date("effective_date", value, line_number)
            elif key == "supersedes":
                self.meta("supersedes_note", value)
            elif key == "dated":
                target = "supersedes_date" if "supersedes_note" in self.parsed.metadata else None
                self.meta_date(target or "reposted_on", value, line_number)
            elif key.startswith("policy"):
                self.meta("policy_number", value)
        return True

    def header_line(self, raw):
        """A manual's header: "MANUAL NAME<tab><tab>11" before any content."""
        if self.units or "\t" not in raw:
            return False
        cells = [" ".join(cell.split()) for cell in raw.split("\t") if cell.strip()]
        if len(cells) < 2 or not POLICY_NUMBER.match(cells[-1]):
            return False
        self.meta("source_citation", " ".join(cells[:-1]))
        self.meta("policy_number", cells[-1])
        return True

    def feed(self, raw, line_number):
        line = " ".join(raw.split())
        if self.metadata_line(raw, line_number) or self.header_line(raw):
            return
        if parse_date(line):
            self.meta("reposted_on", parse_date(line))
            return
        footnote = FOOTNOTE.match(line)
        if footnote:
            self.meta("attribution", footnote["text"])
            return
        previous = self.units[-1] if self.units else None
        if (
            line[0].islower()
            and previous
            and previous.type in (ITEM, PARAGRAPH, LABELLED)
            and previous.line == line_number - 1
        ):
            if previous.type == LABELLED and previous.title:
                previous.title = f"{previous.title} {line}"
            else:
                previous.text = f"{previous.text} {line}"
            previous.line = line_number
            return
        self.units.append(self.classify(line, line_number))

    def classify(self, line, line_number):
        if match := BULLET.match(line):
            return Unit(ITEM, match["text"], line_number)
        if match := NUMBERED.match(line):
            return Unit(ITEM, match["text"], line_number, label=match["label"])
        if match := ORDINAL_LABEL.match(line):
            rest = match["rest"]
            if not SENTENCE_END.search(rest) and len(rest.split()) <= 10:
                return Unit(LABELLED, "", line_number, label=match["label"], title=rest)
            return Unit(LABELLED, rest, line_number, label=match["label"])
        style = heading_style(line)
        if style:
            return Unit(HEADING, line.rstrip("*").rstrip(":").strip(), line_number, style=style)
        if (match := GENERIC_LABEL.match(line)) and is_title_case(match["label"]):
            return Unit(LABELLED, match["rest"], line_number, label=match["label"])
        return Unit(PARAGRAPH, line, line_number)


def _trim(lines, start_at, stop_at):
    """Keep the lines from the one starting with start_at to the one before stop_at."""
    first, last = 0, len(lines)

    def find(prefix, begin):
        needle = prefix.strip().casefold()
        for index in range(begin, len(lines)):
            if lines[index].strip().casefold().startswith(needle):
                return index
        return None

    if start_at and start_at.strip():
        first = find(start_at, 0)
        if first is None:
            raise ImportTextError(f"No line starts with “{start_at.strip()}” (where to start).")
    if stop_at and stop_at.strip():
        last = find(stop_at, first)
        if last is None:
            raise ImportTextError(f"No line starts with “{stop_at.strip()}” (where to stop).")
    return first, last


def parse(text, *, start_at="", stop_at=""):
    """Parse a document's text into a ParsedDocument; raise ImportTextError if it has none."""
    check_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first, last = _trim(lines, start_at, stop_at)
    parsed = ParsedDocument()
    lexer = _Lexer(parsed)
    for number, raw in enumerate(lines, 1):
        inside = first < number <= last
        if not raw.strip():
            continue
        if not inside:
            parsed.skipped.append((number, raw.strip()))
            # a blog's post date outside the document still dates the copy
            if parse_date(raw.strip()):
                parsed.metadata.setdefault("reposted_on", parse_date(raw.strip()))
            continue
        lexer.feed(raw, number)
    _build_rows(parsed, lexer.units)
    if not parsed.statements:
        raise ImportTextError("No statements were found in the text.")
    if len(parsed.rows) > MAX_ROWS:
        raise ImportTextError(
            f"The text has {len(parsed.rows)} sections and statements; the limit for one "
            f"import is {MAX_ROWS}. Split the document and import it in parts."
        )
    return parsed


def _build_rows(parsed, units):
    units = list(units)
    headings = [unit for unit in units if unit.type == HEADING]
    if (
        not parsed.title
        and units
        and units[0].type == HEADING
        and units[0].style not in ("kind", "believe")
        and len(headings) > 1
    ):
        parsed.title = units.pop(0).text
    has_caps = any(unit.style == "caps" for unit in units if unit.type == HEADING)

    section_kind = ""
    after_list = False
    pending_title = ""
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if unit.type == HEADING:
            minor = has_caps and unit.style in ("colon", "short")
            if minor and _statements_until_next_heading(units, index) == 1:
                pending_title = unit.text
                continue
            parsed.rows.append(Row(SECTION, unit.text, line=unit.line))
            section_kind, after_list, pending_title = kind_from_words(unit.text), False, ""
            continue
        label, title, text = unit.label, unit.title or pending_title, unit.text
        pending_title = ""
        if unit.type == LABELLED and not text:
            # "Priority One: Title": the next item or paragraph is the text.
            if index < len(units) and units[index].type in (ITEM, PARAGRAPH):
                text = units[index].text
                index += 1
            else:
                text, title = title, ""
        kind = kind_from_words(label) or kind_from_words(title)
        if not kind and unit.type == ITEM:
            kind = section_kind or StatementKind.GUIDING_PRINCIPLE
        elif not kind and section_kind in PROSE_TAKES_SECTION_KIND:
            kind = section_kind
        elif not kind and unit.type == LABELLED:
            kind = section_kind or StatementKind.NARRATIVE
        elif not kind:
            kind = StatementKind.COMMITMENT if after_list else StatementKind.NARRATIVE
        if unit.type == ITEM:
            after_list = True
        parsed.rows.append(
            Row(STATEMENT, text, kind=kind, label=label, title=title, line=unit.line)
        )


def _statements_until_next_heading(units, index):
    count = 0
    for unit in units[index:]:
        if unit.type in (HEADING, LABELLED):
            break
        count += 1
    return count
