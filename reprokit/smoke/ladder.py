"""Stage 6: the smoke ladder, a gate before any training run.

Each tier runs the program that trains, ``code/train.py``, with ``--smoke-tier N`` for every model, so a
broken ``code/`` fails tier 1 with its own error and no training job starts. The checks themselves are in
``reprokit.smoke.checks``; here each tier's processes are started, their records gathered into a log a person
reads and a JSON twin, and the first failed check raised as one sentence. ``smoke_status`` summarises the
ladder and sizes the training jobs from tier 3's measured times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.cluster.runlock import exclusive
from reprokit.errors import UserError
from reprokit.smoke.checks import TIERS


def _run_model(tier: int, code_dir: Path, config: str, data: str, model: str, seed: int, settings: dict[str, Any],
               python: str, env: dict[str, str]) -> tuple[dict[str, Any] | None, str]:
    with tempfile.TemporaryDirectory(prefix="reprokit-smoke-") as scratch:
        record = Path(scratch) / "record.json"
        command = [python, str(code_dir / "train.py"), "--config", str(config), "--model", model, "--seed", str(seed),
                   "--data", str(data), "--run-dir", scratch, "--smoke-tier", str(tier), "--smoke-record", str(record),
                   "--smoke-settings", json.dumps(settings), "--threads", str(int(settings.get("threads", 1))),
                   "--cpu-kernels", str(settings.get("cpu_kernels", "portable")),
                   "--device", str(settings.get("device", "auto"))]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=float(settings.get("timeout_s", 1800)))
        wall = time.perf_counter() - started
        output = (done.stdout + done.stderr).strip()
        if done.returncode != 0 or not record.is_file():
            return None, output
        return {**json.loads(record.read_text()), "wall_seconds": wall}, output


def run_tier(tier: int, code_dir: str, config: str, data: str, models: list[str], seed: int, settings: dict[str, Any],
             out_log: str, out_json: str, python: str | None = None) -> dict[str, Any]:
    """Run one tier through ``code/train.py`` for every model; write its log and JSON; raise UserError naming
    the first failed check (or the program's own error). One smoke job at a time writes the smoke folder."""
    with exclusive(Path(out_log).parent, "smoke folder"):
        return _run_tier(tier, code_dir, config, data, models, seed, settings, out_log, out_json, python)


def _run_tier(tier: int, code_dir: str, config: str, data: str, models: list[str], seed: int, settings: dict[str, Any],
              out_log: str, out_json: str, python: str | None) -> dict[str, Any]:
    if tier not in TIERS:
        raise UserError(f"smoke tier {tier} does not exist; tiers are 1, 2 and 3.")
    if not models:
        raise UserError("the smoke ladder has no models to check; list the paper's `models` in config/config.yaml.")
    code = Path(code_dir)
    if not (code / "train.py").is_file():
        raise UserError(f"{code / 'train.py'} does not exist; run stage 4 (implement_code) first.")
    env = dict(os.environ)  # reprokit is installed in this environment (or on its PYTHONPATH): train.py imports it
    lines = [f"smoke tier {tier} ({TIERS[tier]}) through {code / 'train.py'}", f"config {config}", ""]
    results: list[dict[str, Any]] = []
    walls: dict[str, float] = {}
    devices = set()
    for model in models:
        record, output = _run_model(tier, code, config, data, model, seed, settings, python or sys.executable, env)
        lines += [f"$ train.py --model {model} --smoke-tier {tier}", output, ""]
        if record is None:
            last = [line for line in output.splitlines() if line.strip()]
            finish_tier(lines, None, out_log, out_json, failure=(
                f"smoke tier {tier} ({TIERS[tier]}) failed for {model}: code/train.py exited with an error "
                f"({last[-1][:300] if last else 'no output'}); fix code/ or the task (full output in "
                f"{out_log}.failed) before training."))
        devices.add(record.get("device", ""))
        walls[model] = round(record["wall_seconds"], 3)
        results += [{"model": model, **check} for check in record["checks"]]
    failed = [r for r in results if not r["ok"]]
    lines.insert(0, f"RESULT: {'PASS' if not failed else 'FAIL'} ({len(results) - len(failed)} of {len(results)} checks "
                    "passed; each model's checks as train.py printed them below)")
    record = {"tier": tier, "name": TIERS[tier], "passed": not failed, "checks": results, "device": sorted(devices),
              "wall_seconds": walls}
    first = failed[0] if failed else None
    return finish_tier(lines, record, out_log, out_json, failure=first and (
        f"smoke tier {tier} ({TIERS[tier]}) failed for {first['model']}: {first['check']} ({first['detail']}); fix "
        "the ledger value behind it (see gaps_filled.md) before training."))


def finish_tier(lines: list[str], record: dict[str, Any] | None, out_log: str, out_json: str,
                failure: str | None = None) -> dict[str, Any]:
    """End a smoke tier (either route): on ``failure``, its log goes to ``<log>.failed`` (the tier's outputs are
    not written, so it reruns) and the sentence is raised; else the log and the JSON record are written."""
    if failure:
        atomic.write_text(out_log + ".failed", "\n".join(lines) + "\n")
        raise UserError(failure)
    Path(out_log + ".failed").unlink(missing_ok=True)
    atomic.write_text(out_log, "\n".join(lines) + "\n")
    atomic.write_json(out_json, record)
    return record


def estimate(check: dict[str, Any], wall: float | None, checkpoint_every: int) -> dict[str, Any]:
    """A training run's seconds from tier 3's measurements: start-up (the tier's process time outside its measured
    loop, evaluation and checkpoint write: imports, data loading, model construction) + steps x s/step +
    evaluations x s/eval + checkpoint writes x s/checkpoint. The SLURM request made from it is
    ``reprokit.cluster.runtime.request_minutes`` (the job's overhead, the margin, the floor)."""
    measured = (check["seconds_per_step"] * check.get("iterations", 0) + check["seconds_per_eval"]
                + check.get("seconds_per_checkpoint", 0.0))
    startup = max(0.0, (wall or 0.0) - measured)
    checkpoints = check["total_steps"] // max(1, checkpoint_every) + 1
    parts = {"startup": startup, "steps": check["seconds_per_step"] * check["total_steps"],
             "evaluations": check["seconds_per_eval"] * check["eval_points"],
             "checkpoints": check.get("seconds_per_checkpoint", 0.0) * checkpoints}
    seconds = sum(parts.values())
    return {"seconds_per_step": check["seconds_per_step"], "seconds_per_eval": check["seconds_per_eval"],
            "seconds_per_checkpoint": check.get("seconds_per_checkpoint", 0.0), "total_steps": check["total_steps"],
            "eval_points": check["eval_points"], "checkpoints": checkpoints,
            "parts": {k: round(v, 2) for k, v in parts.items()}, "estimated_seconds": round(seconds, 1)}


def smoke_status(tier_jsons: list[str], out_md: str, out_json: str, checkpoint_every: int = 1000) -> dict[str, Any]:
    """Summarise the ladder and estimate each model's training run from tier 3's measurements."""
    tiers = [atomic.read_json(p, "smoke tier record") for p in tier_jsons]
    failed = [t for t in tiers if not t.get("passed")]
    if failed:
        raise UserError(f"smoke tier {failed[0].get('tier')} did not pass; rerun it after fixing the ledger.")
    if not any(t["checks"] for t in tiers):
        raise UserError("the smoke ladder ran no checks; list the paper's `models` in config/config.yaml.")
    walls = tiers[-1].get("wall_seconds", {})
    estimates = {check["model"]: estimate(check, walls.get(check["model"]), checkpoint_every)
                 for check in tiers[-1]["checks"] if "seconds_per_step" in check}
    record = {"passed": True, "tiers": [{"tier": t["tier"], "name": t["name"], "checks": len(t["checks"])} for t in tiers],
              "estimates": estimates}
    lines = ["# Smoke ladder: PASS", "", "| tier | checks | result |", "|---|---|---|"]
    lines += [f"| {t['tier']} {t['name']} | {len(t['checks'])} | pass |" for t in tiers]
    lines += ["", "## Training time estimates per run (measured here; run_plan.md gives the SLURM request made from "
              "them)", "", "| model | steps | s/step | evaluations x s | checkpoints x s | start-up | estimated |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {m} | {e['total_steps']} | {e['seconds_per_step'] * 1000:.2f} ms | {e['eval_points']} x "
              f"{e['seconds_per_eval']:.2f} | {e['checkpoints']} x {e['seconds_per_checkpoint']:.3f} | "
              f"{e['parts']['startup']:.1f} s | {e['estimated_seconds']:.0f} s |" for m, e in estimates.items()]
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, "\n".join(lines) + "\n")
    return record
