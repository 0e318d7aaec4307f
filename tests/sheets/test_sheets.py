"""Principle sheets: every kind as HTML and PDF, the builder, and who may change a sheet."""

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from pypdf import PdfReader

from principles.models import Statement, Theme
from sheets import services
from sheets.models import Sheet
from tests.conftest import make_organizations, make_user

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return reader, re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def words(text, count=8):
    return " ".join(text.split()[:count])


@pytest.fixture
def other_trainer(db):
    return make_user("other", "Trainers")


@pytest.fixture
def kinship(db):
    theme = Theme.objects.create(
        name="Kinship sheet test", slug="kinship-sheet-test", status="approved"
    )
    for statement in Statement.objects.filter(text__contains="kinship"):
        statement.tags.add(theme)
    return theme


@pytest.fixture
def selection(trainer):
    sheet = services.create_sheet(owner=trainer, title="Kinship across states", notes="Day 2")
    picks = [
        Statement.objects.get(document__organization__slug="maine-cfs", position=15),
        Statement.objects.get(document__organization__slug="virginia", position=17),
    ]
    for statement in picks:
        services.add_statement(sheet, statement)
    return sheet


def test_organization_sheet_prints_every_statement_in_source_order(client):
    html = client.get(reverse("sheets:organization", kwargs={"slug": "virginia"}))
    assert html.status_code == 200
    reader, text = pdf_text(
        client.get(reverse("sheets:organization-pdf", kwargs={"slug": "virginia"}))
    )
    statements = Statement.objects.filter(document__organization__slug="virginia")
    positions = [text.find(words(s.text)) for s in statements.order_by("position")]
    assert all(p >= 0 for p in positions), "a statement is missing from the PDF"
    assert positions == sorted(positions)
    assert 3 <= len(reader.pages) <= 12
    assert "Page 1 of" in text and "Virginia Children's Services System" in text


def test_pdf_has_a_sensible_file_name_and_embedded_fonts(client):
    response = client.get(reverse("sheets:organization-pdf", kwargs={"slug": "maine-cfs"}))
    assert response["Content-Disposition"] == 'inline; filename="maine-cfs-sheet.pdf"'
    reader, _ = pdf_text(response)
    fonts = {
        font["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in str(name) for name in fonts)
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor  # the font program itself is embedded


def test_document_sheet(client):
    url = "/organizations/vermont-fsd/documents/policy-11-mission-values-guiding-principles/sheet"
    assert client.get(f"{url}/").status_code == 200
    _, text = pdf_text(client.get(f"{url}.pdf"))
    assert "All children have the right to be safe." in text
    assert "policy 11, effective December 20, 2012" in text


def test_theme_sheet_groups_by_organization(client, kinship):
    response = client.get(reverse("sheets:theme", kwargs={"slug": kinship.slug}))
    assert response.status_code == 200
    _, text = pdf_text(client.get(reverse("sheets:theme-pdf", kwargs={"slug": kinship.slug})))
    assert text.find("Maine Child and Family Services") < text.find(
        "Virginia Children's Services System"
    )
    assert "the first consideration for placement will be with kinship connections" in text


def test_selection_sheet_prints_in_the_chosen_order(client, selection):
    _, text = pdf_text(
        client.get(reverse("sheets:selection-pdf", kwargs={"public_id": selection.public_id}))
    )
    first, second = (text.find(words(i.statement.text, 6)) for i in selection.items.all())
    assert 0 <= first < second
    assert "Kinship across states" in text and "Day 2" in text
    items = list(selection.items.order_by("position"))
    services.move_item(items[1], -1)
    _, text = pdf_text(
        client.get(reverse("sheets:selection-pdf", kwargs={"public_id": selection.public_id}))
    )
    assert (
        0
        <= text.find(words(items[1].statement.text, 6))
        < text.find(words(items[0].statement.text, 6))
    )


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_paper_sizes(client, paper):
    reader, _ = pdf_text(
        client.get(
            reverse("sheets:organization-pdf", kwargs={"slug": "maine-cfs"}) + f"?paper={paper}"
        )
    )
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == {"letter": 612, "a4": 595}[paper]


def test_discussion_layout_leaves_room_for_notes(client):
    standard, _ = pdf_text(
        client.get(reverse("sheets:organization-pdf", kwargs={"slug": "maine-cfs"}))
    )
    discussion, text = pdf_text(
        client.get(
            reverse("sheets:organization-pdf", kwargs={"slug": "maine-cfs"}) + "?layout=discussion"
        )
    )
    assert len(discussion.pages) > len(standard.pages)
    assert "Notes" in text


@pytest.mark.parametrize("query", ["paper=legal", "layout=poster", "paper=%3Cscript%3E", "layout="])
def test_bad_print_options_answer_400_in_plain_words(client, query):
    response = client.get(reverse("sheets:organization", kwargs={"slug": "virginia"}) + f"?{query}")
    if query == "layout=":
        assert response.status_code == 200  # empty means the default
        return
    assert response.status_code == 400
    assert "Those print options could not be used" in response.content.decode()
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("sheets:organization", kwargs={"slug": "atlantis"}),
        reverse("sheets:organization-pdf", kwargs={"slug": "atlantis"}),
        reverse("sheets:document", kwargs={"slug": "virginia", "document_slug": "nope"}),
        reverse("sheets:theme-pdf", kwargs={"slug": "no-such-theme"}),
        reverse("sheets:detail", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"}),
        reverse(
            "sheets:selection-pdf", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"}
        ),
        "/sheets/not-a-uuid/",
    ],
)
def test_unknown_sheets_answer_404(client, url):
    assert client.get(url).status_code == 404


def test_an_empty_sheet_explains_how_to_add_statements(client, trainer):
    sheet = services.create_sheet(owner=trainer, title="Empty")
    for url in (
        sheet.get_absolute_url(),
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}),
    ):
        assert "use “Add to sheet” beside a statement" in client.get(url).content.decode()


def test_a_trainer_builds_a_sheet_from_the_pages(client, trainer):
    client.force_login(trainer)
    statement = Statement.objects.get(document__organization__slug="virginia", position=2)
    page = client.get(reverse("organizations:detail", kwargs={"slug": "virginia"})).content.decode()
    # a listing links each statement to its small Add to sheet page, which has the form;
    # the page has one "Add ticked" form, which the statements' checkboxes join
    link = (
        reverse("sheets:add")
        + f"?statement={statement.pk}&amp;next=/organizations/virginia/%23statement-"
    )
    assert link in page and page.count(f'action="{reverse("sheets:add")}"') == 1
    assert f'value="{statement.pk}" form="add-to-sheet"' in page
    small = client.get(
        reverse("sheets:add")
        + f"?statement={statement.pk}&next=/organizations/virginia/%23statement-1"
    )
    assert small.status_code == 200
    form = small.content.decode()
    assert f'action="{reverse("sheets:add")}"' in form
    virginia = reverse("organizations:detail", kwargs={"slug": "virginia"})
    assert f'name="next" value="{virginia}#statement-1"' in form
    assert client.get(reverse("sheets:add") + "?statement=x").status_code == 400
    assert client.get(reverse("sheets:add") + "?statement=99999999").status_code == 404
    off_site = client.get(
        reverse("sheets:add") + f"?statement={statement.pk}&next=https://evil.example/"
    )
    assert "evil.example" not in off_site.content.decode()
    response = client.post(
        reverse("sheets:add"),
        {
            "statement": statement.pk,
            "sheet": "new",
            "new_title": "Safety first",
            "next": reverse("organizations:detail", kwargs={"slug": "virginia"}) + "#x",
        },
    )
    assert (
        response.status_code == 302
        and response["Location"]
        == reverse("organizations:detail", kwargs={"slug": "virginia"}) + "#x"
    )
    sheet = Sheet.objects.get(owner=trainer)
    assert sheet.title == "Safety first"
    second = Statement.objects.get(document__organization__slug="maine-cfs", position=2)
    client.post(reverse("sheets:add"), {"statement": second.pk, "sheet": str(sheet.public_id)})
    client.post(reverse("sheets:add"), {"statement": second.pk, "sheet": str(sheet.public_id)})
    assert list(sheet.items.values_list("statement_id", flat=True)) == [statement.pk, second.pk]

    response = client.post(
        sheet.get_absolute_url(),
        {
            "title": "  Safety   first  ",
            "subtitle": "Session 1",
            "notes": "",
            "layout": "discussion",
            "paper": "a4",
        },
    )
    sheet.refresh_from_db()
    assert (sheet.title, sheet.layout, sheet.paper) == ("Safety first", "discussion", "a4")
    item = sheet.items.get(statement=second)
    client.post(
        reverse("sheets:move-item", kwargs={"public_id": sheet.public_id, "item_id": item.pk}),
        {"direction": "up"},
    )
    assert list(sheet.items.order_by("position").values_list("statement_id", flat=True)) == [
        second.pk,
        statement.pk,
    ]
    client.post(
        reverse("sheets:remove-item", kwargs={"public_id": sheet.public_id, "item_id": item.pk})
    )
    assert list(sheet.items.values_list("statement_id", flat=True)) == [statement.pk]
    # the sheet's own print options are its defaults
    reader, _ = pdf_text(
        client.get(reverse("sheets:selection-pdf", kwargs={"public_id": sheet.public_id}))
    )
    assert round(float(reader.pages[0].mediabox.width)) == 595


def test_an_offsite_next_is_ignored(client, trainer):
    client.force_login(trainer)
    statement = Statement.objects.get(document__organization__slug="virginia", position=2)
    response = client.post(
        reverse("sheets:add"),
        {"statement": statement.pk, "sheet": "new", "next": "https://evil.example/"},
    )
    assert response["Location"] == statement.get_absolute_url()


def test_only_the_owner_or_an_editor_can_change_a_sheet(client, selection, other_trainer):
    item = selection.items.first()
    urls = [
        selection.get_absolute_url(),
        reverse(
            "sheets:remove-item", kwargs={"public_id": selection.public_id, "item_id": item.pk}
        ),
        reverse("sheets:move-item", kwargs={"public_id": selection.public_id, "item_id": item.pk}),
        reverse("sheets:delete", kwargs={"public_id": selection.public_id}),
    ]
    # anyone with the link reads it
    assert client.get(selection.get_absolute_url()).status_code == 200
    for url in urls:
        assert client.post(url, {"title": "Hijacked", "direction": "down"}).status_code == 403
    client.force_login(other_trainer)
    assert "Move up" not in client.get(selection.get_absolute_url()).content.decode()
    for url in urls:
        assert client.post(url, {"title": "Hijacked", "direction": "down"}).status_code == 403
    assert (
        client.post(
            reverse("sheets:add"),
            {"statement": item.statement_id, "sheet": str(selection.public_id)},
        ).status_code
        == 302
    )
    assert selection.items.count() == 2  # not added: not one of other_trainer's sheets
    editor = User.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert (
        client.post(reverse("sheets:delete", kwargs={"public_id": selection.public_id})).status_code
        == 302
    )
    assert not Sheet.objects.filter(pk=selection.pk).exists()


def test_staff_without_the_trainer_role_cannot_build_sheets(client):
    user = User.objects.create_user("reader", password="pw")
    client.force_login(user)
    statement = Statement.objects.first()
    response = client.post(reverse("sheets:add"), {"statement": statement.pk, "sheet": "new"})
    assert response.status_code == 403
    assert client.post(reverse("sheets:list"), {"title": "Mine"}).status_code == 403
    assert (
        f'action="{reverse("sheets:add")}"'
        not in client.get(
            reverse("organizations:detail", kwargs={"slug": "virginia"})
        ).content.decode()
    )


def test_anonymous_users_are_sent_to_sign_in_to_build(client):
    response = client.get(reverse("sheets:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_add_refuses_csrf_less_posts(trainer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    statement = Statement.objects.first()
    response = client.post(reverse("sheets:add"), {"statement": statement.pk, "sheet": "new"})
    assert response.status_code == 403


def test_hostile_titles_are_escaped(client, trainer):
    sheet = services.create_sheet(owner=trainer, title="<script>alert(1)</script>")
    for url in (
        sheet.get_absolute_url(),
        reverse("sheets:selection", kwargs={"public_id": sheet.public_id}),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


SHEETS = [
    ("organization", lambda s: reverse("sheets:organization", kwargs={"slug": "virginia"})),
    ("theme", lambda s: reverse("sheets:theme", kwargs={"slug": "kinship-sheet-test"})),
    ("selection", lambda s: reverse("sheets:selection", kwargs={"public_id": s.public_id})),
    ("builder", lambda s: s.get_absolute_url()),
]


@pytest.mark.parametrize(("name", "url"), SHEETS, ids=[s[0] for s in SHEETS])
def test_sheet_pages_take_constant_queries(client, kinship, selection, name, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url(selection)).status_code == 200
    make_organizations(50)
    for statement in Statement.objects.filter(document__organization__slug__startswith="gen")[:60]:
        statement.tags.add(kinship)
        services.add_statement(selection, statement)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url(selection)).status_code == 200
    assert len(large) == len(small) <= 8


def test_comparison_sheet_prints_rows_and_closest_pairs(client):
    query = "org=virginia&org=maine-cfs"
    assert client.get(reverse("sheets:comparison") + f"?{query}").status_code == 200
    reader, text = pdf_text(client.get(reverse("sheets:comparison-pdf") + f"?{query}&paper=a4"))
    assert "Comparison: Virginia, Maine CFS" in text
    assert "Kinship" in text  # a theme row
    assert "% alike" in text and "Crosswalk:" in text
    assert round(float(reader.pages[0].mediabox.width)) == 595
    page = client.get(reverse("compare:compare") + f"?{query}").content.decode()
    assert f'href="{reverse("sheets:comparison-pdf")}?{query.replace("&", "&amp;")}"' in page


@pytest.mark.parametrize(
    "query", ["", "org=virginia", "org=virginia&org=atlantis", "org=virginia&org=maine-cfs&x=1"]
)
def test_bad_comparison_sheets_answer_400(client, query):
    response = client.get(reverse("sheets:comparison-pdf") + f"?{query}")
    assert response.status_code == 400
    assert "That comparison could not be printed" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
        reverse("principles:theme", kwargs={"slug": "kinship"}),
        reverse("search:search") + "?q=kinship",
        reverse("compare:compare") + "?org=virginia&org=maine-cfs",
    ],
)
def test_add_to_sheet_is_offered_wherever_statements_appear(client, trainer, url):
    client.force_login(trainer)
    html = client.get(url).content.decode()
    # a link per statement to its small Add to sheet page and a checkbox for the page's one
    # "Add ticked" form: no form per statement
    assert (
        'href="/sheets/add/?statement=' in html
        and html.count(f'action="{reverse("sheets:add")}"') == 1
    )
    assert 'form="add-to-sheet"' in html and 'id="add-to-sheet"' in html


def test_a_trainer_adds_ticked_statements_from_three_organizations_at_once(client, trainer):
    client.force_login(trainer)
    picks = [
        Statement.objects.get(document__organization__slug=slug, position=position)
        for slug, position in (("virginia", 2), ("maine-cfs", 3), ("vermont-fsd", 3))
    ]
    ids = [statement.pk for statement in picks]
    response = client.post(
        reverse("sheets:add"),
        {
            "statement": ids,
            "sheet": "new",
            "new_title": "Three states",
            "next": reverse("compare:compare"),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("compare:compare")
    sheet = Sheet.objects.get(owner=trainer)
    assert list(sheet.items.values_list("statement_id", flat=True)) == ids
    # the same ticks again, with one more: only the new one is added, in order
    more = Statement.objects.get(document__organization__slug="virginia", position=3)
    client.post(
        reverse("sheets:add"), {"statement": [*ids, more.pk], "sheet": str(sheet.public_id)}
    )
    assert list(sheet.items.values_list("statement_id", flat=True)) == [*ids, more.pk]
    # "On your sheet" beside what the chosen sheet (the one added to last) holds
    page = client.get(reverse("organizations:detail", kwargs={"slug": "virginia"})).content.decode()
    assert f'value="{more.pk}" form="add-to-sheet"' not in page
    assert page.count("On your sheet") == 2
    # nothing ticked, or a bad value: plain words, never a 500
    response = client.post(
        reverse("sheets:add"), {"sheet": str(sheet.public_id), "next": reverse("home")}, follow=True
    )
    assert "Tick the statements to add first" in response.content.decode()
    assert (
        client.post(reverse("sheets:add"), {"statement": ["1", "x"], "sheet": "new"}).status_code
        == 400
    )


def test_ticks_and_marks_cost_constant_queries(client, trainer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(trainer)
    sheet = services.create_sheet(owner=trainer, title="Counted")
    services.add_statement(
        sheet, Statement.objects.filter(document__organization__slug="virginia").first()
    )
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("organizations:detail", kwargs={"slug": "maine-cfs"}))
    for statement in Statement.objects.filter(document__organization__slug="virginia"):
        services.add_statement(sheet, statement)
    with CaptureQueriesContext(connection) as large:
        page = client.get(
            reverse("organizations:detail", kwargs={"slug": "virginia"})
        ).content.decode()
    assert (
        page.count("On your sheet")
        == Statement.objects.filter(
            document__organization__slug="virginia", document__status="published"
        ).count()
    )
    assert len(large) == len(small)


def test_the_sheet_page_puts_title_settings_and_share_link_first(client, selection):
    owner = selection.owner
    owner.first_name, owner.last_name = "Dana", "Reyes"
    owner.save()
    client.force_login(owner)
    page = client.get(selection.get_absolute_url()).content.decode()
    share = f'value="http://testserver{selection.get_absolute_url()}"'
    assert share in page and "Copy share link" in page
    assert "Anyone with this link can read, print and download this sheet" in page
    # the settings before the statements
    assert page.index('id="edit-title"') < page.index('id="statements-title"')
    # everyone else: the owner's name, never the username, and no share or settings panel
    client.logout()
    shared = client.get(selection.get_absolute_url()).content.decode()
    assert "A sheet by Dana Reyes" in shared and owner.username not in shared
    assert "Copy share link" not in shared and 'id="edit-title"' not in shared
