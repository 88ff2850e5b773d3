# The two commands the README promises on a fresh machine with Python 3.11:
#   make demo   set up .venv, then run the whole pipeline on the bundled example paper (offline, CPU)
#   make test   the test suite (lint, unit, dry-run plan, real end-to-end run)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# tools and shell rules find the venv first
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: demo test lint unit integration benchmark clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { echo "error: '$(PYTHON)' is not Python 3.11; install Python 3.11 or run: make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/snakemake --cores 2 results.md
	@echo "results: results.md (workspace: repro/$$($(BIN)/python -c 'import yaml;print(yaml.safe_load(open("config/config.yaml"))["paper"])')/)"

lint: $(STAMP)
	$(BIN)/ruff check reprokit scripts tests benchmarks examples
	$(BIN)/snakefmt --check Snakefile rules/
	$(BIN)/snakemake --lint --cores 1 results.md

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

integration: $(STAMP)
	$(BIN)/pytest -q tests/integration

test: lint $(STAMP)
	$(BIN)/pytest -q -rs tests

benchmark: $(STAMP)
	$(BIN)/python benchmarks/pipeline_time.py

clean:
	rm -rf repro logs results.md .snakemake
