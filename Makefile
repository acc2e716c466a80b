# Navet: `make run` starts the platform with demo data, `make test` runs every check.
# Both set up what they need on a fresh machine with Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export NAVET_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test lint typecheck pytest bench bench-indicators bench-finance bench-peer clean-data messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.stamp-dev: requirements/dev.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.stamp-base

node_modules/.stamp: package.json package-lock.json
	bash scripts/ensure_test_tools.sh node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

translations: $(VENV)/.stamp-base
	NAVET_DEBUG=1 $(BIN)/python manage.py compiletranslations -v 0

run: $(VENV)/.stamp-base translations
	bash scripts/ensure_test_tools.sh pango
	mkdir -p $(NAVET_DATA_DIR)
	NAVET_DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	NAVET_DEBUG=1 $(BIN)/python manage.py load_demo
	@# One worker carries out the background tasks (Kolada syncs, text extraction, email)
	@# while the server runs.
	NAVET_DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	NAVET_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.stamp-dev
	NAVET_DEBUG=1 $(BIN)/mypy src config bench

pytest: $(VENV)/.stamp-dev node_modules/.stamp translations
	bash scripts/ensure_test_tools.sh chromium
	bash scripts/ensure_test_tools.sh pango
	bash scripts/ensure_test_tools.sh poppler
	$(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The indicators benchmark needs PostgreSQL: it makes a throwaway database and drops it after.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_DB := navet_bench_indicators

bench: $(VENV)/.stamp-dev bench-indicators bench-finance
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.report

# Fee list (290 members) and coordinator hours (20 networks × 24 months × 30 coordinators).
bench-finance: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.fees
	$(BIN)/python -m bench.hours

bench-indicators: $(VENV)/.stamp-dev
	psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE IF EXISTS $(BENCH_DB)" -c "CREATE DATABASE $(BENCH_DB)"
	DATABASE_URL=$(BENCH_PG)/$(BENCH_DB) $(BIN)/python -m bench.indicators; status=$$?; \
	psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE $(BENCH_DB)"; exit $$status

# Navet's pages under load beside a peer platform's (bench/peer.sh; needs wrk and Redis).
bench-peer: $(VENV)/.stamp-dev
	bash bench/peer.sh

# Text extraction of 50 PDFs and 50 DOCX files against the bare libraries (no database).
# The hot pages beside their own SQL and a bare view (bench/hot_pages.py), on PostgreSQL with
# the Redis cache, in a throwaway database.
BENCH_HOT_DB := navet_bench_hot
.PHONY: bench-hot
bench-hot: $(VENV)/.stamp-dev translations
	psql $(BENCH_PG)/postgres -qc "DROP DATABASE IF EXISTS $(BENCH_HOT_DB)" -c "CREATE DATABASE $(BENCH_HOT_DB)"
	DATABASE_URL=$(BENCH_PG)/$(BENCH_HOT_DB) NAVET_REDIS_URL=redis://127.0.0.1:6379/3 \
	  NAVET_CACHE_KEY_PREFIX=navet-bench-hot-$$$$ $(BIN)/python -m bench.hot_pages; status=$$?; \
	psql $(BENCH_PG)/postgres -qc "DROP DATABASE $(BENCH_HOT_DB)"; exit $$status

.PHONY: bench-extraction
bench-extraction: $(VENV)/.stamp-dev
	$(BIN)/python -m bench.extraction

# Search over 100 000 documents against the raw full-text SQL (PostgreSQL; a throwaway
# database, dropped after).
BENCH_SEARCH_DB := navet_bench_search
.PHONY: bench-search bench-documents
bench-search: $(VENV)/.stamp-dev
	psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE IF EXISTS $(BENCH_SEARCH_DB)" -c "CREATE DATABASE $(BENCH_SEARCH_DB)"
	DATABASE_URL=$(BENCH_PG)/$(BENCH_SEARCH_DB) $(BIN)/python -m bench.search; status=$$?; \
	psql "$(BENCH_PG)/postgres" -qc "DROP DATABASE $(BENCH_SEARCH_DB)"; exit $$status

bench-documents: bench-extraction bench-search

messages: $(VENV)/.stamp-dev
	cd src/navet && NAVET_DEBUG=1 ../../$(BIN)/django-admin makemessages -l sv --no-location --settings=config.settings --pythonpath=../..
	NAVET_DEBUG=1 $(BIN)/python manage.py compiletranslations

clean-data:
	rm -rf $(NAVET_DATA_DIR)
