"""Rule implement_code: the code/ git repository, config first, one commit per filled gap."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821
from reprokit.errors import report_user_errors
from reprokit.implement import implement

report_user_errors(implement, snakemake.input.gaps, snakemake.input.paper, list(snakemake.params.models),
                   snakemake.output.config, snakemake.output.json)
