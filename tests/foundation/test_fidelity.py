"""The fixtures hold the five sources verbatim: every sentence, in order, and nothing else."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from organizations.models import Organization
from principles.models import Document, Section, Statement

SOURCES = Path(settings.FIXTURE_DIRS[0]) / "sources"
SLUGS = ["california-alliance", "vermont-fsd", "virginia", "california-child-support", "maine-cfs"]

# The blog post that reposted the Virginia model: none of it is the document.
VIRGINIA_WRAPPER = [
    "Children need love, care, and safety; they need families",
    "The Greatest terror a child can have is that he is not loved",
    "John Steinbeck, East of Eden",
    "Sunday, January 17, 2010",
    "Best Practice Principles - Virginia",
    "I love this... it is a great model for how children and families should be treated",
    "Read more.... Virginia Practice Model",
    "No comments:",
    "Post a Comment",
]

# Source lines stored as document fields rather than as content (checked field by field below).
FIELD_LINES = {
    "vermont-fsd": 5,  # the policy-manual header: manual, chapter, subject, approval, supersedes
    "virginia": ["Virginia Practice Principles"],
    "maine-cfs": ["CHILD AND FAMILY SERVICES PRACTICE MODEL*"],
}

STRUCTURE_PREFIX = re.compile(
    r"^(?:- |\*|\d+\. |Mission Statement: |Vision Statement: |Priority \w+: )"
)
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalize(text):
    return re.sub(r"\s+", " ", text).strip()


def source_content_lines(slug):
    lines = [line.strip() for line in (SOURCES / f"{slug}.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
    if slug == "virginia":
        lines = [line for line in lines if not any(w in line for w in VIRGINIA_WRAPPER)]
    skip = FIELD_LINES.get(slug, [])
    if isinstance(skip, int):
        return lines[skip:]
    return [line for line in lines if line not in skip]


def stored_content(slug):
    """Every stored piece of the organization's content, in reading order."""
    pieces = []
    documents = Document.objects.filter(organization__slug=slug).order_by("position")
    for document in documents:
        current_section = None
        for statement in document.statements.select_related("section").order_by("position"):
            if statement.section_id and statement.section_id != current_section:
                pieces.append(statement.section.heading)
                if statement.section.intro:
                    pieces.append(statement.section.intro)
            current_section = statement.section_id
            pieces.extend(
                part for part in (statement.label, statement.title, statement.text) if part
            )
        if document.attribution:
            pieces.append(document.attribution)
    return pieces


pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_every_word_of_the_source_is_stored_in_order_and_nothing_else(slug):
    source_words = WORD.findall(" ".join(source_content_lines(slug)))
    stored_words = WORD.findall(" ".join(stored_content(slug)))
    assert stored_words == source_words


@pytest.mark.parametrize("slug", SLUGS)
def test_every_sentence_is_stored_verbatim_in_source_order(slug):
    stream = " ¦ ".join(normalize(piece) for piece in stored_content(slug))
    position = 0
    for line in source_content_lines(slug):
        content = STRUCTURE_PREFIX.sub("", line).rstrip(":*")
        for sentence in SENTENCE_END.split(normalize(content)):
            found = stream.find(sentence, position)
            assert found >= 0, f"not stored (or out of order): {sentence!r}"
            position = found + len(sentence)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_section_heading_is_used(slug):
    sections = Section.objects.filter(document__organization__slug=slug)
    assert sections.exists()
    assert not sections.filter(statements__isnull=True).exists()


def test_no_line_of_the_blog_wrapper_is_stored():
    texts = [normalize(t) for t in Statement.objects.values_list("text", flat=True)]
    texts += list(Section.objects.values_list("heading", flat=True))
    texts += list(Document.objects.values_list("title", flat=True))
    for wrapper in VIRGINIA_WRAPPER:
        assert not [t for t in texts if wrapper in t], wrapper


def section_counts(slug, kind):
    return [
        section.statements.filter(kind=kind).count()
        for section in Section.objects.filter(document__organization__slug=slug).order_by(
            "position"
        )
    ]


def test_virginia_shape():
    assert section_counts("virginia", "guiding_principle") == [5, 5, 8, 4, 3, 6]
    intro = Statement.objects.get(document__organization__slug="virginia", position=1)
    assert intro.kind == "narrative" and intro.section is None
    assert intro.text.startswith("The Virginia Children's Services System Practice Model")
    first = Statement.objects.get(document__organization__slug="virginia", position=2)
    assert (first.label, first.section.heading) == (
        "1.",
        "We believe that all children and communities deserve to be safe.",
    )
    document = Document.objects.get(organization__slug="virginia")
    assert document.reposted_on == datetime.date(2010, 1, 17)


def test_maine_shape():
    assert section_counts("maine-cfs", "guiding_principle") == [7, 4, 5, 4, 5]
    document = Document.objects.get(organization__slug="maine-cfs")
    assert document.attribution.startswith(
        "From Materials developed by Child Welfare Training Institute"
    )
    assert document.attribution.endswith("Children's Bureau.")
    assert not Statement.objects.filter(text__contains="From Materials developed").exists()


def test_vermont_policy_metadata_are_fields():
    document = Document.objects.get(organization__slug="vermont-fsd")
    assert document.policy_number == "11"
    assert document.chapter == "Mission & Outcomes"
    assert document.title == "Mission, Values, & Guiding Principles"
    assert document.approved_by == "Cynthia K. Walcott, Deputy Commissioner"
    assert document.effective_date == datetime.date(2012, 12, 20)
    assert document.supersedes_note == "Family Services Policy No. 11"
    assert document.supersedes_date == datetime.date(1999, 9, 3)
    kinds = list(document.statements.order_by("position").values_list("kind", flat=True))
    assert kinds.count("guiding_principle") == 9 and kinds.count("mission") == 1


def test_california_child_support_values_and_priorities():
    statements = Statement.objects.filter(document__organization__slug="california-child-support")
    assert statements.filter(kind="value").count() == 7
    priorities = statements.filter(kind="priority").order_by("position")
    assert [p.label for p in priorities] == [
        f"Priority {n}" for n in ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"]
    ]
    assert all(p.title and p.text for p in priorities)
    assert priorities[1].title == "Disaggregate Data"


def test_california_alliance_principles_ethics_and_membership():
    statements = Statement.objects.filter(document__organization__slug="california-alliance")
    assert statements.filter(kind="guiding_principle").count() == 6
    standards = statements.filter(kind="ethical_standard").order_by("position")
    assert [s.label for s in standards] == [f"{n}." for n in range(1, 12)]
    assert standards.last().text.endswith("sexual orientation or disability.")
    ethics = Section.objects.get(
        document__organization__slug="california-alliance", heading="Code of Ethics"
    )
    assert ethics.statements.filter(kind="narrative").count() == 3  # 2 intro + lead-in
    assert ethics.statements.filter(text__endswith="must:").count() == 1
    membership = statements.get(section__heading="Requirement of Membership")
    assert membership.text.startswith("Adherence to this code of ethics")


def test_the_five_organizations_carry_the_product_slugs():
    assert sorted(Organization.objects.values_list("slug", flat=True)) == sorted(SLUGS)
