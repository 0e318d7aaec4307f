"""Curated crosswalk links: confirm, reject, add, withdraw; who may; history and revert;
rejected pairs never suggested again; readers never see links to drafts; the review queue,
the collection's crosswalk and its CSV; the page cache follows links."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from compare import links, selectors
from compare.models import CrosswalkLink, LinkVerdict, StatementSimilarity
from compare.services import refresh_similarities
from principles.models import Document
from tests.conftest import make_user

from .conftest import statement

pytestmark = pytest.mark.django_db

REVIEW = reverse("compare:review-link")


@pytest.fixture
def vt_va():
    """Vermont's last-resort principle and Virginia's on keeping families together: the
    same idea in other words, which the words alone do not suggest."""
    return (
        statement("vermont-fsd", "Separating children from their families is traumatic"),
        statement("virginia", "Keeping children and families together"),
    )


@pytest.fixture
def me_va():
    """Maine's and Virginia's shared permanency-planning principle: a strong suggestion."""
    return (
        statement("maine-cfs", "Permanency planning for children begins"),
        statement("virginia", "Permanency planning for children begins"),
    )


def post(client, first, second, action, note="", **extra):
    data = {"first": first.pk, "second": second.pk, "action": action, "note": note, **extra}
    return client.post(REVIEW, {**data, "next": first.get_absolute_url()})


def similar_html(client, statement_):
    return (
        client.get(statement_.get_absolute_url()).content.decode().split('id="similar-heading"')[1]
    )


def test_an_editor_adds_a_link_the_score_missed_and_it_shows_first_with_its_note(
    client, editor, vt_va
):
    vt, va = vt_va
    assert not StatementSimilarity.objects.filter(statement=vt, other=va).exists()
    client.force_login(editor)
    note = "both name family separation as a last resort"
    response = post(client, vt, va, "confirm", note, added="1")
    assert response.status_code == 302 and response["Location"] == vt.get_absolute_url()
    link = CrosswalkLink.objects.get()
    assert (link.first_id, link.second_id) == tuple(sorted((vt.pk, va.pk)))
    assert link.verdict == LinkVerdict.CONFIRMED and link.added and link.author == editor
    client.logout()
    for page, other in ((vt, va), (va, vt)):
        section = similar_html(client, page)
        first_item = section.split('<li class="similar__item')[1]
        assert "Confirmed by an editor" in first_item and other.get_absolute_url() in first_item
        assert note in first_item
    crosswalk = client.get("/compare/?org=vermont-fsd&org=virginia").content.decode()
    crosswalk = crosswalk.split('id="crosswalk-heading"')[1]
    first_pair = crosswalk.split('<li class="pair')[1]
    assert "Confirmed by an editor" in first_pair and note in first_pair


def test_confirming_a_suggestion_marks_it_and_keeps_its_score(client, editor, me_va):
    me, va = me_va
    client.force_login(editor)
    post(client, me, va, "confirm", "the same words")
    client.logout()
    section = similar_html(client, me)
    assert section.count(f'<a href="{va.get_absolute_url()}">') == 1  # listed once
    match = selectors.similar_elsewhere(me)[0]
    assert match.link is not None and match.other == va and match.score > 0.8


def test_a_rejected_pair_is_never_suggested_again_even_after_a_refresh(client, editor, me_va):
    me, va = me_va
    assert va in [match.other for match in selectors.similar_elsewhere(me)]
    client.force_login(editor)
    post(client, me, va, "reject", "different services")
    for _ in range(2):
        assert va not in [match.other for match in selectors.similar_elsewhere(me)]
        assert me not in [match.other for match in selectors.similar_elsewhere(va)]
        pairs = selectors.comparison(list(_orgs("maine-cfs", "virginia"))).pairs
        assert {me.pk, va.pk} not in [{p.first.pk, p.second.pk} for p in pairs]
        assert (me.pk, va.pk) not in _queue_pairs()
        refresh_similarities()  # the score still finds them: the verdict stands
        assert StatementSimilarity.objects.filter(statement=me, other=va).exists()
        refresh_similarities([me.pk])
    client.logout()
    assert va.get_absolute_url() not in similar_html(client, me)


def _orgs(*slugs):
    from organizations.models import Organization

    return sorted(Organization.objects.filter(slug__in=slugs), key=lambda o: slugs.index(o.slug))


def _queue_pairs():
    return {
        tuple(sorted((pair.first.pk, pair.second.pk)))
        for group in selectors.review_queue(per_pair=100)
        for pair in group.pairs
    }


def test_withdrawing_a_verdict_makes_the_pair_a_suggestion_again(client, editor, me_va):
    me, va = me_va
    client.force_login(editor)
    post(client, me, va, "reject")
    post(client, me, va, "withdraw")
    assert not CrosswalkLink.objects.exists()
    assert va in [match.other for match in selectors.similar_elsewhere(me)]


@pytest.mark.parametrize("who", ["anonymous", "staffer", "trainer"])
def test_readers_and_other_roles_cannot_review(client, who, vt_va, request):
    vt, va = vt_va
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = post(client, vt, va, "confirm")
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not CrosswalkLink.objects.exists()
    queue = client.get(reverse("compare:review"))
    assert queue.status_code == (302 if who == "anonymous" else 403)
    assert "Confirm" not in similar_html(client, vt)


def test_reviewers_may_review(client, vt_va):
    vt, va = vt_va
    client.force_login(make_user("reviewer", "Reviewers"))
    assert post(client, vt, va, "reject").status_code == 302
    assert CrosswalkLink.objects.get().verdict == LinkVerdict.REJECTED


def test_a_get_or_a_missing_csrf_token_changes_nothing(editor, vt_va):
    from django.test import Client

    vt, va = vt_va
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.get(REVIEW).status_code == 405
    assert post(strict, vt, va, "confirm").status_code == 403
    assert not CrosswalkLink.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first": "x", "second": "1", "action": "confirm"}, "is not a statement number"),
        ({"first": "1", "second": "2", "action": "love"}, "Choose to confirm, reject"),
    ],
)
def test_bad_input_answers_400_in_plain_words(client, editor, data, message):
    client.force_login(editor)
    response = client.post(REVIEW, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_refused_links_say_why_and_change_nothing(client, editor, me_va):
    me, va = me_va
    same_org = statement("maine-cfs", "We listen to children.")
    client.force_login(editor)
    for first, second in ((me, same_org), (me, me)):
        response = client.post(
            REVIEW,
            {"first": first.pk, "second": second.pk, "action": "confirm", "next": "/compare/"},
            follow=True,
        )
        assert "Nothing changed" in response.content.decode()
    response = post(client, me, va, "confirm", "x" * 301)
    assert not CrosswalkLink.objects.exists()


def test_history_records_each_verdict_and_a_revert_restores_it(editor, me_va):
    me, va = me_va
    links.review(editor, me.pk, va.pk, LinkVerdict.CONFIRMED, "first look")
    links.review(editor, me.pk, va.pk, LinkVerdict.REJECTED, "second look")
    link = CrosswalkLink.objects.get()
    history = list(link.history.order_by("history_date"))
    assert [row.verdict for row in history] == ["confirmed", "rejected"]
    assert all(row.history_user == editor for row in history)
    history[0].instance.save()  # admin's "revert to this version" saves the old instance
    link.refresh_from_db()
    assert (link.verdict, link.note) == ("confirmed", "first look")
    links.withdraw(editor, me.pk, va.pk)
    assert CrosswalkLink.history.filter(history_type="-").count() == 1


def test_readers_never_see_a_link_to_a_draft_or_retired_statement(client, editor, vt_va):
    vt, va = vt_va
    links.review(editor, vt.pk, va.pk, LinkVerdict.CONFIRMED, "hidden soon")
    Document.objects.filter(organization__slug="virginia").update(status="retired")
    assert va.get_absolute_url() not in similar_html(client, vt)
    assert selectors.collection_crosswalk() == [
        pair for pair in selectors.collection_crosswalk() if "virginia" not in pair.query
    ]
    rows = list(csv.reader(io.StringIO(_csv(client))))
    assert all(va.get_absolute_url() not in "".join(row) for row in rows)
    assert not any(row[0] == "confirmed" for row in rows[1:])


def _csv(client):
    response = client.get(reverse("compare:crosswalk-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def test_the_collection_page_counts_links_per_organization_pair(client, editor, vt_va):
    vt, va = vt_va
    links.review(editor, vt.pk, va.pk, LinkVerdict.CONFIRMED, "last resort")
    html = client.get(reverse("compare:collection")).content.decode()
    assert html.count("<tr>") == 1 + 10  # the header, then every pair of five organizations
    pair = next(
        p
        for p in selectors.collection_crosswalk()
        if {p.first.slug, p.second.slug} == {"vermont-fsd", "virginia"}
    )
    assert pair.confirmed == 1
    virginia_maine = next(
        p
        for p in selectors.collection_crosswalk()
        if {p.first.slug, p.second.slug} == {"maine-cfs", "virginia"}
    )
    assert virginia_maine.suggested > 10
    assert f"/compare/?{pair.query}#crosswalk".replace("&", "&amp;") in html


def test_the_csv_lists_confirmed_links_then_suggestions(client, editor, vt_va):
    vt, va = vt_va
    links.review(editor, vt.pk, va.pk, LinkVerdict.CONFIRMED, "last resort")
    rows = list(csv.reader(io.StringIO(_csv(client))))
    assert rows[0][:4] == ["status", "score", "band", "note"]
    assert rows[1][0] == "confirmed" and rows[1][3] == "last resort"
    assert {row[0] for row in rows[2:]} == {"suggested"}
    pairs = [tuple(sorted((row[6], row[10]))) for row in rows[1:]]
    assert len(pairs) == len(set(pairs))  # each pair once


def test_the_review_queue_lists_unreviewed_suggestions_per_organization_pair(client, editor, me_va):
    me, va = me_va
    client.force_login(editor)
    before = client.get(reverse("compare:review")).content.decode()
    assert "Maine" in before
    assert f"pair-{me.pk}-{va.pk}" in before or f"pair-{va.pk}-{me.pk}" in before
    post(client, me, va, "confirm")
    assert tuple(sorted((me.pk, va.pk))) not in _queue_pairs()


def test_a_link_changes_the_cached_pages_that_show_it(client, editor, vt_va, page_cache):
    vt, va = vt_va
    cache.clear()
    assert "Confirmed by an editor" not in similar_html(client, vt)
    links.review(editor, vt.pk, va.pk, LinkVerdict.CONFIRMED, "last resort")
    assert "Confirmed by an editor" in similar_html(client, vt)
    assert (
        "Confirmed by an editor"
        in client.get("/compare/?org=vermont-fsd&org=virginia").content.decode()
    )


def test_the_statement_page_query_count_grows_by_one_for_links(
    client, django_assert_num_queries, me_va
):
    me, _ = me_va
    client.get(me.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        client.get(me.get_absolute_url())
    links.review(
        make_user("ed2", "Editors"),
        me.pk,
        statement("vermont-fsd", "All children have").pk,
        "confirmed",
    )
    with CaptureQueriesContext(connection) as linked:
        client.get(me.get_absolute_url())
    assert len(linked) == len(plain)


def test_links_travel_in_the_content_export_and_load_back(editor, vt_va, me_va):
    from transfer.services.content import export_content, import_content

    vt, va = vt_va
    links.review(editor, vt.pk, va.pk, LinkVerdict.CONFIRMED, "last resort", added=True)
    links.review(editor, *[s.pk for s in me_va], LinkVerdict.REJECTED, "not the same")
    exported = export_content()
    rows = [
        row for row in __import__("json").loads(exported) if row["model"] == "compare.crosswalklink"
    ]
    assert len(rows) == 2 and all(row["fields"]["author"] is None for row in rows)
    CrosswalkLink.objects.all().delete()
    report = import_content(exported, user=editor)
    assert report.counts["crosswalk links"] == 2
    link = CrosswalkLink.objects.of_pair(vt, va).get()
    assert (link.verdict, link.note, link.added) == ("confirmed", "last resort", True)
    assert CrosswalkLink.objects.of_pair(*me_va).get().verdict == "rejected"
    assert export_content() == exported
    # one organization's export holds only links between its own exported statements
    from organizations.models import Organization

    alone = export_content([Organization.objects.get(slug="virginia")])
    assert "compare.crosswalklink" not in alone
