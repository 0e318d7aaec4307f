"""What search adds to the core's pages, so that the core's templates name no search URL:
`{% load search_tags %}`, then `{% search_url %}` as a search form's action."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def search_url():
    return reverse("search:search")
