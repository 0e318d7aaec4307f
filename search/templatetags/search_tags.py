"""What search adds to the core's pages, so that the core's templates name no search URL:
`{% load search_tags %}`, then `{% search_url %}` as a search form's action; and the results
page's `{% search_result statement %}`."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from principles.cards import first_words, theme_chips
from principles.markup import plain_text
from principles.models import KIND_NAMES, DocumentStatus, section_anchor
from principles.templatetags.practicekb import statement_actions

register = template.Library()


@register.simple_tag
def search_url():
    return reverse("search:search")


@register.simple_tag(takes_context=True)
def search_result(context, statement):
    """One result: where it comes from, its label, kind, title and text with the matched
    words marked (`title_html`, `text_html`: safe HTML from search.highlight), its themes,
    permalink and a signed-in person's controls. Built in one escaped string, as the
    statement cards of the core's listings are (principles.cards), not through a template
    include per result."""
    document = statement.document
    organization = document.organization
    document_url = escape(document.get_absolute_url())
    earlier = (
        ' <strong class="marker marker--superseded">(earlier version)</strong>'
        if document.status == DocumentStatus.SUPERSEDED
        else ""
    )
    section = ""
    if statement.section:
        section = (
            f' · <a href="{document_url}#'
            f'{escape(section_anchor(document.slug, statement.section.position))}">'
            f"{escape(statement.section.heading)}</a>"
        )
    label = escape(statement.label)
    label_span = f'<span class="statement__label">{label}</span>' if label else ""
    title = (
        f'<p class="statement__title">{conditional_escape(statement.title_html)}</p>'
        if statement.title
        else ""
    )
    chips = context.render_context.setdefault("search_result_chips", {})
    words = escape(first_words(plain_text(statement.text), 8))
    actions = statement_actions(context, statement, anchor="result")
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        f'<li class="result" id="result-{statement.pk}">\n'
        f'  <p class="result__source"><a href="{escape(organization.get_absolute_url())}">'
        f"{escape(organization.display_name)}</a> · "
        f'<a href="{document_url}">{escape(document.title)}</a>{earlier}{section}</p>\n'
        '  <p class="statement__meta">\n'
        f"    {label_span}\n"
        f'    <span class="kind">{escape(KIND_NAMES.get(statement.kind, statement.kind))}</span>\n'
        "  </p>\n"
        f"  {title}\n"
        f'  <p class="statement__text">{conditional_escape(statement.text_html)}</p>\n'
        '  <div class="statement__foot">\n'
        f"    {theme_chips(statement.themes, chips)}\n"
        f'    <a class="statement__permalink" href="{escape(statement.get_absolute_url())}">'
        f'Permalink<span class="visually-hidden"> for {f"{label} " if label else ""}{words}'
        "</span></a>\n"
        "  </div>\n"
        f"  {conditional_escape(actions)}\n"
        "</li>"
    )


@register.simple_tag
def facet_items(values):
    """The <li> of each facet value: a link that applies it (or removes it, once chosen),
    its label and count. A search shows some eighty of these; one string, not a template
    loop of eight lookups each."""
    items = []
    for value in values:
        selected = value.selected
        link_class = "facet__link facet__link--selected" if selected else "facet__link"
        current = ' aria-current="true"' if selected else ""
        remove = CHOSEN if selected else ""
        plural = "" if value.count == 1 else "s"
        items.append(
            f'<li><a class="{link_class}" href="{escape(value.url)}"{current}>'
            f'<span class="facet__label">{conditional_escape(value.label)}</span> '
            f'<span class="facet__count">{conditional_escape(value.count_text)}'
            f'<span class="visually-hidden"> statement{plural}</span></span>{remove}</a></li>'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value is escaped above


CHOSEN = (
    '<span class="visually-hidden"> (chosen; follow to remove)</span>'
    '<span class="facet__remove" aria-hidden="true">\u00d7</span>'
)
