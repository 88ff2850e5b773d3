"""The smoke ladder for the official code: how to shrink its run, and the tiers judged from what it prints.

A shrunk run sets the entry point's step or epoch limit (and a debug switch when it has one), found among its
argparse flags by their standard names; ``smoke_args`` in the config replaces the guess. The losses are read
from the run's output (``loss: 2.31``, ``loss=2.31``, ``'loss': 2.31``, or the configured pattern with a
``value`` group). Tier 1: a first finite loss. Tier 2: a second loss below the first. Tier 3: the iterations'
losses trend down (the same check as the harness's tier 3).
"""

from __future__ import annotations

import math
import re
from typing import Any

from reprokit.errors import UserError
from reprokit.smoke.checks import trend_checks

STEPS = re.compile(r"^(max_steps|num_steps|total_steps|train_steps|steps|iterations|iters|max_iters|num_iters|"
                   r"num_updates|max_updates)$", re.IGNORECASE)
EPOCHS = re.compile(r"^(epochs|num_epochs|n_epochs|max_epochs|epoch)$", re.IGNORECASE)
DEBUG = re.compile(r"^(debug|dry_run|fast_dev_run|smoke_test|quick_test)$", re.IGNORECASE)
LOSS = re.compile(r"""(?<![\w/])(?:train[_ ]?)?loss['"]?\s*[:=]?\s*"""
                  r"(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)", re.IGNORECASE)


def shrink_args(options: list[dict[str, Any]], iterations: int) -> tuple[list[str], str]:
    """Arguments that make the entry point stop after ``iterations`` steps (or one epoch), and how they were
    found; ([], reason) when the entry point names no such limit."""
    by_dest = {o["dest"]: o for o in options}
    steps = next((o for d, o in by_dest.items() if STEPS.match(d)), None)
    epochs = next((o for d, o in by_dest.items() if EPOCHS.match(d)), None)
    debug = next((o for d, o in by_dest.items() if DEBUG.match(d) and isinstance(o.get("default"), bool)), None)
    args: list[str] = []
    found = []
    if steps:
        args += [steps["flag"], str(iterations)]
        found.append(f"{steps['flag']} {iterations}")
    elif epochs:
        args += [epochs["flag"], "1"]
        found.append(f"{epochs['flag']} 1")
    if debug:
        args.append(debug["flag"])
        found.append(debug["flag"])
    if not args:
        return [], ("the entry point has no step, epoch or debug flag; set the paper's `smoke_args` to the arguments "
                    "that shorten its run")
    return args, "from its argparse flags: " + ", ".join(found)


def losses_from_output(text: str, pattern: str | None = None) -> list[float]:
    """Every loss value the run printed, in order."""
    try:
        regex = re.compile(pattern) if pattern else LOSS
    except re.error as err:
        raise UserError(f"`smoke_loss_pattern` is not a regular expression ({err}); fix it.") from None
    if "value" not in regex.groupindex:
        raise UserError("`smoke_loss_pattern` needs a (?P<value>...) group; fix it.")
    return [float(m.group("value")) for m in regex.finditer(text)]


def tier_checks(tier: int, losses: list[float], settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks of one tier on the losses a shrunk upstream run printed."""
    out = []
    first = losses[0] if losses else None
    out.append({"check": "the run printed a finite loss", "ok": first is not None and math.isfinite(first),
                "detail": f"first loss {first}" if first is not None else "no loss in the output"})
    if tier >= 2:
        ok = len(losses) >= 2 and math.isfinite(losses[1]) and losses[1] < losses[0]
        out.append({"check": "the second loss is below the first", "ok": ok,
                    "detail": f"{losses[0]:.4f} -> {losses[1]:.4f}" if len(losses) >= 2 else
                    f"{len(losses)} loss value(s) printed"})
    if tier >= 3:
        iterations = int(settings.get("iterations", 20))
        if len(losses) < iterations:
            out.append({"check": f"{iterations} iterations printed their loss", "ok": False,
                        "detail": f"{len(losses)} loss value(s) printed"})
        else:
            out += trend_checks(losses[:iterations], int(settings.get("window", 5)),
                                float(settings.get("max_rise", 0.05)))
    return out
