# carelens: two commands on a fresh machine with Python 3.11 and Debian's packages.
#   make demo   generate a synthetic ICB, load it, create demo accounts (printed), serve the dashboard
#   make test   lint, type-check, import contracts and every test (CI runs this)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data
INBOX  := $(DATA)/inbox
WAREHOUSE := $(DATA)/carelens.duckdb
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: demo test lint typecheck imports pytest venv chromium bench bench-pages bench-adoption clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium drives the browser tests (no browser download at run time).
chromium: $(CHROMIUM)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

demo: venv
	@if [ ! -f $(INBOX)/truth.json ]; then $(BIN)/carelens generate $(INBOX); fi
	-$(BIN)/carelens load $(INBOX) --warehouse $(WAREHOUSE)  # exit 1/2: quarantined or rejected rows, shown on the Data quality page
	$(BIN)/carelens users demo --warehouse $(WAREHOUSE)  # one account per role; names and fresh passwords printed here
	-$(BIN)/carelens load $(INBOX) --warehouse $(WAREHOUSE)  # again (nothing new to apply): turns the demo baselines users demo set into hours released
	$(BIN)/carelens serve --warehouse $(WAREHOUSE) --port 8050

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

imports: venv
	$(BIN)/lint-imports

pytest: venv chromium
	$(BIN)/pytest

test: lint typecheck imports pytest

bench: venv
	$(BIN)/python benchmarks/load.py

# Callback latency of the quality pages on a generated 24-month ICB (docs/performance.md).
bench-pages: venv
	$(BIN)/python benchmarks/pages.py

# The adoption marts at national scale and the /adoption page for an ICB lead (docs/performance.md).
bench-adoption: venv
	$(BIN)/python benchmarks/adoption.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
