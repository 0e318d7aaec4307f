"""compare's parts of the core's pages, without the core importing compare:

- `{{ old|word_diff:new }}`: how a statement's wording changed between versions;
- `{% similar_elsewhere statement %}`: the statement page's "Similar elsewhere" list (three
  queries: confirmed links, the matches, and whether the worker is still updating them),
  with the review forms for those who may review the crosswalk;
- `{% compare_with_organization organization %}` and `{% compare_on_theme theme %}`: the ways
  into /compare/ from an organization's page and a theme's page (one query each).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

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


@register.inclusion_tag("compare/includes/_compare_with.html")
def compare_with_organization(organization):
    """An organization page's "Compare with ...": a small form choosing another (one query)."""
    others = selectors.organizations_to_compare_with(organization)
    # one <option> per organization, on every organization's page: joined here, where escaping
    # 500 names costs a tenth of a template loop over them
    options = "".join(
        f'<option value="{escape(slug)}">{escape(name)}</option>' for slug, name in others
    )
    return {"organization": organization, "options": mark_safe(options)}  # noqa: S308 - escaped


@register.inclusion_tag("compare/includes/_compare_theme.html")
def compare_on_theme(theme):
    """A theme page's link to the organizations that say most on it, compared (one query)."""
    return {"theme": theme, "organizations": selectors.organizations_on_theme(theme)}
