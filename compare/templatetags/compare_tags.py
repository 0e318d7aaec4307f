"""What compare adds to the core's pages: `{% load compare_tags %}`, then
`{{ old|word_diff:new }}` (how a statement's wording changed between versions) and
`{% similar_elsewhere statement %}` (on its permalink page).

The core (principles) shows them without importing compare: its templates load this library.
"""

from django import template

from compare import selectors, text

register = template.Library()


@register.filter
def word_diff(earlier, later):
    """`later`'s text with what only `earlier` had in <del> and what `later` adds in <ins>."""
    return text.word_diff(earlier, later, "the earlier version", "the current version")


@register.inclusion_tag("compare/includes/_similar.html")
def similar_elsewhere(statement):
    """A statement page's "Similar elsewhere": the statements of other organizations most like
    it (one query)."""
    return {"statement": statement, "similar": selectors.similar_elsewhere(statement)}
