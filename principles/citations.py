"""Citations of a statement people can paste: APA 7, Chicago author-date and a plain
"as of" form, with RIS and CSL-JSON for reference managers and citation_* meta tags.

The organization is the author; the date is the document's effective date (or "n.d.");
a locator always identifies the statement: its section and label, or "statement 7 of 26"
when the source does not number it; the retrieval date says which wording was read, and
the permalink (and the document's own address, when known) where.

Rules followed (APA 7th ed., group author, report or web document; Chicago 17th ed.,
author-date reference list):
- APA:  Author. (Year, Month Day). Title in sentence case (Policy No. 11) [Locator].
        Source URL. Retrieved Month Day, Year, from permalink
- Chicago: Author. Year. Title in Headline Case. Policy 11. Locator. Source URL.
        Accessed Month Day, Year. permalink.
"""

import json
import re
from dataclasses import dataclass
from datetime import date

from .markup import plain_text
from .models import long_date

MINOR_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "over",
        "per",
        "the",
        "to",
        "via",
        "with",
    ]
)


def sentence_case(title, keep=()):
    """APA's sentence case: the first word (and the first after a colon) capitalized,
    acronyms and the proper nouns in `keep` kept, every other word in lower case."""
    shouting = title.isupper()
    words, capitalize_next, out = title.split(" "), True, []
    for word in words:
        if capitalize_next:
            out.append(word[:1].upper() + (word[1:].lower() if shouting else word[1:]))
        elif word in keep or (not shouting and len(word) > 1 and word.isupper()):
            out.append(word)
        else:
            out.append(word.lower())
        capitalize_next = word.endswith(":")
    return " ".join(out)


def headline_case(title):
    """Chicago's headline style for a title set in capitals; others are kept as written."""
    if not title.isupper():
        return title
    words = title.lower().split(" ")
    return " ".join(
        word if 0 < index < len(words) - 1 and word in MINOR_WORDS else word.capitalize()
        for index, word in enumerate(words)
    )


@dataclass
class Citation:
    """Everything the styles need about one statement, read once."""

    author: str
    title: str
    issued: date | None
    policy_number: str
    locator: str
    text: str
    source_url: str
    permalink: str
    retrieved: date
    jurisdiction: str = ""

    @property
    def apa(self):
        when = f"{self.issued.year}, {self.issued:%B} {self.issued.day}" if self.issued else "n.d."
        title = sentence_case(self.title, keep=set(self.jurisdiction.split()))
        if self.policy_number:
            title += f" (Policy No. {self.policy_number})"
        described = f"{self.locator[:1].upper()}{self.locator[1:]}"
        parts = [f"{self.author}.", f"({when}).", f"{title} [{described}]."]
        if self.source_url:
            parts.append(f"{self.source_url}.")
        parts.append(f"Retrieved {long_date(self.retrieved)}, from {self.permalink}")
        return " ".join(parts)

    @property
    def chicago(self):
        parts = [
            f"{self.author}.",
            f"{self.issued.year}." if self.issued else "n.d.",
            f"{headline_case(self.title)}.",
        ]
        if self.policy_number:
            parts.append(f"Policy {self.policy_number}.")
        parts.append(f"{self.locator[:1].upper()}{self.locator[1:]}.")
        if self.source_url:
            parts.append(f"{self.source_url}.")
        parts.append(f"Accessed {long_date(self.retrieved)}. {self.permalink}.")
        return " ".join(parts)

    @property
    def as_of(self):
        return (
            f"“{self.text}” {self.author}, {self.title}, {self.locator}. "
            f"As of {long_date(self.retrieved)}: {self.permalink}"
        )

    @property
    def ris(self):
        lines = [
            ("TY", "ELEC"),
            ("AU", self.author),
            ("TI", self.title),
            ("PY", str(self.issued.year) if self.issued else ""),
            ("DA", f"{self.issued:%Y/%m/%d}" if self.issued else ""),
            ("M1", f"Policy {self.policy_number}" if self.policy_number else ""),
            ("SE", self.locator),
            ("AB", self.text),
            ("UR", self.permalink),
            ("L2", self.source_url),
            ("Y2", f"{self.retrieved:%Y/%m/%d}"),
            ("DB", "practicekb"),
        ]
        body = "".join(f"{tag}  - {value}\r\n" for tag, value in lines if value)
        return body + "ER  - \r\n"

    def csl(self, key):
        item = {
            "id": key,
            "type": "document",
            "author": [{"literal": self.author}],
            "title": self.title,
            "section": self.locator,
            "abstract": self.text,
            "URL": self.permalink,
            "accessed": {"date-parts": [[*self.retrieved.timetuple()[:3]]]},
            "archive": "practicekb",
        }
        if self.issued:
            item["issued"] = {"date-parts": [[*self.issued.timetuple()[:3]]]}
        if self.policy_number:
            item["number"] = self.policy_number
        if self.source_url:
            item["source"] = self.source_url
        return json.dumps([item], ensure_ascii=False, indent=2)

    @property
    def meta_tags(self):
        """(name, content) pairs of the Highwire citation_* tags Zotero and Mendeley read."""
        tags = [
            ("citation_title", f"{self.title}: {self.locator}"),
            ("citation_author", self.author),
            ("citation_publisher", self.author),
            ("citation_public_url", self.permalink),
        ]
        if self.issued:
            tags.append(("citation_publication_date", f"{self.issued:%Y/%m/%d}"))
        if self.policy_number:
            tags.append(("citation_technical_report_number", self.policy_number))
        if self.source_url:
            tags.append(("citation_fulltext_html_url", self.source_url))
        return tags


TRAILING = re.compile(r"[\s.:;,]+$")


def locator(statement, ordinal, total):
    """Section and label ("Guiding principles, Guiding principle 3"), or, for a statement
    the source does not number, its place: "statement 7 of 26"."""
    if not statement.label:
        return f"statement {ordinal} of {total}"
    if statement.section:
        return f"{TRAILING.sub('', statement.section.heading)}, {statement.designation}"
    return statement.designation


def cite(statement, *, permalink, retrieved, ordinal, total):
    """The Citation of a statement whose document, organization and section are loaded."""
    document = statement.document
    organization = document.organization
    return Citation(
        author=organization.name,
        title=document.title,
        issued=document.effective_date,
        policy_number=document.policy_number,
        locator=locator(statement, ordinal, total),
        text=plain_text(statement.text),
        source_url=document.source_url,
        permalink=permalink,
        retrieved=retrieved,
        jurisdiction=organization.jurisdiction,
    )
