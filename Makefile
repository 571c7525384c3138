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

.PHONY: run test lint format install install-dev migrate demo messages bench clean

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
	$(VENV)/bin/pytest -q -n 2 --dist loadfile

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

clean:
	rm -rf $(VENV) var
