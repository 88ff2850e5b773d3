"""A third task, defined only in the tests (tests/fixtures/denoise/): 2-D image-like inputs, an MSE loss, a
lower-is-better metric in its own unit, SGD with momentum and a multi-step decay, a budget in epochs. It goes
through stages 1-7 with nothing in reprokit/ knowing it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, git_available
from tests.integration.test_workflow import run_one_paper

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
FIXTURE = ROOT / "tests" / "fixtures" / "denoise"


@pytest.fixture(scope="module")
def denoise(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("denoise")
    run_one_paper(workdir, "denoise", {
        "source": str(FIXTURE / "paper.md"), "code": "none", "task": str(FIXTURE / "task.py"),
        "dataset": {"source": "task", "args": {}}, "models": [{"name": "denoiser", "paper_row": "Conv denoiser"}],
        "metric_column": "Test MSE", "seeds": [0, 1]})
    return workdir / "repro" / "denoise"


def entry(ws, name):
    return next(e for e in json.loads((ws / "gaps.json").read_text())["entries"] if e["name"] == name)


def test_the_ledger_reads_the_core_and_the_tasks_knobs(denoise):
    assert (entry(denoise, "optimizer.name")["value"], entry(denoise, "optimizer.momentum")["value"]) == ("sgd", 0.9)
    assert entry(denoise, "schedule.epochs")["value"] == 6
    assert entry(denoise, "schedule.milestones")["value"] == [4, 5]
    assert entry(denoise, "schedule.gamma")["value"] == pytest.approx(0.1)
    assert entry(denoise, "architecture.channels")["tag_text"] == "[paper §3]"
    loss = entry(denoise, "loss.name")
    assert loss["value"] == "mse" and loss["tag"] == "user config" and not loss["conflicts"]


def test_the_data_counts_match_and_the_runs_train_in_epochs(denoise):
    checks = {c["what"]: c for c in json.loads((denoise / "dataset.json").read_text())["checks"]}
    assert (checks["train_size"]["ours"], checks["test_size"]["ours"]) == (512, 128)
    assert all(c["ok"] for c in checks.values())
    metrics = json.loads((denoise / "runs" / "denoiser-seed0" / "metrics.json").read_text())
    assert metrics["budget_unit"] == "epochs" and metrics["total_steps"] == 6 * 16 and metrics["epochs"][-1] == 6.0
    assert metrics["primary"] == {"name": "mse", "unit": "MSE", "direction": "lower"}
    assert metrics["metrics"]["mse"][-1] < metrics["metrics"]["mse"][0]


def test_results_compare_a_lower_is_better_metric_in_its_own_unit(denoise):
    results = json.loads((denoise / "results.json").read_text())
    row = results["rows"][0]
    assert (results["compare_unit"], results["compare_at"]) == ("epochs", 6)
    assert (row["metric"], row["unit"], row["direction"], row["paper"]) == ("mse", "MSE", "lower", 0.03)
    assert row["ours_better"] == (row["mean"] < 0.03)
    text = (denoise / "results.md").read_text()
    assert "mse (MSE, lower is better)" in text
    line = next(x for x in text.splitlines() if x.startswith("| denoiser |"))
    assert sum(line.count(t) for t in ("[matched within", "[gap, hypothesis:", "[fundamental disagreement")) == 1
    assert " pp" not in line
    subjects = (denoise / "implementation.json").read_text()
    assert "Config first" in subjects
