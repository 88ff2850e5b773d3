"""Config values that only the paper's task can judge, checked before any job runs: each model is one of the
task's MODELS, each ledger override's name and, for the task's own knobs, its type; each dataset argument
against the task's ``DATA_ARGS``. Loading a task imports torch (seconds), so a passed check is remembered
(keyed by the task file's content and the values) and not repeated."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from reprokit.errors import UserError
from reprokit.gaps.knobs import CORE, PARSERS, Knob
from reprokit.task.contract import Task, load_task

TYPE_WORDS = {int: "a whole number", float: "a number", bool: "true or false", str: "a text", list: "a list"}
KNOB_TYPES = {parser: kind for kind, parser in PARSERS.items()}  # Knob(..., int) keeps the parser of int


def _of_type(value: Any, kind: type) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind is int:
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind is float:
        return isinstance(value, (int, float))
    return isinstance(value, kind)


def knob_problem(knob: Knob, value: Any) -> str | None:
    """Why ``value`` cannot be the task knob's value (None when it can, or when its parser is a function)."""
    kind = KNOB_TYPES.get(knob.parse)
    if kind is None or value is None or _of_type(value, kind):
        return None
    return f"{value!r} is not {TYPE_WORDS[kind]}"


def data_args_problem(task: Task, args: dict[str, Any]) -> str | None:
    """Why ``args`` cannot go to the task's make_data, judged by its ``DATA_ARGS`` defaults (None: fine or
    not declared)."""
    declared = task.data_args
    if declared is None:
        return None
    for name, value in args.items():
        if name not in declared:
            return f"{name!r} is not an argument of the task's make_data (it takes {', '.join(sorted(declared))})"
        default = declared[name]
        kind = type(default) if default is not None else None
        if kind in TYPE_WORDS and not _of_type(value, kind):
            return f"{name}: {value!r} is not {TYPE_WORDS[kind]} (the default is {default!r})"
    return None


def _check_key(task_spec: str, values: dict[str, Any]) -> str | None:
    """What a passed check depends on; None for a task given as a module (not remembered)."""
    path = Path(task_spec)
    if not path.is_file():
        return None
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps([task_spec, values], sort_keys=True, default=str).encode())
    return digest.hexdigest()


def check_task_settings(config: dict[str, Any], paper_ids: list[str] | None = None,
                        passed_dir: str | Path | None = None, official_metrics: dict[str, str | None] | None = None
                        ) -> None:
    """The models, overrides and dataset args of the given papers (default: all configured), by each one's task,
    and (``official_metrics``: paper -> the name the official code's metric is recorded under, for papers that run
    both routes) that name is one of the task's metrics, since the two are compared side by side. Raises UserError
    naming the key, the value and what is accepted. A check that passed is recorded in ``passed_dir`` and skipped
    next time."""
    for paper_id in paper_ids if paper_ids is not None else list(config["papers"]):
        paper = config["papers"][paper_id]
        overrides = paper.get("overrides") or {}
        args = (paper.get("dataset") or {}).get("args") or {}
        models = [m["name"] for m in paper.get("models") or []]
        task_spec = paper.get("task")
        outside_core = [name for name in overrides if name not in CORE]
        if not task_spec:
            if outside_core:
                raise UserError(f"config key papers/{paper_id}/overrides/{outside_core[0]}: not a ledger entry "
                                f"(this paper has no task, so only the core knobs exist: {', '.join(sorted(CORE))}); "
                                "fix the name in config/config.yaml.")
            continue
        official = (official_metrics or {}).get(paper_id)
        if not outside_core and not args and not models and not official:
            continue
        key = _check_key(task_spec, {"overrides": overrides, "args": args, "models": models, "official": official})
        record = Path(passed_dir) / key if passed_dir and key else None
        if record is not None and record.is_file():
            continue
        _check_paper(paper_id, task_spec, overrides, args, models, outside_core, official)
        if record is not None:
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(f"{paper_id}: task {task_spec} accepts its models, overrides and dataset args\n")


def _check_paper(paper_id: str, task_spec: str, overrides: dict[str, Any], args: dict[str, Any], models: list[str],
                 outside_core: list[str], official: str | None = None) -> None:
    try:
        task = load_task(task_spec)
    except UserError as err:
        raise UserError(f"config key papers/{paper_id}/task: {err}") from None
    for number, name in enumerate(models):
        if name not in task.models:
            raise UserError(f"config key papers/{paper_id}/models/{number}/name: {name!r} is not a model of task "
                            f"{task_spec} (its MODELS: {', '.join(sorted(task.models))}); fix it in config/config.yaml.")
    knobs = {k.name: k for k in task.knobs}
    for name in outside_core:
        if name not in knobs:
            raise UserError(f"config key papers/{paper_id}/overrides/{name}: not a ledger entry (neither a core "
                            f"knob nor one of the task's knobs: {', '.join(sorted(knobs)) or 'none'}); fix the "
                            "name in config/config.yaml.")
        problem = knob_problem(knobs[name], overrides[name])
        if problem:
            raise UserError(f"config key papers/{paper_id}/overrides/{name}: {problem} (task knob of "
                            f"{task_spec}); fix it in config/config.yaml.")
    problem = data_args_problem(task, args)
    if problem:
        raise UserError(f"config key papers/{paper_id}/dataset/args: {problem}; fix it in config/config.yaml.")
    names = [m.name for m in task.metrics]
    if official and official not in names:
        raise UserError(f"config key papers/{paper_id}/metrics_from/name: the official code's metric is recorded as "
                        f"{official!r}, but task {task_spec} names its metric {names[0]!r}; under `both` the two are "
                        f"compared side by side, so set metrics_from: {{..., name: {names[0]}}} in config/config.yaml.")
