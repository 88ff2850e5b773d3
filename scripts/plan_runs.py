"""Rule plan_runs: run_plan.md/json."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.replicate.plan import plan_runs

p = snakemake.params
i = snakemake.input
routes = {}
if hasattr(i, "implementation"):
    routes["harness"] = {"status": i.status, "record": i.implementation}
if hasattr(i, "upstream_launch"):
    routes["upstream"] = {"status": i.upstream_status, "record": i.upstream_launch}
report_user_errors(plan_runs, i.paper, i.gaps, routes, [dict(m) for m in p.models], list(p.seeds), p.metric_column,
                   p.paper_unit, snakemake.output.md, snakemake.output.json,
                   metrics_from=dict(p.metrics_from) if p.metrics_from else None, slurm_time=dict(p.slurm_time))
