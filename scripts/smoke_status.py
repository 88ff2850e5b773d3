"""Rule smoke_status: the ladder's summary and the training-time estimates."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.smoke.ladder import smoke_status

p = snakemake.params
report_user_errors(smoke_status, list(snakemake.input.tiers), snakemake.output.md, snakemake.output.json,
                   checkpoint_every=int(p.checkpoint_every))
