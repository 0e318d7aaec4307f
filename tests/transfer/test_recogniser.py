"""The recogniser on small inputs: each shape of the genre it reads, in text and in blocks."""

import datetime

from transfer.converters import Block, Converted, markdown_blocks
from transfer.parser import parse, parse_converted


def rows(parsed):
    return [(r.type, r.kind, r.label, r.title, r.text) for r in parsed.rows]


def test_a_wrapped_line_starting_with_a_capital_joins_the_sentence_above():
    text = (
        "Values\n\n- Every family deserves services that respect their culture and\n"
        "Language, whatever their background.\n- Short one.\n"
    )
    assert [r.text for r in parse(text).statements] == [
        "Every family deserves services that respect their culture and Language, whatever "
        "their background.",
        "Short one.",
    ]


def test_value_and_principle_pairs_make_one_titled_principle():
    text = "Our Practice\n\nValue: Respect\nPrinciple: We listen first.\n"
    assert rows(parse(text))[-1] == (
        "statement",
        "guiding_principle",
        "",
        "Respect",
        "We listen first.",
    )


def test_a_numbered_principle_heading_over_bullets_is_a_section():
    text = "Guiding Principle 1: Safety comes first\n- Assess safety.\n- Plan with families.\n"
    parsed = parse(text)
    assert [r.text for r in parsed.sections] == ["Guiding Principle 1: Safety comes first"]
    assert [r.kind for r in parsed.statements] == ["guiding_principle"] * 2


def test_named_principles_take_their_name_as_title_in_sentence_case_and_with_dashes():
    text = "Principles\n- Family voice and choice: Families lead.\n- Persistence \u2013 We stay.\n"
    assert [(r.title, r.text) for r in parse(text).statements] == [
        ("Family voice and choice", "Families lead."),
        ("Persistence", "We stay."),
    ]


def test_footers_revision_notes_statutes_and_page_numbers_are_provenance_or_nothing():
    text = (
        "Family Engagement Policy\n(Revision 2/1/14)\n33 V.S.A. \u00a7 4903\n\nPolicy\n"
        "We engage families.\nPage 3 of 7\nPolicy No. 5.3 | Version 2.1\n"
    )
    parsed = parse(text)
    assert parsed.title == "Family Engagement Policy"
    assert parsed.metadata == {
        "effective_date": datetime.date(2014, 2, 1),
        "source_citation": "33 V.S.A. \u00a7 4903",
        "policy_number": "5.3",
    }
    assert [r.text for r in parsed.rows] == ["Policy", "We engage families."]
    assert parsed.kind == "policy"


def test_kinds_come_from_the_sentence_the_lead_in_and_the_document():
    text = (
        "Code of Ethics\n\nOur mission is to keep children safe.\n\n"
        "Each employee shall:\n1. Tell the truth.\n2. Keep confidences.\n"
    )
    parsed = parse(text)
    assert parsed.kind == "code_of_ethics"
    assert [r.kind for r in parsed.statements] == [
        "mission",
        "narrative",
        "ethical_standard",
        "ethical_standard",
    ]


def test_a_lead_in_gives_its_list_a_kind():
    text = "Who We Are\n\nTo fulfill our mission, we believe that:\n- Families matter.\n"
    assert [r.kind for r in parse(text).statements] == ["narrative", "guiding_principle"]


def test_bold_names_on_their_own_lines_title_the_paragraph_below():
    blocks = [
        Block("heading", "Values", level=1),
        Block("heading", "Our Values", level=2),
        Block("paragraph", "Safety", lead="Safety"),
        Block("paragraph", "Children come first."),
        Block("paragraph", "Family", lead="Family"),
        Block("paragraph", "Families are experts."),
    ]
    parsed = parse_converted(Converted("docx", blocks=blocks, title="Values"))
    assert [(r.kind, r.title, r.text) for r in parsed.statements] == [
        ("value", "Safety", "Children come first."),
        ("value", "Family", "Families are experts."),
    ]


def test_running_footers_carry_provenance_into_the_document():
    blocks = [Block("heading", "Policy", level=1), Block("paragraph", "We engage families.")]
    margins = ["County Manual", "Policy No. 5.3 | Effective 03/15/2023 Page 1 of 2"]
    parsed = parse_converted(Converted("pdf", blocks=blocks, margins=margins))
    assert parsed.metadata == {
        "policy_number": "5.3",
        "effective_date": datetime.date(2023, 3, 15),
    }


def test_markdown_headings_lists_and_bold_names():
    converted = markdown_blocks(
        "# Our Model\n\n## Values\n\n1. **Respect:** We listen.\n2. **Hope:** We believe\n"
        "   in change.\n\nA closing *note*.\n"
    )
    assert [(b.type, b.level, b.label, b.lead, b.text) for b in converted.blocks] == [
        ("heading", 1, "", "", "Our Model"),
        ("heading", 2, "", "", "Values"),
        ("item", 0, "1.", "Respect:", "Respect: We listen."),
        ("item", 0, "2.", "Hope:", "Hope: We believe in change."),
        ("paragraph", 0, "", "", "A closing note."),
    ]


def test_a_sentence_case_heading_that_names_its_content_heads_a_section():
    parsed = parse("Our guiding principles\n- Families first.\n- Listen.\n")
    assert [r.text for r in parsed.sections] == ["Our guiding principles"]
    assert [r.kind for r in parsed.statements] == ["guiding_principle"] * 2
