"""The editors' workspace (issue 22): admin named and grouped like the product, Editors
reach it by their role, a person is added with a role in one step, a version's page is
read-only with one Revert, and the vocabulary's review page."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from principles.models import Statement, Theme, ThemeStatus
from principles.services.tagging import add_theme_to_statement
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors():
    return Group.objects.get(name="Editors")


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("edna", "Editors"))
    return client


def test_the_index_is_named_and_grouped_like_the_product(editor_client):
    page = editor_client.get("/admin/").content.decode()
    assert "Django administration" not in page
    assert (
        f"<title>The editors&#x27; workspace | {settings.PRACTICEKB_SITE_NAME} admin</title>"
        in page
    )
    captions = ["Content", "Vocabulary", "Reports"]
    positions = [
        page.index(f'class="section" title="Models in the {c} application">{c}') for c in captions
    ]
    assert positions == sorted(positions)
    for link in ("/admin/transfer/import/", "/admin/principles/theme/review/", "/revisions/"):
        assert f'href="{link}"' in page
    # the join of statements and themes is edited on the statement, not listed
    assert "Statement themes" not in page
    assert "/admin/principles/taggedstatement/" not in page


def test_joining_editors_opens_admin_and_leaving_closes_it(client, editors):
    person = make_user("newcomer")
    assert not person.is_staff
    person.groups.add(editors)
    person.refresh_from_db()
    assert person.is_staff
    client.force_login(person)
    assert client.get("/admin/").status_code == 200
    editors.user_set.remove(person)  # from the group's side, too
    person.refresh_from_db()
    assert not person.is_staff
    editors.user_set.add(person)
    person.refresh_from_db()
    assert person.is_staff
    editors.user_set.clear()
    person.refresh_from_db()
    assert not person.is_staff


def test_admin_says_plainly_why_someone_cannot_get_in(client):
    client.force_login(make_user("sam", "Staff"))
    response = client.get("/admin/", follow=True)
    page = response.content.decode()
    assert "does not have the Editor role" in page
    assert "Ask an administrator" in page


def test_a_superuser_adds_a_person_with_a_role_in_one_step(superuser_client, editors):
    client = superuser_client
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "rosa",
            "first_name": "Rosa",
            "last_name": "Reyes",
            "email": "rosa@example.org",
            "role": editors.pk,
            "usable_password": "true",
            "password1": "a-long-test-passphrase",
            "password2": "a-long-test-passphrase",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rosa = User.objects.get(username="rosa")
    assert list(rosa.groups.values_list("name", flat=True)) == ["Editors"]
    assert rosa.is_staff
    assert rosa.get_full_name() == "Rosa Reyes"
    people = client.get("/admin/auth/user/").content.decode()
    assert "Rosa Reyes" in people and "Editors" in people


def test_a_version_page_is_read_only_with_one_revert(editor_client):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    original = statement.text
    url = f"/admin/principles/statement/{statement.pk}/change/"
    editor_client.get(url)
    statement.text = original + " Changed."
    statement.save()
    version = statement.history.earliest()
    page = editor_client.get(
        f"/admin/principles/statement/{statement.pk}/history/{version.history_id}/"
    ).content.decode()
    assert '<textarea name="text"' not in page  # shown, not edited
    assert original in page
    assert page.count('value="Revert to this version"') == 1
    start = page.index('<div class="breadcrumbs">')
    breadcrumbs = page[start : page.index("</div>", start)]
    assert "Historical statements" not in breadcrumbs
    assert "Content &rsaquo;" in breadcrumbs
    assert ">Statements</a>" in breadcrumbs


def test_the_statement_form_names_document_and_section_and_offers_themes_to_choose(
    editor_client,
):
    statement = Statement.objects.filter(section__isnull=False).first()
    page = editor_client.get(f"/admin/principles/statement/{statement.pk}/change/").content.decode()
    assert "admin-autocomplete" in page  # document, section, themes: chosen by name
    assert f">{statement.section.heading}</option>" in page
    assert 'name="tags" ' in page and "<select" in page  # a plain multiple select without JS
    listing = editor_client.get("/admin/principles/statement/").content.decode()
    assert statement.text[:200].split(" ")[0] in listing


def test_the_review_page_lists_proposals_and_near_duplicates(editor_client):
    statement = Statement.objects.get(document__organization__slug="virginia", position=16)
    staffer = make_user("sam", "Staff")
    add_theme_to_statement(statement, "Relative caregivers", user=staffer)
    add_theme_to_statement(statement, "Famly engagement", user=staffer)
    page = editor_client.get("/admin/principles/theme/review/").content.decode()
    assert "Proposed themes (2)" in page
    assert "“Relative caregivers” is an entry term of “Kinship”" in page
    assert "the names are spelled nearly alike" in page
    assert ">sam<" in page  # who proposed it
    proposed = Theme.objects.get(name="Relative caregivers")
    response = editor_client.post(
        "/admin/principles/theme/",
        {"action": "approve_selected_themes", "_selected_action": [proposed.pk]},
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == ThemeStatus.APPROVED


@pytest.mark.parametrize(
    "url",
    ["/admin/principles/theme/", "/admin/principles/theme/review/", "/admin/auth/user/"],
)
def test_vocabulary_and_people_pages_run_the_same_queries_for_more_rows(superuser_client, url):
    client = superuser_client
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    statement = Statement.objects.first()
    staffer = make_user("sam", "Staff")
    for n in range(20):
        add_theme_to_statement(statement, f"Extra theme {n}", user=staffer)
        make_user(f"person-{n}", "Trainers")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
