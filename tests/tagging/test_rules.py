"""The rules of a theme name, one vocabulary whatever the case, and hostile text escaped."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from principles.forms import AddThemeForm, ThemeAdminForm
from principles.models import Statement, TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement

from .util import add_url, signed_in

pytestmark = pytest.mark.django_db


def add(client, statement, name, **extra):
    return client.post(add_url(statement), {"name": name, **extra})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_errors(name, may_create=True):
    form = AddThemeForm({"name": name}, may_create=may_create)
    form.is_valid()
    return form.errors.get("name", [])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Resilience  ", "Resilience"),
        ("youth   \t  transitions", "youth transitions"),
        ("Bien-être", "Bien-être"),
        ("Title IV-E", "Title IV-E"),
        ("ab", "ab"),
        ("x" * 50, "x" * 50),
    ],
)
def test_names_are_trimmed_and_collapsed_and_accepted(typed, stored):
    form = AddThemeForm({"name": typed}, may_create=True)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("a", "at least 2 characters"),
        ("  a   ", "at least 2 characters"),
        ("x" * 51, "at most 50 characters; this one has 51"),
        ("x" * 5000, "at most 50 characters; this one has 5000"),
        ("safety_first", "only letters, digits, spaces and hyphens"),
        ("safety!", "only letters, digits, spaces and hyphens"),
        ("kin/ship", "only letters, digits, spaces and hyphens"),
        ('"quoted"', "only letters, digits, spaces and hyphens"),
        ("<script>alert(1)</script>", "only letters, digits, spaces and hyphens"),
        ("--", "at least one letter or digit"),
        ("safety\x00", "Null characters are not allowed."),
    ],
)
def test_names_breaking_the_rules_get_a_plain_message(typed, message):
    errors = form_errors(typed)
    assert errors and message in " ".join(errors)


def test_a_name_in_another_case_reuses_the_existing_theme(client, staffer, safety):
    statement = Statement.objects.get(document__organization__slug="maine-cfs", position=11)
    assert not statement.tags.filter(pk=safety.pk).exists()
    themes = Theme.objects.count()
    signed_in(client, staffer)
    response = add(client, statement, "  SAFETY ")
    assert response.status_code == 302
    assert Theme.objects.count() == themes  # no second "safety"
    assert statement.tags.filter(pk=safety.pk).exists()
    assert messages_of(response) == [
        f"Added the existing theme “Safety” to {statement.designation}."
    ]


def test_a_name_with_the_same_slug_reuses_the_existing_theme(client, staffer, kinship_statement):
    signed_in(client, staffer)
    themes = Theme.objects.count()
    add(client, kinship_statement, "well being")
    assert Theme.objects.count() == themes
    assert kinship_statement.tags.filter(slug="well-being").exists()


def test_adding_a_theme_twice_changes_nothing_and_says_so(
    client, staffer, kinship_statement, safety
):
    signed_in(client, staffer)
    rows = TaggedStatement.objects.count()
    response = add(client, kinship_statement, "safety")
    assert TaggedStatement.objects.count() == rows
    assert messages_of(response) == [
        f"{kinship_statement.designation} already has the theme “Safety”."
    ]


def test_a_new_name_creates_a_theme_with_an_ascii_slug(client, staffer, kinship_statement):
    signed_in(client, staffer)
    response = add(client, kinship_statement, "Bien-être  des jeunes")
    theme = Theme.objects.get(name="Bien-être des jeunes")
    assert theme.slug == "bien-etre-des-jeunes"
    assert not theme.curated
    assert kinship_statement.tags.filter(pk=theme.pk).exists()
    assert messages_of(response) == [
        f"Proposed the new theme “Bien-être des jeunes” and added it to "
        f"{kinship_statement.designation}. Readers see it once an editor approves it."
    ]
    assert theme.status == "proposed"
    assert client.get(theme.get_absolute_url()).status_code == 200


def test_only_people_allowed_to_create_themes_add_new_ones(
    client, chooser, kinship_statement, safety
):
    signed_in(client, chooser)
    themes = Theme.objects.count()
    response = add(client, kinship_statement, "Brand new idea")
    assert Theme.objects.count() == themes
    assert (
        "is not a theme yet, and your account may only use existing themes"
        in (messages_of(response)[0])
    )
    other = Statement.objects.get(document__organization__slug="maine-cfs", position=11)
    add(client, other, "safety")
    assert other.tags.filter(pk=safety.pk).exists()  # existing themes are fine


def test_a_refused_name_writes_nothing_and_names_the_problem(client, staffer, kinship_statement):
    signed_in(client, staffer)
    themes, rows = Theme.objects.count(), TaggedStatement.objects.count()
    response = add(
        client,
        kinship_statement,
        "x" * 51,
        next=f"{reverse('organizations:detail', kwargs={'slug': 'virginia'})}#statement-1",
    )
    assert (
        response["Location"]
        == reverse("organizations:detail", kwargs={"slug": "virginia"}) + "#statement-1"
    )
    assert (Theme.objects.count(), TaggedStatement.objects.count()) == (themes, rows)
    page = client.get(response["Location"]).content.decode()
    # once, beside the statement (not again atop the page)
    assert page.count("Theme not added. A theme name can have at most 50 characters") == 1


def test_the_message_shows_beside_the_statement(client, staffer, kinship_statement):
    signed_in(client, staffer)
    response = add(
        client,
        kinship_statement,
        "Resilience",
        next=reverse("organizations:detail", kwargs={"slug": "virginia"})
        + f"#statement-{kinship_statement.pk}",
    )
    html = client.get(response["Location"]).content.decode()
    start = html.index(f'id="statement-{kinship_statement.pk}"')
    article = html[start : html.index("</article>", start)]
    assert "tagging__feedback--success" in article
    assert "Proposed the new theme “Resilience”" in article
    # only beside this statement
    assert html.count("tagging__feedback--success") == 1


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "/\\evil.example"],
)
def test_the_way_back_never_leaves_the_site(client, staffer, kinship_statement, target):
    signed_in(client, staffer)
    response = add(client, kinship_statement, "Resilience", next=target)
    assert (
        response["Location"]
        == reverse("principles:statement", kwargs={"pk": kinship_statement.pk}) + "#themes"
    )


def test_hostile_text_is_shown_escaped_everywhere(client, staffer, kinship_statement):
    """Names cannot hold markup, but descriptions (admin) and old data might: all escaped."""
    hostile = '<script>alert("x")</script>'
    theme = Theme.objects.create(
        name="Hostile", slug="hostile", description=hostile, status="approved"
    )
    add_theme_to_statement(kinship_statement, "Hostile", user=staffer)
    # a name stored before the rules (straight in the database) is escaped too
    Theme.objects.filter(pk=theme.pk).update(name='Bad "<b>name</b>"')
    signed_in(client, staffer)
    for url in [
        reverse("principles:themes"),
        theme.get_absolute_url(),
        kinship_statement.get_absolute_url(),
        reverse("organizations:detail", kwargs={"slug": "virginia"}),
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>name</b>" not in html, url
    html = client.get(reverse("principles:themes")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    html = client.get(kinship_statement.get_absolute_url()).content.decode()
    assert "Bad &quot;&lt;b&gt;name&lt;/b&gt;&quot;" in html
    assert '<option value="Bad &quot;&lt;b&gt;name&lt;/b&gt;&quot;">' in html


def test_typed_hostile_text_is_refused_and_not_echoed(client, staffer, kinship_statement):
    signed_in(client, staffer)
    response = add(client, kinship_statement, '<img src=x onerror="alert(1)">')
    html = client.get(response["Location"]).content.decode()
    # kept in the field for the person to correct, as text: never as markup
    assert "<img src=x" not in html
    assert 'value="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"' in html
    assert "A theme name may contain only letters, digits, spaces and hyphens." in html


def test_the_admin_form_refuses_a_name_that_differs_only_in_case(safety):
    form = ThemeAdminForm({"name": "SAFETY", "slug": "safety-2", "description": ""})
    assert not form.is_valid()
    assert "There is already a theme “Safety”" in form.errors["name"][0]
    renamed = ThemeAdminForm(
        {"name": "Child  safety", "slug": "safety", "description": "x"}, instance=safety
    )
    assert renamed.is_valid(), renamed.errors
    assert renamed.cleaned_data["name"] == "Child safety"
    # renaming the theme to another case of its own name is fine
    assert ThemeAdminForm({"name": "SAFETY", "slug": "safety"}, instance=safety).is_valid()
