"""The bundled examples against their real official repositories (../shared/repos), through the library."""

import json

from reprokit.code.inventory import inventory
from reprokit.code.source import acquire
from reprokit.dataset.prepare import prepare_dataset
from reprokit.gaps.ledger import fill_gaps
from reprokit.implement.repo import implement
from reprokit.paper import extract
from reprokit.paper.fetch import fetch_paper
from reprokit.smoke.ladder import run_tier
from reprokit.task import load_task
from tests.conftest import EXAMPLE_HTML, EXAMPLE_TASK, real_repo


def test_mnist1d_with_its_real_repository_takes_no_foreign_optimizer_value_and_passes_smoke_tier_1(tmp_path):
    """greydanus/mnist1d trains in notebooks; one fits with SGD (momentum 0.9). The paper's runs use Adam: the
    ledger takes nothing of SGD's, its notebook tags open at a cell, and smoke tier 1 of every model passes."""
    repo = real_repo("greydanus+mnist1d", tmp_path / "repos")
    ws = tmp_path / "ws"
    fetch_paper(str(EXAMPLE_HTML), ws / "source")
    extract(ws / "source", ws / "paper.md", ws / "paper.json")
    acquire(str(repo), ws / "upstream", ws / "upstream.json")
    inventory(ws / "upstream", ws / "upstream.json", ws / "paper.json", None, ws / "inventory.md", ws / "inventory.json",
              ws / "code_hparams.json")
    task = load_task(str(EXAMPLE_TASK))
    fill_gaps(str(ws / "paper.json"), str(ws / "code_hparams.json"), {}, 0.3, False, str(ws / "gaps_filled.md"),
              str(ws / "gaps.json"), task=str(EXAMPLE_TASK), task_knobs=task.knobs, task_loss=task.loss_name)
    entries = {e["name"]: e for e in json.loads((ws / "gaps.json").read_text())["entries"]}
    assert entries["optimizer.name"]["value"] == "adam" and entries["optimizer.momentum"]["value"] is None
    assert not [e for e in entries.values() if e["tag"] == "code" and "SGD" in e["quote"]]
    notebook_tags = [e["where"] for e in entries.values() if e["tag"] == "code" and ".ipynb" in e["where"]]
    assert all("#cell " in w and ":line " in w for w in notebook_tags), notebook_tags
    implement(str(ws / "gaps.json"), str(ws / "paper.json"), str(EXAMPLE_TASK), str(ws / "code"),
              str(ws / "implementation.json"))
    prepare_dataset(str(ws / "paper.json"), {"source": "task", "args": {}}, str(ws / "data" / "dataset.npz"),
                    str(ws / "dataset.md"), str(ws / "dataset.json"), str(ws / "dataset_substitution.md"),
                    task=str(EXAMPLE_TASK))
    settings = {"init_loss_tolerance": 0.5, "iterations": 20, "window": 5, "max_rise": 0.05, "seed": 0, "threads": 1,
                "cpu_kernels": "portable"}
    record = run_tier(1, str(ws / "code"), str(ws / "code" / "configs" / "repro-default.yaml"),
                      str(ws / "data" / "dataset.npz"), ["logreg", "mlp", "cnn", "gru"], 0, settings,
                      str(tmp_path / "t1.log"), str(tmp_path / "t1.json"))
    assert record["passed"], record


def test_grokking_ledger_values_reach_the_real_official_code_through_its_imported_add_args(tmp_path):
    """openai/grok: the README runs `./scripts/train.py` (no `python`), whose flags are defined in
    grok/training.py's add_args and a model class's add_model_specific_args. The stated values reach them (no
    value reached the code before: every one was 'needs a code change')."""
    from pathlib import Path

    from reprokit.gaps.knobs import KNOBS
    from reprokit.upstream.implement import readme_scripts
    from reprokit.upstream.launch import derive_launch
    from tests.conftest import ROOT

    repo = real_repo("openai+grok", tmp_path / "repos")
    ws = tmp_path / "ws"
    task_file = str(ROOT / "examples" / "grokking" / "task.py")
    fetch_paper(str(ROOT / "examples" / "grokking" / "paper.html"), ws / "source")
    extract(ws / "source", ws / "paper.md", ws / "paper.json")
    acquire(str(repo), ws / "upstream", ws / "upstream.json")
    inventory(ws / "upstream", ws / "upstream.json", ws / "paper.json", None, ws / "inventory.md", ws / "inventory.json",
              ws / "code_hparams.json")
    task = load_task(task_file)
    fill_gaps(str(ws / "paper.json"), str(ws / "code_hparams.json"), {}, 0.3, False, str(ws / "gaps_filled.md"),
              str(ws / "gaps.json"), task=task_file, task_knobs=task.knobs, task_loss=task.loss_name)
    ledger = json.loads((ws / "gaps.json").read_text())
    spec = derive_launch(ws / "upstream", ledger, [*KNOBS, *task.knobs], readme_scripts(Path(ws / "upstream")))
    assert spec["entry"]["script"] == "scripts/train.py" and "README" in spec["entry"]["how"]
    flags = {s["name"]: (s["flag"], s["value"]) for s in spec["sets"]}
    assert flags["optimizer.lr"] == ("--max_lr", 0.001) and flags["optimizer.weight_decay"] == ("--weight_decay", 1.0)
    assert flags["batch.batch_size"] == ("--batchsize", 512) and flags["schedule.total_steps"][0] == "--max_steps"
    assert {flags[k][0] for k in ("architecture.layers", "architecture.width", "architecture.heads")} == {
        "--n_layers", "--d_model", "--n_heads"}
    assert all(s["defined_in"].startswith("grok/training.py:") for s in spec["sets"])


def test_mnist1d_worked_example_the_function_is_refused_alone_and_runs_with_the_documented_entry_args(tmp_path):
    """docs/upstream.md's worked example, against the real greydanus/mnist1d: `notebooks/train.py:train_model` needs
    a dataset, a model and a settings object (refused alone, saying how); with the documented `entry_args` the
    launcher builds them with the repository's own functions, the ledger's values reach the keys of its settings
    dictionary, and the function's returned history becomes the metric."""
    import re
    import shutil
    import subprocess
    import sys

    import pytest
    import yaml

    from reprokit.errors import UserError
    from reprokit.gaps.knobs import KNOBS
    from reprokit.upstream.launch import command, derive_launch
    from reprokit.upstream.launcher import LAUNCHER, launcher_text
    from reprokit.upstream.metrics import read_series
    from tests.conftest import ROOT

    repo = real_repo("greydanus+mnist1d", tmp_path / "repos")
    ledger = {"entries": [{"name": name, "value": value, "tag": "paper", "tag_text": "[paper §3]"} for name, value in
                          (("optimizer.lr", 0.01), ("batch.batch_size", 100), ("schedule.total_steps", 20),
                           ("schedule.eval_every", 5))]}
    with pytest.raises(UserError, match="takes dataset, model, args without a default.*`entry_args`"):
        derive_launch(repo, ledger, KNOBS, [], "notebooks/train.py:train_model")
    docs = (ROOT / "docs" / "upstream.md").read_text().split("## Worked example: MNIST-1D", 1)[1]
    settings = yaml.safe_load(re.search(r"```yaml\n(.*?)```", docs, re.DOTALL).group(1))
    models = {m["name"]: m["entry_args"] for m in settings["models"]}
    spec = derive_launch(repo, ledger, KNOBS, [], settings["entry"], None, (), settings["entry_args"], models)
    assert {s["name"]: (s["flag"], s["defined_in"]) for s in spec["sets"]} == {
        "optimizer.lr": ("--args.learning_rate", "notebooks/train.py:24"),
        "batch.batch_size": ("--args.batch_size", "notebooks/train.py:26"),
        "schedule.total_steps": ("--args.total_steps", "notebooks/train.py:27"),
        "schedule.eval_every": ("--args.eval_every", "notebooks/train.py:29")}
    code = tmp_path / "code"
    shutil.copytree(repo, code, ignore=shutil.ignore_patterns(".git"))
    (code / LAUNCHER).write_text(launcher_text(settings["entry"]))
    for model in ("mlp", "gru"):
        done = subprocess.run([sys.executable, *command(spec, [], model), *settings["run_args"], "--reprokit-seed", "0"],
                              cwd=code, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        assert len(re.findall(r"train_loss \d", done.stdout)) == 20, done.stdout  # one per step: the smoke ladder's
        series = read_series({**settings["metrics_from"], "every": 5}, code)
        assert [step for step, _ in series] == [0, 5, 10, 15, 20] and all(0 <= v <= 100 for _, v in series)


def test_the_real_repository_benchmark_runs_on_the_shared_snapshots_and_skips_the_rest(tmp_path):
    """benchmarks/stage2_real.py against the hand-checked tables: the two snapshots in ../shared/repos are measured
    (floors at today's figures), a repository absent from the cache is skipped with a line saying so."""
    import re
    import subprocess
    import sys

    from tests.conftest import ROOT, SHARED_REPOS

    real_repo("openai+grok", tmp_path / "check")  # skips (or fails under CI) where the snapshots are absent
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stage2_real.py"), "--cache", str(tmp_path / "none"),
                           "--shared", str(SHARED_REPOS.parent)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = {m.group(1): m for m in re.finditer(
        r"^(\S+)\s+components (\d+)/(\d+)\s+vendored settings (\d+)\s+\[code:\] tags right (\d+)/(\d+)", done.stdout,
        re.MULTILINE)}
    assert figures["openai+grok"].group(2, 3, 4) == ("11", "11", "0")
    assert int(figures["greydanus+mnist1d"].group(2)) >= 10 and figures["greydanus+mnist1d"].group(4) == "0"
    assert re.search(r"^mr-eggplant\+FOA\s+skipped: not in ", done.stdout, re.MULTILINE)
