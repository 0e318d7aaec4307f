"""The sources' two kinds of emphasis, **bold** and <u>underline</u>, which statement texts keep
verbatim: rendered as HTML on every page, or dropped for plain text (titles, citations, diffs)."""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

BOLD = re.compile(r"\*\*(.+?)\*\*")
# matched after escaping, so the tag's angle brackets are already entities
ESCAPED_UNDERLINE = re.compile(r"&lt;u&gt;(.+?)&lt;/u&gt;")


def emphasis_html(escaped):
    """Escaped HTML with its emphasis markers rendered as <strong> and <em>."""
    html = BOLD.sub(r"<strong>\1</strong>", escaped)
    html = ESCAPED_UNDERLINE.sub(r"<em>\1</em>", html)
    return mark_safe(html)  # noqa: S308 - the caller escaped everything; only the tags are added


def inline_markup(text):
    """Escape a verbatim text, then render its emphasis as HTML."""
    return emphasis_html(escape(text))


def plain_text(text):
    """The text without its emphasis markers."""
    text = BOLD.sub(r"\1", text)
    return re.sub(r"</?u>", "", text)


def source_heading(heading):
    """A heading as its source has it, except one written all in capitals ("SAFETY COMES
    FIRST"), which shouts on a screen: shown in small capitals from sentence case, so that
    screen readers read words rather than letters. The stored text stays verbatim."""
    if not heading or not heading.isupper():
        return heading
    lowered = heading.lower()
    return format_html('<span class="caps">{}</span>', lowered[:1].upper() + lowered[1:])
