# sosei: two commands do everything on a fresh clone.
#   make run    install, then land raw/, build the warehouse, gate it and publish it
#   make test   install, then lint and run the test suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages
MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f 2>/dev/null) \
	dbt_project/dbt_project.yml
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DBT_VERSION_CHECK := false
export DO_NOT_TRACK := 1
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install run test lint bench dev dashboard docs clean

install: $(SYSTEM_STAMP) $(STAMP) $(MANIFEST)

# Debian packages (OCR, the dashboard's browser tests): installed when root or sudo allows.
$(SYSTEM_STAMP): apt-packages.txt scripts/install-system-packages.sh
	bash scripts/install-system-packages.sh apt-packages.txt
	mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

# dagster-dbt loads the dbt manifest at import; a fresh clone has none.
$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && dbt parse --profiles-dir . --quiet

run: install
	sosei build

# One worker per core, a test file per worker: module fixtures (a built warehouse) are built once.
test: lint
	pytest -n auto --dist loadfile --durations=15

lint: install
	ruff check .
	ruff format --check .

bench: install
	python bench/run.py
	python bench/pdf.py

dev: install
	$(BIN)/sosei dev

# The analysts' dashboard over the published warehouse, on http://127.0.0.1:8501 (localhost only).
dashboard: install
	sosei dashboard

docs: install
	cd dbt_project && dbt docs generate --profiles-dir .

clean:
	rm -rf warehouse dbt_project/target dbt_project/logs
