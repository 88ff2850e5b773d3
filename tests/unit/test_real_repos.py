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
