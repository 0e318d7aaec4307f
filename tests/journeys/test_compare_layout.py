"""/compare/ reads at a glance (issue 21): the overview on the first screen, a short page
until a row is opened, rows that open from the overview's links, headers that stay in view."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

FIVE = (
    "?org=california-alliance&org=vermont-fsd&org=virginia"
    "&org=california-child-support&org=maine-cfs"
)
# (width, height of the first screen, the most the page may measure before a row is opened)
SCREENS = [(1280, 800, 8_000), (390, 844, 15_000)]


@pytest.mark.parametrize(("width", "height", "most"), SCREENS, ids=["desktop", "phone"])
def test_five_organizations_show_the_overview_first_and_a_short_page(
    page, seeded, width, height, most
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(reverse("compare:compare") + FIVE)
    overview = page.get_by_role("heading", name="Overview")
    expect(overview).to_be_in_viewport()
    if width == 1280:  # on a desktop the matrix itself starts on the first screen
        expect(page.get_by_role("table").get_by_role("row").nth(2)).to_be_in_viewport()
    tall = page.evaluate("document.scrollingElement.scrollHeight")
    assert tall < most, f"{tall} px tall at {width} px"
    assert page.locator("details.compare-row[open]").count() == 0


def test_a_theme_in_the_overview_opens_its_row_with_the_organizations_in_view(page, seeded):
    page.goto(reverse("compare:compare") + FIVE)
    page.get_by_role("table").get_by_role("link", name="Safety", exact=True).click()
    row = page.locator("details.compare-row", has=page.locator("#row-theme-safety"))
    expect(row).to_have_attribute("open", "")
    expect(row.locator(".statement").first).to_be_visible()
    page.mouse.wheel(0, 600)  # scrolled into the row, the organizations' names stay on top
    header = page.locator(".compare-head")
    expect(header).to_be_in_viewport()
    expect(header).to_contain_text("California Child Support")


def test_rows_open_without_javascript(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(reverse("compare:compare") + FIVE)
    row = page.locator("details.compare-row").first
    expect(row).not_to_have_attribute("open", "")
    row.locator("summary").click()
    expect(row).to_have_attribute("open", "")
    expect(row.locator(".statement").first).to_be_visible()
    context.close()
