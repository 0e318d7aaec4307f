"""Time the API's list and detail endpoints at scale and print p50/p95 per endpoint.

Usage (PostgreSQL; 50,000 statements from 500 generated organizations):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicekb_bench \\
        python bench/scripts/api_p95.py --statements 50000

The corpus is generated first when the database holds fewer statements (search's
generate_corpus: 100 statements per organization). Every request goes through the whole
request path (URL routing, middleware, authentication, throttling, view, queries, JSON) in
this process, uncached: no If-None-Match is sent, so no 304 spares the work, and the API has
no page cache. Each endpoint runs --warmup untimed times, then --repeat timed times; the
figures are wall-clock milliseconds. The SQL column is the number of queries one request runs.
Exit status 1 when any p95 is above --budget milliseconds.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.dev")


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def endpoints():
    from django.urls import reverse

    from compare.models import StatementSimilarity
    from principles.models import Document, Statement

    organization = Document.objects.in_force().order_by("-pk").first().organization
    document = Document.objects.in_force().filter(organization=organization).first()
    statement = Statement.objects.in_force().order_by("-pk").first()
    similar = StatementSimilarity.objects.published().order_by("-pk").first()
    first = {"page_size": 50}
    listing = reverse("api:statements")
    # a cursor deep into the table: the 40,000th statement onwards
    deep = Statement.objects.in_force().order_by("pk").values_list("pk", flat=True)[40_000:40_001]
    items = [
        ("organizations", reverse("api:organizations"), {}),
        ("organization", reverse("api:organization", args=[organization.slug]), {}),
        ("documents", reverse("api:documents"), {}),
        (
            "document (with statements)",
            reverse("api:document", args=[organization.slug, document.slug]),
            {},
        ),
        ("sections", reverse("api:sections"), {}),
        ("statements", listing, first),
        ("statements page_size=200", listing, {"page_size": 200}),
        ("statements ?organization", listing, {"organization": organization.slug}),
        ("statements ?kind", listing, {"kind": "value"}),
        ("statements ?theme", listing, {"theme": "kinship"}),
        ("statement", reverse("api:statement", args=[statement.pk]), {}),
        ("themes", reverse("api:themes"), {}),
        ("theme", reverse("api:theme", args=["kinship"]), {}),
    ]
    if deep:
        from base64 import b64encode
        from urllib.parse import quote

        cursor = quote(b64encode(f"p={deep[0] - 1}".encode()).decode())
        items.append(("statements, deep cursor", f"{listing}?cursor={cursor}", {}))
    if similar:
        items.append(("similar", reverse("api:statement-similar", args=[similar.statement_id]), {}))
    return items


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--budget", type=float, default=50.0, help="p95 budget, ms.")
    options = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    from principles.models import Statement

    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL: set DATABASE_URL=postgres://...")
    have = Statement.objects.count()
    if have < options.statements:
        organizations = -(-(options.statements - have) // 100)
        print(f"Generating {organizations} organizations of 100 statements...", flush=True)
        call_command(
            "generate_corpus", organizations=organizations, statements_per_organization=100
        )
    # fresh planner statistics, as autovacuum keeps them on a live site: right after a bulk
    # load PostgreSQL would otherwise plan with stale row counts
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    settings.RATELIMIT_ENABLE = False  # timing the work, not the throttle's refusals
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
    client = Client(HTTP_HOST=host)
    print(
        f"PostgreSQL; {Statement.objects.count()} statements "
        f"({Statement.objects.in_force().count()} in force); "
        f"{options.repeat} timed runs of each endpoint after {options.warmup} untimed."
    )
    header = (
        f"{'endpoint':<32} {'status':>6} {'SQL':>4} {'p50 ms':>7} {'p95 ms':>7} {'max':>7} "
        f"{'cpu p95':>7}"
    )
    print(header)
    print("-" * len(header))
    worst = 0.0
    for name, url, params in endpoints():
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url, params, secure=True)
        for _ in range(options.warmup):
            client.get(url, params, secure=True)
        # this process's CPU time too: unlike wall-clock time it barely grows when other work
        # competes for the cores (the database's own time is in the wall-clock figures only)
        samples, cpu = [], []
        for _ in range(options.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url, params, secure=True)
            samples.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            reset_queries()
        p95 = percentile(samples, 0.95)
        worst = max(worst, p95)
        print(
            f"{name[:32]:<32} {response.status_code:>6} {len(executed):>4} "
            f"{statistics.median(samples):>7.1f} {p95:>7.1f} {max(samples):>7.1f} "
            f"{percentile(cpu, 0.95):>7.1f}",
            flush=True,
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Worst p95: {worst:.1f} ms (budget {options.budget:.0f} ms); "
        f"load average {load:.1f} on {os.cpu_count()} cores."
    )
    return 0 if worst <= options.budget else 1


if __name__ == "__main__":
    sys.exit(main())
