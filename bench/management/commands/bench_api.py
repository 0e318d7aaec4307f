"""Time the API's list and detail endpoints through the full request path; print p50/p95.

Every request goes through URL routing, middleware, authentication, throttling, the view,
its queries and the JSON rendering, in this process, as an anonymous reader, uncached: no
If-None-Match is sent (so no 304 spares the work) and the API has no page cache. The theme
counts that the API keeps per content version (api.caching.theme_counts) stay kept, as on a
live site between two edits; --no-cache runs with a dummy cache instead, so every request
pays what the first one after an edit pays. It reads only: run it on a filled database
(`generate_corpus`, then ANALYZE) such as practicekb_bench.
"""

import gc
import os
import statistics
import time
from base64 import b64encode
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from compare.models import StatementSimilarity
from principles.models import Document, Section, Statement, Theme

from .bench_search import percentile

NO_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "pages-local": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def cursor_after(pk):
    """A `cursor` value as the API's id-ordered pagination writes it: the rows after `pk`."""
    return b64encode(urlencode({"p": pk}).encode()).decode()


def endpoints():
    """(name, address) of each list and detail endpoint, on rows of the current database:
    the newest organization's document, statement and section, a deep cursor."""
    document = Document.objects.in_force().select_related("organization").order_by("-pk").first()
    if document is None:
        raise CommandError("There is no document in force: load some content first.")
    organization = document.organization
    statement = Statement.objects.in_force().order_by("-pk").first()
    section = Section.objects.filter(document=document).order_by("pk").first()
    theme = Theme.objects.filter(slug="kinship").first() or Theme.objects.order_by("slug").first()
    statements = reverse("api:statements")
    items = [
        ("organizations", reverse("api:organizations")),
        ("organization", reverse("api:organization", args=[organization.slug])),
        ("documents", reverse("api:documents")),
        (
            "document (with statements)",
            reverse("api:document", args=[organization.slug, document.slug]),
        ),
        ("sections", reverse("api:sections")),
        ("statements", statements),
        ("statements page_size=200", f"{statements}?page_size=200"),
        ("statements ?organization", f"{statements}?organization={organization.slug}"),
        ("statements ?kind", f"{statements}?kind=value"),
        ("statement", reverse("api:statement", args=[statement.pk])),
        ("themes", reverse("api:themes")),
    ]
    if section:
        items.insert(5, ("section", reverse("api:section", args=[section.pk])))
    if theme:
        items += [
            ("statements ?theme", f"{statements}?theme={theme.slug}"),
            ("theme", reverse("api:theme", args=[theme.slug])),
        ]
    # a cursor deep into the table: from the 80% point of the statements in force onwards
    in_force = Statement.objects.in_force().order_by("pk").values_list("pk", flat=True)
    deep = in_force[in_force.count() * 4 // 5 : in_force.count() * 4 // 5 + 1]
    if deep:
        cursor = urlencode({"cursor": cursor_after(deep[0])})
        items.append(("statements, deep cursor", f"{statements}?{cursor}"))
    similar = StatementSimilarity.objects.published().order_by("-pk").first()
    if similar:
        items.append(("similar", reverse("api:statement-similar", args=[similar.statement_id])))
    return items


class Command(BaseCommand):
    help = (
        "Time the API's list and detail endpoints against the current database through the "
        "whole request path, uncached (no If-None-Match), and print p50/p95 and queries each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed runs of each endpoint.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed runs first.")
        parser.add_argument("--host", default="", help="Host header (default: an allowed one).")
        parser.add_argument(
            "--only", action="append", default=[], help="Endpoints whose name contains this."
        )
        parser.add_argument(
            "--no-cache",
            action="store_true",
            help="Keep nothing between requests (a dummy cache): the theme counts are read "
            "by every request, as by the first one after a content change.",
        )
        parser.add_argument(
            "--budget",
            type=float,
            default=None,
            help="Fail (exit status 1) when any endpoint's p95 is above this many ms.",
        )

    def handle(self, *args, **options):
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        overrides = {"RATELIMIT_ENABLE": False}  # one client, many requests: no 429s
        if options["no_cache"]:
            overrides["CACHES"] = NO_CACHE
        with override_settings(**overrides):
            worst = self.run(options)
        if options["budget"] is not None and worst > options["budget"]:
            raise CommandError(f"The worst p95, {worst:.1f} ms, is above {options['budget']} ms.")

    def run(self, options):
        host = options["host"] or next(
            (h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost"
        )
        client = Client(HTTP_HOST=host)
        items = [
            (name, url)
            for name, url in endpoints()
            if not options["only"] or any(part in name for part in options["only"])
        ]
        self.stdout.write(
            f"{connection.vendor}; {Statement.objects.count()} statements "
            f"({Statement.objects.in_force().count()} in force); {options['repeat']} timed "
            f"runs of each of {len(items)} endpoints after {options['warmup']} untimed; "
            f"no If-None-Match; cache {'off (dummy)' if options['no_cache'] else 'as configured'}."
        )
        self.stdout.write(
            f"Load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())} "
            f"on {os.cpu_count()} cores."
        )
        header = (
            f"{'endpoint':<30} {'status':>6} {'SQL':>4} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'max':>7} {'cpu p50':>7} {'KB':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        worst, every = 0.0, []
        for name, url in items:
            queries = []

            def count(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            # counted as executed (the request's own start resets Django's query log)
            with connection.execute_wrapper(count):
                response = client.get(url, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}.")
            for _ in range(options["warmup"] - 1):
                client.get(url, secure=True)
            # what loading made stays out of the collector's reach, as gunicorn.conf.py's
            # post_worker_init does in a server's workers
            gc.freeze()
            # this process's CPU time too: unlike wall-clock time it barely grows when other
            # work competes for the cores (the database's own time is in wall-clock only)
            samples, cpu = [], []
            for _ in range(options["repeat"]):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(url, secure=True)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}.")
                cpu.append((time.process_time() - cpu_started) * 1000)
                reset_queries()
            p95 = percentile(samples, 0.95)
            worst = max(worst, p95)
            every += samples
            self.stdout.write(
                f"{name[:30]:<30} {response.status_code:>6} {len(queries):>4} "
                f"{statistics.median(samples):>7.1f} {p95:>7.1f} {max(samples):>7.1f} "
                f"{statistics.median(cpu):>7.1f} {len(response.content) / 1024:>6.0f}"
            )
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'all endpoints':<30} {'':>6} {'':>4} {statistics.median(every):>7.1f} "
            f"{percentile(every, 0.95):>7.1f} {max(every):>7.1f}"
        )
        self.stdout.write(
            f"Worst p95 {worst:.1f} ms. Load average after: "
            f"{' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} cores "
            "(other work on the machine inflates the times)."
        )
        return worst
