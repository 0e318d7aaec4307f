"""A bounded abuse run: can anonymous clients slow the site down for everyone?

`make abuse` runs this with production settings. It collects the static files and starts
the shipped deployment (operations/deployment.py: nginx with deploy/nginx/practicekb.conf in
front of gunicorn with gunicorn.conf.py) and a task worker (`manage.py db_worker`, which
prepares readers' PDFs, as in production). It waits until each PDF has been prepared once,
then, every client on its own loopback address as distinct people on the internet would be:

1. quiet: a probe times / and /healthz one after the other for --quiet seconds;
2. abuse: for --seconds, --pdf-clients clients ask for sheet PDFs (each organization's and
   a five-organization comparison) as fast as they can, while --param-clients clients ask
   for cached pages with random query parameters, and the probe keeps timing.

The abusers run in processes of their own, so that they never hold the probe's interpreter,
and at the lowest CPU priority, as their work would be on their own machines.
It prints the probe's p50/p95 quiet and under abuse (the target: p95 under 3x quiet), what
the abusers got (200, 301, 429, 503...), and, with Redis (CACHE_URL), the cache's keys and
bytes before and after. Nothing is written to the database; the run ends by itself.
"""

import contextlib
import http.client
import multiprocessing
import os
import random
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from operations import deployment
from organizations.models import Organization

PAGES = ["/", "/organizations/", "/themes/", "/organizations/virginia/", "/search/?q=kinship"]
PROBE_ADDRESS = "127.0.0.2"

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE  # the run's own certificate, made a moment ago


class Client:
    """One visitor: a kept-alive HTTPS connection to nginx from its own loopback address."""

    def __init__(self, port, address):
        self.port, self.address, self.connection = port, address, None

    def get(self, path, timeout=60):
        """(status, seconds) of one GET; the body is read in full."""
        start = time.monotonic()
        for attempt in range(2):  # a kept-alive connection the server closed is opened again
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    "localhost", self.port, context=TLS, timeout=timeout,
                    source_address=(self.address, 0),
                )  # fmt: skip
            try:
                self.connection.request("GET", path, headers={"Host": "localhost"})
                response = self.connection.getresponse()
                response.read()
                if response.will_close:
                    self.close()
                return response.status, time.monotonic() - start
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt:
                    return "error", time.monotonic() - start
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pdf_client(client, pdfs):
    return client.get(random.choice(pdfs))[0]  # noqa: S311 - not security


def param_client(client, _pdfs):
    page = random.choice(PAGES)  # noqa: S311
    joiner = "&" if "?" in page else "?"
    return client.get(f"{page}{joiner}utm={random.randrange(10**9)}")[0]  # noqa: S311


def abusers(kind, port, addresses, pdfs, seconds, results):
    """A process of abusing clients (threads), one per address, for `seconds`."""
    # On the internet an abuser's own work runs on its own machine; here it shares the
    # site's cores, so it yields them to the site and the probe.
    os.nice(19)
    act = {"pdf": pdf_client, "params": param_client}[kind]
    counts, lock = Counter(), threading.Lock()
    deadline = time.monotonic() + seconds

    def run(address):
        client = Client(port, address)
        while time.monotonic() < deadline:
            status = act(client, pdfs)
            with lock:
                counts[status] += 1
        client.close()

    threads = [threading.Thread(target=run, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((kind, dict(counts)))


class Command(BaseCommand):
    help = "Abuse run: PDF and random-parameter clients against gunicorn, / and /healthz timed."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=30, help="Abuse phase (30 s).")
        parser.add_argument("--quiet", type=int, default=10, help="Quiet phase (10 s).")
        parser.add_argument("--pdf-clients", type=int, default=6)
        parser.add_argument("--param-clients", type=int, default=20)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3).")

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError("Run with production settings (make abuse).")
        if not deployment.available():
            raise CommandError("The abuse run needs nginx and openssl (apt-get install nginx).")
        slugs = list(Organization.objects.order_by("slug").values_list("slug", flat=True)[:5])
        if len(slugs) < 2:
            raise CommandError("Load the organizations first (manage.py load_organizations).")
        call_command("collectstatic", "--noinput", verbosity=0)
        comparison = "/compare/sheet.pdf?" + "&".join(f"org={slug}" for slug in slugs)
        pdfs = [f"/organizations/{slug}/sheet.pdf" for slug in slugs] + [comparison]
        with self.stack(options) as port:
            probe = Client(port, PROBE_ADDRESS)
            for path in PAGES:  # warm: imports and templates, not the abuse itself
                probe.get(path)
            self.prepare(probe, pdfs)
            cache_before = self.cache_usage()
            quiet = self.probe(probe, options["quiet"])
            outcome = self.abuse(port, probe, pdfs, options)
            cache_after = self.cache_usage()
        self.report(quiet, outcome, cache_before, cache_after, options)

    @contextlib.contextmanager
    def stack(self, options):
        env = {**os.environ, "STATIC_ROOT": str(settings.STATIC_ROOT), "TRUSTED_PROXIES": "1"}
        # the task worker prepares readers' PDFs (docs/tasks.md), as in production
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            with (
                tempfile.TemporaryDirectory(prefix="practicekb-abuse-") as work,
                deployment.shipped_stack(work, env, workers=options["workers"]) as port,
            ):
                yield port
        finally:
            worker.terminate()
            worker.wait(timeout=90)

    def prepare(self, client, pdfs, seconds=300):
        """Ask for each PDF until the worker has prepared it (202 until then)."""
        deadline = time.monotonic() + seconds
        waiting = list(pdfs)
        while waiting and time.monotonic() < deadline:
            waiting = [path for path in waiting if client.get(path)[0] != 200]
            if waiting:
                time.sleep(1)
        if waiting:
            raise CommandError(f"The worker did not prepare {', '.join(waiting)} in {seconds} s.")

    def probe(self, client, seconds):
        """Time / and /healthz in turn for `seconds`, at a pace (8 requests a second) that
        stays within nginx's per-address limit, as a person or a monitor would."""
        times = {"/": [], "/healthz": []}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for path in times:
                status, took = client.get(path)
                if status == 200:
                    times[path].append(took)
            time.sleep(0.25)
        return times

    def abuse(self, port, probe, pdfs, options):
        # each abusing client is a person of its own: 127.0.1.x, 127.0.2.x
        groups = {
            "pdf": [f"127.0.1.{n + 1}" for n in range(options["pdf_clients"])],
            "params": [f"127.0.2.{n + 1}" for n in range(options["param_clients"])],
        }
        connections.close_all()  # a forked child must not share the parent's sockets
        fork = multiprocessing.get_context("fork")
        results = fork.Queue()
        processes = [
            fork.Process(
                target=abusers, args=(kind, port, addresses, pdfs, options["seconds"], results)
            )
            for kind, addresses in groups.items()
        ]
        for process in processes:
            process.start()
        loaded = self.probe(probe, options["seconds"])
        statuses = dict(results.get(timeout=120) for _ in processes)
        for process in processes:
            process.join(timeout=30)
        return {"probe": loaded, "statuses": statuses}

    def cache_usage(self):
        """(keys, bytes) in the Redis database of CACHE_URL, or None for in-memory caches
        (bounded by CACHE_MAX_BYTES by construction: operations/cache.py)."""
        url = settings.CACHES["default"].get("LOCATION")
        if "Redis" not in settings.CACHES["default"]["BACKEND"]:
            return None
        import redis

        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(count=1000))
        used = sum(client.memory_usage(key) or 0 for key in keys)
        return len(keys), used

    def report(self, quiet, outcome, cache_before, cache_after, options):
        write = self.stdout.write
        write(
            f"Abuse run: {options['pdf_clients']} PDF clients + {options['param_clients']} "
            f"random-parameter clients for {options['seconds']} s; gunicorn "
            f"{options['workers']} workers behind nginx; cache "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}."
        )
        write(f"{'probe':<10}{'quiet p50':>11}{'quiet p95':>11}{'abuse p50':>11}"
              f"{'abuse p95':>11}{'ratio':>8}{'n':>6}")  # fmt: skip
        for path, times in quiet.items():
            loaded = outcome["probe"][path]
            q95, l95 = percentile(times, 0.95), percentile(loaded, 0.95)
            write(
                f"{path:<10}{statistics.median(times) * 1000:>9.1f}ms{q95 * 1000:>9.1f}ms"
                f"{statistics.median(loaded) * 1000:>9.1f}ms{l95 * 1000:>9.1f}ms"
                f"{l95 / q95:>7.1f}x{len(loaded):>6}"
            )
        for kind, counts in outcome["statuses"].items():
            shown = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str))
            write(f"{kind} clients got {shown}")
        if cache_before is None:
            write(
                f"cache: in each process's memory, capped at {settings.CACHE_MAX_BYTES:,} bytes "
                "(operations.cache.ByteBoundedLocMemCache)"
            )
        else:
            write(
                f"cache (Redis): {cache_before[0]} keys, {cache_before[1]:,} bytes before; "
                f"{cache_after[0]} keys, {cache_after[1]:,} bytes after"
            )
