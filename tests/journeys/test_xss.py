"""Script payloads stored in statement text, theme names and sheet titles, or typed as search
terms, show as text in the browser and never run: the `page` fixture fails the test on any
dialog (alert) and on any script error or CSP violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from principles.models import Statement, TaggedStatement, Theme
from sheets import services as sheet_services

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = '<script>alert("xss")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'


def test_stored_payloads_show_as_text_and_never_run(page, trainer):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    statement.text = f"Kinship xssmarker {SCRIPT} {IMAGE}"
    statement.save()
    theme = Theme.objects.create(name=f"{SCRIPT}{IMAGE}", slug="hostile", status="approved")
    TaggedStatement.objects.create(content_object=statement, tag=theme)
    sheet = sheet_services.create_sheet(owner=trainer, title=SCRIPT, subtitle=IMAGE)
    sheet_services.add_statement(sheet, statement)

    page.goto(reverse("principles:statement", kwargs={"pk": statement.pk}))
    expect(page.locator(".permalink__text")).to_have_text(f"Kinship xssmarker {SCRIPT} {IMAGE}")
    expect(page.locator("#themes .chips")).to_contain_text(SCRIPT)
    assert page.locator("img[src=x]").count() == 0

    for path in [
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("principles:theme", kwargs={"slug": "hostile"}),
        reverse("principles:themes"),
        reverse("compare:compare") + "?org=virginia&org=maine-cfs",
        reverse("search:search") + "?q=xssmarker",
        reverse("sheets:detail", kwargs={"public_id": sheet.public_id}),
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}),
    ]:
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.locator("img[src=x]").count() == 0, path
        assert page.evaluate("document.scripts.length") == len(page.locator("script[src]").all()), (
            path
        )

    sign_in(page, "trainer", next_url=reverse("sheets:list"))
    expect(page.get_by_role("link", name=SCRIPT)).to_be_visible()
    page.goto(reverse("principles:statement", kwargs={"pk": statement.pk}))
    expect(page.locator(".add-to-sheet option").first).to_have_text(SCRIPT)


@pytest.mark.parametrize("query", [SCRIPT, IMAGE, f"kinship {SCRIPT}"])
def test_search_terms_show_as_text_and_never_run(page, seeded, query):
    page.goto(reverse("home"))
    page.get_by_label("Search every principle").fill(query)
    page.get_by_label("Search every principle").press("Enter")
    page.wait_for_load_state("load")
    expect(page.locator("#site-search-q, main input[name=q]").last).to_have_value(query)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("document.scripts.length") == len(page.locator("script[src]").all())
