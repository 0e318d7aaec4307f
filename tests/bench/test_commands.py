"""generate_corpus builds searchable, realistic data; bench_search times the real view."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench.corpus import SLUG_PREFIX
from organizations.models import Organization
from principles.models import Statement, TaggedStatement
from tests.search.conftest import search_url

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_corpus", *args, stdout=out)
    return out.getvalue()


def corpus_statements():
    return Statement.objects.filter(document__organization__slug__startswith=SLUG_PREFIX)


def test_generates_organizations_documents_sections_statements_and_themes():
    output = generate("--organizations", "3", "--statements-per-organization", "40")
    assert "Created 3 organization(s)" in output
    organizations = Organization.objects.filter(slug__startswith=SLUG_PREFIX)
    assert sorted(organizations.values_list("slug", flat=True)) == [
        "corpus-00000",
        "corpus-00001",
        "corpus-00002",
    ]
    assert corpus_statements().count() == 120
    first = organizations.get(slug="corpus-00000")
    # every tenth organization also keeps a retired earlier model
    assert set(first.documents.values_list("status", flat=True)) == {"published", "retired"}
    assert corpus_statements().filter(kind="mission").count() == 4  # one per document
    assert corpus_statements().exclude(section=None).count() > 100
    tagged = TaggedStatement.objects.filter(content_object__in=corpus_statements())
    assert tagged.values("content_object").distinct().count() == 120
    kinship = corpus_statements().filter(text__icontains="kinship").first()
    assert kinship.tags.filter(name="Kinship").exists()


def test_sentences_read_like_practice_models():
    generate("--organizations", "1", "--statements-per-organization", "30")
    for statement in corpus_statements():
        assert re.fullmatch(r"[A-Z][^.]*\.( [A-Z][^.]*\.)*", statement.text), statement.text


def test_is_idempotent_and_reproducible():
    generate("--organizations", "2", "--statements-per-organization", "10", "--seed", "7")
    texts = list(
        corpus_statements()
        .order_by("document__organization__slug", "document__slug", "position")
        .values_list("text", flat=True)
    )
    output = generate("--organizations", "2", "--statements-per-organization", "10", "--seed", "7")
    assert "Kept 2 corpus organization(s)" in output and "Created 0 organization(s)" in output
    assert corpus_statements().count() == 20
    output = generate(
        "--organizations", "2", "--statements-per-organization", "10", "--seed", "7", "--clear"
    )
    assert "Deleted 2 corpus organization(s)" in output
    again = list(
        corpus_statements()
        .order_by("document__organization__slug", "document__slug", "position")
        .values_list("text", flat=True)
    )
    assert again == texts


def test_clear_leaves_the_seed_organizations_alone(virginia):
    before = Statement.objects.count()
    generate("--organizations", "2", "--statements-per-organization", "10")
    generate("--organizations", "1", "--statements-per-organization", "10", "--clear")
    assert Statement.objects.count() == before + 10
    assert Organization.objects.filter(slug="virginia").exists()


def test_dry_run_writes_nothing():
    output = generate("--organizations", "4", "--statements-per-organization", "10", "--dry-run")
    assert "Would create 4 organization(s)" in output
    assert not Organization.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def test_refuses_nonsense_sizes():
    with pytest.raises(CommandError):
        generate("--organizations", "0")
    with pytest.raises(CommandError):
        generate("--statements-per-organization", "1")


def test_the_corpus_is_searchable_and_retired_models_are_not(client):
    generate("--organizations", "1", "--statements-per-organization", "60")
    retired = corpus_statements().filter(document__status="retired")
    assert retired.exists()
    results = client.get(search_url(q="families", org="corpus-00000")).context["results"]
    published = corpus_statements().filter(document__status="published")
    assert results.total == published.filter(text__icontains="famil").count() > 0
    ids = [statement.pk for statement in results.results]
    assert not retired.filter(pk__in=ids).exists()


def test_bench_search_prints_percentiles_for_typical_searches():
    generate("--organizations", "2", "--statements-per-organization", "20")
    out = StringIO()
    call_command("bench_search", "--repeat", "2", "--warmup", "1", stdout=out)
    report = out.getvalue()
    assert "p50 ms" in report and "p95 ms" in report
    assert re.search(r"q=kinship\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+", report)
    assert "q=families&org=corpus-00000" in report
    assert re.search(r"all searches\s+[\d.]+\s+[\d.]+", report)


def test_bench_api_prints_percentiles_and_queries_for_each_endpoint():
    generate("--organizations", "2", "--statements-per-organization", "20")
    out = StringIO()
    call_command("bench_api", "--repeat", "2", "--warmup", "1", stdout=out)
    report = out.getvalue()
    assert "p50 ms" in report and "p95 ms" in report
    # name, status, queries, p50, p95: every endpoint answered 200 with a few queries
    for name in ("organizations", "document (with statements)", "statements ?theme", "theme"):
        assert re.search(rf"{re.escape(name)}\s+200\s+[1-9]\d?\s+[\d.]+\s+[\d.]+", report), name
    assert re.search(r"all endpoints\s+[\d.]+\s+[\d.]+", report)


def test_bench_api_reads_every_time_without_the_cache_and_fails_over_budget():
    out = StringIO()
    call_command(
        "bench_api", "--repeat", "1", "--warmup", "1", "--no-cache", "--only", "themes", stdout=out
    )
    assert "cache off (dummy)" in out.getvalue()
    # themes: the version, the counts and the themes, since nothing is kept
    assert re.search(r"themes\s+200\s+3\s", out.getvalue())
    with pytest.raises(CommandError, match=r"above 0\.0 ms"):
        call_command(
            "bench_api",
            "--repeat",
            "1",
            "--only",
            "organization",
            "--budget",
            "0",
            stdout=StringIO(),
        )
