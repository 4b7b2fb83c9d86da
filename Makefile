# OurChoice. The two commands a newcomer needs (see README.md):
#   make run    install, migrate, load demo data, serve http://127.0.0.1:5000
#   make test   install test tools (and Chromium), lint, run the whole test suite
.PHONY: run test install install-test lint db-upgrade demo css outbox bench clean

VENV   ?= .venv
PYTHON ?= $(shell command -v python3.11 || command -v python3)
BIN     = $(VENV)/bin
FLASK   = OURCHOICE_ENV=$${OURCHOICE_ENV:-development} $(BIN)/flask --app wsgi

run: install db-upgrade demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	scripts/ensure-chromium

# ruff; the layers of docs/architecture.md (import-linter, config in pyproject.toml); and
# one unit of work, small files and thin views (scripts/check_structure.py).
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python scripts/check_structure.py

db-upgrade: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo seed

outbox: install
	$(FLASK) outbox send

# Directory search speed at 50,000 entries (several minutes; see docs/benchmarks.md).
bench: install
	$(BIN)/python bench/search_bench.py --backends whoosh $(BENCH_ARGS)

# Rebuild static/css/ourchoice.css from static/scss (needs Node.js; the result is committed).
css:
	npm install --no-audit --no-fund
	npm run build:css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/

clean:
	rm -rf $(VENV) instance/ourchoice.sqlite3 instance/search-index instance/mail
