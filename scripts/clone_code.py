"""Rule clone_code: bring the official code into the workspace without executing it."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821
from reprokit.codesource import acquire
from reprokit.errors import report_user_errors

report_user_errors(acquire, snakemake.params.code, snakemake.output.tree, snakemake.output.meta)
