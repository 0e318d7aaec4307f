"""Stored and reflected script payloads are shown as text, never run: statement text, theme
names, sheet titles and search terms."""

import pytest
from django.urls import reverse

from principles.models import TaggedStatement, Theme
from sheets.models import Sheet

from .test_headers import inline_code

SCRIPT = '<script>alert("xss")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
SVG = "</textarea></title><svg onload=alert(2)>"
PAYLOADS = [SCRIPT, IMAGE, SVG]


def assert_inert(response, *payloads, escaped=True):
    """No payload survives as markup: no inline script, no event handler; the text shows."""
    html = response.content.decode()
    assert response.status_code < 500
    assert inline_code(html) == [], response.request["PATH_INFO"]
    for payload in payloads:
        assert payload not in html
    if escaped:
        assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html


@pytest.fixture
def hostile_statement(kinship_statement):
    kinship_statement.text = f"Kinship xssmarker {SCRIPT} {IMAGE} {SVG} first."
    kinship_statement.label = IMAGE
    kinship_statement.save()
    return kinship_statement


def test_statement_text_is_inert_wherever_it_is_shown(client, hostile_statement, staffer):
    s = hostile_statement
    pages = [
        reverse("principles:statement", kwargs={"pk": s.pk}),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse(
            "organizations:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}
        ),
        reverse("principles:theme", kwargs={"slug": "kinship"}),
        reverse("sheets:organization", kwargs={"slug": "virginia"}),
        reverse("sheets:document", kwargs={"slug": "virginia", "document_slug": "practice-model"}),
        reverse("sheets:theme", kwargs={"slug": "kinship"}),
    ]
    for path in pages:
        assert_inert(client.get(path), *PAYLOADS)
    # signed in, with the tagging forms (their labels repeat the text)
    client.force_login(staffer)
    for path in pages[:4]:
        assert_inert(client.get(path), *PAYLOADS)


def test_statement_text_is_inert_in_search_results_and_highlights(client, hostile_statement):
    for query in ["xssmarker", "alert", "script", "onerror"]:
        response = client.get(reverse("search:search"), {"q": query})
        assert_inert(response, *PAYLOADS, escaped=False)
    assert "xssmarker" in client.get(reverse("search:search"), {"q": "xssmarker"}).content.decode()


def test_statement_text_is_inert_in_the_comparison(client, hostile_statement):
    for path in [
        reverse("compare:compare") + "?org=virginia&org=maine-cfs",
        reverse("sheets:comparison") + "?org=virginia&org=maine-cfs",
    ]:
        assert_inert(client.get(path), *PAYLOADS)


@pytest.fixture
def hostile_theme(kinship_statement):
    """A theme name no form would accept, as if written straight into the database."""
    theme = Theme.objects.create(name=SCRIPT + IMAGE, slug="hostile", status="approved")
    TaggedStatement.objects.create(content_object=kinship_statement, tag=theme)
    return theme


def test_theme_names_are_inert(client, hostile_theme, kinship_statement, staffer):
    pages = [
        "/",
        reverse("principles:themes"),
        reverse("principles:theme", kwargs={"slug": "hostile"}),
        reverse("sheets:theme", kwargs={"slug": "hostile"}),
        reverse("principles:statement", kwargs={"pk": kinship_statement.pk}),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("search:search") + "?q=kinship",
        reverse("compare:compare") + "?org=virginia&org=maine-cfs",
    ]
    for path in pages:
        # the home page shows only the most used themes, which may leave this one out
        assert_inert(client.get(path), SCRIPT, IMAGE, escaped=path != "/")
    client.force_login(staffer)  # the datalist of theme names and the remove buttons
    for path in pages[4:6]:
        assert_inert(client.get(path), SCRIPT, IMAGE)


def test_typing_a_hostile_theme_name_is_refused_in_plain_words(client, staffer, kinship_statement):
    client.force_login(staffer)
    response = client.post(
        reverse("principles:statement-theme-add", kwargs={"pk": kinship_statement.pk}),
        {"name": SCRIPT, "next": "/"},
        follow=True,
    )
    assert not Theme.objects.filter(name__contains="script").exists()
    assert_inert(response, SCRIPT, escaped=False)


def test_sheet_titles_subtitles_and_notes_are_inert(client, trainer, kinship_statement):
    client.force_login(trainer)
    created = client.post(
        reverse("sheets:list"),
        {"title": SCRIPT, "subtitle": IMAGE, "notes": SVG, "layout": "standard", "paper": "letter"},
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    sheet = Sheet.objects.get(owner=trainer)
    assert sheet.title == SCRIPT
    added = client.post(
        reverse("sheets:add"),
        {
            "statement": kinship_statement.pk,
            "sheet": str(sheet.public_id),
            "next": reverse("principles:themes"),
        },
        follow=True,
    )
    assert_inert(added, *PAYLOADS)  # the message names the sheet
    for path in [
        reverse("sheets:list"),
        reverse("sheets:detail", kwargs={"public_id": sheet.public_id}),
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}),
        reverse(
            "principles:statement", kwargs={"pk": kinship_statement.pk}
        ),  # "Add to sheet" lists the trainer's sheets
    ]:
        assert_inert(client.get(path), *PAYLOADS)
    client.logout()  # and for anyone given the address
    assert_inert(
        client.get(reverse("sheets:selection", kwargs={"public_id": sheet.public_id})), *PAYLOADS
    )


@pytest.mark.parametrize("query", [*PAYLOADS, f"kinship {SCRIPT}", f"kinship {IMAGE}"])
def test_search_terms_are_inert(client, db, query):
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code in (200, 400)
    assert_inert(response, query, escaped=query.endswith(SCRIPT))


def test_hostile_query_parameters_elsewhere_are_inert(client, db):
    for path, params in [
        (reverse("compare:compare"), {"org": [SCRIPT, "virginia"]}),
        (reverse("sheets:comparison"), {"org": ["virginia", IMAGE]}),
        (reverse("organizations:list"), {"kind": SCRIPT, "jurisdiction": IMAGE}),
        (reverse("sheets:theme", kwargs={"slug": "kinship"}), {"paper": SCRIPT, "layout": IMAGE}),
        (reverse("search:search"), {"q": "kinship", "org": SCRIPT, "theme": IMAGE, "page": SVG}),
        (reverse("accounts:login"), {"next": f"/{SCRIPT}"}),
    ]:
        response = client.get(path, params)
        assert_inert(response, SCRIPT, IMAGE, SVG, escaped=False)
