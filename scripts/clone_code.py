"""Rule clone_code: bring the official code into the workspace without executing it."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.source import acquire_chosen
from reprokit.lastgood import run_job

out, p = snakemake.output, snakemake.params
# a failed re-clone of the same candidates (offline, repository gone) keeps the last good copy
run_job(snakemake, acquire_chosen, snakemake.input.candidates, out.tree, out.meta, clone_timeout_s=int(p.timeout_s),
        clone_max_mb=float(p.max_mb), refresh="re-cloning the code")
