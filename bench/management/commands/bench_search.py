"""Time typical searches through the full request path and print p50/p95 per query.

The search itself is timed: the whole-page cache for readers (performance.pagecache), which
would answer every repeat from memory, is switched off unless --page-cache is given (then
the figures are warm: all but the first run of each search are cache hits).
"""

import os
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from organizations.models import Organization
from principles.models import Statement, Theme
from search import selectors
from search.backends import get_backend
from search.forms import SearchForm

WORDS = ["kinship", "families", "safety", "permanency", "trauma", "reunification", "siblings"]
PHRASES = ["kinship care", '"family engagement"', "youth voice", "protect children"]


def typical_searches():
    """Single words, several words, phrases, each filter, a deep page and a miss."""
    organization = (
        Organization.objects.filter(slug__startswith="corpus-").order_by("slug").first()
        or Organization.objects.order_by("slug").first()
    )
    theme = Theme.objects.filter(slug="kinship").first() or Theme.objects.order_by("slug").first()
    searches = [{"q": word} for word in WORDS] + [{"q": phrase} for phrase in PHRASES]
    if organization:
        searches.append({"q": "families", "org": organization.slug})
    searches.append({"q": "safety", "kind": "guiding_principle"})
    if theme:
        searches.append({"q": "permanency", "theme": theme.slug})
    if organization and theme:
        searches.append(
            {"q": "children", "org": organization.slug, "kind": "value", "theme": theme.slug}
        )
    # a deep page: the fifth, or the last if there are fewer
    pages = max(1, -(-count_results({"q": "children"}) // selectors.PER_PAGE))
    searches += [{"q": "children", "page": str(min(5, pages))}, {"q": "xylophone"}]
    return searches


def count_results(params):
    form = SearchForm(params)
    form.is_valid()
    return selectors.search(form.criteria(), form.page_number).total


def results_label(params):
    """The number of matches, or ">10000" for a broad search that was not counted in full."""
    form = SearchForm(params)
    form.is_valid()
    results = selectors.search(form.criteria(), form.page_number)
    return f">{results.count_limit}" if results.capped else str(results.total)


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Run typical searches against the current database through the whole request path "
        "(URL routing, middleware, view, queries, template) and print p50/p95 per query."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="Timed runs of each search.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed runs first.")
        parser.add_argument("--host", default="", help="Host header (default: an allowed one).")
        parser.add_argument(
            "--page-cache",
            action="store_true",
            help="Keep the readers' page cache on (warm figures); by default it is off.",
        )

    def handle(self, *args, **options):
        if options["repeat"] < 1:
            raise CommandError("--repeat must be at least 1.")
        cached = options["page_cache"] and getattr(settings, "PRACTICEKB_PAGE_CACHE", False)
        # one client asks hundreds of times a minute: the per-client search limit would
        # answer most of them 429 in a millisecond
        with override_settings(PRACTICEKB_PAGE_CACHE=cached, RATELIMIT_ENABLE=False):
            self.run(options, cached)

    def run(self, options, cached):
        host = options["host"] or next(
            (h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost"
        )
        client = Client(HTTP_HOST=host)
        searches = typical_searches()
        self.stdout.write(
            f"Backend {get_backend().name} on {connection.vendor}; "
            f"{Statement.objects.count()} statements "
            f"({Statement.objects.published().count()} published), "
            f"{Organization.objects.count()} organizations; "
            f"{options['repeat']} timed runs of each of {len(searches)} searches; "
            f"page cache {'on (warm)' if cached else 'off'}."
        )
        info = {}
        for index, params in enumerate(searches):
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/search/", params, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{params} answered {response.status_code}.")
            info[index] = (results_label(params), len(queries))
            for _ in range(options["warmup"] - 1):
                client.get("/search/", params, secure=True)
        timings = {index: [] for index in range(len(searches))}
        # this process's CPU time: unlike wall-clock time, it barely grows when other work
        # competes for the cores (the database's own time is in the wall-clock figures only)
        cpu = {index: [] for index in range(len(searches))}
        for _ in range(options["repeat"]):
            for index, params in enumerate(searches):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get("/search/", params, secure=True)
                timings[index].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{params} answered {response.status_code}.")
                cpu[index].append((time.process_time() - cpu_started) * 1000)
                reset_queries()
        header = (
            f"{'search':<58} {'results':>8} {'SQL':>4} {'p50 ms':>7} {'p95 ms':>7} {'max':>7} "
            f"{'cpu p50':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for index, params in enumerate(searches):
            samples = timings[index]
            label = "&".join(f"{key}={value}" for key, value in params.items())
            total, query_count = info[index]
            self.stdout.write(
                f"{label[:58]:<58} {total:>8} {query_count:>4} "
                f"{statistics.median(samples):>7.1f} {percentile(samples, 0.95):>7.1f} "
                f"{max(samples):>7.1f} {statistics.median(cpu[index]):>7.1f}"
            )
        every = [sample for samples in timings.values() for sample in samples]
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"{'all searches':<58} {'':>8} {'':>4} {statistics.median(every):>7.1f} "
            f"{percentile(every, 0.95):>7.1f} {max(every):>7.1f} "
            f"{statistics.median([s for samples in cpu.values() for s in samples]):>7.1f}"
        )
        self.stdout.write(
            f"Load average now: {' '.join(f'{n:.2f}' for n in os.getloadavg())} "
            f"on {os.cpu_count()} cores (other work on the machine inflates the times)."
        )
