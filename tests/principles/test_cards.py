"""principles/cards.py: a statement as listings show it, built without the template engine."""

import pytest
from django.template.defaultfilters import truncatewords

from principles.cards import first_words, statement_card
from principles.models import Statement


@pytest.mark.parametrize(
    "text",
    ["", "one", "a b c d e f g h", "a b c d e f g h i", "  a\tb\nc d e f g h i j  ", "a b c …"],
)
def test_first_words_answers_as_truncatewords_does(text):
    assert first_words(text, 8) == truncatewords(text, 8)


@pytest.mark.django_db
def test_a_card_escapes_what_it_shows_and_renders_the_emphasis():
    statement = Statement.objects.filter(document__organization__slug="virginia").first()
    statement.label = "<b>3.</b>"
    statement.title = 'A "title" & more'
    statement.text = "Keep **families** <script>x</script> together."
    statement.prefetched_themes = []
    html = statement_card(statement)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>families</strong>" in html
    assert '<span class="statement__label">&lt;b&gt;3.&lt;/b&gt;</span>' in html
    assert "A &quot;title&quot; &amp; more" in html
    assert f'href="{statement.get_absolute_url()}"' in html
    assert 'class="chips"' not in html  # no themes, no list
