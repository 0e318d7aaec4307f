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


ACTIONS_TEMPLATE = "principles/includes/_statement_actions.html"


@register.simple_tag(takes_context=True)
def statement_card(context, statement, show_source=False, anchor=None):
    """A statement in a listing (principles.cards), with the controls of a signed-in person
    below it (ACTIONS_TEMPLATE, given `statement`, `back` and `anchor`). The themes' chips
    are built once per template for all its statements."""
    chips = context.render_context.setdefault("statement_card_chips", {})
    actions = ""
    user = context.get("user")
    if user is not None and user.is_authenticated:
        actions_template = context.render_context.get(ACTIONS_TEMPLATE)
        if actions_template is None:
            actions_template = context.template.engine.get_template(ACTIONS_TEMPLATE)
            context.render_context[ACTIONS_TEMPLATE] = actions_template
        back = context["request"].get_full_path()
        with context.push(statement=statement, back=back, anchor=anchor):
            actions = actions_template.render(context)
    return cards.statement_card(statement, show_source=show_source, chips=chips, actions=actions)
