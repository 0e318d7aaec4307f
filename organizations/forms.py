from django import forms

from .models import Organization, OrganizationKind


class OrganizationFilterForm(forms.Form):
    """The filters on /organizations/. Unknown values are errors, not silently ignored."""

    kind = forms.ChoiceField(required=False, label="Kind")
    jurisdiction = forms.ChoiceField(required=False, label="Jurisdiction")

    def __init__(self, *args, jurisdictions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds"), *OrganizationKind.choices]
        self.fields["jurisdiction"].choices = [("", "All jurisdictions")] + [
            (name, name) for name in jurisdictions
        ]

    def filter(self, queryset):
        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        if self.cleaned_data.get("jurisdiction"):
            queryset = queryset.filter(jurisdiction=self.cleaned_data["jurisdiction"])
        return queryset


def jurisdictions():
    return list(
        Organization.objects.order_by("jurisdiction")
        .values_list("jurisdiction", flat=True)
        .distinct()
    )
