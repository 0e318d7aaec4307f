from django import forms

from organizations.models import Organization
from principles.models import StatementKind, Theme

from . import query as search_query
from .backends import Criteria
from .selectors import MAX_PAGE


class QueryField(forms.CharField):
    """Any text is acceptable: control characters (NUL included) are dropped, not refused."""

    def to_python(self, value):
        return search_query.clean_text(value if isinstance(value, str) else "")


class SearchForm(forms.Form):
    """The search parameters. The query is never an error; unknown filters are (400)."""

    q = QueryField(required=False, label="Search principles")
    org = forms.CharField(required=False, max_length=200)
    kind = forms.CharField(required=False, max_length=200)
    theme = forms.CharField(required=False, max_length=200)
    earlier = forms.BooleanField(required=False, label="Include earlier versions")
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": "The page must be a whole number such as 2.",
            "min_value": "The page must be 1 or more.",
            "max_value": "The page must be at most %(limit_value)s.",
        },
    )

    def clean_org(self):
        slug = self.cleaned_data["org"]
        if not slug:
            return None
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise forms.ValidationError(f"There is no organization “{slug}”.")
        return organization

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if kind and kind not in StatementKind.values:
            raise forms.ValidationError(
                f"There is no kind of statement “{kind}”. Use one of: "
                + ", ".join(StatementKind.values)
                + "."
            )
        return kind or None

    def clean_theme(self):
        slug = self.cleaned_data["theme"]
        if not slug:
            return None
        theme = Theme.objects.visible_to_readers().filter(slug=slug).first()
        if theme is None:
            raise forms.ValidationError(f"There is no theme “{slug}”.")
        return theme

    def criteria(self):
        data = self.cleaned_data
        return Criteria(
            query=search_query.parse(data["q"]),
            organization=data["org"],
            kind=data["kind"],
            theme=data["theme"],
            earlier=data["earlier"],
        )

    @property
    def page_number(self):
        return self.cleaned_data.get("page") or 1
