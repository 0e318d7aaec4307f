"""The core's templates follow its imports (pyproject.toml, [tool.importlinter]): they show a
feature's part of a page through a template tag the feature registers, never by including
the feature's partials."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

CORE_TEMPLATES = ["organizations", "principles"]
FEATURES = [
    "accounts", "api", "compare", "meaning", "operations", "performance", "search", "sheets",
    "transfer",
]  # fmt: skip
FEATURE_INCLUDE = re.compile(r"\{%\s*include\s+[\"'](" + "|".join(FEATURES) + ")/")
FEATURE_URL = re.compile(r"\{%\s*url\s+[\"'](" + "|".join(FEATURES) + "):")


def core_templates():
    root = Path(__file__).resolve().parents[2] / "templates"
    return sorted(path for folder in CORE_TEMPLATES for path in (root / folder).rglob("*.html"))


def test_there_are_core_templates_to_check():
    names = {path.name for path in core_templates()}
    assert {"statement_detail.html", "_statement.html", "organization_detail.html"} <= names


@pytest.mark.parametrize("path", core_templates(), ids=lambda path: path.name)
def test_a_core_template_includes_no_feature_partial(path):
    assert FEATURE_INCLUDE.findall(path.read_text()) == []


@pytest.mark.parametrize("path", core_templates(), ids=lambda path: path.name)
def test_a_core_template_names_no_feature_url(path):
    assert FEATURE_URL.findall(path.read_text()) == []


def test_the_pattern_catches_a_feature_include():
    assert FEATURE_INCLUDE.search('{% include "sheets/includes/_add_to_sheet.html" %}')
    assert not FEATURE_INCLUDE.search('{% include "principles/includes/_statement.html" %}')
    assert FEATURE_URL.search("{% url 'sheets:add' %}")
    assert not FEATURE_URL.search("{% url 'principles:statement' s.pk %}")


def test_the_features_tags_render_their_partials():
    get_template("principles/statement_detail.html")  # loads compare_tags and sheets_tags
    get_template("organizations/organization_detail.html")
