"""Rule smoke_upstream_status: the official code's ladder summarised, its training jobs sized."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.smoke import upstream_status

report_user_errors(upstream_status, snakemake.input.launch, list(snakemake.input.tiers), snakemake.output.md,
                   snakemake.output.json)
