"""A paper of another kind through all seven stages, first time (tests/fixtures/regress/, written by this
project): a Markdown paper with a pipe table, its models as the table's columns, a lower-is-better metric
whose paper value is 0.0 in its own unit, and a model known to be unstable (one seed ends in NaN)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.conftest import ROOT, git_available
from tests.integration.test_workflow import run_one_paper, snakemake

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
FIXTURE = ROOT / "tests" / "fixtures" / "regress"


@pytest.fixture(scope="module")
def regress(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("regress")
    shutil.copy(FIXTURE / "paper.md", workdir / "paper.md")  # the researcher's own file, beside the config
    done = run_one_paper(workdir, "regress", {
        "source": "paper.md", "code": "none", "task": str(FIXTURE / "task.py"),
        "dataset": {"source": "task", "args": {}},
        "models": [{"name": "linear", "paper_row": "Linear"}, {"name": "mlp", "paper_row": "Tanh MLP"}],
        "metric_column": "Line", "seeds": [0, 1]})
    return {"workdir": workdir, "ws": workdir / "repro" / "regress", "output": done.stdout + done.stderr}


def test_the_markdown_paper_is_read_with_its_pipe_table_and_list(regress):
    paper = json.loads((regress["ws"] / "paper.json").read_text())
    assert paper["authors"] == ["Ada Example", "Bo Fixture"]
    (table,) = paper["tables"]
    assert (table["number"], table["kind"]) == ("1", "results")
    ledger = {e["name"]: e for e in json.loads((regress["ws"] / "gaps.json").read_text())["entries"]}
    assert (ledger["optimizer.name"]["value"], ledger["optimizer.lr"]["value"]) == ("adam", 0.05)
    assert (ledger["batch.batch_size"]["value"], ledger["schedule.epochs"]["value"]) == (32, 20)
    assert ledger["architecture.width"]["value"] == 16
    assert all(ledger[k]["tag"] == "paper" for k in ("optimizer.lr", "batch.batch_size", "schedule.epochs"))


def test_models_as_columns_and_a_nan_seed_reach_results_md_as_diverged(regress):
    results = json.loads((regress["ws"] / "results.json").read_text())
    rows = {r["model"]: r for r in results["rows"]}
    assert (rows["linear"]["paper"], rows["mlp"]["paper"]) == (0.0, 0.001)
    assert rows["linear"]["paper_where"] == "Table 1, column 'Linear', row 'Line'"
    assert rows["linear"]["diverged"] == [] and rows["linear"]["label"].startswith("[matched within")
    assert rows["mlp"]["diverged"] == ["mlp-seed1"] and rows["mlp"]["finite_seeds"] == 1
    text = (regress["workdir"] / "results.md").read_text()
    line = next(x for x in text.splitlines() if x.startswith("| mlp |"))
    assert sum(line.count(t) for t in ("[matched within", "[gap, hypothesis:", "[fundamental disagreement")) == 1
    assert "1 of 2 seeds diverged and are left out of the mean: mlp-seed1." in line and "(one seed)" in line
    assert "Traceback" not in regress["output"]


def test_each_models_curves_are_linked_from_results_md_and_shown_by_the_report(regress):
    ws, workdir = regress["ws"], regress["workdir"]
    text = (workdir / "results.md").read_text()
    for model in ("linear", "mlp"):
        assert (ws / "curves" / f"{model}.png").read_bytes()[:4] == b"\x89PNG"
        assert f"](repro/regress/curves/{model}.png)" in text
    done = snakemake(workdir, "--report", "report.html")
    report = (workdir / "report.html").read_text(errors="replace")
    assert "linear.png" in report and "mlp.png" in report, done.stdout[-2000:]


def jobs_run(output: str) -> set[str]:
    return set(re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", output, re.MULTILINE))


def test_a_paper_edit_that_leaves_the_run_values_retrains_nothing_and_one_that_changes_them_retrains(regress,
                                                                                                     tmp_path):
    workdir = tmp_path / "project"
    shutil.copytree(regress["workdir"], workdir, symlinks=True)
    ws = workdir / "repro" / "regress"
    kept = {rel: (ws / rel).stat().st_mtime_ns for rel in ("runs/linear-seed0/metrics.json", "results.md",
                                                            "smoke_logs/smoke_status.json", "implementation.json")}
    paper = workdir / "paper.md"
    paper.write_text(paper.read_text().replace("Fitting a line is the smallest regression problem;",
                                               "Fitting a line is the smallest regression problem there is;"))
    done = snakemake(workdir, "results.md")
    ran = jobs_run(done.stdout + done.stderr)
    assert "extract_paper" in ran and "Fitting a line is the smallest regression problem there is" in \
        (ws / "paper.json").read_text()
    assert not ran & {"train_run", "smoke_tier", "compare_results", "plot_curves"}, \
        (sorted(ran), (done.stdout + done.stderr)[-6000:])
    assert {rel: (ws / rel).stat().st_mtime_ns for rel in kept} == kept
    assert "Nothing to be done" in snakemake(workdir, "-n", "results.md").stdout
    # a run value the paper states, changed: the same command retrains every run with it, in one go
    paper.write_text(paper.read_text().replace("- learning rate: 0.05", "- learning rate: 0.04"))
    done = snakemake(workdir, "results.md")
    ran = jobs_run(done.stdout + done.stderr)
    assert {"fill_gaps", "implement_code", "smoke_tier", "train_run", "compare_results"} <= ran, ran
    runs = json.loads((ws / "runs/linear-seed0/metrics.json").read_text())
    assert (ws / "runs/linear-seed0/metrics.json").stat().st_mtime_ns > kept["runs/linear-seed0/metrics.json"]
    config = (ws / "code/configs/repro-default.yaml").read_text()
    assert "lr: 0.04" in config and runs["final_step"] == runs["total_steps"]
