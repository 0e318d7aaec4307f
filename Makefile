# practicekb: `make run` serves the app on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1:8000

.PHONY: install run test lint format load clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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
	$(PY) manage.py runserver $(HOST)

test: install var
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/practicekb.sqlite3 .pytest_cache .ruff_cache
