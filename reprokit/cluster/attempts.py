"""Keep every attempt's training output.

Snakemake empties a job's declared log before each attempt, so a retried SLURM job (cancelled, timed out,
preempted) would lose what the failed attempt printed. ``run_logged`` runs the training command and copies
its output, as it comes, to the declared log (the current attempt) and appends it to a history file that
Snakemake never removes, under a header numbering the attempt and naming the host, the SLURM job and the
time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

HEADER = "===== attempt "


def attempts_so_far(history: Path) -> int:
    if not history.is_file():
        return 0
    with open(history, encoding="utf-8", errors="replace") as handle:
        return sum(1 for line in handle if line.startswith(HEADER))


def header(number: int) -> str:
    job = os.environ.get("SLURM_JOB_ID")
    where = f"SLURM job {job}" + (f" (requeue {os.environ['SLURM_RESTART_COUNT']})"
                                  if os.environ.get("SLURM_RESTART_COUNT", "0") != "0" else "") if job else "local"
    return f"{HEADER}{number}: {time.strftime('%Y-%m-%d %H:%M:%S')} on {socket.gethostname()}, {where} =====\n"


def tee(history: Path, source, sink) -> None:
    """Copy ``source`` to ``sink`` and append it to ``history`` under a new attempt header, chunk by chunk."""
    history.parent.mkdir(parents=True, exist_ok=True)
    with open(history, "ab") as kept:
        kept.write(header(attempts_so_far(history) + 1).encode())
        kept.flush()
        while chunk := source.read1(65536) if hasattr(source, "read1") else source.read(65536):
            sink.write(chunk)
            sink.flush()
            kept.write(chunk)
            kept.flush()


def run_logged(command: list[str], log: str | os.PathLike, history: str | os.PathLike,
               env: dict[str, str] | None = None, cwd: str | os.PathLike | None = None) -> int:
    """Run ``command`` with stdout and stderr going to ``log`` and appended to ``history``; its exit status."""
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as current:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        try:
            tee(Path(history), process.stdout, current)
        finally:
            process.stdout.close()
            code = process.wait()
    return code
