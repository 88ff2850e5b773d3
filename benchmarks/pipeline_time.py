"""Benchmark: wall time of the whole pipeline on the bundled example (after install), on this machine.

    python benchmarks/pipeline_time.py [--keep] [--paper grokking]

Runs `snakemake --cores 2 results.md` with the shipped config (8000 steps, 3 seeds per model) in a
fresh temporary working folder and prints the total wall time, the time per training run (Snakemake's
benchmark files) and the results table. The target is at most 5 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the working folder and print its path")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--paper", help="a configured paper other than the config's `paper` (e.g. grokking)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="reprokit-bench-"))
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    for paper in config["papers"].values():
        for key in ("source", "code_facts", "task"):
            if paper.get(key) and not str(paper[key]).startswith(("http://", "https://")):
                paper[key] = str((ROOT / paper[key]).resolve())
    if args.paper:
        config["paper"] = args.paper
    (workdir / "config").mkdir()
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
                           "--cores", str(args.cores), "results.md"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"pipeline failed after {wall:.1f} s")
    target = 300 if config["paper"] == "mnist1d" else 600  # the demo; a second example may take up to 10 min
    print(f"pipeline wall time: {wall:.1f} s ({wall / 60:.2f} min) on {args.cores} cores; target <= {target} s")
    paper = config["paper"]
    rows = []
    for tsv in sorted((workdir / "logs" / paper / "train_run").glob("*.benchmark.tsv")):
        with tsv.open() as handle:
            record = next(csv.DictReader(handle, delimiter="\t"))
        rows.append((tsv.name.removesuffix(".benchmark.tsv"), float(record["s"]), record.get("max_rss", "")))
    print(f"{'training run':<16} {'seconds':>8} {'max RSS MB':>11}")
    for run, seconds, rss in rows:
        print(f"{run:<16} {seconds:>8.1f} {rss:>11}")
    print(f"sum of training-run seconds: {sum(r[1] for r in rows):.1f}")
    print()
    print((workdir / "results.md").read_text().split("\n## ")[0])
    if args.keep:
        print(f"working folder: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
