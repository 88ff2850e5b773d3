"""Rule read_upstream_metrics: a finished run of the official code read back into metrics.json (metrics_from)."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.train import read_metrics

p = snakemake.params
report_user_errors(read_metrics, snakemake.input.run, dict(p.metrics_from) if p.metrics_from else None,
                   snakemake.wildcards.paper, snakemake.output.metrics)
