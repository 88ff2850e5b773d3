"""Stage 7's comparison: each model's metric against the paper's, in the metric's own terms.

Each metric gets exactly one label: ``[matched within X]`` when the absolute delta is within the tolerance
(twice the paper's reported spread, or the configured tolerance: percentage points for a percent metric, the
metric's own unit otherwise), ``[gap, hypothesis: ...]`` up to the disagreement threshold (the hypothesis names
the ledger's guessed and conflicting values for that model), ``[fundamental disagreement, see ...]`` beyond.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.replicate.plan import ROUTE_NAMES
from reprokit.text import model_words

DEFAULT_TOLERANCE = {"percent": (3.0, 15.0), "fraction": (0.03, 0.15)}
RELATIVE_DEFAULT = (0.05, 0.25)  # of |paper value|, for a metric in its own unit


def unit_suffix(unit: str) -> str:
    return "pp" if unit == "percent" else ("" if unit == "fraction" else unit)


def thresholds(unit: str, paper_value: float, tolerance: float | None, disagreement: float | None) -> tuple[float, float]:
    if unit in DEFAULT_TOLERANCE:
        tol, dis = DEFAULT_TOLERANCE[unit]
    else:
        scale = abs(paper_value) or 1.0
        tol, dis = RELATIVE_DEFAULT[0] * scale, RELATIVE_DEFAULT[1] * scale
    return (tol if tolerance is None else float(tolerance)), (dis if disagreement is None else float(disagreement))


def _axis(metrics: dict[str, Any], unit: str) -> list[Any]:
    """The run's evaluation points in the comparison's unit."""
    return metrics["steps"] if unit == "steps" else metrics["epochs"]


def value_at(metrics: dict[str, Any], metric: str, point: int, unit: str, window: int = 1) -> tuple[float, Any, Any]:
    """The metric at ``point`` (steps or epochs), or the last evaluation before it; the point used; and the first
    point read. With a ``window`` above 1, the median of the last ``window`` evaluations up to it (a transient dip
    at the cut, such as a late loss spike, does not decide the value); with a non-finite value among them, the
    value at the point alone (the divergence rules then judge the run)."""
    axis = _axis(metrics, unit)
    values = metrics["metrics"].get(metric)
    if values is None:
        raise UserError(f"run {metrics['run']} recorded no metric {metric!r}; rerun it with the current task"
                        + (" or fix `metrics_from.name`" if metrics.get("implementation") == "upstream" else "") + ".")
    if values and all(p is None for p in axis):  # the official code's log counts the other unit: its last value
        used = axis[-1] if axis[-1] is not None else metrics["steps"][-1]
        return float(values[-1]), used, used
    pairs = [(p, v) for p, v in zip(axis, values) if p <= point + 1e-9]
    if not pairs:
        raise UserError(f"run {metrics['run']} has no evaluation at or before {unit} {point}; rerun it.")
    used, value = pairs[-1]
    read = pairs[-max(1, int(window)):]
    if len(read) > 1 and all(_finite(v) for _, v in read):
        return float(statistics.median(v for _, v in read)), used, read[0][0]
    return float(value), used, used


def finite_before(metrics: dict[str, Any], metric: str, point: int, unit: str) -> tuple[float, int] | None:
    """The last finite value of the metric at or before ``point``, and its point (None: there is none)."""
    axis = _axis(metrics, unit)
    values = metrics["metrics"].get(metric) or []
    pairs = [(p, v) for p, v in zip(axis, values) if p is not None and p <= point + 1e-9 and _finite(v)]
    return (float(pairs[-1][1]), pairs[-1][0]) if pairs else None


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def verdict(delta: float, tolerance: float, disagreement: float, hypothesis: str, see: str, unit: str = "percent") -> str:
    suffix = unit_suffix(unit)
    if abs(delta) <= tolerance + 1e-12:
        return f"[matched within {tolerance:g}{' ' + suffix if suffix else ''}]"
    if abs(delta) <= disagreement + 1e-12:
        return f"[gap, hypothesis: {hypothesis}]"
    return f"[fundamental disagreement, see {see}]"


def hypothesis_for(model: str, ledger: dict[str, Any]) -> str:
    """Name the ledger's guessed and conflicting values that could explain a gap for ``model``."""
    relevant = [e for e in ledger["entries"] if e.get("model") in (None, model)]
    parts = [f"{e['name']}={e['value']!r} was guessed" for e in relevant if e["tag"] == "guess"]
    parts += [f"{e['name']}={e['value']!r} conflicts with " + ", ".join(f"{c['value']!r}" for c in e["conflicts"])
              for e in relevant if e["conflicts"]]
    parts += [f"{e['name']}={e['value']!r} is a framework default" for e in relevant
              if e["tag"] == "framework default" and e.get("model") == model]
    return "; ".join(parts) if parts else "no guessed value explains it; check the data and the evaluation"


def reduced_setup(model: str, ledger: dict[str, Any]) -> list[str]:
    """User-config values that replace a value the paper states (a budget cut for compute, or a correction)."""
    out = []
    for e in ledger["entries"]:
        if e["tag"] != "user config" or e.get("model") not in (None, model):
            continue
        stated = [c for c in e["conflicts"] if c["tag"].startswith("[paper")]
        if stated:
            out.append(f"{e['name']} {e['value']!r} (paper: {stated[0]['value']!r} {stated[0]['tag']})")
    return out


def own_values(model: str, ledger: dict[str, Any]) -> dict[str, list[str]]:
    """The run values for ``model`` that are not the paper's: the user's own (config values where the paper
    states none; those replacing a stated value are ``reduced_setup``) and the guessed ones."""
    relevant = [e for e in ledger["entries"] if e.get("model") in (None, model)]
    return {"user": [f"{e['name']}={e['value']!r}" for e in relevant if e["tag"] == "user config"
                     and not any(c["tag"].startswith("[paper") for c in e["conflicts"])],
            "guess": [f"{e['name']}={e['value']!r}" for e in relevant if e["tag"] == "guess"]}


def official_hypothesis(record: dict[str, Any], model: str | None = None, row: str = "") -> str:
    """Why the official code itself may not give the paper's number for ``model``: the values the launch could
    not set (a value stated for another model is not this one's) and the layer sizes of this model's code (the
    GRU's width is not the MLP's)."""
    scoped = record.get("needs_code_change_for", {})
    unset = [n for n in record.get("needs_code_change", []) if model is None or scoped.get(n) in (None, model)]
    where = f"{record.get('tree', 'code')}/REPRODUCTION.md"
    words = model_words(f"{model} {row}") if model else frozenset()
    kinds = record.get("architecture_models") or [[] for _ in record.get("architecture", [])]
    arch = [a for a, of in zip(record.get("architecture", []), kinds) if not of or not words or words & set(of)]
    differs = f"; the code's architecture differs from the paper's: {'; '.join(arch[:2])}" if arch else ""
    yours = record.get("left_by_config", [])
    differs += f"; your `leave_to_code` left {', '.join(yours)} to the code's defaults" if yours else ""
    if unset:
        return (f"the paper's number is not what its official code gives here; the launch could not set "
                f"{', '.join(unset[:4])}{' and more' if len(unset) > 4 else ''}{differs} ({where})")
    if arch or yours:
        return f"the paper's number is not what its official code gives here{differs} ({where})"
    return ("the paper's number is not what its official code gives here, with every stated value set; check the "
            "data, the seeds and the evaluation it ran")


def compare(plan_json: str, gaps_json: str, metrics_paths: list[str], tolerance: float | None,
            disagreement: float | None, out_md: str, out_json: str, dataset_json: str | None = None,
            curves_dir: str | None = None, final_window: int = 1) -> dict[str, Any]:
    """``results.md`` and ``results.json``, one label per metric and implementation (a recorded data
    substitution is said with each); with both routes, the paper, the official code and the reimplementation
    side by side."""
    plan = atomic.read_json(plan_json, "run plan")
    ledger = atomic.read_json(gaps_json, "ledger")
    substitution = atomic.read_json(dataset_json, "dataset record").get("substitution") if dataset_json else None
    metric = plan["metric"]
    by_run = {}
    for path in metrics_paths:
        metrics = atomic.read_json(path, "run metrics")
        if metrics.get("final_step", 0) != metrics.get("total_steps", 0) and not metrics.get("diverged"):
            raise UserError(f"run metrics {path} stop at step {metrics['final_step']} of {metrics['total_steps']} "
                            "(an unfinished run); delete the file and rerun its training job.")
        by_run[(metrics.get("implementation", "harness"), metrics["run"])] = {**metrics, "path": path}
    rows, unreached = [], {}
    point, unit = plan["compare_at"], plan["compare_unit"]
    for model, reported in plan["paper_values"].items():
        for route in plan.get("implementations", ["harness"]):
            for paper_point, at in paper_points(plan, reported, by_run, model, route):
                if at is None:
                    unreached.setdefault(model, []).append(
                        {**paper_point, "why": f"the runs stop at {unit} {point}, before it"})
                    continue
                row = _row(plan, ledger, by_run, model, paper_point, route, tolerance, disagreement, substitution, at,
                           final_window)
                if paper_point.get("at_label") and any(abs(p - at) > 1e-6 for p in row["points_used"]):
                    # a budget inside the runs but between their evaluations: no value of ours belongs there
                    unreached.setdefault(model, []).append(
                        {**paper_point, "why": f"the runs were not evaluated at {unit} {at:g} (the nearest evaluation "
                                               f"before it is at {unit} {min(row['points_used']):g}); set "
                                               "schedule.eval_every in `overrides` to evaluate there"})
                    continue
                rows.append(row)
    by_model = {(r["model"], r["implementation"], r["at"]): r for r in rows}
    for r in rows:
        official = by_model.get((r["model"], "upstream", r["at"]))
        if r["implementation"] == "harness" and official is not None:
            r["upstream_mean"] = official["mean"]
            r["delta_vs_upstream"] = None if None in (r["mean"], official["mean"]) else r["mean"] - official["mean"]
    record = {"compare_at": point, "compare_unit": unit, "metric": metric, "eval_split": plan.get("eval_split"),
              "tolerance": tolerance, "disagreement": disagreement, "substitution": substitution,
              "final_window": int(final_window),
              "implementations": plan.get("implementations", ["harness"]), "records": plan.get("records", {}),
              "rows": rows, "unreached": unreached,
              "curves": {model: f"curves/{model}.png" for model in plan["paper_values"]
                                       if curves_dir and (Path(curves_dir) / f"{model}.png").is_file()}}
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, render_results(record))
    return record


def paper_points(plan: dict[str, Any], reported: dict[str, Any], by_run: dict[tuple[str, str], Any], model: str,
                 route: str) -> list[tuple[dict[str, Any], float | None]]:
    """Each value the paper reports for ``model`` with the point (in the plan's unit) to compare it at: the end of
    the runs' budget for a single value; for values at several budgets ("10 epochs", "50 epochs"), each budget
    (None where the runs stop before it; an epoch budget is turned into steps with the runs' steps per epoch)."""
    points = reported.get("points")
    if not points:
        return [(reported, plan["compare_at"])]
    unit = plan["compare_unit"]
    runs = [by_run.get((route, r["run"])) for r in plan["runs"] if r["model"] == model
            and r.get("implementation", "harness") == route]
    per_epoch = next((float(m["steps_per_epoch"]) for m in runs if m and m.get("steps_per_epoch")), None)
    out = []
    for p in points:
        at = float(p["at"])
        if p["at_unit"] != unit:
            at = None if per_epoch is None else (at * per_epoch if unit == "steps" else at / per_epoch)
        out.append((p, at if at is not None and at <= plan["compare_at"] + 1e-9 else None))
    return out


def _row(plan: dict[str, Any], ledger: dict[str, Any], by_run: dict[tuple[str, str], Any], model: str,
         reported: dict[str, Any], route: str, tolerance: float | None, disagreement: float | None,
         substitution: str | None, at: float | None = None, window: int = 1) -> dict[str, Any]:
    metric = plan["metric"]
    point, unit = (plan["compare_at"] if at is None else at), plan["compare_unit"]
    runs = [r for r in plan["runs"] if r["model"] == model and r.get("implementation", "harness") == route]
    missing = [r["run"] for r in runs if (route, r["run"]) not in by_run]
    if missing:
        raise UserError(f"metrics for run {missing[0]} are missing; run `snakemake` again to train it.")
    values = [value_at(by_run[(route, r["run"])], metric["name"], point, unit, window) for r in runs]
    records = []
    for r, (value, used, first) in zip(runs, values):
        metrics = by_run[(route, r["run"])]
        record = {"run": r["run"], "value": value, "at": used, "from": first, "seconds": metrics.get("seconds"),
                  "diverged": None}
        if not _finite(value) or metrics.get("diverged"):
            last = finite_before(metrics, metric["name"], point, unit)
            axis = _axis(metrics, unit)
            step = metrics["steps"][axis.index(used)] if used in axis and len(metrics["steps"]) == len(axis) else used
            record["diverged"] = {"step": (metrics.get("diverged") or {}).get("step", step),
                                  "reason": (metrics.get("diverged") or {}).get("reason", f"{metric['name']} = {value}"),
                                  "last_finite": last[0] if last else None, "last_finite_at": last[1] if last else None}
        records.append(record)
    ours = [x["value"] for x in records if not x["diverged"]]
    diverged = [x for x in records if x["diverged"]]
    mean = statistics.fmean(ours) if ours else None
    std = statistics.stdev(ours) if len(ours) > 1 else None
    tol, dis = thresholds(metric["unit"], reported["value"], tolerance, disagreement)
    if reported.get("std"):
        tol = 2 * float(reported["std"])
        dis = max(dis, tol)
    both = len(plan.get("implementations", ["harness"])) > 1
    section = f"results.md, section {model}" + (f" ({ROUTE_NAMES[route]})" if both else "")
    if route == "upstream":
        see = f"{plan.get('records', {}).get('upstream', {}).get('tree', 'code')}/REPRODUCTION.md and {section}"
        hypothesis = official_hypothesis(plan.get("records", {}).get("upstream", {}), model,
                                         str(reported.get("where", "")))
    else:
        conflicted = any(e["conflicts"] for e in ledger["entries"] if e.get("model") in (None, model))
        see = ("gaps_filled.md, section Conflicts, and " if conflicted else "") + section
        hypothesis = hypothesis_for(model, ledger)
    if substitution:
        see = f"dataset_substitution.md, {see}"
        hypothesis = f"the data is a substitute ({substitution}); {hypothesis}"
    if diverged:
        hypothesis = f"{len(diverged)} of {len(records)} seeds diverged; {hypothesis}"
    if mean is None:  # every seed diverged: nothing to compare, the paper's model trains and ours does not
        delta = None
        label = f"[fundamental disagreement, see {section}]"
    else:
        delta = mean - reported["value"]
        label = verdict(delta, tol, dis, hypothesis, see, metric["unit"])
    within = delta is not None and abs(delta) <= tol + 1e-12
    better = None if delta is None or within or not delta else (delta > 0) == (metric["direction"] == "higher")
    return {"model": model, "implementation": route, "metric": metric["name"], "unit": metric["unit"],
            "direction": metric["direction"], "at": point, "at_unit": unit,
            "points_used": sorted({used for _, used, _ in values}),
            "runs": records, "window": int(window), "seeds": len(records), "finite_seeds": len(ours),
            "diverged": [x["run"] for x in diverged],
            "paper_at": reported.get("at_label"),
            "mean": mean, "std": std, "paper": reported["value"], "paper_std": reported.get("std"),
            "paper_where": reported["where"], "paper_unit": reported.get("unit", ""), "delta": delta,
            "abs_delta": abs(delta) if delta is not None else None, "within_tolerance": within, "ours_better": better,
            "tolerance": tol, "disagreement": dis, "label": label, "hypothesis": hypothesis,
            "reduced_setup": reduced_setup(model, ledger), "own_values": own_values(model, ledger)}


def _fmt_delta(row: dict[str, Any], who: str = "ours ") -> str:
    if row["delta"] is None:
        return "none (every seed diverged)"
    suffix = unit_suffix(row["unit"])
    if row.get("within_tolerance"):
        side = " within the tolerance"
    elif row["ours_better"] is None:
        side = " equal"
    else:
        side = f" {who}better" if row["ours_better"] else f" {who}worse"
    return f"{row['delta']:+.4g}{' ' + suffix if suffix else ''} (abs {row['abs_delta']:.4g};{side})"


def _ours_cell(r: dict[str, Any]) -> str:
    """The mean over the finite seeds: "93.1 ± 0.4", "93.1 (one seed)", "diverged (all 3 seeds)"."""
    if r["mean"] is None:
        return f"diverged (all {r['seeds']} seeds)" if r["seeds"] > 1 else "diverged (one seed)"
    cell = f"{r['mean']:.4g} (one seed)" if r["finite_seeds"] == 1 else f"{r['mean']:.4g} ± {r['std']:.2g}"
    if r["diverged"]:
        cell += f" over {r['finite_seeds']} of {r['seeds']} seeds"
    return cell


def _notes(r: dict[str, Any]) -> str:
    """What stands beside a label: the seeds that diverged and the run values that were not the paper's."""
    notes = []
    if r["diverged"]:
        notes.append(f"{len(r['diverged'])} of {r['seeds']} seeds diverged and are left out of the mean: "
                     f"{', '.join(r['diverged'])}.")
    if r["reduced_setup"]:
        notes.append(f"Set by the user instead of the paper's value: {'; '.join(r['reduced_setup'])}.")
    own = r.get("own_values", {})
    if own.get("user"):
        notes.append(f"Your own values (the paper states none): {', '.join(own['user'])}.")
    if own.get("guess"):
        notes.append(f"Guessed: {', '.join(own['guess'])}.")
    return (" " + " ".join(notes)) if notes else ""


def _model_cell(r: dict[str, Any]) -> str:
    return f"{r['model']} at {r['paper_at']}" if r.get("paper_at") else r["model"]


def _paper_cell(r: dict[str, Any]) -> str:
    return f"{r['paper']:.4g}" + (f" ± {r['paper_std']:.4g}" if r["paper_std"] else "") + f" ({r['paper_where']})"


def render_results(record: dict[str, Any]) -> str:
    rows = record["rows"]
    metric = record["metric"]
    routes = record.get("implementations", ["harness"])
    n = len(rows[0]["runs"]) if rows else 0
    seeds = f"mean ± std over {n} seeds" if n > 1 else "one seed (no spread)"
    suffix = unit_suffix(metric["unit"])
    lines = ["# Results: reproduction vs paper", "",
             f"{metric['name']} ({metric['unit']}, {metric['direction']} is better) on the {record.get('eval_split')} "
             f"split at {record['compare_unit']} {record['compare_at']}, {seeds}. Labels: matched "
             "within the tolerance (twice the paper's spread where it reports one), gap up to the disagreement "
             "threshold, fundamental disagreement beyond; thresholds are in the metric's unit"
             f"{' (percentage points)' if suffix == 'pp' else ''}.", ""]
    if record.get("final_window", 1) > 1:
        lines[-2:-1] = [lines[-2] + f" Each seed's value is the median of its last {record['final_window']} "
                        "evaluations up to the compared point (`final_window` in the config, your setting: a dip "
                        "at a single evaluation does not decide it); the runs' tables give each seed's span."]
    upstream = record.get("records", {}).get("upstream")
    if upstream:
        lines += [f"Official code: {upstream['origin']} at `{upstream['commit']}` (`{upstream['entry']}`, run with the "
                  f"ledger's stated values from {upstream['tree']}/reprokit-launch.yaml)"
                  + ("; reimplementation: code/ (the built-in harness)." if "harness" in routes else "."), ""]
    if record.get("substitution"):
        lines += [f"> **The data is a substitute for the paper's:** {record['substitution']} (dataset_substitution.md).",
                  ""]
    if len(routes) > 1:
        lines += ["A label on the official code's row judges the paper against its own code (a gap there means the "
                  "paper's number is not what its code gives); a label on the reimplementation's row judges the "
                  "reimplementation against the paper.", "",
                  "| model | metric | paper | official code | reimplementation | reimplementation - official | "
                  "official code label | reimplementation label |", "|---|---|---|---|---|---|---|---|"]
        for r in (r for r in rows if r["implementation"] == "harness"):
            official = next(o for o in rows if o["model"] == r["model"] and o["implementation"] == "upstream"
                            and o["at"] == r["at"])
            cross = r["delta_vs_upstream"]
            cross_cell = "-" if cross is None else f"{cross:+.4g}{' ' + suffix if suffix else ''}"
            lines.append(f"| {_model_cell(r)} | {r['metric']} ({r['unit']}) | {_paper_cell(r)} | {_ours_cell(official)}, "
                         f"delta {_fmt_delta(official, '')} | {_ours_cell(r)}, delta {_fmt_delta(r, '')} | {cross_cell} | "
                         f"{official['label']}{_notes(official)} | {r['label']}{_notes(r)} |")
    else:
        who = ROUTE_NAMES[routes[0]]
        lines += [f"| model | metric | ours ({who}) | paper | delta | label |", "|---|---|---|---|---|---|"]
        for r in rows:
            lines.append(f"| {_model_cell(r)} | {r['metric']} ({r['unit']}) | {_ours_cell(r)} | {_paper_cell(r)} | "
                         f"{_fmt_delta(r)} | {r['label']}{_notes(r)} |")
    lines.append("")
    shown, titled = set(), set()
    for r in rows:
        if (r["model"], r["implementation"]) not in titled:  # one section per model and route, every budget in it
            titled.add((r["model"], r["implementation"]))
            lines += [f"## {r['model']}" + (f" ({ROUTE_NAMES[r['implementation']]})" if len(routes) > 1 else ""), ""]
            figure = record.get("curves", {}).get(r["model"])
            if figure and r["model"] not in shown:  # one figure per model, every route's runs in it
                shown.add(r["model"])
                lines += [f"![{r['model']}: {r['metric']} and training loss over steps, every seed, the paper's "
                          f"point{'s' if r.get('paper_at') else ''} marked]({figure})", ""]
            for p in record.get("unreached", {}).get(r["model"], []) if r["implementation"] == rows[0]["implementation"] \
                    else []:
                lines += [f"The paper also reports {p['value']:.4g} at {p['at_label']} ({p['where']}); {p['why']}, so it "
                          "is not compared.", ""]
        if r.get("paper_at"):
            lines += [f"### at {r['paper_at']}", ""]
        lines += [f"| run | {r['metric']} ({r['unit']}) | seconds | note |", "|---|---|---|---|"]
        for x in r["runs"]:
            note = ""
            if x["diverged"]:
                last = x["diverged"]["last_finite"]
                note = (f"diverged ({x['diverged']['reason']}) by step {x['diverged']['step']}; "
                        + (f"last finite value {last:.4g} at {r['at_unit']} {x['diverged']['last_finite_at']}"
                           if last is not None else "no finite value before it") + "; left out of the mean")
            if x["from"] != x["at"] and not x["diverged"]:  # the median of a window of evaluations
                note = f"median of the evaluations at {r['at_unit']} {x['from']:g} to {x['at']:g}"
            value = f"{x['value']:.4g}" if _finite(x["value"]) else str(x["value"])
            lines.append(f"| {x['run']} | {value} | {x['seconds'] if x['seconds'] is not None else '-'} | {note} |")
        lines += ["", f"Ours {_ours_cell(r)}; paper {r['paper']:.4g} ({r['paper_unit']}); delta {_fmt_delta(r)}; "
                      f"tolerance {r['tolerance']:.4g}, disagreement beyond {r['disagreement']:.4g}. {r['label']}", ""]
        if not r["label"].startswith("[matched"):
            lines += [f"Why it may differ: {r['hypothesis']}.", ""]
        if r["reduced_setup"]:
            lines += ["`[user config]` values in place of the paper's (a budget cut for compute, or a correction of "
                      "the ledger): " + "; ".join(r["reduced_setup"]) + ".", ""]
        own = r.get("own_values", {})
        if own.get("user") or own.get("guess"):
            lines += ["Run values that are not the paper's: " + "; ".join(
                ([f"your own (the paper states none): {', '.join(own['user'])}"] if own.get("user") else [])
                + ([f"guessed: {', '.join(own['guess'])}"] if own.get("guess") else [])) + " (gaps_filled.md).", ""]
    return "\n".join(lines)
