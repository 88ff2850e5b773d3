"""Rule train_upstream: one run of the official code (run.json records it; read_upstream_metrics reads its metric)."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.train import train_upstream

p = snakemake.params
report_user_errors(train_upstream, snakemake.input.launch, snakemake.input.env, dict(p.upstream),
                   snakemake.wildcards.paper, snakemake.wildcards.run, p.model, int(p.seed), p.run_dir, snakemake.log[0],
                   p.history, snakemake.output.run)
