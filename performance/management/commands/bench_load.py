"""Load benchmark: gunicorn with production settings, driven by wrk, against the ceiling.

`make bench` runs this with production settings and the benchmark database. It prepares the
database (created if missing; migrations, the five organizations, and the synthetic corpus
only when not there yet, and its similarities when it has none), collects the
static files, starts gunicorn on a loopback port, and for each page runs wrk for
--duration seconds at --connections concurrent connections, sampling every worker's
memory as it goes. It prints one table: requests per second, the page's share of the
ceiling (a view that returns "ok" without the database), latency percentiles, errors, and
each worker's peak memory.

`--server-times` instead times single requests in this process (Django's test client, no
network, no concurrency), with the page cache off and on: how a page's own cost grows with
the data.
"""

import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.utils import timezone

from compare.models import StatementSimilarity
from organizations.models import Organization
from principles.models import DocumentStatus, Statement, Theme

LUA = Path(__file__).resolve().parents[2] / "bench" / "report.lua"
CORPUS_PREFIX = "corpus-"


def pages():
    """(name, path) for each page measured, the ceiling first. Chosen from the data: the
    organization with the most published statements, a statement in the middle of it, the
    most used theme, a typical search, the five largest organizations side by side and the
    five seed organizations side by side."""
    published = Q(documents__statements__document__status=DocumentStatus.PUBLISHED)
    largest = list(
        Organization.objects.annotate(size=Count("documents__statements", filter=published))
        .order_by("-size", "slug")
        .values_list("slug", "size")[:5]
    )
    if len(largest) < 5:
        raise CommandError("The database needs at least five organizations.")
    statements = Statement.objects.published().filter(document__organization__slug=largest[0][0])
    statement = statements.order_by("document__position", "position")[largest[0][1] // 2]
    theme = Theme.objects.annotate(n=Count("tagged_statements")).order_by("-n", "slug").first()
    compare = "&".join(f"org={slug}" for slug, _ in largest)
    # the five real organizations: fewer, more varied pairs than five generated ones
    seeds = Organization.objects.exclude(slug__startswith=CORPUS_PREFIX).order_by("slug")
    compare_seeds = "&".join(f"org={slug}" for slug in seeds.values_list("slug", flat=True)[:5])
    return [
        ("ceiling", "/healthz"),
        ("home", "/"),
        ("organization", f"/organizations/{largest[0][0]}/"),
        ("statement", statement.get_absolute_url()),
        ("theme", theme.get_absolute_url()),
        ("search", "/search/?q=kinship"),
        ("compare", f"/compare/?{compare}"),
        ("compare-seeds", f"/compare/?{compare_seeds}"),
    ]


def children(pid):
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def memory_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """Every 0.2 s, each worker's resident memory; the kernel's own peak (VmHWM) at the end."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master = master
        self.peak_rss = {}
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(0.2):
            for pid in children(self.master):
                rss = memory_kb(pid, "VmRSS")
                if rss is not None:
                    self.peak_rss[pid] = max(rss, self.peak_rss.get(pid, 0))

    def stop(self):
        self.stopping.set()
        self.join()
        return dict(self.peak_rss)


class Command(BaseCommand):
    help = (
        "Load benchmark with wrk against gunicorn (production settings, loopback only): "
        "requests/s, share of the ceiling, p50/p95/p99 latency, errors and worker memory."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=60, help="Seconds per page (60).")
        parser.add_argument("--connections", type=int, default=50)
        parser.add_argument("--threads", type=int, default=1, help="wrk threads (1).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2).")
        parser.add_argument("--port", type=int, default=8199, help="Loopback port (8199).")
        parser.add_argument("--organizations", type=int, default=500)
        parser.add_argument("--statements-per-organization", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--refresh-similarities",
            action="store_true",
            help="Recompute every similarity before measuring, even when the corpus has them.",
        )
        parser.add_argument(
            "--only", action="append", default=[], help="Measure only these pages (repeat)."
        )
        parser.add_argument("--skip-setup", action="store_true", help="Use the database as it is.")
        parser.add_argument(
            "--output", default=str(Path(settings.BASE_DIR) / "var" / "bench" / "load.json")
        )
        parser.add_argument(
            "--server-times",
            action="store_true",
            help="Time single requests in-process instead (cache off and on); no gunicorn.",
        )
        parser.add_argument("--repeat", type=int, default=20, help="With --server-times.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        self.ensure_database()
        if not options["skip_setup"]:
            self.prepare(options)
        chosen = [
            (name, path)
            for name, path in pages()
            if not options["only"] or name in options["only"] or name == "ceiling"
        ]
        statements = Statement.objects.count()
        if options["server_times"]:
            self.server_times(chosen, statements, options["repeat"])
            return
        if not options["skip_setup"]:
            self.step(
                "collectstatic", lambda: call_command("collectstatic", "--noinput", verbosity=0)
            )
        wrk = self.ensure_wrk()
        results, memory = self.run_load(chosen, wrk, options)
        self.report(results, memory, statements, options)

    # Preparation

    def step(self, what, function):
        started = time.monotonic()
        self.stdout.write(f"{what} ...", ending="")
        self.stdout.flush()
        function()
        self.stdout.write(f" {time.monotonic() - started:.1f} s")

    def ensure_database(self):
        """Create the benchmark database if it does not exist (PostgreSQL only)."""
        import psycopg2
        from psycopg2 import sql

        params = connection.settings_dict
        try:
            maintenance = psycopg2.connect(
                dbname="postgres",
                user=params["USER"] or None,
                password=params["PASSWORD"] or None,
                host=params["HOST"] or None,
                port=params["PORT"] or None,
            )
        except psycopg2.OperationalError as error:
            raise CommandError(f"PostgreSQL cannot be reached: {error}") from error
        maintenance.autocommit = True
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
                self.stdout.write(f"Created the database {params['NAME']}.")
        maintenance.close()

    def prepare(self, options):
        self.step("migrate", lambda: call_command("migrate", "--noinput", verbosity=0))
        self.step("load_organizations", lambda: call_command("load_organizations", verbosity=0))
        wanted = options["organizations"]
        present = Organization.objects.filter(slug__startswith=CORPUS_PREFIX).count()
        if present < wanted:
            self.step(
                f"generate_corpus ({wanted} x {options['statements_per_organization']})",
                lambda: call_command(
                    "generate_corpus",
                    organizations=wanted,
                    statements_per_organization=options["statements_per_organization"],
                    seed=options["seed"],
                    verbosity=0,
                ),
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        corpus_similarities = StatementSimilarity.objects.filter(
            statement__document__organization__slug__startswith=CORPUS_PREFIX
        )
        if options["refresh_similarities"] or not corpus_similarities.exists():
            # bulk_create skips the signals, so a new corpus has no similarities until a
            # full refresh (about 3 minutes at 50,000 statements, docs/PERFORMANCE.md)
            self.step("refresh_similarities", lambda: call_command("refresh_similarities"))
        self.stdout.write(f"{StatementSimilarity.objects.count():,} similarity rows")

    def ensure_wrk(self):
        wrk = shutil.which("wrk")
        if wrk is None and shutil.which("apt-get"):
            self.stdout.write("Installing wrk (Debian package) ...")
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)  # noqa: S607
            wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is needed: apt-get install wrk")
        return wrk

    # The load run

    @contextlib.contextmanager
    def gunicorn(self, options, log):
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "practicekb.wsgi",
            "--workers",
            str(options["workers"]),
            "--bind",
            f"127.0.0.1:{options['port']}",
            "--no-control-socket",
            "--error-logfile",
            str(log),
        ]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=os.environ.copy())  # noqa: S603
        try:
            base = f"http://127.0.0.1:{options['port']}"
            for _ in range(100):
                if server.poll() is not None:
                    raise CommandError(f"gunicorn stopped at start; see {log}")
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310
                    break
                time.sleep(0.2)
            else:
                raise CommandError(f"gunicorn did not answer; see {log}")
            yield server, base
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

    def first_requests(self, url):
        """Two plain requests: status, size, and the time of each (the first may render)."""
        times, status, size, cache = [], None, 0, ""
        for _ in range(2):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
                    body = response.read()
                    status, size = response.status, len(body)
                    cache = response.headers.get("X-Page-Cache", "")
            except urllib.error.HTTPError as error:
                status = error.code
            times.append((time.perf_counter() - started) * 1000)
        return status, size, times, cache

    def run_load(self, chosen, wrk, options):
        out = Path(options["output"])
        out.parent.mkdir(parents=True, exist_ok=True)
        log = out.with_suffix(".gunicorn.log")
        results = []
        with self.gunicorn(options, log) as (server, base):
            workers = children(server.pid)
            sampler = MemorySampler(server.pid)
            sampler.start()
            for name, path in chosen:
                url = f"{base}{path}"
                status, size, first, cache = self.first_requests(url)
                if status != 200:
                    raise CommandError(f"{name} {path} answered {status}, not 200")
                self.stdout.write(
                    f"{name:<12} {path}  {size / 1024:.0f} KB, first requests "
                    f"{first[0]:.0f} ms and {first[1]:.0f} ms; wrk {options['duration']} s ..."
                )
                self.stdout.flush()
                command = [
                    wrk,
                    f"-t{options['threads']}",
                    f"-c{options['connections']}",
                    f"-d{options['duration']}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(LUA),
                    url,
                ]
                run = subprocess.run(  # noqa: S603
                    command, capture_output=True, text=True, timeout=options["duration"] + 60
                )
                line = next(
                    (ln for ln in run.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None
                )
                if line is None:
                    raise CommandError(f"wrk gave no result for {name}:\n{run.stdout}{run.stderr}")
                figures = json.loads(line.removeprefix("BENCH_JSON "))
                figures.update(
                    name=name,
                    path=path,
                    size=size,
                    first_ms=first,
                    first_cache=cache,
                    rps=figures["requests"] / (figures["duration_us"] / 1e6),
                )
                results.append(figures)
            memory = {
                pid: {
                    "peak_rss_kb": sampler.peak_rss.get(pid),
                    "vm_hwm_kb": memory_kb(pid, "VmHWM"),
                }
                for pid in children(server.pid)
            }
            sampler.stop()
            if sorted(memory) != sorted(workers):
                self.stdout.write(
                    f"Note: workers changed during the run: {workers} -> {list(memory)}"
                )
        return results, memory

    def report(self, results, memory, statements, options):
        ceiling = next((r["rps"] for r in results if r["name"] == "ceiling"), None)
        self.stdout.write("")
        self.stdout.write(
            f"{statements:,} statements; {options['workers']} gunicorn workers; wrk "
            f"{options['connections']} connections, {options['duration']} s per page; "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{timezone.now():%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}"
        )
        header = "| page | path | KB | req/s | of ceiling | p50 ms | p95 ms | p99 ms | errors |"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        memory_total = _mem_total_gb()
        self.stdout.write(
            f"machine: {os.cpu_count()} cores, {memory_total} GB memory, PostgreSQL {postgres}, "
            f"Python {sys.version.split()[0]}"
        )
        self.stdout.write(header)
        self.stdout.write("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            share = f"{r['rps'] / ceiling:.0%}" if ceiling else "-"
            self.stdout.write(
                f"| {r['name']} | `{r['path']}` | {r['size'] / 1024:.0f} | {r['rps']:,.0f} | "
                f"{share} | {r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f} | "
                f"{r['p99'] / 1000:.1f} | {errors} |"
            )
        self.stdout.write("")
        for pid, figures in sorted(memory.items()):
            self.stdout.write(
                f"worker {pid}: peak RSS {figures['vm_hwm_kb'] / 1024:.0f} MB (VmHWM), "
                f"{(figures['peak_rss_kb'] or 0) / 1024:.0f} MB at most when sampled"
            )
        Path(options["output"]).write_text(
            json.dumps(
                {
                    "date": timezone.now().isoformat(),
                    "statements": statements,
                    "options": {k: v for k, v in options.items() if isinstance(v, int | str)},
                    "results": results,
                    "memory": {str(pid): figures for pid, figures in memory.items()},
                },
                indent=2,
            )
        )
        self.stdout.write(f"Figures written to {options['output']}")

    # Single requests, in-process

    def server_times(self, chosen, statements, repeat):
        host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "localhost"
        self.stdout.write(f"{statements:,} statements; median of {repeat} requests, in-process")
        self.stdout.write("| page | uncached ms | SQL queries | cached ms | cached queries |")
        self.stdout.write("|---|---:|---:|---:|---:|")
        for name, path in chosen:
            row = []
            for cached in (False, True):
                with override_settings(PRACTICEKB_PAGE_CACHE=cached, SECURE_SSL_REDIRECT=False):
                    client = Client(HTTP_HOST=host)
                    client.get(path)  # warm: imports, template loading, the cache entry
                    times = []
                    for _ in range(repeat):
                        started = time.perf_counter()
                        with _count_queries() as queries:
                            response = client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{path} answered {response.status_code}")
                row += [statistics.median(times), queries.count]
            self.stdout.write(f"| {name} | {row[0]:.1f} | {row[1]} | {row[2]:.1f} | {row[3]} |")


def _mem_total_gb():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024)
    return None


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def _count_queries():
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter
