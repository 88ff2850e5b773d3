"""Rule plan_runs: run_plan.md/json."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821
from reprokit.errors import report_user_errors
from reprokit.replicate import plan_runs

p = snakemake.params
report_user_errors(plan_runs, snakemake.input.paper, snakemake.input.gaps, snakemake.input.status,
                   [dict(m) for m in p.models], list(p.seeds), p.metric_column, snakemake.output.md,
                   snakemake.output.json)
