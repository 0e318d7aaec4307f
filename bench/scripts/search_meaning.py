"""Search at scale with and without meaning: p50/p95 per mode, SQL per page, memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practicekb_bench \\
        .venv/bin/python bench/scripts/search_meaning.py [--repeat 30] [--embed]

The database needs a large corpus (`manage.py generate_corpus --organizations 1000
--statements-per-organization 100` for 100,000 statements) and its vectors (`--embed`, or
`manage.py embed_statements`). The readers' page cache is off. It times bench_search's typical
searches through the whole request path (Django's test client), first by words alone
(PRACTICEKB_MEANING=off), then with meaning from the helper process (`manage.py
meaning_server`, started here on a private socket) as production runs it, and prints the
resident memory of this process (a web worker) and of the helper.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.dev")


def rss_mb(pid="self"):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/PID/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(path, process, seconds=120):
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the helper stopped: {process.stdout.read()}")
        try:
            with socket.socket(socket.AF_UNIX) as probe:
                probe.connect(path)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the helper did not start in time")


def time_searches(client, searches, repeat, warmup=2):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.management.commands.bench_search import percentile
    from search import selectors
    from search.forms import SearchForm

    queries, related = {}, {}
    timings = {i: [] for i in range(len(searches))}
    cpu = {i: [] for i in range(len(searches))}
    for index, params in enumerate(searches):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", params)
        assert response.status_code == 200, (params, response.status_code)
        queries[index] = len(captured)
        form = SearchForm(params)
        form.is_valid()
        related[index] = len(selectors.search(form.criteria(), form.page_number).related)
        for _ in range(warmup - 1):
            client.get("/search/", params)
    for _ in range(repeat):
        for index, params in enumerate(searches):
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get("/search/", params)
            timings[index].append((time.perf_counter() - started) * 1000)
            cpu[index].append((time.process_time() - cpu_started) * 1000)
            reset_queries()
    every = [sample for samples in timings.values() for sample in samples]
    rows = [
        (
            "&".join(f"{k}={v}" for k, v in params.items()),
            queries[i],
            related[i],
            statistics.median(timings[i]),
            percentile(timings[i], 0.95),
            statistics.median(cpu[i]),
        )
        for i, params in enumerate(searches)
    ]
    every_cpu = [sample for samples in cpu.values() for sample in samples]
    return rows, statistics.median(every), percentile(every, 0.95), statistics.median(every_cpu)


def time_scan(size, repeat):
    """p50/p95 of VectorIndex.nearest over `size` random unit vectors."""
    import numpy as np

    from bench.management.commands.bench_search import percentile
    from meaning.encoder import DIMENSION
    from meaning.index import VectorIndex
    from search.related import NEIGHBOURS

    rng = np.random.default_rng(1)
    index = VectorIndex()
    index.matrix = rng.standard_normal((size, DIMENSION), dtype=np.float32)
    index.matrix /= np.linalg.norm(index.matrix, axis=1, keepdims=True)
    index.ids = np.arange(1, size + 1, dtype=np.int64)
    samples = []
    for _ in range(max(repeat, 20)):
        query = index.matrix[rng.integers(size)]
        started = time.perf_counter()
        index.nearest(query, NEIGHBOURS)
        index.scores(query, range(1, 21))
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--embed", action="store_true", help="Compute missing vectors first.")
    parser.add_argument(
        "--scan",
        type=int,
        default=100_000,
        help="Also time the helper's nearest-neighbour scan over this many vectors "
        "(random unit vectors in memory: the scan's cost does not depend on their values).",
    )
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from bench.management.commands.bench_search import typical_searches
    from meaning.models import StatementEmbedding
    from meaning.services import embed_statements
    from principles.models import Statement
    from search.backends import get_backend

    if options.embed:
        started = time.perf_counter()
        report = embed_statements()
        print(f"embedded {report.computed:,} statements in {time.perf_counter() - started:.0f} s")
    statements, vectors = Statement.objects.count(), StatementEmbedding.objects.count()
    with override_settings(PRACTICEKB_MEANING="off"):
        searches = [*typical_searches(), {"q": "parents know their kids best"}]
    print(
        f"{get_backend().name} on {connection.vendor}: {statements:,} statements, "
        f"{vectors:,} vectors; {len(searches)} searches x {options.repeat}; page cache off"
    )
    client = Client(HTTP_HOST="localhost")
    results = {}
    # one client asks hundreds of times: the per-client search limit would answer 429
    with override_settings(
        PRACTICEKB_PAGE_CACHE=False, PRACTICEKB_MEANING="off", RATELIMIT_ENABLE=False
    ):
        results["words"] = time_searches(client, searches, options.repeat)
    web_rss_words = rss_mb()

    socket_path = os.path.join(tempfile.mkdtemp(prefix="meaning-bench-"), "meaning.sock")
    helper = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "meaning_server", "--socket", socket_path],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = time.perf_counter()
        wait_for(socket_path, helper)
        print(f"helper ready in {time.perf_counter() - started:.1f} s")
        with override_settings(
            PRACTICEKB_PAGE_CACHE=False,
            PRACTICEKB_MEANING="socket",
            PRACTICEKB_MEANING_SOCKET=socket_path,
            PRACTICEKB_MEANING_TIMEOUT=1.0,
            RATELIMIT_ENABLE=False,
        ):
            helper_cpu = cpu_seconds(helper.pid)
            results["words+meaning"] = time_searches(client, searches, options.repeat)
            helper_cpu = cpu_seconds(helper.pid) - helper_cpu
        helper_rss = rss_mb(helper.pid)
    finally:
        helper.terminate()
        helper.wait(10)

    header = f"{'search':<50} {'SQL':>4} {'related':>7} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>7}"
    for mode, (rows, p50, p95, cpu50) in results.items():
        print(f"\n{mode}\n{header}\n{'-' * len(header)}")
        for label, queries, related, row_p50, row_p95, row_cpu in rows:
            print(
                f"{label[:50]:<50} {queries:>4} {related:>7} {row_p50:>7.1f} {row_p95:>7.1f} "
                f"{row_cpu:>7.1f}"
            )
        print(f"{'all searches':<50} {'':>4} {'':>7} {p50:>7.1f} {p95:>7.1f} {cpu50:>7.1f}")
    added = results["words+meaning"][2] - results["words"][2]
    requests = options.repeat * len(searches)
    print(
        f"\nmeaning adds {added:.1f} ms at p95 (wall clock); the helper spent "
        f"{helper_cpu / requests * 1000:.1f} ms of CPU per search"
    )
    print(
        f"resident memory: web process {web_rss_words:.0f} MB (words), {rss_mb():.0f} MB "
        f"(with meaning; onnxruntime loaded here: {'onnxruntime' in sys.modules}); "
        f"helper {helper_rss:.0f} MB"
    )
    if options.scan:
        scan_p50, scan_p95 = time_scan(options.scan, options.repeat)
        print(
            f"nearest-neighbour scan over {options.scan:,} vectors: p50 {scan_p50:.1f} ms, "
            f"p95 {scan_p95:.1f} ms (over the {vectors:,} stored here: included above)"
        )
    print(f"load average {' '.join(f'{n:.2f}' for n in os.getloadavg())} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
