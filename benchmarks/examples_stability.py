"""Benchmark: do the bundled examples give the same verdict whatever the seed and the thread count?

    python benchmarks/examples_stability.py [--examples mnist1d,grokking] [--seeds 0-4] [--threads 1,2]
        [--cores N] [--cpu-kernels portable|native] [--reach 99] [--json out.json]

For each example the workflow itself prepares what training needs (stages 1-5, `snakemake
repro/<paper>/implementation.json repro/<paper>/data/dataset.npz` in a scratch copy of this project, so the
ledger, the config and the data are exactly the pipeline's); then every model trains through code/train.py, as
the train_run rule runs it, once per seed and thread count (runs side by side up to --cores threads in all).

Printed per example, model and thread count:
  - each seed's value at the cut as results.md reads it (the config's `final_window`), and the mean ± std;
  - the label results.md would give the mean (the paper's value and the config's tolerance), and the label each
    seed alone would get, so a verdict that rests on one lucky seed shows;
  - the first step at which each seed reached --reach percent of the paper's value (grokking: when it grokked),
    and the lowest evaluation after it (a transient dip, such as a late loss spike);
  - whether the same seed gave bit-identical metrics with each thread count.
The seconds of each run are printed too; nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.config import paper_settings, validate  # noqa: E402
from reprokit.replicate.compare import thresholds, value_at, verdict  # noqa: E402
from reprokit.replicate.plan import paper_values  # noqa: E402

SKIP = {".git", ".venv", ".snakemake", "repro", "logs", "results.md", ".pytest_cache", ".ruff_cache", "__pycache__"}


def seeds_arg(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        out += list(range(int(low), int(high or low) + 1))
    return out


def prepare(paper: str, scratch: Path) -> Path:
    """Stages 1-5 of ``paper`` by the workflow, in a scratch copy of the project; returns the workspace."""
    project = scratch / "project"
    shutil.copytree(ROOT, project, ignore=lambda _d, names: [n for n in names if n in SKIP])
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", "--config", f"paper={paper}",
                           "--quiet", "all", "--", f"repro/{paper}/implementation.json",
                           f"repro/{paper}/data/dataset.npz"], cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"error: preparing {paper} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    print(f"{paper}: stages 1-5 prepared in {time.perf_counter() - started:.0f} s", flush=True)
    return project / "repro" / paper


def train(workspace: Path, project: Path, model: str, seed: int, threads: int, kernels: str, out: Path) -> dict:
    """One run through code/train.py, as the train_run rule runs it; returns its metrics."""
    run_dir = out / f"{model}-seed{seed}-t{threads}"
    metrics = run_dir / "metrics.json"
    env = {**os.environ, "PYTHONPATH": str(project)}
    for name in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_CBWR", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env.pop(name, None)  # the run chooses its kernels and threads itself
    code = workspace / "code"
    command = [sys.executable, str(code / "train.py"), "--config", str(code / "configs" / "repro-default.yaml"),
               "--model", model, "--seed", str(seed), "--data", str(workspace / "data" / "dataset.npz"),
               "--run-dir", str(run_dir), "--metrics", str(metrics), "--threads", str(threads),
               "--cpu-kernels", kernels, "--no-resume", "--checkpoint-every", str(10**9)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=code)
    if done.returncode != 0:
        sys.exit(f"error: run {model} seed {seed} ({threads} threads) failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return json.loads(metrics.read_text())


def first_reach(metrics: dict[str, Any], name: str, level: float) -> tuple[int | None, float | None]:
    """The first step at which the metric reached ``level`` and the lowest evaluation after it."""
    steps, values = metrics["steps"], metrics["metrics"][name]
    for i, value in enumerate(values):
        if value is not None and value >= level:
            later = [v for v in values[i:] if v is not None and math.isfinite(v)]
            return steps[i], min(later)
    return None, None


def short(label: str) -> str:
    """"[gap, hypothesis: ...]" -> "[gap]": the kind of label, for counting."""
    return label.split(",")[0].rstrip("]") + "]"


def summarise(paper: str, settings: dict[str, Any], reported: dict[str, Any], runs: dict[tuple, dict],
              threads: list[int], seeds: list[int], reach: float) -> list[dict[str, Any]]:
    rows = []
    window = int(settings.get("final_window") or 1)
    for model in [m["name"] for m in settings["models"]]:
        paper_value = reported[model]["value"]
        unit = next(iter(runs.values()))["primary"]["unit"]
        tol, dis = thresholds(unit, paper_value, settings.get("tolerance"), settings.get("disagreement"))
        for t in threads:
            per_seed = []
            for s in seeds:
                m = runs[(model, s, t)]
                name = m["primary"]["name"]
                value, _, _ = value_at(m, name, m["steps"][-1], "steps", window)
                step, low = first_reach(m, name, reach / 100 * paper_value)
                per_seed.append({"seed": s, "value": value, "at_cut": value_at(m, name, m["steps"][-1], "steps")[0],
                                 "reached_at": step, "lowest_after": low,
                                 "seconds": m["seconds"], "kernels": m.get("cpu_kernels"),
                                 "label": short(verdict(value - paper_value, tol, dis, "...", "...", unit))})
            values = [x["value"] for x in per_seed]
            mean = statistics.fmean(values)
            std = statistics.stdev(values) if len(values) > 1 else 0.0
            label = short(verdict(mean - paper_value, tol, dis, "...", "...", unit))
            same = None
            if t != threads[0]:
                same = sum(runs[(model, s, t)]["metrics"] == runs[(model, s, threads[0])]["metrics"] for s in seeds)
            rows.append({"paper": paper, "model": model, "threads": t, "paper_value": paper_value, "mean": mean,
                         "std": std, "min": min(values), "max": max(values), "label": label, "seeds": per_seed,
                         "identical_to_first_thread_count": same, "window": window})
    return rows


def show(rows: list[dict[str, Any]], seeds: list[int], reach: float) -> None:
    for r in rows:
        window = f" (median of the last {r['window']} evaluations)" if r["window"] > 1 else ""
        labels = {}
        for x in r["seeds"]:
            labels[x["label"]] = labels.get(x["label"], 0) + 1
        same = "" if r["identical_to_first_thread_count"] is None else \
            f"; identical to the first thread count for {r['identical_to_first_thread_count']} of {len(seeds)} seeds"
        print(f"\n{r['paper']} {r['model']}, {r['threads']} thread(s): ours {r['mean']:.2f} ± {r['std']:.2f} "
              f"(min {r['min']:.2f}, max {r['max']:.2f}) vs paper {r['paper_value']:g} -> {r['label']}"
              f"{window}; labels of single "
              f"seeds: {', '.join(f'{k} x{v}' for k, v in labels.items())}{same}")
        for x in r["seeds"]:
            reached = "never" if x["reached_at"] is None else f"step {x['reached_at']} (lowest after: {x['lowest_after']:.2f})"
            cut = f" (the cut's own evaluation: {x['at_cut']:.2f})" if r["window"] > 1 else ""
            print(f"  seed {x['seed']:>2}: {x['value']:7.2f}{cut}  reached {reach:g}% of the paper's value: {reached}  "
                  f"{x['seconds']:.0f} s  kernels {x['kernels']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", default="mnist1d,grokking")
    parser.add_argument("--seeds", default="0-4", help="e.g. 0-9 or 0,1,5")
    parser.add_argument("--threads", default="1,2", help="thread counts per run, e.g. 1,2")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="threads of all runs side by side")
    parser.add_argument("--cpu-kernels", choices=("portable", "native"), default="portable")
    parser.add_argument("--reach", type=float, default=99.0, help="percent of the paper's value that counts as reached")
    parser.add_argument("--json", help="also write every figure here")
    args = parser.parse_args()
    seeds, threads = seeds_arg(args.seeds), [int(t) for t in args.threads.split(",")]
    config = validate(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()),
                      yaml.safe_load((ROOT / "config" / "schema.yaml").read_text()))
    all_rows = []
    with tempfile.TemporaryDirectory(prefix="reprokit-stability-") as scratch_dir:
        scratch = Path(scratch_dir)
        for paper in args.examples.split(","):
            settings = paper_settings(config, paper, {})
            workspace = prepare(paper, scratch / paper)
            jobs = [(m["name"], s, t) for t in threads for m in settings["models"] for s in seeds]
            runs: dict[tuple, dict] = {}
            started = time.perf_counter()
            for t in threads:  # one thread count at a time: runs side by side never share a core
                batch = [j for j in jobs if j[2] == t]
                with ThreadPoolExecutor(max_workers=max(1, args.cores // t)) as pool:
                    futures = {j: pool.submit(train, workspace, scratch / paper / "project", j[0], j[1], t,
                                              args.cpu_kernels, scratch / paper / "runs") for j in batch}
                    for j, f in futures.items():
                        runs[j] = f.result()
                print(f"{paper}: {len(batch)} runs with {t} thread(s) in {time.perf_counter() - started:.0f} s",
                      flush=True)
            unit = next(iter(runs.values()))["primary"]["unit"]
            reported = paper_values(json.loads((workspace / "paper.json").read_text()), settings["models"],
                                    settings.get("metric_column"), unit, settings.get("paper_unit", "auto"))
            rows = summarise(paper, settings, reported, runs, threads, seeds, args.reach)
            show(rows, seeds, args.reach)
            all_rows += rows
    if args.json:
        Path(args.json).write_text(json.dumps(all_rows, indent=1))


if __name__ == "__main__":
    main()
