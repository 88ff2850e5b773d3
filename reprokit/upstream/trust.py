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


def choose_route(implementation: str, has_task: bool, upstream: Mapping[str, Any]) -> str:
    """``implementation`` as configured (``auto`` picks harness when a task is written, else upstream when
    stage 2 found code, else harness, whose stage 4 then says a task is needed)."""
    if implementation in ROUTES:
        return implementation
    if has_task:
        return "harness"
    return "upstream" if upstream.get("kind") not in (None, "none") else "harness"


def trust_problem(trusted: bool, paper_id: str, command: list[str], upstream: Mapping[str, Any]) -> str | None:
    """Why the upstream route may not run yet (None when the paper's config trusts it)."""
    if trusted:
        return None
    origin = upstream.get("url") or upstream.get("source") or "the cloned repository"
    return (f"the upstream route would run `python {shlex.join(command)}` from repro/{paper_id}/code/ (code from "
            f"{origin}, never reviewed by reprokit); set `trust_upstream: true` under papers/{paper_id} in "
            "config/config.yaml to allow it.")


def run_environment(base: Mapping[str, str], allowed: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """The environment of an upstream run: everything but credentials (tokens, keys, passwords), except the
    names the config lists."""
    return {name: value for name, value in base.items() if name in allowed or not SECRET.search(name)}
