"""Whatever is typed becomes plain terms: no character reaches a query grammar unescaped."""

import re

import pytest

from search.highlight import marked_html
from search.query import MAX_QUERY_LENGTH, MAX_TERMS, parse

SAFE_FTS5 = re.compile(r'^("[^\W_]+( [^\W_]+)*"( AND "[^\W_]+( [^\W_]+)*")*( NOT "[^\W_]+")*)?$')


def test_words_phrases_and_excluded_words():
    parsed = parse('Kinship  "family ENGAGEMENT" -adoption care')
    assert parsed.words == ("kinship", "care")
    assert parsed.phrases == (("family", "engagement"),)
    assert parsed.excluded == ("adoption",)
    assert parsed.websearch() == 'kinship care "family engagement" -adoption'
    assert parsed.fts5() == '"kinship" AND "care" AND "family engagement" NOT "adoption"'


@pytest.mark.parametrize(
    "raw",
    [
        'NEAR("a" b) OR c* AND ^d:e',
        "'; DROP TABLE x; --",
        '"unbalanced (( ))) \\ "',
        "a\x00b\x01c\u200bd",
        "!&|<->:*",
        'title:"x" -"y z"',
    ],
)
def test_hostile_text_becomes_plain_terms(raw):
    parsed = parse(raw)
    assert SAFE_FTS5.match(parsed.fts5()), parsed.fts5()
    assert re.fullmatch(r'[\w "\-]*', parsed.websearch())
    assert "\x00" not in parsed.text


def test_stop_words_are_dropped_so_backends_agree():
    assert parse("the kinship OR care").words == ("kinship", "care")
    assert parse("the and of").is_empty
    assert parse('"care of children"').phrases == (("care", "of", "children"),)


def test_long_queries_are_cut_and_flagged():
    parsed = parse("  kinship " + "x" * 500)
    assert parsed.truncated and len(parsed.text) == MAX_QUERY_LENGTH
    assert not parse("kinship care").truncated


def test_too_many_terms_are_dropped_and_flagged():
    parsed = parse(" ".join(f"word{n}" for n in range(40)))
    assert len(parsed.words) == MAX_TERMS and parsed.terms_dropped


def test_excluded_words_alone_are_an_empty_query():
    assert parse("-adoption").is_empty
    assert parse("").is_empty and parse("   ").is_empty


def test_highlighting_escapes_everything_but_the_marks():
    html = marked_html('<b>x</b> \ue000Kin"ship\ue001 & \ue001stray \ue000open')
    assert html == "&lt;b&gt;x&lt;/b&gt; <mark>Kin&quot;ship</mark> &amp; stray <mark>open</mark>"


def test_highlighting_keeps_source_emphasis():
    assert (
        marked_html("**\ue000Safety\ue001** first") == "<strong><mark>Safety</mark></strong> first"
    )
    assert marked_html("<u>Practice \ue000Model\ue001</u>") == (
        "<em>Practice <mark>Model</mark></em>"
    )
