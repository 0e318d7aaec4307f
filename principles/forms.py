"""Forms for tagging: the rules a theme name follows, wherever it is typed."""

import re
import unicodedata
from datetime import UTC

from confusable_homoglyphs import confusables
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from taggit.utils import edit_string_for_tags, parse_tags

from .models import Theme, ThemeStatus
from .selectors import theme_formerly_named, theme_named

THEME_NAME_MIN = 2
THEME_NAME_MAX = 50
# Letters and digits of any script, spaces and hyphens; nothing else.
THEME_NAME_CHARACTERS = re.compile(r"(?:[^\W_]|[ -])+")


def normalize_theme_name(value):
    """NFKC (full-width and compatibility forms become plain letters), then trim and collapse
    inner whitespace: "  family   engagement " -> "family engagement"."""
    return " ".join(unicodedata.normalize("NFKC", value).split())


def theme_skeleton(name):
    """What a name looks like: case folded, each letter that the Unicode confusables list
    says looks like a Latin one replaced by it ("S\u0430fety", with a Cyrillic a, -> "safety")."""
    folded = name.casefold()
    found = confusables.is_confusable(folded, greedy=True, preferred_aliases=["latin", "common"])
    for confusable in found or ():
        latin = [g["c"] for g in confusable["homoglyphs"] if g["c"].isascii()]
        if latin:
            folded = folded.replace(confusable["character"], latin[0].casefold())
    return folded


def confusable_theme(name, exclude_pk=None):
    """An existing theme that looks like `name` without being spelled the same, or None."""
    skeleton = theme_skeleton(name)
    for theme in Theme.objects.exclude(pk=exclude_pk).only("pk", "name"):
        if theme.name.casefold() != name.casefold() and theme_skeleton(theme.name) == skeleton:
            return theme
    return None


def refuse_confusable(name, exclude_pk=None):
    clash = confusable_theme(name, exclude_pk)
    if clash is not None:
        raise ValidationError(
            "“%(name)s” looks the same as the existing theme “%(existing)s” but is spelled "
            "with different characters (letters from another alphabet). Use “%(existing)s”.",
            code="confusable",
            params={"name": name, "existing": clash.name},
        )


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


class TaggingForm(forms.Form):
    """A public tagging form. `loaded_at`, hidden, is when the page showing it was drawn: a
    change of the same theme on the statement after that makes the save stale (refused and
    explained). A post without it (a script's) is not checked."""

    loaded_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def clean_loaded_at(self):
        value = self.cleaned_data["loaded_at"]
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
        return value

    def error_text(self):
        """All errors as one sentence, for a message above the page."""
        errors = [
            "This form came from a page that was not understood; reload the page and try again."
            if name == "loaded_at"
            else error
            for name, messages in self.errors.items()
            for error in messages
        ]
        return " ".join(dict.fromkeys(errors))


class AddThemeForm(TaggingForm):
    """Put a theme on a statement by name: an existing theme, or a new one if the user may."""

    name = ThemeNameField(label="Add a theme")
    description = forms.CharField(
        required=False,
        max_length=500,
        label="What a new theme means",
        help_text="Only for a theme you propose: a sentence for editors and readers.",
    )

    def __init__(self, *args, may_create=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_create = may_create

    def clean_name(self):
        name = self.cleaned_data["name"]
        # a name merged away means the theme it was merged into
        if theme_named(name) is not None or theme_formerly_named(name) is not None:
            return name
        refuse_confusable(name)
        if not self.may_create:
            raise ValidationError(
                "“%(name)s” is not a theme yet, and your account may only use existing "
                "themes. Choose one from the list.",
                code="unknown",
                params={"name": name},
            )
        return name

    def clean_description(self):
        return " ".join(self.cleaned_data["description"].split())


class RemoveThemeForm(TaggingForm):
    """Take a theme off a statement (the theme is in the address)."""


def rejected_name_key(pk):
    """Where the session keeps a name a statement's add-a-theme form refused, to show it again."""
    return f"tagging-rejected-name-{pk}"


def loaded_at_value(moment):
    """A page's drawing time as the hidden field carries it: ISO 8601 in UTC, microseconds."""
    return moment.astimezone(UTC).isoformat()


class ThemeAdminForm(forms.ModelForm):
    """Admin's theme form: the same name rules, and "Safety" and "safety" are one theme."""

    name = ThemeNameField(label="Name", help_text="Letters, digits, spaces and hyphens; 2 to 50.")

    class Meta:
        model = Theme
        fields = ["name", "slug", "status", "description", "entry_terms", "curated"]
        help_texts = {
            "slug": "Its address, as in /themes/kinship/. Changing it breaks links to the theme."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].required = False
            if self.instance.pk is None:
                # an editor adding a theme here approves it by doing so
                self.fields["status"].initial = ThemeStatus.APPROVED

    def clean_status(self):
        """Left out (an older form or script): a new theme is approved, others keep theirs."""
        status = self.cleaned_data.get("status")
        if status:
            return status
        return self.instance.status if self.instance.pk else ThemeStatus.APPROVED

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
        refuse_confusable(name, exclude_pk=self.instance.pk)
        return name


class StatementAdminForm(forms.ModelForm):
    """Admin's statement form. It remembers the themes it showed, so that saving applies only
    what the editor added or removed, not a stale copy of the whole list."""

    themes_shown = forms.CharField(widget=forms.HiddenInput, required=False)
    # a revert's form: the themes of the version reverted to (selectors.themes_at_version),
    # offered in place of today's; saving applies the difference, as any save does
    themes_at_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.themes_at_version is not None:
            # read-only on a revert's page (VersionedAdminForm): sent as they were then
            self.initial["tags"] = [theme.pk for theme in self.themes_at_version]
        if not self.is_bound and self.instance.pk is not None:
            shown = [tagged.tag.name for tagged in self.instance.tagged_items.select_related("tag")]
            self.initial["themes_shown"] = edit_string_for_tags_by_name(shown)
            if self.themes_at_version is not None:
                self._say_what_the_revert_does_to_themes(shown)

    def _say_what_the_revert_does_to_themes(self, today):
        then = [theme.name for theme in self.themes_at_version]
        folded = {name.casefold() for name in today}
        added = [name for name in then if name.casefold() not in folded]
        folded = {name.casefold() for name in then}
        removed = [name for name in today if name.casefold() not in folded]
        changes = [
            *([f"adds {', '.join(added)}"] if added else []),
            *([f"removes {', '.join(removed)}"] if removed else []),
        ]
        if "tags" in self.fields:
            self.fields["tags"].help_text = (
                "The themes of this version. Reverting "
                + (" and ".join(changes) if changes else "leaves today's themes as they are")
                + "."
            )

    def clean(self):
        cleaned = super().clean()
        if "tags" in cleaned:
            # saved by save_related as changes, not re-set by save_m2m
            self.submitted_themes = cleaned.pop("tags")
        return cleaned

    def theme_changes(self):
        """(names added, names removed) relative to what the form showed; case-insensitive."""
        if not hasattr(self, "submitted_themes"):
            return [], []
        shown = {name.lower(): name for name in parse_tags(self.cleaned_data.get("themes_shown"))}
        # themes chosen in admin's select, or names (a form built on taggit's text field)
        sent = {
            getattr(theme, "name", theme).lower(): getattr(theme, "name", theme)
            for theme in self.submitted_themes
        }
        added = [name for key, name in sent.items() if key not in shown]
        removed = [name for key, name in shown.items() if key not in sent]
        return added, removed


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    """Admin's themes of a statement: chosen from the vocabulary (ids, as the select sends
    them). A post written for taggit's text field ("Safety, Kinship", as older scripts and
    the benchmarks send) is still understood: its names, as typed."""

    def clean(self, value):
        if (
            isinstance(value, list | tuple)
            and len(value) == 1
            and isinstance(value[0], str)
            and not value[0].isdigit()
        ):
            return parse_tags(value[0])
        return super().clean(value)


def edit_string_for_tags_by_name(names):
    return edit_string_for_tags([Theme(name=name) for name in names])


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


# Document lifecycle in the admin (issue 14) ---------------------------------------------

SUMMARY_MIN_WORDS = 4
SUMMARY_MIN_CHARACTERS = 20


class LifecycleForm(forms.Form):
    """The confirmation of Publish, Retire or Make a new draft version; publishing asks
    for a summary of changes, kept in the Revised documents report."""

    summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        label="Summary of changes",
        help_text="At least a sentence: what changed, and why. Readers see it on the "
        "version's What changed page; auditors in the Revised documents report.",
    )

    def __init__(self, *args, summary_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.summary_required = summary_required
        if not summary_required:
            self.fields["summary"].label = "Reason (optional)"
            self.fields["summary"].help_text = "Kept in the Revised documents report."

    def clean_summary(self):
        summary = " ".join(self.cleaned_data["summary"].split())
        if self.summary_required and (
            len(summary) < SUMMARY_MIN_CHARACTERS or len(summary.split()) < SUMMARY_MIN_WORDS
        ):
            raise ValidationError(
                "Write a summary of the changes of at least a sentence "
                f"({SUMMARY_MIN_WORDS} words or more), for readers and auditors."
            )
        return summary
