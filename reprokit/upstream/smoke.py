"""The smoke ladder for the official code: how to shrink its run, and the tiers judged from what it prints.

A shrunk run sets the entry point's step or epoch limit (and a debug switch when it has one), found among its
argparse flags by their standard names; ``smoke_args`` in the config replaces the guess. The losses are read
from the run's output (``loss: 2.31``, ``loss=2.31``, ``'loss': 2.31``, or the configured pattern with a
``value`` group); the same reading repeated, as a progress bar re-prints one step's loss, is one reading.
Tier 1: a first finite loss. Tier 2: a step completed and printed a second finite loss (lower or not: one
mini-batch is noisy). Tier 3: the iterations' losses trend down (the same check as the harness's tier 3).
A run shortened by its epoch flag runs as many epochs as the losses a tier needs (tier 1 counts how many one
epoch prints).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.smoke.checks import trend_checks
from reprokit.smoke.ladder import finish_tier
from reprokit.upstream.metrics import pattern_problem
from reprokit.upstream.run import environment, load, process_command, run, run_view

STEPS = re.compile(r"^(max_steps|num_steps|n_steps|total_steps|train_steps|training_steps|max_train_steps|"
                   r"num_training_steps|steps|iterations|iters|max_iters|max_iter|num_iters|total_iters|num_updates|"
                   r"max_updates|budget|train_budget|step_budget)$", re.IGNORECASE)
EPOCHS = re.compile(r"^(epochs|num_epochs|n_epochs|max_epochs|epoch)$", re.IGNORECASE)
DEBUG = re.compile(r"^(debug|dry_run|fast_dev_run|smoke_test|quick_test)$", re.IGNORECASE)
LOSS = re.compile(r"""(?<![\w/])(?:train[_ ]?)?loss['"]?\s*[:=]?\s*"""
                  r"(?P<value>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)", re.IGNORECASE)


HELD_OUT = re.compile(r"(test|val|valid|validation|eval|dev|held[- ]out)[ _/-]?$", re.IGNORECASE)


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
    problem = pattern_problem(pattern, "smoke_loss_pattern") if pattern else None
    if problem:
        raise UserError(f"{problem}; fix it in config/config.yaml.")
    regex = re.compile(pattern) if pattern else LOSS
    if pattern:
        return [float(m.group("value")) for m in regex.finditer(text)]
    # a held-out loss printed beside the training loss ("test loss: 2.1") is not a step's loss
    return [float(m.group("value")) for m in regex.finditer(text)
            if not HELD_OUT.search(text[max(0, m.start() - 12):m.start()])]


def tier_checks(tier: int, losses: list[float], settings: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks of one tier on the losses a shrunk upstream run printed."""
    out = []
    first = losses[0] if losses else None
    out.append({"check": "the run printed a finite loss", "ok": first is not None and math.isfinite(first),
                "detail": f"first loss {first}" if first is not None else "no loss in the output"})
    printed = len(losses)
    # a progress bar re-prints one step's loss ("5.55 ... 5.55"): the same reading again is not a second step
    losses = [x for i, x in enumerate(losses) if i == 0 or x != losses[i - 1]]
    if tier >= 2:
        # a second loss means the first optimizer step completed; on noisy mini-batches it need not be lower
        ok = len(losses) >= 2 and math.isfinite(losses[1])
        detail = (f"{printed} loss value(s) printed" + (f", all {losses[0]} (one step's loss re-printed, as a progress "
                                                        "bar does? set smoke_loss_pattern to a line printed once per step)"
                                                        if printed > 1 and losses else "")) if len(losses) < 2 else \
            f"{losses[0]:.4f} -> {losses[1]:.4f}" + ("" if losses[1] < losses[0] else " (not lower: one noisy batch; "
                                                     "tier 3 judges the trend)")
        out.append({"check": "a step completed and printed a second finite loss", "ok": ok, "detail": detail})
    if tier >= 3:
        iterations = int(settings.get("iterations", 20))
        if len(losses) < iterations:
            out.append({"check": f"{iterations} iterations printed their loss", "ok": False,
                        "detail": f"{len(losses)} loss value(s) printed"})
        else:
            out += trend_checks(losses[:iterations], int(settings.get("window", 5)),
                                float(settings.get("max_rise", 0.05)))
    return out


TIER_NAMES = {1: "first loss", 2: "one step", 3: "iterations"}


def tier_iterations(tier: int, settings: dict[str, Any], loss_every: int = 1) -> int:
    """Steps a tier's shrunk run takes: one, two, then the ladder's iterations, each times how often the code
    prints its loss (``smoke_loss_every``), so that tier N sees N printed losses."""
    return {1: 1, 2: 2}.get(tier, int(settings.get("iterations", 20))) * max(1, int(loss_every))


def is_epoch_flag(flag: str) -> bool:
    return EPOCHS.match(flag.lstrip("-").replace("-", "_")) is not None


def _earlier_tier(out_json: str, tier: int) -> dict[str, Any]:
    """The record an earlier tier wrote beside ``out_json`` ({} when there is none or it cannot be read)."""
    try:
        record = json.loads(Path(out_json).with_name(f"tier{tier}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def epochs_for(needed: int, out_json: str) -> int:
    """Epochs a tier shortened by its epoch flag runs: enough for ``needed`` losses at the rate tier 1 saw."""
    try:
        per_epoch = int(_earlier_tier(out_json, 1).get("losses_printed", {}).get("min", 0))
    except (ValueError, AttributeError, TypeError):
        per_epoch = 0
    return max(1, -(-needed // per_epoch)) if per_epoch else 1


def still_first_steps(out_json: str) -> int:
    """Steps at the start of a run that change nothing (a warm-up from learning rate 0), as tier 2 found them."""
    try:
        return int(_earlier_tier(out_json, 2).get("still_first_steps", 0))
    except (ValueError, TypeError):
        return 0


def shrunk(record: dict[str, Any], smoke_args: list[str] | None, iterations: int) -> tuple[list[str], str]:
    if smoke_args:
        try:
            return [a.format(iterations=iterations) for a in smoke_args], "from the paper's `smoke_args`"
        except (KeyError, IndexError, ValueError) as err:
            raise UserError(f"the paper's `smoke_args` has an unknown placeholder ({err}); use {{iterations}}.") from None
    args, how = shrink_args(record.get("options", []), iterations)
    if not args:
        raise UserError(f"the official code's entry point {record['entry']['script']}: {how}.")
    return args, how


def run_upstream_tier(tier: int, official_json: str, env_json: str, models: list[dict[str, Any]],
                      settings: dict[str, Any], paper: dict[str, Any], paper_id: str, work_dir: str, out_log: str,
                      out_json: str) -> dict[str, Any]:
    """One tier of the ladder for the official code: a shrunk run per model, judged from the losses it prints."""
    record, python = load(official_json, env_json, bool(paper.get("trust_upstream")), paper_id)
    iterations = tier_iterations(tier, settings, paper.get("smoke_loss_every") or 1)
    if tier == 3 and not paper.get("smoke_args"):  # tier 2 found the first update changes nothing: one more step
        iterations += still_first_steps(out_json) * max(1, int(paper.get("smoke_loss_every") or 1))
    extra, how = shrunk(record, paper.get("smoke_args"), iterations)
    if not paper.get("smoke_args") and len(extra) > 1 and is_epoch_flag(extra[0]) and tier > 1:
        epochs = epochs_for(tier_iterations(tier, settings), out_json)
        extra = [extra[0], str(epochs), *extra[2:]]
        how += f" ({epochs} epoch(s): as many as {tier_iterations(tier, settings)} printed losses need)"
    lines = [f"smoke tier {tier} ({TIER_NAMES[tier]}) of the official code, {record['tree']}/{record['entry']['script']}",
             f"shrunk: {' '.join(extra)} ({how})", ""]
    results, walls, printed, still = [], {}, {}, {}

    def shrunk_run(model: dict[str, Any], extra: list[str], name: str) -> tuple[list[float], float]:
        folder = run_view(record["tree"], Path(work_dir) / name)
        args = process_command(record, python, seed=int(settings.get("seed", 0)), model_args=list(model.get("args", [])),
                               run_args=list(paper.get("run_args") or []), extra=extra,
                               placeholders={"run_dir": str(folder.resolve()), "seed": settings.get("seed", 0),
                                             "model": model["name"]})
        status, output, seconds = run(args, folder, environment(list(paper.get("tokens") or []), record),
                                      float(settings.get("timeout_s", 1800)))
        lines.extend([f"$ (cd {folder}; {' '.join(args)})", output.strip(), f"(exit status {status}, {seconds:.2f} s)",
                      ""])
        if status != 0:
            last = [line for line in output.splitlines() if line.strip()]
            finish_tier(lines, None, out_log, out_json, failure=(
                f"smoke tier {tier} ({TIER_NAMES[tier]}) failed for {model['name']}: the official code exited with "
                f"status {status} ({last[-1][:300] if last else 'no output'}); fix it with a commit in "
                f"{record['tree']}/ or the paper's settings (full output in {out_log}.failed)."))
        return losses_from_output(output, paper.get("smoke_loss_pattern")), seconds

    for model in models or [{"name": "upstream", "args": []}]:
        losses, seconds = shrunk_run(model, extra, f"tier{tier}-{model['name']}")
        if tier == 2 and len(set(losses)) == 1 and not paper.get("smoke_args") and not is_epoch_flag(extra[0]):
            # one reading, re-printed: a first update at learning rate 0 (a warm-up from zero) changes nothing, so
            # one more step tells a re-printed reading from a run that never stepped
            again, _ = shrunk(record, None, iterations + max(1, int(paper.get("smoke_loss_every") or 1)))
            lines.append(f"every loss printed was {losses[0]}: again with one more step ({' '.join(again)}), in case "
                         "the first update had learning rate 0 (a warm-up from zero)")
            losses, more = shrunk_run(model, again, f"tier{tier}-{model['name']}-again")
            seconds += more
            still[model["name"]] = 1
        walls[model["name"]] = round(seconds, 3)
        printed[model["name"]] = len(losses)
        results += [{"model": model["name"], **check} for check in tier_checks(tier, losses, settings)]
    failed = [r for r in results if not r["ok"]]
    lines.insert(0, f"RESULT: {'PASS' if not failed else 'FAIL'} ({len(results) - len(failed)} of {len(results)} checks "
                    "passed)")
    lines += [f"{'ok ' if r['ok'] else 'FAIL'} {r['model']}: {r['check']} ({r['detail']})" for r in results]
    tier_record = {"tier": tier, "name": TIER_NAMES[tier], "passed": not failed, "checks": results,
                   "wall_seconds": walls, "iterations": iterations, "shrink": extra, "shrink_how": how,
                   "losses_printed": {"min": min(printed.values(), default=0), "by_model": printed},
                   "still_first_steps": max(still.values(), default=0)}
    failure = None
    if failed:
        first = failed[0]
        hint = ("set `smoke_loss_every` if it prints its loss every few steps, or `smoke_loss_pattern` if it prints "
                "it another way") if "printed" in first["detail"] else \
            "set `smoke_loss_pattern` if its loss is printed another way"
        failure = (f"smoke tier {tier} ({TIER_NAMES[tier]}) failed for {first['model']}: {first['check']} "
                   f"({first['detail']}); check the official code's output in {out_log}.failed ({hint}).")
    return finish_tier(lines, tier_record, out_log, out_json, failure)


def full_budget(record: dict[str, Any], flag: str | None) -> int | None:
    """How many steps or epochs the full run takes through ``flag``: the launch's value, else the default
    (None when neither is a positive number)."""
    value = next((item["value"] for item in record["sets"] if item["via"] == "flag" and item["flag"] == flag),
                 next((o["default"] for o in record.get("options", []) if o["flag"] == flag), None))
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None


def full_steps(record: dict[str, Any], flag: str) -> int | None:
    """The full run's steps: its step flag's budget, else epochs x ceil(training examples / batch size) from the
    epoch flag and the ledger's values."""
    total = full_budget(record, flag)
    if total:
        return total
    epochs = full_budget(record, next((o["flag"] for o in record.get("options", []) if EPOCHS.match(o["dest"])), None))
    values = {i["name"]: i["value"] for i in [*record["sets"], *record["needs_code_change"],
                                              *record.get("left_to_upstream", [])]}
    size, batch = values.get("data.train_size"), values.get("batch.batch_size")
    if epochs and isinstance(size, int) and isinstance(batch, int) and batch > 0:
        return epochs * math.ceil(size / batch)
    return None


def upstream_status(official_json: str, tier_jsons: list[str], out_md: str, out_json: str) -> dict[str, Any]:
    """The ladder's summary and each model's training-job estimate from the measured seconds: per step from
    tiers 1 and 3 (a step limit) or per epoch from tier 3 (an epoch limit), times the full run's budget."""
    record = atomic.read_json(official_json, "official code launch")
    tiers = [atomic.read_json(p, "smoke tier record") for p in tier_jsons]
    if not all(t.get("passed") for t in tiers):
        raise UserError("a smoke tier of the official code did not pass; rerun it after fixing code/.")
    first, last = tiers[0], tiers[-1]
    flag = last["shrink"][0] if last.get("shrink") and last["shrink"][0].startswith("-") else None
    by_epoch = flag is not None and is_epoch_flag(flag)
    derived = flag is not None and last.get("shrink_how", "").startswith("from its argparse")
    total = (full_budget(record, flag) if by_epoch else full_steps(record, flag)) if derived else None
    estimates = {}
    for model, wall in last["wall_seconds"].items():
        if total is None:
            estimates[model] = {"estimated_seconds": None, "why": "the run's full length is not known from its flags"}
            continue
        if by_epoch:
            per, startup = wall / max(1, int(last["shrink"][1])), 0.0
        else:
            per = max(0.0, (wall - first["wall_seconds"][model]) / max(1, last["iterations"] - first["iterations"]))
            startup = max(0.0, first["wall_seconds"][model] - per * first["iterations"])
        seconds = startup + per * total
        estimates[model] = {"unit": "epochs" if by_epoch else "steps", "seconds_per_unit": round(per, 4),
                            "total": total, "startup": round(startup, 2), "estimated_seconds": round(seconds, 1)}
    status = {"passed": True, "route": "upstream", "tiers": [{"tier": t["tier"], "name": t["name"],
                                                               "checks": len(t["checks"])} for t in tiers],
              "estimates": estimates}
    lines = ["# Smoke ladder of the official code: PASS", "", "| tier | checks | shrunk run | result |",
             "|---|---|---|---|"]
    lines += [f"| {t['tier']} {t['name']} | {len(t['checks'])} | `{' '.join(t.get('shrink', []))}` | pass |" for t in tiers]
    lines += ["", "## Training time estimates per run (measured here; run_plan.md gives the SLURM request made from "
              "them)", "", "| model | full run | s per unit | start-up | estimated |", "|---|---|---|---|---|"]
    lines += [f"| {m} | {e['total']} {e['unit']} | {e['seconds_per_unit'] * 1000:.2f} ms | {e['startup']:.1f} s | "
              f"{e['estimated_seconds']:.0f} s |" if e.get("total") else
              f"| {m} | ? | - | - | unknown ({e['why']}) |" for m, e in estimates.items()]
    atomic.write_json(out_json, status)
    atomic.write_text(out_md, "\n".join(lines) + "\n")
    return status
