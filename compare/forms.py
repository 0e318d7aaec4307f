"""The compare form: which organizations, and optionally which statement kinds and themes.

Every rejected value is named back in plain words; nothing unknown is silently ignored.
"""

from django import forms
from django.core.validators import slug_re

from organizations.models import Organization
from principles.models import StatementKind, Theme

MIN_ORGANIZATIONS = 2
MAX_ORGANIZATIONS = 5
MAX_THEMES = 20
MAX_VALUE_LENGTH = 100
PARAMETERS = ("org", "kind", "theme")


def _shown(value):
    """A user-sent value, shortened for an error message (the template escapes it), with
    characters that do not print (a NUL byte, a control code) shown as "�"."""
    value = "".join(ch if ch.isprintable() else "\ufffd" for ch in value)
    return value if len(value) <= 40 else f"{value[:37]}..."


class StrictMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice that names unknown, empty, oversized and repeated values."""

    def __init__(self, *, noun, **kwargs):
        self.noun = noun
        # {value: object} of the values asked for that exist, when the choices are many:
        # checked here rather than by reading every choice (see CompareForm)
        self.known = None
        super().__init__(**kwargs)

    def valid_value(self, value):
        if self.known is not None:
            return value in self.known
        return super().valid_value(value)

    @property
    def a_noun(self):
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        problems = []
        seen = set()
        for item in value:
            if not item.strip():
                problems.append(f"An empty {self.noun} was given.")
            elif len(item) > MAX_VALUE_LENGTH:
                problems.append(f"“{_shown(item)}” is too long to be {self.a_noun}.")
            elif not self.valid_value(item):
                problems.append(f"“{_shown(item)}” is not {self.a_noun} in practicekb.")
            elif item in seen:
                problems.append(f"“{_shown(item)}” is listed more than once.")
            seen.add(item)
        if problems:
            # one message per distinct problem, at most five: the point is made by then
            raise forms.ValidationError(list(dict.fromkeys(problems))[:5], code="invalid")


class CompareForm(forms.Form):
    org = StrictMultipleChoiceField(
        noun="organization",
        label="Organizations",
        help_text=f"Choose {MIN_ORGANIZATIONS} to {MAX_ORGANIZATIONS}.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": f"Choose at least {MIN_ORGANIZATIONS} organizations to compare."
        },
    )
    kind = StrictMultipleChoiceField(
        noun="statement kind",
        label="Statement kinds",
        help_text="Leave all unticked for every kind.",
        required=False,
        choices=StatementKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    theme = StrictMultipleChoiceField(
        noun="theme",
        label="Themes",
        help_text="Leave all unticked for every theme.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations, themes, **kwargs):
        """`organizations` and `themes`: querysets of every choice, read only when the form
        is drawn (a signed-in person's comes from a fragment); validation reads just the
        ones asked for: at 500 organizations, reading them all cost a third of a cached page."""
        super().__init__(*args, **kwargs)
        self.organizations = self._asked("org", organizations)
        self.fields["org"].choices = lambda: [(o.slug, o.name) for o in organizations]
        self.themes = self._asked("theme", themes)
        self.fields["theme"].choices = lambda: [(t.slug, t.name) for t in themes]

    def _asked(self, name, choices):
        """{slug: object} of the choices asked for under `name` that exist (one query, none
        when nothing is asked); the field checks values against it."""
        asked = self.fields[name].widget.value_from_datadict(
            self.data, self.files, self.add_prefix(name)
        )
        # only what could be a slug reaches the database (no NUL byte, no 10 KB value)
        asked = [s for s in asked or () if len(s) <= MAX_VALUE_LENGTH and slug_re.match(s)]
        found = {choice.slug: choice for choice in choices.filter(slug__in=asked)} if asked else {}
        self.fields[name].known = found
        return found

    def clean_org(self):
        slugs = self.cleaned_data["org"]
        if len(slugs) < MIN_ORGANIZATIONS:
            raise forms.ValidationError(
                f"Choose at least {MIN_ORGANIZATIONS} organizations to compare; "
                f"{len(slugs)} {'was' if len(slugs) == 1 else 'were'} chosen."
            )
        if len(slugs) > MAX_ORGANIZATIONS:
            raise forms.ValidationError(
                f"Choose at most {MAX_ORGANIZATIONS} organizations; {len(slugs)} were chosen."
            )
        return [self.organizations[slug] for slug in slugs]

    def clean_kind(self):
        return list(self.cleaned_data["kind"])

    def clean_theme(self):
        slugs = self.cleaned_data["theme"]
        if len(slugs) > MAX_THEMES:
            raise forms.ValidationError(f"Choose at most {MAX_THEMES} themes.")
        return [self.themes[slug] for slug in slugs]

    def clean(self):
        unknown = sorted(name for name in self.data if name not in PARAMETERS)
        if unknown:
            names = ", ".join(f"“{_shown(name)}”" for name in unknown[:5])
            raise forms.ValidationError(
                f"This page does not use the parameter{'s' if len(unknown) > 1 else ''} "
                f"{names}. It understands org, kind and theme."
            )
        return super().clean()


def compare_form(data):
    """The compare form, bound to `data` (None when empty), offering today's choices."""
    return CompareForm(
        data or None,
        organizations=Organization.objects.order_by("name").only(
            "pk", "name", "short_name", "slug"
        ),
        # the themes readers may see: none that only drafts or retired documents carry
        themes=Theme.objects.visible_to_readers().order_by("name").only("pk", "name", "slug"),
    )
