# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export FAKTURA_DATA_DIR ?= $(CURDIR)/var
# Where `make run` listens (make run PORT=8001); the demo prints links to the same place.
LISTEN_HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test bootstrap lint typecheck check-migrations test-sqlite test-postgres demo clean bench-numbering bench-ingest bench-pdf bench-list bench-bulk

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# The lock file pins every package; the venv is re-synced whenever it changes.
$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	touch $@

bootstrap: $(VENV)/.synced

# The database is SQLite in $(FAKTURA_DATA_DIR) unless DATABASE_URL says otherwise.
demo run: export FAKTURA_BASE_URL ?= http://$(LISTEN_HOST):$(PORT)
demo: bootstrap
	$(BIN)/faktura migrate --no-input
	$(BIN)/faktura demo

run: demo
	$(BIN)/faktura serve --with-worker --host $(LISTEN_HOST) --port $(PORT)

lint: bootstrap
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: bootstrap
	$(BIN)/mypy

check-migrations: bootstrap
	$(BIN)/faktura makemigrations --check --dry-run

# The browser tests run in a pytest run of their own: Playwright keeps an event loop and live servers keep threads
# in the process, which the tests that fork issuing processes must not inherit.
test-sqlite: bootstrap
	DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) -q --ignore=tests/browser
	DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) -q tests/browser

test-postgres: bootstrap
	scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q --ignore=tests/browser
	scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q tests/browser

test: lint typecheck check-migrations test-sqlite test-postgres

bench-numbering: bootstrap
	$(BIN)/python benchmarks/numbering.py

bench-list: bootstrap
	$(BIN)/python benchmarks/list.py

bench-ingest: bootstrap
	$(BIN)/python benchmarks/ingest.py

# Needs Debian's chromium and wkhtmltopdf (apt-get install -y chromium wkhtmltopdf).
bench-pdf: bootstrap
	$(BIN)/python benchmarks/pdf.py

clean:
	rm -rf $(VENV) var

bench-bulk: bootstrap
	$(BIN)/python benchmarks/bulk.py
