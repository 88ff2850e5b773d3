"""Stage 7 for the upstream route: one training run of the official code, its metrics read back.

The run works in ``runs/upstream/<run>/`` (see ``upstream.run``), emptied at the start of each attempt (what a
previous or killed attempt wrote there is never read as this one's); everything it prints goes to the job's log
and to the attempts history; its metric becomes ``runs/upstream/<run>/metrics.json`` in the harness's shape.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.cluster.attempts import run_logged
from reprokit.errors import UserError
from reprokit.upstream.metrics import STDOUT, metrics_record, stale_source
from reprokit.upstream.run import environment, load, process_command, run_view


def train_upstream(official_json: str, env_json: str, paper: dict[str, Any], paper_id: str, run: str, model: str,
                   seed: int, run_dir: str, log: str, history: str, out_run: str) -> dict[str, Any]:
    """Run the official code once; ``run.json`` records the command, the seconds and where its output is."""
    record, python = load(official_json, env_json, bool(paper.get("trust_upstream")), paper_id)
    spec = next((m for m in paper.get("models", []) if m["name"] == model), {"name": model})
    if Path(run_dir).is_dir():  # each attempt starts clean: a rerun or a killed attempt leaves nothing to misread
        shutil.rmtree(run_dir)
    folder = run_view(record["tree"], run_dir)
    args = process_command(record, python, seed=seed, model_args=list(spec.get("args", [])),
                           run_args=list(paper.get("run_args") or []),
                           placeholders={"run_dir": str(folder.resolve()), "seed": seed, "model": model})
    started, started_at = time.perf_counter(), time.time()
    status = run_logged(args, log, history, environment(list(paper.get("tokens") or []), record), cwd=folder)
    seconds = round(time.perf_counter() - started, 2)
    printed = Path(log).read_text(encoding="utf-8", errors="replace")
    if status != 0:
        lines = [line.strip() for line in printed.splitlines() if line.strip()]
        last = lines[-1][:300] if lines else "no output"
        raise UserError(f"the official code's run {run} exited with status {status} ({last}); its output is in {log} "
                        f"(every attempt in {history}).")
    atomic.write_text(folder / STDOUT, printed)
    done = {"run": run, "model": model, "seed": seed, "command": args[1:], "seconds": seconds, "stdout": STDOUT,
            "implementation": "upstream", "started_at": started_at}
    atomic.write_json(out_run, done)
    return done


def read_metrics(run_json: str, metrics_from: dict[str, Any] | None, paper_id: str, out_metrics: str) -> dict[str, Any]:
    """``metrics.json`` of a finished run, read from what it wrote (a changed ``metrics_from`` re-reads, never
    retrains)."""
    if not metrics_from:
        raise UserError(f"paper {paper_id} has no `metrics_from`; say where the official code writes its metric "
                        "(docs/upstream.md) in config/config.yaml.")
    done = atomic.read_json(run_json, "official code run")
    folder = Path(run_json).parent
    stdout = (folder / done["stdout"]).read_text(encoding="utf-8", errors="replace") \
        if (folder / done["stdout"]).is_file() else ""
    stale = stale_source(metrics_from, folder, done.get("started_at"))
    if stale:
        raise UserError(f"run {done['run']}: {stale}")
    metrics = {**metrics_record(metrics_from, done["run"], done["model"], int(done["seed"]), folder, stdout,
                                done["seconds"]), "command": done["command"], "implementation": "upstream"}
    atomic.write_json(out_metrics, metrics)
    return metrics
