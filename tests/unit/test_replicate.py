"""Stage 7: the run plan, the verdict labels and their boundaries in the metric's own terms, bad inputs."""

import copy
import json
import re
from pathlib import Path

import pytest

from reprokit.errors import UserError
from reprokit.replicate.compare import compare, hypothesis_for, thresholds, verdict
from reprokit.replicate.plan import paper_values, to_metric_unit

MODELS = [{"name": "logreg", "paper_row": "Logistic regression"}, {"name": "mlp", "paper_row": "MLP"},
          {"name": "cnn", "paper_row": "CNN"}, {"name": "gru", "paper_row": "GRU"}]


@pytest.mark.parametrize(
    ("delta", "label"),
    [(0.0, "[matched within 3 pp]"), (-3.0, "[matched within 3 pp]"), (3.01, "[gap, hypothesis: h]"),
     (-15.0, "[gap, hypothesis: h]"), (15.01, "[fundamental disagreement, see s]")],
)
def test_exactly_one_label_with_inclusive_boundaries(delta, label):
    assert verdict(delta, 3.0, 15.0, "h", "s") == label


def test_labels_and_tolerances_in_the_metrics_own_unit():
    assert verdict(0.02, 0.03, 0.15, "h", "s", "fraction") == "[matched within 0.03]"
    assert verdict(0.004, 0.005, 0.025, "h", "s", "MSE") == "[matched within 0.005 MSE]"
    assert thresholds("percent", 94.0, None, None) == (3.0, 15.0)
    assert thresholds("fraction", 0.94, None, None) == (0.03, 0.15)
    assert thresholds("MSE", 0.2, None, None) == pytest.approx((0.01, 0.05))
    assert thresholds("MSE", 0.2, 0.02, None) == pytest.approx((0.02, 0.05))


def test_a_paper_fraction_or_percent_is_converted_to_the_metrics_unit():
    assert to_metric_unit(0.94, "0.94", "percent", "auto")[0] == pytest.approx(94.0)
    assert to_metric_unit(94.0, "94", "percent", "auto")[0] == 94.0
    assert to_metric_unit(94.0, "94%", "fraction", "auto")[0] == pytest.approx(0.94)
    assert to_metric_unit(0.5, "0.5", "percent", "percent")[0] == 0.5  # the config says the paper writes percent
    assert to_metric_unit(0.123, "0.123", "MSE", "auto") == (0.123, "as reported")


def test_paper_values_are_found_by_row_and_column(example_paper):
    values = paper_values(example_paper, MODELS, "Test accuracy")
    assert {k: v["value"] for k, v in values.items()} == {"logreg": 32, "mlp": 68, "cnn": 94, "gru": 91}
    assert values["cnn"]["where"] == "Table 2, row 'CNN', column 'Test accuracy (%)'"


def test_missing_row_and_empty_or_absent_results_tables(example_paper):
    with pytest.raises(UserError, match=r"paper_row 'ResNet' of model cnn is neither a row label nor a column header "
                                        r"of the paper's results tables \(Table 2 rows: Logistic regression, MLP, CNN, "
                                        r"GRU, columns: .*\); fix `paper_row`"):
        paper_values(example_paper, [{"name": "cnn", "paper_row": "ResNet"}], None)
    with pytest.raises(UserError, match=r"metric_column 'Top-5' names no column with a value for 'CNN' in Table 2 "
                                        r"\(its columns with a value: .*Test accuracy.*\); fix `metric_column` in the config"):
        paper_values(example_paper, [{"name": "cnn", "paper_row": "CNN"}], "Top-5")
    empty = copy.deepcopy(example_paper)
    results = next(t for t in empty["tables"] if t["kind"] == "results")
    results["rows"] = results["rows"][:1]
    with pytest.raises(UserError, match="results tables are empty"):
        paper_values(empty, MODELS, None)
    none = copy.deepcopy(example_paper)
    none["tables"] = [t for t in none["tables"] if t["kind"] != "results"]
    with pytest.raises(UserError, match="has no results table"):
        paper_values(none, MODELS, None)


def test_hypothesis_names_the_models_guessed_and_conflicting_values(workspace):
    ledger = json.loads((workspace / "gaps.json").read_text())
    mlp = hypothesis_for("mlp", ledger)
    assert "architecture.mlp.hidden_width=256 conflicts with 100" in mlp
    assert "batch.shuffle=True was guessed" in mlp
    assert "architecture.gru.readout" not in mlp
    assert "architecture.gru.readout='all_steps' was guessed" in hypothesis_for("gru", ledger)


def write_metrics(tmp_path, run, values, steps=(0, 4000, 8000), metric="accuracy"):
    path = tmp_path / f"{run}.json"
    path.write_text(json.dumps({"run": run, "steps": list(steps), "epochs": [s / 40 for s in steps],
                                "metrics": {metric: list(values)}, "seconds": 1.0}))
    return str(path)


def plan_for(tmp_path, models, paper, metric=None, at=8000):
    metric = metric or {"name": "accuracy", "unit": "percent", "direction": "higher"}
    plan = {"compare_at": at, "compare_unit": "steps", "metric": metric, "eval_split": "test",
            "runs": [{"run": f"{m}-seed{s}", "model": m, "seed": s} for m in models for s in (0, 1)],
            "paper_values": paper}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    return str(tmp_path / "plan.json")


def test_compare_means_deltas_and_labels(workspace, tmp_path):
    plan = plan_for(tmp_path, ("cnn", "mlp"), {"cnn": {"value": 94.0, "std": None, "where": "Table 2"},
                                               "mlp": {"value": 68.0, "std": 1.0, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, "cnn-seed0", [10, 90, 93.0]), write_metrics(tmp_path, "cnn-seed1", [10, 90, 95.0]),
               write_metrics(tmp_path, "mlp-seed0", [10, 50, 60.0]), write_metrics(tmp_path, "mlp-seed1", [10, 50, 62.0])]
    out = compare(plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "results.md"),
                  str(tmp_path / "results.json"))
    rows = {r["model"]: r for r in out["rows"]}
    assert rows["cnn"]["mean"] == 94.0 and rows["cnn"]["delta"] == 0.0
    assert rows["cnn"]["label"] == "[matched within 3 pp]"
    assert rows["mlp"]["tolerance"] == 2.0  # twice the paper's reported spread
    assert rows["mlp"]["delta"] == -7.0 and rows["mlp"]["label"].startswith("[gap, hypothesis: ")
    assert rows["mlp"]["ours_better"] is False
    md = (tmp_path / "results.md").read_text()
    assert md.count("[matched within") == 2 and "| cnn | accuracy (percent) | 94 ± 1.4 |" in md


def test_a_lower_is_better_metric_in_its_own_unit(workspace, tmp_path):
    metric = {"name": "mse", "unit": "MSE", "direction": "lower"}
    plan = plan_for(tmp_path, ("cnn",), {"cnn": {"value": 0.20, "std": None, "where": "Table 2"}}, metric)
    metrics = [write_metrics(tmp_path, f"cnn-seed{s}", [1.0, 0.5, v], metric="mse") for s, v in ((0, 0.15), (1, 0.17))]
    row = compare(plan, str(workspace / "gaps.json"), metrics, None, None, str(tmp_path / "r.md"),
                  str(tmp_path / "r.json"))["rows"][0]
    assert row["delta"] == pytest.approx(-0.04) and row["ours_better"] is True
    assert row["tolerance"] == pytest.approx(0.01) and row["label"].startswith("[gap, hypothesis:")
    row = compare(plan, str(workspace / "gaps.json"), metrics, 0.05, None, str(tmp_path / "r.md"),
                  str(tmp_path / "r.json"))["rows"][0]
    assert row["label"] == "[matched within 0.05 MSE]"
    assert "mse (MSE, lower is better)" in (tmp_path / "r.md").read_text()


def test_final_window_reads_the_median_of_the_last_evaluations(workspace, tmp_path):
    """A run whose metric dips at the very evaluation of the cut (grokking's transient loss spikes) is read as the
    median of its last N evaluations when the config asks for it; N = 1 (the default) keeps the cut's value."""
    steps = (0, 2000, 4000, 6000, 8000)
    plan = plan_for(tmp_path, ("cnn",), {"cnn": {"value": 100.0, "std": None, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, "cnn-seed0", [1, 99.9, 100, 100, 47.5], steps),
               write_metrics(tmp_path, "cnn-seed1", [1, 30, 99.9, 12.0, 100], steps)]
    args = (plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "r.md"), str(tmp_path / "r.json"))
    row = compare(*args)["rows"][0]
    assert row["mean"] == pytest.approx(73.75) and row["label"].startswith("[fundamental disagreement")
    row = compare(*args, final_window=3)["rows"][0]
    assert [x["value"] for x in row["runs"]] == [100, 99.9] and row["label"] == "[matched within 3 pp]"
    assert [(x["from"], x["at"]) for x in row["runs"]] == [(4000, 8000), (4000, 8000)]
    md = (tmp_path / "r.md").read_text()
    assert "Each seed's value is the median of its last 3 evaluations up to the compared point (`final_window`" in md
    assert "| cnn-seed0 | 100 | 1.0 | median of the evaluations at steps 4000 to 8000 |" in md
    # a window longer than the run's evaluations reads all of them; a non-finite value in it is not hidden
    assert compare(*args, final_window=50)["rows"][0]["runs"][0]["value"] == pytest.approx(99.9)
    nan = write_metrics(tmp_path, "cnn-seed1", [1, 30, 99.9, float("nan"), 100], steps)
    assert compare(*args[:2], [metrics[0], nan], *args[3:], final_window=3)["rows"][0]["runs"][1]["value"] == 100
    # a log counted in the other unit (no point on the plan's axis): its last value alone, said without a span
    other_unit = tmp_path / "cnn-seed1.json"
    other_unit.write_text(json.dumps({"run": "cnn-seed1", "steps": list(steps), "epochs": [None] * 5,
                                      "metrics": {"accuracy": [1, 30, 99.9, 12.0, 100]}, "seconds": 1.0}))
    plan_json = json.loads(Path(plan).read_text())
    Path(plan).write_text(json.dumps({**plan_json, "compare_unit": "epochs", "compare_at": 200}))
    run = compare(*args[:2], [metrics[0], str(other_unit)], *args[3:], final_window=3)["rows"][0]["runs"][1]
    assert (run["value"], run["from"], run["at"]) == (100, 8000, 8000)
    assert "| cnn-seed1 | 100 | 1.0 |  |" in (tmp_path / "r.md").read_text()


def test_missing_or_outdated_metrics_are_clear_errors(workspace, tmp_path):
    plan = plan_for(tmp_path, ("cnn",), {"cnn": {"value": 94.0, "std": None, "where": "Table 2"}}, at=10)
    with pytest.raises(UserError, match="metrics for run cnn-seed0 are missing"):
        compare(plan, str(workspace / "gaps.json"), [], 3.0, 15.0, str(tmp_path / "r.md"), str(tmp_path / "r.json"))
    (tmp_path / "old.json").write_text(json.dumps({"run": "cnn-seed0", "test_accuracy": [1.0]}))
    with pytest.raises(UserError, match=r"old.json lacks metrics, steps \(cut short or from another version\)"):
        compare(plan, str(workspace / "gaps.json"), [str(tmp_path / "old.json")], 3.0, 15.0, str(tmp_path / "r.md"),
                str(tmp_path / "r.json"))


def test_an_ambiguous_metric_column_is_refused(example_paper):
    paper = copy.deepcopy(example_paper)
    table = next(t for t in paper["tables"] if t["kind"] == "results")
    for r, row in enumerate(table["rows"]):
        extra = dict(row[-1])
        if r < table["header_rows"]:
            extra["text"] = "Test accuracy (%, rerun)"
        row.append(extra)
    with pytest.raises(UserError, match=r"metric_column 'Test accuracy' names 2 columns with a value for 'CNN' in Table 2 "
                                        r"\(row 'CNN', column 'Test accuracy \(%\)'; row 'CNN', column 'Test accuracy "
                                        r"\(%, rerun\)'\)"):
        paper_values(paper, [{"name": "cnn", "paper_row": "CNN"}], "Test accuracy")
    assert paper_values(paper, [{"name": "cnn", "paper_row": "CNN"}], "rerun")["cnn"]["value"] == 94


def test_a_recorded_substitution_is_said_with_each_label(workspace, tmp_path):
    plan = plan_for(tmp_path, ("cnn",), {"cnn": {"value": 94.0, "std": None, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, f"cnn-seed{s}", [10, 50, 60.0]) for s in (0, 1)]
    (tmp_path / "dataset.json").write_text(json.dumps({"substitution": "synthetic stand-in data"}))
    row = compare(plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "r.md"),
                  str(tmp_path / "r.json"), dataset_json=str(tmp_path / "dataset.json"))["rows"][0]
    assert row["label"] == "[fundamental disagreement, see dataset_substitution.md, results.md, section cnn]"
    assert "The data is a substitute for the paper's:** synthetic stand-in data" in (tmp_path / "r.md").read_text()


@pytest.mark.parametrize(("content", "message"), [
    ('{"run": "cnn-seed0", "final": {}', "is not valid JSON"),
    ("", "is not valid JSON"),
    ("[1, 2]", "is not a JSON object"),
    ('{"run": "cnn-seed0"}', "lacks metrics, steps (cut short or from another version); delete it"),
    ('{"run": "r", "final": {}, "final_step": 5, "total_steps": 10, "primary": {}, "metrics": {}, "steps": []}',
     "stop at step 5 of 10 (an unfinished run)"),
])
def test_a_broken_metrics_file_is_named_with_the_fix(tmp_path, content, message):
    plan = {"runs": [], "metric": {}, "paper_values": {}, "compare_at": 1}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    (tmp_path / "gaps.json").write_text(json.dumps({"entries": []}))
    (tmp_path / "metrics.json").write_text(content)
    with pytest.raises(UserError, match=re.escape(message)):
        compare(str(tmp_path / "plan.json"), str(tmp_path / "gaps.json"), [str(tmp_path / "metrics.json")],
                        3.0, 15.0, str(tmp_path / "r.md"), str(tmp_path / "r.json"))


def test_a_seed_that_ends_nan_or_infinite_is_reported_as_diverged(workspace, tmp_path):
    plan = plan_for(tmp_path, ("cnn", "mlp"), {"cnn": {"value": 94.0, "std": None, "where": "Table 2"},
                                               "mlp": {"value": 68.0, "std": None, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, "cnn-seed0", [10, 90, 93.0]), write_metrics(tmp_path, "cnn-seed1", [10, 80, float("nan")]),
               write_metrics(tmp_path, "mlp-seed0", [10, float("inf"), float("nan")]),
               write_metrics(tmp_path, "mlp-seed1", [float("nan")] * 3)]
    out = compare(plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "results.md"),
                  str(tmp_path / "results.json"))
    rows = {r["model"]: r for r in out["rows"]}
    cnn, mlp = rows["cnn"], rows["mlp"]
    assert cnn["mean"] == 93.0 and cnn["diverged"] == ["cnn-seed1"] and cnn["label"] == "[matched within 3 pp]"
    assert cnn["runs"][1]["diverged"]["last_finite"] == 80 and cnn["runs"][1]["diverged"]["last_finite_at"] == 4000
    assert mlp["mean"] is None and mlp["label"] == "[fundamental disagreement, see results.md, section mlp]"
    md = (tmp_path / "results.md").read_text()
    assert "| cnn | accuracy (percent) | 93 (one seed) over 1 of 2 seeds |" in md
    assert "1 of 2 seeds diverged and are left out of the mean: cnn-seed1." in md
    assert "| mlp | accuracy (percent) | diverged (all 2 seeds) |" in md and "\n## mlp\n" in md
    assert "last finite value 10 at steps 0" in md and "no finite value before it" in md
    assert "Why it may differ: 2 of 2 seeds diverged;" in md


def test_one_seed_a_difference_below_the_tolerance_and_the_users_own_values_are_said_plainly(workspace, tmp_path):
    metric = {"name": "mse", "unit": "MSE", "direction": "lower"}
    plan = json.loads(Path(plan_for(tmp_path, ("cnn",), {"cnn": {"value": 0.0, "std": None, "where": "Table 1"}},
                                    metric)).read_text())
    plan["runs"] = [r for r in plan["runs"] if r["seed"] == 0]
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    ledger = json.loads((workspace / "gaps.json").read_text())
    ledger["entries"].append({"name": "optimizer.lr", "value": 0.01, "tag": "user config", "conflicts": [],
                              "model": None})
    (tmp_path / "gaps.json").write_text(json.dumps(ledger))
    metrics = [write_metrics(tmp_path, "cnn-seed0", [1.0, 0.5, 2.6e-12], metric="mse")]
    row = compare(str(tmp_path / "plan.json"), str(tmp_path / "gaps.json"), metrics, 1e-6, None,
                  str(tmp_path / "r.md"), str(tmp_path / "r.json"))["rows"][0]
    assert row["label"] == "[matched within 1e-06 MSE]" and row["ours_better"] is None
    md = (tmp_path / "r.md").read_text()
    assert "(one seed)" in md and "± 0" not in md and "worse" not in md and "within the tolerance" in md
    assert re.search(r"Your own values \(the paper states none\): [^|]*optimizer\.lr=0\.01\.", md)
    assert "Guessed: " in md  # the example ledger guesses batch.shuffle


def test_every_see_in_a_label_points_to_a_section_that_exists(workspace, tmp_path):
    plan = plan_for(tmp_path, ("cnn", "mlp"), {"cnn": {"value": 10.0, "std": None, "where": "Table 2"},
                                               "mlp": {"value": 10.0, "std": None, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, f"{m}-seed{s}", [10, 90, 93.0]) for m in ("cnn", "mlp") for s in (0, 1)]
    out = compare(plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "results.md"),
                  str(tmp_path / "results.json"))
    md = (tmp_path / "results.md").read_text()
    gaps_md = (workspace / "gaps_filled.md").read_text()
    for row in out["rows"]:
        see = row["label"].removeprefix("[fundamental disagreement, see ").removesuffix("]")
        for part in see.split(", and ") if ", and " in see else [see]:
            if part.startswith("results.md, section "):
                assert f"\n## {part.removeprefix('results.md, section ')}\n" in md
            else:
                assert part == "gaps_filled.md, section Conflicts" and "## Conflicts" in gaps_md
                assert "(none" not in gaps_md.split("## Conflicts")[1].split("##")[0]


def test_models_as_columns_and_one_matching_rule_for_rows_and_columns():
    from reprokit.paper.markdown import parse_markdown_text

    paper = parse_markdown_text("# T\n\n## 3 Results\n\nTable 2: Test MSE (lower is better).\n\n"
                                "| Dataset | Linear | **MLP** | MLP (wide) |\n|---|---|---|---|\n"
                                "| Sines | 0.0 | 0.012 $\\pm$ 0.003 | 0.02 |\n| Steps | 0.41 | 0.05 | 0.04 |\n")
    models = [{"name": "linear", "paper_row": "linear"}, {"name": "mlp", "paper_row": "MLP"}]
    values = paper_values(paper, models, "Steps", "MSE")
    assert (values["linear"]["value"], values["mlp"]["value"]) == (0.41, 0.05)
    assert values["mlp"]["where"] == "Table 2, column 'MLP', row 'Steps'"  # not "MLP (wide)": an equal label first
    assert paper_values(paper, models, "sines", "MSE")["mlp"]["std"] == 0.003
    assert paper_values(paper, models, None, "MSE")["linear"]["value"] == 0.0  # the first value of its column
    with pytest.raises(UserError, match=r"metric_column 'Waves' names no row with a value for 'linear' in Table 2 \(its "
                                        r"rows with a value: Sines; Steps\)"):
        paper_values(paper, models, "Waves", "MSE")
    with pytest.raises(UserError, match=r"paper_row 'Deep' of model deep is neither a row label nor a column header of "
                                        r"the paper's results tables \(Table 2 rows: Sines, Steps, columns: Linear, MLP, "
                                        r"MLP \(wide\)\)"):
        paper_values(paper, [{"name": "deep", "paper_row": "Deep"}], "Steps", "MSE")
    table = paper["tables"][0]
    table["rows"][0][2]["text"] = "MLP (narrow)"
    with pytest.raises(UserError, match=r"paper_row 'mlp' names 2 labels of Table 2 \(MLP \(narrow\); MLP \(wide\)\); "
                                        r"give more of the label"):
        paper_values(paper, [{"name": "mlp", "paper_row": "mlp"}], "Steps", "MSE")


def test_each_model_gets_a_figure_of_its_runs_with_the_papers_point_linked_from_results_md(workspace, tmp_path):
    from reprokit.replicate.curves import plot_curves, run_series

    plan = plan_for(tmp_path, ("cnn", "mlp"), {"cnn": {"value": 94.0, "std": None, "where": "Table 2"},
                                               "mlp": {"value": 68.0, "std": None, "where": "Table 2"}})
    metrics = [write_metrics(tmp_path, "cnn-seed0", [10, 90, 93.0]), write_metrics(tmp_path, "cnn-seed1", [10, 90, 95.0]),
               write_metrics(tmp_path, "mlp-seed0", [10, 50, 60.0]), write_metrics(tmp_path, "mlp-seed1", [10, float("nan"), 62])]
    series = run_series(metrics[3], "accuracy", "test")  # no TensorBoard events here: the metrics.json history
    assert series["source"] == "metrics.json" and [s for s, _ in series["metric"]] == [0.0, 4000.0, 8000.0]
    assert series["metric"][2] == (8000.0, 62.0) and series["metric"][1][1] != series["metric"][1][1]  # NaN kept
    made = plot_curves(plan, metrics, str(tmp_path / "curves"))
    assert made == {"cnn": "cnn.png", "mlp": "mlp.png"}
    for name in made.values():
        assert (tmp_path / "curves" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    compare(plan, str(workspace / "gaps.json"), metrics, 3.0, 15.0, str(tmp_path / "results.md"),
            str(tmp_path / "results.json"), curves_dir=str(tmp_path / "curves"))
    md = (tmp_path / "results.md").read_text()
    assert "## cnn\n\n![cnn: accuracy and training loss over steps, every seed, the paper's point marked](curves/cnn.png)" in md
    assert md.count("](curves/") == 2


def test_values_at_several_budgets_are_each_compared_where_the_runs_reach_them(workspace, tmp_path):
    from reprokit.paper.markdown import parse_markdown_text
    from reprokit.replicate.curves import plot_curves

    paper = parse_markdown_text("# T\n\n## 3 Results\n\nTable 3: Test accuracy (%) after training.\n\n"
                                "| Model | Acc. 50 steps | Acc. 100 steps | Acc. 1k steps |\n|---|---|---|---|\n"
                                "| CNN | 80.0 | 90.0 | 95.0 |\n")
    values = paper_values(paper, [{"name": "cnn", "paper_row": "CNN"}], "Acc.")
    points = values["cnn"]["points"]
    assert [(p["at"], p["at_unit"], p["value"]) for p in points] == [(50, "steps", 80), (100, "steps", 90),
                                                                       (1000, "steps", 95)]
    assert values["cnn"]["value"] == 95 and points[0]["where"] == "Table 3, row 'CNN', column 'Acc. 50 steps'"
    plan = json.loads(Path(plan_for(tmp_path, ("cnn",), values, at=100)).read_text())
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    metrics = [write_metrics(tmp_path, f"cnn-seed{s}", [10, 81.0 + s, 88.0 + s], steps=(0, 50, 100)) for s in (0, 1)]
    out = compare(str(tmp_path / "plan.json"), str(workspace / "gaps.json"), metrics, 3.0, 15.0,
                  str(tmp_path / "results.md"), str(tmp_path / "results.json"))
    rows = out["rows"]
    assert [(r["at"], r["paper"], r["mean"], r["label"].split(",")[0]) for r in rows] == [
        (50.0, 80.0, 81.5, "[matched within 3 pp]"), (100.0, 90.0, 88.5, "[matched within 3 pp]")]
    md = (tmp_path / "results.md").read_text()
    assert "| cnn at 50 steps | accuracy (percent) |" in md and "| cnn at 100 steps |" in md
    assert "The paper also reports 95 at 1000 steps (Table 3, row 'CNN', column 'Acc. 1k steps'); the runs stop " \
           "at steps 100, before it, so it is not compared." in md
    assert md.count("\n## cnn\n") == 1 and "### at 50 steps" in md
    assert plot_curves(str(tmp_path / "plan.json"), metrics, str(tmp_path / "curves")) == {"cnn": "cnn.png"}
    # a budget inside the runs but between their evaluations is not compared with some other step's value
    sparse = [write_metrics(tmp_path, f"cnn-seed{s}", [10, 88.0 + s], steps=(0, 100)) for s in (0, 1)]
    out = compare(str(tmp_path / "plan.json"), str(workspace / "gaps.json"), sparse, 3.0, 15.0,
                  str(tmp_path / "results.md"), str(tmp_path / "results.json"))
    assert [r["at"] for r in out["rows"]] == [100.0]
    assert "The paper also reports 80 at 50 steps (Table 3, row 'CNN', column 'Acc. 50 steps'); the runs were not " \
           "evaluated at steps 50 (the nearest evaluation before it is at steps 0); set schedule.eval_every in " \
           "`overrides` to evaluate there, so it is not compared." in (tmp_path / "results.md").read_text()


def test_the_official_codes_hypothesis_for_a_model_names_only_that_models_values_and_sizes():
    """A new user's MNIST-1D trial: the MLP's hypothesis said 'hidden_size=100 (the paper states width 6, not
    100)', the GRU's width set against the MLP's code, and listed values stated for another model."""
    from reprokit.replicate.compare import official_hypothesis

    record = {"tree": "repro/p/code", "needs_code_change": ["architecture.gru.hidden_width", "optimizer.name"],
              "needs_code_change_for": {"architecture.gru.hidden_width": "gru"},
              "architecture": ["hidden_size=8 (the paper states width 6, not 8)", "kernel=3 (the paper states kernel 5, not 3)"],
              "architecture_models": [["gru"], []]}
    mlp = official_hypothesis(record, "mlp", "Table 2, row 'MLP'")
    assert "could not set optimizer.name;" in mlp and "gru" not in mlp and "kernel=3" in mlp
    gru = official_hypothesis(record, "gru", "Table 2, row 'GRU'")
    assert "architecture.gru.hidden_width, optimizer.name" in gru and "hidden_size=8" in gru


def test_rows_labelled_by_two_text_columns_are_named_by_both():
    """tanh-init's Table 1 labels a row with its dataset and its method ("MNIST | Proposed | 62.82 | ..."): the
    method column was read as data, so no `paper_row` could name the proposed method on MNIST."""
    from reprokit.paper.markdown import parse_markdown_text

    paper = parse_markdown_text("# T\n\n## 3 Results\n\nTable 1: Validation accuracy.\n\n"
                                "| Dataset | Method | 2 Nodes | 512 Nodes |\n|---|---|---|---|\n"
                                "| MNIST | Xavier | 49.78 | 97.35 |\n| MNIST | Proposed | 62.82 | 97.96 |\n"
                                "| FMNIST | Proposed | 51.65 | 88.59 |\n")
    values = paper_values(paper, [{"name": "tanh", "paper_row": "MNIST Proposed"}], "512 Nodes", "accuracy")
    assert values["tanh"]["value"] == 97.96 and values["tanh"]["where"] == "Table 1, row 'MNIST Proposed', column '512 Nodes'"
    with pytest.raises(UserError, match=r"'Proposed' names 2 labels of Table 1 \(MNIST Proposed; FMNIST Proposed\)"):
        paper_values(paper, [{"name": "tanh", "paper_row": "Proposed"}], "512 Nodes", "accuracy")
