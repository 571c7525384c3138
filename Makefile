# Vivier: `make run` serves the demo company, `make test` runs ruff and every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEMO_PEOPLE ?= 300
DEMO_SEED ?= 42
HOST ?= 127.0.0.1
PORT ?= 8000
# schemathesis names every generated test of an operation alike (`test_api`), and xdist runs one
# test per name: the file runs on its own, without xdist, after the rest of the suite.
SCHEMATHESIS_TESTS := tests/api/test_schemathesis.py

.PHONY: run test lint format install install-dev migrate demo messages bench bench-full serve worker loadtest clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[dev]"
	touch $(STAMP) $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py vivier_demo --people $(DEMO_PEOPLE) --seed $(DEMO_SEED) --if-empty

run: demo
	@echo ""
	@echo "  Vivier is on http://$(HOST):$(PORT)/"
	@echo "  Sign in as admin@vivier.test (HR and IT admin), or any demo person,"
	@echo "  with the demo password: $$($(PY) manage.py vivier_demo --print-password)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	bash .ci/ensure-chromium
	$(VENV)/bin/pytest -q -n 2 --dist loadfile --ignore=$(SCHEMATHESIS_TESTS)
	$(VENV)/bin/pytest -q -p no:xdist $(SCHEMATHESIS_TESTS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-dev
	$(PY) manage.py makemessages -l fr -l en --no-obsolete --no-location \
		--ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "*/tests/*" --ignore conftest.py --ignore "benchmarks/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

# Production serving (docs/deploy.md): migrate, collect static files, gunicorn (gunicorn.conf.py).
# Background tasks are queued in the database; run `make worker` beside it.
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	VIVIER_TASKS_BACKEND=$${VIVIER_TASKS_BACKEND:-database} $(VENV)/bin/gunicorn -c gunicorn.conf.py vivier.wsgi:application

worker: install
	VIVIER_TASKS_BACKEND=$${VIVIER_TASKS_BACKEND:-database} $(PY) manage.py db_worker --queue-name '*' --no-reload

# Benchmarks on PostgreSQL (docs/performance.md). BENCH_ARGS="--posts 10000,100000,1000000"
# or `make bench-full` for the issue's full sizes (100,000 people; about an hour).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/vivier_scale_bench
BENCH_ARGS ?=
bench: install-dev
	bash .ci/ensure-postgres
	DATABASE_URL=$(BENCH_DB) $(PY) benchmarks/scale.py --markdown var/bench-results.md $(BENCH_ARGS)

bench-full: install-dev
	bash .ci/ensure-postgres
	DATABASE_URL=$(BENCH_DB) $(PY) benchmarks/scale.py --full --markdown var/bench-results-full.md $(BENCH_ARGS)

# Load test: 200 locust users against gunicorn on PostgreSQL, loopback only, bounded in time.
LOAD_DB ?= postgres://postgres@127.0.0.1:5432/vivier_scale_load
LOAD_ARGS ?=
loadtest: install-dev
	bash .ci/ensure-postgres
	DATABASE_URL=$(LOAD_DB) $(PY) benchmarks/loadtest.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) var
