"""The user journeys, in a real browser (Chromium) against the running app, under its CSP."""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from principles.models import Statement, Theme

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def kinship_statement():
    """Virginia's guiding principle 5, on kinship placement."""
    return Statement.objects.get(document__organization__slug="virginia", position=16)


def test_browse_home_to_an_organization_to_a_statement_and_copy_its_citation(
    page, context, live_server, seeded
):
    statement = kinship_statement()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(reverse("home"))
    page.get_by_role("link", name="Virginia Children's Services System").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Virginia")

    page.locator(f"#statement-{statement.pk} .statement__permalink").click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("principles:statement", kwargs={"pk": statement.pk})) + "$")
    )
    expect(page.locator(".permalink__text")).to_contain_text("kinship")

    citation = page.locator("#citation")
    expected = statement.citation(page.url)
    expect(citation).to_have_text(expected)
    assert expected.startswith("Virginia Children's Services System. ")
    page.get_by_role("button", name="Copy citation").click()
    expect(page.locator("#copy-status")).to_have_text("Citation copied.")
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_staff_tag_a_statement_and_find_it_on_the_theme_page(page, staffer):
    statement = kinship_statement()
    theme = Theme.objects.exclude(pk__in=statement.tags.all()).order_by("name").first()
    sign_in(page, "staffer", next_url=reverse("principles:statement", kwargs={"pk": statement.pk}))
    expect(page).to_have_url(
        re.compile(re.escape(reverse("principles:statement", kwargs={"pk": statement.pk})))
    )

    page.get_by_label("Add a theme").fill(theme.name.lower())
    page.locator("#themes form.tagging__add").get_by_role("button", name="Add theme").click()
    expect(page.locator("#themes .chips")).to_contain_text(theme.name)
    expect(page.locator("#themes .tagging__feedback")).to_contain_text(theme.name)

    page.get_by_role("link", name=theme.name).first.click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("principles:theme", kwargs={"slug": theme.slug})) + "$")
    )
    expect(
        page.locator(
            f'a[href="{reverse("principles:statement", kwargs={"pk": statement.pk})}"]'
        ).first
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(statement.text[:40])


def test_compare_virginia_and_maine_and_read_the_crosswalk(page, seeded):
    page.goto(reverse("home"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Compare").click()
    page.get_by_label("Virginia Children's Services System").check()
    page.get_by_label("Maine Child and Family Services").check()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"org=maine-cfs"))
    page.get_by_role("link", name="Crosswalk", exact=True).click()
    crosswalk = page.locator("#crosswalk")
    expect(crosswalk.get_by_role("heading", name="Crosswalk")).to_be_in_viewport()
    first_pair = crosswalk.locator(".pair").first
    expect(first_pair.locator(".pair__percent")).to_have_text("100%")
    expect(first_pair).to_contain_text("Virginia")
    expect(first_pair).to_contain_text("Maine CFS")
    assert crosswalk.locator(".pair").count() >= 11


def test_search_kinship_and_open_a_result(page, seeded):
    page.goto(reverse("home"))
    page.get_by_label("Search every principle").fill("kinship")
    page.get_by_label("Search every principle").press("Enter")
    expect(page).to_have_url(re.compile(re.escape(reverse("search:search") + "?q=kinship")))
    first = page.locator(".result").first
    # "kinship" also searches its theme's entry terms ("extended family"), highlighted too
    expect(first.locator("mark", has_text=re.compile("kinship", re.IGNORECASE))).not_to_have_count(
        0
    )
    permalink = first.locator(".statement__permalink")
    href = permalink.get_attribute("href")
    permalink.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator(".permalink__text")).to_contain_text(re.compile("kinship", re.IGNORECASE))


def test_trainer_builds_a_sheet_and_downloads_its_pdf(page, trainer):
    statement = kinship_statement()
    sign_in(page, "trainer", next_url=reverse("principles:statement", kwargs={"pk": statement.pk}))
    adder = page.locator(".add-to-sheet")
    adder.get_by_text("Add to sheet").click()
    adder.get_by_label("Sheet").select_option(label="A new sheet")
    adder.get_by_label("Title if new").fill("Kinship training")
    adder.get_by_role("button", name="Add").click()
    expect(page.locator(".messages")).to_contain_text("Added to “Kinship training”.")

    page.get_by_role("link", name="My sheets").click()
    page.get_by_role("link", name="Kinship training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kinship training")
    expect(page.locator(".sheet-items")).to_contain_text(statement.text[:40])

    pdf_link = page.locator(".print-links").get_by_role("link", name=re.compile(r"^PDF of"))
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Kinship training" in text


def test_trainer_adds_a_statement_to_a_sheet_from_an_organization_page(page, trainer):
    statement = kinship_statement()
    sign_in(page, "trainer", next_url=reverse("organizations:detail", kwargs={"slug": "virginia"}))
    # links and checkboxes, no form per statement: the page has one "Add ticked" form
    assert page.locator("main form[method=post]").count() == 1
    page.locator(f"#statement-{statement.pk}").get_by_role(
        "link", name=re.compile("^Add to sheet")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add to sheet")
    page.get_by_label("Sheet").select_option(label="A new sheet")
    page.get_by_label("Title if new").fill("From the organization page")
    page.get_by_role("button", name="Add").click()
    expect(page).to_have_url(
        re.compile(
            re.escape(reverse("organizations:detail", kwargs={"slug": "virginia"}))
            + f"#statement-{statement.pk}$"
        )
    )
    expect(page.locator(".messages")).to_contain_text("Added to “From the organization page”.")


def test_editor_changes_a_statement_in_admin_then_reverts_it_from_history(page, editor):
    statement = kinship_statement()
    original = statement.text
    sign_in(
        page,
        "editor",
        next_url=reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk}),
    )
    page.get_by_label("Text:").fill("Kinship placements come first (a mistaken edit).")
    page.get_by_label("Reason for this change:").fill("Testing the history")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(reverse("principles:statement", kwargs={"pk": statement.pk}))
    expect(page.locator(".permalink__text")).to_have_text(
        "Kinship placements come first (a mistaken edit)."
    )

    page.goto(reverse("admin:principles_statement_history", kwargs={"object_id": statement.pk}))
    history = page.locator("#change-history tbody tr")
    expect(history.first.locator(".history__changes ins").last).to_have_text("(a mistaken edit).")
    history.last.locator("a").first.click()
    page.get_by_role("button", name="Revert").first.click()
    expect(page.locator(".messagelist")).to_contain_text(original[:40])
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(reverse("principles:statement", kwargs={"pk": statement.pk}))
    expect(page.locator(".permalink__text")).to_have_text(original)
