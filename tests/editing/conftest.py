"""Helpers for the editing tests (admin change forms, history, lifecycle)."""

from django.forms import CheckboxInput
from taggit.utils import edit_string_for_tags

from principles.models import Theme


def _value(bound):
    value = bound.value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        if value and hasattr(value[0], "name"):  # themes on a statement
            return edit_string_for_tags(value)
        return [str(item) for item in value]
    return str(value)


def change_form_data(response):
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = _value(management[name])
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            bound = form[name]
            if isinstance(field.widget, CheckboxInput):
                if bound.value():
                    data[bound.html_name] = "on"
                continue
            data[bound.html_name] = _value(bound)
            sent = data[bound.html_name]
            if name == "tags" and isinstance(sent, list) and all(v.isdigit() for v in sent):
                # a statement's themes (a select of ids): sent as names, which admin also
                # takes (principles.forms.ThemeChoiceField), so tests can add one by name
                themes = Theme.objects.filter(pk__in=sent)
                data[bound.html_name] = edit_string_for_tags(list(themes))
            elif name == "tags" and isinstance(sent, list):
                data[bound.html_name] = ", ".join(sent)  # a form sent back: names as typed
    if "change_reason" in data:
        data["change_reason"] = "Checked against the source"  # needed for published documents
    return data
