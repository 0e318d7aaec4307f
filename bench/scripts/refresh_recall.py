"""How much of a full refresh's lists the neighbourhood scoring keeps (compare.clusters).

Loads the corpus as the refresh does, scores every statement by neighbourhoods (forced, at
any size) and, for a random sample of statements, every pair exactly; prints how many of
the exact lists' matches the neighbourhood lists hold, overall and at "Similar" and above,
with the time and peak memory of each part. Writes nothing. From the project folder:

    DATABASE_URL=postgres://... .venv/bin/python bench/scripts/refresh_recall.py --sample 2000
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practicekb.settings.dev")

import django  # noqa: E402

django.setup()

import numpy  # noqa: E402

from compare import clusters, services  # noqa: E402
from compare.models import MAX_NEIGHBOURS, SIMILAR_SCORE  # noqa: E402


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--probes", type=int, default=clusters.PROBES)
    parser.add_argument("--group-size", type=int, default=clusters.GROUP_SIZE)
    options = parser.parse_args()
    clusters.EXACT_UP_TO = 0
    clusters.PROBES = options.probes
    clusters.GROUP_SIZE = options.group_size
    clusters.MAX_GROUP = 4 * options.group_size

    started, cpu = time.perf_counter(), time.process_time()
    corpus = services._load_corpus()
    print(
        f"loaded {len(corpus)} statements ({corpus.matrix.shape[0]} texts, blend "
        f"{corpus.blending}) in {time.perf_counter() - started:.1f} s, peak {peak_mb():.0f} MB"
    )
    keys = numpy.flatnonzero(corpus._signature != -1)
    sample = set(numpy.random.default_rng(1).choice(keys, options.sample, replace=False).tolist())

    started, cpu = time.perf_counter(), time.process_time()
    approximate, rows = {}, 0
    for key, matches in corpus.iter_neighbours(limit=MAX_NEIGHBOURS):
        rows += len(matches)
        if key in sample:
            approximate[key] = matches
    print(
        f"neighbourhoods: {rows} rows in {time.perf_counter() - started:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU, peak {peak_mb():.0f} MB"
    )

    started = time.perf_counter()
    exact = corpus.neighbours(sorted(sample), limit=MAX_NEIGHBOURS)
    seconds = time.perf_counter() - started
    print(f"every pair for {len(sample)} statements: {seconds:.1f} s")

    found = total = similar_found = similar_total = same_scores = ranks_held = 0
    shortfall = 0.0
    for key, matches in exact.items():
        kept = {match.item for match in approximate.get(key, [])}
        total += len(matches)
        found += sum(match.item in kept for match in matches)
        similar = [match for match in matches if match.score >= SIMILAR_SCORE]
        similar_total += len(similar)
        similar_found += sum(match.item in kept for match in similar)
        mine = sorted((match.score for match in approximate.get(key, [])), reverse=True)
        same_scores += mine == [match.score for match in matches]
        # a partner tied with another at the list's end is as good as it: count by rank
        ranks_held += sum(
            rank < len(mine) and mine[rank] >= match.score - 1e-4
            for rank, match in enumerate(matches)
        )
        # how much lower the list's score at each rank is (a missing rank counts its score)
        shortfall += sum(
            match.score - (mine[rank] if rank < len(mine) else 0.0)
            for rank, match in enumerate(matches)
        )
    print(
        f"partners kept: {found / max(1, total):.3f} of {total}; at 'Similar' and above "
        f"{similar_found / max(1, similar_total):.3f} of {similar_total}; lists with the same "
        f"scores as every pair's: {same_scores / max(1, len(exact)):.3f}; matches as good by "
        f"rank: {ranks_held / max(1, total):.3f}; mean score shortfall by rank "
        f"{shortfall / max(1, total):.4f}"
    )
    print(f"whole run: extrapolated every-pair time {seconds * len(corpus) / len(sample):.0f} s")


if __name__ == "__main__":
    main()
