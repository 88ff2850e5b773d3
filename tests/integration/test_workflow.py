"""Real Snakemake runs of the bundled example in a temporary working folder: the plan, an end-to-end
run, the no-op rerun, the one-override rerun (exact job list), the smoke gate and config errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_FACTS, EXAMPLE_HTML, EXAMPLE_TASK, ROOT, git_available

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
STAGE_ORDER = ["fetch_paper", "extract_paper", "discover_code", "clone_code", "inventory_code", "fill_gaps", "implement_code",
               "prepare_dataset", "smoke_tier", "smoke_status", "plan_runs",
               "train_run", "plot_curves", "compare_results", "publish_results"]
SHORT = {"schedule.total_steps": 200, "schedule.eval_every": 100}


def write_config(workdir: Path, **paper_settings) -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    paper = config["papers"]["mnist1d"]
    paper.update(source=str(EXAMPLE_HTML), code_facts=str(EXAMPLE_FACTS), task=str(EXAMPLE_TASK))
    paper.update(paper_settings)
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
                           "--cores", "2", *args], capture_output=True, text=True, timeout=1200)
    if check and done.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done


def run_one_paper(workdir: Path, paper_id: str, entry: dict) -> subprocess.CompletedProcess:
    """`snakemake results.md` in ``workdir`` with a config holding this one paper (a test-only paper and task)."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["paper"] = paper_id
    config["papers"] = {paper_id: entry}
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return snakemake(workdir, "results.md")


def job_counts(output: str) -> dict[str, int]:
    """The 'Job stats' table Snakemake prints: rule -> number of jobs."""
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", table, re.MULTILINE)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("pipeline")
    write_config(workdir, seeds=[0], overrides=SHORT)
    done = snakemake(workdir, "results.md")
    (workdir / "first_run.txt").write_text(done.stdout + done.stderr)
    return workdir


def test_dry_run_prints_the_seven_stage_plan_in_order(tmp_path):
    write_config(tmp_path)
    out = snakemake(tmp_path, "-n", "results.md").stdout
    counts = job_counts(out)
    assert list(counts) and set(counts) == set(STAGE_ORDER)
    assert counts["train_run"] == 12
    # the four stages that are checkpoints (rerun on content) print as "checkpoint <name>:"
    first_seen = [re.search(rf"^(?:local)?(?:rule|checkpoint) {name}:", out, re.MULTILINE).start() for name in STAGE_ORDER]
    for before, after in [("extract_paper", "inventory_code"), ("inventory_code", "fill_gaps"),
                          ("fill_gaps", "implement_code"), ("implement_code", "smoke_tier"),
                          ("smoke_tier", "smoke_status"), ("smoke_status", "train_run"), ("train_run", "plot_curves"),
                          ("plot_curves", "compare_results")]:
        assert first_seen[STAGE_ORDER.index(before)] < first_seen[STAGE_ORDER.index(after)], (before, after)
    tiers = [out.index(f"tier={name}") for name in ("tier1_forward", "tier2_one_step", "tier3_iterations")]
    assert counts["smoke_tier"] == 3 and tiers == sorted(tiers)  # one rule, one job per tier, in ladder order
    assert not (tmp_path / "repro").exists()


def test_each_workspace_file_is_a_target_of_its_own(tmp_path):
    write_config(tmp_path)
    counts = job_counts(snakemake(tmp_path, "-n", "repro/mnist1d/gaps_filled.md").stdout)
    assert set(counts) == {"fetch_paper", "extract_paper", "discover_code", "clone_code", "inventory_code", "fill_gaps"}


def test_end_to_end_run_writes_every_stage(built):
    ws = built / "repro" / "mnist1d"
    for rel in ["paper.md", "paper.json", "source/paper.html", "source/fetch.json", "code_candidates.json", "inventory.md", "inventory.json", "code_hparams.json",
                "gaps_filled.md", "gaps.json", "implementation.json", "code/configs/repro-default.yaml", "code/train.py",
                "code/task.py", "dataset.md",
                "dataset.json", "dataset_substitution.md", "data/dataset.npz", "smoke_logs/tier1_forward.log",
                "smoke_logs/tier2_one_step.log", "smoke_logs/tier3_iterations.log",
                "smoke_logs/smoke_status.md", "run_plan.md", "results.md", "results.json"]:
        assert (ws / rel).is_file(), rel
    published = (ws / "results.md").read_text().replace("](curves/", "](repro/mnist1d/curves/")
    assert (built / "results.md").read_text() == published  # the figures linked from where it is
    for model in ("logreg", "mlp", "cnn", "gru"):
        assert (ws / "curves" / f"{model}.png").read_bytes()[:4] == b"\x89PNG"
        assert f"](repro/mnist1d/curves/{model}.png)" in published and (built / "repro/mnist1d/curves" / f"{model}.png").is_file()
    results = json.loads((ws / "results.json").read_text())
    assert [r["model"] for r in results["rows"]] == ["logreg", "mlp", "cnn", "gru"]
    table = [line for line in (ws / "results.md").read_text().splitlines() if line.startswith("| ") and " pp " in line]
    assert len(table) == 4
    for line in table:
        assert sum(line.count(tag) for tag in ("[matched within", "[gap, hypothesis:", "[fundamental disagreement")) == 1
    for run in ("logreg-seed0", "cnn-seed0", "gru-seed0"):
        metrics = json.loads((ws / "runs" / run / "metrics.json").read_text())
        assert metrics["steps"] == [0, 100, 200]
        assert list((ws / "runs" / run / "tb").glob("*/events.out.tfevents.*"))
    assert "[user config]" in (ws / "gaps_filled.md").read_text()


def test_second_run_does_nothing(built):
    done = snakemake(built, "results.md")
    assert "Nothing to be done" in done.stdout + done.stderr


def test_a_commit_of_yours_in_code_reruns_the_smoke_ladder_and_training_then_nothing(built):
    code = built / "repro/mnist1d/code"
    (code / "train.py").write_text((code / "train.py").read_text() + "\n# a note the researcher added\n")
    git(code, "commit", "-qam", "annotate train.py")
    done = snakemake(built, "results.md")
    counts = job_counts(done.stdout + done.stderr)
    assert counts == {"implement_code": 1, "smoke_tier": 3, "smoke_status": 1, "plan_runs": 1, "train_run": 4,
                      "plot_curves": 1, "compare_results": 1, "publish_results": 1}, counts
    record = json.loads((built / "repro/mnist1d/implementation.json").read_text())
    assert record["commits"][-1]["message"] == "annotate train.py" and record["commits"][-1]["author"] == "Researcher"
    assert "Nothing to be done" in snakemake(built, "-n", "results.md").stdout


def test_one_override_reruns_ledger_code_smoke_and_training_only(built):
    write_config(built, seeds=[0], overrides={**SHORT, "optimizer.lr": 0.005})
    done = snakemake(built, "results.md")
    counts = job_counts(done.stdout + done.stderr)
    assert counts == {"fill_gaps": 1, "implement_code": 1, "smoke_tier": 3, "smoke_status": 1, "plan_runs": 1,
                      "train_run": 4, "plot_curves": 1, "compare_results": 1, "publish_results": 1}
    lr = next(e for e in json.loads((built / "repro/mnist1d/gaps.json").read_text())["entries"]
              if e["name"] == "optimizer.lr")
    assert (lr["value"], lr["tag_text"]) == (0.005, "[user config]")


def test_adding_a_seed_trains_only_the_new_seed(built):
    ws = built / "repro/mnist1d"
    before = {run: (ws / "runs" / run / "metrics.json").read_text() for run in ("cnn-seed0", "gru-seed0")}
    write_config(built, seeds=[0, 1], overrides={**SHORT, "optimizer.lr": 0.005})
    done = snakemake(built, "results.md")
    counts = job_counts(done.stdout + done.stderr)
    assert counts == {"plan_runs": 1, "train_run": 4, "plot_curves": 1, "compare_results": 1, "publish_results": 1}
    assert {run: (ws / "runs" / run / "metrics.json").read_text() for run in before} == before
    assert len(json.loads((ws / "results.json").read_text())["rows"][0]["runs"]) == 2


def test_a_slurm_time_setting_reruns_only_the_plan(built):
    """The SLURM time settings are read where the request is made (the plan shows it, the training jobs' resources
    ask for it), never by a smoke tier or a training run: changing one reruns the plan and nothing else."""
    config_path = built / "config" / "config.yaml"
    original = config_path.read_text()
    config = yaml.safe_load(original)
    config["smoke"]["runtime_margin"] = 40.0
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    try:
        done = snakemake(built, "results.md")
        out = done.stdout + done.stderr
        # the jobs after the plan are listed before it runs, then judged by content: only the plan runs
        assert re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", out, re.MULTILINE) == ["plan_runs"], out[-3000:]
        plan = (built / "repro/mnist1d/run_plan.md").read_text()
        estimate = json.loads((built / "repro/mnist1d/smoke_logs/smoke_status.json").read_text())["estimates"]["cnn"]
        minutes = max(5, -(-(estimate["estimated_seconds"] + 5) * 40 // 60))
        assert re.search(rf"\| runs/cnn-seed0 \| .* \| {minutes:.0f} min \|", plan), plan
    finally:
        config_path.write_text(original)
    restored = snakemake(built, "results.md")
    out = restored.stdout + restored.stderr
    assert re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", out, re.MULTILINE) == ["plan_runs"], out[-3000:]

def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=Researcher", "-c", "user.email=r@example.org",
                           *args], check=True, capture_output=True, text=True).stdout


def test_a_user_commit_in_code_survives_a_ledger_change(built):
    code = built / "repro/mnist1d/code"
    (code / "NOTES.md").write_text("what I tried\n")
    git(code, "add", "NOTES.md")
    git(code, "commit", "-qm", "my notes")
    write_config(built, seeds=[0, 1], overrides={**SHORT, "optimizer.lr": 0.004})
    snakemake(built, "results.md")
    subjects = git(code, "log", "--format=%an: %s").splitlines()
    assert subjects[0] == "reprokit: Update optimizer.lr = 0.004 [user config]"
    assert subjects[1] == "Researcher: my notes"
    assert (code / "NOTES.md").read_text() == "what I tried\n"


def test_a_broken_train_py_fails_smoke_tier_one_and_no_training_starts(built):
    code = built / "repro/mnist1d/code"
    original = (code / "train.py").read_text()
    (code / "train.py").write_text(original + "\nraise SystemExit('train.py is broken')\n")
    git(code, "commit", "-qam", "break it")
    try:
        write_config(built, seeds=[0, 1], overrides={**SHORT, "optimizer.lr": 0.003})
        done = snakemake(built, "results.md", check=False)
        output = done.stdout + done.stderr
        assert done.returncode != 0
        assert "smoke tier 1 (forward) failed for logreg: code/train.py exited with an error (train.py is broken)" \
            in output
        assert "rule train_run:" not in output and "localrule train_run:" not in output
    finally:
        (code / "train.py").write_text(original)
        git(code, "commit", "-qam", "repair it")


def test_failing_smoke_tier_stops_before_training(built):
    write_config(built, seeds=[0], overrides={**SHORT, "optimizer.lr": 10000.0})
    done = snakemake(built, "results.md", check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "smoke tier 2 (one_step) failed for" in output
    assert "rule train_run:" not in output and "localrule train_run:" not in output
    smoke = built / "repro/mnist1d/smoke_logs"
    assert (smoke / "tier1_forward.json").is_file() and not (smoke / "tier2_one_step.json").exists()
    assert "smoke tier 2 (one_step) failed" in (built / "logs/mnist1d/smoke_tier/tier2_one_step.log").read_text()


def test_a_paper_without_a_task_gets_the_core_ledger_and_stage_four_says_what_is_needed(tmp_path):
    # the official code is found (the mnist1d package), so stage 4 would take the upstream route: what either
    # route needs is said before any job, when the targets reach stage 4; stages 1-3 alone run without it
    write_config(tmp_path, task=None, seeds=[0])
    needed = ("error: papers/mnist1d has no `task` and no `metrics_from`, and stages 4-7 need one: write a task file "
              "(docs/task.md), or run its official code by setting `metrics_from`")
    done = snakemake(tmp_path, "results.md", check=False)
    assert done.returncode != 0 and needed in done.stderr, done.stderr[-2000:]
    assert not (tmp_path / "repro/mnist1d/paper.md").exists()  # refused before stage 1, not after stage 3
    snakemake(tmp_path, "repro/mnist1d/gaps_filled.md")
    ledger = json.loads((tmp_path / "repro/mnist1d/gaps.json").read_text())
    assert not any(e["name"].startswith("architecture.") for e in ledger["entries"])
    assert "No task is configured" in (tmp_path / "repro/mnist1d/gaps_filled.md").read_text()
    done = snakemake(tmp_path, "results.md", check=False)
    assert done.returncode != 0 and needed in done.stderr
    assert not (tmp_path / "repro/mnist1d/code").exists()


def test_config_that_fails_the_schema_is_one_clear_sentence(tmp_path):
    write_config(tmp_path, seeds="three")
    done = snakemake(tmp_path, "-n", "results.md", check=False)
    assert done.returncode != 0
    assert "error: config key papers/mnist1d/seeds: 'three' is not of type 'array'; fix it in config/config.yaml" \
        in done.stderr
    assert "Traceback" not in done.stderr


def test_the_readme_paper_file_runs_stages_1_to_3_from_the_researchers_own_folder(tmp_path):
    """README: `snakemake repro/<id>/gaps_filled.md --configfile mypaper.yaml` with only `papers:` in the file, run
    from the researcher's folder with `-s <workflow>/Snakefile` (two new users did this first): the workflow's
    config/config.yaml is not read there, and the one paper in the file is the one reproduced."""
    (tmp_path / "mypaper.yaml").write_text(f"papers:\n  mypaper:\n    source: {EXAMPLE_HTML}\n    code: none\n")
    done = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--cores", "1",
                           "repro/mypaper/gaps_filled.md", "--configfile", "mypaper.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "| optimizer.lr | `0.01` | [paper Table 1] |" in (tmp_path / "repro" / "mypaper" / "gaps_filled.md").read_text()
    (tmp_path / "two.yaml").write_text(f"papers:\n  a:\n    source: {EXAMPLE_HTML}\n  b:\n    source: {EXAMPLE_HTML}\n")
    done = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--cores", "1", "-n",
                           "repro/a/gaps_filled.md", "--configfile", "two.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert "config key paper: missing, and `papers` holds more than one paper; add `paper: <id>`" in done.stderr
    assert "Traceback" not in done.stderr
