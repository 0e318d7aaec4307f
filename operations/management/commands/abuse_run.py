"""A bounded abuse run: can anonymous clients slow the site down for everyone?

`make abuse` runs this with production settings. It collects the static files, starts
gunicorn (gunicorn.conf.py) on a loopback port, and:

1. quiet: times / and /healthz one after the other for --quiet seconds;
2. abuse: for --seconds, --pdf-clients clients ask for sheet PDFs (each organization's and
   a five-organization comparison) as fast as they can, while --param-clients clients ask
   for cached pages with random query parameters, and a probe keeps timing / and /healthz.

It prints the probe's p50/p95 quiet and under abuse (the target: p95 under 3x quiet), what
the abusers got (200, 302, 429, 503...), and, with Redis (CACHE_URL), the cache's keys and
bytes before and after. Nothing is written to the database; the run ends by itself.
"""

import contextlib
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from organizations.models import Organization

PAGES = ["/", "/organizations/", "/tags/", "/organizations/virginia/", "/search/?q=kinship"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url, timeout=60):
    """(status, seconds) of one GET; the body is read in full."""
    start = time.monotonic()
    try:
        with OPENER.open(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except OSError:
        status = "error"
    return status, time.monotonic() - start


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Abuse run: PDF and random-parameter clients against gunicorn, / and /healthz timed."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=30, help="Abuse phase (30 s).")
        parser.add_argument("--quiet", type=int, default=10, help="Quiet phase (10 s).")
        parser.add_argument("--pdf-clients", type=int, default=6)
        parser.add_argument("--param-clients", type=int, default=20)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (3).")
        parser.add_argument("--port", type=int, default=8199)

    def handle(self, *args, **options):
        if settings.DEBUG:
            raise CommandError("Run with production settings (make abuse).")
        slugs = list(Organization.objects.order_by("slug").values_list("slug", flat=True)[:5])
        if len(slugs) < 2:
            raise CommandError("Load the organizations first (manage.py load_organizations).")
        call_command("collectstatic", "--noinput", verbosity=0)
        base = f"http://127.0.0.1:{options['port']}"
        comparison = "/compare/sheet.pdf?" + "&".join(f"org={slug}" for slug in slugs)
        pdfs = [f"/organizations/{slug}/sheet.pdf" for slug in slugs] + [comparison]
        with self.gunicorn(options, base):
            for path in PAGES + pdfs:  # warm: imports and templates, not the abuse itself
                get(base + path)
            cache_before = self.cache_usage()
            quiet = self.probe(base, options["quiet"], threading.Event(), until=True)
            outcome = self.abuse(base, pdfs, options)
            cache_after = self.cache_usage()
        self.report(quiet, outcome, cache_before, cache_after, options)

    @contextlib.contextmanager
    def gunicorn(self, options, base):
        env = {
            **os.environ,
            "GUNICORN_BIND": base.removeprefix("http://"),
            "GUNICORN_WORKERS": str(options["workers"]),
            "GUNICORN_ACCESS_LOG": os.devnull,
        }
        command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)  # noqa: S603
        try:
            deadline = time.monotonic() + 60
            while get(base + "/healthz", timeout=2)[0] != 200:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise CommandError("gunicorn did not start")
                time.sleep(0.3)
            yield server
        finally:
            server.terminate()
            server.wait(timeout=30)

    def probe(self, base, seconds, stop, until=False):
        """Time / and /healthz in turn until `seconds` pass (or `stop` is set)."""
        times = {"/": [], "/healthz": []}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not stop.is_set():
            for path in times:
                status, took = get(base + path)
                if status == 200:
                    times[path].append(took)
            time.sleep(0.05)
        return times

    def abuse(self, base, pdfs, options):
        stop = threading.Event()
        statuses = {"pdf": Counter(), "params": Counter()}
        lock = threading.Lock()

        def pdf_client():
            while not stop.is_set():
                status, _ = get(base + random.choice(pdfs))  # noqa: S311 - not security
                with lock:
                    statuses["pdf"][status] += 1

        def param_client():
            while not stop.is_set():
                page = random.choice(PAGES)  # noqa: S311
                joiner = "&" if "?" in page else "?"
                status, _ = get(f"{base}{page}{joiner}utm={random.randrange(10**9)}")  # noqa: S311
                with lock:
                    statuses["params"][status] += 1

        threads = [threading.Thread(target=pdf_client) for _ in range(options["pdf_clients"])]
        threads += [threading.Thread(target=param_client) for _ in range(options["param_clients"])]
        for thread in threads:
            thread.start()
        try:
            loaded = self.probe(base, options["seconds"], stop)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=90)
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
            f"{options['workers']} workers; cache "
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
