"""/compare/ and "Similar elsewhere": what a reader sees, bad addresses, constant queries."""

import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from principles.models import Document, Theme
from tests.conftest import make_organizations

from .conftest import statement

pytestmark = pytest.mark.django_db

SEEDS = ["california-alliance", "vermont-fsd", "virginia", "california-child-support", "maine-cfs"]
COMPARE_QUERIES = 5  # organizations, themes, statements, their themes, the crosswalk


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
    assert html.count('class="compare-cell"') == 2 * html.count('class="compare-row"')
    cells = re.findall(r'<p class="compare-cell__org">([^<]+)</p>', html)
    assert cells[:2] == ["Virginia", "Maine CFS"]  # the order of the address
    assert set(cells) == {"Virginia", "Maine CFS"}
    # statements link to their permalinks; the checkboxes remember the choice
    assert statement("virginia", "Safety comes first").get_absolute_url() in html
    assert re.search(r'<input type="checkbox" name="org" value="virginia"[^>]* checked', html)
    assert "None of them has a published mission, vision or value statement." in html


def test_rows_run_mission_vision_values_then_themes_then_untagged(client):
    theme = Theme.objects.create(name="Crosswalk kinship", slug="crosswalk-kinship")
    statement("virginia", "When children cannot live safely").tags.add(theme)
    statement("maine-cfs", "When children cannot live safely").tags.add(theme)
    html = client.get(url(org=["california-alliance", "virginia", "maine-cfs"])).content.decode()
    titles = re.findall(r'<h3 class="compare-row__title" id="row-([^"]+)"', html)
    # the Alliance states a mission and a vision; none of the three states values
    assert titles[:2] == ["kind-mission", "kind-vision"]
    assert "kind-value" not in titles
    assert "theme-crosswalk-kinship" in titles
    assert titles[-1] == "untagged"
    row = html.split('id="row-theme-crosswalk-kinship"')[1].split('class="compare-row"')[0]
    assert row.count('statement__text">When children cannot live safely with their') == 2
    assert "Promoting the health, wellbeing and safety" in html  # the Alliance's mission


def test_a_theme_narrows_both_the_rows_and_the_crosswalk(client):
    theme = Theme.objects.create(name="Crosswalk kinship", slug="crosswalk-kinship")
    statement("virginia", "When children cannot live safely").tags.add(theme)
    html = client.get(
        url(org=["virginia", "maine-cfs"], theme="crosswalk-kinship")
    ).content.decode()
    titles = re.findall(r'id="row-([^"]+)"', html)
    assert titles == ["theme-crosswalk-kinship"]
    crosswalk = html.split('id="crosswalk"')[1]
    assert crosswalk.count('class="pair"') == 1  # only the pair with a tagged statement
    assert "Permanency planning" not in crosswalk


def test_a_kind_narrows_the_rows(client):
    html = client.get(
        url(org=["california-alliance", "vermont-fsd"], kind="mission")
    ).content.decode()
    assert re.findall(r'id="row-([^"]+)"', html) == ["kind-mission"]
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
    with django_assert_num_queries(2):  # the empty form: organizations and themes
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
