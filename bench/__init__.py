"""Benchmarks and corpus generation: a dev-only app (docs/PERFORMANCE.md).

Development and test settings install it; production settings do not, and no runtime app
imports it (the import contract in pyproject.toml). `make bench` and `make abuse` run its
commands with practicekb.settings.bench: the production settings plus this app.

- management/commands: bench_load, bench_search, bench_sheets, abuse_run, generate_corpus
- corpus.py: the synthetic organizations generate_corpus writes
- scripts/: standalone timing scripts (admin saves, API p95, PDF preparation, search by meaning)
"""
