# practicekb: `make run` serves the app on SQLite, `make test` runs the whole suite, `make check`
# runs lint, the import contract, migrations and the deploy check (CONTRIBUTING.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: install run test check lint format load clean bench abuse

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,meaning]'
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var

load: install var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_organizations

run: load
	@echo ""
	@echo "  practicekb is starting at http://$(HOST)/"
	@echo "  To sign in to /admin/, create a login first:  $(PY) manage.py createsuperuser"
	@echo ""
	@# the task worker (similarity refresh, large PDFs) runs beside the server and stops with it
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

# The suite in parallel, one pytest-xdist worker per core, each with its own test database;
# --dist loadgroup keeps each xdist_group (tests sharing an expensive module or session
# fixture) on one worker. PYTEST_ARGS="-n 0 tests/search" runs part of it in one process.
test: install var
	$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)

# Everything CI checks besides the tests: lint, the import contract (pyproject.toml), complete
# migrations, and Django's deploy check with production settings (throwaway values).
check: lint
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=practicekb.settings.prod \
	SECRET_KEY="check-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')" \
	ALLOWED_HOSTS=practicekb.example.org \
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/practicekb} \
	$(PY) manage.py check --deploy --fail-level WARNING

# Load benchmark (docs/PERFORMANCE.md, "Load"), from the dev-only bench/ app, with the production
# settings plus that app (practicekb.settings.bench): PostgreSQL at 127.0.0.1:5432, database
# practicekb_bench (created and filled with 50,000 statements the first time), gunicorn with
# production settings on 127.0.0.1:8199, wrk at 50 connections, 30 s per page after 5 s of the
# ceiling; a prepared database is reused (BENCH_ARGS="--fresh" reloads the seeds and statics,
# BENCH_ARGS="--scenario mix" runs one scenario).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/practicekb_bench
bench: install var
	DJANGO_SETTINGS_MODULE=practicekb.settings.bench SECRET_KEY=bench-only-not-a-secret \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false \
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench_load $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/practicekb.sqlite3 .pytest_cache .ruff_cache

# Abuse run (docs/operations.md; bench/, with practicekb.settings.bench): gunicorn with production settings on 127.0.0.1:8199, six
# PDF clients and twenty random-parameter clients for 30 s while / and /healthz are timed.
ABUSE_DATABASE_URL ?= $(BENCH_DATABASE_URL)
abuse: install var
	DJANGO_SETTINGS_MODULE=practicekb.settings.bench SECRET_KEY=abuse-only-not-a-secret \
	ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=false \
	DATABASE_URL=$(ABUSE_DATABASE_URL) $(PY) manage.py abuse_run $(ABUSE_ARGS)
