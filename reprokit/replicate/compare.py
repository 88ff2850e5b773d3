"""Stage 7: plan the replication runs, then compare them with the paper's numbers.

Each metric gets exactly one label: ``[matched within X pp]`` when the absolute delta is within the
tolerance (twice the paper's reported spread, or the configured tolerance where the paper gives none),
``[gap, hypothesis: ...]`` up to the disagreement threshold (the hypothesis names the ledger's guessed and
conflicting values for that model), and ``[fundamental disagreement, see ...]`` beyond it.
"""

from __future__ import annotations

import statistics
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.paper.tables import lookup


def paper_values(paper: dict[str, Any], models: list[dict[str, Any]], metric_column: str | None) -> dict[str, Any]:
    """The paper's reported value for each model, found in its results tables by row label."""
    tables = [t for t in paper.get("tables", []) if t["kind"] == "results"]
    if not tables:
        raise UserError("the paper has no results table to compare with; check paper.md's 'Results tables' or "
                        "give the values as `paper_value` under each model in the config.")
    out = {}
    for model in models:
        if model.get("paper_value") is not None:
            out[model["name"]] = {"value": float(model["paper_value"]), "std": model.get("paper_std"),
                                  "where": "config paper_value"}
            continue
        for table in tables:
            cell = lookup(table, model["paper_row"], metric_column)
            if cell is not None and cell["value"] is not None:
                out[model["name"]] = {"value": cell["value"], "std": cell["std"], "where": f"Table {table['number']}"}
                break
        else:
            if not any(len(t["rows"]) > t.get("header_rows", 1) for t in tables):
                raise UserError("the paper's results tables are empty; give `paper_value` for each model in the config.")
            raise UserError(f"no results-table row is labelled {model['paper_row']!r} with a value"
                            f"{f' in a column named {metric_column!r}' if metric_column else ''}; fix `paper_row` for "
                            f"model {model['name']} in the config.")
    return out


def plan_runs(paper_json: str, gaps_json: str, status_json: str, models: list[dict[str, Any]], seeds: list[int],
              metric_column: str | None, out_md: str, out_json: str) -> dict[str, Any]:
    """Stage 7's plan: one run per model and seed, what each is compared with, and at which step."""
    paper = atomic.read_json(paper_json, "paper extract")
    ledger = atomic.read_json(gaps_json, "ledger")
    estimates = atomic.read_json(status_json, "smoke status").get("estimates", {})
    reported = paper_values(paper, models, metric_column)
    steps = next(e for e in ledger["entries"] if e["name"] == "schedule.total_steps")
    compare_step = int(steps["value"])
    runs = [{"run": f"{m['name']}-seed{s}", "model": m["name"], "seed": s, "steps": compare_step,
             "estimated_seconds": round(estimates.get(m["name"], {}).get("estimated_seconds", 0.0), 1)}
            for m in models for s in seeds]
    plan = {"compare_step": compare_step, "compare_step_provenance": steps["tag_text"], "runs": runs,
            "paper_values": reported, "metric_column": metric_column}
    lines = ["# Run plan", "",
             f"{len(runs)} runs: {len(models)} models x {len(seeds)} seeds; each trains {compare_step} steps and is "
             f"compared with the paper at step {compare_step} {steps['tag_text']}.", "",
             "| run | model | seed | paper value | estimated time |", "|---|---|---|---|---|"]
    lines += [f"| {r['run']} | {r['model']} | {r['seed']} | {reported[r['model']]['value']:g} "
              f"({reported[r['model']]['where']}) | {r['estimated_seconds']:.0f} s |" for r in runs]
    atomic.write_json(out_json, plan)
    atomic.write_text(out_md, "\n".join(lines) + "\n")
    return plan


def value_at(metrics: dict[str, Any], step: int) -> tuple[float, int]:
    """The metric at ``step`` (or the last evaluation before it), and the step actually used."""
    pairs = [(s, v) for s, v in zip(metrics["steps"], metrics["test_accuracy"]) if s <= step]
    if not pairs:
        raise UserError(f"run {metrics['run']} has no evaluation at or before step {step}; rerun it.")
    used, value = pairs[-1]
    return float(value), int(used)


def verdict(delta: float, tolerance: float, disagreement: float, hypothesis: str, see: str) -> str:
    if abs(delta) <= tolerance:
        return f"[matched within {tolerance:g} pp]"
    if abs(delta) <= disagreement:
        return f"[gap, hypothesis: {hypothesis}]"
    return f"[fundamental disagreement, see {see}]"


def hypothesis_for(model: str, ledger: dict[str, Any]) -> str:
    """Name the ledger's guessed and conflicting values that could explain a gap for ``model``."""
    relevant = [e for e in ledger["entries"] if e.get("model") in (None, model)]
    parts = [f"{e['name']}={e['value']!r} was guessed" for e in relevant if e["tag"] == "guess"]
    parts += [f"{e['name']}={e['value']!r} conflicts with " + ", ".join(f"{c['value']!r}" for c in e["conflicts"])
              for e in relevant if e["conflicts"]]
    parts += [f"{e['name']}={e['value']!r} is a framework default" for e in relevant
              if e["tag"] == "framework default" and e["block"] == "architecture"]
    return "; ".join(parts) if parts else "no guessed value explains it; check the data generator and evaluation"


def compare(plan_json: str, gaps_json: str, metrics_paths: list[str], tolerance_pp: float, disagreement_pp: float,
            out_md: str, out_json: str) -> dict[str, Any]:
    """Stage 7's comparison: ``results.md`` and ``results.json``, one label per metric."""
    plan = atomic.read_json(plan_json, "run plan")
    ledger = atomic.read_json(gaps_json, "ledger")
    by_run = {}
    for path in metrics_paths:
        metrics = atomic.read_json(path, "run metrics")
        by_run[metrics["run"]] = {**metrics, "path": path}
    rows = []
    step = plan["compare_step"]
    for model, reported in plan["paper_values"].items():
        runs = [r for r in plan["runs"] if r["model"] == model]
        missing = [r["run"] for r in runs if r["run"] not in by_run]
        if missing:
            raise UserError(f"metrics for run {missing[0]} are missing; run `snakemake` again to train it.")
        values = [value_at(by_run[r["run"]], step) for r in runs]
        accs = [v for v, _ in values]
        mean = statistics.fmean(accs)
        std = statistics.stdev(accs) if len(accs) > 1 else 0.0
        delta = mean - reported["value"]
        tolerance = 2 * reported["std"] if reported.get("std") else tolerance_pp
        see = f"gaps_filled.md (Conflicts) and runs/{model}-seed*/metrics.json"
        label = verdict(delta, tolerance, disagreement_pp, hypothesis_for(model, ledger), see)
        rows.append({"model": model, "metric": "test accuracy (%)", "step": step,
                     "steps_used": sorted({s for _, s in values}), "runs": [
                         {"run": r["run"], "value": v, "seconds": by_run[r["run"]].get("seconds")}
                         for r, v in zip(runs, accs)],
                     "mean": mean, "std": std, "paper": reported["value"], "paper_std": reported.get("std"),
                     "paper_where": reported["where"], "delta": delta, "abs_delta": abs(delta),
                     "tolerance": tolerance, "label": label})
    record = {"compare_step": step, "tolerance_pp": tolerance_pp, "disagreement_pp": disagreement_pp, "rows": rows}
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, render_results(record))
    return record


def render_results(record: dict[str, Any]) -> str:
    rows = record["rows"]
    n = len(rows[0]["runs"]) if rows else 0
    lines = ["# Results: reproduction vs paper", "",
             f"Test accuracy at step {record['compare_step']}, mean ± std over {n} seeds. Labels: matched within the "
             f"tolerance (twice the paper's spread, or {record['tolerance_pp']:g} pp where it reports none), gap up to "
             f"{record['disagreement_pp']:g} pp, fundamental disagreement beyond.", "",
             "| model | metric | ours | paper | delta | label |", "|---|---|---|---|---|---|"]
    for r in rows:
        paper = f"{r['paper']:g}" + (f" ± {r['paper_std']:g}" if r["paper_std"] else "")
        lines.append(f"| {r['model']} | {r['metric']} | {r['mean']:.2f} ± {r['std']:.2f} | {paper} ({r['paper_where']}) | "
                     f"{r['delta']:+.2f} pp (abs {r['abs_delta']:.2f}) | {r['label']} |")
    lines.append("")
    for r in rows:
        lines += [f"## {r['model']}", "", "| run | test accuracy (%) | seconds |", "|---|---|---|"]
        lines += [f"| {x['run']} | {x['value']:.2f} | {x['seconds'] if x['seconds'] is not None else '-'} |"
                  for x in r["runs"]]
        lines += ["", f"Mean {r['mean']:.2f} ± {r['std']:.2f}; paper {r['paper']:g}; absolute delta "
                      f"{r['abs_delta']:.2f} pp. {r['label']}", ""]
    return "\n".join(lines)
