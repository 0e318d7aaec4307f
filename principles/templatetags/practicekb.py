"""Template helpers shared by every page."""

from django import template
from django.utils.html import format_html

from principles import freshness, markup

register = template.Library()

register.filter("inline_markup", markup.inline_markup)
register.filter("plain_text", markup.plain_text)


@register.filter
def source_heading(heading):
    """A heading as its source has it, except one written all in capitals ("SAFETY COMES
    FIRST"), which shouts on a screen: shown in small capitals from sentence case, so that
    screen readers read words rather than letters. The stored text stays verbatim."""
    if not heading or not heading.isupper():
        return heading
    lowered = heading.lower()
    return format_html('<span class="caps">{}</span>', lowered[:1].upper() + lowered[1:])


@register.inclusion_tag("includes/_last_updated.html")
def last_updated():
    """The footer's "Content last updated" line (no query: principles.freshness)."""
    return {"when": freshness.last_updated()}
