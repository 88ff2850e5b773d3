"""Rule smoke_tier: one tier of the smoke ladder (its number from the tier wildcard), run through code/train.py."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.smoke.ladder import run_tier

p = snakemake.params
settings = {**dict(p.settings), "threads": snakemake.threads, "cpu_kernels": p.cpu_kernels}
report_user_errors(run_tier, int(p.tier), p.code, p.config, snakemake.input.data, list(p.models), int(settings["seed"]),
                   settings, snakemake.output.log, snakemake.output.json)
