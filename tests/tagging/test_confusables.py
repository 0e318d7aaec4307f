"""One vocabulary: look-alike theme names are refused, naming the theme they imitate."""

import pytest

from principles.forms import AddThemeForm, ThemeAdminForm, normalize_theme_name
from principles.models import Theme

pytestmark = pytest.mark.django_db

CYRILLIC_A = "\u0430"
LOOK_ALIKES = [
    (f"S{CYRILLIC_A}fety", "safety"),  # Cyrillic small a
    ("Saf\u0435ty", "safety"),  # Cyrillic small ie
    ("\u0405afety", "safety"),  # Cyrillic capital dze
    ("Kinshi\u0440", "kinship"),  # Cyrillic small er
]


@pytest.mark.parametrize(("name", "existing"), LOOK_ALIKES)
def test_admin_refuses_a_theme_that_looks_like_an_existing_one(name, existing):
    form = ThemeAdminForm(data={"name": name, "slug": "lookalike", "description": ""})
    assert not form.is_valid()
    message = " ".join(form.errors["name"])
    assert "looks the same as the existing theme" in message
    assert f"“{Theme.objects.get(slug=existing).name}”" in message


@pytest.mark.parametrize(("name", "existing"), LOOK_ALIKES)
def test_tagging_refuses_a_new_look_alike_theme(name, existing):
    form = AddThemeForm(data={"name": name}, may_create=True)
    assert not form.is_valid()
    assert "looks the same as the existing theme" in form.error_text()
    assert Theme.objects.get(slug=existing).name in form.error_text()


def test_full_width_letters_are_normalised_to_the_existing_theme():
    assert normalize_theme_name("\uff33\uff41\uff46\uff45\uff54\uff59") == "Safety"
    form = AddThemeForm(data={"name": "\uff33\uff41\uff46\uff45\uff54\uff59"}, may_create=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Safety"


@pytest.mark.parametrize("name", ["Safety planning", "Seguridad", "Безопасность"])
def test_honest_new_names_in_any_script_are_accepted(name):
    form = ThemeAdminForm(data={"name": name, "slug": "new-theme", "description": ""})
    assert form.is_valid(), form.errors
