"""Config values that only the paper's task can judge, checked before any job runs: each ledger override's
name and, for the task's own knobs, its type; each dataset argument against the task's ``DATA_ARGS``."""

from __future__ import annotations

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


def check_task_settings(config: dict[str, Any]) -> None:
    """Each configured paper's overrides and dataset args, by its task (loaded only when something needs it).
    Raises UserError naming the key, the value and what is accepted."""
    for paper_id, paper in config["papers"].items():
        overrides = paper.get("overrides") or {}
        args = (paper.get("dataset") or {}).get("args") or {}
        task_spec = paper.get("task")
        outside_core = [name for name in overrides if name not in CORE]
        if not task_spec:
            if outside_core:
                raise UserError(f"config key papers/{paper_id}/overrides/{outside_core[0]}: not a ledger entry "
                                f"(this paper has no task, so only the core knobs exist: {', '.join(sorted(CORE))}); "
                                "fix the name in config/config.yaml.")
            continue
        if not outside_core and not args:
            continue
        try:
            task = load_task(task_spec)
        except UserError as err:
            raise UserError(f"config key papers/{paper_id}/task: {err}") from None
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
