"""The checks of each smoke tier, run inside the training program itself (``train.py --smoke-tier N``).

Tier 1 (forward): a finite loss on the first batch, near what the task expects at initialisation (ln C for
C-way cross-entropy), a non-zero finite gradient, one output per example in evaluation.
Tier 2 (one step): the loss on the same batch decreases after one update, parameters stay finite, the
optimizer took a step (its state is populated, or the parameters moved for a stateless optimizer).
Tier 3 (iterations): every loss is finite, the last window of losses averages below the first, and no rolling
mean climbs more than ``max_rise`` above the first window's (``trend_checks``); the measured time per step,
per evaluation and per checkpoint write sizes the training jobs. The thresholds are the config's ``smoke``
settings, or the task's own ``SMOKE`` (docs/task.md lists every check).

Each tier works on the harness's trainer (``reprokit.harness.train.Trainer``) through its methods only: the
harness's command line runs these tiers, so this module never imports the harness (no import cycle).
"""

from __future__ import annotations

import math
import tempfile
import time
from typing import Any

import torch

from reprokit.task.contract import default_initial_loss

TIERS = {1: "forward", 2: "one_step", 3: "iterations"}


def _check(out: list[dict[str, Any]], name: str, ok: bool, detail: str) -> None:
    out.append({"check": name, "ok": bool(ok), "detail": detail})


def trend_checks(losses: list[float], window: int, rise: float) -> list[dict[str, Any]]:
    """Tier 3's verdict on a loss series (any program's, any loss), judged window against window so that one
    noisy batch or a bounce after a large fall is no alarm: every loss is finite, the last ``window`` losses
    average below the first ``window``, and no rolling mean rises more than ``rise`` above the first
    window's (a loss that climbs, rather than one that wobbles on its way down)."""
    out: list[dict[str, Any]] = []
    window = max(1, min(window, len(losses) // 2 or 1))
    finite = all(math.isfinite(v) for v in losses)
    _check(out, "every loss is finite", finite, "all finite" if finite else
           f"first non-finite at iteration {next(i for i, v in enumerate(losses) if not math.isfinite(v)) + 1}")
    first, last = sum(losses[:window]) / window, sum(losses[-window:]) / window
    change = (last - first) / abs(first) if first else 0.0
    _check(out, f"the last {window} losses average below the first {window}", finite and last < first,
           f"mean {first:.4g} -> {last:.4g} ({change:+.1%})")
    rolling = [sum(losses[i - window + 1:i + 1]) / window for i in range(window - 1, len(losses))]
    highest = max(rolling) if finite else math.inf
    above = (highest - rolling[0]) / abs(rolling[0]) if rolling[0] else 0.0
    _check(out, f"no {window}-step rolling mean rises more than {rise:.0%} above the first", finite and above <= rise,
           f"highest rolling mean {highest:.4g}, {above:+.1%} against the first ({rolling[0]:.4g})")
    return out


def tier_forward(trainer: Any, settings: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    batch = trainer.first_batch()
    trainer.model.train()
    loss, outputs = trainer.loss_on(batch)
    value = float(loss.detach())
    _check(out, "loss is finite", math.isfinite(value), f"loss {value:.4f}")
    hook = trainer.task.initial_loss
    expected = hook(trainer.cfg.values, outputs) if hook else default_initial_loss(trainer.task, outputs)
    if expected is not None:
        target, tolerance = expected
        tolerance = tolerance or float(settings.get("init_loss_tolerance", 0.5))
        _check(out, f"initial loss within {tolerance:g} of {target:.4f}", abs(value - target) <= tolerance,
               f"loss {value:.4f}, expected {target:.4f}" + (" (ln C)" if hook is None else " (the task's expectation)"))
    trainer.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norm = math.sqrt(sum(float(p.grad.float().pow(2).sum()) for p in trainer.module.parameters() if p.grad is not None))
    _check(out, "gradient norm > 0 and finite", norm > 0 and math.isfinite(norm), f"grad norm {norm:.4g}")
    trainer.optimizer.zero_grad(set_to_none=True)
    with torch.no_grad():
        trainer.module.eval()
        target_batch = trainer.targets(batch)
        _, eval_out = trainer.loss_on(batch, trainer.module)
    n = len(target_batch)
    shape = tuple(eval_out.shape) if torch.is_tensor(eval_out) else ()
    _check(out, "one output per example in evaluation", bool(shape) and shape[0] == n, f"outputs {shape} for {n} examples")
    return out


def tier_one_step(trainer: Any, settings: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    batch = trainer.first_batch()
    with torch.no_grad():
        before = float(trainer.loss_on(batch)[0])
    params_before = [p.detach().clone() for p in trainer.module.parameters()]
    trainer.step(batch)
    with torch.no_grad():
        after = float(trainer.loss_on(batch)[0])
    finite = all(bool(torch.isfinite(p).all()) for p in trainer.module.parameters())
    _check(out, "loss on the same batch decreases", after < before, f"{before:.4f} -> {after:.4f}")
    _check(out, "no NaN or inf in parameters", finite, "all finite" if finite else "non-finite values")
    states = [trainer.optimizer.state.get(p, {}) for p in trainer.module.parameters()]
    moved = sum(not torch.equal(a, b) for a, b in zip(params_before, trainer.module.parameters()))
    if any(states):
        _check(out, "optimizer state populated", all(len(s) > 0 for s in states),
               f"{sum(1 for s in states if s)}/{len(states)} parameters have state ({', '.join(sorted(states[0]))})")
    else:
        _check(out, "the step moved the parameters", moved > 0, f"{moved}/{len(states)} parameter tensors changed")
    return out


def tier_iterations(trainer: Any, settings: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    iterations = int(settings.get("iterations", 20))
    window = min(int(settings.get("window", 5)), iterations)
    rise = float(settings.get("max_rise", 0.05))
    losses = []
    started = time.perf_counter()
    for _ in range(iterations):
        losses.append(float(trainer.step()))
    seconds = (time.perf_counter() - started) / iterations
    started = time.perf_counter()
    trainer.evaluate()
    eval_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="reprokit-smoke-ckpt-") as scratch:
        started = time.perf_counter()
        trainer.save_checkpoint(scratch, identity="", history={})
        checkpoint_seconds = time.perf_counter() - started
    out += trend_checks(losses, window, rise)
    out[-1].update(seconds_per_step=seconds, seconds_per_eval=eval_seconds, seconds_per_checkpoint=checkpoint_seconds,
                   iterations=iterations, losses=losses, total_steps=trainer.total_steps,
                   eval_points=len(trainer.eval_points()) + 1)
    return out


TIER_CHECKS = {1: tier_forward, 2: tier_one_step, 3: tier_iterations}
