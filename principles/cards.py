"""A statement as listings show it (organization, document and theme pages, sheets), as HTML.

Pages list up to hundreds of statements. Through the template engine a statement card cost
about 0.3 ms (an include, some thirty variable lookups and filters, a nested include for
its themes): three quarters of an organization page's CPU. Here the same markup is built
in one f-string, every value escaped, in a tenth of that. The markup is the one
`principles/includes/_statement.html` had: change it here. The controls a signed-in person
gets below it stay in `principles/includes/_statement_actions.html` (the template tag
`statement_card` in `templatetags/practicekb.py` adds them).

`html.escape` is what django.utils.html.escape calls, without the check for lazy strings
that costs more than the escaping itself at a few thousand values per page.
"""

from html import escape

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .markup import inline_markup, plain_text, source_heading
from .models import KIND_NAMES


def first_words(text, count):
    """The first `count` words and " …" if there were more: the `truncatewords` filter's
    answer (django.utils.text.Truncator.words), without its lazy wrapper."""
    words = text.split(None, count)
    if len(words) <= count:
        return " ".join(words)
    shown = " ".join(words[:count])
    return shown if shown.endswith(" …") else f"{shown} …"


def theme_chips(themes, chips=None):
    """The themes' chips (templates/includes/_theme_list.html's markup), or "" for none.

    `chips` keeps each theme's chip for the rest of a page: a page of 100 statements shows
    the same dozen themes 200 times."""
    if not themes:
        return ""
    if chips is None:
        chips = {}
    parts = []
    for theme in themes:
        key = (theme.pk, theme.slug, theme.name)
        chip = chips.get(key)
        if chip is None:
            url, name = escape(theme.get_absolute_url()), escape(theme.name)
            chip = chips[key] = f'<li><a class="chip" href="{url}">{name}</a></li>'
        parts.append(chip)
    return mark_safe(f'<ul class="chips" aria-label="Themes">{"".join(parts)}</ul>')  # noqa: S308 - escaped above


def statement_card(statement, *, show_source=False, chips=None, actions=""):
    """The statement's <article>: label, kind, permalink, title, text and themes, with
    `actions` (safe HTML) before its end. `show_source` names the organization, document
    and section (on pages that mix documents)."""
    label = escape(statement.label)
    source = ""
    if show_source:
        document, section = statement.document, statement.section
        heading = f" · {conditional_escape(source_heading(section.heading))}" if section else ""
        source = (
            f'<span class="statement__source">{escape(document.organization.display_name)} · '
            f"{escape(document.title)}{heading}</span>"
        )
    label_span = f'<span class="statement__label">{label}</span>' if label else ""
    words = escape(first_words(plain_text(statement.text), 8))
    title = f'<p class="statement__title">{escape(statement.title)}</p>' if statement.title else ""
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        f'<article class="statement statement--{escape(statement.kind)}" '
        f'id="statement-{statement.pk}">\n'
        '  <p class="statement__meta">\n'
        f"    {label_span}\n"
        f'    <span class="kind">{escape(KIND_NAMES.get(statement.kind, statement.kind))}</span>\n'
        f"    {source}\n"
        f'    <a class="statement__permalink" href="{escape(statement.get_absolute_url())}">'
        f'Permalink<span class="visually-hidden"> for {f"{label} " if label else ""}{words}'
        "</span></a>\n"
        "  </p>\n"
        f"  {title}\n"
        f'  <p class="statement__text">{inline_markup(statement.text)}</p>\n'
        '  <div class="statement__foot">\n'
        f"    {theme_chips(statement.themes, chips)}\n"
        "  </div>\n"
        f"  {conditional_escape(actions)}\n"
        "</article>"
    )
