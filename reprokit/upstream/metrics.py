"""Stage 7 for the upstream route: the official code's own outputs read back as ``runs/<run>/metrics.json``,
in the shape the harness writes, so the comparison and its labels do not care who trained.

``metrics_from`` (per paper) names one source:

- ``{tensorboard: <folder>, tag: <scalar tag>}``: event files, read with tensorboard's own event reader;
- ``{jsonl: <file>, key: <field>, step: <field>}``, ``{json: <file>, key: ..., step: ...}`` (a list of records;
  or one record whose ``key`` holds a list of values, one per ``every`` steps: a function's returned history)
  or ``{csv: <file>, column: <name>, step: <name>}``: a log the code writes;
- ``{stdout: <regular expression>}`` with a ``value`` group (and optionally ``step``): the run's printed output.

Optional keys: ``name`` (the metric's name in results.md), ``scale`` (100 turns a fraction into percent),
``unit`` (percent), ``higher_is_better`` (true), ``axis`` (``steps`` or ``epochs``: what the step field counts;
default epochs when its name says so, else steps). Paths are relative to the run's folder.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from pathlib import Path
from typing import Any

from reprokit.errors import UserError

STDOUT = "stdout.log"  # a run's printed output, kept in its folder by train_upstream (the `stdout` source reads it)
SOURCES = {"tensorboard": "tag", "jsonl": "key", "json": "key", "csv": "column", "stdout": None}  # kind: field


def pattern_problem(pattern: str, key: str) -> str | None:
    """Why a configured regular expression cannot read values ("<key>: <problem>"), or None."""
    try:
        regex = re.compile(pattern)
    except re.error as err:
        return f"{key}: not a regular expression ({err})"
    return None if "value" in regex.groupindex else f"{key}: needs a (?P<value>...) group"


def source_problem(source: dict[str, Any]) -> str | None:
    """Why a ``metrics_from`` cannot be read ("metrics_from...: <problem>"), or None: checked before any job
    runs, and again by the job that reads it."""
    kinds = [k for k in SOURCES if k in source]
    if len(kinds) != 1:
        return f"metrics_from: give exactly one of {', '.join(SOURCES)} (given: {', '.join(kinds) or 'none'})"
    needed = SOURCES[kinds[0]]
    if needed and needed not in source:
        return (f"metrics_from: a {kinds[0]} source needs `{needed}`"
                + (" (`key` is for json and jsonl)" if kinds[0] == "csv" and "key" in source else "")
                + (" (`column` is for csv)" if kinds[0] in ("json", "jsonl") and "column" in source else ""))
    return pattern_problem(source["stdout"], "metrics_from/stdout") if kinds[0] == "stdout" else None


def _series_from_records(records: list[Any], key: str, step: str | None, where: str) -> list[tuple[int, float]]:
    out = []
    for index, record in enumerate(records):
        if not isinstance(record, dict) or key not in record or _blank(record[key]):
            continue  # a blank cell is a row of another kind (Lightning's CSV logger: a training step's row)
        try:
            value = float(record[key])
            at = int(float(record[step])) if step and not _blank(record.get(step)) else index
        except (TypeError, ValueError):
            raise UserError(f"{where}: record {index} has {key} = {record.get(key)!r}, not a number; fix `metrics_from`."
                            ) from None
        out.append((at, value))
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise UserError(f"the official code wrote no {path}; check `metrics_from` (the file the code logs to).")
    return path.read_text(encoding="utf-8", errors="replace")


def read_series(source: dict[str, Any], run_dir: str | Path, stdout: str = "") -> list[tuple[int, float]]:
    """(step, value) pairs of the configured metric, in step order."""
    run_dir = Path(run_dir)
    problem = source_problem(source)
    if problem:
        raise UserError(f"{problem}; fix it in config/config.yaml.")
    kind = next(k for k in SOURCES if k in source)
    if kind == "tensorboard":
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

        folder = run_dir / source["tensorboard"]
        events = EventAccumulator(str(folder), size_guidance={"scalars": 0})
        events.Reload()
        tag = source.get("tag", "")
        if tag not in events.Tags().get("scalars", []):
            raise UserError(f"the TensorBoard events in {folder} have no scalar {tag!r} (they have "
                            f"{', '.join(events.Tags().get('scalars', [])) or 'none'}); fix `metrics_from.tag`.")
        series = [(int(e.step), float(e.value)) for e in events.Scalars(tag)]
    elif kind == "stdout":
        pattern = re.compile(source["stdout"])
        series = [(int(m.group("step")) if "step" in pattern.groupindex else i, float(m.group("value")))
                  for i, m in enumerate(pattern.finditer(stdout))]
    else:
        path = run_dir / source[kind]
        text = _read_text(path)
        try:
            if kind == "jsonl":
                records = [json.loads(line) for line in text.splitlines() if line.strip()]
            elif kind == "json":
                records = json.loads(text)
                listed = records.get(source.get("key")) if isinstance(records, dict) else None
                if isinstance(listed, list) and all(isinstance(v, (int, float)) for v in listed):
                    # {"test_acc": [...]}: one value per `every` steps (a function's returned history)
                    every = int(source.get("every", 1))
                    records = [{"_step": i * every, source["key"]: v} for i, v in enumerate(listed)]
                    source = {**source, "step": "_step"}
                records = records if isinstance(records, list) else [records]
            else:
                records = list(csv.DictReader(text.splitlines()))
        except (ValueError, csv.Error) as err:
            raise UserError(f"{path} is not valid {kind.upper()} ({err}); check what the official code wrote.") from None
        field = source.get("key") or source.get("column", "")
        series = _series_from_records(records, field, source.get("step"), str(path))
        if not series:
            fields = sorted({k for r in records if isinstance(r, dict) for k in r})
            raise UserError(f"{path} has no {'column' if kind == 'csv' else 'field'} {field!r} with a value (it has: "
                            f"{', '.join(fields) or 'no records'}); fix `metrics_from` for run {run_dir.name}.")
    series = [(step, value) for step, value in series if math.isfinite(value)]
    if not series:
        sample = next((line.strip() for line in stdout.splitlines() if line.strip()), "") if kind == "stdout" else ""
        raise UserError(f"no value of the metric was found in the official code's {kind} output for run {run_dir.name}"
                        + (f" (the pattern '{source['stdout']}' matches no line; its first line reads {sample[:120]!r})"
                           if kind == "stdout" else "") + "; fix `metrics_from`.")
    return sorted(series)


def stale_source(source: dict[str, Any], run_dir: str | Path, started_at: float | None) -> str | None:
    """Why the file (or TensorBoard folder) ``source`` names was not written by the run's last attempt, which
    started at ``started_at`` (a killed attempt's ``version_0/`` beside the real ``version_1/``), or None."""
    kind = next((k for k in SOURCES if k in source), "stdout")
    path = Path(run_dir) / str(source.get(kind, ""))
    if kind == "stdout" or started_at is None or not path.exists():
        return None
    files = [f for f in path.rglob("*") if f.is_file()] if path.is_dir() else [path]
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    if newest >= started_at - 1:
        return None
    own = [Path(top) / name for top, _, names in os.walk(run_dir) for name in names]  # links to code/ not followed
    fresher = sorted(str(f.relative_to(run_dir)) for f in own if not f.is_symlink() and f.stat().st_mtime >= started_at - 1
                     and (path.is_dir() or f.name == path.name) and f.name != STDOUT)[:3]
    return (f"{path.relative_to(run_dir)} was last written before the run's last attempt started (an earlier, "
            f"killed attempt's output)" + (f"; this attempt wrote {', '.join(fresher)}" if fresher else "")
            + "; point `metrics_from` at what the last attempt writes (a logger's version folder changes per attempt).")


def default_name(source: dict[str, Any]) -> str:
    """The metric's name when ``name`` is not given: the field, column or tag it is read from."""
    field = source.get("key") or source.get("column") or source.get("tag") or "metric"
    return re.split(r"[/.]", str(field))[-1] or "metric"


def metrics_record(source: dict[str, Any], run: str, model: str, seed: int, run_dir: str | Path,
                   stdout: str = "", seconds: float | None = None) -> dict[str, Any]:
    """``runs/<run>/metrics.json`` for an upstream run, in the harness's shape."""
    series = read_series(source, run_dir, stdout)
    scale = float(source.get("scale", 1.0))
    name = str(source.get("name") or default_name(source))
    steps = [step for step, _ in series]
    axis = source.get("axis") or ("epochs" if "epoch" in str(source.get("step", "")).lower() else "steps")
    # TensorBoard keeps float32: 0.8 comes back as 0.800000011920929, so keep 7 significant digits
    values = [float(f"{value * scale:.7g}") for _, value in series]
    return {"run": run, "model": model, "seed": seed, "source": "upstream", "metrics_from": source,
            "budget": steps[-1], "budget_unit": axis, "total_steps": steps[-1], "final_step": steps[-1],
            "steps": steps, "epochs": steps if axis == "epochs" else [None] * len(steps), "axis": axis,
            "train_loss": [None] * len(steps),
            "eval_loss": [None] * len(steps), "metrics": {name: values}, "final": {name: values[-1]},
            "primary": {"name": name, "unit": source.get("unit", "percent"),
                        "direction": "higher" if source.get("higher_is_better", True) else "lower"},
            "seconds": seconds}
