"""Turn a practice model into a title, provenance, sections and statements.

Plain text is read line by line (below); PDF, Word, web pages and Markdown arrive as blocks
from transfer.converters (`parse_converted`) and go through the same rows builder, which
also reads named principles, Value/Principle pairs, headings over lists, lead-ins, kinds
from sentences and the document's kind, and provenance in footers (docs/importing.md).

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

from principles.models import DocumentKind, StatementKind

from .source import MAX_BYTES, ImportTextError, check_text, decode_upload  # noqa: F401 (re-exported)

MAX_ROWS = 500

SECTION = "section"
STATEMENT = "statement"

# Units the lexer produces before rows are built.
HEADING, ITEM, LABELLED, PARAGRAPH = "heading", "item", "labelled", "paragraph"

BULLET = re.compile(
    r"^[-•*\u25aa\u25cf\u25e6\u25cb\u25a0\u27a2\u2713\u2022\uf0b7\uf0a7\uf0d8\uf076]\s*"
    r"(?<=\s|[^-*])(?P<text>\S.*)$"
)
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
    r"Policy(?: No\.?| Number| #)?|Section(?: No\.?| Number)?|Revision date|Revised|"
    r"Date revised|Last revised|Authority|Version|Revision)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
# The same keys without a colon, as footers print them: "Policy No. 5.3", "Effective 3/1/23".
BARE_META = re.compile(
    r"^(?P<key>Policy(?: No\.?| Number| #)?|Section(?: No\.?)?|Effective(?: date)?|Revised|"
    r"Revision date|Version|Revision|Rev\.)\s+(?P<value>\d[\w./-]*)$",
    re.IGNORECASE,
)
SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*[a-z]?$", re.I)
# "Name: definition" or "Name, en dash, definition": a named principle, titled by its name.
NAMED = re.compile(
    r"^(?P<name>[A-Z\u201c\"][^:.!?;\u2013\u2014]{1,60}?)(?:\s*:|\s+[\u2013\u2014])\s+"
    r"(?P<rest>[A-Z\u201c\"].*)$"
)
NAMED_PERIOD = re.compile(
    r"^(?P<name>[A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*){0,2})\.\s+"
    r"(?P<rest>[A-Z][^.!?]*\s\S+\s\S+.*)$"
)
MISSION_SENTENCE = re.compile(r"^(?:our|the)\s+(?:[\w'\u2019-]+\s+){0,6}?mission\s+is\b", re.I)
VISION_SENTENCE = re.compile(r"^(?:our|the)\s+(?:[\w'\u2019-]+\s+){0,6}?vision\s+is\b", re.I)
VALUE_LINE = re.compile(r"^(?P<label>(?:Core )?Values?):\s+(?P<rest>[^.!?]+)$", re.I)
DOCUMENT_KIND_WORDS = [
    (re.compile(r"\bethic", re.I), DocumentKind.CODE_OF_ETHICS),
    (
        re.compile(r"\bstrategic (?:plan|direction|framework)|\broadmap\b", re.I),
        DocumentKind.STRATEGIC_ROADMAP,
    ),
    (re.compile(r"\bmission\b", re.I), DocumentKind.MISSION_STATEMENT),
    (re.compile(r"\bpolicy\b", re.I), DocumentKind.POLICY),
]
ITEM_KIND_FOR_DOCUMENT = {
    DocumentKind.CODE_OF_ETHICS: StatementKind.ETHICAL_STANDARD,
    DocumentKind.STRATEGIC_ROADMAP: StatementKind.PRIORITY,
}
POLICY_NUMBER = re.compile(r"^\d+[\w.-]*$")
PAGE_OF = re.compile(r"^Page \d+ of \d+$", re.IGNORECASE)
# Lines a web page or a printout carries that are never content.
FURNITURE = re.compile(
    r"^(?:(?:https?://|www\.)\S+|\S+@\S+\.\w+|page \d+(?: of \d+)?|\d{1,3}|"
    r"(?:back to|return to) top|print(?: this page)?|share(?: this page)?|"
    r"skip to (?:main )?content|"
    r"click here.*|read more\W*)$",
    re.IGNORECASE,
)
# "(Revision 2/1/14)", "(Revised 03/2021)", "Rev. 7/19": a revision date on its own.
REVISION_NOTE = re.compile(
    r"^\(?(?:Revised|Revision|Rev\.|Effective|Last updated)\s*:?\s*(?P<date>[\w/.,\- ]+?)\)?$",
    re.IGNORECASE,
)
# "33 V.S.A. \u00a7 4903", "Section 16.1-281, Code of Virginia": the law behind a policy.
STATUTE = re.compile(r"\u00a7|\b(?:U\.S\.C|C\.F\.R|Stat\.|V\.S\.A|Code of)\b")
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
    (
        re.compile(r"\bprinciple|\bwe believe\b|\bbeliefs\b", re.I),
        StatementKind.GUIDING_PRINCIPLE,
    ),
    (re.compile(r"\bmission\b", re.I), StatementKind.MISSION),
    (re.compile(r"\bvision\b", re.I), StatementKind.VISION),
    (re.compile(r"\bpriorit", re.I), StatementKind.PRIORITY),
    (
        re.compile(r"\bcommitment|\brequirement|\bpledge|^policy(?: statement)?$", re.I),
        StatementKind.COMMITMENT,
    ),
    (re.compile(r"\bvalues?\b", re.I), StatementKind.VALUE),
]
# Headings of a policy's parts: sections in their own right, never a statement's name.
GENERIC_HEADING = re.compile(
    r"^(?:purpose|policy|scope|introduction|background|overview|definitions?|authority|"
    r"procedures?|applicability|summary|references)$",
    re.IGNORECASE,
)
KIND_HEADING_WORDS = re.compile(
    r"\b(?:mission|vision|values|principles|beliefs|ethics|priorities|commitments|standards|"
    r"goals|strategies)\b",
    re.IGNORECASE,
)
PROSE_TAKES_TITLE_KIND = {StatementKind.GUIDING_PRINCIPLE, StatementKind.ETHICAL_STANDARD}
PROSE_TAKES_SECTION_KIND = {StatementKind.MISSION, StatementKind.VISION, StatementKind.COMMITMENT}


@dataclass
class Row:
    """One proposed section or statement, in source order."""

    type: str
    text: str
    kind: str = ""
    label: str = ""
    title: str = ""
    line: int = 0
    doubt: str = ""  # why the editor should look at this row, if the reading is unsure


@dataclass
class ParsedDocument:
    title: str = ""
    metadata: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    kind: str = ""
    format: str = "txt"

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
    level: int = 0


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
    if is_kind_heading(text):
        return "short"
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
        """Cells of provenance ("Key: value", or "Policy No. 5.3" in a footer), separated by
        tabs or " | " as manuals and page footers print them."""
        cells = [cell.strip() for cell in re.split(r"\t|\s+\|\s+", raw)]
        cells = [cell for cell in cells if cell]
        if not cells or not self.meta_cell(cells[0], check=True):
            return False
        index = 0
        while index < len(cells):
            match = self.meta_cell(cells[index])
            index += 1
            if not match:
                continue
            key, value = match["key"].lower(), match["value"].strip()
            if not value and index < len(cells) and not META_KEY.match(cells[index]):
                value = cells[index]
                index += 1
            if value:
                self.meta_value(key, value, line_number)
        return True

    @staticmethod
    def meta_cell(cell, check=False):
        match = META_KEY.match(cell) or BARE_META.match(cell)
        if not match or not check:
            return match
        key, value = match["key"].lower(), match["value"].strip()
        # "Section: Mission and Outcomes" or "Policy: We ..." are text, not provenance
        if key.startswith("section") and not SECTION_NUMBER.match(value):
            return None
        if key.startswith("policy") and len(value) > 40:
            return None
        if key in ("authority", "version", "revision") and len(value) > 120:
            return None
        return match

    def meta_value(self, key, value, line_number):
        if key == "subject":
            self.parsed.title = self.parsed.title or value
        elif key == "chapter":
            self.meta("chapter", value)
        elif key.startswith("approved"):
            self.meta("approved_by", value)
        elif key == "authority":
            # a statute is where the authority comes from; a person or office approved it
            if re.search(r"\d|\u00a7", value):
                self.meta("source_citation", value)
            else:
                self.meta("approved_by", value)
        elif key.startswith("effective"):
            self.meta_date("effective_date", value, line_number)
        elif "revis" in key or key == "rev.":
            if parse_date(value):
                self.meta("effective_date", parse_date(value))
        elif key == "supersedes":
            self.meta("supersedes_note", value)
        elif key == "dated":
            target = "supersedes_date" if "supersedes_note" in self.parsed.metadata else None
            self.meta_date(target or "reposted_on", value, line_number)
        elif key.startswith(("policy", "section")):
            self.meta("policy_number", value)

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

    def furniture(self, line, line_number):
        """Page numbers, link lines, revision notes and statute citations on lines of their
        own: provenance or nothing, never a heading or a statement."""
        footer = " | " in line and not SENTENCE_END.search(line)
        if FURNITURE.match(line) or PAGE_OF.match(line) or footer:
            self.parsed.skipped.append((line_number, line))
            return True
        if (match := REVISION_NOTE.match(line)) and parse_date(match["date"]):
            self.meta("effective_date", parse_date(match["date"]))
            return True
        statute = STATUTE.search(line) and re.search(r"\d", line)
        if statute and len(line.split()) <= 12 and not SENTENCE_END.search(line):
            self.meta("source_citation", line)
            return True
        return False

    def feed(self, raw, line_number):
        line = " ".join(raw.split())
        if self.metadata_line(raw, line_number) or self.header_line(raw):
            return
        if parse_date(line):
            self.meta("reposted_on", parse_date(line))
            return
        if self.furniture(line, line_number):
            return
        footnote = FOOTNOTE.match(line)
        if footnote:
            self.meta("attribution", footnote["text"])
            return
        previous = self.units[-1] if self.units else None
        if (
            previous
            and previous.type in (ITEM, PARAGRAPH, LABELLED)
            and previous.line == line_number - 1
            and (line[0].islower() or self.wrapped(previous, line))
        ):
            if previous.type == LABELLED and previous.title:
                previous.title = f"{previous.title} {line}"
            else:
                previous.text = f"{previous.text} {line}"
            previous.line = line_number
            return
        self.units.append(self.classify(line, line_number))

    @staticmethod
    def wrapped(previous, line):
        """A line that goes on with the sentence above it, though it starts with a capital:
        the line above is long and has not ended, and this one is no list item or heading."""
        above = previous.text or previous.title
        return (
            len(above) >= 50
            and not re.search(r"[.!?:;]\W*$", above)
            and not BULLET.match(line)
            and not NUMBERED.match(line)
            and not ORDINAL_LABEL.match(line)
            and not is_upper_case(line)
        )

    def classify(self, line, line_number, headings=True):
        if match := BULLET.match(line):
            return named_item(Unit(ITEM, match["text"], line_number))
        if match := NUMBERED.match(line):
            return named_item(Unit(ITEM, match["text"], line_number, label=match["label"]))
        if match := ORDINAL_LABEL.match(line):
            rest = match["rest"]
            if not SENTENCE_END.search(rest) and len(rest.split()) <= 10:
                return Unit(LABELLED, "", line_number, label=match["label"], title=rest)
            return Unit(LABELLED, rest, line_number, label=match["label"])
        if (match := VALUE_LINE.match(line)) and len(match["rest"].split()) <= 8:
            return Unit(LABELLED, match["rest"], line_number, label=match["label"])
        style = heading_style(line) if headings else ""
        if style:
            return Unit(HEADING, line.rstrip("*").rstrip(":").strip(), line_number, style=style)
        if (match := GENERIC_LABEL.match(line)) and is_title_case(match["label"]):
            if is_kind_label(match["label"]):
                return Unit(LABELLED, match["rest"], line_number, label=match["label"])
            return Unit(PARAGRAPH, match["rest"], line_number, title=match["label"])
        if (match := NAMED.match(line)) and len(match["name"].split()) <= 6:
            return Unit(PARAGRAPH, match["rest"], line_number, title=match["name"])
        return Unit(PARAGRAPH, line, line_number)

    def feed_block(self, block):
        """A block from a converted file (transfer.converters): its type is known."""
        text, lead = " ".join(block.text.split()), " ".join(block.lead.split())
        if not text or self.metadata_line(text, block.line):
            return
        if block.type == "heading":
            style = "kind" if KIND_HEADER.match(text) else "h"
            heading = text.rstrip(":").strip()
            self.units.append(Unit(HEADING, heading, block.line, style=style, level=block.level))
            return
        if block.type == "item":
            unit = Unit(ITEM, text, block.line, label=block.label, level=block.level)
            self.units.append(named_item(unit, lead))
            return
        if self.furniture(text, block.line):
            return
        previous = self.units[-1] if self.units else None
        if text[0].islower() and previous and previous.type in (ITEM, PARAGRAPH):
            previous.text = f"{previous.text} {text}"  # a line broken off its sentence
            return
        words = text.rstrip(":").split()
        if is_upper_case(text) and len(words) <= 10 and not SENTENCE_END.search(text):
            style = "kind" if KIND_HEADER.match(text) else "caps"
            self.units.append(Unit(HEADING, text.rstrip(":").strip(), block.line, style=style))
            return
        if is_kind_heading(text) and not lead:
            self.units.append(Unit(HEADING, text.rstrip(":").strip(), block.line, style="short"))
            return
        if lead == text and len(words) <= 10 and not SENTENCE_END.search(text.rstrip(":")):
            # a name on a line of its own, in bold: a principle's title, or a minor heading
            self.units.append(Unit(HEADING, text.rstrip(":").strip(), block.line, style="name"))
            return
        name, rest = split_lead(text, lead)
        if name and not is_kind_label(name):
            self.units.append(Unit(PARAGRAPH, rest, block.line, title=name))
            return
        if parse_date(text):
            self.meta("reposted_on", parse_date(text))
            return
        self.units.append(self.classify(text, block.line, headings=False))

    def feed_margin(self, text):
        """A running header or footer line: provenance, never content."""
        text = re.sub(r"(?i)\s*\bpage \d+( of \d+)?\s*", " | ", " ".join(text.split()))
        self.metadata_line(text.strip(" |"), 0)


def is_kind_heading(text):
    """A sentence-case heading that names what follows: "Our guiding principles"."""
    words = text.rstrip(":").split()
    return (
        1 <= len(words) <= 6
        and text[0].isupper()
        and not SENTENCE_END.search(text.rstrip(":"))
        and bool(KIND_HEADING_WORDS.search(text))
    )


def is_kind_label(name):
    """ "Mission", "Vision Statement", "Value", "Principle": a label, not a title."""
    return len(name.split()) <= 3 and bool(kind_from_words(name))


def split_lead(text, lead):
    """A paragraph or item that starts with its name in bold: (name, definition)."""
    if not lead or not text.startswith(lead) or len(lead.split()) > 10:
        return "", text
    rest = text[len(lead) :].strip().lstrip(":.\u2013\u2014-").strip()
    name = lead.rstrip(" :.\u2013\u2014-").strip()
    return (name, rest) if rest and name else ("", text)


def named_item(unit, lead=""):
    """A list item "Name: definition", "Name, en dash, definition" or "Name. Definition": the name
    is the statement's title."""
    name, rest = split_lead(unit.text, lead)
    if not name and (match := NAMED.match(unit.text)) and len(match["name"].split()) <= 6:
        name, rest = match["name"], match["rest"]
    if not name and (match := NAMED_PERIOD.match(unit.text)):
        name, rest = match["name"], match["rest"]
    if name and not is_kind_label(name):
        unit.title, unit.text = name.strip(), rest
    return unit


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


def parse(text, *, start_at="", stop_at="", kind=""):
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
    return _finish(parsed, lexer.units, kind)


def parse_converted(converted, *, start_at="", stop_at="", kind=""):
    """Parse what a converter (transfer.converters) made of a file."""
    if converted.text:
        parsed = parse(converted.text, start_at=start_at, stop_at=stop_at, kind=kind)
        parsed.format = converted.format
        return parsed
    blocks = converted.blocks
    first, last = _trim([block.text for block in blocks], start_at, stop_at)
    parsed = ParsedDocument(format=converted.format)
    lexer = _Lexer(parsed)
    for index, block in enumerate(blocks):
        if first <= index < last:
            lexer.feed_block(block)
        else:
            parsed.skipped.append((block.line, block.text))
    for line in converted.margins:
        lexer.feed_margin(line)
    units = lexer.units
    if converted.title and not parsed.title and not start_at:
        parsed.title = converted.title
        if units and units[0].type == HEADING and units[0].text == converted.title:
            units = units[1:]
    return _finish(parsed, units, kind)


def _finish(parsed, units, kind):
    parsed.kind = kind
    _build_rows(parsed, units)
    if not parsed.statements:
        raise ImportTextError("No statements were found in the text.")
    if len(parsed.rows) > MAX_ROWS:
        raise ImportTextError(
            f"The text has {len(parsed.rows)} sections and statements; the limit for one "
            f"import is {MAX_ROWS}. Split the document and import it in parts."
        )
    return parsed


def document_kind(title):
    for pattern, kind in DOCUMENT_KIND_WORDS:
        if title and pattern.search(title):
            return kind
    return DocumentKind.PRACTICE_MODEL


def _restructure(units):
    """Shapes a line-by-line reading misses: "Value: X" / "Principle: ..." pairs, labels and
    numbered items that head a list, and runs of names each followed by its definition."""
    out = []
    index = 0
    while index < len(units):
        unit = units[index]
        after = units[index + 1] if index + 1 < len(units) else None
        short = unit.text and len(unit.text.split()) <= 12 and not SENTENCE_END.search(unit.text)
        if (
            unit.type == LABELLED
            and re.fullmatch(r"(?i)(core )?values?", unit.label)
            and short
            and after is not None
            and after.type == LABELLED
            and re.fullmatch(r"(?i)(guiding )?principles?", after.label)
        ):
            out.append(Unit(PARAGRAPH, after.text, unit.line, title=unit.text, style="pair"))
            index += 2
            continue
        items_after = _items_after(units, index + 1)
        if unit.type == LABELLED and (unit.text or unit.title) and items_after >= 2:
            rest = unit.text or unit.title
            if len(rest.split()) <= 12 and not SENTENCE_END.search(rest):
                out.append(Unit(HEADING, f"{unit.label}: {rest}", unit.line, style="label"))
                index += 1
                continue
        if (
            unit.type == ITEM
            and re.fullmatch(r"\d{1,3}[.)]", unit.label)
            and not unit.title
            and short
            and after is not None
            and after.type == ITEM
            and not after.label
        ):
            out.append(Unit(HEADING, f"{unit.label} {unit.text}", unit.line, style="numbered"))
            index += 1
            continue
        out.append(unit)
        index += 1
    return _name_runs(out)


def _items_after(units, index):
    count = 0
    while index < len(units) and units[index].type == ITEM:
        count += 1
        index += 1
    return count


def _name_runs(units):
    """Headings each followed by one paragraph, two or more in a row right under another
    heading ("Our Values", then "Safety" and its definition...): names, not sections."""
    pairs = [
        index
        for index, unit in enumerate(units)
        if unit.type == HEADING
        and unit.style in ("short", "colon", "h", "name", "caps")
        and index + 1 < len(units)
        and units[index + 1].type == PARAGRAPH
        and not units[index + 1].title
        and (index + 2 == len(units) or units[index + 2].type == HEADING)
    ]
    names = set()
    run = []
    for index in [*pairs, None]:
        if run and (index is None or index != run[-1] + 2 or not _same(units, run[-1], index)):
            opener = run[0] - 1
            if (len(run) >= 2 and opener >= 0 and units[opener].type == HEADING) or all(
                units[i].style == "name" for i in run
            ):
                names.update(run)
            run = []
        if index is not None:
            run.append(index)
    for index in names:
        units[index + 1].title = units[index].text
    return [unit for index, unit in enumerate(units) if index not in names]


def _same(units, a, b):
    return (units[a].style, units[a].level) == (units[b].style, units[b].level)


def _build_rows(parsed, units):
    units = _restructure(list(units))
    headings = [unit for unit in units if unit.type == HEADING]
    if (
        not parsed.title
        and units
        and units[0].type == HEADING
        and units[0].style not in ("kind", "believe", "colon")
        and (len(headings) > 1 or (len(units) > 2 and units[1].type == PARAGRAPH))
    ):
        parsed.title = units.pop(0).text
    parsed.kind = parsed.kind or document_kind(parsed.title)
    item_kind = ITEM_KIND_FOR_DOCUMENT.get(parsed.kind, StatementKind.GUIDING_PRINCIPLE)
    has_caps = any(unit.style == "caps" for unit in units if unit.type == HEADING)

    section_kind = lead_kind = ""
    # "Guiding Principles of ...": prose under headings that name no kind states principles
    prose_kind = kind_from_words(parsed.title) if parsed.title else ""
    prose_kind = prose_kind if prose_kind in PROSE_TAKES_TITLE_KIND else ""
    generic_section = True
    after_list = False
    pending_title = ""
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if unit.type == HEADING:
            minor = has_caps and unit.style in ("colon", "short")
            minor = minor and not GENERIC_HEADING.match(unit.text)
            if minor and _statements_until_next_heading(units, index) == 1:
                pending_title = unit.text
                continue
            parsed.rows.append(Row(SECTION, unit.text, line=unit.line, doubt=_heading_doubt(unit)))
            section_kind, after_list, pending_title = kind_from_words(unit.text), False, ""
            generic_section = bool(GENERIC_HEADING.match(unit.text))
            lead_kind = ""
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
        lead_in = unit.type == PARAGRAPH and text.endswith(":") and index < len(units)
        lead_in = lead_in and units[index].type == ITEM
        if unit.style == "pair":
            kind = StatementKind.GUIDING_PRINCIPLE
        elif not kind and unit.type == ITEM:
            kind = section_kind or lead_kind or item_kind
        elif lead_in:
            kind = StatementKind.NARRATIVE
            lead_kind = kind_from_words(re.sub(r"\bmission\b", "", text, flags=re.I))
        elif not kind and MISSION_SENTENCE.match(text):
            kind = StatementKind.MISSION
        elif not kind and VISION_SENTENCE.match(text):
            kind = StatementKind.VISION
        elif not kind and section_kind in PROSE_TAKES_SECTION_KIND:
            kind = section_kind
        elif not kind and (unit.type == LABELLED or title):
            kind = section_kind or StatementKind.NARRATIVE
        elif not kind and after_list:
            kind = StatementKind.COMMITMENT
        elif not kind and prose_kind and not section_kind and not generic_section:
            kind = prose_kind
        elif not kind:
            kind = StatementKind.NARRATIVE
        doubt = ""
        if unit.type == ITEM and kind == item_kind and not (section_kind or lead_kind):
            doubt = "Kind guessed: no heading or lead-in says what this list holds."
        if unit.type == ITEM:
            after_list = True
        parsed.rows.append(
            Row(
                STATEMENT,
                text,
                kind=kind,
                label=label,
                title=title,
                line=unit.line,
                doubt=doubt or _statement_doubt(text),
            )
        )


def _heading_doubt(unit):
    words = unit.text.split()
    if len(words) > 15 or unit.text.endswith("."):
        return "Reads like a sentence: a statement rather than a heading?"
    if unit.style in ("short", "name") and len(words) <= 3:
        return "A short line read as a heading: the name of the statement below it?"
    return ""


def _statement_doubt(text):
    words = text.split()
    if len(words) < 4 and not text.endswith((".", "!", "?", ":")):
        return "Very short: a heading, a name or a page's furniture rather than a statement?"
    if len(text) > 1500:
        return "Very long: several statements run together?"
    return ""


def _statements_until_next_heading(units, index):
    count = 0
    for unit in units[index:]:
        if unit.type in (HEADING, LABELLED):
            break
        count += 1
    return count
