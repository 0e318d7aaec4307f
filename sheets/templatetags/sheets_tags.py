"""What sheets adds to the core's pages, so that the core's templates name no sheets partial
or URL: `{% load sheets_tags %}`, then `{% print_links theme %}` in a page's header and
`{% add_to_sheet statement %}` beside a statement (`{% add_to_sheet_url statement back %}` in a
listing, where one link stands for the form); `{% add_ticked_form %}` once on a listing page and
`{% sheet_tick statement %}` beside each statement, to add several at once."""

import operator
from urllib.parse import quote

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from organizations.models import Organization
from principles.citations import headline_case
from principles.models import Document, Theme

register = template.Library()

# headings a source sets in capitals, in title case on sheets (stored as the source has them)
register.filter("heading_case", headline_case)


@register.simple_tag
def qr_code(url):
    """An inline SVG QR code of `url` (segno writes only its own markup: no text of ours is
    in it but the encoded bits), sized by CSS."""
    svg = segno.make(url, error="m").svg_inline(scale=1, border=0, svgclass="qr", lineclass="")
    return mark_safe(svg)  # noqa: S308 - segno's SVG paths, no user text


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
        "pdf_url": reverse(f"sheets:{name}-pdf", args=args),
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


def own_sheets(context):
    """The trainer's sheets from the context processor's lazy `sheet_builder` (a list, the
    chosen sheet first), or None for anyone who does not build sheets."""
    builder = context.get("sheet_builder")
    if builder is None or operator.eq(builder, None):  # a lazy object wrapping None
        return None
    return list(builder)


@register.inclusion_tag("sheets/includes/_add_ticked.html", takes_context=True)
def add_ticked_form(context):
    """The page's one "Add ticked statements" form (id="add-to-sheet"), for people who build
    sheets: the statements' checkboxes ({% sheet_tick %}) join it by their form attribute, so
    a listing needs no form around it and works without JavaScript."""
    request = context.get("request")
    builder = own_sheets(context)
    if request is None or builder is None:
        return {"sheet_builder": None}
    request.add_ticked_form = True  # the page's checkboxes have a form to join
    return {
        "sheet_builder": builder,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("sheets/includes/_sheet_tick.html", takes_context=True)
def sheet_tick(context, statement):
    """A statement's "Add" checkbox for the page's form, or "On your sheet" when the chosen
    sheet (the one added to last) holds it already: `sheet_marks` is one query per page."""
    request = context.get("request")
    if request is None or not getattr(request, "add_ticked_form", False):
        return {"show": False}
    builder = own_sheets(context)
    if builder is None:
        return {"show": False}
    marks = context.get("sheet_marks") or ()
    return {
        "show": True,
        "statement": statement,
        "on_sheet": statement.pk in marks,
        "sheet": builder[0] if builder else None,
    }


@register.simple_tag
def add_to_sheet_url(statement, back, anchor=""):
    """The address of the small "Add to sheet" page for a statement in a listing; it sends
    the user back to `back`, at the statement's anchor (`<anchor>-<id>`), afterwards."""
    next_url = quote(f"{back}#{anchor or 'statement'}-{statement.pk}", safe="/")
    return f"{reverse('sheets:add')}?statement={statement.pk}&next={next_url}"
