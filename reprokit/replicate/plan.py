"""Stage 7's plan: one run per model and seed, the paper's value for each model in the metric's own unit,
and the point (the end of the ledger's budget, in steps or epochs) at which runs are compared."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.cluster.runtime import refuse_absurd, request_minutes
from reprokit.errors import UserError
from reprokit.paper.tables import column_headers, find_cells, label_columns, row_labels
from reprokit.upstream.metrics import default_name

RELATIVE = {"percent": 100.0, "fraction": 1.0}


def to_metric_unit(value: float, cell_text: str, metric_unit: str, paper_unit: str) -> tuple[float, str]:
    """The paper's number in the metric's unit. Percent and fraction convert into each other: a cell with "%"
    is a percent; otherwise ``paper_unit`` says (``auto``: a value at most 1 is a fraction, above 1 a percent)."""
    if metric_unit not in RELATIVE:
        return value, "as reported"
    if "%" in cell_text:
        given = "percent"
    elif paper_unit in RELATIVE:
        given = paper_unit
    else:
        given = "fraction" if abs(value) <= 1.0 else "percent"
    converted = value * RELATIVE[metric_unit] / RELATIVE[given]
    return converted, (f"reported as a {given}" + (f", converted to {metric_unit}" if given != metric_unit else ""))


def paper_values(paper: dict[str, Any], models: list[dict[str, Any]], metric_column: str | None,
                 metric_unit: str = "percent", paper_unit: str = "auto") -> dict[str, Any]:
    """The paper's reported value for each model: its cell in a results table (models as rows or as columns;
    ``paper_row`` names the model's label, ``metric_column`` the metric's, matched by ``tables.match_label``),
    or the config's ``paper_value``."""
    tables = [t for t in paper.get("tables", []) if t["kind"] == "results"]
    out = {}
    for model in models:
        if model.get("paper_value") is not None:
            value, how = to_metric_unit(float(model["paper_value"]), "", metric_unit, paper_unit)
            std = model.get("paper_std")
            std = to_metric_unit(float(std), "", metric_unit, paper_unit)[0] if std is not None and "fraction" in how \
                else std
            out[model["name"]] = {"value": value, "std": std, "where": "config paper_value", "unit": how}
            continue
        if not tables:
            raise UserError("the paper has no results table to compare with; check paper.md's 'Results tables' or "
                            f"give `paper_value` for model {model['name']} in the config.")
        if not any(len(t["rows"]) > t.get("header_rows", 1) for t in tables):
            raise UserError("the paper's results tables are empty; give `paper_value` for each model in the config.")
        problems = []
        for table in tables:
            cells, problem = find_cells(table, model["paper_row"], metric_column)
            if not cells:
                problems.append(problem)
                continue
            points = []
            for cell, where, budget in cells:
                value, how = to_metric_unit(cell["value"], cell["text"], metric_unit, paper_unit)
                std = cell["std"]
                if std is not None:
                    std = to_metric_unit(std, cell["text"], metric_unit, paper_unit)[0]
                points.append({"value": value, "std": std, "where": where, "unit": how, "cell": cell["text"],
                               **({"at": budget[0], "at_unit": budget[1], "at_label": f"{budget[0]:g} {budget[1]}"}
                                  if budget and len(cells) > 1 else {})})
            # one value, or one per budget (run_plan.md shows the largest; each is compared where the runs reach it)
            points.sort(key=lambda p: p.get("at", 0.0))
            out[model["name"]] = {**points[-1], "points": points} if len(points) > 1 else points[0]
            break
        else:
            raise UserError(_not_found(model, metric_column, tables, problems))
    return out


def check_result_labels(paper_id: str, settings: dict[str, Any], workspace: str | Path) -> None:
    """Before any job (``snakemake -n`` too): each model's ``paper_row`` and the ``metric_column`` name one
    cell of the paper's results tables, read from the workspace's paper.json, else from a local paper file.
    A paper not fetched yet is checked when the run plan is made. Raises UserError naming the candidates."""
    from reprokit.paper.extract import parse_any
    from reprokit.paper.paperid import parse_reference

    models = [m for m in settings.get("models") or [] if m.get("paper_value") is None]
    if not models:
        return
    extract = Path(workspace) / "paper.json"
    try:
        if extract.is_file():
            paper = atomic.read_json(extract, "paper extract")
        else:
            ref = parse_reference(str(settings.get("source", "")))
            if not ref.kind.startswith("file_"):
                return
            paper = parse_any(ref.value)
    except UserError:
        return  # a paper that cannot be read yet: stage 1 says why, in its own words
    try:
        paper_values(paper, models, settings.get("metric_column"), "as reported")
    except UserError as err:
        raise UserError(f"config key papers/{paper_id}/models: {err}") from None


def _not_found(model: dict[str, Any], metric_column: str | None, tables: list[dict[str, Any]],
               problems: list[str]) -> str:
    """One sentence: why no cell was found for ``model``, the candidates, and the fix."""
    about_metric = [p for p in problems if p.startswith("metric_column")]
    if about_metric:
        return f"{about_metric[0]}; fix `metric_column` in the config (a column header, or a row label when the " \
               "table has its models as columns)."
    ambiguous = [p for p in problems if " names " in p]
    if ambiguous:
        return f"paper_row {ambiguous[0]}; give more of the label in `paper_row` for model {model['name']}."
    labels = "; ".join(f"Table {t['number'] or '?'} rows: {', '.join(r for r in row_labels(t) if r) or 'none'}, "
                       f"columns: {', '.join(h for h in column_headers(t)[label_columns(t):] if h) or 'none'}"
                       for t in tables)
    return (f"paper_row {model['paper_row']!r} of model {model['name']} is neither a row label nor a column header "
            f"of the paper's results tables ({labels}); fix `paper_row` in the config.")


def budget_entry(ledger: dict[str, Any]) -> dict[str, Any]:
    by_name = {e["name"]: e for e in ledger["entries"]}
    for name, unit in (("schedule.total_steps", "steps"), ("schedule.epochs", "epochs")):
        entry = by_name.get(name)
        if entry is not None and entry["value"] is not None:
            return {**entry, "unit": unit}
    raise UserError("the ledger gives no training budget (schedule.total_steps or schedule.epochs); set one in "
                    "`overrides`.")


ROUTE_NAMES = {"harness": "reimplementation", "upstream": "official code"}


def _metric_of(routes: dict[str, dict[str, Any]], metrics_from: dict[str, Any] | None, models: list[dict[str, Any]]
               ) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """The compared metric, the split it is measured on, and per route what its record says (the harness's
    task, or the official code's launch)."""
    records = {}
    if "harness" in routes:
        task = atomic.read_json(routes["harness"]["record"], "implementation record")["task"]
        unknown = [m["name"] for m in models if m["name"] not in task["models"]]
        if unknown:
            raise UserError(f"model {unknown[0]!r} is not in the task's MODELS ({', '.join(task['models'])}); fix "
                            "`models` in config/config.yaml.")
        records["harness"] = {"task": task}
    if "upstream" in routes:
        launch = atomic.read_json(routes["upstream"]["record"], "official code launch")
        records["upstream"] = {"tree": launch["tree"], "entry": launch["entry"]["script"],
                               "found": launch["entry"].get("how", ""), "command": launch.get("command") or [],
                               "commit": launch.get("version") or str(launch["upstream"].get("commit", ""))[:12],
                               "origin": launch["upstream"].get("url") or launch["upstream"].get("path", ""),
                               "needs_code_change": [n["name"] for n in launch["needs_code_change"]],
                               # per model: a value stated for one model, a layer size of one model's class
                               "needs_code_change_for": {n["name"]: n["model"] for n in launch["needs_code_change"]
                                                         if n.get("model")},
                               "left_by_config": [n["name"] for n in launch.get("left_by_config", [])],
                               "architecture": [f"{a['code']} ({a['status']})" for a in launch.get("architecture", [])],
                               "architecture_models": [a.get("models", []) for a in launch.get("architecture", [])]}
    if "harness" in records:
        task = records["harness"]["task"]
        return task["metrics"][0], task["eval_split"], records
    source = metrics_from or {}
    metric = {"name": str(source.get("name") or default_name(source)), "unit": source.get("unit", "percent"),
              "direction": "higher" if source.get("higher_is_better", True) else "lower"}
    return metric, str(source.get("split", "official code's evaluation")), records


def plan_runs(paper_json: str, gaps_json: str, routes: dict[str, dict[str, str]], models: list[dict[str, Any]],
              seeds: list[int], metric_column: str | None, paper_unit: str, out_md: str, out_json: str,
              metrics_from: dict[str, Any] | None = None, slurm_time: dict[str, Any] | None = None) -> dict[str, Any]:
    """One run per model and seed for each route (``routes``: harness and/or upstream, each with its smoke
    status and its stage-4 record), what each is compared with, and at which point of its budget. A run
    estimated beyond ``slurm_time["max_run_hours"]`` is refused here, before any training job; the SLURM request
    (``slurm_time``: margin, floor, job overhead) is shown in run_plan.md only, so that changing it reruns only
    this job."""
    slurm_time = slurm_time or {}
    paper = atomic.read_json(paper_json, "paper extract")
    ledger = atomic.read_json(gaps_json, "ledger")
    if not models:
        raise UserError("the paper lists no `models` to train; add them (names with their results-table rows) in "
                        "config/config.yaml.")
    metric, split, records = _metric_of(routes, metrics_from, models)
    reported = paper_values(paper, models, metric_column, metric["unit"], paper_unit)
    budget = budget_entry(ledger)
    runs = []
    for route, paths in routes.items():
        estimates = atomic.read_json(paths["status"], "smoke status").get("estimates", {})
        refuse_absurd(estimates, slurm_time, str(Path(paths["status"]).with_suffix(".md")))
        folder = "runs/upstream/" if route == "upstream" else "runs/"
        runs += [{"run": f"{m['name']}-seed{s}", "model": m["name"], "seed": s, "implementation": route,
                  "folder": f"{folder}{m['name']}-seed{s}",
                  "estimated_seconds": round(estimates.get(m["name"], {}).get("estimated_seconds") or 0.0, 1)}
                 for m in models for s in seeds]
    plan = {"compare_at": int(budget["value"]), "compare_unit": budget["unit"], "compare_provenance": budget["tag_text"],
            "metric": metric, "eval_split": split, "runs": runs, "paper_values": reported,
            "metric_column": metric_column, "implementations": list(routes), "records": records}
    who = " and ".join(f"the {ROUTE_NAMES[r]}" for r in routes)
    lines = ["# Run plan", "",
             f"{len(runs)} runs: {len(models)} models x {len(seeds)} seeds, trained by {who}; each trains "
             f"{budget['value']} {budget['unit']} {budget['tag_text']} and is compared with the paper there, on "
             f"{metric['name']} ({metric['unit']}, {metric['direction']} is better) on the {split} split.", ""]
    if "upstream" in records:
        up = records["upstream"]
        lines += [f"The official code: {up['origin']} at `{up['commit']}`, entry point `{up['entry']}`, run from "
                  f"{up['tree']}/ with the values in reprokit-launch.yaml"
                  + (f"; {len(up['needs_code_change'])} ledger value(s) it exposes no way to set are listed in "
                     f"{up['tree']}/REPRODUCTION.md" if up["needs_code_change"] else "") + ".", ""]
        if up.get("command"):
            lines += [f"Its command (chosen as {up['found'] or 'configured'}), with the values every model shares; "
                      "each run adds its seed flag, its model's `args`, its values of one model and the paper's `run_args`:", "",
                      "    python " + " ".join(shlex.quote(str(a)) for a in up["command"]), ""]
    lines += ["| run | implementation | model | seed | paper value | estimated time | SLURM time request (first "
              "attempt) |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['folder']} | {ROUTE_NAMES[r['implementation']]} | {r['model']} | {r['seed']} | "
              f"{reported[r['model']]['value']:g} ({reported[r['model']]['where']}, {reported[r['model']]['unit']}) | "
              f"{r['estimated_seconds']:.0f} s | {request_minutes(r['estimated_seconds'], slurm_time)} min |"
              for r in runs]
    itemised = " and ".join({"harness": "smoke_logs/smoke_status.md",
                             "upstream": "smoke_logs/upstream/smoke_status.md"}[r] for r in routes)
    lines += ["", f"Estimated time: the smoke ladder's measured times ({itemised} itemises them). The request is "
              "(the estimate + `smoke.job_overhead_s`) x `smoke.runtime_margin`, at least `smoke.runtime_floor_minutes`, "
              "and grows with each retry; without an estimate (the official code's full length unknown), an hour. A run "
              "estimated above `smoke.max_run_hours` is refused here."]
    atomic.write_json(out_json, plan)
    atomic.write_text(out_md, "\n".join(lines) + "\n")
    return plan
