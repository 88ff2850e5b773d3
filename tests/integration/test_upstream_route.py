"""Stage 4's second route through real Snakemake runs: the official code itself (tests/fixtures/official/repo,
made a git repository in a temporary folder and cloned by stage 2) run with the ledger's values, in its own
environment (pip, sharing the workflow's packages), gated by its smoke ladder, its metric read back and compared with the paper; then
the same paper with `implementation: both`, compared three ways."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from reprokit.implement.git import GIT_ENV
from tests.conftest import ROOT, git_available
from tests.integration.test_workflow import snakemake

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
FIXTURE = ROOT / "tests" / "fixtures" / "official"
LABELS = ("[matched within", "[gap, hypothesis:", "[fundamental disagreement")
JSONL = {"jsonl": "logs/metrics.jsonl", "key": "accuracy", "step": "epoch", "scale": 100, "name": "accuracy",
         "split": "test"}


def official_repo(folder) -> str:
    """The fixture's repository as a git repository of its own; its file:// URL."""
    repo = folder / "official.git"
    shutil.copytree(FIXTURE / "repo", repo)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Official code"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
    return f"file://{repo}"


def write_config(workdir, url, **paper):
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["paper"] = "gauss"
    config["papers"] = {"gauss": {
        "source": str(FIXTURE / "paper.md"), "code": url,
        "models": [{"name": "logistic", "paper_row": "Logistic regression"},
                   {"name": "nobias", "paper_row": "Logistic regression (no bias)", "args": ["--model", "nobias"]}],
        "metric_column": "Test accuracy", "seeds": [0, 1], "run_args": ["--logdir", "logs"], "metrics_from": JSONL,
        **paper}}
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def errors(done) -> list[str]:
    return sorted({line for line in (done.stdout + done.stderr).splitlines() if line.startswith("error:")})


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("upstream")
    url = official_repo(workdir)
    write_config(workdir, url)
    refused = snakemake(workdir, "results.md", check=False)
    write_config(workdir, url, trust_upstream=True)
    snakemake(workdir, "results.md")
    return {"workdir": workdir, "ws": workdir / "repro" / "gauss", "url": url, "refused": refused}


def test_without_trust_the_route_stops_saying_what_would_run(upstream):
    refused = upstream["refused"]
    assert refused.returncode != 0
    assert errors(refused) == [
        "error: the upstream route would run `python train.py --lr 0.05 --batch-size 64 --epochs 6 --config "
        f"reprokit-config/configs/base.yaml` from repro/gauss/code/ (code from {upstream['url']}, never reviewed by "
        "reprokit; each run adds its seed and the model's arguments); set `trust_upstream: true` under papers/gauss "
        "in config/config.yaml to allow it."]
    out = refused.stdout + refused.stderr
    assert "Error in rule upstream_env" in out and "rule smoke_upstream" not in out and "Traceback" not in out


def test_code_is_the_official_tree_then_one_commit_per_value(upstream):
    code = upstream["ws"] / "code"
    subjects = subprocess.run(["git", "-C", str(code), "log", "--reverse", "--format=%s"], capture_output=True,
                              text=True, check=True).stdout.splitlines()
    assert subjects[0].startswith(f"Upstream {upstream['url']} at ") and subjects[0].endswith(", unmodified")
    assert subjects[1] == "Launch: entry point train.py"
    assert subjects[2:7] == ["Set optimizer.lr = 0.05 [paper §3]", "Set optimizer.momentum = 0.9 [paper §3]",
                             "Set optimizer.weight_decay = 0.0001 [paper §3]", "Set batch.batch_size = 64 [paper §3]",
                             "Set schedule.epochs = 6 [paper §3]"]
    for rel in ("train.py", "model.py", "README.md", "configs/base.yaml", "requirements.txt"):
        assert (code / rel).read_bytes() == (FIXTURE / "repo" / rel).read_bytes(), rel  # never rewritten
    launch = json.loads((upstream["ws"] / "upstream_launch.json").read_text())
    how = {s["name"]: (s["via"], s.get("flag") or s.get("key")) for s in launch["sets"]}
    assert how == {"optimizer.lr": ("flag", "--lr"), "batch.batch_size": ("flag", "--batch-size"),
                   "schedule.epochs": ("flag", "--epochs"), "optimizer.momentum": ("config key", "optim.momentum"),
                   "optimizer.weight_decay": ("config key", "optim.weight_decay")}
    assert launch["entry"] == {"script": "train.py", "how": "the README's training command (README.md:6)"}
    assert yaml.safe_load((code / "reprokit-config" / "configs" / "base.yaml").read_text())["optim"] == \
        {"momentum": 0.9, "weight_decay": 0.0001}
    notes = (code / "REPRODUCTION.md").read_text()
    assert "| loss.label_smoothing | `0.1` | [paper §3] |" in notes
    assert "loss.label_smoothing" in [n["name"] for n in launch["needs_code_change"]]


def test_the_environment_is_made_sharing_the_workflows_packages_and_locked(upstream):
    # pip, not uv: uv reads no .pth file, so an inherited package would be installed again as a dependency
    record = json.loads((upstream["ws"] / "upstream_env.json").read_text())
    assert record["tool"] == "pip" and record["requirements"] == "requirements.txt"
    assert list(record["inherited"]) == ["pyyaml>=5"] and record["installed"] == []
    lock = (upstream["ws"] / "code" / "requirements.lock").read_text()
    assert lock.startswith("# resolved by pip from requirements.txt") and "pyyaml>=5: taken from" in lock


def test_the_smoke_ladder_shrinks_the_run_and_sizes_the_jobs(upstream):
    tiers = [json.loads((upstream["ws"] / "smoke_logs" / "upstream" / f"tier{n}.json").read_text()) for n in (1, 2, 3)]
    assert [t["shrink"] for t in tiers] == [["--max-steps", "1"], ["--max-steps", "2"], ["--max-steps", "20"]]
    assert all(t["passed"] for t in tiers) and {c["model"] for c in tiers[2]["checks"]} == {"logistic", "nobias"}
    status = json.loads((upstream["ws"] / "smoke_logs" / "upstream" / "smoke_status.json").read_text())
    estimate = status["estimates"]["logistic"]
    assert (estimate["unit"], estimate["total"]) == ("steps", 6 * 8)  # 6 epochs x 512 examples / batch 64
    # a step of this fixture takes microseconds: the estimate is start-up plus overhead, and the floor applies
    assert estimate["seconds_per_unit"] >= 0 and estimate["estimated_seconds"] > 0
    assert "| 5 min |" in (upstream["ws"] / "run_plan.md").read_text()
    # the command chosen, as it runs (the entry point found, the launch's values)
    assert "\n    python train.py --lr 0.05" in (upstream["ws"] / "run_plan.md").read_text()


def test_each_run_works_in_its_own_folder_and_its_metric_is_compared(upstream):
    ws = upstream["ws"]
    for run in ("logistic-seed0", "logistic-seed1", "nobias-seed0", "nobias-seed1"):
        folder = ws / "runs" / "upstream" / run
        metrics = json.loads((folder / "metrics.json").read_text())
        assert metrics["axis"] == "epochs" and metrics["epochs"] == [1, 2, 3, 4, 5, 6]
        assert (folder / "logs" / "metrics.jsonl").is_file() and (folder / "train.py").is_symlink()
        assert metrics["command"][-2:] == ["--logdir", "logs"] and "--seed" in metrics["command"]
    results = json.loads((ws / "results.json").read_text())
    assert results["implementations"] == ["upstream"]
    rows = {r["model"]: r for r in results["rows"]}
    assert rows["logistic"]["label"] == "[matched within 3 pp]"
    assert rows["nobias"]["label"].startswith("[gap, hypothesis: the paper's number is not what its official code "
                                              "gives here; the launch could not set")
    text = (ws / "results.md").read_text()
    for model in ("logistic", "nobias"):
        line = next(x for x in text.splitlines() if x.startswith(f"| {model} |"))
        assert sum(line.count(t) for t in LABELS) == 1
    assert "| model | metric | ours (official code) | paper | delta | label |" in text
    published = (upstream["workdir"] / "results.md").read_text()
    assert published == text.replace("](curves/", f"]({ws.relative_to(upstream['workdir'])}/curves/")
    assert "/curves/logistic.png)" in published and (ws / "curves" / "logistic.png").is_file()


def test_a_failing_import_fails_tier_1_with_its_error(upstream, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(upstream["workdir"], copy, symlinks=True)
    code = copy / "repro" / "gauss" / "code"
    train = code / "train.py"
    train.write_text("import missing_module_xyz  # noqa\n" + train.read_text())
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "-C", str(code), "commit", "-qam", "A broken import"], check=True, env=env)
    done = snakemake(copy, "-R", "smoke_upstream", "results.md", check=False)
    assert done.returncode != 0
    (line,) = errors(done)
    assert line.startswith("error: smoke tier 1 (first loss) failed for logistic: the official code exited with "
                           "status 1 (ModuleNotFoundError: No module named 'missing_module_xyz')")
    assert "tier1.log.failed" in line and "rule train_upstream" not in done.stdout + done.stderr


def test_a_ledger_change_commits_on_top_reuses_the_environment_and_rereads_the_metric(upstream):
    workdir, ws = upstream["workdir"], upstream["ws"]
    tensorboard = {"tensorboard": "logs/tb", "tag": "test/accuracy", "scale": 100, "name": "accuracy", "axis": "epochs"}
    write_config(workdir, upstream["url"], trust_upstream=True, overrides={"optimizer.lr": 0.04},
                 metrics_from=tensorboard)
    snakemake(workdir, "results.md")
    subjects = subprocess.run(["git", "-C", str(ws / "code"), "log", "--format=%s"], capture_output=True, text=True,
                              check=True).stdout.splitlines()
    assert subjects[0] == "Set optimizer.lr = 0.04 [user config]"
    assert "reused" in (workdir / "logs" / "gauss" / "upstream_env.log").read_text()
    assert json.loads((ws / "upstream_env.json").read_text())["reused"] is True
    metrics = json.loads((ws / "runs" / "upstream" / "logistic-seed0" / "metrics.json").read_text())
    assert metrics["metrics_from"]["tensorboard"] == "logs/tb" and metrics["command"][1:3] == ["--lr", "0.04"]
    assert "Nothing to be done" in snakemake(workdir, "-n", "results.md").stdout


def test_a_commit_of_yours_in_code_reruns_the_environment_smoke_and_runs_then_nothing(upstream):
    workdir, ws = upstream["workdir"], upstream["ws"]
    code = ws / "code"
    (code / "requirements.txt").write_text((code / "requirements.txt").read_text() + "\n# pinned by hand\n")
    subprocess.run(["git", "-C", str(code), "-c", "user.name=Researcher", "-c", "user.email=r@example.org", "commit",
                    "-qam", "annotate requirements"], check=True, capture_output=True)
    done = snakemake(workdir, "results.md")
    ran = set(re.findall(r"^(?:local)?(?:rule|checkpoint) (\w+):", done.stdout + done.stderr, re.MULTILINE))
    assert {"implement_upstream", "upstream_env", "smoke_upstream", "train_upstream"} <= ran, ran
    assert not ran & {"fetch_paper", "extract_paper", "clone_code", "inventory_code", "fill_gaps"}, ran
    launch = json.loads((ws / "upstream_launch.json").read_text())
    assert "annotate requirements" in launch["commits"]
    # the notes no longer call the tree unmodified: they name your commit
    assert re.search(r"changed by your commits \(`[0-9a-f]{7,}` annotate requirements\)", (code / "REPRODUCTION.md").read_text())
    assert "Nothing to be done" in snakemake(workdir, "-n", "results.md").stdout


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("both")
    write_config(workdir, official_repo(workdir), trust_upstream=True, implementation="both",
                 task=str(FIXTURE / "task.py"))
    snakemake(workdir, "results.md")
    return workdir / "repro" / "gauss"


def test_both_routes_are_compared_three_ways(both):
    assert (both / "upstream_code" / "reprokit-launch.yaml").is_file()  # the official tree beside the reimplementation
    assert (both / "code" / "configs" / "repro-default.yaml").is_file()
    results = json.loads((both / "results.json").read_text())
    assert results["implementations"] == ["harness", "upstream"]
    assert sorted((r["model"], r["implementation"]) for r in results["rows"]) == [
        ("logistic", "harness"), ("logistic", "upstream"), ("nobias", "harness"), ("nobias", "upstream")]
    for row in results["rows"]:
        assert sum(row["label"].startswith(t) for t in LABELS) == 1
        folder = "runs/upstream" if row["implementation"] == "upstream" else "runs"
        assert all((both / folder / r["run"] / "metrics.json").is_file() for r in row["runs"])
    harness = next(r for r in results["rows"] if (r["model"], r["implementation"]) == ("nobias", "harness"))
    official = next(r for r in results["rows"] if (r["model"], r["implementation"]) == ("nobias", "upstream"))
    assert harness["delta_vs_upstream"] == pytest.approx(harness["mean"] - official["mean"])
    assert official["label"].startswith("[gap, hypothesis: the paper's number is not what its official code gives")
    text = (both / "results.md").read_text()
    assert ("| model | metric | paper | official code | reimplementation | reimplementation - official | "
            "official code label | reimplementation label |") in text
    line = next(x for x in text.splitlines() if x.startswith("| nobias |"))
    assert sum(line.count(t) for t in LABELS) == 2  # one for the official code, one for the reimplementation
