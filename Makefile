# Markaz: `make demo` to try it, `make test` to check it. Both set up .venv themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# PostgreSQL for the second test run; pytest-django creates and drops test_markaz.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/markaz
# Tests never touch ./var: they get a data directory of their own, wiped each run.
TEST_DATA_DIR := $(CURDIR)/.test-data
PYTEST_ARGS ?=

.PHONY: demo serve test test-sqlite test-postgres lint format messages bench bench-intel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/markaz demo
	$(BIN)/markaz serve 127.0.0.1:8000

serve: $(VENV)/.installed
	$(BIN)/markaz serve 127.0.0.1:8000

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	MARKAZ_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

test: lint
	rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR)
	MARKAZ_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/markaz makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite test-postgres

test-sqlite: $(VENV)/.installed-dev
	@echo "== tests on SQLite"
	MARKAZ_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Locally a missing PostgreSQL skips this run with a reason; under CI=true it fails.
test-postgres: $(VENV)/.installed-dev
	@echo "== tests on PostgreSQL ($(TEST_DATABASE_URL))"
	@if $(BIN)/python -m markaz.dbcheck "$(TEST_DATABASE_URL)"; then \
		DATABASE_URL="$(TEST_DATABASE_URL)" MARKAZ_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_DATABASE_URL) and CI=true: failing."; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (no server at $(TEST_DATABASE_URL)); set TEST_DATABASE_URL to run it."; \
	fi

# Regenerate the .po files from the code (needs GNU gettext) and compile them.
messages: $(VENV)/.installed
	cd src/markaz && ../../$(BIN)/django-admin makemessages -l tg -l ru -l en --no-obsolete --settings=markaz.settings
	cd src/markaz && ../../$(BIN)/django-admin compilemessages --settings=markaz.settings

# The peers of the extraction benchmark live in their own venv, never in Markaz's.
bench/.venv-peers/.installed: bench/requirements-peers.txt
	$(PYTHON) -m venv bench/.venv-peers
	bench/.venv-peers/bin/pip install --quiet -r bench/requirements-peers.txt
	touch $@

bench: $(VENV)/.installed-dev bench/.venv-peers/.installed
	$(BIN)/python bench/extract.py

# Linking (issue 4): BENCH_REPORTS reports on SQLite, then on PostgreSQL when reachable.
BENCH_REPORTS ?= 10000
bench-intel: $(VENV)/.installed-dev
	$(BIN)/python bench/intel.py --reports $(BENCH_REPORTS) --workdir $(CURDIR)/bench/out/intel
	@if $(BIN)/python -m markaz.dbcheck "$(TEST_DATABASE_URL)_bench_intel"; then \
		$(BIN)/python bench/intel.py --reports $(BENCH_REPORTS) --workdir $(CURDIR)/bench/out/intel \
			--database-url "$(TEST_DATABASE_URL)_bench_intel"; \
	else echo "SKIPPED: PostgreSQL run (no server at $(TEST_DATABASE_URL))"; fi

clean:
	rm -rf $(VENV) $(TEST_DATA_DIR) build *.egg-info
