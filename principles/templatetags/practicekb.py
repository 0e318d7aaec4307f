"""Template helpers shared by every page."""

from django import template
from django.templatetags.cache import CacheNode

from principles import cards, freshness, markup
from principles.fragments import FRAGMENT_SECONDS

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


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, cached):
        self.nodelist, self.cached = nodelist, cached

    def render(self, context):
        if getattr(context.get("request"), "fragment_key", None):
            return self.cached.render(context)
        return self.nodelist.render(context)


@register.tag
def shared_fragment(parser, token):
    """{% shared_fragment name [vary_on ...] %}...{% endshared_fragment %}: on a signed-in
    person's page that has `request.fragment_key` (performance.pagecache: the versions of what
    the page shows, its address and the person's permissions), the block is kept under that
    key for FRAGMENT_SECONDS, as {% cache %} keeps it, and shared by everyone with the same
    role; on other pages (readers', whose whole page is cached) it is drawn every time."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in ("request.fragment_key", *bits[2:])]
    expire = parser.compile_filter(str(FRAGMENT_SECONDS))
    return SharedFragmentNode(nodelist, CacheNode(nodelist, expire, bits[1], vary_on, None))
