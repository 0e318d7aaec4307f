"""What readers see of PracticeKB itself (issue 21): its name and mark, the footer's pages,
headings that name the agency, plain kind names, capitals shown in small capitals."""

import pytest
from django.core.cache import cache

from principles import freshness
from principles.models import Statement, Theme

pytestmark = pytest.mark.django_db


def test_every_page_names_practicekb_and_links_to_the_footer_pages(client):
    html = client.get("/organizations/").content.decode()
    assert "<title>Organizations · PracticeKB</title>" in html
    assert '<svg class="mark"' in html and 'rel="icon"' in html
    footer = html.split('<footer class="site-footer">')[1]
    for name, address in [
        ("About PracticeKB", "/about/"),
        ("Accessibility statement", "/accessibility/"),
        ("Sources and licence", "/sources/"),
    ]:
        assert f'<a href="{address}">{name}</a>' in footer
        page = client.get(address)
        assert page.status_code == 200
        assert "<h1>" in page.content.decode()


def test_sources_lists_every_document_in_force_with_its_source(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = client.get("/sources/").content.decode()
    assert "Virginia Children&#x27;s Services System" in html
    assert "reposted in the blog post" in html
    assert "Apache License" in html


def test_the_footer_says_when_content_last_changed_without_a_query(
    client, django_capture_on_commit_callbacks
):
    cache.delete(freshness.CACHE_KEY)
    assert "Content last updated" not in client.get("/about/").content.decode()
    theme = Theme.objects.create(name="Footer test", slug="footer-test")
    with django_capture_on_commit_callbacks(execute=True):
        Statement.objects.first().tags.add(theme)
    html = client.get("/about/").content.decode()
    assert "Content last updated <time datetime=" in html


def test_statement_heading_names_the_agency_and_kinds_read_plainly(client):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    html = client.get(statement.get_absolute_url()).content.decode()
    assert ">Virginia: Guiding principle 5</h1>" in html
    assert "<title>Virginia: Guiding principle 5 · " in html
    html = client.get("/organizations/virginia/").content.decode()
    assert '<span class="kind">Context</span>' in html and "Narrative" not in html


def test_source_headings_in_capitals_are_shown_in_small_capitals_and_stored_verbatim(client):
    html = client.get("/organizations/maine-cfs/").content.decode()
    assert '<span class="caps">Child safety, first and foremost</span>' in html
    assert Statement.objects.filter(section__heading="CHILD SAFETY, FIRST AND FOREMOST").exists()


def test_the_home_page_has_one_search_box(client):
    html = client.get("/").content.decode()
    assert html.count('type="search"') == 1
    assert client.get("/organizations/").content.decode().count('type="search"') == 1
