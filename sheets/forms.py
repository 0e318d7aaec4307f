from django import forms

from .models import Layout, Paper, Sheet


class PrintOptionsForm(forms.Form):
    """?paper=letter|a4&layout=standard|discussion on any sheet; unknown values are errors."""

    paper = forms.ChoiceField(choices=Paper.choices, required=False)
    layout = forms.ChoiceField(choices=Layout.choices, required=False)

    def options(self, defaults):
        return {
            "paper": self.cleaned_data.get("paper") or defaults.get("paper", Paper.LETTER),
            "layout": self.cleaned_data.get("layout") or defaults.get("layout", Layout.STANDARD),
        }


class SheetForm(forms.ModelForm):
    class Meta:
        model = Sheet
        fields = ["title", "subtitle", "notes", "layout", "paper"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the sheet a title.")
        return title


class AddToSheetForm(forms.Form):
    """Which sheet a statement goes on: one of the user's own, or a new one."""

    NEW = "new"
    sheet = forms.ChoiceField(label="Sheet")
    new_title = forms.CharField(label="Title of the new sheet", max_length=120, required=False)

    def __init__(self, *args, sheets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sheets = {str(sheet.public_id): sheet for sheet in sheets}
        self.fields["sheet"].choices = [
            *((key, sheet.title) for key, sheet in self.sheets.items()),
            (self.NEW, "A new sheet"),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sheet") == self.NEW:
            title = " ".join(cleaned.get("new_title", "").split())
            cleaned["new_title"] = title or "Untitled sheet"
        return cleaned

    def chosen_sheet(self):
        return self.sheets.get(self.cleaned_data["sheet"])


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])
