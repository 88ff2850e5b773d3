"""Stage 7 for the upstream route: one training run of the official code, its metrics read back.

The run works in ``runs/official/<run>/`` (see ``upstream.run``); everything it prints goes to the job's log
and to the attempts history; its metric becomes ``runs/official/<run>/metrics.json`` in the harness's shape.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.cluster.attempts import run_logged
from reprokit.errors import UserError
from reprokit.upstream.metrics import metrics_record
from reprokit.upstream.run import environment, load, process_command, run_view


def train_upstream(official_json: str, env_json: str, paper: dict[str, Any], paper_id: str, run: str, model: str,
                   seed: int, run_dir: str, log: str, history: str, out_metrics: str) -> dict[str, Any]:
    record, python = load(official_json, env_json, bool(paper.get("trust_upstream")), paper_id)
    if not paper.get("metrics_from"):
        raise UserError(f"paper {paper_id} has no `metrics_from`; say where the official code writes its metric "
                        "(docs/upstream.md) in config/config.yaml.")
    spec = next((m for m in paper.get("models", []) if m["name"] == model), {"name": model})
    folder = run_view(record["tree"], run_dir)
    args = process_command(record, python, seed=seed, model_args=list(spec.get("args", [])),
                           run_args=list(paper.get("run_args") or []),
                           placeholders={"run_dir": str(folder.resolve()), "seed": seed, "model": model})
    started = time.perf_counter()
    status = run_logged(args, log, history, environment(list(paper.get("tokens") or []), record), cwd=folder)
    seconds = round(time.perf_counter() - started, 2)
    if status != 0:
        raise UserError(f"the official code's run {run} exited with status {status}; its output is in {log} (every "
                        f"attempt in {history}).")
    stdout = Path(log).read_text(encoding="utf-8", errors="replace")
    metrics = {**metrics_record(paper["metrics_from"], run, model, seed, folder, stdout, seconds),
               "command": args[1:], "implementation": "upstream"}
    atomic.write_json(out_metrics, metrics)
    return metrics
