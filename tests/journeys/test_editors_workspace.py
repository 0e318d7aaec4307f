"""The editors' workspace (issue 22) in a real browser at 1280 px, as an editor whose only
grant is membership in Editors: add an organization and import its document; fix a
statement's text in the document page and in the statement form; change its themes (chips
with suggestions); history and revert; approve a proposed theme and merge another. No page
scrolls sideways or shows a raw id; screenshots are kept under PRACTICEKB_SHOTS if set.
Admin pages keep 0 axe violations at 1280 and 390 px."""

import os
import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from principles.models import Statement, Theme
from principles.services.tagging import add_theme_to_statement
from tests.conftest import PASSWORD, make_user

from .axe import audit

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("PRACTICEKB_SHOTS")

TEXT = """OUR MISSION
Keep every child in Pinecrest County safe at home.
OUR VALUES
- Families first
- Honest work
"""


@pytest.fixture
def edna(role_database):
    """An editor by role alone: no staff status given by hand."""
    return make_user("edna", "Editors")


def admin_sign_in(page, username="edna"):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_contain_text(settings.PRACTICEKB_SITE_NAME)


def looked_at(page, name):
    """The page fits the window (no sideways scrolling), shows no raw-id field, and is
    photographed for a person to look at."""
    page.wait_for_load_state("networkidle")
    fits = page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    assert fits, f"{name}: the page scrolls sideways"
    assert page.locator("input.vForeignKeyRawIdAdminField").count() == 0, name
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"journey-{name}.png"), full_page=False)


def choose_theme(page, name):
    """The themes' chips: type part of a name, take the suggestion, Enter adds the chip."""
    field = page.get_by_label(re.compile("^Add a theme"))
    field.fill(name)
    field.press("Enter")
    expect(page.locator(".theme-chips__chip", has_text=name)).to_have_count(1)
    expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible()


def test_an_editor_adds_an_organization_and_imports_its_document(page, edna):
    admin_sign_in(page)
    looked_at(page, "index")
    content = page.locator(".app-content")
    content.get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name=re.compile("Add organization", re.I)).click()
    page.get_by_label("Name:", exact=True).fill("Pinecrest County Children's Services")
    page.get_by_label("Slug:").fill("pinecrest")
    page.get_by_label("Kind:").select_option(label="County agency")
    page.get_by_label("Jurisdiction:").fill("Pinecrest County")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto("/admin/")
    page.locator(".app-content").get_by_role("link", name="Import from text").click()
    page.get_by_label("Organization").select_option(label="Pinecrest County Children's Services")
    page.get_by_label("Paste the text").fill(TEXT)
    page.get_by_role("button", name="Preview the import").click()
    looked_at(page, "import-preview")
    page.get_by_label("Title:").fill("Pinecrest Practice Model")
    page.locator('input[name="save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("Pinecrest")
    looked_at(page, "imported")
    assert Statement.objects.filter(text__contains="Pinecrest County safe").exists()


def test_an_editor_fixes_text_changes_themes_and_reverts(page, edna):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    original = statement.text
    admin_sign_in(page)

    # in the document page's statements, each in its own wide block
    page.goto(f"/admin/principles/document/{statement.document_id}/change/")
    row = page.locator(".editing-statements .inline-related").filter(
        has=page.locator(f'input[name$="-id"][value="{statement.pk}"]')
    )
    row.locator("textarea").fill(original.replace("first consideration", "first thought"))
    section = row.locator("select.editing-section-select")
    assert section.evaluate("s => s.scrollWidth <= s.clientWidth + 1")  # names shown whole
    row.scroll_into_view_if_needed()
    looked_at(page, "document-inline")
    page.get_by_label("Reason for this change:").fill("Typo against the source")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    statement.refresh_from_db()
    assert "first thought" in statement.text

    # in the statement's own form: text, and a theme chosen by name
    page.goto(f"/admin/principles/statement/{statement.pk}/change/")
    expect(page.locator(".field-document .select2-selection__rendered")).to_contain_text("Virginia")
    page.get_by_label("Text:").fill(original)
    choose_theme(page, "Workforce")
    looked_at(page, "statement-form")
    page.get_by_label("Reason for this change:").fill("Back to the source's words")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert statement.tags.filter(slug="workforce").exists()
    looked_at(page, "statement-list")

    # history, a version read-only, and Revert
    page.goto(f"/admin/principles/statement/{statement.pk}/history/")
    looked_at(page, "history")
    page.locator("#change-history tbody tr").nth(1).locator("a").first.click()
    expect(page.locator("textarea[name=text]")).to_have_count(0)
    looked_at(page, "version")
    page.get_by_role("button", name="Revert to this version").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    statement.refresh_from_db()
    assert "first thought" in statement.text


def test_an_editor_approves_one_proposed_theme_and_merges_another(page, edna):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    staffer = make_user("sam", "Staff")
    add_theme_to_statement(statement, "Relative caregivers", user=staffer)
    add_theme_to_statement(statement, "Youth mentoring", user=staffer)
    page.goto(reverse("principles:themes"))
    expect(page.locator("main")).not_to_contain_text("Youth mentoring")

    admin_sign_in(page)
    page.locator(".app-vocabulary").get_by_role(
        "link", name="Theme proposals and duplicates"
    ).click()
    looked_at(page, "review")
    page.get_by_label("Choose Youth mentoring").check()
    page.get_by_role("button", name="Approve the chosen themes").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved Youth mentoring")

    page.goto("/admin/principles/theme/review/")
    pair = page.locator(".vocabulary__pairs li", has_text="Relative caregivers")
    expect(pair).to_contain_text("is an entry term of “Kinship”")
    pair.get_by_role("button", name="Merge these two…").click()
    page.locator(".merge-themes__choices label", has_text="Kinship").locator("input").check()
    looked_at(page, "merge")
    page.get_by_role("button", name="Merge into the chosen theme").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Merged Relative caregivers into “Kinship”"
    )
    assert not Theme.objects.filter(name="Relative caregivers").exists()

    page.context.clear_cookies()
    page.goto(reverse("principles:themes"))
    expect(page.locator("main")).to_contain_text("Youth mentoring")
    expect(page.locator("main")).not_to_contain_text("Relative caregivers")


ADMIN_PAGES = {
    "index": lambda s: "/admin/",
    "statements": lambda s: "/admin/principles/statement/",
    "statement": lambda s: f"/admin/principles/statement/{s.pk}/change/",
    "document": lambda s: f"/admin/principles/document/{s.document_id}/change/",
    "history": lambda s: f"/admin/principles/statement/{s.pk}/history/",
    "version": lambda s: f"/admin/principles/statement/{s.pk}/history/{s.history.earliest().pk}/",
    "themes": lambda s: "/admin/principles/theme/",
    "review": lambda s: "/admin/principles/theme/review/",
}


@pytest.fixture
def audited_page(context, live_server):
    """As conftest's `page`, for axe's audits of admin: axe-core, while it runs on a page with
    admin's autocomplete (jQuery and select2, for the document and the section), makes
    Chromium report inline styles in a
    document of its own (no address); those reports are left out, any other CSP violation,
    script error or dialog still fails the test. The journeys above, without axe, use the
    strict `page`."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []

    def console(message):
        if message.type != "error" or "Content Security Policy" not in message.text:
            return
        if message.location.get("url") == "" and "inline style" in message.text:
            return
        problems.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "dialog", lambda dialog: problems.append(f"dialog: {dialog.message}") or dialog.dismiss()
    )
    yield page
    assert problems == [], problems


@pytest.mark.parametrize("name", list(ADMIN_PAGES))
def test_admin_page_has_no_wcag_violations(audited_page, signed_in, edna, name):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    add_theme_to_statement(statement, "Relative caregivers", user=make_user("sam", "Staff"))
    signed_in(audited_page, edna)
    path = ADMIN_PAGES[name](statement)
    problems = audit(audited_page, path)
    assert audited_page.url.endswith(path), audited_page.url  # the admin's page, not sign-in
    if os.environ.get("PRACTICEKB_AXE_LOG"):
        with open(os.environ["PRACTICEKB_AXE_LOG"], "a") as log:
            log.write("\n".join(problems) + "\n")
    assert problems == [], "\n".join(problems)
