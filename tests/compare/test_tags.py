"""compare_tags: parts of the comparison built without the template engine give the markup
Django's own templates give."""

import pytest
from django.template import Context, Template

from compare.forms import compare_form

pytestmark = pytest.mark.django_db


def test_checkbox_items_render_as_the_widget_templates_do():
    form = compare_form({"org": ["virginia", "maine-cfs"], "kind": ["value"]})
    form.is_valid()
    through_widgets = Template(
        '{% for choice in field %}<li><label for="{{ choice.id_for_label }}">{{ choice.tag }} '
        "{{ choice.choice_label }}</label></li>{% endfor %}"
    )
    built = Template("{% load compare_tags %}{% checkbox_items field %}")
    for name in ("org", "kind", "theme"):
        context = Context({"field": form[name]})
        assert built.render(context) == through_widgets.render(context)
    assert "checked" in built.render(Context({"field": form["org"]}))
