"""Benchmark: the smoke ladder's time estimate per training run against the real SLURM job's duration.

    python benchmarks/time_estimate.py [--paper mnist1d] [--seeds 0] [--keep]

Needs a SLURM cluster that answers `sinfo` (e.g. tests/slurm/start.sh). In a fresh temporary copy of the
project, installs the profile into a temporary HOME (`make slurm-profile`-equivalent, account
`benchmark`), runs the card's command `snakemake results.md --profile slurm` with the shipped budget, and
watches the queue. Per run it prints the estimate (smoke_status.json), the runtime request, the SLURM
job's wall time (start to end, from squeue) and the training program's own time (Snakemake's benchmark
file), and whether the estimate is within +-25% of the job. Goal: every run within +-25%.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from reprokit.cluster.profile import install  # noqa: E402
from reprokit.cluster.runtime import request_minutes  # noqa: E402

PARTS = ("Snakefile", "rules", "scripts", "reprokit", "config", "envs", "profiles", "examples")


def watch(jobs: dict[str, dict[str, str]], stop: threading.Event, first: int) -> None:
    """Record every job's comment, state, start and end while it is listed (MinJobAge keeps finished ones)."""
    while not stop.is_set():
        out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i|%k|%T|%S|%e"], capture_output=True, text=True)
        for line in out.stdout.splitlines():
            job_id, comment, state, start, end = line.split("|")
            if int(job_id) > first:
                jobs[job_id] = {"comment": comment, "state": state, "start": start, "end": end}
        stop.wait(2)


def seconds_between(start: str, end: str) -> float | None:
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except ValueError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", default=None, help="a configured paper (default: the config's `paper`)")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds (default 0: one run per model)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    args = parser.parse_args()
    if subprocess.run(["sinfo", "-h"], capture_output=True).returncode != 0:
        raise SystemExit("SLURM does not answer sinfo; start one (tests/slurm/start.sh as root) or run on a cluster.")
    base = Path(tempfile.mkdtemp(prefix="reprokit-estimate-"))
    project, home = base / "project", base / "home"
    project.mkdir()
    for part in PARTS:
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy2)(ROOT / part, project / part)
    config = yaml.safe_load((project / "config" / "config.yaml").read_text())
    paper = args.paper or config["paper"]
    config["paper"] = paper
    config["papers"][paper]["seeds"] = [int(s) for s in args.seeds.split(",")]
    (project / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    profile = install("benchmark", dest=home / ".config" / "snakemake" / "slurm") / "config.v8+.yaml"
    profile.write_text(profile.read_text().replace("slurm-init-seconds-before-status-checks: 20",
                                                   "slurm-init-seconds-before-status-checks: 3"))
    listed = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i"], capture_output=True, text=True).stdout.split()
    first = max([int(x) for x in listed] + [0])
    jobs: dict[str, dict[str, str]] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(jobs, stop, first), daemon=True)
    watcher.start()
    started = time.perf_counter()
    env = {"HOME": str(home), "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"}
    done = subprocess.run(["snakemake", "results.md", "--profile", "slurm"], cwd=project, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    time.sleep(3)
    stop.set()
    watcher.join()
    if done.returncode != 0:
        print((done.stdout + done.stderr)[-4000:], file=sys.stderr)
        raise SystemExit(f"the pipeline failed after {wall:.0f} s (kept in {base})")
    ws = project / "repro" / paper
    estimates = json.loads((ws / "smoke_logs" / "smoke_status.json").read_text())["estimates"]
    print(f"{paper}: pipeline {wall:.0f} s on SLURM ({len(jobs)} jobs)\n")
    print(f"{'run':<16} {'estimate':>9} {'request':>8} {'SLURM job':>10} {'program':>8} {'est/job':>8}  within 25%")
    ratios = []
    for job in sorted(jobs.values(), key=lambda j: j["comment"]):
        found = re.match(r"rule_train_run_wildcards_.+?_(.+-seed\d+)$", job["comment"])
        if not found or job["state"] != "COMPLETED":
            continue
        run = found.group(1)
        model = run.rsplit("-seed", 1)[0]
        estimate = estimates[model]
        duration = seconds_between(job["start"], job["end"])
        bench = project / "logs" / paper / "train_run" / f"{run}.benchmark.tsv"
        program = float(next(csv.DictReader(bench.open(), delimiter="\t"))["s"]) if bench.is_file() else float("nan")
        expected = estimate["estimated_seconds"] + float(config["smoke"]["job_overhead_s"])  # the program + the job
        ratio = expected / duration if duration else float("nan")
        ratios.append(ratio)
        print(f"{run:<16} {expected:>8.0f}s {request_minutes(estimate['estimated_seconds'], config['smoke']):>6}min "
              f"{duration:>9.0f}s {program:>7.0f}s {ratio:>8.2f}  {'yes' if 0.75 <= ratio <= 1.25 else 'NO'}")
    inside = sum(0.75 <= r <= 1.25 for r in ratios)
    print(f"\n{inside} of {len(ratios)} runs estimated within +-25% of the SLURM job's wall time (goal: all)")
    if args.keep:
        print(f"kept: {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
