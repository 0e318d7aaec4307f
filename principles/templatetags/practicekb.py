"""Template helpers shared by every page."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# The sources mark emphasis as **bold** and <u>underline</u>; texts are stored verbatim.
BOLD = re.compile(r"\*\*(.+?)\*\*")
UNDERLINE = re.compile(r"&lt;u&gt;(.+?)&lt;/u&gt;")


@register.filter
def inline_markup(text):
    """Escape a verbatim text, then render its two kinds of source emphasis as HTML."""
    html = escape(text)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = UNDERLINE.sub(r"<em>\1</em>", html)
    return mark_safe(html)  # noqa: S308 - everything outside the two patterns is escaped


@register.filter
def plain_text(text):
    """The text without its emphasis markers, for citations and titles."""
    text = BOLD.sub(r"\1", text)
    return re.sub(r"</?u>", "", text)
