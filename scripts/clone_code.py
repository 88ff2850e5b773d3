"""Rule clone_code: bring the official code into the workspace without executing it."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.code.source import Unreachable, acquire, acquire_chosen
from reprokit.lastgood import run_job

out, p = snakemake.output, snakemake.params


def unreachable(err):
    """No automatically found code could be cloned: stage 3 goes on from the paper, and says why."""
    if not isinstance(err, Unreachable):
        raise err
    print(f"warning: {err}; stage 3 goes on from the paper alone.", file=sys.__stderr__, flush=True)
    return acquire("none", out.tree, out.meta, reason=str(err))


# a failed re-clone of the same candidates (offline, repository gone) keeps the last good copy
run_job(snakemake, acquire_chosen, snakemake.input.candidates, out.tree, out.meta, clone_timeout_s=int(p.timeout_s),
        clone_max_mb=float(p.max_mb), refresh="re-cloning the code", fallback=unreachable)
