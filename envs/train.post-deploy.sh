#!/usr/bin/env bash
# After Snakemake builds this conda environment: install reprokit, the workflow's library, into it (editable), so
# the rules' scripts import it as an installed package. Snakemake runs this in its working folder, the workflow's.
set -euo pipefail
if [ ! -f reprokit/__init__.py ]; then
    echo "error: $(pwd) is not the workflow folder (no reprokit/ here); with --software-deployment-method conda, run snakemake in the folder that holds the Snakefile." >&2
    exit 1
fi
python -m pip install --quiet --no-deps --editable .
