"""Template helpers shared by every page."""

from django import template

from principles import markup

register = template.Library()

register.filter("inline_markup", markup.inline_markup)
register.filter("plain_text", markup.plain_text)
