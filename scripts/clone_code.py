"""Rule clone_code: bring the official code into the workspace without executing it."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.source import acquire_chosen
from reprokit.errors import report_user_errors

report_user_errors(acquire_chosen, snakemake.input.candidates, snakemake.output.tree, snakemake.output.meta,
                   clone_timeout_s=int(snakemake.params.timeout_s), clone_max_mb=float(snakemake.params.max_mb))
