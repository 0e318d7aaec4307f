"""compare's word diff for the core's pages: `{% load compare_tags %}{{ old|word_diff:new }}`.

The core (principles) shows how a statement's wording changed between versions without
importing compare: the template loads this library.
"""

from django import template

from compare import text

register = template.Library()


@register.filter
def word_diff(earlier, later):
    """`later`'s text with what only `earlier` had in <del> and what `later` adds in <ins>."""
    return text.word_diff(earlier, later, "the earlier version", "the current version")
