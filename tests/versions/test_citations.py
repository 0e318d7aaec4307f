"""Citations people can paste: for one statement of each of the five organizations, the
exact APA 7 and Chicago author-date strings, written by hand from the styles' rules (see
principles.citations), and valid RIS and CSL-JSON."""

import datetime
import json

import pytest

from principles.models import Statement

pytestmark = pytest.mark.django_db

LINK = "https://kb.example/statements/1/"
RETRIEVED = datetime.date(2026, 11, 29)

# (organization, how to find the statement): APA 7, Chicago author-date
EXPECTED = {
    ("california-alliance", ("position", 5)): (
        "California Alliance of Child and Family Services. (n.d.). Mission, vision, guiding "
        "principles and code of ethics [Statement 5 of 23]. Retrieved November 29, 2026, from "
        "https://kb.example/statements/1/",
        "California Alliance of Child and Family Services. n.d. Mission, Vision, Guiding "
        "Principles and Code of Ethics. Statement 5 of 23. Accessed November 29, 2026. "
        "https://kb.example/statements/1/.",
    ),
    ("california-child-support", ("label", "Priority Two")): (
        "California Department of Child Support Services. (n.d.). Mission, vision, values and "
        "organizational development and equity roadmap [ORGANIZATIONAL DEVELOPMENT AND EQUITY "
        "ROADMAP, Priority Two: Disaggregate Data]. Retrieved November 29, 2026, from "
        "https://kb.example/statements/1/",
        "California Department of Child Support Services. n.d. Mission, Vision, Values and "
        "Organizational Development and Equity Roadmap. ORGANIZATIONAL DEVELOPMENT AND EQUITY "
        "ROADMAP, Priority Two: Disaggregate Data. Accessed November 29, 2026. "
        "https://kb.example/statements/1/.",
    ),
    ("maine-cfs", ("position", 7)): (
        "Maine Child and Family Services. (n.d.). Child and family services practice model "
        "[Statement 7 of 26]. Retrieved November 29, 2026, from https://kb.example/statements/1/",
        "Maine Child and Family Services. n.d. Child and Family Services Practice Model. "
        "Statement 7 of 26. Accessed November 29, 2026. https://kb.example/statements/1/.",
    ),
    ("vermont-fsd", ("position", 4)): (
        "Vermont Department for Children and Families, Family Services Division. (2012, "
        "December 20). Mission, values, & guiding principles (Policy No. 11) [Statement 4 of "
        "14]. Retrieved November 29, 2026, from https://kb.example/statements/1/",
        "Vermont Department for Children and Families, Family Services Division. 2012. "
        "Mission, Values, & Guiding Principles. Policy 11. Statement 4 of 14. Accessed "
        "November 29, 2026. https://kb.example/statements/1/.",
    ),
    ("virginia", ("position", 2)): (
        "Virginia Children's Services System. (n.d.). Virginia practice principles [We believe "
        "that all children and communities deserve to be safe, Guiding principle 1]. Retrieved "
        "November 29, 2026, from https://kb.example/statements/1/",
        "Virginia Children's Services System. n.d. Virginia Practice Principles. We believe "
        "that all children and communities deserve to be safe, Guiding principle 1. Accessed "
        "November 29, 2026. https://kb.example/statements/1/.",
    ),
}


def statement_of(slug, lookup):
    return Statement.objects.select_related("document__organization", "section").get(
        document__organization__slug=slug, **dict([lookup])
    )


def citation_of(statement):
    from principles import citations

    siblings = statement.document.statements
    return citations.cite(
        statement,
        permalink=LINK,
        retrieved=RETRIEVED,
        ordinal=siblings.filter(position__lt=statement.position).count() + 1,
        total=siblings.count(),
    )


@pytest.mark.parametrize(("key", "expected"), EXPECTED.items(), ids=[k[0] for k in EXPECTED])
def test_apa_and_chicago_strings_for_each_organization(key, expected):
    citation = citation_of(statement_of(*key))
    assert (citation.apa, citation.chicago) == expected


def test_a_source_address_is_cited_when_the_document_has_one():
    statement = statement_of("maine-cfs", ("position", 7))
    statement.document.source_url = "https://www.maine.gov/dhhs/ocfs/practice-model.pdf"
    citation = citation_of(statement)
    assert "[Statement 7 of 26]. https://www.maine.gov/dhhs/ocfs/practice-model.pdf. Retrieved" in (
        citation.apa
    )
    assert "Statement 7 of 26. https://www.maine.gov/dhhs/ocfs/practice-model.pdf. Accessed" in (
        citation.chicago
    )
    assert citation.as_of.startswith("“When children are placed in foster care, we ensure")
    assert citation.as_of.endswith("statement 7 of 26. As of November 29, 2026: " + LINK)


def test_statement_page_offers_every_style_meta_tags_and_downloads(client):
    statement = statement_of("vermont-fsd", ("position", 4))
    html = client.get(statement.get_absolute_url()).content.decode()
    permalink = f"http://testserver{statement.get_absolute_url()}"
    assert '<meta name="citation_author" content="Vermont Department for Children and' in html
    assert '<meta name="citation_publication_date" content="2012/12/20">' in html
    assert '<meta name="citation_technical_report_number" content="11">' in html
    assert f'<meta name="citation_public_url" content="{permalink}">' in html
    assert "(Policy No. 11) [Statement 4 of 14]. Retrieved " in html
    assert "Policy 11. Statement 4 of 14. Accessed " in html
    assert "As of " in html

    ris = client.get(f"{statement.get_absolute_url()}cite.ris")
    assert ris["Content-Type"].startswith("application/x-research-info-systems")
    lines = ris.content.decode().split("\r\n")
    assert lines[0] == "TY  - ELEC" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(line[:2].isalnum() and line[2:6] == "  - " for line in lines[:-1])
    assert "PY  - 2012" in lines and "SE  - statement 4 of 14" in lines
    assert f"UR  - {permalink}" in lines

    csl = client.get(f"{statement.get_absolute_url()}cite.json")
    items = json.loads(csl.content)
    assert csl["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = items
    assert item["type"] == "document" and item["title"] == "Mission, Values, & Guiding Principles"
    assert item["author"] == [
        {"literal": "Vermont Department for Children and Families, Family Services Division"}
    ]
    assert item["issued"] == {"date-parts": [[2012, 12, 20]]}
    assert item["number"] == "11" and item["URL"] == permalink
    assert len(item["accessed"]["date-parts"][0]) == 3
