"""Which route stage 4 takes for a paper, and the opt-in that running cloned code needs.

Running code from a cloned repository executes whatever it contains, so the upstream route runs only when the
paper's config says ``trust_upstream: true``; without it the route stops with one sentence saying what would
run. A run's environment never carries credentials unless the config lists them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from typing import Any

ROUTES = ("harness", "upstream", "both")
SECRET = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|ACCESS_KEY|CREDENTIALS?)$|^(AWS|GH|GITHUB|HF|HUGGING_?FACE|"
                    r"WANDB|OPENAI|ANTHROPIC|NETRC)_", re.IGNORECASE)


def choose_route(implementation: str, has_task: bool, code: str) -> str:
    """``implementation`` as configured (``auto`` picks harness when a task is written, else upstream unless the
    paper's code is ``none``, else harness, whose stage 4 then says a task is needed)."""
    if implementation in ROUTES:
        return implementation
    if has_task:
        return "harness"
    return "harness" if str(code) == "none" else "upstream"


def missing_metrics_problem(paper_id: str, has_task: bool) -> str:
    """What the upstream route lacks without `metrics_from` (where the official code writes its metric): one
    sentence without its final stop, said before any job (config) and by stage 4 itself."""
    if not has_task:
        return (f"papers/{paper_id} has no `task` and no `metrics_from`, and stages 4-7 need one: write a task file "
                f"(docs/task.md), or run its official code by setting `metrics_from` (where the code writes its "
                f"metric) and `trust_upstream: true` (docs/upstream.md); `snakemake repro/{paper_id}/gaps_filled.md` "
                "runs stages 1-3 without either")
    return (f"papers/{paper_id}: the upstream route needs to know where the official code writes its metric; set "
            "`metrics_from` (tensorboard, jsonl, json, csv or stdout; docs/upstream.md)")


def route_of(paper: Mapping[str, Any]) -> str:
    """The route of a paper's settings (defaults filled)."""
    return choose_route(str(paper.get("implementation", "auto")), bool(paper.get("task")), str(paper.get("code", "auto")))


def trust_problem(trusted: bool, paper_id: str, command: list[str], upstream: Mapping[str, Any],
                  tree: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """Why the upstream route may not run yet (None when the paper's config trusts it)."""
    if trusted:
        return None
    origin = upstream.get("url") or upstream.get("path") or upstream.get("source") or "the cloned repository"
    variables = "".join(f"{k}={shlex.quote(v)} " for k, v in (env or {}).items())
    where = tree or f"repro/{paper_id}/code"
    return (f"the upstream route would run `{variables}python {shlex.join(command)}` from {where}/ (code from "
            f"{origin}, never reviewed by reprokit; each run adds its seed and the model's arguments); set "
            f"`trust_upstream: true` under papers/{paper_id} in "
            "config/config.yaml to allow it.")


def run_environment(base: Mapping[str, str], allowed: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """The environment of an upstream run: everything but credentials (tokens, keys, passwords), except the
    names the config lists. Without its key, Weights & Biases logs offline (into the run's ``wandb/`` folder)
    instead of stopping the run for a login."""
    env = {name: value for name, value in base.items() if name in allowed or not SECRET.search(name)}
    if "WANDB_API_KEY" not in env:
        env.setdefault("WANDB_MODE", "offline")
    return env
