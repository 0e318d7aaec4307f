"""Stemming, ranking and the index the database keeps in sync, per backend."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from principles.models import Statement, TaggedStatement, Theme
from search import backends, schema
from search.backends import Criteria, PostgresBackend, SqliteFtsBackend, get_backend
from search.expansion import expand
from search.query import parse

from .conftest import search_url

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)
stemming_backends = pytest.mark.skipif(
    not isinstance(get_backend(), backends.PostgresBackend | SqliteFtsBackend),
    reason="needs PostgreSQL or SQLite with FTS5 (the porter stemmer)",
)


def ids_for(client, q, **params):
    response = client.get(search_url(q=q, **params))
    return [statement.pk for statement in response.context["results"].results]


def test_the_backend_follows_the_database():
    expected = {"postgresql": "postgresql", "sqlite": "sqlite-fts5"}[connection.vendor]
    assert get_backend().name == expected


@stemming_backends
def test_families_finds_family_and_the_reverse(client):
    singular = Statement.objects.published().get(text__startswith="Valuing a family's expertise")
    plural = Statement.objects.published().get(text__startswith="All families have both risk")
    assert "families" not in singular.text.lower() and "family" not in plural.text.lower()
    assert singular.pk in ids_for(client, "families", org="vermont-fsd")
    assert plural.pk in ids_for(client, "family", org="vermont-fsd")


@stemming_backends
@pytest.mark.parametrize(
    ("typed", "stored"),
    [("protecting", "protect"), ("engaged", "engage"), ("placements", "placement")],
)
def test_other_word_forms_match(client, typed, stored):
    found = Statement.objects.filter(pk__in=ids_for(client, typed))
    assert any(stored in statement.text.lower() for statement in found)


@stemming_backends
def test_highlighting_marks_the_stemmed_variants(client):
    response = client.get(search_url(q="families", org="vermont-fsd"))
    html = response.content.decode()
    assert "<mark>family</mark>" in html or "<mark>Family</mark>" in html
    assert "<mark>families</mark>" in html


@stemming_backends
def test_kinship_care_ranks_the_kinship_care_principle_first(client):
    ids = ids_for(client, "kinship care")
    first = Statement.objects.get(pk=ids[0])
    assert "kinship care" in first.text
    # "kinship care" names the Kinship theme: the statements saying kinship come first, then
    # those in its words (relatives, extended family...) or tagged with it
    texts = {s.pk: s.text.lower() for s in Statement.objects.filter(pk__in=ids)}
    saying = [pk for pk in ids if "kinship" in texts[pk]]
    assert all(pk in saying for pk in ids[:4]) and len(saying) < len(ids)


@stemming_backends
def test_statements_using_a_word_more_rank_above_passing_mentions(client, virginia):
    document = virginia.documents.get()
    passing = Statement.objects.create(
        document=document,
        position=901,
        kind="narrative",
        text="Our agency publishes an annual report, a budget, a staffing plan and, among "
        "many other documents about operations and facilities, one note on wombats.",
    )
    focused = Statement.objects.create(
        document=document, position=902, kind="value", text="Wombats need wombat care."
    )
    assert ids_for(client, "wombat") == [focused.pk, passing.pk]


@postgres_only
def test_kinship_principles_rank_first_for_kinship_on_postgres(client):
    # "kinship" names the Kinship theme: the statements saying it come first
    ids = ids_for(client, "kinship")
    statements = Statement.objects.in_bulk(ids)
    saying = [pk for pk in ids if "kinship" in statements[pk].text.lower()]
    assert ids[: len(saying)] == saying and saying


@postgres_only
def test_postgres_uses_the_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT statement_id FROM search_entry "
            "WHERE vector @@ websearch_to_tsquery('english', 'kinship')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    # one GIN index holds the text vector and the filter tokens (search.schema, version 2)
    assert "search_entry_match_idx" in plan


def test_the_index_follows_edits_status_changes_and_deletes(client, virginia):
    document = virginia.documents.get()
    statement = Statement.objects.create(
        document=document, position=903, kind="value", text="Axolotl welfare."
    )
    assert ids_for(client, "axolotl") == [statement.pk]
    statement.text = "Platypus welfare."
    statement.save()
    assert ids_for(client, "axolotl") == []
    assert ids_for(client, "platypus") == [statement.pk]
    document.status = "retired"
    document.save()
    assert ids_for(client, "platypus") == []
    document.status = "published"
    document.save()
    assert ids_for(client, "platypus") == [statement.pk]
    statement.delete()
    assert ids_for(client, "platypus") == []


def test_a_statement_moved_to_another_organization_moves_in_the_facets(client, virginia, maine):
    statement = Statement.objects.create(
        document=virginia.documents.get(), position=904, kind="value", text="Narwhal rights."
    )
    statement.document = maine.documents.get()
    statement.position = 904
    statement.save()
    results = client.get(search_url(q="narwhal")).context["results"]
    assert [v.value for v in results.organizations.values] == ["maine-cfs"]


def test_theme_counts_and_filter_follow_tagging_changes(client, virginia, kinship_theme):
    other, _ = Theme.objects.get_or_create(
        slug="search-test-other", defaults={"name": "Other", "status": "approved"}
    )
    statement = Statement.objects.create(
        document=virginia.documents.get(), position=905, kind="value", text="Pangolin care."
    )

    def themes():
        results = client.get(search_url(q="pangolin")).context["results"]
        return {value.value: value.count for value in results.themes.values}

    assert themes() == {}
    tagging = TaggedStatement.objects.create(content_object=statement, tag=kinship_theme)
    assert themes() == {kinship_theme.slug: 1}
    assert ids_for(client, "pangolin", theme=kinship_theme.slug) == [statement.pk]
    tagging.tag = other
    tagging.save()
    assert themes() == {other.slug: 1}
    # no statement carries it any more: readers no longer see the theme, even as a filter
    assert client.get(search_url(q="pangolin", theme=kinship_theme.slug)).status_code == 400
    TaggedStatement.objects.filter(content_object=statement).delete()
    assert themes() == {}


@pytest.mark.skipif(not isinstance(get_backend(), SqliteFtsBackend), reason="SQLite FTS5 triggers")
def test_triggers_dropped_by_a_table_rebuild_come_back_after_migrate(client, virginia):
    # Django rebuilds a SQLite table to alter it, which drops the table's triggers.
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_statement_fts_insert")
    statement = Statement.objects.create(
        document=virginia.documents.get(), position=906, kind="value", text="Quetzal care."
    )
    assert ids_for(client, "quetzal") == []
    schema.repair_after_migrate(using="default")
    assert ids_for(client, "quetzal") == [statement.pk]
    Statement.objects.create(
        document=virginia.documents.get(), position=907, kind="value", text="Quetzal homes."
    )
    assert len(ids_for(client, "quetzal")) == 2


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_a_sqlite_without_fts5_is_refused_in_plain_words(monkeypatch):
    monkeypatch.setattr("search.backends.sqlite_has_fts5", lambda: False)
    with pytest.raises(ImproperlyConfigured, match="FTS5"):
        get_backend()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL ranks in SQL")
@pytest.mark.parametrize("q", ["kinship care", "families", "protect children", "youth voice"])
def test_ranking_only_the_rows_that_can_reach_the_page_gives_the_same_pages(q, monkeypatch):
    """The word rank is computed only for rows whose cheaper parts of the rank leave them a
    chance of reaching the page (PostgresBackend.search_sql): every page of five is the one
    that ranking every row gives."""
    parsed = parse(q)
    criteria = Criteria(query=parsed, concepts=expand(parsed).concepts)

    def pages():
        backend = PostgresBackend()
        return [backend.counts_and_page(criteria, start, 5)[1] for start in range(0, 20, 5)]

    pruned = pages()
    search_sql = PostgresBackend.search_sql

    def every_row(self, populations):
        sql = search_sql(self, populations)
        assert "WHERE cheap >" in sql  # the pruning this test switches off
        return sql.replace("WHERE cheap >", "WHERE true OR cheap >")

    monkeypatch.setattr(PostgresBackend, "search_sql", every_row)
    assert pruned == pages() and pruned[0]
