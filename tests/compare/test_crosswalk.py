"""Virginia and Maine share many principles nearly word for word: the crosswalk finds them."""

import re

import pytest
from django.urls import reverse

from compare.models import SIMILAR_SCORE, StatementSimilarity
from compare.selectors import comparison
from compare.text import word_diff
from organizations.models import Organization

from .conftest import statement

pytestmark = pytest.mark.django_db

# (Virginia's text begins, Maine's text begins, lowest acceptable score)
KNOWN_PAIRS = [
    # "We believe that children do best when raised in families." 5.
    (
        "When children cannot live safely with their families, the first consideration",
        "When children cannot live safely with their families, the first consideration",
        0.75,
    ),
    # "We believe that all children and youth need and deserve a permanent family." 4.
    (
        "Permanency planning for children begins at the first contact",
        "Permanency planning for children begins at first contact",
        0.75,
    ),
    ("Permanency is best achieved through a legal relationship", "Permanency is best", 0.75),
    ("Lifelong family connections are crucial", "Life-long family connections are critical", 0.75),
    ("Planning for children is focused on the goal", "All planning for children focuses", 0.75),
    ("We recognize that family members are the experts", "We recognize that family members", 0.75),
    ("We separate caregivers who present a threat", "We separate dangerous caregivers", 0.75),
    ("Our organizations are focused on providing", "Our organization is focused on", 0.9),
    ("As we work with children, families, and their teams", "As we work with children", 0.9),
    ("Relationships and communication among staff", "Relationships and communication", 0.9),
    ("As with families, we look for strengths", "As with families, we look for", 0.9),
    ("People can and do make positive changes.", "We believe that people can change.", 0.5),
    ("We value family strengths, perspectives", "We value family perspectives", 0.5),
    ("In our response to safety and risk concerns", "In response to child safety concerns", 0.5),
]


def strip_hidden(html):
    return re.sub(r'<span class="visually-hidden">[^<]*</span>', "", str(html))


@pytest.mark.parametrize(("virginia_text", "maine_text", "least"), KNOWN_PAIRS)
def test_known_pair_is_stored_above_the_threshold_both_ways(virginia_text, maine_text, least):
    va = statement("virginia", virginia_text)
    me = statement("maine-cfs", maine_text)
    forward = StatementSimilarity.objects.get(statement=va, other=me)
    backward = StatementSimilarity.objects.get(statement=me, other=va)
    assert forward.score == backward.score >= least


def test_virginia_maine_crosswalk_has_at_least_fifteen_high_pairs_strongest_first():
    organizations = list(Organization.objects.filter(slug__in=["virginia", "maine-cfs"]))
    pairs = comparison(organizations).pairs
    strong = [pair for pair in pairs if pair.score >= SIMILAR_SCORE]
    assert len(strong) >= 15
    assert [pair.score for pair in pairs] == sorted((pair.score for pair in pairs), reverse=True)
    shown = {frozenset((pair.first.pk, pair.second.pk)) for pair in strong}
    for virginia_text, maine_text, _ in KNOWN_PAIRS:
        key = frozenset(
            (statement("virginia", virginia_text).pk, statement("maine-cfs", maine_text).pk)
        )
        assert key in shown, virginia_text
    # each pair once, and never two statements of one organization
    assert len(shown) == len(strong)
    assert all(p.first.document.organization_id != p.second.document.organization_id for p in pairs)


def test_diff_marks_what_maine_and_virginia_each_say_about_first_contact():
    me = statement("maine-cfs", "Permanency planning for children begins at first contact")
    va = statement("virginia", "Permanency planning for children begins at the first contact")
    html = strip_hidden(word_diff(me.text, va.text, "Maine CFS", "Virginia"))
    assert html.startswith(
        "Permanency planning for children begins at <ins>the</ins> first contact"
    )
    assert (
        "first contact with <del>Child and Family</del> <ins>the children\u2019s</ins> services"
        in html
    )
    assert "services <ins>system</ins>." in html
    assert (
        "<ins>We support families after permanency to ensure that family connections are "
        "stable.</ins>" in html
    )
    assert "sense of urgency until permanency is achieved." in html  # shared words unmarked


def test_diff_on_the_page_follows_the_order_the_organizations_were_chosen(client):
    html = strip_hidden(
        client.get(reverse("compare:compare") + "?org=maine-cfs&org=virginia").content.decode()
    )
    assert (
        "first contact with <del>Child and Family</del> <ins>the children\u2019s</ins> services"
        in html
    )
    html = strip_hidden(
        client.get(reverse("compare:compare") + "?org=virginia&org=maine-cfs").content.decode()
    )
    assert (
        "first contact with <del>the children\u2019s</del> <ins>Child and Family</ins> Services"
        in html
    )


def test_diff_escapes_hostile_text_and_still_marks_words():
    html = str(
        word_diff('<b onclick="x">a</b> & safe', '<script>alert("x")</script> & safe', "A", "B")
    )
    assert "<script" not in html and "<b " not in html
    assert "&lt;" in html and "script" in html and "&quot;" in html and "&amp; safe" in html
    assert "<del>" in html and "<ins>" in html
    assert str(word_diff("same words", "same words", "A", "B")) == "same words"


def test_organization_names_in_the_diff_are_escaped():
    html = str(word_diff("a b", "a c", "<i>A</i>", "B&B"))
    assert "&lt;i&gt;A&lt;/i&gt;" in html and "B&amp;B" in html
