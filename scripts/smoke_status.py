"""Rule smoke_status: the ladder's summary and the training-time estimates."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.atomic import read_json
from reprokit.errors import report_user_errors
from reprokit.smoke.ladder import smoke_status

ledger = read_json(snakemake.input.gaps, "ledger")
steps = next(e["value"] for e in ledger["entries"] if e["name"] == "schedule.total_steps")
report_user_errors(smoke_status, list(snakemake.input.tiers), int(steps), len(snakemake.params.seeds),
                   float(snakemake.params.margin), snakemake.output.md, snakemake.output.json)
