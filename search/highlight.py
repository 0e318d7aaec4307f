"""Turn a text with MARK_START/MARK_END sentinels into safe HTML with <mark> elements."""

import re

from django.utils.html import escape

from principles.markup import emphasis_html

from .backends import MARK_END, MARK_START

SENTINEL = re.compile(f"([{MARK_START}{MARK_END}])")


def marked_html(text):
    """Escape every character of the text; only the sentinels become <mark>...</mark>.

    The source emphasis (**bold**, <u>underline</u>) is rendered afterwards exactly as on the
    statement pages. A mark always sits inside one word, so the elements nest properly.
    """
    html = []
    open_mark = False
    for index, piece in enumerate(_split(text or "")):
        if index % 2:  # a sentinel
            if piece == MARK_START and not open_mark:
                html.append("<mark>")
                open_mark = True
            elif piece == MARK_END and open_mark:
                html.append("</mark>")
                open_mark = False
        else:
            html.append(escape(piece))
    if open_mark:
        html.append("</mark>")
    return emphasis_html("".join(html))  # every piece of text was escaped above


def _split(text):
    """Alternate text and sentinel pieces: [text, sentinel, text, sentinel, ..., text]."""
    return SENTINEL.split(text)
