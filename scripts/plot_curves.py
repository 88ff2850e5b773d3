"""Rule plot_curves: repro/<paper>/curves/<model>.png, the metric and training loss of every run over steps."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.replicate.curves import plot_curves

report_user_errors(plot_curves, snakemake.input.plan, list(snakemake.input.metrics), snakemake.output.curves)
