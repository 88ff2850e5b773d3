"""Stage 7's curves: for each model, the compared metric and the training loss over steps for every seed, read
from each run's TensorBoard events (its metrics.json history where a run wrote none, as the official code's
may not), with the paper's reported point marked at the step the runs are compared at. One PNG per model,
linked from results.md and shown in ``snakemake --report``."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import Any

from reprokit import atomic

Series = list[tuple[float, float]]


def _events(run_dir: Path, identity: str) -> Path | None:
    """The run's TensorBoard folder for its own identity (runs/<run>/tb/<identity[:12]>), if it has events."""
    folder = run_dir / "tb" / identity[:12] if identity else None
    return folder if folder is not None and any(folder.glob("events.out.tfevents.*")) else None


def run_series(metrics_path: str | Path, metric: str, eval_split: str,
               record: dict[str, Any] | None = None) -> dict[str, Any]:
    """The metric and the training loss of one run over steps: ``{"metric": [(step, value)], "train_loss":
    [...], "source": "TensorBoard events" | "metrics.json"}`` (a non-finite value is kept: the plot shows
    where the run diverged). ``record``: the run's metrics.json, when the caller has read it already."""
    record = record if record is not None else atomic.read_json(metrics_path, "run metrics")
    folder = _events(Path(metrics_path).parent, str(record.get("identity", "")))
    if folder is not None:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

        events = EventAccumulator(str(folder), size_guidance={"scalars": 0})
        events.Reload()
        tags = set(events.Tags().get("scalars", []))
        wanted = {"metric": f"{eval_split}/{metric}", "train_loss": "train/loss"}
        if wanted["metric"] in tags:
            return {key: [(float(e.step), float(e.value)) for e in events.Scalars(tag)] if tag in tags else []
                    for key, tag in wanted.items()} | {"source": "TensorBoard events"}
    steps = record.get("steps") or []
    values = (record.get("metrics") or {}).get(metric) or []
    losses = record.get("train_loss") or []
    return {"metric": [(float(s), float(v)) for s, v in zip(steps, values) if s is not None and v is not None],
            "train_loss": [(float(s), float(v)) for s, v in zip(steps, losses) if s is not None and v is not None],
            "source": "metrics.json"}


def compare_step(plan: dict[str, Any], record: dict[str, Any]) -> float:
    """The step at which the runs are compared (an epoch budget is turned into steps with the run's own
    steps per epoch)."""
    if plan["compare_unit"] == "steps" or not record.get("steps_per_epoch"):
        return float(plan["compare_at"])
    return float(plan["compare_at"]) * float(record["steps_per_epoch"])


def plot_model(model: str, runs: dict[str, dict[str, Any]], paper: dict[str, Any], at_step: float,
               metric: dict[str, Any], out_png: str | Path, per_epoch: float | None = None) -> None:
    """One figure: the metric (left) and the training loss (right) over steps, a line per run, the paper's
    value as a dashed line and its reported point as a star at the compared step (a star per budget where
    the paper reports several)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, series in sorted(runs.items()):
        style = "--" if name.startswith("official:") else "-"
        for axis, key in ((left, "metric"), (right, "train_loss")):
            points = [(s, v) for s, v in series[key] if math.isfinite(v)]
            if points:
                axis.plot([s for s, _ in points], [v for _, v in points], style, marker=".", label=name)
            broken = [s for s, v in series[key] if not math.isfinite(v)]
            if broken:
                axis.axvline(broken[0], color="grey", linestyle=":", linewidth=1)
                axis.annotate(f"{name} diverged", (broken[0], 0.95), xycoords=("data", "axes fraction"),
                              fontsize=7, rotation=90, va="top", ha="right", color="grey")
    left.axhline(paper["value"], color="black", linestyle="--", linewidth=1)
    points = [(p, p["at"] * (per_epoch or 1.0) if p["at_unit"] == "epochs" else p["at"]) for p in paper["points"]] \
        if paper.get("points") else [(paper, at_step)]
    for p, step in points:
        if p.get("at_unit") == "epochs" and per_epoch is None:
            continue  # no run to say how many steps an epoch is
        text = f"paper: {p['value']:.4g} ({p['where']}" + (f", {p['at_label']})" if p.get("at_label") else ")")
        left.plot([step], [p["value"]], marker="*", markersize=14, color="crimson", linestyle="none",
                  label=textwrap.fill(text, 48))  # a long table label stays inside the plot
    unit = metric.get("unit", "")
    left.set(title=f"{model}: {metric['name']} ({unit}, {metric['direction']} is better)", xlabel="step",
             ylabel=metric["name"])
    right.set(title=f"{model}: training loss", xlabel="step", ylabel="loss")
    losses = [v for series in runs.values() for _, v in series["train_loss"] if math.isfinite(v)]
    if losses and min(losses) > 0 and max(losses) / min(losses) > 100:
        right.set_yscale("log")
    left.legend(fontsize=7)
    if right.get_legend_handles_labels()[0]:
        right.legend(fontsize=7)
    figure.tight_layout()
    out_png = Path(out_png)
    scratch = out_png.with_name(out_png.name + ".part.png")
    figure.savefig(scratch, dpi=90)
    plt.close(figure)
    scratch.replace(out_png)


def plot_curves(plan_json: str, metrics_paths: list[str], out_dir: str) -> dict[str, str]:
    """``out_dir/<model>.png`` for every model of the run plan; returns model -> file name."""
    plan = atomic.read_json(plan_json, "run plan")
    metric = plan["metric"]
    by_run: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for path in metrics_paths:  # each metrics.json read once
        record = atomic.read_json(path, "run metrics")
        by_run[(record.get("implementation", "harness"), record["run"])] = (path, record)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    made = {}
    for model, paper in plan["paper_values"].items():
        runs, at_step, per_epoch = {}, float(plan["compare_at"]), None
        for run in (r for r in plan["runs"] if r["model"] == model):
            route = run.get("implementation", "harness")
            if (route, run["run"]) not in by_run:
                continue
            path, record = by_run[(route, run["run"])]
            label = f"official: {run['run']}" if route == "upstream" else run["run"]
            runs[label] = run_series(path, metric["name"], plan.get("eval_split") or "test", record)
            at_step = compare_step(plan, record)
            per_epoch = float(record["steps_per_epoch"]) if record.get("steps_per_epoch") else per_epoch
        plot_model(model, runs, paper, at_step, metric, out / f"{model}.png", per_epoch)
        made[model] = f"{model}.png"
    return made
