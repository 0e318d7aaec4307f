"""Load benchmark: gunicorn with production settings, driven by wrk, against the ceiling.

`make bench` runs this with production settings and the benchmark database. It prints the
machine's load, prepares the database (created if missing; migrations, the five
organizations and the synthetic corpus only when not there yet, its similarities when it
has none, ANALYZE after any bulk load; a prepared database is reused, so a rerun takes
minutes), collects the static files when they are missing, starts gunicorn on a loopback
port and runs the scenarios, each page with wrk for --duration seconds at --connections
connections, right after measuring the ceiling (a view that returns "ok" without the
database) for --ceiling-duration seconds:

- cached: readers' pages, served from the page cache;
- signed-in: the pages of a staff member, an editor who owns five sheets and a trainer;
- mix: readers cycling over many pages, first alone, then while a staff member tags a
  statement every 5 s and an editor saves one every 30 s;
- pdf: the first and the second request of a five-organization comparison PDF;
- cold: readers' pages with the page cache off (a second gunicorn).

It prints one table (requests per second, the ceiling measured just before, the page's
share of it, latency percentiles, errors, the load average), each worker's peak memory,
and the load again at the end.

`--server-times` instead times single requests in this process (Django's test client, no
network, no concurrency), with the page cache off and on: how a page's own cost grows with
the data.
"""

import collections
import contextlib
import gc
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from compare.models import StatementSimilarity
from meaning import conf as meaning_conf
from organizations.models import Organization
from principles.models import DocumentStatus, Statement, Theme

LUA = Path(__file__).resolve().parents[2] / "scripts" / "report.lua"
CORPUS_PREFIX = "corpus-"
SCENARIOS = ["cached", "signed-in", "mix", "pdf", "cold"]
SIGNED_IN_PAGES = ["organization", "statement", "theme", "search", "compare"]
# role name -> the groups of the benchmark's user (accounts/roles.py)
ROLES = {"staff": ["Staff"], "editor": ["Editors"], "trainer": ["Trainers"]}
TAG_EVERY, SAVE_EVERY = 5, 30  # seconds, in the reader mix with edits
# the first save comes this soon, so that a 30-second run sees its refresh
FIRST_SAVE = 10
WORKER_NICENESS = 10  # as deploy/systemd/practicekb-worker@.service runs the task workers
MIX_ORGANIZATIONS = 40  # organizations whose pages the reader mix visits


def load_line(when):
    one, five, fifteen = os.getloadavg()
    return (
        f"Load average at the {when}: {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} cores)"
    )


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


Answer = collections.namedtuple("Answer", "status size ms cache")


def timed_get(url, headers=None, timeout=60):
    """One GET: its status (or "timed out"), body size, milliseconds and X-Page-Cache."""
    started = time.perf_counter()
    status, size, cache = None, 0, ""
    try:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, size = response.status, len(response.read())
            cache = response.headers.get("X-Page-Cache", "")
    except urllib.error.HTTPError as error:
        status = error.code
    except TimeoutError:
        status = "timed out"
    return Answer(status, size, (time.perf_counter() - started) * 1000, cache)


def stop(processes, timeout):
    """SIGTERM each process, then wait for all; kill what has not stopped by `timeout`."""
    processes = list(processes)
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


class Edits(threading.Thread):
    """While the reader mix runs: a staff member tags a statement every TAG_EVERY seconds
    (and untags it the next time), an editor saves a statement's text FIRST_SAVE seconds in
    and every SAVE_EVERY after that."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.tags = self.saves = 0
        self.lags = []  # seconds from a save to its "Similar elsewhere" being current again
        self.awaited = None  # (statement id, when it was saved)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.join()

    def run(self):
        from django.contrib.auth.models import User
        from django.db import connection as thread_connection
        from django.db import transaction

        from principles.services.tagging import add_theme_to_statement, remove_theme_from_statement

        try:
            staff = User.objects.get(username="bench-staff")
            ids = list(Statement.objects.published().values_list("pk", flat=True))
            chooser = random.Random(17)  # noqa: S311 - a repeatable choice, not a secret
            theme = "Bench tagging"
            started, tagged = time.monotonic(), []
            while not self.stopping.wait(TAG_EVERY):
                statement = Statement.objects.get(pk=chooser.choice(ids))
                if tagged:
                    remove_theme_from_statement(
                        tagged.pop(), Theme.objects.get(name=theme), user=staff
                    )
                add_theme_to_statement(statement, theme, user=staff)
                tagged.append(statement)
                self.tags += 1
                self.check_refreshed()
                if time.monotonic() - started >= FIRST_SAVE + SAVE_EVERY * self.saves:
                    with transaction.atomic():
                        edited = Statement.objects.select_for_update().get(pk=chooser.choice(ids))
                        marker = " (bench edit)"
                        edited.text = (
                            edited.text.removesuffix(marker)
                            if edited.text.endswith(marker)
                            else edited.text + marker
                        )
                        edited.save()
                    self.saves += 1
                    self.awaited = (edited.pk, time.monotonic())
        finally:
            thread_connection.close()

    def check_refreshed(self):
        """Within one tagging period (5 s): has the task worker refreshed the last save?"""
        from compare.models import PendingRefresh

        if self.awaited is not None:
            key, saved = self.awaited
            if not PendingRefresh.objects.filter(statement_id=key).exists():
                self.lags.append(time.monotonic() - saved)
                self.awaited = None


class Command(BaseCommand):
    help = (
        "Load benchmark with wrk against gunicorn (production settings, loopback only): "
        "requests/s, share of the ceiling, p50/p95/p99 latency, errors and worker memory."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=30, help="Seconds per page (30).")
        parser.add_argument(
            "--ceiling-duration",
            type=int,
            default=5,
            help="Seconds of /healthz measured right before each page (5).",
        )
        parser.add_argument(
            "--scenario",
            action="append",
            choices=SCENARIOS,
            default=[],
            help=f"Run only these scenarios (repeat); all by default: {', '.join(SCENARIOS)}.",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Load the seed organizations and collect the static files again (by default "
            "a prepared database and static files are reused).",
        )
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
        self.stdout.write(load_line("start"))
        self.ensure_database()
        if not options["skip_setup"]:
            self.prepare(options)
        chosen = [
            (name, path)
            for name, path in pages()
            if not options["only"] or name in options["only"] or name == "ceiling"
        ]
        statements = Statement.objects.count()
        # production settings hash static names: every page needs the manifest
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if options["fresh"] or not manifest.exists():
            self.step(
                "collectstatic", lambda: call_command("collectstatic", "--noinput", verbosity=0)
            )
        if options["server_times"]:
            self.server_times(chosen, statements, options["repeat"])
            self.stdout.write(load_line("end"))
            return
        wrk = self.ensure_wrk()
        scenarios = options["scenario"] or SCENARIOS
        results, memory = self.run_load(chosen, scenarios, wrk, options)
        self.report(results, memory, statements, options)
        self.stdout.write(load_line("end"))

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

    def analyze(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def prepare(self, options):
        self.step("migrate", lambda: call_command("migrate", "--noinput", verbosity=0))
        seeds = Organization.objects.exclude(slug__startswith=CORPUS_PREFIX)
        if options["fresh"] or seeds.count() < 5:
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
            self.step("ANALYZE", self.analyze)
        corpus_similarities = StatementSimilarity.objects.filter(
            statement__document__organization__slug__startswith=CORPUS_PREFIX
        )
        if options["refresh_similarities"] or not corpus_similarities.exists():
            # bulk_create skips the signals, so a new corpus has no similarities until a
            # full refresh (about 6 minutes at 50,000 statements, docs/PERFORMANCE.md)
            self.step("refresh_similarities", lambda: call_command("refresh_similarities"))
            self.step("ANALYZE", self.analyze)
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

    # Who signs in, and what they do

    def sessions(self):
        """A session cookie for a staff member, an editor who owns five sheets and a trainer
        (users and sheets made once, kept in the benchmark database)."""
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.auth.models import Group, User

        from sheets.models import Sheet
        from sheets.services import add_statement, create_sheet

        cookies = {}
        for role, groups in ROLES.items():
            user, _ = User.objects.get_or_create(username=f"bench-{role}")
            user.groups.set(Group.objects.filter(name__in=groups))
            if role == "editor" and not Sheet.objects.filter(owner=user).exists():
                statements = list(Statement.objects.published().order_by("pk")[:50])
                for n in range(5):
                    sheet = create_sheet(owner=user, title=f"Bench sheet {n + 1}")
                    for statement in statements[n * 10 : n * 10 + 10]:
                        add_statement(sheet, statement, user=user)
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            cookies[role] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        return cookies

    def mix_paths(self, chosen):
        """Readers' pages across many organizations, statements, themes and searches."""
        organizations = list(
            Organization.objects.order_by("slug").values_list("slug", flat=True)[:MIX_ORGANIZATIONS]
        )
        statements = list(
            Statement.objects.published()
            .filter(document__organization__slug__in=organizations)
            .order_by("pk")
            .values_list("pk", flat=True)[::25]
        )
        # readers' themes only: the staff member's proposed "Bench tagging" is a 404 to them
        themes = list(
            Theme.objects.visible_to_readers().order_by("slug").values_list("slug", flat=True)
        )
        words = ["kinship", "safety", "families", "youth voice", "trauma", "permanency"]
        paths = ["/", "/themes/", "/organizations/"]
        paths += [f"/organizations/{slug}/" for slug in organizations]
        paths += [f"/statements/{pk}/" for pk in statements]
        paths += [f"/themes/{slug}/" for slug in themes]
        paths += ["/search/?q=" + word.replace(" ", "+") for word in words]
        paths += [path for name, path in chosen if name.startswith("compare")]
        random.Random(1).shuffle(paths)  # noqa: S311 - a repeatable order, not a secret
        return paths

    # The load run

    @contextlib.contextmanager
    def gunicorn(self, options, log, **env):
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "practicekb.wsgi",
            "--workers",
            str(options["workers"]),
            "--bind",
            f"127.0.0.1:{options['port']}",
            "--no-control-socket",
        ]
        # one client (wrk) makes every request: the per-client limits would answer it 429
        limits = {
            f"RATE_LIMIT_{group.upper()}": "1000000/m" for group in ("pdf", "compare", "search")
        }
        env = {**os.environ, **limits, **env}
        # gunicorn.conf.py (read from the working directory) logs each request to stdout:
        # into a file beside the error log, not into this report
        access = log.open("w")
        server = subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, stdout=access, stderr=subprocess.STDOUT
        )
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
            stop([server], timeout=20)
            access.close()

    @contextlib.contextmanager
    def task_workers(self, log):
        """One task worker per queue, as a deployment runs them beside gunicorn
        (deploy/systemd/practicekb-worker@.service): editors' saves enqueue similarity
        refreshes and readers' PDFs are prepared there, on this machine's cores. With meaning
        in "socket" mode, the helper process too (practicekb-meaning.service): it embeds the
        edited statements and answers searches. Without the model it stops at once, and the
        run goes on with words alone."""
        output = log.open("w")
        # at the systemd units' Nice=10: readers' requests come first
        niced = ("nice", "-n", str(WORKER_NICENESS), sys.executable, "manage.py")
        worker = (*niced, "db_worker", "--no-reload", "--skip-checks")  # as the unit starts it
        commands = {
            f"task worker ({queue})": [*worker, "--queue-name", queue]
            for queue in settings.TASK_QUEUES
        }
        if meaning_conf.mode() == meaning_conf.SOCKET:
            # not niced: web workers wait for its answers (it nices its embedding threads).
            # Statements the corpus generator wrote have no vectors: no hour-long catch-up.
            helper = [sys.executable, "manage.py", "meaning_server", "--no-catch-up"]
            commands["meaning helper"] = helper
        workers = {
            name: subprocess.Popen(  # noqa: S603
                command, cwd=settings.BASE_DIR, stdout=output, stderr=subprocess.STDOUT
            )
            for name, command in commands.items()
        }
        try:
            yield workers
        finally:
            stop(workers.values(), timeout=60)  # a task under way finishes first
            output.close()

    def first_requests(self, url, headers=None, timeout=60):
        """Two plain requests: status, size, and the time of each (the first may render)."""
        first, second = (timed_get(url, headers, timeout) for _ in range(2))
        return second.status, second.size, [first.ms, second.ms], second.cache

    def wrk(self, wrk, url, duration, options, headers=(), paths=None):
        command = [
            wrk,
            f"-t{options['threads']}",
            f"-c{options['connections']}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(LUA),
        ]
        for header in headers:
            command += ["-H", header]
        env = {**os.environ, "BENCH_PATHS": " ".join(paths or [])}
        run = subprocess.run(  # noqa: S603
            [*command, url], capture_output=True, text=True, timeout=duration + 60, env=env
        )
        line = next((ln for ln in run.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if line is None:
            raise CommandError(f"wrk gave no result for {url}:\n{run.stdout}{run.stderr}")
        figures = json.loads(line.removeprefix("BENCH_JSON "))
        figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
        return figures

    def warm(self, base, paths):
        """Each page of the mix requested twice (each worker may keep its own copy)."""
        for path in paths * 2:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}{path}", timeout=60).read()  # noqa: S310

    def drain(self, base, limit=60):
        """Wait until /healthz answers within 100 ms: the workers have finished the requests
        a previous run left queued (wrk stops; gunicorn still serves what it accepted)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.perf_counter()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{base}/healthz", timeout=limit).read()  # noqa: S310
            if time.perf_counter() - started < 0.1:
                return
        self.stdout.write("Note: the workers were still busy after a minute.")

    def measure(self, wrk, base, scenario, name, path, options, headers=(), paths=None):
        """The ceiling right now, then the page (or the mix of `paths`)."""
        self.drain(base)
        ceiling = self.wrk(wrk, f"{base}/healthz", options["ceiling_duration"], options)
        header_dict = dict(header.split(": ", 1) for header in headers)
        status, size, first, cache = self.first_requests(f"{base}{path}", header_dict)
        if status != 200:
            # reported, not fatal: one page too slow for this machine spoils no other figure
            self.stdout.write(f"{scenario} {name} {path} answered {status}, not 200: skipped")
            return None
        self.stdout.write(
            f"{scenario:<9} {name:<20} {path[:60]}  {size / 1024:.0f} KB, first requests "
            f"{first[0]:.0f} and {first[1]:.0f} ms; ceiling {ceiling['rps']:,.0f}/s ..."
        )
        self.stdout.flush()
        figures = self.wrk(wrk, f"{base}{path}", options["duration"], options, headers, paths)
        figures.update(
            scenario=scenario,
            name=name,
            path=f"(mix of {len(paths)} pages)" if paths else path,
            size=size,
            first_ms=first,
            first_cache=cache,
            ceiling_rps=ceiling["rps"],
            load=os.getloadavg()[0],
        )
        self.stdout.write("  " + self.row(figures))
        return figures

    def run_load(self, chosen, scenarios, wrk, options):
        out = Path(options["output"])
        out.parent.mkdir(parents=True, exist_ok=True)
        results, memory = [], {}
        pages_by_name = dict(chosen)
        if set(scenarios) & {"cached", "signed-in", "mix", "pdf"}:
            # the users exist for the mix too: its staff member tags, its editor saves
            cookies = self.sessions() if {"signed-in", "mix"} & set(scenarios) else {}
            paths = self.mix_paths(chosen) if "mix" in scenarios else []
            with (
                self.task_workers(out.with_suffix(".workers.log")) as workers,
                self.gunicorn(options, out.with_suffix(".gunicorn.log")) as (server, base),
            ):
                sampler = MemorySampler(server.pid)
                sampler.start()
                if "cached" in scenarios:
                    for name, path in chosen:
                        if name != "ceiling":
                            results.append(self.measure(wrk, base, "cached", name, path, options))
                if "signed-in" in scenarios:
                    for role, cookie in cookies.items():
                        for name in SIGNED_IN_PAGES:
                            if name in pages_by_name:
                                results.append(
                                    self.measure(
                                        wrk,
                                        base,
                                        role,
                                        name,
                                        pages_by_name[name],
                                        options,
                                        headers=[f"Cookie: {cookie}"],
                                    )
                                )
                if "mix" in scenarios:
                    self.step(
                        f"warming the mix's {len(paths)} pages", lambda: self.warm(base, paths)
                    )
                    results.append(
                        self.measure(wrk, base, "mix", "readers", "/", options, paths=paths)
                    )
                    with Edits() as edits:
                        results.append(
                            self.measure(
                                wrk, base, "mix", "readers+edits", "/", options, paths=paths
                            )
                        )
                    self.stdout.write(
                        f"  {edits.tags} taggings, {edits.saves} saves; similar elsewhere "
                        "current again after "
                        + (", ".join(f"{lag:.0f}" for lag in edits.lags) or "(none seen)")
                        + " s (checked every 5 s)"
                    )
                if "pdf" in scenarios:
                    results.append(self.pdf(base, pages_by_name))
                memory.update(self.stop_sampling(sampler, server))
                for name, worker in workers.items():
                    memory[name] = {
                        "peak_rss_kb": None,
                        "vm_hwm_kb": memory_kb(worker.pid, "VmHWM"),
                        "vm_rss_kb": memory_kb(worker.pid, "VmRSS"),
                    }
        if "cold" in scenarios:
            log = out.with_suffix(".cold.gunicorn.log")
            with self.gunicorn(options, log, PRACTICEKB_PAGE_CACHE="false") as (server, base):
                sampler = MemorySampler(server.pid)
                sampler.start()
                for name, path in chosen:
                    if name != "ceiling":
                        results.append(self.measure(wrk, base, "cold", name, path, options))
                memory.update(self.stop_sampling(sampler, server))
        return [r for r in results if r is not None], memory

    def pdf(self, base, pages_by_name):
        """A comparison PDF: how long the first request holds a web worker (it hands the
        rendering to the task worker), how long until the file is prepared, then the
        prepared file's p50 and p95 over 20 requests."""
        query = pages_by_name.get("compare-seeds", pages_by_name.get("compare", "/compare/?"))
        path = reverse("sheets:comparison-pdf") + "?" + query.split("?", 1)[1]
        url = f"{base}{path}"
        self.drain(base)  # not behind what the previous scenario left queued
        first_status, _, first, _ = self.first_requests(url, timeout=120)
        started, status = time.monotonic(), first_status
        while status != 200 and time.monotonic() - started < 180:
            time.sleep(0.25)
            status = timed_get(url, timeout=120).status
        prepared_after = time.monotonic() - started
        timings, size = [], 0
        for _ in range(20 if status == 200 else 0):
            answer = timed_get(url, timeout=120)
            status, size = answer.status, answer.size
            timings.append(answer.ms)
        timings.sort()
        figures = {
            "scenario": "pdf",
            "name": "comparison",
            "path": path,
            "status": status,
            "first_status": first_status,
            "size": size,
            "first_ms": first,
            "prepared_after_s": prepared_after,
            "p50_ms": timings[len(timings) // 2] if timings else None,
            "p95_ms": timings[int(len(timings) * 0.95) - 1] if timings else None,
            "load": os.getloadavg()[0],
        }
        self.stdout.write(
            f"pdf       comparison           {path[:60]}  first request {first[0]:.0f} ms "
            f"({first_status}), prepared after {prepared_after:.1f} s, "
            + (
                f"then {size / 1024:.0f} KB in {figures['p50_ms']:.0f} ms (p50), "
                f"{figures['p95_ms']:.0f} ms (p95)"
                if timings
                else f"never prepared (status {status})"
            )
        )
        return figures

    def stop_sampling(self, sampler, server):
        memory = {
            pid: {"peak_rss_kb": sampler.peak_rss.get(pid), "vm_hwm_kb": memory_kb(pid, "VmHWM")}
            for pid in children(server.pid)
        }
        sampler.stop()
        return memory

    @staticmethod
    def row(r):
        errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
        share = f"{r['rps'] / r['ceiling_rps']:.1%}" if r["ceiling_rps"] else "-"
        return (
            f"| {r['scenario']} | {r['name']} | {r['size'] / 1024:.0f} | {r['rps']:,.1f} | "
            f"{r['ceiling_rps']:,.0f} | {share} | "
            f"{r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} | "
            f"{errors} | {r['load']:.1f} |"
        )

    def report(self, results, memory, statements, options):
        self.stdout.write("")
        self.stdout.write(
            f"{statements:,} statements; {options['workers']} gunicorn workers; wrk "
            f"{options['connections']} connections, {options['duration']} s per page after "
            f"{options['ceiling_duration']} s of the ceiling; "
            f"cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"{timezone.now():%Y-%m-%d %H:%M} UTC"
        )
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        self.stdout.write(
            f"machine: {os.cpu_count()} cores, {_mem_total_gb()} GB memory, "
            f"PostgreSQL {postgres}, Python {sys.version.split()[0]}"
        )
        self.stdout.write(
            "| scenario | page | KB | req/s | ceiling req/s | of ceiling | p50 ms | p95 ms | "
            "p99 ms | errors | load |"
        )
        self.stdout.write("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            if r["scenario"] == "pdf":
                prepared = (
                    f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f}" if r["p50_ms"] is not None else " | "
                )
                self.stdout.write(
                    f"| pdf | comparison: first request {r['first_ms'][0]:.0f} ms "
                    f"({r['first_status']}), prepared after {r['prepared_after_s']:.1f} s | "
                    f"{r['size'] / 1024:.0f} | | | | {prepared} | | | {r['load']:.1f} |"
                )
                continue
            self.stdout.write(self.row(r))
        mix = {r["name"]: r for r in results if r["scenario"] == "mix"}
        if len(mix) == 2:
            calm, edited = mix["readers"], mix["readers+edits"]
            self.stdout.write(
                f"\nReader mix with edits: {edited['rps'] / calm['rps']:.0%} of the mix "
                f"without edits; p95 {edited['p95'] / 1000:.0f} ms (without edits "
                f"{calm['p95'] / 1000:.0f} ms)."
            )
        self.stdout.write("")
        for pid, figures in sorted(memory.items(), key=lambda item: str(item[0])):
            label = pid if isinstance(pid, str) else f"web worker {pid}"
            resident = figures.get("vm_rss_kb")
            self.stdout.write(
                f"{label}: peak RSS {(figures['vm_hwm_kb'] or 0) / 1024:.0f} MB (VmHWM), "
                + (
                    f"{resident / 1024:.0f} MB resident at the end"
                    if resident is not None
                    else f"{(figures['peak_rss_kb'] or 0) / 1024:.0f} MB at most when sampled"
                )
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
        self.stdout.write(
            f"{statements:,} statements; median of {repeat} requests, in-process; app CPU is "
            "this process's own CPU time (hardly changed by the machine's load)"
        )
        self.stdout.write(
            "| page | uncached ms | uncached app CPU ms | SQL queries | cached ms | "
            "cached queries |"
        )
        self.stdout.write("|---|---:|---:|---:|---:|---:|")
        for name, path in chosen:
            row = []
            for cached in (False, True):
                # one client asking again and again: the rate limits are not what is timed
                with override_settings(
                    PRACTICEKB_PAGE_CACHE=cached, SECURE_SSL_REDIRECT=False, RATELIMIT_ENABLE=False
                ):
                    client = Client(HTTP_HOST=host)
                    client.get(path)  # warm: imports, template loading, the cache entry
                    # what loading made stays out of the collector's reach, as gunicorn.conf.py's
                    # post_worker_init does in a server's workers
                    gc.freeze()
                    times, cpu = [], []
                    for _ in range(repeat):
                        started, started_cpu = time.perf_counter(), time.process_time()
                        with _count_queries() as queries:
                            response = client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - started_cpu) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{path} answered {response.status_code}")
                row += [statistics.median(times), statistics.median(cpu), queries.count]
            self.stdout.write(
                f"| {name} | {row[0]:.1f} | {row[1]:.1f} | {row[2]} | {row[3]:.1f} | {row[5]} |"
            )


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
