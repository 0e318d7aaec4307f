"""A statement as listings show it (organization, document and theme pages, sheets), as HTML.

Pages list up to hundreds of statements. Through the template engine a statement card cost
about 0.3 ms (an include, some thirty variable lookups and filters, a nested include for
its themes): three quarters of an organization page's CPU. Here the same markup is built
with `format_html`, every value escaped, in a tenth of that. The markup is the one
`principles/includes/_statement.html` had; change it here, and the controls a signed-in
person gets below it stay in `principles/includes/_statement_actions.html` (the template
tag `statement_card` in `templatetags/practicekb.py` adds them).
"""

from django.template.defaultfilters import truncatewords
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .markup import inline_markup, plain_text, source_heading


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
            chip = chips[key] = format_html(
                '<li><a class="chip" href="{}">{}</a></li>', theme.get_absolute_url(), theme.name
            )
        parts.append(chip)
    return mark_safe(f'<ul class="chips" aria-label="Themes">{"".join(parts)}</ul>')  # noqa: S308 - escaped above


def statement_card(statement, *, show_source=False, chips=None, actions=""):
    """The statement's <article>: label, kind, permalink, title, text and themes, with
    `actions` (already safe HTML) before its end. `show_source` names the organization,
    document and section (on pages that mix documents)."""
    label = statement.label
    source = ""
    if show_source:
        document = statement.document
        section = statement.section
        source = format_html(
            '<span class="statement__source">{} · {}{}</span>',
            document.organization.display_name,
            document.title,
            format_html(" · {}", source_heading(section.heading)) if section else "",
        )
    return format_html(
        '<article class="statement statement--{kind}" id="statement-{pk}">\n'
        '  <p class="statement__meta">\n'
        "    {label}\n"
        '    <span class="kind">{kind_name}</span>\n'
        "    {source}\n"
        '    <a class="statement__permalink" href="{url}">Permalink<span class="visually-hidden">'
        " for {label_words}{words}</span></a>\n"
        "  </p>\n"
        "  {title}\n"
        '  <p class="statement__text">{text}</p>\n'
        '  <div class="statement__foot">\n'
        "    {themes}\n"
        "  </div>\n"
        "  {actions}\n"
        "</article>",
        kind=statement.kind,
        pk=statement.pk,
        label=format_html('<span class="statement__label">{}</span>', label) if label else "",
        kind_name=statement.get_kind_display(),
        source=source,
        url=statement.get_absolute_url(),
        label_words=f"{label} " if label else "",
        words=truncatewords(plain_text(statement.text), 8),
        title=format_html('<p class="statement__title">{}</p>', statement.title)
        if statement.title
        else "",
        text=inline_markup(statement.text),
        themes=theme_chips(statement.themes, chips),
        actions=actions,
    )
