"""Rule clone_code: bring the official code into the workspace without executing it."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.source import acquire_chosen
from reprokit.errors import report_user_errors
from reprokit.lastgood import job_key, or_last_good

out = snakemake.output
# a failed re-clone of the same candidates (offline, repository gone) puts the last good copy back
report_user_errors(or_last_good, "re-cloning the code", [out.tree, out.meta],
                   lambda: acquire_chosen(snakemake.input.candidates, out.tree, out.meta,
                                          clone_timeout_s=int(snakemake.params.timeout_s),
                                          clone_max_mb=float(snakemake.params.max_mb)),
                   key=job_key(snakemake.input, {}))
