"""Template helpers for the tagging forms shown to people who may tag."""

import re

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from principles.forms import loaded_at_value, rejected_name_key
from principles.selectors import theme_names

register = template.Library()

DATALIST_ID = "theme-names"


@register.simple_tag(takes_context=True)
def tagging_next(context, statement, anchor=""):
    """Where a tagging form sends the user back to: `back` when the page names it (the Edit
    themes page), else this page, at the statement (or anchor)."""
    if context.get("back"):
        return context["back"]
    return f"{context['request'].get_full_path()}#{anchor or f'statement-{statement.pk}'}"


@register.simple_tag(takes_context=True)
def tagging_loaded_at(context):
    """When this page was drawn, for the tagging forms' hidden `loaded_at` (one value for every
    form of the page, taken the first time a form asks, before any form shows its themes): a
    change of a theme after it is one the user has not seen. No query."""
    request = context["request"]
    if not hasattr(request, "_tagging_loaded_at"):
        request._tagging_loaded_at = loaded_at_value(timezone.now())
    return request._tagging_loaded_at


@register.filter
def statement_messages(messages, statement):
    """The messages about this statement's themes, shown beside the statement (only there:
    context_processors.page_messages keeps them from the top of the page)."""
    tag = f"statement-{statement.pk}"
    return [message for message in messages if tag in message.extra_tags.split()]


@register.simple_tag(takes_context=True)
def tagging_field(context, statement, feedback):
    """What the add-a-theme field shows after a refused name: the error (a message marked
    "tagging-field") and the name as typed, read once from the session."""
    error = next((m for m in feedback if "tagging-field" in m.extra_tags.split()), None)
    session = getattr(context.get("request"), "session", None)
    name = session.pop(rejected_name_key(statement.pk), "") if session is not None else ""
    return {"error": error, "value": name if error is not None else ""}


@register.filter
def page_level(feedback):
    """The statement's messages that are not a field's error (shown above its form)."""
    return [m for m in feedback if "tagging-field" not in m.extra_tags.split()]


@register.simple_tag(takes_context=True)
def tagging_assets(context):
    """What every tagging form on a page shares, rendered once per page: the <datalist> of
    theme names the add-a-theme fields suggest from (one query), and the enhancing script.

    Every statement's form points at the same datalist, so a page with many statements does
    not repeat the vocabulary for each of them.
    """
    request = context["request"]
    if getattr(request, "_tagging_assets_rendered", False):
        return ""
    request._tagging_assets_rendered = True
    options = format_html_join("", '<option value="{}">', ((name,) for name in theme_names()))
    return format_html(
        '<datalist id="{}">{}</datalist><script src="{}" defer></script>',
        DATALIST_ID,
        options,
        static("js/tagging.js"),
    )


# load_seed_organizations's reasons name a file; readers of the history want the event
LOADED_REASON = re.compile(r"^(Loaded|Reloaded) from fixtures/[\w.-]+\.json$")


@register.filter
def plain_reason(reason):
    """A change's reason as people say it: "Loaded from fixtures/virginia.json" becomes
    "when the organization was first loaded"."""
    found = LOADED_REASON.match(reason or "")
    if found is None:
        return reason
    if found.group(1) == "Loaded":
        return "when the organization was first loaded"
    return "when the organization was loaded again from its sources"
