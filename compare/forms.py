"""The compare form: which organizations, and optionally which statement kinds and themes.

Every rejected value is named back in plain words; nothing unknown is silently ignored.
"""

from django import forms

from organizations.models import Organization
from principles import selectors
from principles.models import StatementKind

MIN_ORGANIZATIONS = 2
MAX_ORGANIZATIONS = 5
MAX_THEMES = 20
MAX_VALUE_LENGTH = 100
PARAMETERS = ("org", "kind", "theme")


def _shown(value):
    """A user-sent value, shortened for an error message (the template escapes it)."""
    return value if len(value) <= 40 else f"{value[:37]}..."


class StrictMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple choice that names unknown, empty, oversized and repeated values."""

    def __init__(self, *, noun, **kwargs):
        self.noun = noun
        super().__init__(**kwargs)

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

    def __init__(self, *args, organizations=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {organization.slug: organization for organization in organizations}
        self.themes = {theme.slug: theme for theme in themes}
        self.fields["org"].choices = [(o.slug, o.name) for o in organizations]
        self.fields["theme"].choices = [(t.slug, t.name) for t in themes]

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
        organizations=list(
            Organization.objects.order_by("name").only("pk", "name", "short_name", "slug")
        ),
        # the themes readers may see: none that only drafts or retired documents carry
        themes=list(selectors.themes_with_counts().order_by("name").only("pk", "name", "slug")),
    )
