"""Stage 2: acquiring code (package, real git repos over file://, folders) and inventorying it statically."""

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from reprokit.code.inventory import analyse, build_inventory, load_facts, triage
from reprokit.code.source import acquire
from reprokit.errors import UserError
from tests.conftest import EXAMPLE_FACTS, git_available

RESEARCH_REPO = {
    "model.py": """
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self, hidden=128, dropout=0.1):
                super().__init__()
                self.fc = nn.Linear(10, hidden)
    """,
    "train.py": """
        import argparse
        import torch

        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--lr", type=float, default=3e-4)
            parser.add_argument("--batch-size", type=int, default=64)
            args = parser.parse_args()
            opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
            sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 100)
            loss_fn = torch.nn.CrossEntropyLoss()
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                opt.step()

        def evaluate(model, loader):
            return 0.0
    """,
    "data.py": """
        from torch.utils.data import Dataset, DataLoader

        class Pairs(Dataset):
            pass

        loader = DataLoader(Pairs(), batch_size=4)
    """,
    "configs/base.yaml": "optimizer:\n  lr: 0.001\n  betas: [0.9, 0.95]\ntrain:\n  epochs: 90\n",
    "README.md": "# Repo\n\nTo train: `python train.py --lr 3e-4`\nWeights: https://example.org/model.pth\n\n"
                 "| model | accuracy |\n|---|---|\n| Net | 91.2 |\n",
    # would write a file if anything executed or imported it
    "setup.py": "open('EXECUTED_SETUP', 'w').write('x')\n",
    "pkg/__init__.py": "open('EXECUTED_INIT', 'w').write('x')\n",
}


def write_files(root: Path, files: dict[str, str]) -> None:
    """A repository's files, by path relative to ``root``."""
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def make_git_repo(root: Path, files: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    write_files(root, {rel: textwrap.dedent(text).lstrip() for rel, text in files.items()})
    env_args = ["-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", *env_args, "-C", str(root), "commit", "-q", "-m", "init"], check=True)
    return root


needs_git = pytest.mark.skipif(not git_available(), reason="git is not installed")


@needs_git
def test_clone_over_file_url_records_commit_and_never_executes(tmp_path, monkeypatch):
    repo = make_git_repo(tmp_path / "origin", RESEARCH_REPO)
    monkeypatch.chdir(tmp_path)
    info = acquire(repo.as_uri(), tmp_path / "ws" / "upstream", tmp_path / "ws" / "upstream.json")
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert info["kind"] == "git" and info["commit"] == head
    assert json.loads((tmp_path / "ws" / "upstream.json").read_text())["commit"] == head
    inv, hparams = build_inventory(tmp_path / "ws" / "upstream", info, {"open_questions": []}, [])
    assert not list(tmp_path.rglob("EXECUTED_*")), "cloned code was executed"
    present = {c["key"]: c["present"] for c in inv["components"]}
    assert present == {"model": True, "data": True, "augmentation": False, "loss": True, "training_loop": True,
                       "optimizer": True, "eval": True, "checkpoints": True, "saving": False, "configs": True,
                       "instructions": True}
    assert inv["summary"]["complete_training_repo"] is True
    found = {(h["name"], json.dumps(h["value"])): f"{h['path']}:{h['line']}" for h in hparams}
    assert found[("lr", "0.0003")] == "train.py:6"
    assert found[("batch_size", "64")] == "train.py:7"
    assert found[("AdamW.weight_decay", "0.05")] == "train.py:9"
    assert found[("hidden", "128")] == "model.py:4"
    assert found[("optimizer.betas", "[0.9, 0.95]")] == "configs/base.yaml:3"


@needs_git
def test_empty_repo_reports_everything_missing(tmp_path):
    repo = make_git_repo(tmp_path / "origin", {"README.md": "nothing here\n"})
    info = acquire(repo.as_uri(), tmp_path / "up", tmp_path / "up.json")
    inv, hparams = build_inventory(tmp_path / "up", info, {"open_questions": []}, [])
    assert not any(c["present"] for c in inv["components"]) and hparams == []
    assert inv["summary"]["complete_training_repo"] is False


@pytest.mark.parametrize("url", ["--upload-pack=touch /tmp/x", "ext::sh -c touch% /tmp/x", "https://x/y z", "abc"])
def test_unsafe_or_unknown_code_values_are_refused(tmp_path, url):
    with pytest.raises(UserError):
        acquire(url, tmp_path / "up", tmp_path / "up.json")
    assert not (tmp_path / "up").exists() and not (tmp_path / "up.json").exists()


@pytest.mark.parametrize("url", ["ext::sh -c touch% /tmp/x.git", "--upload-pack=touch /tmp/x x.git", "https://x/y z.git"])
def test_a_code_url_git_must_not_be_handed_is_refused_before_any_job(tmp_path, url):
    """The pre-job check once accepted anything ending in .git; the clone then refused it after upstream/ was
    removed."""
    from reprokit.code.source import code_setting_problem

    assert "is not a plain https/ssh/file git URL" in (code_setting_problem(url, tmp_path / "repro" / "p") or "")
    assert code_setting_problem("https://github.com/owner/repo.git", tmp_path / "repro" / "p") is None


def test_installed_package_is_read_not_imported(tmp_path):
    info = acquire("package:mnist1d", tmp_path / "up", tmp_path / "up.json")
    assert info["kind"] == "package" and info["version"]
    assert (tmp_path / "up" / "mnist1d" / "data.py").is_file()
    found, hparams, _, _ = analyse(tmp_path / "up")
    assert found["data"].paths and not found["model"].paths and not found["training_loop"].paths
    sizes = {h["name"]: h["value"] for h in hparams}
    assert sizes["num_samples"] == 5000 and sizes["train_split"] == 0.8


def test_missing_package_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="not an installed distribution"):
        acquire("package:no-such-dist-here", tmp_path / "up", tmp_path / "up.json")


def test_facts_file_and_triage(tmp_path):
    facts = load_facts(EXAMPLE_FACTS)
    questions = [{"knob": "architecture.width", "question": "width?", "section": "S3", "sentence": "..."},
                 {"knob": "optimizer.betas", "question": "betas?", "section": "S3", "sentence": "..."},
                 {"knob": "optimizer.weight_decay", "question": "wd?", "section": "S3", "sentence": "..."}]
    data_padding = {"name": "padding", "value": [36, 60], "path": "mnist1d/data.py", "line": 27,
                    "kind": "config dict", "scope": "get_dataset_args"}
    out = {q["knob"]: q for q in triage(questions, facts + [data_padding])}
    assert out["architecture.width"]["status"] == "code disagrees with itself"
    assert out["optimizer.betas"]["status"] == "carried forward"
    assert out["optimizer.weight_decay"]["status"] == "resolved by code"
    # code the training commands never reach answers nothing (openai/baselines: ACKTR's KFAC momentum is not PPO's)
    other_algorithm = {"name": "KfacOptimizer.momentum", "value": 0.9, "path": "baselines/acktr/acktr.py", "line": 59,
                       "kind": "optimizer argument", "scope": "", "reached": False}
    momentum = [{"knob": "optimizer.momentum", "question": "momentum?", "section": "S3", "sentence": "..."}]
    assert triage(momentum, [other_algorithm])[0]["status"] == "carried forward"
    assert triage(momentum, [{**other_algorithm, "reached": True}])[0]["status"] == "resolved by code"
    bad = tmp_path / "facts.yaml"
    bad.write_text("facts: [{name: x}]\n")
    with pytest.raises(UserError, match="must hold `facts:`"):
        load_facts(bad)


@needs_git
def test_inference_only_repo_is_not_a_complete_training_repo(tmp_path):
    files = {"model.py": RESEARCH_REPO["model.py"],
             "predict.py": "import torch\n\ndef evaluate(model, x):\n    with torch.no_grad():\n        return model(x)\n",
             "hubconf.py": "def net(pretrained=True):\n    return None\n",
             "requirements.txt": "torch\n"}
    repo = make_git_repo(tmp_path / "origin", files)
    info = acquire(repo.as_uri(), tmp_path / "up", tmp_path / "up.json")
    inv, _ = build_inventory(tmp_path / "up", info, {"open_questions": []}, [])
    assert inv["summary"]["complete_training_repo"] is False
    assert "training loop" in inv["summary"]["missing"]
    items = {i["item"]: i["ok"] for i in inv["checklist"]["items"]}
    assert items == {"dependencies": True, "training code": False, "evaluation code": True, "pretrained models": True,
                     "README results table with commands": False}


@needs_git
def test_yaml_configs_become_code_hparams(tmp_path):
    files = {"configs/cifar.yaml": "model:\n  width: 512\n  depth: 12\noptim:\n  lr: 0.1\n  weight_decay: 5.0e-4\n"}
    repo = make_git_repo(tmp_path / "origin", files)
    acquire(repo.as_uri(), tmp_path / "up", tmp_path / "up.json")
    _, hparams, _, _ = analyse(tmp_path / "up")
    got = {h["name"]: (h["value"], h["line"]) for h in hparams}
    assert got["model.width"] == (512, 2) and got["optim.weight_decay"] == (5e-4, 6)


def test_architecture_check_compares_named_layer_sizes_with_what_the_paper_names(example_paper):
    from reprokit.gaps.architecture import architecture_check

    hparams = [{"name": "Conv1d.sizes", "value": [1, 25, 5], "path": "m.py", "line": 3, "kind": "layer call"},
               {"name": "hidden_size", "value": 256, "path": "t.py", "line": 9, "kind": "config dict"},
               {"name": "Conv1d.out_channels", "value": 25, "path": "m.py", "line": 4, "kind": "layer argument"},
               {"name": "GRU.hidden_size", "value": 6, "path": "m.py", "line": 5, "kind": "layer argument"}]
    checks = architecture_check(example_paper, hparams)
    rows = {r["code"]: r["status"] for r in checks}
    assert "Conv1d.sizes=[1, 25, 5]" not in rows  # positional sizes have no name: nothing to compare
    assert rows["Conv1d.out_channels=25"] == "matches the paper (§3.1)"
    assert rows["GRU.hidden_size=6"] == "matches the paper (§3.1)"
    # the paper's width 6 is the GRU's: a settings dictionary's hidden_size names no model, so it is not compared
    assert rows["hidden_size=256"] == "the paper states no width"
    assert any(r["status"].startswith("the paper states kernel 5; no named layer") for r in checks)


@needs_git
def test_a_repositorys_symlinks_are_removed_never_followed_and_listed(tmp_path):
    from reprokit.code.inventory import inventory
    from reprokit.code.source import acquire

    secret = tmp_path / "home" / "secrets.yaml"
    secret.parent.mkdir()
    secret.write_text("token: ghp_do_not_leak\nlr: 0.5\n")
    origin = make_git_repo(tmp_path / "origin", {"train.py": "lr = 0.01\n"})
    (origin / "config.yaml").symlink_to(secret)
    (origin / "inside.py").symlink_to("train.py")
    (origin / "big.bin").write_bytes(b"0" * 5_000_001)
    for args in (["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "links"]):
        subprocess.run(["git", "-C", str(origin), *args], check=True)
    ws = tmp_path / "ws"
    info = acquire(origin.as_uri(), ws / "upstream", ws / "upstream.json")
    assert not [p for p in (ws / "upstream").rglob("*") if p.is_symlink()]
    assert {(s["path"], s["outside"]) for s in info["skipped"]["symlinks"]} == {("config.yaml", True),
                                                                                ("inside.py", False)}
    assert [x["path"] for x in info["skipped"]["large_files"]] == ["big.bin"]
    (ws / "paper.json").write_text(json.dumps({"open_questions": [], "sections": [], "tables": []}))
    inventory(ws / "upstream", ws / "upstream.json", ws / "paper.json", None, ws / "inventory.md", ws / "inventory.json",
              ws / "code_hparams.json")
    written = "".join(p.read_text() for p in ws.glob("*.*") if p.is_file())
    assert "ghp_do_not_leak" not in written and "0.5" not in (ws / "code_hparams.json").read_text()
    assert "symlink `config.yaml`" in (ws / "inventory.md").read_text()
    assert "points outside the repository" in (ws / "inventory.md").read_text()


def test_a_deeply_nested_expression_is_listed_not_a_crash(tmp_path):
    from reprokit.code.inventory import analyse

    (tmp_path / "deep.py").write_text("x = " + "(" * 2000 + "1" + ")" * 2000 + "\n")
    (tmp_path / "long.py").write_text("y = " + " + ".join(["1"] * 5000) + "\nlr = 0.1\n")
    (tmp_path / "ok.py").write_text("import argparse\np = argparse.ArgumentParser()\np.add_argument(\"--lr\", default=0.01)\n")
    _, hparams, unparsed, _ = analyse(tmp_path)
    assert any(u.startswith("deep.py") for u in unparsed)
    assert ("ok.py", 0.01) in {(h["path"], h["value"]) for h in hparams}


def test_a_code_folder_holding_the_workspace_or_inside_it_is_refused(tmp_path):
    from reprokit.code.source import acquire

    project = tmp_path / "project"
    (project / "repro" / "p").mkdir(parents=True)
    (project / "train.py").write_text("lr = 0.1\n")
    with pytest.raises(UserError, match="contains the workspace"):
        acquire(str(project), project / "repro" / "p" / "upstream", project / "repro" / "p" / "upstream.json")
    (project / "repro" / "p" / "mine").mkdir()
    with pytest.raises(UserError, match="lies inside the workspace"):
        acquire(str(project / "repro" / "p" / "mine"), project / "repro" / "p" / "upstream",
                project / "repro" / "p" / "upstream.json")
    assert sorted(p.name for p in (project / "repro" / "p").iterdir()) == ["mine"]


def test_a_local_folder_gets_the_clone_size_cap(tmp_path):
    from reprokit.code.source import acquire

    folder = tmp_path / "official"
    folder.mkdir()
    for i in range(3):
        (folder / f"w{i}.bin").write_bytes(b"1" * 40_000)
    with pytest.raises(UserError, match=r"holds more than 0.1 MB of files; raise `clone_max_mb`"):
        acquire(str(folder), tmp_path / "ws" / "upstream", tmp_path / "ws" / "upstream.json", clone_max_mb=0.1)
    assert not (tmp_path / "ws" / "upstream").exists()


def test_vendored_ci_and_asset_trees_are_set_aside_and_yaml_lines_are_exact(tmp_path):
    from reprokit.code.inventory import analyse

    files = {
        "configs/train.yaml": "model:\n  lr: 0.5\noptim:\n  # the real one\n  lr: 0.001\n  betas: [0.9, 0.99]\n",
        "train.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--batch-size', default=64)\n",
        "third_party/atari/config.yaml": "batch_size: 32\nlr: 0.00025\n",
        ".github/workflows/ci.yml": "jobs:\n  test:\n    timeout: 30\n",
        "assets/robot.yaml": "link_length: 0.3\n",
        "vendor/lib/opt.py": "import torch\nopt = torch.optim.SGD([], lr=0.1)\n",
    }
    write_files(tmp_path, files)
    _, hparams, _, apart = analyse(tmp_path)
    where = {(h["name"], h["line"]) for h in hparams if h["path"] == "configs/train.yaml"}
    assert where == {("model.lr", 2), ("optim.lr", 5), ("optim.betas", 6)}
    assert {h["path"] for h in hparams} == {"configs/train.yaml", "train.py"}
    assert sorted(apart) == [".github", "assets", "third_party", "vendor"]


def test_settings_are_read_wherever_research_code_keeps_them(tmp_path):
    import json

    from reprokit.code.inventory import analyse

    files = {
        "consts.py": "LEARNING_RATE = 3e-4\nNUM_EPOCHS = 90\n__version__ = '1.0'\n",
        "main.py": ("import torch, cma\n\ndef main():\n    setup = {'warmup_steps': 500, 'dropout': 0.1}\n"
                    "    opt = torch.optim.SGD(model.parameters(), 0.1, 0.9)\n"
                    "    es = cma.CMAEvolutionStrategy(x0, 1.0, {'popsize': 28})\n"
                    "    conv = torch.nn.Conv1d(1, 32, 5, padding=1)\n"),
        "explore.ipynb": json.dumps({"cells": [{"cell_type": "markdown", "source": ["# notes"]},
                                               {"cell_type": "code", "source": ["!pip install x\n", "BATCH = 128\n"]}]}),
        "README.md": "## Train\n```\npython3 main.py --lr 0.05 --batch-size 256 --amp\n```\n",
    }
    write_files(tmp_path, files)
    found, hparams, unparsed, _ = analyse(tmp_path)
    got = {(h["name"], h["kind"]): h["value"] for h in hparams}
    assert got[("LEARNING_RATE", "module constant")] == 3e-4 and got[("NUM_EPOCHS", "module constant")] == 90
    assert ("__version__", "module constant") not in got
    assert got[("warmup_steps", "config dict")] == 500 and got[("dropout", "config dict")] == 0.1
    assert got[("SGD.lr", "optimizer argument")] == 0.1 and got[("SGD.momentum", "optimizer argument")] == 0.9
    assert got[("CMAEvolutionStrategy.arg1", "optimizer argument")] == 1.0 and got[("popsize", "config dict")] == 28
    assert got[("Conv1d.padding", "layer argument")] == 1
    assert got[("BATCH", "module constant")] == 128 and not unparsed
    assert got[("lr", "README command")] == 0.05 and got[("batch_size", "README command")] == 256
    assert "README command: main.py" in found["instructions"].notes


def test_a_notebook_setting_is_placed_by_cell_and_line(tmp_path):
    """A notebook's code cells are read as one source; each setting says the cell (every cell counted from 1,
    as a user scrolls) and its line in that cell, not a line of the joined code that no editor shows."""
    import json

    from reprokit.code.inventory import analyse, code_place

    cells = [{"cell_type": "markdown", "source": ["# A study\n", "text\n"]},
             {"cell_type": "code", "source": ["import torch\n", "x = 1\n"]},
             {"cell_type": "markdown", "source": ["more"]},
             {"cell_type": "code", "source": ["%matplotlib inline\n", "def fit(model):\n",
                                              "    return torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)\n"]}]
    (tmp_path / "study.ipynb").write_text(json.dumps({"cells": cells}))
    _, hparams, unparsed, _ = analyse(tmp_path)
    momentum = next(h for h in hparams if h["name"] == "SGD.momentum")
    assert code_place(momentum) == "study.ipynb#cell 4:line 3" and momentum["line"] == 3 and not unparsed


@needs_git
def test_a_local_checkout_records_its_commit_and_its_edits_and_a_plain_folder_its_digest(tmp_path):
    """`code:` as a local folder: a git checkout is recorded at its commit (and said to differ from it when edited),
    a plain folder by its content digest; the upstream route's first commit never reads 'at ?'."""
    from reprokit.code.source import acquire
    from reprokit.upstream.repo import version_of

    repo = make_git_repo(tmp_path / "checkout", RESEARCH_REPO)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    info = acquire(str(repo), tmp_path / "ws" / "upstream", tmp_path / "ws" / "upstream.json")
    assert info["commit"] == head and info["dirty"] is False and version_of(info) == head[:12]
    next(p for p in repo.rglob("*.py")).write_text("# edited\n")
    info = acquire(str(repo), tmp_path / "ws" / "upstream", tmp_path / "ws" / "upstream.json")
    assert info["dirty"] is True and version_of(info) == f"{head[:12]} with uncommitted edits"
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "train.py").write_text("print(1)\n")
    info = acquire(str(plain), tmp_path / "ws2" / "upstream", tmp_path / "ws2" / "upstream.json")
    assert "commit" not in info and version_of(info) == f"tree {info['tree_sha256'][:12]}"


def test_readme_commands_without_python_and_over_several_lines_are_read():
    """README training commands as repositories write them: a script run directly (`./scripts/train.py`, once
    taken for a metrics script), a command continued with backslashes, environment variables in front."""
    from reprokit.code.inventory import readme_commands

    text = ("## Train\n```\n./scripts/train.py --budget 3e5 --lr 1e-3\npython3 main.py --lr 0.05 \\\n"
            "    --batch-size 256 \\\n    --amp\nCUDA_VISIBLE_DEVICES=0 WANDB_MODE=off python train.py --epochs 3\n"
            "see results.py for the plots\n```\n")
    assert readme_commands(text) == [(3, "scripts/train.py", {"budget": 3e5, "lr": 1e-3}),
                                     (4, "main.py", {"lr": 0.05, "batch_size": 256, "amp": True}),
                                     (7, "train.py", {"epochs": 3})]


def test_settings_the_training_command_never_reaches_are_listed_apart_and_never_run_values(tmp_path):
    """openai/grok's plotting script sets epochs=5000; greydanus/mnist1d's notebooks fit with SGD. What the README's
    training command reaches through its imports is the paper's code; the rest is listed apart."""
    import json

    from reprokit.code.inventory import build_inventory, render_inventory
    from reprokit.gaps.ledger import build_ledger

    files = {"README.md": "## Train\n```\npython train.py --lr 0.1\n```\n",
             "train.py": "from models.net import Net\nfrom . import helpers\nBATCH_SIZE = 32\n",
             "helpers.py": "WARMUP_STEPS = 5\n",
             "models/__init__.py": "", "models/net.py": "HIDDEN = 64\n",
             "plots.py": "epochs = 5000\n",
             "notebooks/explore.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": [
                 "import torch\n", "opt = torch.optim.SGD(m.parameters(), lr=0.3, momentum=0.9)\n"]}]})}
    write_files(tmp_path, files)
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    reached = {h["name"]: h["reached"] for h in hparams}
    assert inv["entry_points"] == ["train.py"]
    assert reached["BATCH_SIZE"] and reached["HIDDEN"] and reached["WARMUP_STEPS"] and reached["lr"]
    assert reached["epochs"] is False and reached["SGD.momentum"] is False
    text = render_inventory(inv, hparams)
    assert "## Settings in code the training commands do not reach (3)" in text and "`plots.py:1`" in text
    ledger = build_ledger({"sections": [], "tables": [], "open_questions": []}, hparams, {})
    taken = {e["name"]: e["value"] for e in ledger["entries"] if e["tag"] == "code"}
    assert taken["optimizer.lr"] == 0.1 and 5000 not in taken.values() and "optimizer.momentum" not in taken


def test_a_subproject_brought_into_the_repository_is_vendored_unless_the_paper_trains_from_it(tmp_path):
    """SAPG ships rl_games/ (its own setup.py and LICENSE) and FOA quant_library/ (its own LICENSE): their configs
    were taken as the paper's settings. A folder with its own licence or packaging file, or a git submodule, is set
    aside; a packaged folder that holds the README's training script is the paper's own."""
    from reprokit.code.inventory import analyse, vendored_folders

    files = {"README.md": "```\npython train.py\npython ours/run.py --lr 0.1\n```\n",
             "train.py": "import rl_games\nLR = 3e-4\n",
             "rl_games/setup.py": "", "rl_games/LICENSE": "MIT", "rl_games/configs.py": "LR = 0.01\nHORIZON = 32\n",
             "quant_library/LICENSE": "BSD", "quant_library/q.py": "BITS = 8\n",
             "ours/pyproject.toml": "[project]\nname='ours'\n", "ours/run.py": "WIDTH = 64\n",
             ".gitmodules": '[submodule "ext"]\n\tpath = libs/ext\n\turl = https://x/ext.git\n',
             "libs/ext/m.py": "DEPTH = 3\n"}
    write_files(tmp_path, files)
    assert vendored_folders(tmp_path) == ["quant_library", "rl_games", "libs/ext"]
    _, hparams, _, apart = analyse(tmp_path)
    names = {h["name"] for h in hparams}
    assert {"LR", "WIDTH"} <= names and not names & {"HORIZON", "BITS", "DEPTH"}
    assert {"rl_games", "quant_library", "libs/ext"} <= set(apart)


def test_a_readme_shell_script_is_followed_to_the_python_it_runs():
    """`./scripts/train.sh ... --num-expl-coef-blocks=6` (SAPG): the shell script's own python command is the entry."""
    import tempfile
    from pathlib import Path

    from reprokit.code.inventory import entry_scripts, readme_commands

    assert readme_commands("```\n./scripts/train.sh --num-expl-coef-blocks=6\nbash run.sh\n```\n") == [
        (2, "scripts/train.sh", {"num_expl_coef_blocks": 6}), (3, "run.sh", {})]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "scripts").mkdir()
        (root / "README.md").write_text("```\n./scripts/train.sh --num-expl-coef-blocks=6\n```\n")
        (root / "scripts/train.sh").write_text("#!/bin/bash\nset -e\npython train_rl.py \\\n  --blocks \"$1\"\n")
        (root / "train_rl.py").write_text("print(1)\n")
        assert entry_scripts(root) == ["train_rl.py"]


def test_augmentation_is_found_by_the_random_transforms_the_code_builds(tmp_path):
    """kuangliu/pytorch-cifar augments inside a transforms.Compose of RandomCrop and RandomHorizontalFlip, in no
    function named for it: the inventory said 'augmentation pipeline: no'."""
    from reprokit.code.inventory import analyse

    (tmp_path / "main.py").write_text("import torchvision.transforms as transforms\ntransform_train = transforms.Compose(["
                                      "\n    transforms.RandomCrop(32, padding=4),\n    transforms.RandomHorizontalFlip(),\n])\n")
    found, _, _, _ = analyse(tmp_path)
    assert found["augmentation"].paths[:2] == ["main.py:3", "main.py:4"]
    assert "transforms.RandomCrop(...)" in found["augmentation"].notes


def test_a_hugging_face_dataset_link_is_not_a_pretrained_checkpoint(tmp_path):
    """A README linking its data on the Hub (huggingface.co/datasets/...) was read as pretrained weights."""
    from reprokit.code.inventory import analyse

    (tmp_path / "README.md").write_text("Data: https://huggingface.co/datasets/me/ours\n")
    found, _, _, _ = analyse(tmp_path)
    assert not found["checkpoints"].paths
    (tmp_path / "README.md").write_text("Weights: https://huggingface.co/me/ours-large\n")
    found, _, _, _ = analyse(tmp_path)
    assert found["checkpoints"].paths == ["README.md"]


def test_each_component_lists_the_code_the_training_command_reaches_first(tmp_path):
    """SAPG's own network builder and losses were found but never shown: components were listed in folder order,
    and the first places (eight are shown) were other code's."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython zz_train.py\n```\n",
             "zz_train.py": "from zz_model import Net\nimport torch\nloss = torch.nn.CrossEntropyLoss()\n",
             "zz_model.py": "import torch\nclass Net(torch.nn.Module):\n    pass\n",
             "aa_baselines/other.py": "import torch\nclass Other(torch.nn.Module):\n    pass\n"
                                      "crit = torch.nn.MSELoss()\n"}
    write_files(tmp_path, files)
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert places["model"] == ["zz_model.py:2", "aa_baselines/other.py:2"]
    assert places["loss"][0] == "zz_train.py:3"


def test_components_by_what_the_code_does_loss_saving_and_no_name_misfires(tmp_path):
    """The loss is what .backward() is called on; code that saves checkpoints is its own component; a function
    named transform* is not augmentation, nor a unit test's test_* an evaluation (issue: SAPG, FOA, RICE)."""
    from reprokit.code.inventory import analyse

    (tmp_path / "train.py").write_text(
        "import torch\n\n\ndef fit(model, loader, opt, crit):\n    for x, y in loader:\n        out = model(x)\n"
        "        loss = crit(out, y) + 0.1 * model.penalty()\n        loss.backward()\n        opt.step()\n"
        "    torch.save(model.state_dict(), 'last.pt')\n    model.save_pretrained('out')\n\n\n"
        "def transform_features(x):\n    return x\n")
    (tmp_path / "test_model.py").write_text("def test_shapes():\n    assert True\n")
    found, _, _, _ = analyse(tmp_path)
    assert found["loss"].paths == ["train.py:7"]
    assert found["loss"].notes == ["crit(out, y) + 0.1 * model.penalty() (.backward() in fit())"]
    assert found["saving"].paths == ["train.py:10", "train.py:11"]
    assert not found["augmentation"].paths and not found["eval"].paths


def test_a_module_run_with_dash_m_and_a_launchers_own_options_are_entry_points(tmp_path):
    """SAPG's README runs scripts/train_allegro_kuka.sh, which runs `python3 -m isaacgymenvs.pbt.launcher.run ...`:
    the module was not read as an entry point, so isaacgymenvs/ (its own LICENSE) was set aside as vendored and
    the inventory found no component at all. torchrun's own options came before the script too."""
    from reprokit.code.inventory import analyse, entry_scripts, readme_commands

    assert readme_commands("torchrun --nproc_per_node 8 -m pkg.train --lr 0.1\npython -u main.py --x 1\n"
                           "accelerate launch --config_file acc.yaml fit.py\n") == [
        (1, "-m pkg.train", {"lr": 0.1}), (2, "main.py", {"x": 1}), (3, "fit.py", {})]
    (tmp_path / "scripts").mkdir()
    (tmp_path / "README.md").write_text("```\n./scripts/train.sh Task 1 --sapg\n```\n")
    (tmp_path / "scripts/train.sh").write_text("#!/bin/bash\npython3 -m envs.launcher.run --num-envs=$2 $@\n")
    (tmp_path / "envs/launcher").mkdir(parents=True)
    (tmp_path / "envs/LICENSE.txt").write_text("BSD\n")
    (tmp_path / "envs/__init__.py").write_text("")
    (tmp_path / "envs/launcher/__init__.py").write_text("")
    (tmp_path / "envs/launcher/run.py").write_text("from envs import agent\n")
    (tmp_path / "envs/agent.py").write_text("import torch\n\n\nclass Policy(torch.nn.Module):\n    pass\n")
    assert entry_scripts(tmp_path) == ["envs/launcher/run.py"]
    found, _, _, apart = analyse(tmp_path, entry_scripts(tmp_path))
    assert "envs" not in apart and found["model"].paths == ["envs/agent.py:4"]


def test_without_readme_commands_the_shell_scripts_of_the_tree_name_the_entry_points(tmp_path):
    """RICE's README runs nothing; Refine_mujoco/retrain.sh runs `python -u retrain.py ...` from its own folder.
    Without an entry point every file counted as reached, and 69 settings of copied libraries (malware_rl/, PPO/)
    were run values; with it, only what retrain.py imports is."""
    from reprokit.code.inventory import analyse, entry_scripts

    (tmp_path / "README.md").write_text("# Paper\n\nWe implement our method in four games.\n")
    (tmp_path / "game").mkdir()
    (tmp_path / "game/retrain.sh").write_text("python -u retrain.py --env Hopper \\\n    --seed 0\n")
    (tmp_path / "game/retrain.py").write_text("import argparse\nfrom ppo import PPO\n"
                                              "custom_objects = {'learning_rate': 1e-5}\n"
                                              "model = PPO.load('best', custom_objects=custom_objects)\n")
    (tmp_path / "game/ppo.py").write_text("class PPO:\n    def __init__(self, clip=0.2):\n        pass\n"
                                          "COLORS = {'learning_rate': 3}\n")
    (tmp_path / "copied_lib").mkdir()
    (tmp_path / "copied_lib/agent.py").write_text("GAMMA = 0.97\n")
    assert entry_scripts(tmp_path) == ["game/retrain.py"]
    # a top-level dictionary of the entry script configures the run (RICE: the policy's learning rate, handed to
    # PPO.load); one of another module is not read as settings unless its name says so
    _, hparams, _, _ = analyse(tmp_path, entry_scripts(tmp_path))
    assert [(h["path"], h["value"], h["kind"]) for h in hparams if h["name"] == "learning_rate"] == [
        ("game/retrain.py", 1e-5, "config dict")]
    (tmp_path / "README.md").write_text("```\npython copied_lib/agent.py\n```\n")
    # the README's own command comes first; as it runs no training script, the shell scripts' come after it
    assert entry_scripts(tmp_path) == ["copied_lib/agent.py", "game/retrain.py"]
    (tmp_path / "README.md").write_text("```\npython copied_lib/train.py\n```\n")
    (tmp_path / "copied_lib/train.py").write_text("GAMMA = 0.97\n")
    assert entry_scripts(tmp_path) == ["copied_lib/train.py"]


def test_a_long_literal_list_is_data_not_a_setting_and_long_values_are_cut_in_the_table(tmp_path):
    """FOA's dataset/ImageNetMask.py holds 1000 class ids in a module constant: inventory.md printed all of them."""
    from reprokit.code.inventory import analyse, build_inventory, render_inventory

    (tmp_path / "ids.py").write_text(f"ALL_IDS = {[f'n{i:08d}' for i in range(1000)]!r}\nLR = 0.1\n"
                                     f"NAMES = {['gaussian_noise_with_a_long_name'] * 8!r}\n")
    _, hparams, _, _ = analyse(tmp_path)
    assert [h["name"] for h in hparams] == ["LR", "NAMES"]
    inv, hparams = build_inventory(tmp_path, {"kind": "local", "path": str(tmp_path)}, {"open_questions": []}, [])
    text = render_inventory(inv, hparams)
    shown = next(line for line in text.splitlines() if line.startswith("| NAMES |"))
    assert shown.split("`")[1].endswith("...") and len(shown.split("`")[1]) == 80


def test_the_files_named_for_the_papers_method_come_first_and_each_note_stays_with_its_place(tmp_path):
    """FOA's repository imports its method (tta_library/foa.py) beside the baselines it compares with (tent.py,
    cotta.py) and a calibration library: the inventory showed the baselines' and the library's classes first,
    FOA's own never; and a component's notes did not follow its places when they were reordered."""
    from reprokit.code.inventory import build_inventory, method_names

    paper = {"title": "Test-Time Model Adaptation with Only Forward Passes", "open_questions": [],
             "abstract": "Large language models (LLMs) aside, we propose Forward-Optimization Adaptation (FOA)."}
    assert method_names(paper) == ["foa"]
    assert method_names({"title": "SAPG: Split and Aggregate Policy Gradients", "abstract": ""}) == ["sapg"]
    (tmp_path / "lib").mkdir()
    (tmp_path / "README.md").write_text("```\npython main.py --lr 1\n```\n")
    (tmp_path / "main.py").write_text("from lib import cotta, foa, tent\n")
    (tmp_path / "lib/__init__.py").write_text("")
    for name in ("cotta", "foa", "tent"):
        (tmp_path / f"lib/{name}.py").write_text(f"import torch\n\n\nclass {name.upper()}(torch.nn.Module):\n    pass\n")
    inv, _ = build_inventory(tmp_path, {"kind": "local", "path": str(tmp_path)}, paper, [])
    model = next(c for c in inv["components"] if c["key"] == "model")
    assert model["paths"] == ["lib/foa.py:4", "lib/cotta.py:4", "lib/tent.py:4"]
    assert model["notes"] == ["class FOA(Module)", "class COTTA(Module)", "class TENT(Module)"]


def test_a_class_the_entry_point_reaches_but_never_uses_gives_no_run_value(tmp_path):
    """FOA's utils/cli_utils.py (imported by main.py with *) defines LabelSmoothingCrossEntropy(smoothing=0.1), which
    nothing uses: its default became the run's label smoothing, tagged [code: utils/cli_utils.py:98]."""
    from reprokit.code.inventory import build_inventory

    (tmp_path / "README.md").write_text("```\npython main.py\n```\n")
    (tmp_path / "main.py").write_text("from utils import *\n\nloss = Used(margin=1.0)\n")
    (tmp_path / "utils.py").write_text(
        "import torch\n\n\nclass Smoothing(torch.nn.Module):\n    def __init__(self, smoothing=0.1):\n"
        "        super(Smoothing, self).__init__()\n\n\nclass Used(torch.nn.Module):\n    def __init__(self, margin=0.5):\n"
        "        super().__init__()\n")
    _, hparams = build_inventory(tmp_path, {"kind": "local", "path": str(tmp_path)}, {"open_questions": []}, [])
    reached = {h["name"]: h["reached"] for h in hparams if h["kind"] == "constructor default"}
    assert reached == {"smoothing": False, "margin": True}


def test_a_lightning_repository_its_own_optimizer_class_and_pretrained_weights_are_recognised(tmp_path):
    """openai/grok trains through a LightningModule's training_step with its own CustomAdamW(torch.optim.Optimizer)
    (no training loop and no optimizer were found); FOA loads timm.create_model(..., pretrained=True) (no
    checkpoint was found); np.random.RandomState is not an augmentation."""
    from reprokit.code.inventory import analyse
    from reprokit.optimizers import family

    assert (family("CustomAdamW"), family("FusedAdam"), family("SGD"), family("SGDClassifier")) == ("adamw", "adam",
                                                                                                    "sgd", None)
    (tmp_path / "training.py").write_text(
        "import numpy as np\nimport timm\nimport torch\nfrom pytorch_lightning import LightningModule\n\n\n"
        "class Trainable(LightningModule):\n    def training_step(self, batch, batch_idx):\n        return self(batch)\n\n"
        "    def configure_optimizers(self):\n        return CustomAdamW(self.parameters(), betas=(0.9, 0.98), eps=1e-8)\n\n\n"
        "def backbone():\n    rng = np.random.RandomState(0)\n    return timm.create_model('vit_base_patch16_224', pretrained=True)\n\n\n"
        "class CustomAdamW(torch.optim.Optimizer):\n    pass\n")
    found, hparams, _, _ = analyse(tmp_path)
    assert found["training_loop"].paths == ["training.py:8"]
    assert found["optimizer"].paths == ["training.py:12", "training.py:11"]  # the call, then configure_optimizers
    assert {h["name"]: h["value"] for h in hparams if h["kind"] == "optimizer argument"} == {
        "CustomAdamW.betas": [0.9, 0.98], "CustomAdamW.eps": 1e-8}
    assert found["checkpoints"].paths == ["training.py:17"] and not found["augmentation"].paths


def test_places_rank_the_called_modules_before_others_and_modules_before_notebooks(tmp_path):
    """openai/grok's scripts/train.py calls grok.training's functions; `import grok` reaches every module, and
    grok/measure.py's optimizer came first. greydanus/mnist1d has no training command: its notebooks' models came
    before notebooks/models.py."""
    import json

    from reprokit.code.inventory import build_inventory

    (tmp_path / "pkg").mkdir()
    (tmp_path / "README.md").write_text("```\npython run.py\n```\n")
    (tmp_path / "run.py").write_text("import pkg\n\npkg.training.fit()\n")
    (tmp_path / "pkg/__init__.py").write_text("from . import measure, training\n")
    (tmp_path / "pkg/measure.py").write_text("import torch\n\n\ndef sharpness(m):\n    return torch.optim.SGD(m, lr=1)\n")
    (tmp_path / "pkg/training.py").write_text("import torch\n\n\ndef fit(m=None):\n    return torch.optim.Adam(m, lr=1e-3)\n")
    inv, _ = build_inventory(tmp_path, {"kind": "local", "path": str(tmp_path)}, {"open_questions": []}, [])
    assert next(c for c in inv["components"] if c["key"] == "optimizer")["paths"][0] == "pkg/training.py:5"
    other = tmp_path / "nb"
    other.mkdir()
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["import torch\n", "class Net(torch.nn.Module):\n", "    pass\n"]}
    (other / "a_demo.ipynb").write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (other / "models.py").write_text("import torch\n\n\nclass MLP(torch.nn.Module):\n    pass\n")
    inv, _ = build_inventory(other, {"kind": "local", "path": str(other)}, {"open_questions": []}, [])
    assert next(c for c in inv["components"] if c["key"] == "model")["paths"] == ["models.py:4", "a_demo.ipynb#cell 1:line 2"]


def test_the_architecture_check_compares_each_model_with_its_own_sizes():
    """The MNIST-1D paper states the GRU's 6 hidden units; the official MLP's hidden_size=100 was reported as
    'the paper states width 6, not 100' (REPRODUCTION.md and the MLP's hypothesis compared it with the GRU's)."""
    from reprokit.gaps.architecture import architecture_check

    paper = {"sections": [{"id": "S3", "number": "3", "title": "Models", "parent": None, "paragraphs": [
        "The GRU has 6 hidden units. The CNN has 25 channels."]}], "tables": []}
    hparams = [{"name": "hidden_size", "value": 100, "path": "models.py", "line": 21, "scope": "MLPBase"},
               {"name": "hidden_size", "value": 6, "path": "models.py", "line": 57, "scope": "GRUBase"},
               {"name": "hidden_size", "value": 8, "path": "models.py", "line": 70, "scope": "GRUCell"},
               {"name": "channels", "value": 25, "path": "models.py", "line": 37, "scope": "ConvBase"},
               {"name": "hidden_size", "value": 256, "path": "train.py", "line": 23, "scope": "get_model_args"}]
    status = {c["where"]: c["status"] for c in architecture_check(paper, hparams)}
    assert status == {"models.py:21": "the paper states no width for the MLP", "models.py:57": "matches the paper (§3)",
                      "models.py:70": "the paper states width 6, not 8", "models.py:37": "matches the paper (§3)",
                      "train.py:23": "the paper states no width"}


def test_keras_and_tensorflow_code_has_its_model_training_loop_data_and_budget(tmp_path):
    """The official code of tanh-init (Keras notebooks), read as a new user would: no model, no training loop, no
    data and 36 'settings' that were mostly empty accumulators (`loss_list = []`)."""
    from reprokit.code.inventory import analyse

    (tmp_path / "train.py").write_text(
        "import tensorflow as tf\nfrom tensorflow.keras.models import Model\nfrom tensorflow.keras.datasets import mnist\n"
        "(x_train, y_train), (x_test, y_test) = mnist.load_data()\nloss_list = []\n\n\n"
        "class Net(Model):\n    def call(self, x):\n        return x\n\n\n"
        "def learn(model, opt, x):\n    with tf.GradientTape() as tape:\n        loss = model(x)\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    opt.apply_gradients(zip(grads, model.trainable_variables))\n\n\n"
        "model = Net()\nmodel.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n"
        "model.fit(x_train, y_train, epochs=100, batch_size=64, validation_data=(x_test, y_test))\n")
    found, hparams, _, _ = analyse(tmp_path, [])
    assert found["model"].paths == ["train.py:8"] and found["data"].paths == ["train.py:4"]
    assert found["training_loop"].paths == ["train.py:13", "train.py:22"]
    assert {(h["name"], h["value"]) for h in hparams} == {("fit.epochs", 100), ("fit.batch_size", 64),
                                                          ("compile.optimizer", "adam"),
                                                          ("compile.loss", "categorical_crossentropy")}
    # the loss and optimizer compile() is given are the run's (in the harness's words)
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    knobs = {k.name: k for k in KNOBS}
    assert [c["value"] for c in code_candidates(knobs["loss.name"], hparams)] == ["cross_entropy"]
    assert [c["value"] for c in code_candidates(knobs["optimizer.name"], hparams)] == ["adam"]


def test_readme_commands_through_make_targets_and_project_runners_name_the_entry_points(tmp_path):
    """`make train` (its Makefile recipe runs the script) and `uv run python grokking/cli.py` (danielmamay/grokking's
    README) were not read as commands, so the entry point fell back to a guess."""
    from reprokit.code.inventory import entry_scripts, readme_commands
    from reprokit.upstream.implement import readme_scripts
    from reprokit.upstream.launch import find_entry

    assert [s for _, s, _ in readme_commands("uv run python grokking/cli.py\npoetry run python -m pkg.fit --lr 1\n"
                                             "make train\nmake -j4\n")] == ["grokking/cli.py", "-m pkg.fit", "make train"]
    (tmp_path / "README.md").write_text("Train with\n\n```\nmake train\n```\n")
    (tmp_path / "Makefile").write_text("data:\n\tpython prepare.py\n\ntrain: data\n\t@python train.py --epochs 10\n"
                                       "\techo done\n\neval:\n\tpython eval.py\n")
    for name in ("prepare.py", "train.py", "eval.py"):
        (tmp_path / name).write_text("import argparse\n")
    assert entry_scripts(tmp_path) == ["train.py"]
    found = find_entry(tmp_path, readme_scripts(tmp_path), None)
    assert found["script"] == "train.py" and "make train" in found["how"]


def test_reinforcement_learning_code_has_its_environment_as_data_and_sb3s_evaluation_and_saving(tmp_path):
    """RICE (stable-baselines3 on gym): no dataset, so 'data' pointed at another application's file; the refined
    agent is evaluated and saved by an EvalCallback, which was neither evaluation nor saving."""
    from reprokit.code.inventory import analyse

    (tmp_path / "environment.py").write_text("import gym\nfrom gym import Wrapper\n\n\nclass RetrainEnv(Wrapper):\n"
                                            "    def reset(self):\n        return self.env.reset()\n")
    (tmp_path / "retrain.py").write_text("from stable_baselines3.common.callbacks import EvalCallback\n"
                                         "from environment import RetrainEnv\n"
                                         "cb = EvalCallback(env, best_model_save_path='log/best_model', eval_freq=100)\n")
    found, _, _, _ = analyse(tmp_path, ["retrain.py"])
    assert found["data"].paths == ["environment.py:5"]
    assert found["eval"].paths == ["retrain.py:3"] and found["saving"].paths == ["retrain.py:3"]


def test_an_evolution_strategy_trains_and_a_pipeline_the_run_never_applies_is_no_augmentation(tmp_path):
    """FOA (test-time adaptation with CMA-ES, no gradients): its update loop (ask / tell) was no training loop; a
    train-set augmentation pipeline that only an uncalled loader uses was shown as the augmentation; a policy's
    eval(obs) method was shown as evaluation, before the entry script's own EvalCallback."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython main.py\n```\n",
             "main.py": "from data import prepare_test_data\nfrom adapt import Adapter\nfrom nets import Policy\n"
                        "from stable_baselines3.common.callbacks import EvalCallback\n"
                        "loader = prepare_test_data()\nmodel = Adapter(Policy())\n"
                        "cb = EvalCallback(env, eval_freq=100)\n",
             "adapt.py": "import cma\n\n\nclass Adapter:\n    def forward(self, x):\n"
                         "        prompts = self.es.ask()\n        self.es.tell(prompts, [0.0])\n",
             "nets.py": "import torch\n\n\nclass Policy(torch.nn.Module):\n    def eval(self, obs):\n"
                        "        return self.net(obs)\n",
             "data.py": "import torchvision.transforms as T\n"
                        "train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip()])\n"
                        "alias_tf = train_tf\n\n\n"
                        "def prepare_train_data():\n    return Folder('train', train_tf, alias_tf)\n\n\n"
                        "def prepare_test_data():\n    return Folder('val', T.Compose([T.CenterCrop(224)]))\n"}
    write_files(tmp_path, files)
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert places["training_loop"] == ["adapt.py:5"]
    assert places["augmentation"] == []
    assert places["eval"][0] == "main.py:7" and "nets.py:5" not in places["eval"]
    # once the run calls the train-set loader, its pipeline is the augmentation
    (tmp_path / "main.py").write_text(files["main.py"] + "from data import prepare_train_data\n"
                                      "train = prepare_train_data()\n")
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert {c["key"]: c["paths"] for c in inv["components"]}["augmentation"] == ["data.py:2"]


def test_a_folder_named_for_a_cited_method_the_paper_adopts_is_that_works_code(tmp_path):
    """FOA's quant_library/ (no licence, no setup.py) is PTQ4ViT's code: the paper says "We adopt PTQ4ViT (Yuan et
    al., 2022) for 8-bit quantization" and the folder holds configs/PTQ4ViT.py. Its settings were read as the
    paper's. A folder that also holds the paper's own method (tta_library/foa.py beside tent.py) stays, and an
    architecture the paper uses ("we employ ViT-B (Dosovitskiy et al., 2021)") never sets models/vit.py aside."""
    from reprokit.code.inventory import adopted_works, vendored_folders

    paper = {"sections": [{"paragraphs": [
        "We adopt PTQ4ViT (Yuan et al., 2022) for 8-bit quantization. We employ ViT-B (Dosovitskiy et al., 2021) "
        "and we adopt TENT [12] as a baseline."]}]}
    assert adopted_works(paper) == ["ptq4vit"]  # a baseline is not adopted
    files = {"README.md": "```\npython main.py\n```\n", "main.py": "import quant_library\n",
             "quant_library/configs/PTQ4ViT.py": "BITS = 8\n", "quant_library/utils.py": "CALIB = 32\n",
             "tta_library/tent.py": "STEPS = 1\n", "tta_library/foa.py": "POP = 28\n", "models/vit.py": "DEPTH = 12\n"}
    write_files(tmp_path, files)
    assert vendored_folders(tmp_path, adopted=adopted_works(paper), own=["foa"]) == ["quant_library"]
    assert vendored_folders(tmp_path) == []
    # a paper that names no method of its own, or an entry script that imports the module by that name, keeps it
    assert vendored_folders(tmp_path, adopted=["ptq4vit"], own=[]) == []
    (tmp_path / "main.py").write_text("from quant_library.configs.PTQ4ViT import cfg\n")
    assert vendored_folders(tmp_path, adopted=["ptq4vit"], own=["foa"]) == []


def test_what_runs_is_read_through_classes_values_and_libraries(tmp_path):
    """A review's cases: a Dataset whose __init__ builds the augmentation (the commonest PyTorch layout) and a
    function passed as a value are applied; a trainer's eval() loop is evaluation (only a network's eval method is
    not); Optuna's study.ask/tell is a hyperparameter search, not a training loop."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython train.py\n```\n",
             "train.py": "from data import Images, jitter\nfrom trainer import Trainer\n"
                         "ds = Images('x')\nds2 = other.map(jitter)\nTrainer().eval()\n",
             "data.py": "import torchvision.transforms as T\nimport torch\n\n\nclass Images(torch.utils.data.Dataset):\n"
                        "    def __init__(self, root):\n"
                        "        self.tf = T.Compose([T.RandomCrop(32), T.RandomHorizontalFlip()])\n\n\n"
                        "def jitter(x):\n    return x\n",
             "trainer.py": "import torch\n\n\nclass Trainer:\n    def eval(self):\n        with torch.no_grad():\n"
                           "            for x in self.test_loader:\n                self.model(x)\n",
             "tune.py": "import optuna\n\n\ndef search(study):\n    trial = study.ask()\n    study.tell(trial, 0.5)\n"}
    write_files(tmp_path, files)
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert "data.py:7" in places["augmentation"] and "data.py:10" in places["augmentation"]
    assert "trainer.py:5" in places["eval"]
    assert places["training_loop"] == []


def test_checkpoint_saving_is_where_the_run_saves_not_a_helper_it_never_names(tmp_path):
    """FOA's utils/cli_utils.py defines save_checkpoint (torch.save) and main.py star-imports the module, but nothing
    the run executes calls it: FOA saves no checkpoint. A helper the training function calls is the saving."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython main.py\n```\n", "main.py": "from utils import *\nrun()\n",
             "utils.py": "import torch\n\n\ndef save_checkpoint(state, path):\n    torch.save(state, path)\n\n\n"
                         "def run():\n    pass\n"}
    write_files(tmp_path, files)
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert {c["key"]: c["paths"] for c in inv["components"]}["saving"] == []
    (tmp_path / "utils.py").write_text(files["utils.py"].replace("    pass\n", "    save_checkpoint({}, 'c.pt')\n"))
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert {c["key"]: c["paths"] for c in inv["components"]}["saving"] == ["utils.py:5", "utils.py:9"]


def test_a_component_only_the_compared_methods_have_is_not_the_papers(tmp_path):
    """FOA's repository keeps its baselines beside its own method (tta_library/cotta.py, tent.py beside foa.py):
    CoTTA's augmentation was shown as FOA's, which adapts without any. A component only the compared methods'
    files have is absent, with those files named; their settings are never run values. A helper the method's own
    file imports (sam.py) stays its code."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython main.py --algorithm foa\n```\n",
             "main.py": "import argparse\nfrom methods import foa, cotta\n"
                        "parser = argparse.ArgumentParser()\nparser.add_argument('--algorithm', default='foa')\n"
                        "args = parser.parse_args()\n"
                        "model = foa.FOA() if args.algorithm == 'foa' else cotta.CoTTA()\n",
             "methods/foa.py": "import torch\nfrom methods.sam import SAM\n\n\nclass FOA(torch.nn.Module):\n"
                               "    def forward(self, x):\n        return x\n",
             "methods/sam.py": "class SAM:\n    rho = 0.05\n",
             "methods/vit.py": "import torch\n\n\nclass ViT(torch.nn.Module):\n    pass\n",
             "methods/cotta.py": "import torch\nimport torchvision.transforms as T\n\n\n"
                                 "class CoTTA(torch.nn.Module):\n    def __init__(self, mt=0.999):\n"
                                 "        super().__init__()\n"
                                 "        self.tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip()])\n"
                                 "    def forward(self, x):\n        return self.tf(x)\n"}
    write_files(tmp_path, files)
    paper = {"title": "Test-Time Model Adaptation with Only Forward Passes",
             "abstract": "We propose Forward-Optimization Adaptation (FOA).", "open_questions": [],
             "sections": [{"paragraphs": ["We compare FOA with TENT and CoTTA (Wang et al., 2022) on a ViT. SAM is not "
                                           "used."]}]}
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, paper, [])
    augmentation = next(c for c in inv["components"] if c["key"] == "augmentation")
    assert not augmentation["present"] and "`methods/cotta.py:8` (CoTTA)" in augmentation["notes"][0]
    model = next(c for c in inv["components"] if c["key"] == "model")
    assert model["paths"][0] == "methods/foa.py:5"  # the paper's own method first; CoTTA's after it
    assert "methods/cotta.py:5" in model["paths"]
    momentum = next(h for h in hparams if h["path"] == "methods/cotta.py")
    assert momentum["reached"] is False  # CoTTA's mt=0.999 is no run value
    from reprokit.code.inventory import baseline_files
    assert baseline_files(tmp_path, paper, ["foa"], set(files)) == {"methods/cotta.py": "CoTTA"}  # not sam.py, vit.py
    # (a review's negatives) a dataset's code, or a technique the paper uses but does not compare with, is no method
    (tmp_path / "data").mkdir()
    (tmp_path / "data/imagenet.py").write_text("class ImageNet:\n    pass\n")
    (tmp_path / "methods/lora.py").write_text("class LoRA:\n    rank = 8\n")
    used = {"title": "T", "abstract": "", "sections": [{"paragraphs": [
        "We compare FOA with CoTTA on ImageNet. We insert LoRA adapters."]}]}
    assert baseline_files(tmp_path, used, ["foa"], set(files) | {"data/imagenet.py", "methods/lora.py"}) == {
        "methods/cotta.py": "CoTTA"}
    # without a file of the paper's own method, nothing is told apart: a repository of one method
    (tmp_path / "methods/foa.py").rename(tmp_path / "methods/ours.py")
    (tmp_path / "main.py").write_text((tmp_path / "main.py").read_text().replace("foa", "ours"))
    inv, _ = build_inventory(tmp_path, {"kind": "folder"}, paper, [])
    assert next(c for c in inv["components"] if c["key"] == "augmentation")["present"]


def test_a_setting_of_a_variant_the_paper_does_not_use_is_no_run_value(tmp_path):
    """RICE's agent builds an e3b bonus or an RND bonus by name (``if self.bonus == 'e3b': ... elif self.bonus ==
    'rnd': ...``), each with its own Adam; the paper uses RND and never writes e3b, yet the run's optimizer came from
    the e3b branch, tagged at its lr= line. A variant the paper never names, beside one it names, is listed apart;
    an optimizer is placed where it is called. Where the paper names both variants, or neither, both stay."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    files = {"README.md": "```\npython train.py --bonus rnd\n```\n",
             "train.py": "import torch\nfrom agent import Agent\nagent = Agent(bonus='rnd')\n",
             "agent.py": "import torch\n\n\nclass Agent:\n    def __init__(self, bonus):\n"
                         "        if bonus == 'e3b':\n            self.opt = torch.optim.SGD(\n"
                         "                self.params(),\n                lr=1e-2)\n"
                         "        elif bonus == 'rnd':\n            self.opt = torch.optim.Adam(\n"
                         "                self.params(),\n                lr=1e-3)\n"}
    write_files(tmp_path, files)

    def run_values(sentence: str) -> dict:
        paper = {"title": "T", "abstract": "", "open_questions": [], "sections": [{"paragraphs": [sentence]}]}
        _, hparams = build_inventory(tmp_path, {"kind": "folder"}, paper, [])
        knob = next(k for k in KNOBS if k.name == "optimizer.name")
        return {c["value"]: c["where"] for c in code_candidates(knob, hparams)}

    assert run_values("We add an RND bonus to the reward.") == {"adam": "agent.py:11"}
    assert run_values("We compare the RND bonus with the E3B bonus.") == {"sgd": "agent.py:7", "adam": "agent.py:11"}
    assert run_values("We add an exploration bonus.") == {"sgd": "agent.py:7", "adam": "agent.py:11"}
    # (a review's negatives) a name the paper abbreviates, or an ordinary word beside it, is no evidence
    from reprokit.code.inventory import PaperNames
    names = PaperNames.of({"sections": [{"paragraphs": [
        "We train ViT-B/16 on ImageNet-1k (CIFAR-10 in the appendix) with a cosine schedule, a step every batch, "
        "cross-entropy, and Llama 2."]}]})
    assert all(names.writes(n) for n in ("vit_b_16", "in1k", "cos", "ce", "llama2", "cifar10", "step"))
    assert not names.writes("e3b") and "cifar10" in names.distinct and "step" not in names.distinct


def test_a_library_copy_the_readme_installs_and_the_registry_entry_the_papers_configs_pick(tmp_path):
    """SAPG's algorithm lives in its changed copy of rl_games (own setup.py; the README installs it), its launcher
    starts the training as a command string, and its train.py registers IsaacGymEnvs' AMP agent beside the PPO
    agent the paper's configs pick by name: stage 2 set the copy aside as vendored, never reached train.py, and
    showed the AMP agent as the loss, training loop and optimizer (2 of 11 components right)."""
    from reprokit.code.inventory import build_inventory

    files = {
        "README.md": "```\ncd lib && pip install -e . && cd ..\n./scripts/train.sh Ours\n```\n",
        "scripts/train.sh": "python3 -m app.launcher --task=$1\n",
        "lib/setup.py": "from setuptools import setup\nsetup(name='lib')\n",
        "lib/lib/__init__.py": "",
        "lib/lib/runner.py": "from lib.agents import ppo, sac\n\n\nclass Runner:\n    def __init__(self):\n"
                             "        self.algo_factory.register_builder('ppo', lambda **kw: ppo.PPOAgent(**kw))\n"
                             "        self.algo_factory.register_builder('sac', lambda **kw: sac.SACAgent(**kw))\n",
        "lib/lib/agents/__init__.py": "",
        "lib/lib/agents/base.py": "import torch\n\n\nclass Base:\n    def train(self):\n        for _ in range(9):\n"
                                  "            self.calc_gradients()\n",
        "lib/lib/agents/ppo.py": "import torch\nfrom lib.agents import base\n\n\nclass PPOAgent(base.Base):\n"
                                 "    def calc_gradients(self):\n        loss = self.loss()\n"
                                 "        self.scaler.scale(loss).backward()\n        self.clip_and_step()\n",
        "lib/lib/agents/sac.py": "import torch\n\n\nclass SACAgent:\n    def update(self):\n"
                                 "        self.loss.backward()\n        self.opt.step()\n",
        "app/__init__.py": "",
        "app/launcher.py": "import subprocess\nsubprocess.run('python -m app.train task=Ours', shell=True)\n",
        "app/train.py": "import torch\nfrom lib.runner import Runner\nfrom app import amp\n"
                        "runner = Runner()\n"
                        "runner.algo_factory.register_builder('amp', lambda **kw: amp.AMPAgent(**kw))\n",
        "app/amp.py": "import torch\n\n\nclass AMPAgent:\n    def update(self):\n        self.loss.backward()\n"
                      "        self.opt.step()\n        opt = torch.optim.Adam(self.parameters(), lr=5e-5)\n",
        "app/cfg/train/OursPPO.yaml": "algo:\n  name: ppo\nlr: 0.0001\n",
        "app/cfg/train/HumanoidAMP.yaml": "algo:\n  name: amp\n",
        "app/cfg/train/AntSAC.yaml": "algo:\n  name: sac\n",
    }
    write_files(tmp_path, files)
    paper = {"title": "T", "abstract": "", "open_questions": [],
             "sections": [{"paragraphs": ["We train Ours with PPO, an on-policy algorithm."]}]}
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, paper, [])
    assert "app/train.py" in inv["entry_points"]  # launched by the launcher's command string
    assert "lib" not in inv["set_aside"]  # installed by the README: the paper's own copy
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert places["training_loop"][0] == "lib/lib/agents/ppo.py:6"  # backward, and a step in a helper
    assert places["configs"][0] == "app/cfg/train/OursPPO.yaml"  # named in the paper, naming the picked agent
    assert next(h for h in hparams if h["path"] == "app/amp.py")["reached"] is False  # AMP: another experiment's


def test_registries_the_papers_configs_pick_and_what_is_no_registry(tmp_path):
    """A review's cases: a module's register_buffer is no registry (a config value 'mean' set geometry.py, which
    train.py calls directly, aside); a key the paper's config writes as a mapping key is picked; a file used
    directly, not only where it is registered, stays; a config that refers to itself, or a large data .json, stops
    nothing; a docstring's or a help text's command is no entry point."""
    import ast as _ast

    from reprokit.code.reach import launched_commands
    from reprokit.code.registry import registry_entries, registry_picks

    files = {
        "net.py": "import torch\nfrom geometry import make_grid\n\n\nclass Net(torch.nn.Module):\n"
                  "    def __init__(self):\n        self.register_buffer('mean', torch.zeros(3))\n"
                  "        self.register_buffer('grid', make_grid(8))\n",
        "geometry.py": "def make_grid(n):\n    return n\n\n\ndef warp(x):\n    return x\n",
        "train.py": "import geometry\nfrom losses import smooth, focal, dice\n"
                    "LOSSES = {'smooth_ce': smooth.SmoothCE, 'focal': focal.Focal, 'dice': dice.Dice}\n"
                    "AUGS = {'flip': augs.Flip, 'crop': augs.Crop, 'jitter': jitter.Jitter}\n"
                    "geometry.warp(1)\n",
        "augs.py": "class Flip:\n    pass\n\n\nclass Crop:\n    pass\n",
        "jitter.py": "class Jitter:\n    pass\n",
        "losses/smooth.py": "class SmoothCE:\n    eps = 0.1\n",
        "losses/focal.py": "class Focal:\n    gamma = 2.0\n",
        "losses/dice.py": "class Dice:\n    pass\n",
        "configs/cifar10_resnet.yaml": "pool: mean\nloss:\n  smooth_ce: {eps: 0.1}\nself: &me {a: [*me]}\n",
        "configs/other_focal.yaml": "loss: focal  # not jitter\naug: crop\n",
        "annotations.json": "[" + ",".join(f'{{"id": {i}, "label": "jitter"}}' for i in range(60000)) + "]",
    }
    write_files(tmp_path, files)
    trees = {rel: _ast.parse(text) for rel, text in files.items() if rel.endswith(".py")}
    assert [e.key for e in registry_entries(trees["net.py"])] == []  # buffers, not choices
    picked, unpicked, configs = registry_picks(tmp_path, set(trees), trees, {"cifar10", "resnet", "cross-entropy"})
    # the loss the paper's config picks; the others of that registry are not the run's; of a registry it picks
    # nothing from, only what another config names (crop, in augs.py with flip: a file with a kept entry stays;
    # jitter, named only in a comment and a data file) ... and geometry.py is no registry's
    assert picked == {"losses/smooth.py"} and unpicked == {"losses/focal.py", "losses/dice.py"}
    assert configs == ["configs/cifar10_resnet.yaml"]
    launcher = tmp_path / "launch.py"
    launcher.write_text('"""Evaluate with: python eval.py --ckpt x"""\nimport argparse, subprocess\n'
                        "argparse.ArgumentParser(epilog='see python -m tools.sweep')\n"
                        "subprocess.run('python -m app.train task=Ours', shell=True)\n")
    assert launched_commands({launcher}) == ["-m app.train"]


def test_an_option_nothing_reads_is_no_run_value(tmp_path):
    """MNIST-1D's get_model_args() sets hidden_size 256, but no model is given it: the MLP trains at MLPBase's
    default 100, and the run ledger took 256. An option of a dict or parser that nothing reads by name, where its
    siblings are read, is listed apart; a dict read only as a whole, or options spread into a call, stay."""
    from reprokit.code.inventory import build_inventory

    files = {"train.py": "def get_model_args():\n    return {'hidden_size': 256, 'learning_rate': 0.01}\n\n\n"
                         "def train(args, model):\n    opt = make_opt(lr=args['learning_rate'])\n",
             "models.py": "import torch\n\n\nclass MLP(torch.nn.Module):\n"
                          "    def __init__(self, hidden_size=100):\n        self.hidden_size = hidden_size\n"}
    write_files(tmp_path, files)
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    reached = {(h["name"], h["value"]): h.get("reached") for h in hparams}
    assert reached[("hidden_size", 256)] is False and reached[("learning_rate", 0.01)] is not False
    assert reached[("hidden_size", 100)] is not False  # the network's own default
    (tmp_path / "train.py").write_text(files["train.py"] + "\n\ndef build(args):\n    return MLP(**args)\n")
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert all(h.get("reached") is not False for h in hparams)  # spread into a call: any option may be read


def test_a_trainers_constructor_defaults_are_code_settings(tmp_path):
    """RICE's PPO subclass (an RL algorithm, no nn.Module) sets batch_size=64 and max_grad_norm=0.5 in its
    constructor: they were not read, so the run ledger guessed the batch size. A class whose constructor takes two
    training options or more is read like a network's; one nothing builds stays apart."""
    from reprokit.code.inventory import build_inventory

    files = {"README.md": "```\npython train.py\n```\n",
             "train.py": "from algo import PPO\nmodel = PPO('MlpPolicy', env)\nmodel.learn(1000)\n",
             "algo.py": "class PPO:\n    def __init__(self, policy, env, learning_rate=3e-4, batch_size=64,\n"
                        "                 max_grad_norm=0.5, verbose=0):\n        self.batch_size = batch_size\n\n\n"
                        "class Logger:\n    def __init__(self, path='runs', every=10):\n        pass\n"}
    write_files(tmp_path, files)
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    got = {(h["scope"], h["name"]): h["value"] for h in hparams if h["kind"] == "constructor default"}
    assert got == {("PPO", "learning_rate"): 3e-4, ("PPO", "batch_size"): 64, ("PPO", "max_grad_norm"): 0.5,
                   ("PPO", "verbose"): 0}  # the Logger takes no training option


def test_a_config_get_default_is_the_value_the_run_takes_where_no_config_sets_it(tmp_path):
    """SAPG's agent reads `self.weight_decay = config.get('weight_decay', 0.0)` and its paper configs leave the
    option out: the run's weight decay is that default, at that line, not a framework default. Where a config sets
    the option, the default is only a fallback and no run value; an environment's `kwargs.get` of an option that is
    no training option (reward_sparse) and `os.environ.get` are never read as settings."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    files = {"README.md": "```\npython train.py\n```\n",
             "train.py": "import os\nfrom agent import Agent\nfrom env import Env\n"
                         "cfg = {'learning_rate': 3e-4}\nAgent(cfg).train()\nEnv(seed=os.environ.get('SEED', '0'))\n",
             "agent.py": "import torch\n\n\nclass Agent:\n    def __init__(self, config):\n"
                         "        self.lr = config.get('learning_rate', 1e-3)\n"
                         "        self.weight_decay = config.get('weight_decay', 0.0)\n"
                         "        self.name = config.get('name', 'agent')\n\n"
                         "    def train(self):\n        opt = torch.optim.Adam(self.params, self.lr, "
                         "weight_decay=self.weight_decay)\n        loss = self.loss()\n        loss.backward()\n"
                         "        opt.step()\n",
             "env.py": "class Env:\n    def __init__(self, **kwargs):\n"
                       "        self.sparse = kwargs.get('reward_sparse', False)\n"}
    write_files(tmp_path, files)
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    defaults = {h["name"]: (h["value"], h["where"]) for h in hparams if h["kind"] == "config default"}
    assert defaults == {"learning_rate": (1e-3, "agent.py:6"), "weight_decay": (0.0, "agent.py:7")}
    by_name = {k.name: k for k in KNOBS}
    decay = code_candidates(by_name["optimizer.weight_decay"], hparams)
    assert [(c["value"], c["where"]) for c in decay] == [(0.0, "agent.py:7")]
    rate = code_candidates(by_name["optimizer.lr"], hparams)  # the config dict sets it: the default is no value
    assert [(c["value"], c["where"]) for c in rate] == [(3e-4, "train.py:4")]


HYDRA_REPO = {
    "README.md": "# Alignment\n\nTo train:\n```\ncd method/train\npython train.py exp_name=first\n```\n",
    "method/train/train.py": "import hydra\nimport transformers\nimport trainers\n\n\n"
                             "@hydra.main(version_base=None, config_path='config', config_name='config')\n"
                             "def main(config):\n    kwargs = {'device_map': 'auto'} if config.trainer == 'Basic' else {}\n"
                             "    policy = transformers.AutoModelForCausalLM.from_pretrained(config.model.name_or_path, "
                             "**kwargs)\n    trainers.Trainer(policy, config).train_loop()\n",
             "method/train/trainers.py": "import torch\nfrom pairs_dataset import get_batch_iterator\n\n\n"
                                         "class Trainer:\n    def __init__(self, policy, config):\n"
                                         "        self.config, self.policy = config, policy\n\n"
                                         "    def train_loop(self):\n"
                                         "        opt = getattr(torch.optim, self.config.optimizer)(self.policy.parameters(), "
                                         "lr=self.config.lr)\n"
                                         "        for batch in get_batch_iterator(self.config.batch_size):\n"
                                         "            loss = self.loss(batch, self.config.loss.beta, self.config.loss.name)\n"
                                         "            loss.backward()\n            opt.step()\n",
             "method/train/pairs_dataset.py": "def get_batch_iterator(size):\n    for i in range(size):\n"
                                              "        yield {'x': i}\n",
             "method/train/config/config.yaml": "seed: 0\nexp_name: ???\nbatch_size: 4\nlr: 1e-6\nn_epochs: 5\n"
                                                "optimizer: RMSprop\ntrainer: Basic\n"
                                                "defaults:\n- _self_\n- model: small\n- loss: dpo\n",
             "method/train/config/loss/dpo.yaml": "name: dpo\nbeta: 0.1\n",
             "method/train/config/loss/sft.yaml": "name: sft\n",
             "method/train/config/model/small.yaml": "name_or_path: gpt2\n",
             "method/train/config/model/large.yaml": "name_or_path: gpt2-large\n",
             "eval/evaluate.py": "def load_data(path):\n    return open(path).read()\n\n\nbatch_size = 16\n"}


def test_a_hydra_entry_point_after_a_readme_cd_runs_the_configs_it_composes(tmp_path):
    """dpo_toxic (a repository whose paper is held out) trains with `cd toxicity/train_dpo; python train.py
    exp_name=...`: the entry point was missed, so an evaluation script's batch size 16 was the run's, the optimizer
    a guess (the code builds getattr(torch.optim, config.optimizer)), config.yaml's n_epochs 5 (read by no code) the
    run's epochs, and no model was found (a Hugging Face model built by name). Now: the README's `cd` names the
    script from the root; Hydra's config.yaml and the files its defaults pick (loss/dpo.yaml under `loss`) are read
    by the run, ranked first, and a command's override (`loss=sft`) picks another; an option no code reads is
    listed apart; the config's optimizer name is the run's; from_pretrained of a model class is the model; a data
    module's generator of batches is the data."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    write_files(tmp_path, HYDRA_REPO)
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert inv["entry_points"] == ["method/train/train.py"]
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert places["configs"][:3] == ["method/train/config/config.yaml", "method/train/config/model/small.yaml",
                                     "method/train/config/loss/dpo.yaml"]
    assert places["model"][0].startswith("method/train/train.py:")
    assert places["data"][0] == "method/train/pairs_dataset.py:1"  # a data module's generator of batches
    reached = {(h["name"], h["value"]): h.get("reached") for h in hparams}
    assert reached[("loss.name", "dpo")] is True and reached[("name", "sft")] is False
    assert reached[("n_epochs", 5)] is False and reached[("batch_size", 4)] is True
    assert reached[("batch_size", 16)] is False  # the evaluation script's
    knobs = {k.name: k for k in KNOBS}
    first = {name: code_candidates(knobs[name], hparams)[:1] for name in
             ("optimizer.name", "optimizer.lr", "batch.batch_size", "loss.name", "schedule.epochs")}
    assert [(c["value"], c["where"]) for c in first["optimizer.name"]] == [("rmsprop", "method/train/config/config.yaml:6")]
    assert [(c["value"], c["where"]) for c in first["optimizer.lr"]] == [(1e-6, "method/train/config/config.yaml:4")]
    assert [c["value"] for c in first["batch.batch_size"]] == [4]
    assert [(c["value"], c["where"]) for c in first["loss.name"]] == [("dpo", "method/train/config/loss/dpo.yaml:1")]
    assert first["schedule.epochs"] == []
    # a command's override of a group picks that group's other file
    readme = HYDRA_REPO["README.md"].replace("exp_name=first", "exp_name=first loss=sft")
    write_files(tmp_path, {"README.md": readme})
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    reached = {(h["name"], h["value"]): h.get("reached") for h in hparams}
    assert reached[("loss.name", "sft")] is True and reached[("name", "dpo")] is False


def test_a_readme_cd_names_scripts_from_the_root_only_into_a_folder_of_the_tree(tmp_path):
    """`cd src && python train.py`, `cd src` on its own line, `cd ..`, and a new code block starting at the root;
    `cd repo` after `git clone` is no folder of the tree and changes nothing."""
    from reprokit.code.inventory import readme_commands

    (tmp_path / "src" / "pkg").mkdir(parents=True)
    text = ("```\ngit clone https://github.com/o/repo\ncd repo\npython main.py\n```\n"
            "```\ncd src && python train.py --lr 0.1\ncd pkg\npython -m run\ncd ..\npython eval.py\n```\n"
            "```\npython top.py\n```\n")
    assert [s for _, s, _ in readme_commands(text, tmp_path)] == ["main.py", "src/train.py", "-m src.pkg.run",
                                                                  "src/eval.py", "top.py"]
    assert [s for _, s, _ in readme_commands(text)] == ["main.py", "train.py", "-m run", "eval.py", "top.py"]


def test_a_toml_config_the_run_opens_by_path_gives_its_values_and_another_phases_are_not_the_runs(tmp_path):
    """TabDiff's main loads f'{curr_dir}/configs/tabdiff_configs.toml' ([train.main] lr = 0.001, batch_size = 4096;
    [sample] batch_size = 10000): TOML was listed as a config but never read, so the run guessed its learning rate.
    Its leaves are read with their lines; a config file the run's code names by path is read by the run and ranked
    first; a [sample] (eval, test) table's batch size is that phase's, not training's; a method nothing calls that
    names a config, pyproject.toml and a conda environment (TabDiff's tabdiff.yaml, a dependency file) give none.
    The scheduler the run builds is its learning-rate schedule."""
    from reprokit.code.inventory import build_inventory, toml_leaves
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    toml = ("[data]\nname = 'adult'\n\n[train.main]\nsteps = 8000\nlr = 0.001   # the peak\nbatch_size = 4096\n"
            "check_val_every = 2000\n\n[sample]\nbatch_size = 10000\n")
    assert toml_leaves(toml) == [("data.name", "adult", 2), ("train.main.steps", 8000, 5), ("train.main.lr", 0.001, 6),
                                 ("train.main.batch_size", 4096, 7), ("train.main.check_val_every", 2000, 8),
                                 ("sample.batch_size", 10000, 11)]
    write_files(tmp_path, {
        "README.md": "```\npython main.py --dataname adult\n```\n",
        "main.py": "from method.run import main\nmain()\n",
        "method/run.py": "import os\nimport tomllib\nimport torch\n\n\ndef main():\n    here = os.path.dirname(__file__)\n"
                         "    config = tomllib.load(open(f'{here}/configs/method.toml', 'rb'))\n"
                         "    opt = torch.optim.AdamW(params, lr=config['train']['main']['lr'])\n"
                         "    train(opt, **config['train']['main'])\n"
                         "    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.9)\n    return config\n\n\n"
                         "def unused(config='method/configs/other.toml'):\n    return config\n",
        "method/configs/method.toml": toml,
        "method/configs/other.toml": "[train]\nlr = 0.5\n",
        "pyproject.toml": "[tool.ruff]\nline-length = 120\n",
        "method.yaml": "name: method\nchannels:\n- pytorch\ndependencies:\n- python=3.10\n- pytorch=2.0.1\n"})
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert {c["key"]: c["paths"] for c in inv["components"]}["configs"][0] == "method/configs/method.toml"
    reached = {(h["path"], h["name"]): h.get("reached") for h in hparams}
    assert reached[("method/configs/method.toml", "train.main.lr")] is True
    assert reached[("method/configs/other.toml", "train.lr")] is False
    assert not any(h["path"] in ("pyproject.toml", "method.yaml") for h in hparams)
    checklist = {c["item"]: c for c in inv["checklist"]["items"]}
    assert "method.yaml" in checklist["dependencies"]["evidence"]  # a conda environment, whatever its name
    knobs = {k.name: k for k in KNOBS}
    assert [(c["value"], c["where"]) for c in code_candidates(knobs["optimizer.lr"], hparams)] == [
        (0.001, "method/configs/method.toml:6")]
    assert [c["value"] for c in code_candidates(knobs["batch.batch_size"], hparams)] == [4096]
    assert [c["value"] for c in code_candidates(knobs["schedule.eval_every"], hparams)] == [2000]
    # the scheduler the run builds is its lr schedule (TabDiff's ReduceLROnPlateau was a [framework default] constant)
    assert [(c["value"], c["where"]) for c in code_candidates(knobs["schedule.lr_schedule"], hparams)] == [
        ("plateau", "method/run.py:11")]
    # several schedulers built (a dispatch on the config) tell no schedule
    run = (tmp_path / "method/run.py").read_text().replace(
        "    return config\n\n\n", "    if config['sched'] == 'cosine':\n"
        "        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 100)\n    return config\n\n\n", 1)
    write_files(tmp_path, {"method/run.py": run})
    _, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert code_candidates(knobs["schedule.lr_schedule"], hparams) == []


def test_hydra_configs_a_folder_up_their_targets_and_a_readme_of_many_examples(tmp_path):
    """The layout of the Lightning-Hydra template, which many research repositories start from: src/train.py loads
    ../configs/train.yaml; its groups' files build their objects with `_target_` (the optimizer, the scheduler);
    the README shows many example commands (`trainer=gpu`, `trainer.max_epochs=20`). The configs a folder up were
    not found ("src/../configs"), and an example's override picked another trainer file: the first command's
    overrides pick, and a `_target_` names the optimizer and the schedule the run builds."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    write_files(tmp_path, {
        "README.md": "```bash\npython src/train.py\n```\n\n```bash\npython src/train.py trainer=gpu\n```\n\n"
                     "```bash\npython src/train.py -m data.batch_size=32,64,128\n```\n",
        "src/train.py": "import hydra\n\n\n@hydra.main(version_base='1.3', config_path='../configs', config_name='train.yaml')\n"
                        "def main(cfg):\n    model = hydra.utils.instantiate(cfg.model)\n"
                        "    trainer = hydra.utils.instantiate(cfg.trainer)\n    trainer.fit(model)\n",
        "configs/train.yaml": "# @package _global_\ndefaults:\n  - _self_\n  - data: mnist\n  - model: mnist\n"
                              "  - trainer: default\n  - logger: null\nseed: 12345\n",
        "configs/data/mnist.yaml": "_target_: src.data.MNISTDataModule\nbatch_size: 128\n",
        "configs/model/mnist.yaml": "_target_: src.models.MNISTLitModule\noptimizer:\n  _target_: torch.optim.Adam\n"
                                    "  _partial_: true\n  lr: 0.001\n  weight_decay: 0.0\nscheduler:\n"
                                    "  _target_: torch.optim.lr_scheduler.ReduceLROnPlateau\n  _partial_: true\n"
                                    "  factor: 0.1\n",
        "configs/trainer/default.yaml": "_target_: lightning.pytorch.trainer.Trainer\nmax_epochs: 10\n",
        "configs/trainer/gpu.yaml": "defaults:\n  - default\naccelerator: gpu\nmax_epochs: 99\n",
        "src/data.py": "from lightning import LightningDataModule\n\n\nclass MNISTDataModule(LightningDataModule):\n"
                       "    def test_dataloader(self):\n        return self.loader('test')\n"})
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert {c["key"]: c["present"] for c in inv["components"]}["eval"] is False  # a test_dataloader() serves data
    assert {c["key"]: c["paths"] for c in inv["components"]}["configs"][:4] == [
        "configs/train.yaml", "configs/data/mnist.yaml", "configs/model/mnist.yaml", "configs/trainer/default.yaml"]
    knobs = {k.name: k for k in KNOBS}

    def first(name: str) -> tuple:
        found = code_candidates(knobs[name], hparams)
        return (found[0]["value"], found[0]["where"]) if found else ()

    assert first("optimizer.name") == ("adam", "configs/model/mnist.yaml:3")
    assert first("optimizer.lr") == (0.001, "configs/model/mnist.yaml:5")
    assert first("schedule.lr_schedule") == ("plateau", "configs/model/mnist.yaml:8")
    assert first("batch.batch_size") == (128, "configs/data/mnist.yaml:2")
    assert first("schedule.epochs") == (10, "configs/trainer/default.yaml:2")


def test_a_hugging_face_trainers_arguments_are_the_runs_settings(tmp_path):
    """Many NLP papers train with transformers' Trainer: TrainingArguments(learning_rate=2e-5, ...) was not read, and
    the inventory found no training loop and no optimizer, so the run guessed its learning rate, batch size and
    epochs. A class built with two training options or more configures the run (SB3's PPO and Lightning's Trainer
    too); a library's Trainer is the training loop; a function of the code's called with such options is not read
    this way (a notebook's contrastive_train(..., n_epochs=200) is another experiment's)."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    write_files(tmp_path, {
        "README.md": "```\npython train.py\n```\n",
        "train.py": "from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments\n\n\n"
                    "def main():\n    model = AutoModelForSequenceClassification.from_pretrained('bert-base-uncased')\n"
                    "    args = TrainingArguments(output_dir='out', learning_rate=2e-5, per_device_train_batch_size=32,\n"
                    "                             num_train_epochs=3, weight_decay=0.01, lr_scheduler_type='linear')\n"
                    "    Trainer(model=model, args=args).train()\n    probe(model, n_epochs=200, batch_size=100)\n\n\n"
                    "main()\n"})
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    places = {c["key"]: c["paths"] for c in inv["components"]}
    assert places["training_loop"] == ["train.py:8"] and places["optimizer"] == ["train.py:6"]
    assert places["model"] == ["train.py:5"]
    knobs = {k.name: k for k in KNOBS}
    got = {name: [c["value"] for c in code_candidates(knobs[name], hparams)] for name in
           ("optimizer.lr", "batch.batch_size", "schedule.epochs", "optimizer.weight_decay", "schedule.lr_schedule")}
    assert got == {"optimizer.lr": [2e-5], "batch.batch_size": [32], "schedule.epochs": [3],
                   "optimizer.weight_decay": [0.01], "schedule.lr_schedule": ["linear"]}


def test_the_shell_script_that_trains_gives_its_flags_and_an_evaluation_scripts_settings_are_not_the_runs(tmp_path):
    """SimCSE's layout: the README runs `python setup.py install` and `python evaluation.py` and names
    run_unsup_example.sh in prose; that script runs `python train.py --learning_rate 3e-5 ...` through
    transformers' Trainer (a subclass, CLTrainer). setup.py was an entry point, train.py none, the run's optimizer
    RMSprop and batch size 128 came from evaluation.py's SentEval probe, and its learning rate was a guess."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.knobs import KNOBS
    from reprokit.gaps.ledger import code_candidates

    write_files(tmp_path, {
        "README.md": "```bash\npython setup.py install\n```\n\n```bash\npython evaluation.py --model_name_or_path m\n```\n\n"
                     "In `run_unsup_example.sh` we give an example.\n",
        "setup.py": "from setuptools import setup\nsetup(name='x')\n",
        "evaluation.py": "def main():\n    params = {'task_path': 'data', 'batch_size': 128, 'optim': 'rmsprop', 'epoch_size': 2}\n"
                         "    return params\n",
        "run_unsup_example.sh": "#!/bin/bash\n\npython train.py \\\n    --num_train_epochs 1 \\\n"
                                "    --per_device_train_batch_size 64 \\\n    --learning_rate 3e-5 \\\n    --eval_steps 125\n",
        "train.py": "from trainers import CLTrainer\n\n\ndef main():\n    CLTrainer(model=model, args=args).train()\n",
        "trainers.py": "from transformers import Trainer\n\n\nclass CLTrainer(Trainer):\n    pass\n"})
    inv, hparams = build_inventory(tmp_path, {"kind": "folder"}, {"open_questions": []}, [])
    assert inv["entry_points"] == ["evaluation.py", "train.py"]
    assert {c["key"]: c["paths"] for c in inv["components"]}["training_loop"][0] == "trainers.py:4"
    knobs = {k.name: k for k in KNOBS}
    got = {name: [(c["value"], c["where"]) for c in code_candidates(knobs[name], hparams)][:1] for name in
           ("optimizer.name", "optimizer.lr", "batch.batch_size", "schedule.epochs", "schedule.eval_every")}
    assert got == {"optimizer.name": [], "optimizer.lr": [(3e-5, "run_unsup_example.sh:3")],
                   "batch.batch_size": [(64, "run_unsup_example.sh:3")], "schedule.epochs": [(1, "run_unsup_example.sh:3")],
                   "schedule.eval_every": [(125, "run_unsup_example.sh:3")]}


def test_without_code_the_inventory_says_so_rather_than_listing_every_component_missing(tmp_path):
    # a new user's stages 1-3 with `code: none` read "no: missing model definition, data loaders, ..." as if a
    # repository lacked them all
    from reprokit.code.inventory import build_inventory, render_inventory

    inv, hparams = build_inventory(tmp_path, {"kind": "none", "reason": "set by `code:` in the config"},
                                   {"open_questions": []}, [])
    text = render_inventory(inv, hparams)
    assert "- **Complete training repo:** no: there is no code; every component comes from the paper" in text


def test_the_architecture_check_compares_a_parts_size_with_that_parts_code_and_cites_the_section_path():
    """A new user's MAE paper and repository: "the decoder ... has a width of 512" under the paragraph heading
    "Decoder design." of §4.1 was compared with the encoder's embed_dim=1024 ("the paper states width 512, not 1024",
    a disagreement the upstream route reports) and cited as "§Decoder design."; decoder_embed_dim=512 was unmatched."""
    from reprokit.gaps.architecture import architecture_check

    paper = {"sections": [
        {"id": "S4", "number": "4.1", "title": "Main properties", "parent": None, "paragraphs": []},
        {"id": "S4.p1", "number": "", "title": "Decoder design.", "parent": "S4",
         "paragraphs": ["Our default is light: it has a width of 512 and a small depth."]},
        {"id": "S5", "number": "5", "title": "GAN", "parent": None,
         "paragraphs": ["The generator has 64 channels and the discriminator 128 channels."]}], "tables": []}
    hparams = [{"name": "embed_dim", "value": 1024, "path": "models.py", "line": 26, "scope": "MaskedAutoencoder"},
               {"name": "decoder_embed_dim", "value": 512, "path": "models.py", "line": 27, "scope": "MaskedAutoencoder"},
               {"name": "dec_layers", "value": 8, "path": "models.py", "line": 28, "scope": "MaskedAutoencoder"},
               {"name": "channels", "value": 128, "path": "gan.py", "line": 3, "scope": "Generator"}]
    status = {c["code"]: c["status"] for c in architecture_check(paper, hparams)}
    assert status["embed_dim=1024"] == "the paper states no width"
    assert status["decoder_embed_dim=512"] == "matches the paper (§4.1 › Decoder design)"
    assert status["dec_layers=8"] == "the paper states no layers for the decoder"
    # the discriminator's 128 channels are not the Generator class's
    assert status["channels=128"] == "the paper states channels 64, not 128"


def test_the_architecture_check_reads_the_papers_statements_and_a_word_models_short_option_names():
    """A new user's LSTM language model (salesforce/awd-lstm-lm): its --emsize 400, --nhid 1150 and --nlayers 3 were
    not compared ("the paper states width 1150; no named layer argument in the code has it"), a margin ("beating the
    state of the art by approximately 1 unit") was read as a width of 1, and a related-work section's "one or two
    layers" as the paper's. Sizes come from the statements now (a result, a cited work's, a related-work section's are
    not the paper's), and a setting that names no model is the model's where the paper sizes one kind only."""
    from reprokit.gaps.architecture import architecture_check

    paper = {"title": "T", "abstract": "", "tables": [], "algorithms": [], "sections": [
        {"id": "S2", "number": "2", "title": "Related work", "parent": None,
         "paragraphs": ["Melis et al. found that LSTMs of two layers worked best."]},
        {"id": "S5", "number": "5", "title": "Experiment details", "parent": None,
         "paragraphs": ["All experiments use a three-layer LSTM model with 1150 units in the hidden layer and an "
                        "embedding of size 400."]},
        {"id": "S6", "number": "6", "title": "Results", "parent": None,
         "paragraphs": ["Our model beats the state of the art by approximately 1 unit on PTB."]}]}
    hparams = [{"name": "emsize", "value": 400, "path": "main.py", "line": 18, "kind": "argparse default", "scope": ""},
               {"name": "nhid", "value": 1150, "path": "main.py", "line": 20, "kind": "argparse default", "scope": ""},
               {"name": "nlayers", "value": 3, "path": "main.py", "line": 22, "kind": "argparse default", "scope": ""}]
    checks = architecture_check(paper, hparams)
    assert {c["code"]: c["status"] for c in checks} == {"emsize=400": "matches the paper (§5)",
                                                        "nhid=1150": "matches the paper (§5)",
                                                        "nlayers=3": "matches the paper (§5)"}


def test_an_images_width_beside_its_height_is_no_layer_width():
    """google-research/simclr, tried as a new user's code: its results notebook's HEIGHT = 224 and WIDTH = 224 (the
    input image) were compared as a layer width ("the paper states width 2048, not 224"). A width stays a layer's
    where nothing beside it sets a height."""
    from reprokit.code.inventory import triage
    from reprokit.gaps.architecture import architecture_check

    paper = {"title": "T", "abstract": "", "tables": [], "algorithms": [], "sections": [
        {"id": "S4", "number": "4", "title": "Experiments", "parent": None,
         "paragraphs": ["The projection head is an MLP with a hidden width of 2048."]}]}
    notebook = [{"name": "HEIGHT", "value": 224, "path": "colabs/results.ipynb", "line": 3, "scope": ""},
                {"name": "WIDTH", "value": 224, "path": "colabs/results.ipynb", "line": 4, "scope": ""}]
    assert architecture_check(paper, notebook) == [
        {"where": "paper §4", "code": "-", "status": "the paper states width 2048; no named layer argument in the code has it"}]
    alone = [{"name": "width", "value": 224, "path": "model.py", "line": 9, "scope": ""}]
    assert [c["status"] for c in architecture_check(paper, alone)][0] == "the paper states width 2048, not 224"
    # nor does it answer the paper's open question on the hidden width (the run's inventory had it "resolved by code:
    # imagenet_results.ipynb WIDTH=224")
    question = [{"knob": "architecture.width", "question": "The width of the hidden layers is not given."}]
    assert triage(question, notebook)[0]["status"] == "carried forward"
    assert triage(question, alone)[0]["evidence"] == ["model.py:9 width=224"]


def test_a_language_models_batch_makers_are_its_data_loaders(tmp_path):
    """A new user's LSTM language model (salesforce/awd-lstm-lm) builds its batches with batchify and get_batch, as
    pytorch/examples' word language model and nanoGPT do, and has no DataLoader: its inventory said "data loaders:
    no" and the repository incomplete."""
    from reprokit.code.inventory import build_inventory

    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "utils.py").write_text(
        "def batchify(data, bsz):\n    nbatch = data.size(0) // bsz\n    return data.narrow(0, 0, nbatch * bsz)\n\n\n"
        "def get_batch(source, i, seq_len):\n    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len]\n")
    (tmp_path / "up" / "other.py").write_text("def get_batch_size(n):\n    return n\n")
    info = {"kind": "local", "source": str(tmp_path / "up"), "commit": ""}
    inv, _ = build_inventory(tmp_path / "up", info, {"open_questions": []}, [])
    data = next(c for c in inv["components"] if c["key"] == "data")
    assert data["present"] and data["paths"] == ["utils.py:1", "utils.py:6"]


def test_an_options_help_text_names_its_setting_and_the_loss_the_code_builds_is_recorded(tmp_path):
    """pytorch/examples' DCGAN, tried as a new user's code: its --niter ("number of epochs to train for") gave no
    training length (the run's was a guessed 1000 steps) and its nn.BCELoss() no loss (a guessed cross-entropy)."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.ledger import build_ledger

    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "main.py").write_text(
        "import argparse\nimport torch.nn as nn\n"
        "parser = argparse.ArgumentParser()\n"
        "parser.add_argument('--niter', type=int, default=25, help='number of epochs to train for')\n"
        "parser.add_argument('--nval', type=int, default=5, help='number of epochs between evaluations')\n"
        "parser.add_argument('--lr', type=float, default=0.0002, help='learning rate, default=0.0002')\n"
        "opt = parser.parse_args()\n"
        "criterion = nn.BCELoss()\n"
        "criterion_mse = nn.MSELoss(reduction='none')\n")  # a term of an objective (FOA's code), no run's loss
    info = {"kind": "local", "source": str(tmp_path / "up"), "commit": ""}
    _, hparams = build_inventory(tmp_path / "up", info, {"open_questions": []}, [])
    losses = [h for h in hparams if h["kind"] == "loss call"]
    assert len(losses) == 1 and {"name": "loss", "value": "BCELoss", "kind": "loss call"}.items() <= losses[0].items()
    paper = {"title": "T", "abstract": "", "tables": [], "algorithms": [], "sections": [
        {"id": "S4", "kind": "section", "title": "Training", "number": "4", "parent": None,
         "paragraphs": ["We train with Adam."]}]}
    ledger = {e["name"]: e for e in build_ledger(paper, hparams, {})["entries"]}
    assert (ledger["schedule.epochs"]["value"], ledger["schedule.epochs"]["tag_text"]) == (25, "[code: main.py:4]")
    assert (ledger["loss.name"]["value"], ledger["loss.name"]["tag"]) == ("bce", "code")
    assert (ledger["optimizer.lr"]["value"], ledger["optimizer.lr"]["tag"]) == (0.0002, "code")
    # "number of epochs between evaluations" is no training length
    assert not any("main.py:5" in c["tag"] for c in ledger["schedule.epochs"]["conflicts"])
    stated = {e["name"]: e for e in build_ledger({**paper, "sections": [{**paper["sections"][0], "paragraphs": [
        "We train with Adam and a mean squared error loss."]}]}, hparams, {})["entries"]}
    assert (stated["loss.name"]["value"], stated["loss.name"]["tag"]) == ("mse", "paper")


def test_an_optimizer_built_with_no_literal_argument_is_still_the_codes_optimizer(tmp_path):
    """pytorch/examples' GAT, tried as a new user's code: `optimizer = Adam(gat_net.parameters(), lr=args.lr,
    weight_decay=args.l2)` gave no fact, and a run whose paper names its optimizer in another setup's paragraph
    had a guessed optimizer."""
    from reprokit.code.inventory import build_inventory
    from reprokit.gaps.ledger import build_ledger

    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "main.py").write_text(
        "from torch.optim import SGD\n\n\ndef main(args, net):\n"
        "    optimizer = SGD(net.parameters(), lr=args.lr)\n    return optimizer\n")
    _, hparams = build_inventory(tmp_path / "up", {"kind": "local", "source": "", "commit": ""}, {"open_questions": []}, [])
    assert [(h["name"], h["kind"]) for h in hparams] == [("SGD", "optimizer call")]
    paper = {"title": "T", "abstract": "", "tables": [], "algorithms": [], "sections": [
        {"id": "S4", "kind": "section", "title": "Training", "number": "4", "parent": None,
         "paragraphs": ["We train for 10 epochs."]}]}
    name = next(e for e in build_ledger(paper, hparams, {})["entries"] if e["name"] == "optimizer.name")
    assert (name["value"], name["tag_text"]) == ("sgd", "[code: main.py:5]")
