"""A reader's five-organization comparison PDF: the first request, the job, the prepared PDF.

Measures, on the database DATABASE_URL names (the benchmark corpus), as an anonymous reader
through every middleware (Django's test client, production settings, the page cache on):

1. the first request's latency (it enqueues the job and answers 202, rendering nothing);
2. the job's time (sheets.tasks.prepare_pdf, run here in this process);
3. the latency of the prepared PDF, over --requests requests.

    DJANGO_SETTINGS_MODULE=practicekb.settings.prod SECRET_KEY=bench-only \\
    ALLOWED_HOSTS=127.0.0.1,localhost,testserver SECURE_SSL_REDIRECT=false \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicekb_bench \\
    .venv/bin/python bench/scripts/pdf_prepare.py

(after `manage.py collectstatic`). Rate limits are off for the run.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.prod")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django_tasks import task_backends  # noqa: E402

from organizations.models import Organization  # noqa: E402
from sheets.models import PreparedPdf  # noqa: E402
from sheets.tasks import prepare_pdf  # noqa: E402

DUMMY = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "similarity"],
    }
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    options = parser.parse_args()
    slugs = list(
        Organization.objects.annotate(size=Count("documents__statements"))
        .order_by("-size", "slug")
        .values_list("slug", flat=True)[:5]
    )
    address = "/compare/sheet.pdf?" + "&".join(f"org={slug}" for slug in slugs)
    print(f"{address}; load {os.getloadavg()[0]:.2f} at start")
    PreparedPdf.objects.all().delete()
    client = Client(HTTP_HOST="127.0.0.1")
    # the job is queued, not run (DummyBackend), so the first request's own cost is measured
    with override_settings(TASKS=DUMMY, RATELIMIT_ENABLE=False):
        backend = task_backends["default"]
        backend.clear()
        started = time.perf_counter()
        response = client.get(address)
        first = time.perf_counter() - started
        assert response.status_code == 202, response.status_code
        (queued,) = backend.results
        started = time.perf_counter()
        assert prepare_pdf.call(*queued.args, **queued.kwargs) == "ready"
        job = time.perf_counter() - started
        served = []
        for _ in range(options.requests):
            started = time.perf_counter()
            response = client.get(address)
            served.append(time.perf_counter() - started)
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    ms = sorted(value * 1000 for value in served)
    print(f"first request (202, job enqueued): {first * 1000:.1f} ms")
    print(f"the job (render and keep, {len(response.content):,} bytes): {job:.1f} s")
    print(
        f"prepared PDF: n={len(ms)} p50 {statistics.median(ms):.1f} ms "
        f"p95 {ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]:.1f} ms max {ms[-1]:.1f} ms"
    )
    print(f"load {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
