"""Template helpers shared by every page."""

from django import template

from principles import cards, freshness, markup

register = template.Library()

register.filter("inline_markup", markup.inline_markup)
register.filter("plain_text", markup.plain_text)
register.filter("source_heading", markup.source_heading)


@register.inclusion_tag("includes/_last_updated.html")
def last_updated():
    """The footer's "Content last updated" line (no query: principles.freshness)."""
    return {"when": freshness.last_updated()}


def render_in_context(context, template_name, **values):
    """`template_name` rendered in `context` with `values` added, for tags that draw many
    items of a page: the template is looked up once per render, as {% include %} does."""
    found = context.render_context.get(template_name)
    if found is None:
        found = context.render_context[template_name] = context.template.engine.get_template(
            template_name
        )
    with context.push(**values):
        return found.render(context)


def statement_actions(context, statement, anchor=None):
    """The controls a signed-in person has on a statement in a listing (rendered with
    `statement`, `back` and `anchor`), or "" for readers."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return render_in_context(
        context,
        "principles/includes/_statement_actions.html",
        statement=statement,
        back=context["request"].get_full_path(),
        anchor=anchor,
    )


@register.simple_tag(takes_context=True)
def statement_card(context, statement, show_source=False, anchor=None):
    """A statement in a listing (principles.cards) with the controls of a signed-in person
    below it. The themes' chips are built once per template for all its statements."""
    chips = context.render_context.setdefault("statement_card_chips", {})
    actions = statement_actions(context, statement, anchor)
    return cards.statement_card(statement, show_source=show_source, chips=chips, actions=actions)
