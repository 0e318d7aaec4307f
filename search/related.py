"""Meaning in search: the page's word matches ordered by closeness in meaning too, and the
statements the words miss but that are close in meaning ("Related by meaning").

The model runs wherever meaning.conf says (a helper process in production); when it is off,
absent or slow, meaning.client.closeness() returns None and search is words alone.
"""

from dataclasses import replace

from django.utils.html import escape

from meaning import client
from principles.selectors import statements_for_display

from .backends import MOST, filtered, in_order

# How many nearest statements to ask for, how close one must be to be listed, and how many
# are listed under "Related by meaning" (first page only).
NEIGHBOURS = 50
MIN_SIMILARITY = 0.35
RELATED = 5
# A word match's place on the page is worth as much as its closeness in meaning.
PLACE_WEIGHT = 0.5


def closeness(criteria, page_ids):
    return client.closeness(criteria.query.text, NEIGHBOURS, page_ids)


def reordered(ids, scores):
    """The page's ids (best word match first) ordered by place and meaning together: each
    keeps PLACE_WEIGHT of its place (1 for the first, falling evenly) and gains the rest from
    its cosine with the query. A statement without a vector yet counts the page's mean."""
    if len(ids) < 2 or not scores:
        return list(ids)
    known = [scores[pk] for pk in ids if pk in scores]
    mean = sum(known) / len(known)

    def combined(item):
        place, pk = item
        return PLACE_WEIGHT * (1 - place / len(ids)) + (1 - PLACE_WEIGHT) * scores.get(pk, mean)

    ranked = sorted(enumerate(ids), key=lambda item: (-combined(item), item[0]))
    return [pk for _, pk in ranked]


def related_statements(backend, criteria, found, shown):
    """Up to RELATED readable statements passing the filters, close in meaning, that the
    query's words do not match; closest first. At most three queries (which of the
    candidates the words match; the statements; their themes)."""
    candidates = [
        pk for pk, score in found.neighbours if score >= MIN_SIMILARITY and pk not in shown
    ]
    if not candidates:
        return []
    matched = backend.word_matches_among(replace(criteria, match=MOST), candidates)
    candidates = [pk for pk in candidates if pk not in matched]
    if not candidates:
        return []
    statements = filtered(criteria, criteria.statements().filter(pk__in=candidates))
    related = in_order(statements_for_display(statements), candidates)[:RELATED]
    for statement in related:
        statement.text_html = escape(statement.text)
        statement.title_html = escape(statement.title)
        statement.closeness = dict(found.neighbours)[statement.pk]
    return related
