"""Rule compare_results: results.md/json, one label per metric."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.replicate.compare import compare

p = snakemake.params
report_user_errors(compare, snakemake.input.plan, snakemake.input.gaps, list(snakemake.input.metrics), p.tolerance,
                   p.disagreement, snakemake.output.md, snakemake.output.json,
                   dataset_json=getattr(snakemake.input, "dataset", None))
