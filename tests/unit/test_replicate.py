"""Stage 7: the run plan, the verdict labels and their boundaries, and bad inputs."""

import copy
import json

import pytest

from reprokit.errors import UserError
from reprokit.replicate.compare import compare, hypothesis_for, paper_values, verdict

MODELS = [{"name": "logreg", "paper_row": "Logistic regression"}, {"name": "mlp", "paper_row": "MLP"},
          {"name": "cnn", "paper_row": "CNN"}, {"name": "gru", "paper_row": "GRU"}]


@pytest.mark.parametrize(
    ("delta", "label"),
    [(0.0, "[matched within 3 pp]"), (-3.0, "[matched within 3 pp]"), (3.01, "[gap, hypothesis: h]"),
     (-15.0, "[gap, hypothesis: h]"), (15.01, "[fundamental disagreement, see s]")],
)
def test_exactly_one_label_with_inclusive_boundaries(delta, label):
    assert verdict(delta, 3.0, 15.0, "h", "s") == label


def test_paper_values_are_found_by_row_and_column(example_paper):
    values = paper_values(example_paper, MODELS, "Test accuracy")
    assert {k: v["value"] for k, v in values.items()} == {"logreg": 32, "mlp": 68, "cnn": 94, "gru": 91}
    assert values["cnn"]["where"] == "Table 2"


def test_missing_row_and_empty_or_absent_results_tables(example_paper):
    with pytest.raises(UserError, match="no results-table row is labelled 'ResNet'"):
        paper_values(example_paper, [{"name": "cnn", "paper_row": "ResNet"}], None)
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
    assert "batch.shuffle=False was guessed" in mlp
    assert "architecture.gru.readout" not in mlp
    assert "architecture.gru.readout='all_steps' was guessed" in hypothesis_for("gru", ledger)


def write_metrics(tmp_path, run, accs, steps=(0, 4000, 8000)):
    path = tmp_path / f"{run}.json"
    path.write_text(json.dumps({"run": run, "steps": list(steps), "test_accuracy": list(accs), "seconds": 1.0}))
    return str(path)


def test_compare_means_deltas_and_labels(workspace, tmp_path):
    plan = {"compare_step": 8000, "runs": [{"run": f"{m}-seed{s}", "model": m, "seed": s} for m in ("cnn", "mlp")
                                           for s in (0, 1)],
            "paper_values": {"cnn": {"value": 94.0, "std": None, "where": "Table 2"},
                             "mlp": {"value": 68.0, "std": 1.0, "where": "Table 2"}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    metrics = [write_metrics(tmp_path, "cnn-seed0", [10, 90, 93.0]), write_metrics(tmp_path, "cnn-seed1", [10, 90, 95.0]),
               write_metrics(tmp_path, "mlp-seed0", [10, 50, 60.0]), write_metrics(tmp_path, "mlp-seed1", [10, 50, 62.0])]
    out = compare(str(tmp_path / "plan.json"), str(workspace / "gaps.json"), metrics, 3.0, 15.0,
                  str(tmp_path / "results.md"), str(tmp_path / "results.json"))
    rows = {r["model"]: r for r in out["rows"]}
    assert rows["cnn"]["mean"] == 94.0 and rows["cnn"]["delta"] == 0.0
    assert rows["cnn"]["label"] == "[matched within 3 pp]"
    assert rows["mlp"]["tolerance"] == 2.0  # twice the paper's reported spread
    assert rows["mlp"]["delta"] == -7.0 and rows["mlp"]["label"].startswith("[gap, hypothesis: ")
    md = (tmp_path / "results.md").read_text()
    assert md.count("[matched within") == 2 and "| cnn | test accuracy (%) | 94.00 ± 1.41 |" in md


def test_missing_metrics_is_a_clear_error(workspace, tmp_path):
    plan = {"compare_step": 10, "runs": [{"run": "cnn-seed0", "model": "cnn", "seed": 0}],
            "paper_values": {"cnn": {"value": 94.0, "std": None, "where": "Table 2"}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    with pytest.raises(UserError, match="metrics for run cnn-seed0 are missing"):
        compare(str(tmp_path / "plan.json"), str(workspace / "gaps.json"), [], 3.0, 15.0,
                str(tmp_path / "r.md"), str(tmp_path / "r.json"))
