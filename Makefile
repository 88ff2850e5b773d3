# The two commands the README promises on a fresh machine with Python 3.11:
#   make demo   set up .venv, then run the whole pipeline on the bundled example paper (offline, CPU)
#   make test   the test suite (lint, unit, dry-run plan, real end-to-end run)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# tools and shell rules find the venv first
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: demo test lint unit integration benchmark clean slurm-profile slurm-jobs

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

# three workers on two cores: the SLURM and pipeline tests spend most of their time waiting on jobs and subprocesses
# (measured here: 659 s with -n 3, 718 s with -n 2); one file per worker, since a file shares its fixtures
test: lint $(STAMP)
	$(BIN)/pytest -q -rs --durations=12 -n 3 --dist loadfile tests

# SLURM, once per user: copy profiles/slurm to ~/.config/snakemake/slurm/ with your account, so that
# `snakemake results.md --profile slurm` works. ACCOUNT is required; PARTITION optional; FORCE=1 replaces
# a differing copy (moved aside).
slurm-profile: $(STAMP)
	$(BIN)/python -m reprokit.cluster.profile --account "$(ACCOUNT)" $(if $(PARTITION),--partition "$(PARTITION)") $(if $(FORCE),--force)

# This project's queued and running SLURM jobs (after a killed driver); CANCEL=1 cancels them.
slurm-jobs: $(STAMP)
	@$(BIN)/python -m reprokit.cluster.jobs $(if $(CANCEL),--cancel)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/pipeline_time.py

clean:
	rm -rf repro logs results.md .snakemake
