"""The reprokit that a workflow's jobs import must be this workflow's own.

Scripts import reprokit as an installed package (``make demo`` installs it editable into .venv; a conda job's
environment gets it from envs/*.post-deploy.sh); nothing inserts paths. A reprokit installed from another checkout
would make the jobs run that checkout's code while the Snakefile runs this one's, so it is refused before any job.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from reprokit.errors import UserError

# what a rule's script sees: this interpreter, its PYTHONPATH, and not the working folder (-P: no script folder)
PROBE = [sys.executable, "-P", "-c", "import reprokit, sys; sys.stdout.write(reprokit.__file__)"]


def check_installed(basedir: str | Path) -> None:
    """Raise UserError unless this Python's jobs import reprokit from ``basedir``/reprokit."""
    ours = (Path(basedir) / "reprokit").resolve()
    done = subprocess.run(PROBE, capture_output=True, text=True, cwd="/")
    if done.returncode != 0:
        raise UserError(f"the reprokit package is not installed in this Python ({sys.executable}), so the rules' "
                        f"scripts cannot import it; run `make demo` once (it sets up .venv) or `pip install -e "
                        f"{basedir}`, then run snakemake from that environment.")
    found = Path(done.stdout.strip()).resolve().parent
    if found != ours:
        raise UserError(f"this Python's jobs would import reprokit from {found}, not from this workflow ({ours}); run "
                        f"`pip install -e {basedir}` (or put {basedir} first on PYTHONPATH) and run snakemake again.")
