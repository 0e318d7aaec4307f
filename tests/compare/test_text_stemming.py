"""The crosswalk's terms use practicekb's one stemmer, the one search uses on SQLite."""

from compare.text import terms
from principles.words import stem


def test_crosswalk_terms_agree_with_the_search_stemmer():
    counted = terms("Reunifying families; the family's reunification and traumatic trauma.")
    assert counted[stem("families")] == 2  # families, family's
    assert stem("reunifying") in counted and stem("traumatic") in counted
    assert terms("children")[stem("child")] == 1
