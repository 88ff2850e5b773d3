"""Rule extract_paper: paper.md and paper.json from the saved HTML."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.paper import extract

report_user_errors(extract, snakemake.input.source, snakemake.output.md, snakemake.output.json)
