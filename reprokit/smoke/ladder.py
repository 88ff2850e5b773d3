"""Stage 6: the smoke ladder, a gate before any training run.

Tier 1 (forward): finite loss near ln(classes) at initialisation, gradient norm > 0, eval output shape.
Tier 2 (one step): the loss on the same batch decreases, no NaN, optimizer state populated.
Tier 3 (twenty iterations): the 5-step rolling mean of the loss trends down (no rise above 5%) and the
final loss is below the initial one; the measured time per step sizes the training jobs.
Each tier writes a log a person reads and a JSON twin; a failing check raises a UserError naming it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import torch

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.harness.train import RunConfig, Trainer, load_config, load_data, setup_distributed

TIERS = {1: "forward", 2: "one_step", 3: "twenty_iterations"}


def _check(results: list[dict[str, Any]], model: str, name: str, ok: bool, detail: str) -> None:
    results.append({"model": model, "check": name, "ok": bool(ok), "detail": detail})


def tier_forward(trainer: Trainer, model: str, settings: dict[str, Any], out: list[dict[str, Any]]) -> None:
    x, y = trainer.batch(0)
    trainer.model.train()
    loss = trainer.loss_on(x, y)
    expected = math.log(trainer.cfg.num_classes)
    tol = float(settings.get("init_loss_tolerance", 0.5))
    value = float(loss.detach())
    _check(out, model, "loss is finite", math.isfinite(value), f"loss {value:.4f}")
    _check(out, model, f"loss within {tol} of ln({trainer.cfg.num_classes})", abs(value - expected) <= tol,
           f"loss {value:.4f}, ln({trainer.cfg.num_classes}) = {expected:.4f}")
    trainer.optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norm = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in trainer.module.parameters() if p.grad is not None))
    _check(out, model, "gradient norm > 0", norm > 0 and math.isfinite(norm), f"grad norm {norm:.4g}")
    with torch.no_grad():
        trainer.model.eval()
        shape = tuple(trainer.module(trainer.data["x_test"]).shape)
    want = (len(trainer.data["y_test"]), trainer.cfg.num_classes)
    _check(out, model, "eval output shape", shape == want, f"{shape}, expected {want}")


def tier_one_step(trainer: Trainer, model: str, settings: dict[str, Any], out: list[dict[str, Any]]) -> None:
    x, y = trainer.batch(0)
    with torch.no_grad():
        before = float(trainer.loss_on(x, y))
    trainer.step()
    with torch.no_grad():
        after = float(trainer.loss_on(x, y))
    finite = all(bool(torch.isfinite(p).all()) for p in trainer.module.parameters())
    _check(out, model, "loss on the same batch decreases", after < before, f"{before:.4f} -> {after:.4f}")
    _check(out, model, "no NaN or inf in parameters", finite, "all finite" if finite else "non-finite values")
    states = [trainer.optimizer.state.get(p, {}) for p in trainer.module.parameters()]
    populated = all(len(s) > 0 for s in states)
    _check(out, model, "optimizer state populated", populated,
           f"{sum(1 for s in states if s)}/{len(states)} parameters have state ({', '.join(sorted(states[0]))})"
           if states else "no parameters")


def tier_twenty(trainer: Trainer, model: str, settings: dict[str, Any], out: list[dict[str, Any]]) -> None:
    iterations = int(settings.get("iterations", 20))
    window = int(settings.get("window", 5))
    rise = float(settings.get("max_rise", 0.05))
    losses = []
    started = time.perf_counter()
    for _ in range(iterations):
        losses.append(trainer.step())
    seconds = (time.perf_counter() - started) / iterations
    rolling = [sum(losses[i - window + 1:i + 1]) / window for i in range(window - 1, len(losses))]
    worst = max((rolling[i] / rolling[i - 1] for i in range(1, len(rolling))), default=1.0)
    _check(out, model, f"{window}-step rolling mean trends down (no rise above {rise:.0%})",
           worst <= 1 + rise and rolling[-1] < rolling[0],
           f"rolling mean {rolling[0]:.4f} -> {rolling[-1]:.4f}, largest rise {worst - 1:+.1%}")
    _check(out, model, "final loss < initial loss", losses[-1] < losses[0], f"{losses[0]:.4f} -> {losses[-1]:.4f}")
    out[-1]["seconds_per_step"] = seconds
    out[-1]["losses"] = losses


TIER_FUNCS: dict[int, Callable[..., None]] = {1: tier_forward, 2: tier_one_step, 3: tier_twenty}


def run_tier(tier: int, config_path: str, data_path: str, models: list[str], seed: int, settings: dict[str, Any],
             out_log: str, out_json: str) -> dict[str, Any]:
    """Run one tier on every model; write its log and JSON; raise UserError naming the first failed check."""
    if tier not in TIER_FUNCS:
        raise UserError(f"smoke tier {tier} does not exist; tiers are 1, 2 and 3.")
    ledger_cfg = load_config(config_path)
    data = load_data(data_path)
    results: list[dict[str, Any]] = []
    dist = setup_distributed(str(settings.get("device", "auto")))
    for model in models:
        cfg = RunConfig.from_ledger(ledger_cfg, model, seed, threads=int(settings.get("threads", 1)))
        TIER_FUNCS[tier](Trainer(cfg, data, dist), model, settings, results)
    failed = [r for r in results if not r["ok"]]
    lines = [f"smoke tier {tier} ({TIERS[tier]}): {'PASS' if not failed else 'FAIL'}", f"config {config_path}",
             f"device {dist.device}", ""]
    lines += [f"[{'pass' if r['ok'] else 'FAIL'}] {r['model']:<7} {r['check']}: {r['detail']}" for r in results]
    record = {"tier": tier, "name": TIERS[tier], "passed": not failed, "checks": results, "device": str(dist.device)}
    if failed:
        first = failed[0]
        print("\n".join(lines))
        raise UserError(f"smoke tier {tier} ({TIERS[tier]}) failed for {first['model']}: {first['check']} "
                        f"({first['detail']}); fix the ledger value behind it (see gaps_filled.md) before training.")
    atomic.write_text(out_log, "\n".join(lines) + "\n")
    atomic.write_json(out_json, record)
    return record


def smoke_status(tier_jsons: list[str], schedule_steps: int, runs_per_model: int, margin: float,
                 out_md: str, out_json: str) -> dict[str, Any]:
    """Summarise the ladder and estimate each model's training time from tier 3's measured step time."""
    tiers = [atomic.read_json(p, "smoke tier record") for p in tier_jsons]
    failed = [t for t in tiers if not t["passed"]]
    if failed:
        raise UserError(f"smoke tier {failed[0]['tier']} did not pass; rerun it after fixing the ledger.")
    estimates = {}
    for check in tiers[-1]["checks"]:
        if "seconds_per_step" in check:
            seconds = check["seconds_per_step"] * schedule_steps
            estimates[check["model"]] = {"seconds_per_step": check["seconds_per_step"],
                                         "estimated_seconds": seconds,
                                         "runtime_minutes": max(1, math.ceil(seconds * margin / 60))}
    record = {"passed": True, "tiers": [{"tier": t["tier"], "name": t["name"], "checks": len(t["checks"])} for t in tiers],
              "estimates": estimates, "margin": margin}
    lines = ["# Smoke ladder: PASS", "", "| tier | checks | result |", "|---|---|---|"]
    lines += [f"| {t['tier']} {t['name']} | {len(t['checks'])} | pass |" for t in tiers]
    lines += ["", f"## Training time estimates ({schedule_steps} steps, margin x{margin})", "",
              "| model | s/step | estimated | SLURM runtime request |", "|---|---|---|---|"]
    lines += [f"| {m} | {e['seconds_per_step'] * 1000:.2f} ms | {e['estimated_seconds']:.0f} s x {runs_per_model} runs | "
              f"{e['runtime_minutes']} min |" for m, e in estimates.items()]
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, "\n".join(lines) + "\n")
    return record

