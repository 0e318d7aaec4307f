"""The crosswalk's pages in a real browser: no axe violations for readers and reviewers at
desktop and phone widths, and a link confirmed with the keyboard alone (no JavaScript
needed: plain forms). Screenshots go to /tmp/shots-crosswalk/ when PRACTICEKB_SHOTS is set."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from compare import links
from principles.models import Statement

from .axe import WIDTHS, audit
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(os.environ.get("PRACTICEKB_SHOTS_DIR", "/tmp/shots-crosswalk"))  # noqa: S108


def shoot(page, name):
    if not os.environ.get("PRACTICEKB_SHOTS"):
        return
    SHOTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def vermont_and_virginia():
    return (
        Statement.objects.get(document__organization__slug="vermont-fsd", position=9),
        Statement.objects.get(document__organization__slug="virginia", position=13),
    )


def test_reader_pages_have_no_wcag_violations(page, seeded, editor):
    vt, va = vermont_and_virginia()
    links.review(editor, vt.pk, va.pk, "confirmed", "both name family separation as a last resort")
    for path, name in (
        (reverse("compare:collection"), "collection"),
        (reverse("principles:statement", kwargs={"pk": vt.pk}), "similar"),
        (reverse("compare:compare") + "?org=vermont-fsd&org=virginia", "compare"),
    ):
        assert audit(page, path) == []
        shoot(page, f"reader-{name}")


def test_reviewer_pages_have_no_wcag_violations(page, editor):
    vt, _ = vermont_and_virginia()
    sign_in(page, "editor")
    for path, name in (
        (reverse("compare:review"), "queue"),
        (reverse("principles:statement", kwargs={"pk": vt.pk}), "similar"),
        (reverse("compare:compare") + "?org=virginia&org=maine-cfs", "compare"),
    ):
        assert audit(page, path) == []
        shoot(page, f"reviewer-{name}")


def test_a_reviewer_links_two_statements_with_the_keyboard_alone(page, editor):
    vt, va = vermont_and_virginia()
    sign_in(page, "editor", next_url=reverse("principles:statement", kwargs={"pk": vt.pk}))
    page.get_by_label("Number of the other organization", exact=False).focus()
    page.keyboard.type(str(va.pk))
    page.keyboard.press("Tab")
    page.keyboard.type("both name family separation as a last resort")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Link confirmed.")).to_be_visible()
    item = page.locator(".similar__item--confirmed").first
    expect(item).to_contain_text("Confirmed by an editor")
    expect(item).to_contain_text("both name family separation as a last resort")
