# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export FAKTURA_DATA_DIR ?= $(CURDIR)/var
PYTEST_WORKERS ?= 2

.PHONY: run test bootstrap lint typecheck check-migrations test-sqlite test-postgres demo clean bench-numbering

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

# The lock file pins every package; the venv is re-synced whenever it changes.
$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	touch $@

bootstrap: $(VENV)/.synced

run: bootstrap
	$(BIN)/faktura migrate
	$(BIN)/faktura demo
	$(BIN)/faktura serve --with-worker

lint: bootstrap
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: bootstrap
	$(BIN)/mypy

check-migrations: bootstrap
	$(BIN)/faktura makemigrations --check --dry-run

test-sqlite: bootstrap
	DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test-postgres: bootstrap
	scripts/with-postgres $(BIN)/pytest -n $(PYTEST_WORKERS) -q

test: lint typecheck check-migrations test-sqlite test-postgres

bench-numbering: bootstrap
	$(BIN)/python benchmarks/numbering.py

clean:
	rm -rf $(VENV) var
