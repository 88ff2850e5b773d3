"""Rule smoke_upstream: one tier of the smoke ladder for the official code."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.smoke import run_upstream_tier

p = snakemake.params
settings = {**dict(p.settings), "threads": snakemake.threads}
upstream = dict(p.upstream)
report_user_errors(run_upstream_tier, int(snakemake.wildcards.level), snakemake.input.launch, snakemake.input.env,
                   list(upstream["models"]), settings, upstream, snakemake.wildcards.paper, p.work,
                   snakemake.output.log, snakemake.output.json)
