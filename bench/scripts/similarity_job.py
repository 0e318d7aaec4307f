"""Memory (VmRSS, VmHWM) and time (wall, CPU) of the similarity job in a fresh process.

    full          refresh_similarities() once, as `manage.py refresh_similarities` does;
    edits         --edits edits of corpus statements, each: the text changed (a raw UPDATE,
                  so no signal), the statement marked pending and the worker's job
                  (compare.tasks.refresh_pending) called, as `db_worker` runs it; the first
                  job loads the corpus, the later ones reuse it.

It changes statements' texts: run it on a benchmark database only (docs/CROSSWALK.md,
"Cost"), from the project folder, with the environment of bench/scripts/admin_save.py (the
worker blends while PRACTICEKB_MEANING is not "off", and never loads the model):

    nice -n 19 .venv/bin/python bench/scripts/similarity_job.py full
    nice -n 19 .venv/bin/python bench/scripts/similarity_job.py edits --edits 10
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.prod")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from compare import services  # noqa: E402
from compare.models import PendingRefresh  # noqa: E402
from compare.tasks import refresh_pending  # noqa: E402
from operations.memory import give_back_memory  # noqa: E402
from principles.models import Statement  # noqa: E402


def memory():
    """(resident, peak) in MB."""
    with open("/proc/self/status") as status:
        fields = dict(line.split(":", 1) for line in status if line.startswith("Vm"))
    return tuple(int(fields[name].split()[0]) // 1024 for name in ("VmRSS", "VmHWM"))


def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load():
    return "load " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def held():
    corpus = services._held.corpus
    if corpus is None:
        return "nothing held"
    return f"blending {corpus.blending}, corpus arrays {corpus.held_bytes() / 2**20:.1f} MB"


def full():
    wall, used = time.perf_counter(), cpu()
    with transaction.atomic():
        report = services.refresh_similarities()
    print(
        f"full refresh: {report.rows:,} rows for {report.corpus:,} statements, "
        f"{time.perf_counter() - wall:.1f} s wall, {cpu() - used:.1f} s CPU, "
        f"resident/peak {memory()} MB; {load()}",
        flush=True,
    )
    give_back_memory()
    print(f"after: resident/peak {memory()} MB, {held()}", flush=True)


def edits(count):
    corpus = Statement.objects.filter(document__organization__slug__startswith="corpus-")
    ids = list(corpus.order_by("pk").values_list("pk", flat=True)[1000 : 1000 + 37 * count : 37])
    for number, pk in enumerate(ids):
        text = Statement.objects.values_list("text", flat=True).get(pk=pk)
        Statement.objects.filter(pk=pk).update(text=f"{text} Kinship networks are asked first.")
        PendingRefresh.objects.mark([pk])
        wall, used = time.perf_counter(), cpu()
        refresh_pending.call()
        give_back_memory()  # as the worker does after each job (operations.memory)
        print(
            f"edit {number}: {time.perf_counter() - wall:.2f} s wall, {cpu() - used:.2f} s CPU, "
            f"resident/peak {memory()} MB, {held()}; {load()}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["full", "edits"])
    parser.add_argument("--edits", type=int, default=10)
    options = parser.parse_args()
    print(f"start: resident/peak {memory()} MB; {load()}", flush=True)
    if options.mode == "full":
        full()
    else:
        edits(options.edits)
    print(f"end: resident/peak {memory()} MB; {load()}")


if __name__ == "__main__":
    main()
