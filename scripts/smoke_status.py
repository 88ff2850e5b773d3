"""Rule smoke_status: the ladder's summary and the training-time estimates."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.smoke.ladder import smoke_status

p = snakemake.params
report_user_errors(smoke_status, list(snakemake.input.tiers), snakemake.output.md, snakemake.output.json,
                   checkpoint_every=int(p.checkpoint_every))
