"""The whole story of a revision, as readers meet it: a seed document gets a new version
(one statement changed, one removed, one added), published with a summary; then retired.
Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from compare.models import StatementSimilarity
from principles import selectors
from principles.models import DocumentStatus, Statement, Theme
from principles.services.lifecycle import retire
from tests.sheets.test_sheets import pdf_text

from .conftest import ADDED, CHANGED_AFTER, CHANGED_BEFORE, REMOVED, SUMMARY, UNCHANGED, revise

pytestmark = pytest.mark.django_db


def counts():
    return {theme.slug: theme.statement_count for theme in selectors.themes_with_counts()}


def search(client, query, **params):
    response = client.get(reverse("search:search"), {"q": query, **params})
    assert response.status_code == 200
    return response.context["results"]


def test_after_a_new_version_readers_meet_only_the_current_content(
    client, editor, django_capture_on_commit_callbacks
):
    before = counts()
    pages = (
        reverse("organizations:detail", kwargs={"slug": "vermont-fsd"}),
        reverse("sheets:organization", kwargs={"slug": "vermont-fsd"}),
    )
    shown = {url: client.get(url).content.decode().count(UNCHANGED) for url in pages}
    with django_capture_on_commit_callbacks(execute=True):  # compare refreshes on commit
        revision = revise(user=editor)
    old, new = revision.old, revision.new
    assert (old.status, new.status) == (DocumentStatus.SUPERSEDED, DocumentStatus.PUBLISHED)

    # search: one result per statement, the current one; earlier versions only when asked
    results = search(client, '"right to be safe"')
    assert [s.pk for s in results.results] == [revision.unchanged[1].pk]
    assert results.total == 1
    both = search(client, '"right to be safe"', earlier="on")
    assert {s.pk for s in both.results} == {s.pk for s in revision.unchanged}
    assert search(client, '"authority limited"').total == 0
    assert search(client, '"authority limited"', earlier="on").total == 1

    # themes: unchanged statements count once; the removed one no longer counts
    after = counts()
    assert after["safety"] == before["safety"]
    assert after["collaboration-and-partnership"] == before["collaboration-and-partnership"] - 1
    theme = Theme.objects.get(slug="safety")
    listed = client.get(theme.get_absolute_url()).context["page_obj"].paginator.count
    assert listed == after["safety"]

    # compare and its crosswalk, similar elsewhere: current statements only
    html = client.get(
        reverse("compare:compare") + "?org=vermont-fsd&org=maine-cfs"
    ).content.decode()
    assert CHANGED_AFTER in html and CHANGED_BEFORE not in html and REMOVED not in html
    for statement in old.statements.all():
        assert f'href="{statement.get_absolute_url()}"' not in html
    assert not StatementSimilarity.objects.published().filter(other__document=old).exists()
    pair = StatementSimilarity.objects.published().filter(other__document=new).first()
    assert pair is not None  # the new version's statements have their similar statements
    page = client.get(pair.statement.get_absolute_url()).content.decode()
    assert pair.other.get_absolute_url() in page
    assert not any(s.get_absolute_url() + '"' in page for s in old.statements.all())

    # the organization's page, sheet and PDF: current content, each statement once
    for url in pages:
        html = client.get(url).content.decode()
        assert html.count(UNCHANGED) == shown[url] > 0, url  # not once more per version
        assert CHANGED_AFTER in html and ADDED in html, url
        assert CHANGED_BEFORE not in html and REMOVED not in html, url
    _, text = pdf_text(
        client.get(reverse("sheets:organization-pdf", kwargs={"slug": "vermont-fsd"}))
    )
    assert text.count("right to be safe") == 1
    assert "with time, support" in text and "authority limited" not in text

    # the old permalinks: which version, until when, the current wording and the diff
    old_changed, new_changed = revision.changed
    response = client.get(old_changed.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "An earlier version" in html and escape(old.title) in html
    assert f'<a href="{new_changed.get_absolute_url()}">Read the current wording</a>' in html
    assert "<ins><span" in html and "time,</ins>" in html
    html = client.get(revision.removed.get_absolute_url()).content.decode()
    assert "no longer has this statement" in html and new.get_absolute_url() in html
    html = client.get(old.get_absolute_url()).content.decode()
    assert "<strong>Superseded</strong> by" in html and new.get_absolute_url() in html

    # what changed, with the summary
    changes = client.get(
        reverse("principles:changes", args=["vermont-fsd", new.slug])
    ).content.decode()
    assert SUMMARY in changes
    assert "Changed (1)" in changes and "Added (1)" in changes and "Removed (1)" in changes
    assert ADDED in changes and REMOVED in changes

    # the Revised documents report, for editors (page and CSV)
    assert client.get(reverse("principles:revisions")).status_code == 302  # sign in first
    client.force_login(editor)
    report = client.get(reverse("principles:revisions")).content.decode()
    assert SUMMARY in report and escape(new.title) in report
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(reverse("principles:revisions"), {"format": "csv"}).content.decode()
            )
        )
    )
    assert rows[0]["action"] == "Published" and rows[0]["summary"] == SUMMARY
    assert rows[0]["supersedes"] == old.title and rows[0]["by"] == editor.username


def test_retiring_the_current_version_leaves_tombstones_and_counts_that_agree(client, editor):
    revision = revise(user=editor)
    before = counts()
    retire(revision.new, user=editor, summary="Withdrawn pending review.")

    response = client.get(revision.added.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "This statement has been retired" in html and escape(revision.new.title) in html
    assert ADDED not in html  # the retired text is for editors only
    # the earlier version's permalink stays readable; it no longer points at retired text
    assert client.get(revision.unchanged[0].get_absolute_url()).status_code == 200

    after = counts()
    retired = revision.new.statements.filter(tags__slug="safety").count()
    assert retired == 2 and after["safety"] == before["safety"] - retired
    page = client.get(Theme.objects.get(slug="safety").get_absolute_url())
    assert page.context["page_obj"].paginator.count == after["safety"]
    assert search(client, '"right to be safe"').total == 0
    html = client.get(
        reverse("organizations:detail", kwargs={"slug": "vermont-fsd"})
    ).content.decode()
    assert UNCHANGED not in html and ADDED not in html

    client.force_login(editor)
    response = client.get(revision.added.get_absolute_url())
    assert response.status_code == 410 and ADDED in response.content.decode()


def test_new_versions_record_where_each_statement_came_from(editor):
    revision = revise(user=editor)
    old_changed, new_changed = revision.changed
    assert new_changed.derived_from == old_changed
    assert revision.added.derived_from is None
    assert not Statement.objects.filter(derived_from=revision.removed).exists()
    lineage = selectors.lineage(revision.removed)
    assert lineage.removed and lineage.document == revision.new
    assert selectors.lineage(old_changed).current == new_changed
