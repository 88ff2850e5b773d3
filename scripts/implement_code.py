"""Rule implement_code: the code/ git repository (config first, one commit per filled gap; later ledger changes
committed on top, the user's edits kept)."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.implement.repo import implement

report_user_errors(implement, snakemake.input.gaps, snakemake.input.paper, snakemake.params.task,
                   snakemake.params.code, snakemake.output.json)
