"""/compare/ and "Similar elsewhere": what a reader sees, bad addresses, constant queries."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Document, Statement, Theme
from tests.conftest import make_organizations

from .conftest import statement

pytestmark = pytest.mark.django_db

SEEDS = ["california-alliance", "vermont-fsd", "virginia", "california-child-support", "maine-cfs"]
# the organizations asked for, themes, every organization (the form), statements, their
# themes, the crosswalk, its links
COMPARE_QUERIES = 7


def url(**params):
    return reverse("compare:compare") + "?" + urlencode(params, doseq=True)


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_no_parameters_shows_the_empty_form_and_what_the_page_does(client):
    response = client.get(reverse("compare:compare"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose two to five organizations" in html
    assert 'name="org"' in html and 'type="checkbox"' in html
    assert "form-errors" not in html
    assert (
        f'href="{reverse("compare:compare")}" aria-current="page">Compare</a>' in html
    )  # the header nav


def test_virginia_and_maine_side_by_side_with_every_cell_naming_its_organization(client):
    response = client.get(url(org=["virginia", "maine-cfs"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Compare Virginia and Maine CFS</h1>" in html
    # every line of every row has one cell per organization, in the order of the address
    slots = len(re.findall(r'class="compare-cell[ "]', html))
    assert slots == 2 * html.count('<div class="compare-line')
    heads = re.findall(r'<p class="compare-head__org">([^<]+)</p>', html)
    assert heads == ["Virginia", "Maine CFS"]
    cells = re.findall(r'<span class="compare-cell__org">([^<]+)</span>', html)
    assert set(cells) == {"Virginia", "Maine CFS"}
    # statements link to their permalinks; the checkboxes remember the choice
    assert statement("virginia", "Safety comes first").get_absolute_url() in html
    assert re.search(r'<input type="checkbox" name="org" value="virginia"[^>]* checked', html)
    assert "None of them has a published mission, vision or value statement." in html


def row_keys(html):
    return re.findall(r'class="compare-row__theme" id="row-([^"]+)"', html)


def test_rows_run_mission_vision_values_then_themes_then_untagged(client):
    theme = Theme.objects.create(
        name="Crosswalk kinship", slug="crosswalk-kinship", status="approved"
    )
    statement("virginia", "When children cannot live safely").tags.add(theme)
    statement("maine-cfs", "When children cannot live safely").tags.add(theme)
    html = client.get(url(org=["california-alliance", "virginia", "maine-cfs"])).content.decode()
    titles = row_keys(html)
    # the Alliance states a mission and a vision; none of the three states values
    assert titles[:2] == ["kind-mission", "kind-vision"]
    assert "kind-value" not in titles
    assert "theme-crosswalk-kinship" in titles
    assert titles[-1] == "untagged"
    row = html.split('id="row-theme-crosswalk-kinship"')[1].split('class="compare-row"')[0]
    assert row.count('statement__text">When children cannot live safely with their') == 2
    assert "Promoting the health, wellbeing and safety" in html  # the Alliance's mission


def test_each_statement_appears_once_and_matched_statements_share_a_line(client):
    html = client.get(url(org=SEEDS)).content.decode()
    side = html.split('id="side-by-side"')[1].split('id="crosswalk"')[0]
    ids = re.findall(r'<article class="compare-cell statement" id="statement-(\d+)"', side)
    published = Statement.objects.published().filter(document__organization__slug__in=SEEDS)
    assert sorted(map(int, ids)) == sorted(published.values_list("pk", flat=True))
    # a statement with several themes names its others beside it, linking to their rows
    assert 'class="compare-also">Also: <a href="#row-theme-' in side
    # Virginia's and Maine's identical principle sit on one matched line, side by side
    va = statement("virginia", "When children cannot live safely")
    me = statement("maine-cfs", "When children cannot live safely")
    lines = side.split('<div class="compare-line')
    line = next(line for line in lines if f'id="statement-{va.pk}"' in line)
    assert line.startswith(' compare-line--matched"')
    assert f'id="statement-{me.pk}"' in line
    assert re.search(r"Matched: nearly the same, \d+%", line)


def test_overview_counts_each_theme_per_organization_and_links_to_it(client):
    theme = Theme.objects.create(
        name="Crosswalk kinship", slug="crosswalk-kinship", status="approved"
    )
    statement("virginia", "When children cannot live safely").tags.add(theme)
    statement("maine-cfs", "When children cannot live safely").tags.add(theme)
    html = client.get(url(org=["virginia", "maine-cfs"])).content.decode()
    overview = html.split('id="overview"')[1].split('id="side-by-side"')[0]
    assert (
        html.index('id="overview"') < html.index('id="side-by-side"') < html.index('id="crosswalk"')
    )
    row = overview.split('href="#row-theme-crosswalk-kinship">Crosswalk kinship</a>')[1]
    row = row.split("</tr>")[0]
    link = '<a href="?org=virginia&amp;org=maine-cfs&amp;theme=crosswalk-kinship">1</a>'
    assert row.count(link) == 2
    assert '<td class="num">1</td>' in row  # one matched line
    # the rows are closed until opened (the page stays short); narrowed to a theme, open
    assert '<details class="compare-row">' in html and 'compare-row" open' not in html
    narrowed = client.get(url(org=["virginia", "maine-cfs"], theme="crosswalk-kinship"))
    assert '<details class="compare-row" open>' in narrowed.content.decode()


def test_a_theme_narrows_both_the_rows_and_the_crosswalk(client):
    theme = Theme.objects.create(
        name="Crosswalk kinship", slug="crosswalk-kinship", status="approved"
    )
    statement("virginia", "When children cannot live safely").tags.add(theme)
    html = client.get(
        url(org=["virginia", "maine-cfs"], theme="crosswalk-kinship")
    ).content.decode()
    assert row_keys(html) == ["theme-crosswalk-kinship"]
    crosswalk = html.split('id="crosswalk"')[1]
    assert crosswalk.count('class="pair"') == 1  # only the pair with a tagged statement
    assert "Permanency planning" not in crosswalk


def test_a_kind_narrows_the_rows(client):
    html = client.get(
        url(org=["california-alliance", "vermont-fsd"], kind="mission")
    ).content.decode()
    assert row_keys(html) == ["kind-mission"]
    assert "Promoting the health, wellbeing and safety" in html
    assert "All children have the right to be safe." not in html


def test_only_published_statements_are_compared(client):
    Document.objects.filter(organization__slug="maine-cfs").update(status="draft")
    html = client.get(url(org=["virginia", "maine-cfs"])).content.decode()
    assert "Permanency planning for children begins at first contact" not in html
    assert "No pair of statements here scores" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"org": "virginia"}, "Choose at least 2 organizations to compare; 1 was chosen."),
        ({"kind": "mission"}, "Choose at least 2 organizations to compare."),
        ({"org": ["virginia", "nowhere"]}, "“nowhere” is not an organization in practicekb."),
        ({"org": ["virginia", "virginia"]}, "“virginia” is listed more than once."),
        ({"org": ["virginia", "maine-cfs", "virginia"]}, "“virginia” is listed more than once."),
        ({"org": [*SEEDS, "generated-agency-0"]}, "Choose at most 5 organizations; 6 were chosen."),
        ({"org": ["virginia", ""]}, "An empty organization was given."),
        ({"org": ["virginia", "x" * 5000]}, "is too long to be an organization."),
        ({"org": ["virginia", "maine-cfs"], "kind": "poem"}, "“poem” is not a statement kind"),
        ({"org": ["virginia", "maine-cfs"], "theme": "no-such"}, "“no-such” is not a theme in"),
        (
            {"org": ["virginia", "maine-cfs"], "colour": "red"},
            "does not use the parameter “colour”",
        ),
        (
            {"org": ["virginia", "<script>alert(1)</script>"]},
            "“&lt;script&gt;alert(1)&lt;/script&gt;”",
        ),
    ],
)
def test_bad_parameters_answer_400_with_the_form_saying_what_is_wrong(client, params, message):
    make_organizations(1)
    response = client.get(url(**params))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="form-errors" role="alert"' in html
    assert message in html
    assert "<script>alert" not in html
    assert 'name="org"' in html  # the form is there to correct the choice
    assert 'id="crosswalk"' not in html


def test_query_count_is_the_same_for_two_and_five_organizations(client, django_assert_num_queries):
    with django_assert_num_queries(COMPARE_QUERIES):
        client.get(url(org=["virginia", "maine-cfs"]))
    with django_assert_num_queries(COMPARE_QUERIES):
        client.get(url(org=SEEDS, kind=["guiding_principle", "value", "mission"]))
    with django_assert_num_queries(2):  # the empty form: organizations, themes
        client.get(reverse("compare:compare"))


def test_query_count_is_the_same_with_fifty_more_organizations(client, many_organizations):
    generated = [organization.slug for organization in many_organizations[:3]]
    assert count_queries(client, url(org=SEEDS)) == COMPARE_QUERIES
    assert count_queries(client, url(org=["virginia", *generated])) == COMPARE_QUERIES


def test_statement_page_lists_similar_statements_elsewhere_with_scores(client):
    va = statement("virginia", "Permanency planning for children begins")
    me = statement("maine-cfs", "Permanency planning for children begins")
    html = client.get(va.get_absolute_url()).content.decode()
    section = html.split('id="similar-heading"')[1]
    assert html.index('id="cite-heading"') < html.index('id="similar-heading"')
    assert me.get_absolute_url() in section
    assert re.search(r'<strong class="similar__percent">\d+%</strong>', section)
    assert f"#pair-{va.pk}-{me.pk}" in section
    assert "org=virginia&amp;org=maine-cfs" in section


def test_statement_page_without_similar_statements_says_so(client):
    lonely = statement("california-child-support", "Customer Service Excellence")
    html = client.get(lonely.get_absolute_url()).content.decode()
    assert "No statement in another organization is similar enough to list here." in html


def test_similar_elsewhere_leaves_out_unpublished_statements(client):
    va = statement("virginia", "Permanency planning for children begins")
    me = statement("maine-cfs", "Permanency planning for children begins")
    Document.objects.filter(organization__slug="maine-cfs").update(status="retired")
    html = client.get(va.get_absolute_url()).content.decode()
    assert me.get_absolute_url() not in html.split('id="similar-heading"')[1]


def test_statement_page_query_count_does_not_grow_with_matches_or_organizations(client):
    with_matches = statement("virginia", "Permanency planning for children begins")
    without = statement("california-child-support", "Customer Service Excellence")
    baseline = count_queries(client, with_matches.get_absolute_url())
    assert count_queries(client, without.get_absolute_url()) == baseline
    make_organizations(50)
    assert count_queries(client, with_matches.get_absolute_url()) == baseline


def test_organization_and_theme_pages_lead_into_compare(client):
    html = client.get("/organizations/virginia/").content.decode()
    form = html.split('<form class="compare-with" method="get" action="/compare/">')[1]
    form = form.split("</form>")[0]
    assert '<input type="hidden" name="org" value="virginia">' in form
    assert '<option value="maine-cfs">Maine Child and Family Services</option>' in form
    assert 'value="virginia"' not in form.split("<select")[1]
    theme = Theme.objects.create(
        name="Crosswalk kinship", slug="crosswalk-kinship", status="approved"
    )
    statement("virginia", "When children cannot live safely").tags.add(theme)
    statement("maine-cfs", "When children cannot live safely").tags.add(theme)
    html = client.get(theme.get_absolute_url()).content.decode()
    assert "Compare Maine CFS and Virginia on Crosswalk kinship" in html
    assert "org=maine-cfs&amp;org=virginia&amp;theme=crosswalk-kinship" in html


@pytest.mark.parametrize(
    ("params", "note"),
    [
        ({"theme": ["kinship"]}, "Narrowed to statements on Kinship."),
        ({"kind": ["value"]}, "Narrowed to value statements."),
        ({"kind": ["value"], "theme": ["kinship"]}, "Narrowed to value statements on Kinship."),
    ],
)
def test_the_overview_says_what_the_comparison_is_narrowed_to(client, params, note):
    response = client.get(url(org=["virginia", "maine-cfs"], **params))
    assert response.status_code == 200
    assert note in response.content.decode()


def test_a_value_that_does_not_print_is_named_back_as_a_replacement_character(client):
    response = client.get(url(org=["virginia", "maine-cfs"], theme=["\x00\x07"]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "“\ufffd\ufffd” is not a theme in practicekb." in html and "\x00" not in html
