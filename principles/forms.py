"""Forms for tagging: the rules a theme name follows, wherever it is typed."""

import re

from django import forms
from django.core.exceptions import ValidationError

from .models import Theme
from .selectors import theme_named

THEME_NAME_MIN = 2
THEME_NAME_MAX = 50
# Letters and digits of any script, spaces and hyphens; nothing else.
THEME_NAME_CHARACTERS = re.compile(r"(?:[^\W_]|[ -])+")


def normalize_theme_name(value):
    """Trim and collapse inner whitespace: "  family   engagement " -> "family engagement"."""
    return " ".join(value.split())


def validate_theme_name(name):
    """The vocabulary's rules, with a message a person can act on. Expects a normalized name."""
    if len(name) < THEME_NAME_MIN:
        raise ValidationError(
            "A theme name needs at least %(min)d characters.",
            code="too_short",
            params={"min": THEME_NAME_MIN},
        )
    if len(name) > THEME_NAME_MAX:
        raise ValidationError(
            "A theme name can have at most %(max)d characters; this one has %(length)d.",
            code="too_long",
            params={"max": THEME_NAME_MAX, "length": len(name)},
        )
    if not THEME_NAME_CHARACTERS.fullmatch(name):
        raise ValidationError(
            "A theme name may contain only letters, digits, spaces and hyphens.",
            code="characters",
        )
    if not any(character.isalnum() for character in name):
        raise ValidationError("A theme name needs at least one letter or digit.", code="no_word")


class ThemeNameField(forms.CharField):
    default_validators = [validate_theme_name]

    def to_python(self, value):
        return normalize_theme_name(super().to_python(value))


class AddThemeForm(forms.Form):
    """Put a theme on a statement by name: an existing theme, or a new one if the user may."""

    name = ThemeNameField(label="Add a theme")

    def __init__(self, *args, may_create=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_create = may_create

    def clean_name(self):
        name = self.cleaned_data["name"]
        if not self.may_create and theme_named(name) is None:
            raise ValidationError(
                "“%(name)s” is not a theme yet, and your account may only use existing "
                "themes. Choose one from the list.",
                code="unknown",
                params={"name": name},
            )
        return name

    def error_text(self):
        """All errors as one sentence, for a message above the page."""
        return " ".join(error for errors in self.errors.values() for error in errors)


class ThemeAdminForm(forms.ModelForm):
    """Admin's theme form: the same name rules, and "Safety" and "safety" are one theme."""

    name = ThemeNameField(label="Name", help_text="Letters, digits, spaces and hyphens; 2 to 50.")

    class Meta:
        model = Theme
        fields = ["name", "slug", "description", "entry_terms", "curated"]
        help_texts = {
            "slug": "Its address, as in /tags/kinship/. Changing it breaks links to the theme."
        }

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Theme.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise ValidationError(
                "There is already a theme “%(existing)s”; names are the same theme whatever "
                "their case. Merge the two themes instead.",
                code="duplicate",
                params={"existing": clash.name},
            )
        return name


class MergeThemesForm(forms.Form):
    """The intermediate admin page of "Merge selected themes into one": pick the survivor."""

    survivor = forms.ModelChoiceField(
        queryset=Theme.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this theme",
        help_text="Every statement tagged with the other themes gets this one; the others "
        "are deleted.",
    )

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = themes
