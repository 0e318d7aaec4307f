"""Admin saves at scale: request latency, the worker's catch-up, and the worker's memory.

Measures, on the database DATABASE_URL names (PostgreSQL with the benchmark corpus,
e.g. 50,000 statements from `make bench` or docs/tasks.md, "Measuring"):

1. the latency of an admin save of a statement's text (Django's test client through every
   middleware, the real database task backend: the request enqueues, it does not refresh);
2. the time from that save's response until its statement's similarities are current (no
   PendingRefresh left), with a real `db_worker` for the "similarity" queue started here;
3. the latency of an admin save that adds a theme (which enqueues nothing);
4. the worker's resident memory (now and peak) after all of it, and the time of its first
   job (which loads the corpus) and of the later ones (which reuse it).

Run from the project folder, with production settings (after `manage.py collectstatic`):

    DJANGO_SETTINGS_MODULE=practicekb.settings.prod SECRET_KEY=bench-only \\
    ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false ADMIN_TWO_FACTOR=false \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicekb_bench \\
    .venv/bin/python bench/scripts/admin_save.py --saves 20

It changes the text of --saves statements of the generated corpus (appending a sentence)
and adds a theme to as many: run it on a benchmark database, never on real content.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.prod")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.forms import CheckboxInput  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from compare.models import PendingRefresh  # noqa: E402
from compare.tasks import refresh_pending  # noqa: E402
from principles.models import Statement, Theme  # noqa: E402

CORPUS_PREFIX = "corpus-"


def form_data(response):
    """The POST data a browser sends back for an admin change form, unchanged."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        if isinstance(field.widget, CheckboxInput):
            if bound.value():
                data[bound.html_name] = "on"
            continue
        value = bound.value()
        if value is None:
            value = ""
        data[bound.html_name] = value
    if "change_reason" in data:
        data["change_reason"] = "Benchmark edit"
    return data


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(name, seconds):
    ms = [value * 1000 for value in seconds]
    return (
        f"{name:<42} n={len(ms):<3} p50 {statistics.median(ms):8.1f} ms   "
        f"p95 {percentile(ms, 0.95):8.1f} ms   max {max(ms):8.1f} ms"
    )


def memory(pid):
    """(resident, peak resident) of a process in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def wait_until_current(statement_ids, timeout):
    started = time.perf_counter()
    while PendingRefresh.objects.filter(statement_id__in=statement_ids).exists():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"Still pending after {timeout} s: is the worker running?")
        time.sleep(0.05)
    return time.perf_counter() - started


def start_worker():
    log = open(BASE / "var" / "bench-worker.log", "w")  # noqa: SIM115 - open for the run
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "similarity",
            "--no-reload",
            "--skip-checks",  # as the systemd unit starts it: the memory it reports is a worker's
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=BASE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return worker, log


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="Time the saves alone, with no similarity worker (its first job at 500,000 "
        "statements outlasts the run): the requests only enqueue either way.",
    )
    options = parser.parse_args()

    setup_test_environment()  # the test client keeps each response's context
    total = Statement.objects.count()
    statements = list(
        Statement.objects.filter(document__organization__slug__startswith=CORPUS_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)[: 2 * options.saves : 2]
    )
    if len(statements) < options.saves:
        raise SystemExit("Too few generated statements: prepare the benchmark database first.")
    print(f"{total:,} statements; load {os.getloadavg()[0]:.2f} at start")

    worker, log = (None, None) if options.no_worker else start_worker()
    try:
        if worker:
            # the first job loads the corpus (and takes whatever is pending already)
            PendingRefresh.objects.mark(statements[:1])
            refresh_pending.enqueue()
            first = wait_until_current(statements[:1], options.timeout)
            print(
                f"first job (loads the corpus): {first:.1f} s; "
                f"worker {memory(worker.pid)[0]:.0f} MB"
            )

        admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client()
        client.force_login(admin)
        saves, catch_up, taggings = [], [], []
        for number, key in enumerate(statements):
            url = f"/admin/principles/statement/{key}/change/"
            data = form_data(client.get(url))
            data["text"] = f"{data['text']} Benchmark sentence {number} about kinship care."
            started = time.perf_counter()
            response = client.post(url, data)
            saves.append(time.perf_counter() - started)
            if response.status_code != 302:
                raise SystemExit(f"Save of statement {key} answered {response.status_code}")
            if worker:
                catch_up.append(wait_until_current([key], options.timeout))

        theme, _ = Theme.objects.get_or_create(name="Benchmark theme", slug="benchmark-theme")
        for key in statements:
            url = f"/admin/principles/statement/{key}/change/"
            data = form_data(client.get(url))
            data["tags"] = [*data["tags"], theme.pk]  # the admin's themes are chosen by id
            started = time.perf_counter()
            response = client.post(url, data)
            taggings.append(time.perf_counter() - started)
            if response.status_code != 302:
                raise SystemExit(f"Tagging of statement {key} answered {response.status_code}")
        if worker:
            time.sleep(1)
            resident, peak = memory(worker.pid)
    finally:
        if worker:
            worker.terminate()
            worker.wait(timeout=60)
            log.close()

    print(summary("admin save of a statement's text", saves))
    if worker:
        print(summary("similar elsewhere current after the save", catch_up))
    print(summary("admin save adding a theme", taggings))
    if worker:
        print(f"similarity worker: {resident:.0f} MB resident, {peak:.0f} MB peak")
    print(f"load {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
