"""What sheets adds to the core's pages, so that the core's templates name no sheets partial
or URL: `{% load sheets_tags %}`, then `{% print_links theme %}` in a page's header and
`{% add_to_sheet statement %}` beside a statement (`{% add_to_sheet_url statement back %}` in a
listing, where one link stands for the form)."""

from urllib.parse import quote

from django import template
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Theme

register = template.Library()


@register.inclusion_tag("sheets/includes/_print_links.html")
def print_links(subject, organization=None):
    """The Print links of the sheet beside an organization's, a document's (give its
    `organization`: no query) or a theme's page."""
    if isinstance(subject, Organization):
        name, args, what = "organization", [subject.slug], subject.name
    elif isinstance(subject, Document):
        name, args, what = "document", [organization.slug, subject.slug], subject.title
    elif isinstance(subject, Theme):
        name, args, what = "theme", [subject.slug], subject.name
    else:
        raise TypeError(f"No sheet prints a {type(subject).__name__}.")
    return {
        "sheet_url": reverse(f"sheets:{name}", args=args),
        "pdf_url": reverse(f"sheets:{name}_pdf", args=args),
        "what": what,
    }


@register.inclusion_tag("sheets/includes/_add_to_sheet.html", takes_context=True)
def add_to_sheet(context, statement):
    """The "Add to sheet" form for people who build sheets (nothing for anyone else)."""
    return {
        "statement": statement,
        "sheet_builder": context.get("sheet_builder"),
        "request": context.get("request"),
    }


@register.simple_tag
def add_to_sheet_url(statement, back, anchor=""):
    """The address of the small "Add to sheet" page for a statement in a listing; it sends
    the user back to `back`, at the statement's anchor (`<anchor>-<id>`), afterwards."""
    next_url = quote(f"{back}#{anchor or 'statement'}-{statement.pk}", safe="/")
    return f"{reverse('sheets:add')}?statement={statement.pk}&next={next_url}"
