"""Accessibility in a real browser: an axe-core audit of every main page (WCAG 2.0, 2.1 and 2.2,
levels A and AA) at desktop and phone widths, and keyboard-only use of the forms."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from playwright.sync_api import expect

from principles.models import Statement
from sheets import services as sheet_services
from tests.conftest import make_user

from .axe import WIDTHS, audit, violations
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def kinship_statement():
    return Statement.objects.get(document__organization__slug="virginia", position=16)


def a_sheet(owner):
    sheet = sheet_services.create_sheet(owner=owner, title="Kinship training")
    sheet_services.add_statement(sheet, kinship_statement())
    sheet_services.add_statement(
        sheet, Statement.objects.get(document__organization__slug="maine-cfs", position=5)
    )
    return sheet


# Pages anyone can open: (name, a function from a statement and a sheet to the address).
PUBLIC_PAGES = {
    "home": lambda s, sheet: "/",
    "organizations": lambda s, sheet: reverse("organizations:list"),
    "organization": lambda s, sheet: reverse("organizations:detail", kwargs={"slug": "virginia"}),
    "document": lambda s, sheet: reverse(
        "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
    ),
    "statement": lambda s, sheet: reverse("principles:statement", kwargs={"pk": s.pk}),
    "themes": lambda s, sheet: reverse("principles:themes"),
    "theme": lambda s, sheet: reverse("principles:theme", kwargs={"slug": "kinship"}),
    "search with results": lambda s, sheet: reverse("search:search") + "?q=kinship",
    "search form": lambda s, sheet: reverse("search:search"),
    "compare form": lambda s, sheet: reverse("compare:compare"),
    "compare Virginia and Maine": lambda s, sheet: (
        reverse("compare:compare") + "?org=virginia&org=maine-cfs"
    ),
    "compare five organizations": lambda s, sheet: (
        reverse("compare:compare") + "?org=california-alliance&org=vermont-fsd&org=virginia"
        "&org=california-child-support&org=maine-cfs"
    ),
    "compare narrowed to a theme (rows open)": lambda s, sheet: (
        reverse("compare:compare") + "?org=virginia&org=maine-cfs&theme=kinship"
    ),
    "about": lambda s, sheet: reverse("about"),
    "accessibility statement": lambda s, sheet: reverse("accessibility"),
    "sources and licence": lambda s, sheet: reverse("sources"),
    "organization sheet": lambda s, sheet: reverse(
        "sheets:organization", kwargs={"slug": "virginia"}
    ),
    "document sheet": lambda s, sheet: reverse(
        "sheets:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
    ),
    "theme sheet": lambda s, sheet: (
        reverse("sheets:theme", kwargs={"slug": "kinship"}) + "?layout=discussion"
    ),
    "comparison sheet": lambda s, sheet: (
        reverse("sheets:comparison") + "?org=virginia&org=maine-cfs"
    ),
    "selection sheet": lambda s, sheet: (
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}) + "?paper=a4"
    ),
    "shared sheet page": lambda s, sheet: reverse(
        "sheets:detail", kwargs={"public_id": sheet.public_id}
    ),
    "login": lambda s, sheet: reverse("accounts:login"),
}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(page, seeded, name):
    sheet = a_sheet(make_user("owner", "Trainers"))
    path = PUBLIC_PAGES[name](kinship_statement(), sheet)
    assert audit(page, path) == []


def test_the_audit_sees_what_css_changes_at_the_phone_width(page):
    """audit() loads a page once and resizes it: a problem only the phone width shows is
    still found (text made pale by a media query)."""
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Widths</title><style>'
        "p { color: #000; background: #fff; } @media (max-width: 40rem) { p { color: #ddd; } }"
        "</style></head><body><main><h1>Widths</h1><p>Pale on a phone</p></main></body></html>"
    )
    assert violations(page) == []
    page.set_viewport_size({"width": WIDTHS[1], "height": 900})
    assert [violation["id"] for violation in violations(page)] == ["color-contrast"]


@pytest.mark.parametrize(
    ("name", "path", "status"),
    [
        ("404 page", "/no-such-page/", 404),
        (
            "unknown organization",
            reverse("organizations:detail", kwargs={"slug": "no-such-agency"}),
            404,
        ),
        ("compare with one organization (400)", reverse("compare:compare") + "?org=virginia", 400),
        (
            "bad sheet options (400)",
            reverse("sheets:theme", kwargs={"slug": "kinship"}) + "?paper=tabloid",
            400,
        ),
    ],
)
def test_error_page_has_no_wcag_violations(page, seeded, name, path, status):
    assert audit(page, path, expected_status=status) == []


def test_lockout_page_has_no_wcag_violations(page, seeded, settings):
    make_user("someone")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(page, "someone", password="wrong-password")
    sign_in(page, "someone", password="wrong-password")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    assert violations(page) == []


@pytest.mark.parametrize(
    "path",
    [
        lambda s, sheet: reverse("principles:statement", kwargs={"pk": s.pk}),
        lambda s, sheet: reverse("organizations:detail", kwargs={"slug": "virginia"}),
        lambda s, sheet: reverse(
            "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
        ),
        lambda s, sheet: reverse("principles:theme", kwargs={"slug": "kinship"}),
        lambda s, sheet: reverse("search:search") + "?q=kinship",
    ],
    ids=["statement", "organization", "document", "theme", "search"],
)
def test_staff_pages_with_tagging_forms_have_no_wcag_violations(page, signed_in, staffer, path):
    signed_in(page, staffer)
    address = path(kinship_statement(), None)
    assert audit(page, address) == []
    # the forms are really there: this audit covered them
    if resolve(urlsplit(address).path).view_name == "principles:statement":
        expect(page.get_by_label("Add a theme")).to_be_visible()
    else:  # listings link each statement to its Edit themes page
        assert page.get_by_role("link", name=re.compile("^Edit themes")).count() > 0


@pytest.mark.parametrize(
    "path",
    [
        lambda s, sheet: reverse("principles:statement", kwargs={"pk": s.pk}),
        lambda s, sheet: reverse("organizations:detail", kwargs={"slug": "virginia"}),
        lambda s, sheet: reverse("principles:theme", kwargs={"slug": "kinship"}),
        lambda s, sheet: reverse("sheets:list"),
        lambda s, sheet: reverse("sheets:detail", kwargs={"public_id": sheet.public_id}),
        lambda s, sheet: reverse("search:search") + "?q=kinship",
        # narrowed to a theme, so that its rows are open (closed rows hide their links)
        lambda s, sheet: reverse("compare:compare") + "?org=virginia&org=maine-cfs&theme=kinship",
    ],
    ids=["statement", "organization", "theme", "my sheets", "sheet builder", "search", "compare"],
)
def test_trainer_pages_with_sheet_builder_have_no_wcag_violations(page, signed_in, trainer, path):
    sheet = a_sheet(trainer)
    signed_in(page, trainer)
    address = path(kinship_statement(), sheet)
    assert audit(page, address) == []
    view = resolve(urlsplit(address).path).view_name
    if view == "sheets:detail":
        expect(page.get_by_role("button", name="Move down 1")).to_be_visible()
    elif view == "principles:statement":
        assert page.locator(".add-to-sheet").count() > 0
    elif view != "sheets:list":  # listings link each statement to its Add to sheet page
        assert page.get_by_role("link", name=re.compile("^Add to sheet")).count() > 0
        # and tick it for the page's one "Add ticked" form
        assert page.get_by_role("checkbox", name=re.compile("^Tick to add")).count() > 0
        expect(page.get_by_role("button", name="Add ticked")).to_be_visible()


# Keyboard only: Tab moves focus, keys type and press; no mouse, no clicks.


def tab_to(page, selector, text="", limit=250):
    """Press Tab until the focused element matches the CSS selector (and contains the text);
    fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([s, t]) => document.activeElement.matches(s)"
            " && document.activeElement.textContent.includes(t)",
            [selector, text],
        ):
            return
    raise AssertionError(f"Tab never reached {selector} {text}")


def test_tagging_form_works_with_the_keyboard_alone(page, staffer):
    statement = kinship_statement()
    sign_in(page, "staffer", next_url=reverse("principles:statement", kwargs={"pk": statement.pk}))
    assert "Workforce" not in {t.name for t in statement.tags.all()}

    tab_to(page, f"#theme-name-{statement.pk}")
    page.keyboard.type("workforce")
    page.keyboard.press("Enter")
    expect(page.locator("#themes .chips")).to_contain_text("Workforce")
    assert "Workforce" in {t.name for t in kinship_statement().tags.all()}

    # take it off again: Tab to its remove button and press Space
    page.locator("body").focus()
    tab_to(page, "#themes .tag-remove", "Workforce")
    page.keyboard.press("Space")
    expect(page.locator("#themes .tagging__feedback")).to_contain_text("Workforce")
    expect(page.locator("#themes .chips")).not_to_contain_text("Workforce")
    assert "Workforce" not in {t.name for t in kinship_statement().tags.all()}


def test_edit_themes_from_an_organization_page_works_with_the_keyboard(page, staffer):
    statement = kinship_statement()
    sign_in(page, "staffer", next_url=reverse("organizations:detail", kwargs={"slug": "virginia"}))
    tab_to(page, f"#statement-{statement.pk} .statement__action", "Edit themes")
    page.keyboard.press("Enter")  # opens the statement's Edit themes page
    expect(page.get_by_role("heading", name="Edit themes")).to_be_visible()
    tab_to(page, f"#theme-name-{statement.pk}")
    page.keyboard.type("Workforce")
    page.keyboard.press("Enter")
    # back on the organization page, at the statement, with the new theme and the message
    expect(page).to_have_url(
        re.compile(
            re.escape(reverse("organizations:detail", kwargs={"slug": "virginia"}))
            + f"#statement-{statement.pk}$"
        )
    )
    expect(page.locator(f"#statement-{statement.pk} .chips")).to_contain_text("Workforce")
    expect(page.locator(f"#statement-{statement.pk} .tagging__feedback")).to_contain_text(
        "Workforce"
    )


def test_sheet_builder_works_with_the_keyboard_alone(page, trainer):
    statement = kinship_statement()
    sign_in(page, "trainer", next_url=reverse("principles:statement", kwargs={"pk": statement.pk}))

    tab_to(page, ".add-to-sheet summary")
    page.keyboard.press("Enter")  # opens the disclosure
    tab_to(page, f"#sheet-for-{statement.pk}")  # "A new sheet" is chosen: the trainer has none
    page.keyboard.press("Tab")
    page.keyboard.type("Keyboard sheet")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Add"
    page.keyboard.press("Space")
    expect(page.locator(".messages")).to_contain_text("Added to “Keyboard sheet”.")

    # a second statement, then reorder them on the sheet's page with the keyboard
    second = Statement.objects.get(document__organization__slug="maine-cfs", position=5)
    page.goto(reverse("principles:statement", kwargs={"pk": second.pk}))
    tab_to(page, ".add-to-sheet summary")
    page.keyboard.press("Space")
    tab_to(page, f"#sheet-for-{second.pk}")
    expect(page.locator(f"#sheet-for-{second.pk}")).to_have_value(re.compile(r"^[0-9a-f-]{36}$"))
    tab_to(page, ".add-to-sheet button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Added to “Keyboard sheet”.")

    page.goto(reverse("sheets:list"))
    tab_to(page, "main a", "Keyboard sheet")
    page.keyboard.press("Enter")
    items = page.locator(".sheet-item .statement__text")
    expect(items.first).to_contain_text(statement.text[:30])
    tab_to(page, "button", "Move down 1")
    page.keyboard.press("Enter")
    expect(items.first).to_contain_text(second.text[:30])
    expect(items.last).to_contain_text(statement.text[:30])


def test_a_refused_stale_tagging_is_explained_accessibly_and_can_be_sent_again(page, staffer):
    from principles.models import Theme
    from principles.services.tagging import add_theme_to_statement, remove_theme_from_statement

    statement = kinship_statement()
    sign_in(page, "staffer", next_url=reverse("principles:statement", kwargs={"pk": statement.pk}))
    other = make_user("bob", "Staff", first_name="Bob")
    # after the page was drawn, Bob puts Workforce on and takes it off again
    add_theme_to_statement(statement, "Workforce", user=other)
    remove_theme_from_statement(statement, Theme.objects.get(slug="workforce"), user=other)

    page.get_by_label("Add a theme").fill("Workforce")
    page.get_by_label("Add a theme").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Someone changed this statement's themes meanwhile"
    )
    expect(page.get_by_role("alert")).to_contain_text("Bob removed the theme “Workforce”")
    expect(page.get_by_label("Add a theme")).to_have_value("Workforce")  # input kept
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width

    page.get_by_role("button", name="Add theme again").press("Enter")  # sent again: added
    expect(page.locator("#themes .chips")).to_contain_text("Workforce")
