# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser libraries the web interface serves from /vendor/, pinned by package-lock.json.
NODE_INSTALLED := node_modules/.package-lock.json

.PHONY: install run test lint fuzz schema bench bench-accountability bench-task-signups bench-digests clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(INSTALLED)

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --silent

install: $(INSTALLED) $(NODE_INSTALLED)

## Set up and run the platform on the embedded defaults (SQLite, embedded Redis, .eml mail).
run: install
	$(BIN)/rungs run

## Set up and run the whole test suite (DATABASE_URL / REDIS_URL choose PostgreSQL and Redis).
test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check backend workers tests alembic bench
	$(BIN)/ruff format --check backend workers tests alembic bench
	$(BIN)/mypy
	$(BIN)/mypy bench/graphql_throughput.py bench/seed.py bench/accountability.py bench/accountability_csv.py bench/seed_problems.py bench/task_signups.py bench/ladder_snapshot.py bench/digests.py bench/http_floor.py
	$(BIN)/mypy tests/fuzz/run.py tests/fuzz/checks.py

## Fuzz /graphql from its schema against a real server on demo data; fails on any server error (FUZZ_SECONDS, default 120).
fuzz: install
	$(BIN)/python tests/fuzz/run.py

## GraphQL read throughput against PostGraphile on the same PostgreSQL (see bench/README.md).
bench: install
	$(BIN)/python bench/graphql_throughput.py

## Accountability figures on 100,000 proposals: timings, query plans, SQL per board page (see bench/README.md).
bench-accountability: install
	$(BIN)/python bench/accountability.py

## 200 concurrent sign-ups for one 20-slot volunteer task through the HTTP API on PostgreSQL (see bench/README.md).
bench-task-signups: install
	$(BIN)/python bench/task_signups.py

## Progress digests for 10,000 people on PostgreSQL: wall time, SQL statements per batch, peak memory (see bench/README.md).
bench-digests: install
	$(BIN)/python bench/digests.py

## Print graphql/schema.graphql from the live schema.
schema: install
	$(BIN)/python -c "from backend.api.schema import schema; print(schema.as_str())" > graphql/schema.graphql

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
