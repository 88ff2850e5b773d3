"""Rule plan_runs: run_plan.md/json."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.replicate.plan import plan_runs

p = snakemake.params
report_user_errors(plan_runs, snakemake.input.paper, snakemake.input.gaps, snakemake.input.status,
                   snakemake.input.implementation, [dict(m) for m in p.models], list(p.seeds), p.metric_column,
                   p.paper_unit, snakemake.output.md, snakemake.output.json)
