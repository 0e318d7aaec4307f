"""compare's parts of the core's pages, without the core importing compare:

- `{{ old|word_diff:new }}`: how a statement's wording changed between versions;
- `{% similar_elsewhere statement %}`: the statement page's "Similar elsewhere" list (three
  queries: confirmed links, the matches, and whether the worker is still updating them),
  with the review forms for those who may review the crosswalk.
"""

from django import template

from compare import links, selectors, text

register = template.Library()


@register.filter
def word_diff(earlier, later):
    """`later`'s text with what only `earlier` had in <del> and what `later` adds in <ins>."""
    return text.word_diff(earlier, later, "the earlier version", "the current version")


@register.inclusion_tag("compare/includes/_similar.html", takes_context=True)
def similar_elsewhere(context, statement):
    """Statements of other organizations that say much the same, best first."""
    request = context.get("request")
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "may_review": request is not None and links.may_review(request.user),
        "statement": statement,
        "similar": selectors.similar_elsewhere(statement),
        "pending": selectors.similarity_pending(statement),
    }
