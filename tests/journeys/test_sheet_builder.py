"""A trainer builds a six-statement sheet from three organizations in at most 8 page loads,
signing in included, with JavaScript and without: tick statements, add them at once."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from sheets.models import Sheet

from .conftest import sign_in

ORGANIZATIONS = ["virginia", "maine-cfs", "vermont-fsd"]
MAX_PAGE_LOADS = 8


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_trainer_builds_a_six_statement_sheet_in_at_most_8_page_loads(
    browser, browser_context_args, trainer, javascript
):
    context = browser.new_context(**browser_context_args, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    loads = []
    page.on("load", lambda: loads.append(page.url))

    sign_in(
        page, "trainer", next_url=reverse("organizations:detail", kwargs={"slug": ORGANIZATIONS[0]})
    )
    picked = []
    for number, slug in enumerate(ORGANIZATIONS):
        if number:
            page.goto(reverse("organizations:detail", kwargs={"slug": slug}))
        ticks = page.locator('input[type="checkbox"][form="add-to-sheet"]')
        for index in range(2):
            box = ticks.nth(index)
            picked.append(int(box.get_attribute("value")))
            box.check()
        bar = page.locator("#add-to-sheet")
        if number == 0:
            bar.get_by_label("Add ticked statements to").select_option(label="A new sheet")
            bar.get_by_label("Title if new").fill("Three states, day 1")
        else:  # the sheet added to last is offered first
            expect(bar.get_by_label("Add ticked statements to")).to_have_value(
                str(Sheet.objects.get(title="Three states, day 1").public_id)
            )
        bar.get_by_role("button", name="Add ticked").click()
        expect(page.locator(".messages")).to_contain_text("Added 2 statements")
        # what is on the sheet now says so, instead of offering its box again
        expect(page.locator(".sheet-tick--on")).to_have_count(2)

    page.locator("#add-to-sheet").get_by_role("link", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Three states, day 1")
    items = page.locator(".sheet-items > li")
    expect(items).to_have_count(6)
    sheet = Sheet.objects.get(title="Three states, day 1")
    assert list(sheet.items.values_list("statement_id", flat=True)) == picked
    assert len(loads) <= MAX_PAGE_LOADS, loads

    share = page.get_by_label("Share link")
    expect(share).to_have_value(re.compile(re.escape(sheet.get_absolute_url()) + "$"))
    copy = page.get_by_role("button", name="Copy share link")
    if javascript:
        expect(copy).to_be_visible()
    else:
        expect(copy).to_be_hidden()  # without JavaScript the link is there to select
    context.close()
