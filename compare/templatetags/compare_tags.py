"""compare's parts of the core's pages, without the core importing compare:

- `{{ old|word_diff:new }}`: how a statement's wording changed between versions;
- `{% similar_elsewhere statement %}`: the statement page's "Similar elsewhere" list (three
  queries: confirmed links, the matches, and whether the worker is still updating them),
  with the review forms for those who may review the crosswalk;
- `{% compare_with_organization organization %}` and `{% compare_on_theme theme %}`: the ways
  into /compare/ from an organization's page and a theme's page (one query each);
- for /compare/ itself, `{% checkbox_items field %}`, `{% compare_cell statement %}` and
  `{% compare_pair pair %}`: the parts a comparison repeats hundreds of times, built in one
  escaped string each with the markup the templates had (principles/cards.py says why).
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from compare import links, selectors, text
from principles.cards import first_words
from principles.markup import inline_markup
from principles.models import KIND_NAMES
from principles.templatetags.practicekb import render_in_context, statement_actions

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


@register.simple_tag
def checkbox_items(field):
    """`<li><label for="...">{{ choice.tag }} {{ choice.choice_label }}</label></li>` for each
    choice of a multiple-choice field, as Django's checkbox widget templates render it.

    The comparison form offers every organization: at 500 organizations, rendering each
    checkbox through the widget templates cost a third of a comparison page's CPU."""
    items = []
    for choice in field.subwidgets:
        data = choice.data
        attrs = "".join(
            f" {name}" if value is True else f' {name}="{escape(str(value))}"'
            for name, value in data["attrs"].items()
            if value is not False
        )
        value = "" if data["value"] is None else f' value="{escape(str(data["value"]))}"'
        items.append(
            f'<li><label for="{escape(choice.id_for_label)}"><input type="{escape(data["type"])}" '
            f'name="{escape(data["name"])}"{value}{attrs}> '
            f"{conditional_escape(choice.choice_label)}</label></li>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every value is escaped above


@register.simple_tag(takes_context=True)
def compare_cell(context, statement):
    """A statement in a line of the comparison's side by side: its organization, label,
    kind, permalink, title, text and the other rows it also belongs to (`other_themes`),
    with a signed-in person's controls. Five organizations put some 500 of these on a page:
    built here in one escaped string, not through the template engine (principles.cards)."""
    organization = escape(statement.document.organization.display_name)
    label = (
        f' <span class="statement__label">{escape(statement.label)}</span>'
        if statement.label
        else ""
    )
    title = f'<p class="statement__title">{escape(statement.title)}</p>' if statement.title else ""
    also = ""
    if statement.other_themes:
        rows = ", ".join(
            f'<a href="#row-{escape(str(other.key))}">{escape(str(other.title))}</a>'
            for other in statement.other_themes
        )
        also = f'<p class="compare-also">Also: {rows}</p>'
    actions = statement_actions(context, statement)
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        f'<article class="compare-cell statement" id="statement-{statement.pk}">\n'
        f'  <p class="statement__meta"><span class="compare-cell__org">{organization}</span>'
        f'{label} <span class="kind">{escape(KIND_NAMES.get(statement.kind, statement.kind))}'
        f'</span> <a class="statement__permalink" href="{escape(statement.permalink)}">Permalink'
        f'<span class="visually-hidden"> for {organization} {escape(statement.designation)}'
        "</span></a></p>\n"
        f"  {title}\n"
        f'  <p class="statement__text">{inline_markup(statement.text)}</p>\n'
        f"  {also}\n"
        f"  {conditional_escape(actions)}\n"
        "</article>"
    )


REVIEW_FORMS = "compare/includes/_review_forms.html"


@register.simple_tag(takes_context=True)
def compare_pair(context, pair):
    """One pair of the crosswalk: its score (or an editor's confirmation), note, the two
    statements and the difference of their words, with the review forms for those who may
    review (REVIEW_FORMS, given `first`, `second`, `link`, `next` and `suffix`). A comparison
    shows up to a few hundred pairs: built here in one escaped string (principles.cards)."""
    link = pair.link
    percent = f'<strong class="pair__percent">{pair.percent}%</strong>'
    if link:
        score = '<span class="pair__band pair__band--confirmed">Confirmed by an editor</span>'
        score += f" {percent}" if pair.score else ""
    else:
        band = pair.band
        score = (
            f'{percent} <span class="pair__band pair__band--{escape(str(band))}">'
            f"{escape(str(band.label))}</span>"
        )
    note = f'<p class="pair__note">Note: {escape(link.note)}</p>' if link and link.note else ""
    sources = []
    for side, statement in (("first", pair.first), ("second", pair.second)):
        mark = "\u2212" if side == "first" else "+"
        section = (
            f' <span class="pair__section">· {escape(first_words(statement.section.heading, 12))}'
            "</span>"
            if statement.section
            else ""
        )
        sources.append(
            f'\n    <li class="pair__source pair__source--{side}"><span class="pair__mark" '
            f'aria-hidden="true">{mark}</span> '
            f"<strong>{escape(statement.document.organization.display_name)}</strong>, "
            f'<a href="{escape(statement.get_absolute_url())}">'
            f"{escape(statement.designation)}</a>{section}</li>\n    "
        )
    forms = ""
    if context.get("may_review"):
        forms = render_in_context(
            context,
            REVIEW_FORMS,
            first=pair.first,
            second=pair.second,
            link=link,
            next=f"{context['request'].get_full_path()}#{pair.anchor}",
            suffix="",
        )
    first_name = escape(pair.first.document.organization.display_name)
    second_name = escape(pair.second.document.organization.display_name)
    return mark_safe(  # noqa: S308 - every value is escaped above or here
        f'\n<li class="pair{" pair--confirmed" if link else ""}" id="{escape(pair.anchor)}">\n'
        f'  <p class="pair__score">{score}</p>\n'
        f"  {note}\n"
        f'  <ul class="pair__sources">\n    {"".join(sources)}\n  </ul>\n'
        '  <p class="pair__diff"><span class="visually-hidden">Difference, words only in '
        f"{first_name} struck through, words only in {second_name} marked as inserted: </span>"
        f"{conditional_escape(pair.diff)}</p>\n"
        f"  {conditional_escape(forms)}\n"
        "</li>\n"
    )
