"""The comparison handout: organizations in columns, crosswalk pairs on one row that no page
break splits, a one-page crosswalk summary up front, and at most 8 pages for two states."""

import io
import re

import pdfplumber
import pytest
from django.http import QueryDict

from compare.forms import compare_form
from sheets import content as sheet_content

pytestmark = pytest.mark.django_db

QUERY = "org=virginia&org=maine-cfs"
PAGE_WIDTH = {"letter": 612, "a4": 595}  # points


def handout(query):
    form = compare_form(QueryDict(query))
    assert form.is_valid()
    return sheet_content.comparison_content(form)


def pages_of(client, url):
    """Each page's words with their positions (pdfplumber), and its text."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        return [
            (page.extract_words(), re.sub(r"\s+", " ", page.extract_text() or ""))
            for page in pdf.pages
        ]


def where(pages, statement):
    """(page index, word) of the statement's "ref. <id>" line: one per printed statement."""
    found = []
    for index, (words, _) in enumerate(pages):
        for before in (word for word in words if word["text"] == "ref."):
            found.extend(
                (index, word)
                for word in words
                if word["text"] == str(statement.pk)
                and abs(word["top"] - before["top"]) < 2
                and 0 <= word["x0"] - before["x1"] < 8
            )
    assert len(found) == 1, f"statement {statement.pk} printed {len(found)} times"
    return found[0]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_two_states_print_in_columns_in_at_most_8_pages_with_no_pair_split(client, paper):
    content = handout(QUERY)
    pairs = [
        line.pair for section in content.columns.sections for line in section.rows if line.pair
    ]
    assert len(pairs) >= 5, "the seed data has aligned crosswalk pairs"
    pages = pages_of(client, f"/compare/sheet.pdf?{QUERY}&paper={paper}")
    assert len(pages) <= 8

    # every statement printed once; a pair's two statements on one page, side by side:
    # Virginia's in the left column, Maine's in the right, their rows overlapping
    for pair in pairs:
        (page_a, word_a), (page_b, word_b) = where(pages, pair.first), where(pages, pair.second)
        assert page_a == page_b, f"pair {pair.anchor} is split across pages"
        middle = PAGE_WIDTH[paper] / 2
        assert word_a["x0"] < middle < word_b["x0"], "the pair is not in two columns"
        first_words = " ".join(pair.first.text.split()[:6])
        assert first_words in pages[page_a][1]
    for _, statement in content.numbered():
        where(pages, statement)

    # the crosswalk summary is the first page, whole; the columns start on the next
    summary = pages[0][1]
    assert "Crosswalk:" in summary and f"{pairs[0].percent}%" in summary
    assert "Crosswalk:" not in pages[1][1]
    assert "Virginia Maine CFS" in pages[1][1]  # the column headings


def test_word_differences_are_printed_with_a_legend(client):
    pages = pages_of(client, f"/compare/sheet.pdf?{QUERY}")
    text = " ".join(page_text for _, page_text in pages)
    assert "struck through" in text and "underlined" in text
    assert "% alike" in text
    content = handout(QUERY)
    assert any(
        "<del>" in line.pair.diff for s in content.columns.sections for line in s.rows if line.pair
    )


def test_items_are_numbered_1_to_n_in_print_order(client):
    content = handout(QUERY)
    numbers = [number for number, _ in content.numbered()]
    assert numbers == list(range(1, len(numbers) + 1))
    html = client.get(f"/compare/sheet/?{QUERY}").content.decode()
    positions = [html.find(f'id="item-{n}"') for n in numbers]
    assert all(p > 0 for p in positions) and positions == sorted(positions)


def test_five_organizations_print_across_a_landscape_page(client):
    five = ["virginia", "maine-cfs", "vermont-fsd", "california-alliance"]
    five.append("california-child-support")
    query = "&".join(f"org={slug}" for slug in five)
    assert handout(query).columns.wide
    html = client.get(f"/compare/sheet/?{query}").content.decode()
    assert "sheet--wide" in html and html.count('<th scope="col">') >= 5


def test_the_summary_lists_what_one_page_holds_and_counts_the_rest():
    """Where meaning lifts many pairs to "Similar", the first page still holds the summary."""
    from sheets.content import SUMMARY_ROWS, SUMMARY_ROWS_WIDE, Columns

    pairs = [(f"pair {n}", n, n + 100) for n in range(40)]
    two = Columns(organizations=["a", "b"], sections=[], crosswalk=pairs)
    assert two.summary == pairs[:SUMMARY_ROWS] and two.not_summarised == 40 - SUMMARY_ROWS
    five = Columns(organizations=list("abcde"), sections=[], crosswalk=pairs[:5])
    assert five.summary == pairs[:5] and five.not_summarised == 0
    assert SUMMARY_ROWS_WIDE < SUMMARY_ROWS  # a landscape page is shorter
