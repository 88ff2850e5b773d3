"""This project's SLURM jobs: what a dead driver left running, and how to stop it.

    python -m reprokit.cluster.jobs [--cancel] [--dir PROJECT]     (make slurm-jobs [CANCEL=1])

Lists your queued and running jobs whose working directory is the project (the SLURM plugin submits from
the driver's working directory), with the rule and wildcards the plugin puts in each job's comment and the
driver run (the job name is the driver's run id). ``--cancel`` cancels them. Use it before
``snakemake --unlock`` after a driver was killed; never while a driver is running.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from reprokit.errors import UserError

FORMAT = "%i|%T|%M|%l|%j|%k|%Z"
ACTIVE = {"PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "RESIZING", "SUSPENDED"}


def project_jobs(project: Path) -> list[dict[str, str]]:
    if not shutil.which("squeue"):
        raise UserError("squeue is not on PATH; run this on a SLURM login node.")
    done = subprocess.run(["squeue", "--me", "-h", "-o", FORMAT], capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"squeue failed ({done.stderr.strip()[-300:]}); check that SLURM answers (sinfo).")
    project = project.resolve()
    jobs = []
    for line in done.stdout.splitlines():
        parts = line.split("|")
        if len(parts) != 7:
            continue
        job = dict(zip(("id", "state", "elapsed", "limit", "driver", "comment", "workdir"), parts))
        inside = Path(job["workdir"]).resolve() == project or project in Path(job["workdir"]).resolve().parents
        if inside and job["state"] in ACTIVE:
            jobs.append(job)
    return jobs


def describe(jobs: list[dict[str, str]]) -> str:
    if not jobs:
        return "no queued or running SLURM job of yours works in this project."
    lines = [f"{len(jobs)} SLURM job(s) of yours work in this project:", "",
             f"{'job':>10}  {'state':<10} {'elapsed':>10} {'limit':>10}  {'driver run':<36}  rule and wildcards"]
    lines += [f"{j['id']:>10}  {j['state']:<10} {j['elapsed']:>10} {j['limit']:>10}  {j['driver']:<36}  {j['comment']}"
              for j in jobs]
    lines += ["", f"to cancel them: scancel {' '.join(j['id'] for j in jobs)}   (or: make slurm-jobs CANCEL=1)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="List (and optionally cancel) this project's SLURM jobs.")
    parser.add_argument("--dir", default=os.getcwd(), help="the project folder (default: the current one)")
    parser.add_argument("--cancel", action="store_true", help="scancel every listed job and wait until they stopped")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for cancelled jobs to stop")
    args = parser.parse_args(argv)
    try:
        jobs = project_jobs(Path(args.dir))
    except UserError as err:
        sys.exit(f"error: {err}")
    print(describe(jobs))
    if args.cancel and jobs:
        ids = {j["id"] for j in jobs}
        subprocess.run(["scancel", *sorted(ids)], check=True)
        deadline = time.monotonic() + args.wait
        while time.monotonic() < deadline and ids & {j["id"] for j in project_jobs(Path(args.dir))}:
            time.sleep(1)  # a cancelled job is COMPLETING until its processes (and their run locks) are gone
        left = ids & {j["id"] for j in project_jobs(Path(args.dir))}
        if left:
            sys.exit(f"error: job(s) {' '.join(sorted(left))} were cancelled but still run after {args.wait:g} s; check "
                     "them with squeue before rerunning.")
        print(f"cancelled {len(jobs)} job(s) and they have stopped; when no driver runs here, release its lock: "
              "snakemake --unlock")


if __name__ == "__main__":
    main()
