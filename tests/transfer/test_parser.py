"""The text parser on small inputs: each rule it documents, and what it refuses."""

import datetime

import pytest

from transfer.parser import ImportTextError, decode_upload, parse


def rows(text, **options):
    return [
        (row.type, row.kind, row.label, row.title, row.text) for row in parse(text, **options).rows
    ]


def test_bullets_of_every_mark_and_numbers_of_both_styles():
    text = "Guiding Principles:\n- One.\n• Two.\n* Three.\n1. Four.\n2) Five.\n"
    assert rows(text) == [
        ("section", "", "", "", "Guiding Principles"),
        ("statement", "guiding_principle", "", "", "One."),
        ("statement", "guiding_principle", "", "", "Two."),
        ("statement", "guiding_principle", "", "", "Three."),
        ("statement", "guiding_principle", "1.", "", "Four."),
        ("statement", "guiding_principle", "2)", "", "Five."),
    ]


def test_we_believe_lines_head_sections_of_principles():
    text = "We believe families matter.\n\n1. Keep them together.\n"
    assert rows(text)[0] == ("section", "", "", "", "We believe families matter.")
    assert rows(text)[1][1:3] == ("guiding_principle", "1.")


def test_mission_vision_values_headers_and_label_lines():
    text = (
        "Mission\nWe protect children.\nVision Statement: Every child thrives.\nValues\n- Respect\n"
    )
    assert rows(text) == [
        ("section", "", "", "", "Mission"),
        ("statement", "mission", "", "", "We protect children."),
        ("statement", "vision", "Vision Statement", "", "Every child thrives."),
        ("section", "", "", "", "Values"),
        ("statement", "value", "", "", "Respect"),
    ]


def test_priority_labels_take_the_next_line_as_text():
    text = "STRATEGY\nPriority Two: Better Data\n- Measure what matters.\n"
    assert rows(text)[1] == (
        "statement",
        "priority",
        "Priority Two",
        "Better Data",
        "Measure what matters.",
    )


def test_wrapped_lines_are_joined_and_lists_followed_by_a_paragraph_close_with_a_commitment():
    text = "Values:\n- Families are the\nexperts on themselves.\nWe shall honour that.\n"
    assert rows(text)[1][-1] == "Families are the experts on themselves."
    assert rows(text)[2][1] == "commitment"


def test_tab_separated_policy_metadata_and_dates():
    text = (
        "MANUAL OF POLICY\t\t7\n"
        "Subject:\tOur Principles\tPage 1 of 2\n"
        "Approved:\tA. Director\tEffective: 1/2/2020\n"
        "Supersedes:\tPolicy 7\tDated: 3/4/98\n"
        "- A principle.\n"
    )
    parsed = parse(text)
    assert parsed.title == "Our Principles"
    assert parsed.metadata == {
        "source_citation": "MANUAL OF POLICY",
        "policy_number": "7",
        "approved_by": "A. Director",
        "effective_date": datetime.date(2020, 1, 2),
        "supersedes_note": "Policy 7",
        "supersedes_date": datetime.date(1998, 3, 4),
    }


def test_an_unreadable_date_is_a_warning_not_a_failure():
    parsed = parse("Effective: soon\n- A principle.\n")
    assert parsed.warnings == ["Line 1: “soon” is not a date I can read."]
    assert "effective_date" not in parsed.metadata


def test_start_and_stop_lines_leave_out_what_surrounds_the_document():
    text = "My blog\nMonday, March 1, 2021\nOUR VALUES\n- Respect\nComments (2)\nNice post!\n"
    parsed = parse(text, start_at="our values", stop_at="Comments")
    assert [row.text for row in parsed.rows] == ["OUR VALUES", "Respect"]
    assert [number for number, _ in parsed.skipped] == [1, 2, 5, 6]
    assert parsed.metadata["reposted_on"] == datetime.date(2021, 3, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "There is no text to import."),
        ("OUR VALUES\n", "No statements were found"),
        ("- ok\x07\n", "control characters"),
        ("- " + "a" * (1024 * 1024), "over 1 MB"),
    ],
)
def test_texts_without_statements_or_with_binary_or_too_much_are_refused(text, message):
    with pytest.raises(ImportTextError, match=message):
        parse(text)


def test_a_byte_order_mark_is_dropped_and_latin1_refused():
    assert decode_upload("\ufeff- A.\n".encode()) == "- A.\n"
    with pytest.raises(ImportTextError, match="not UTF-8"):
        decode_upload("- Sécurité\n".encode("latin-1"))
