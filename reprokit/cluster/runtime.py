"""A training job's time: the SLURM request made from the smoke ladder's estimate, and the refusal of an estimate
no job should be submitted with.

The estimate (seconds of the training program, measured by smoke tier 3) is the smoke ladder's output and
depends only on what the ladder ran; the request adds the job's overhead, the margin and the floor here, where
``train_run``'s resources and the run plan read it, so that changing a SLURM setting reruns no smoke tier and no
training.
"""

from __future__ import annotations

import math
from typing import Any

from reprokit.errors import UserError

UNKNOWN_MINUTES = 60  # a run whose full length is not known (the official code's flags do not say)


def request_minutes(estimated_seconds: float | None, smoke: dict[str, Any]) -> int:
    """SLURM minutes for a first attempt: (estimate + job overhead) x margin, at least the floor; an hour (or the
    floor) without an estimate."""
    floor = int(smoke.get("runtime_floor_minutes", 5))
    if not estimated_seconds:
        return max(UNKNOWN_MINUTES, floor)
    seconds = float(estimated_seconds) + float(smoke.get("job_overhead_s", 5))
    return max(floor, math.ceil(seconds * float(smoke.get("runtime_margin", 1.5)) / 60))


def refuse_absurd(estimates: dict[str, dict[str, Any]], smoke: dict[str, Any], where: str) -> None:
    """Refuse, before any training job, a model whose estimated run is longer than ``smoke.max_run_hours``."""
    limit = float(smoke.get("max_run_hours", 72))
    for model, estimate in estimates.items():
        seconds = estimate.get("estimated_seconds")
        if seconds and seconds > limit * 3600:
            raise UserError(
                f"model {model}'s training run is estimated at {_duration(seconds)} from its smoke ladder ({where}), "
                f"above smoke.max_run_hours ({limit:g} h); lower its budget (schedule.total_steps or "
                "schedule.epochs in the paper's `overrides`) or raise smoke.max_run_hours in config/config.yaml.")


def _duration(seconds: float) -> str:
    hours = seconds / 3600
    if hours >= 48:
        return f"{hours / 24:,.0f} days"
    return f"{hours:.1f} h"
