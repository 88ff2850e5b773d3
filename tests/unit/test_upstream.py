"""The upstream route's launch spec: the entry point and how each ledger value reaches it, from the code alone."""

from __future__ import annotations

import sys

import pytest

from reprokit.errors import UserError
from reprokit.gaps.knobs import KNOBS
from reprokit.upstream.launch import command, config_copy, derive_launch, find_entry

TRAIN = """import argparse
import yaml

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--lr', type=float, default=0.1)
    p.add_argument('--batch-size', type=int, default=128)
    p.add_argument('--epochs', type=int, default=90)
    p.add_argument('--config', default='configs/base.yaml')
    args = p.parse_args()

if __name__ == '__main__':
    main()
"""
HYDRA = """import hydra

@hydra.main(config_path='conf', config_name='config')
def main(cfg):
    pass

if __name__ == '__main__':
    main()
"""


def ledger(**values):
    return {"entries": [{"name": name.replace("__", "."), "value": value, "tag": "paper", "tag_text": f"[paper §{i}]"}
                        for i, (name, value) in enumerate(values.items(), 1)]}


def write(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_each_value_reaches_the_entry_point_by_flag_or_config_key_or_is_listed_as_a_code_change(tmp_path):
    root = write(tmp_path, {"train.py": TRAIN, "configs/base.yaml": "optim:\n  weight_decay: 0.0005\n",
                            "utils.py": "X = 1\n"})
    spec = derive_launch(root, ledger(optimizer__lr=0.01, batch__batch_size=64, schedule__epochs=30,
                                      optimizer__weight_decay=0.0001, optimizer__momentum=0.9), KNOBS, [])
    assert spec["entry"]["script"] == "train.py" and "__main__" in spec["entry"]["how"]
    how = {s["name"]: (s["via"], s.get("flag") or s.get("key")) for s in spec["sets"]}
    assert how == {"optimizer.lr": ("flag", "--lr"), "batch.batch_size": ("flag", "--batch-size"),
                   "schedule.epochs": ("flag", "--epochs"), "optimizer.weight_decay": ("config key", "optim.weight_decay")}
    assert [(n["name"], n["provenance"]) for n in spec["needs_code_change"]] == [("optimizer.momentum", "[paper §5]")]
    assert command(spec) == ["train.py", "--lr", "0.01", "--batch-size", "64", "--epochs", "30",
                             "--config", "reprokit-config/configs/base.yaml"]
    assert command(spec, replaced=["--epochs"])[-4:] == ["--batch-size", "64", "--config", "reprokit-config/configs/base.yaml"]
    assert config_copy(spec, root) == ("reprokit-config/configs/base.yaml", "optim:\n  weight_decay: 0.0001\n")
    guessed = ledger(optimizer__lr=0.01)
    guessed["entries"].append({"name": "batch.batch_size", "value": 64, "tag": "guess", "tag_text": "[guess]"})
    spec = derive_launch(root, guessed, KNOBS, [])
    assert [s["name"] for s in spec["sets"]] == ["optimizer.lr"]  # a guess never replaces the code's own default
    assert spec["left_to_upstream"] == [{"name": "batch.batch_size", "value": 64, "provenance": "[guess]", "tag": "guess"}]


def test_a_hydra_app_gets_overrides_for_its_config_tree(tmp_path):
    root = write(tmp_path, {"run.py": HYDRA, "conf/config.yaml": "trainer:\n  max_epochs: 100\n",
                            "conf/optimizer/adam.yaml": "lr: 0.001\nweight_decay: 0.01\n"})
    spec = derive_launch(root, ledger(optimizer__lr=0.0005, schedule__epochs=200), KNOBS, [])
    assert command(spec) == ["run.py", "optimizer.lr=0.0005", "trainer.max_epochs=200"]


def test_the_entry_point_comes_from_the_readme_or_the_config_first(tmp_path):
    root = write(tmp_path, {"scripts/finetune.py": TRAIN, "train.py": TRAIN})
    assert find_entry(root, [("scripts/finetune.py", "README.md:4")], None)["script"] == "scripts/finetune.py"
    assert find_entry(root, [], "scripts/finetune.py")["how"] == "set by `entry:` in the config"
    assert find_entry(root, [], None)["script"] == "train.py"
    with pytest.raises(UserError, match="entry 'nope.py' is not a file of the official code"):
        find_entry(root, [], "nope.py")
    with pytest.raises(UserError, match="no README training command and no script that parses arguments"):
        find_entry(write(tmp_path / "empty", {"lib.py": "def f():\n    pass\n"}), [], None)


def test_each_metrics_source_becomes_the_harness_metrics_shape(tmp_path):
    import json

    from torch.utils.tensorboard import SummaryWriter

    from reprokit.upstream.metrics import metrics_record

    writer = SummaryWriter(str(tmp_path / "tb"))
    for step, acc in [(0, 0.1), (100, 0.55), (200, 0.8)]:
        writer.add_scalar("val/acc", acc, step)
    writer.close()
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps({"step": s, "acc": a}) for s, a in
                                                  [(0, 0.1), (100, 0.55), (200, 0.8)]) + "\n")
    (tmp_path / "log.csv").write_text("step,acc\n0,0.1\n100,0.55\n200,0.8\n")
    stdout = "epoch 1 step 100 val acc 0.55\nepoch 2 step 200 val acc 0.80\n"
    sources = [{"tensorboard": "tb", "tag": "val/acc"}, {"jsonl": "log.jsonl", "key": "acc", "step": "step"},
               {"csv": "log.csv", "column": "acc", "step": "step"},
               {"stdout": r"step (?P<step>\d+) val acc (?P<value>[\d.]+)"}]
    for source in sources:
        record = metrics_record({**source, "name": "accuracy", "scale": 100}, "resnet-seed0", "resnet", 0, tmp_path,
                                stdout=stdout)
        assert record["final"] == {"accuracy": 80.0} and record["steps"][-1] == 200, source
        assert record["primary"] == {"name": "accuracy", "unit": "percent", "direction": "higher"}


def test_a_csv_log_with_blank_cells_reads_the_rows_that_have_the_metric(tmp_path):
    """Lightning's CSV logger writes one row per training step (val_accuracy blank) and one per validation."""
    from reprokit.upstream.metrics import metrics_record

    (tmp_path / "metrics.csv").write_text("epoch,step,train_loss,val_accuracy\n0,49,2.1,\n0,49,,0.41\n1,99,1.2,\n"
                                          "1,99,,0.77\n")
    record = metrics_record({"csv": "metrics.csv", "column": "val_accuracy", "step": "step", "name": "accuracy",
                             "scale": 100}, "m-seed0", "m", 0, tmp_path)
    assert record["final"] == {"accuracy": 77.0} and record["steps"] == [49, 99]
    (tmp_path / "bad.csv").write_text("step,acc\n0,n/a\n")
    with pytest.raises(UserError, match=r"record 0 has acc = 'n/a', not a number"):
        metrics_record({"csv": "bad.csv", "column": "acc"}, "m-seed0", "m", 0, tmp_path)


def test_a_metrics_source_that_gives_nothing_is_one_sentence(tmp_path):
    from reprokit.upstream.metrics import metrics_record

    (tmp_path / "log.jsonl").write_text('{"step": 0, "loss": 2.3}\n')
    with pytest.raises(UserError, match=r"log.jsonl has no field 'acc' with a value \(it has: loss, step\)"):
        metrics_record({"jsonl": "log.jsonl", "key": "acc"}, "r-seed0", "r", 0, tmp_path)
    with pytest.raises(UserError, match=r"the pattern 'acc=\(\?P<value>\\d\+\)' matches no line; its first line reads "
                                        r"'epoch 1 val 0.5'"):
        metrics_record({"stdout": r"acc=(?P<value>\d+)"}, "r-seed0", "r", 0, tmp_path, stdout="epoch 1 val 0.5\n")
    with pytest.raises(UserError, match="wrote no"):
        metrics_record({"csv": "missing.csv", "column": "acc"}, "r-seed0", "r", 0, tmp_path)
    with pytest.raises(UserError, match=r"needs a \(\?P<value>...\) group"):
        metrics_record({"stdout": r"acc (\d+)"}, "r-seed0", "r", 0, tmp_path, stdout="acc 5")


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_code_is_the_official_tree_unmodified_then_one_commit_per_value(tmp_path):
    import hashlib

    import yaml

    from reprokit.upstream.repo import build_upstream_repo

    upstream = write(tmp_path / "upstream", {"train.py": TRAIN, "configs/base.yaml": "optim:\n  weight_decay: 0.0005\n",
                                             "README.md": "# Official code\n"})
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in upstream.rglob("*") if p.is_file()}
    spec = derive_launch(upstream, ledger(optimizer__lr=0.01, batch__batch_size=64, optimizer__momentum=0.9),
                         KNOBS, [])
    meta = {"kind": "git", "url": "https://github.com/me/foo", "commit": "a" * 40, "tree_sha256": "b" * 64}
    subjects = build_upstream_repo(upstream, meta, spec, tmp_path / "code")
    assert subjects == ["Upstream https://github.com/me/foo at aaaaaaaaaaaa, unmodified", "Launch: entry point train.py",
                        "Set optimizer.lr = 0.01 [paper §1]", "Set batch.batch_size = 64 [paper §2]",
                        "Notes: the values that need a code change"]
    code = tmp_path / "code"
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in code.rglob("*") if p.is_file()
             and ".git" not in p.parts and p.name in before}
    assert after == before  # the upstream's own files, README included, are never rewritten
    launch = yaml.safe_load((code / "reprokit-launch.yaml").read_text())
    assert launch["values"]["optimizer.lr"] == {"value": 0.01, "via": "flag", "flag": "--lr", "provenance": "[paper §1]"}
    assert "| optimizer.momentum | `0.9` | [paper §3] |" in (code / "REPRODUCTION.md").read_text()
    with pytest.raises(UserError, match="already exists"):
        build_upstream_repo(upstream, meta, spec, code)


def test_the_route_the_trust_and_an_environment_without_credentials():
    from reprokit.upstream.trust import choose_route, run_environment, trust_problem

    found = {"kind": "git", "url": "https://github.com/me/foo"}
    assert choose_route("auto", True, "auto") == "harness" and choose_route("auto", False, "auto") == "upstream"
    assert choose_route("auto", False, "none") == "harness" and choose_route("both", True, "auto") == "both"
    problem = trust_problem(False, "foo", ["train.py", "--lr", "0.01"], found)
    assert problem.startswith("the upstream route would run `python train.py --lr 0.01` from repro/foo/code/ (code "
                              "from https://github.com/me/foo") and "set `trust_upstream: true` under papers/foo" in problem
    assert trust_problem(True, "foo", ["train.py"], found) is None
    env = run_environment({"PATH": "/bin", "HOME": "/h", "GITHUB_TOKEN": "x", "HF_TOKEN": "y", "WANDB_API_KEY": "z",
                           "AWS_SECRET_ACCESS_KEY": "s", "CUDA_VISIBLE_DEVICES": "0"}, allowed=["HF_TOKEN"])
    # without its key, Weights & Biases logs offline instead of stopping the run for a login (danielmamay/grokking)
    assert env == {"PATH": "/bin", "HOME": "/h", "HF_TOKEN": "y", "CUDA_VISIBLE_DEVICES": "0", "WANDB_MODE": "offline"}
    keyed = run_environment({"PATH": "/bin", "WANDB_API_KEY": "z"}, allowed=["WANDB_API_KEY"])
    assert keyed == {"PATH": "/bin", "WANDB_API_KEY": "z"}


def tiny_wheel(folder, name="tinypkg", version="1.0"):
    """A minimal wheel on disk, so installing needs no network."""
    import base64
    import hashlib
    import zipfile

    folder.mkdir(parents=True, exist_ok=True)
    files = {f"{name}/__init__.py": "VALUE = 42\n",
             f"{name}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{name}-{version}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                                                  "Tag: py3-none-any\n"}
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{name}-{version}.dist-info/RECORD,,")
    files[f"{name}-{version}.dist-info/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(folder / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)
    return folder


@pytest.mark.parametrize("use_uv", [True, False], ids=["uv", "venv+pip"])
def test_the_official_codes_environment_is_made_from_its_requirements_and_locked(tmp_path, use_uv):
    import shutil as _shutil
    import subprocess

    from reprokit.upstream.env import make_env

    if use_uv and _shutil.which("uv") is None:
        pytest.skip("uv is not installed here (requirements.txt installs it)")
    wheels = str(tiny_wheel(tmp_path / "wheels"))
    code = write(tmp_path / "code", {"requirements.txt": "# training\ntinypkg==1.0\n", "train.py": TRAIN})
    record = make_env(code, tmp_path / "env", code / "requirements.lock", offline=True, find_links=wheels,
                      use_uv=use_uv)
    assert record["tool"] == ("uv" if use_uv else "pip") and record["requirements"] == "requirements.txt"
    assert "tinypkg==1.0" in (code / "requirements.lock").read_text()
    done = subprocess.run([record["python"], "-c", "import tinypkg; print(tinypkg.VALUE)"], capture_output=True,
                          text=True)
    assert done.stdout.strip() == "42"
    (code / "requirements.txt").write_text("surely-not-a-package-xyz==9.9\n")
    with pytest.raises(UserError, match=r"installing the official code's requirements \(requirements.txt\) failed "
                                        r"for surely-not-a-package-xyz"):
        make_env(code, tmp_path / "env2", code / "requirements.lock", offline=True, find_links=wheels, use_uv=use_uv)


def test_requirements_are_read_from_pyproject_as_data(tmp_path):
    from reprokit.upstream.env import requirements_of

    code = write(tmp_path, {"pyproject.toml": '[project]\nname = "foo"\ndependencies = ["torch>=2", "numpy"]\n',
                            "setup.py": "raise SystemExit('never run')\n"})
    assert requirements_of(code) == ("pyproject.toml", ["torch>=2", "numpy", "-e ."])  # the package itself last
    # a pyproject.toml naming no build backend (and no setup.py) is a project, not a package: `uv sync` installs
    # only its dependencies, and so does the route (danielmamay/grokking: installing it failed on its flat layout)
    (code / "setup.py").unlink()
    assert requirements_of(code) == ("pyproject.toml", ["torch>=2", "numpy"])
    (code / "pyproject.toml").write_text('[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
                                         '[project]\nname = "foo"\ndependencies = ["numpy"]\n')
    assert requirements_of(code) == ("pyproject.toml", ["numpy", "-e ."])


def test_a_package_tree_and_an_editable_line_are_installed_not_dropped(tmp_path):
    """A repository with only setup.py (openai/grok) read '0 requirement(s) from none' and `import grok` failed;
    `-e .` in a requirements file was dropped without a word."""
    from reprokit.upstream.env import requirements_of

    grok = write(tmp_path / "grok", {"setup.py": "from setuptools import setup\nsetup(name='grok', "
                                                 "install_requires=['pytorch_lightning', 'numpy'])\n"})
    assert requirements_of(grok) == ("setup.py", ["pytorch_lightning", "numpy", "-e ."])
    listed = write(tmp_path / "listed", {"requirements.txt": "torch\n-e .\n--index-url https://x\n-e ./libs/ext\n"})
    assert requirements_of(listed) == ("requirements.txt", ["torch", "-e .", "-e ./libs/ext"])
    assert requirements_of(write(tmp_path / "plain", {"train.py": "print(1)\n"})) == ("", [])


def test_the_papers_requirements_pin_what_the_code_leaves_open_and_a_bad_line_is_refused(tmp_path):
    """openai/grok's setup.py names pytorch_lightning without a version, and today's release removed what it
    calls: the paper's `requirements:` pins it (replacing the code's line) and adds what the code forgot."""
    from reprokit.upstream.env import requirements_digest, requirements_of

    grok = write(tmp_path / "grok", {"setup.py": "from setuptools import setup\nsetup(name='grok', "
                                                 "install_requires=['pytorch_lightning', 'numpy'])\n"})
    source, lines = requirements_of(grok, ["PyTorch-Lightning==1.2.10", "setuptools<81"])
    assert source == "setup.py + the paper's requirements"
    assert lines == ["numpy", "-e .", "PyTorch-Lightning==1.2.10", "setuptools<81"]
    assert requirements_digest(lines, True) != requirements_digest(requirements_of(grok)[1], True)  # a new pin rebuilds
    with pytest.raises(UserError, match=r"`requirements:` entry '-e \.\./mine' is not a requirement line"):
        requirements_of(grok, ["-e ../mine"])


@pytest.mark.parametrize("use_uv", [True, False], ids=["uv", "venv+pip"])
def test_the_official_codes_own_package_is_importable_in_its_environment(tmp_path, use_uv):
    import shutil as _shutil
    import subprocess

    from reprokit.upstream.env import make_env

    if use_uv and _shutil.which("uv") is None:
        pytest.skip("uv is not installed here (requirements.txt installs it)")
    wheels = str(tiny_wheel(tmp_path / "wheels"))
    code = write(tmp_path / "code", {"setup.py": "from setuptools import setup\nsetup(name='grokish', version='0.1', "
                                                 "packages=['grokish'], install_requires=['tinypkg==1.0'])\n",
                                     "grokish/__init__.py": "from tinypkg import VALUE\n", "scripts/train.py": TRAIN})
    record = make_env(code, tmp_path / "env", code / "requirements.lock", offline=True, find_links=wheels,
                      use_uv=use_uv, inherit=True)
    assert record["requirements"] == "setup.py" and record["installed"] == ["tinypkg==1.0", "-e ."]
    done = subprocess.run([record["python"], "-c", "import grokish; print(grokish.VALUE)"], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.stdout.strip() == "42", done.stderr[-800:]


def test_the_smoke_ladder_for_the_official_code_shrinks_the_run_and_reads_its_losses(tmp_path):
    import ast

    from reprokit.upstream.launch import argparse_options
    from reprokit.upstream.smoke import losses_from_output, shrink_args, tier_checks

    options = argparse_options(ast.parse(TRAIN + "p.add_argument('--max-steps', type=int, default=10000)\n"
                                                 "p.add_argument('--debug', action='store_true', default=False)\n"))
    assert shrink_args(options, 20) == (["--max-steps", "20", "--debug"], "from its argparse flags: --max-steps 20, --debug")
    assert shrink_args(argparse_options(ast.parse(TRAIN)), 20)[0] == ["--epochs", "1"]
    assert shrink_args([], 20)[0] == [] and "set the paper's `smoke_args`" in shrink_args([], 20)[1]
    printed = "\n".join(f"step {i} loss: {2.3 - 0.05 * i:.3f} lr=0.1" for i in range(20))
    losses = losses_from_output(printed)
    assert len(losses) == 20 and losses[0] == 2.3
    assert losses_from_output("{'loss': 1.5, 'acc': 0.2}\n{'loss': 1.2}") == [1.5, 1.2]
    assert all(c["ok"] for c in tier_checks(3, losses, {"iterations": 20}))
    noisy = tier_checks(2, [2.3, 2.9], {})  # one noisy batch: the step completed, tier 3 judges the trend
    assert [c["ok"] for c in noisy] == [True, True] and noisy[1]["detail"].startswith("2.3000 -> 2.9000 (not lower")
    assert tier_checks(2, [2.3], {})[1] == {"check": "a step completed and printed a second finite loss", "ok": False,
                                           "detail": "1 loss value(s) printed"}
    assert tier_checks(1, losses_from_output("loss: nan"), {})[0]["ok"] is False
    # a progress bar re-printing the first step's loss: one reading, not a completed second step
    bar = tier_checks(2, losses_from_output("\r 1/2 [loss=5.55]\r 1/2 [loss=5.55]\r 1/2 [loss=5.55]"), {})
    assert bar[1]["ok"] is False and "3 loss value(s) printed, all 5.55 (one step's loss re-printed" in bar[1]["detail"]
    assert tier_checks(2, [5.55, 5.55, 5.41], {})[1]["ok"] is True
    with pytest.raises(UserError, match="needs a"):
        losses_from_output("x", r"loss (\d+)")


def test_a_run_folder_links_the_code_relatively_and_keeps_what_the_run_wrote(tmp_path):
    import os

    from reprokit.upstream.run import run_view

    tree = write(tmp_path / "code", {"train.py": TRAIN, "configs/base.yaml": "a: 1\n"})
    (tree / ".git").mkdir()
    folder = run_view(tree, tmp_path / "runs" / "upstream" / "m-seed0")
    assert sorted(p.name for p in folder.iterdir()) == ["configs", "train.py"]
    assert os.readlink(folder / "train.py") == "../../../code/train.py"  # a moved project still finds its code
    (folder / "logs").mkdir()
    (folder / "configs").unlink()
    (folder / "configs").symlink_to(tmp_path)  # a stale link (an older location) is renewed
    run_view(tree, folder)
    assert os.readlink(folder / "configs") == "../../../code/configs" and (folder / "logs").is_dir()


def test_the_process_command_adds_the_seed_the_models_and_papers_arguments_and_the_shrink_last():
    from reprokit.upstream.run import process_command

    record = {"entry": {"script": "train.py"}, "options": [{"flag": "--seed", "dest": "seed", "default": 0},
                                                           {"flag": "--epochs", "dest": "epochs", "default": 3}],
              "sets": [{"name": "schedule.epochs", "value": 6, "via": "flag", "flag": "--epochs", "provenance": "p"},
                       {"name": "optimizer.lr", "value": 0.1, "via": "flag", "flag": "--lr", "provenance": "p"}]}
    args = process_command(record, "py", seed=2, model_args=["--arch", "{model}"], run_args=["--out", "{run_dir}/o"],
                           placeholders={"run_dir": "/r", "seed": 2, "model": "resnet"}, extra=["--epochs", "1"])
    assert args == ["py", "train.py", "--lr", "0.1", "--seed", "2", "--arch", "resnet", "--out", "/r/o", "--epochs", "1"]
    with pytest.raises(UserError, match="unknown placeholder"):
        process_command(record, "py", seed=0, model_args=["{gpu}"], run_args=[], placeholders={})


def test_held_out_losses_are_not_step_losses_and_the_tiers_scale_with_how_often_it_prints():
    from reprokit.upstream.smoke import losses_from_output, tier_iterations

    printed = "step 0 | loss 3.40\nstep 500 train loss: 2.2 test loss: 2.3\nval_loss=2.5\nstep 510 | loss 2.10\n"
    assert losses_from_output(printed) == [3.4, 2.2, 2.1]
    assert [tier_iterations(t, {"iterations": 20}, 10) for t in (1, 2, 3)] == [10, 20, 200]


def test_a_budget_style_step_flag_shrinks_the_smoke_runs_and_carries_the_ledgers_budget(tmp_path):
    """`--budget 10000` (steps) was not recognised: the smoke tiers could not shorten the run and the ledger's
    budget was listed as needing a code change."""
    from reprokit.upstream.smoke import shrink_args

    assert shrink_args([{"flag": "--budget", "dest": "budget", "default": 10000}], 20)[0] == ["--budget", "20"]
    root = write(tmp_path, {"train.py": "import argparse\np = argparse.ArgumentParser()\n"
                                        "p.add_argument('--budget', type=int, default=10000)\np.parse_args()\n"})
    spec = derive_launch(root, ledger(schedule__total_steps=3000), KNOBS, [], "train.py")
    assert [(s["name"], s["flag"], s["value"]) for s in spec["sets"]] == [("schedule.total_steps", "--budget", 3000)]


def test_the_runtime_estimate_uses_the_measured_seconds_per_step_and_the_full_runs_length(tmp_path):
    import json

    from reprokit.upstream.smoke import upstream_status

    record = {"entry": {"script": "train.py"}, "command": ["train.py"], "tree": "code",
              "sets": [{"name": "schedule.epochs", "value": 6, "via": "flag", "flag": "--epochs", "provenance": "p"}],
              "needs_code_change": [{"name": "data.train_size", "value": 512, "provenance": "p", "why": "w"}],
              "left_to_upstream": [{"name": "batch.batch_size", "value": 64, "provenance": "g", "tag": "guess"}],
              "options": [{"flag": "--max-steps", "dest": "max_steps", "default": -1},
                          {"flag": "--epochs", "dest": "epochs", "default": 3}]}
    (tmp_path / "upstream_launch.json").write_text(json.dumps(record))
    tiers = []
    for tier, steps, wall in ((1, 1, 2.1), (2, 2, 2.2), (3, 20, 4.0)):
        tiers.append(tmp_path / f"tier{tier}.json")
        tiers[-1].write_text(json.dumps({"tier": tier, "name": "t", "passed": True, "checks": [{"model": "m"}],
                                         "wall_seconds": {"m": wall}, "iterations": steps,
                                         "shrink": ["--max-steps", str(steps)], "shrink_how": "from its argparse flags"}))
    status = upstream_status(str(tmp_path / "upstream_launch.json"), [str(t) for t in tiers], str(tmp_path / "s.md"),
                             str(tmp_path / "s.json"))
    estimate = status["estimates"]["m"]
    assert estimate["total"] == 6 * 8 and estimate["seconds_per_unit"] == pytest.approx(0.1)  # (4.0 - 2.1) / 19
    assert estimate["estimated_seconds"] == pytest.approx(2.0 + 0.1 * 48, abs=0.05)


def test_route_settings_are_checked_before_any_job():
    from reprokit.config import route_settings_problem

    ok = {"code": "auto", "task": None, "metrics_from": {"jsonl": "m.jsonl", "key": "acc"}}
    assert route_settings_problem(ok) is None and route_settings_problem({**ok, "metrics_from": None}) is None
    assert "exactly one of" in route_settings_problem({**ok, "metrics_from": {"jsonl": "a", "csv": "b", "key": "k"}})
    assert route_settings_problem({**ok, "metrics_from": {"csv": "b"}}) == "metrics_from: a csv source needs `column`"
    assert "but no `task` is set" in route_settings_problem({**ok, "implementation": "both"})
    # stage 5 once refused it, after data/dataset.npz was gone
    assert "`harness` trains the task's reimplementation, but no `task` is set" in route_settings_problem(
        {**ok, "implementation": "harness"})
    # `auto` without a task or code is stages 1-3 only (the core ledger): nothing to refuse before any job
    assert route_settings_problem({**ok, "code": "none"}) is None
    assert "but `code` is none" in route_settings_problem({**ok, "implementation": "upstream", "code": "none"})


def test_an_argparse_option_is_named_by_its_first_long_flag_or_its_dest():
    import ast

    from reprokit.code.inventory import argparse_dest

    calls = ["p.add_argument('--batch-size', '-b', default=32)", "p.add_argument('-i', '--input-file')",
             "p.add_argument('-l', default=1, dest='learning_rate')", "p.add_argument('data')"]
    assert [argparse_dest(ast.parse(c).body[0].value) for c in calls] == ["batch_size", "input_file", "learning_rate",
                                                                           "data"]


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_a_changed_ledger_is_committed_on_top_and_another_upstream_is_refused(tmp_path):
    from reprokit.upstream.repo import update_upstream_repo

    upstream = write(tmp_path / "upstream", {"train.py": TRAIN, "configs/base.yaml": "optim:\n  weight_decay: 0.0\n"})
    meta = {"kind": "git", "url": "https://github.com/me/foo", "commit": "a" * 40}
    update_upstream_repo(upstream, meta, derive_launch(upstream, ledger(optimizer__lr=0.01), KNOBS, []), tmp_path / "c")
    subjects = update_upstream_repo(upstream, meta, derive_launch(upstream, ledger(optimizer__lr=0.02,
                                                                                  optimizer__weight_decay=0.1), KNOBS,
                                                                  []), tmp_path / "c")
    assert subjects[-3:] == ["Set optimizer.lr = 0.02 [paper §1]", "Set optimizer.weight_decay = 0.1 [paper §2]",
                             "Config copy: reprokit-config/configs/base.yaml with the launch's keys set"]
    assert update_upstream_repo(upstream, meta, derive_launch(upstream, ledger(optimizer__lr=0.02,
                                                                               optimizer__weight_decay=0.1), KNOBS, []),
                                tmp_path / "c") == subjects  # nothing changed: no commit
    with pytest.raises(UserError, match="was built from the official code at aaaaaaaaaaaa, but stage 2 now "
                                        "brought bbbbbbbbbbbb; move .* aside to rebuild it"):
        update_upstream_repo(upstream, {**meta, "commit": "b" * 40}, derive_launch(upstream, ledger(), KNOBS, []),
                             tmp_path / "c")


def test_a_json_config_and_environment_variables_are_routes_too(tmp_path):
    from reprokit.upstream.launch import launch_environment

    script = TRAIN.replace("default='configs/base.yaml'", "default='configs/run.json'").replace(
        "    args = p.parse_args()\n", "    args = p.parse_args()\n    clip = float(os.environ.get('GRAD_CLIP', 1.0))\n")
    root = write(tmp_path, {"train.py": "import os\n" + script, "configs/run.json": '{"optim": {"momentum": 0.0}}'})
    spec = derive_launch(root, ledger(optimizer__momentum=0.9, tricks__grad_clip=0.5), KNOBS, [])
    how = {s["name"]: (s["via"], s["key"]) for s in spec["sets"]}
    assert how == {"optimizer.momentum": ("config key", "optim.momentum"),
                   "tricks.grad_clip": ("environment variable", "GRAD_CLIP")}
    assert config_copy(spec, root) == ("reprokit-config/configs/run.json", '{\n  "optim": {\n    "momentum": 0.9\n  }\n}\n')
    assert launch_environment(spec) == {"GRAD_CLIP": "0.5"}


def test_a_run_shortened_by_epochs_runs_as_many_epochs_as_the_losses_need(tmp_path):
    import json

    from reprokit.upstream.smoke import epochs_for

    assert epochs_for(20, str(tmp_path / "tier3.json")) == 1  # before tier 1: one epoch
    (tmp_path / "tier1.json").write_text(json.dumps({"losses_printed": {"min": 6, "by_model": {"m": 6}}}))
    assert (epochs_for(2, str(tmp_path / "tier2.json")), epochs_for(20, str(tmp_path / "tier3.json"))) == (1, 4)


def test_a_metrics_file_a_killed_attempt_left_is_not_read_as_the_runs(tmp_path):
    """Lightning's CSV logger writes version_0/ in a killed attempt and version_1/ in the retry: a metrics_from
    pointing at version_0 would read the killed attempt's numbers; it is refused, naming what the retry wrote."""
    import os
    import time

    from reprokit.upstream.metrics import stale_source

    old = tmp_path / "logs" / "version_0" / "metrics.csv"
    old.parent.mkdir(parents=True)
    old.write_text("step,acc\n0,0.1\n")
    os.utime(old, (time.time() - 600, time.time() - 600))
    started = time.time() - 60
    new = tmp_path / "logs" / "version_1" / "metrics.csv"
    new.parent.mkdir(parents=True)
    new.write_text("step,acc\n0,0.9\n")
    problem = stale_source({"csv": "logs/version_0/metrics.csv", "column": "acc"}, tmp_path, started)
    assert "logs/version_0/metrics.csv was last written before the run's last attempt started" in problem
    assert "this attempt wrote logs/version_1/metrics.csv" in problem
    assert stale_source({"csv": "logs/version_1/metrics.csv", "column": "acc"}, tmp_path, started) is None
    assert stale_source({"csv": "logs/version_0/metrics.csv", "column": "acc"}, tmp_path, None) is None  # older run.json


def test_an_inherited_package_is_not_installed_again_as_a_dependency(tmp_path):
    """pytorch_lightning pulled a second torch (5.3 GB) though torch was inherited: a requirement whose own
    dependency the workflow's environment holds (here pyyaml) installs offline, taking that dependency from it."""
    import subprocess

    from reprokit.upstream.env import make_env

    wheels = tmp_path / "wheels"
    src = write(tmp_path / "dep", {"pyproject.toml": '[project]\nname = "dependent"\nversion = "1.0"\n'
                                                     'dependencies = ["pyyaml"]\n[build-system]\nrequires = ["setuptools"]\n'
                                                     'build-backend = "setuptools.build_meta"\n',
                                   "dependent/__init__.py": "import yaml\n"})
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(wheels),
                    str(src)], check=True)
    code = write(tmp_path / "code", {"requirements.txt": "dependent==1.0\n", "train.py": TRAIN})
    record = make_env(code, tmp_path / "env", code / "requirements.lock", offline=True, find_links=str(wheels),
                      inherit=True)
    assert record["tool"] == "pip"
    done = subprocess.run([record["python"], "-c", "import dependent, yaml; print(yaml.__file__)"], capture_output=True,
                          text=True)
    assert done.returncode == 0 and str(tmp_path / "env") not in done.stdout, done.stderr[-600:]
    # the record says what the environment holds (as pip freeze lists it), its size, and no own copy of an
    # inherited package; a requirement pinning another version of one is installed, and the record names it
    assert record["packages"]["dependent"] == "1.0" and record["size_mb"] > 0 and record["own_copies"] == {}
    tiny_wheel(wheels, name="pyyaml", version="0.0.1")
    (code / "requirements.txt").write_text("dependent==1.0\npyyaml==0.0.1\n")
    pinned = make_env(code, tmp_path / "env2", code / "requirements.lock", offline=True, find_links=str(wheels),
                      inherit=True)
    import yaml

    assert pinned["own_copies"] == {"pyyaml": f"0.0.1 here, {yaml.__version__} in the workflow's environment"}


def test_options_defined_in_the_modules_a_script_calls_are_routes(tmp_path):
    """`parser = pkg.training.add_args()` (openai/grok's layout): the flags live in another module, some in a
    model class's add_model_specific_args; each is a route, with the line it is defined at."""
    from reprokit.upstream.launch import routes

    code = write(tmp_path, {
        "scripts/train.py": "import pkg\nimport os\n\nparser = pkg.training.add_args()\nargs = parser.parse_args()\n"
                            "print(os.environ.get('X'))\n",
        "pkg/__init__.py": "from . import training\n",
        "pkg/training.py": ("from argparse import ArgumentParser\n\n\nclass Model:\n    @staticmethod\n"
                            "    def add_model_specific_args(parser):\n"
                            "        parser.add_argument('--max_lr', type=float, default=1e-3)\n"
                            "        parser.add_argument('--batchsize', type=int, default=0)\n        return parser\n\n\n"
                            "def add_args(parser=None):\n    parser = parser or ArgumentParser()\n"
                            "    parser.add_argument('--max_steps', type=int, default=100000)\n"
                            "    return Model.add_model_specific_args(parser)\n\n\n"
                            "def unrelated():\n    ArgumentParser().add_argument('--other', default=1)\n")})
    flags = {r["flag"]: r["defined_in"] for r in routes(code, "scripts/train.py") if r["via"] == "flag"}
    assert flags == {"--max_steps": "pkg/training.py:14", "--max_lr": "pkg/training.py:7",
                     "--batchsize": "pkg/training.py:8"}


def test_a_value_stated_for_one_model_reaches_only_that_models_runs(tmp_path):
    """The GRU's hidden size (6) was passed as --hidden_size 6 to every model, and the official MLP trained 6 wide."""
    from reprokit.gaps.knobs import Knob
    from reprokit.upstream.run import process_command

    code = write(tmp_path, {"train.py": "import argparse\np = argparse.ArgumentParser()\n"
                                        "p.add_argument('--hidden_size', type=int, default=100)\n"
                                        "p.add_argument('--lr', type=float, default=0.1)\np.parse_args()\n",
                            "conf.yaml": "hidden_size: 100\n"})
    gru = Knob("architecture.gru.hidden_size", int, r"^hidden size$", model="gru", code=(r"^hidden_size$", r".*"))
    entries = ledger(optimizer__lr=0.01)["entries"] + [
        {"name": "architecture.gru.hidden_size", "value": 6, "tag": "paper", "tag_text": "[paper §3]", "model": "gru"}]
    spec = derive_launch(code, {"entries": entries}, [*KNOBS, gru], [], "train.py")
    scoped = next(s for s in spec["sets"] if s["name"] == "architecture.gru.hidden_size")
    assert scoped["model"] == "gru" and scoped["flag"] == "--hidden_size"
    assert command(spec) == ["train.py", "--lr", "0.01"]
    record = {**spec, "options": spec["options"]}
    for model, wanted in (("mlp", []), ("gru", ["--hidden_size", "6"])):
        args = process_command(record, "python", seed=None, model_args=[], run_args=[],
                               placeholders={"model": model, "run_dir": ".", "seed": 0})
        assert args == ["python", "train.py", "--lr", "0.01", *wanted], model


def test_a_wrapper_committed_in_code_is_an_entry_point_for_a_library_repository(tmp_path):
    """greydanus/mnist1d trains through a library function and notebooks: no script to run. A wrapper you commit
    in code/ is accepted as `entry:` (once refused as 'not a file of the official code'), its flags are routes."""
    upstream = write(tmp_path / "upstream", {"mylib/train.py": "def train(lr=0.1, steps=100):\n    return lr\n"})
    tree = write(tmp_path / "code", {"mylib/train.py": "def train(lr=0.1, steps=100):\n    return lr\n",
                                     "run_repro.py": "import argparse\nfrom mylib.train import train\n"
                                                     "p = argparse.ArgumentParser()\np.add_argument('--lr', type=float)\n"
                                                     "p.add_argument('--total_steps', type=int)\na = p.parse_args()\n"
                                                     "train(a.lr, a.total_steps)\n"})
    spec = derive_launch(upstream, ledger(optimizer__lr=0.01, schedule__total_steps=8000), KNOBS, [], "run_repro.py",
                         tree)
    assert spec["entry"]["yours"] and "your file in" in spec["entry"]["how"]
    assert command(spec) == ["run_repro.py", "--lr", "0.01", "--total_steps", "8000"]
    with pytest.raises(UserError, match=r"entry 'run_repro.py' is not a file of the official code in .* \(or commit "
                                        r"your wrapper script"):
        derive_launch(upstream, ledger(optimizer__lr=0.01), KNOBS, [], "run_repro.py")


def test_a_value_the_code_already_uses_needs_no_code_change(tmp_path):
    """kuangliu/pytorch-cifar exposes only --lr; its SGD call already uses the paper's momentum and weight decay."""
    import json as _json

    from reprokit.upstream.implement import already_in_code

    code = write(tmp_path, {"main.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr')\n"})
    spec = derive_launch(code, ledger(optimizer__lr=0.1, optimizer__momentum=0.9, optimizer__weight_decay=5e-4),
                         KNOBS, [], "main.py")
    assert {n["name"] for n in spec["needs_code_change"]} == {"optimizer.momentum", "optimizer.weight_decay"}
    hparams = tmp_path / "code_hparams.json"
    hparams.write_text(_json.dumps({"hparams": [
        {"name": "SGD.momentum", "value": 0.9, "path": "main.py", "line": 8, "kind": "optimizer argument", "scope": "m"},
        {"name": "SGD.weight_decay", "value": 1e-4, "path": "main.py", "line": 8, "kind": "optimizer argument",
         "scope": "m"}]}))
    already_in_code(spec, KNOBS, hparams)
    assert [(n["name"], n["where"]) for n in spec["already_in_code"]] == [("optimizer.momentum", "main.py:8")]
    assert [n["name"] for n in spec["needs_code_change"]] == ["optimizer.weight_decay"]  # 1e-4 in code, not 5e-4


CLI_SCRIPTS = {
    "click": ("import click\n\n\n@click.command()\n@click.option('--lr', '-l', default=0.1, type=float)\n"
              "@click.option('--batch-size', default=32)\n@click.option('--epochs', 'n_epochs', default=10)\n"
              "def main(lr, batch_size, n_epochs):\n    pass\n\n\nif __name__ == '__main__':\n    main()\n"),
    "typer": ("import typer\n\n\ndef main(lr: float = 0.1, batch_size: int = 32,\n"
              "         epochs: int = typer.Option(10, '--num-epochs')):\n    pass\n\n\n"
              "if __name__ == '__main__':\n    typer.run(main)\n"),
    "fire": ("import fire\n\n\ndef train(lr=0.1, batch_size=32, epochs=10):\n    pass\n\n\n"
             "if __name__ == '__main__':\n    fire.Fire(train)\n"),
    "dataclass": ("from dataclasses import dataclass, field\n\nfrom transformers import HfArgumentParser\n\n"
                  "from conf import TrainArgs\n\n\n@dataclass\nclass ModelArgs:\n    hidden: int = 64\n\n\n"
                  "if __name__ == '__main__':\n    model, train = HfArgumentParser((ModelArgs, TrainArgs)).parse_args_into_dataclasses()\n"),
    "tyro": ("import dataclasses\n\nimport tyro\n\n\n@dataclasses.dataclass\nclass Config:\n    lr: float = 0.1\n"
             "    batch_size: int = 32\n    epochs: int = 10\n\n\nif __name__ == '__main__':\n    tyro.cli(Config)\n"),
}
CONF = ("from dataclasses import dataclass, field\n\n\n@dataclass\nclass TrainArgs:\n    learning_rate: float = 5e-5\n"
        "    per_device_train_batch_size: int = field(default=8)\n    num_train_epochs: int = 3\n")


@pytest.mark.parametrize(("kind", "expected"), [
    ("click", {"--lr": ("lr", 0.1), "--batch-size": ("batch_size", 32), "--epochs": ("n_epochs", 10)}),
    ("typer", {"--lr": ("lr", 0.1), "--batch-size": ("batch_size", 32), "--num-epochs": ("epochs", 10)}),
    ("fire", {"--lr": ("lr", 0.1), "--batch_size": ("batch_size", 32), "--epochs": ("epochs", 10)}),
    ("dataclass", {"--hidden": ("hidden", 64), "--learning_rate": ("learning_rate", 5e-5),
                   "--per_device_train_batch_size": ("per_device_train_batch_size", 8),
                   "--num_train_epochs": ("num_train_epochs", 3)}),
    ("tyro", {"--lr": ("lr", 0.1), "--batch-size": ("batch_size", 32), "--epochs": ("epochs", 10)}),
])
def test_click_typer_fire_and_dataclass_config_options_are_routes(tmp_path, kind, expected):
    """Not only argparse: the options click, typer and fire make of a function, and the fields of a dataclass config
    (defined in the script or imported from a local module) that HfArgumentParser or tyro turn into flags."""
    from reprokit.upstream.launch import find_entry, routes

    code = write(tmp_path, {"train.py": CLI_SCRIPTS[kind], "conf.py": CONF})
    assert find_entry(code, [], None)["script"] == "train.py"  # found as a script that parses its arguments
    got = {r["flag"]: (r["param"], r["upstream_default"]) for r in routes(code, "train.py") if r["via"] == "flag"}
    assert got == expected
    if kind == "dataclass":
        defined = {r["flag"]: r["defined_in"] for r in routes(code, "train.py") if r["via"] == "flag"}
        assert defined["--learning_rate"] == "conf.py:6" and defined["--hidden"] == "train.py:10"
    spec = derive_launch(code, ledger(optimizer__lr=0.01, batch__batch_size=64, schedule__epochs=30), KNOBS, [])
    assert {s["name"]: s["flag"] for s in spec["sets"]} == {
        "optimizer.lr": next(f for f, (p, _) in expected.items() if "lr" in p or "learning_rate" in p),
        "batch.batch_size": next(f for f, (p, _) in expected.items() if "batch" in p),
        "schedule.epochs": next(f for f, (p, _) in expected.items() if "epoch" in p)}


FIT = ("import json\n\n\ndef fit(learning_rate=0.1, total_steps=100, batch_size=32, seed=0):\n"
       "    for step in range(1, total_steps + 1):\n        print(f'step {step} loss {1.0 / (step * learning_rate):.4f}')\n"
       "    return {'accuracy': [50.0, 50.0 + total_steps], 'lr': learning_rate}\n\n\n"
       "def needs_objects(dataset, model, learning_rate=0.1):\n    pass\n")


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_a_function_entry_runs_through_the_workflows_own_launcher_committed_apart(tmp_path):
    """Code that trains through a function (no command line): `entry: pkg.trainer:fit` gets the workflow's own
    launcher, committed into code/ as its own commit; the function's parameters are its flags."""
    import json
    import subprocess

    from reprokit.upstream.repo import update_upstream_repo

    upstream = write(tmp_path / "upstream", {"pkg/__init__.py": "", "pkg/trainer.py": FIT})
    spec = derive_launch(upstream, ledger(optimizer__lr=0.01, schedule__total_steps=3, batch__batch_size=64), KNOBS,
                         [], "pkg.trainer:fit")
    assert spec["entry"]["launcher"] and spec["entry"]["file"] == "pkg/trainer.py"
    assert {s["name"]: (s["flag"], s["defined_in"]) for s in spec["sets"]} == {
        "optimizer.lr": ("--learning_rate", "pkg/trainer.py:4"), "schedule.total_steps": ("--total_steps", "pkg/trainer.py:4"),
        "batch.batch_size": ("--batch_size", "pkg/trainer.py:4")}
    assert command(spec) == ["reprokit_launcher.py", "--learning_rate", "0.01", "--total_steps", "3", "--batch_size", "64"]
    meta = {"kind": "git", "url": "https://github.com/me/foo", "commit": "a" * 40}
    subjects = update_upstream_repo(upstream, meta, spec, tmp_path / "code")
    assert subjects[1] == "Launcher: reprokit_launcher.py calls pkg.trainer:fit"
    assert (tmp_path / "code/pkg/trainer.py").read_text() == FIT  # the official files are unchanged
    assert "the workflow's launcher `reprokit_launcher.py`, which calls `pkg.trainer:fit`" in \
        (tmp_path / "code/REPRODUCTION.md").read_text()
    run = tmp_path / "run"
    run.mkdir()
    done = subprocess.run([sys.executable, str(tmp_path / "code" / command(spec)[0]), *command(spec)[1:], "--seed", "1"],
                          cwd=run, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["step 1 loss 100.0000", "step 2 loss 50.0000", "step 3 loss 33.3333"]
    assert json.loads((run / "reprokit_result.json").read_text()) == {"accuracy": [50.0, 53.0], "lr": 0.01}
    # a path form names the same function; one whose parameters need objects is refused with the way out
    assert derive_launch(upstream, ledger(), KNOBS, [], "pkg/trainer.py:fit")["entry"]["file"] == "pkg/trainer.py"
    with pytest.raises(UserError, match=r"takes dataset, model without a default, and no ledger value gives them; "
                                        r"build them with the repository's own functions in the paper's `entry_args` "
                                        r"\(docs/upstream.md shows this for the MNIST-1D"):
        derive_launch(upstream, ledger(optimizer__lr=0.01), KNOBS, [], "pkg.trainer:needs_objects")
    with pytest.raises(UserError, match=r"defines no top-level function nope"):
        derive_launch(upstream, ledger(), KNOBS, [], "pkg.trainer:nope")


def test_a_module_entry_runs_with_python_dash_m(tmp_path):
    upstream = write(tmp_path, {"pkg/__init__.py": "", "pkg/train.py": TRAIN})
    spec = derive_launch(upstream, ledger(optimizer__lr=0.01), KNOBS, [], "-m pkg.train")
    assert spec["entry"]["module"] == "pkg.train" and command(spec)[:4] == ["-m", "pkg.train", "--lr", "0.01"]
    with pytest.raises(UserError, match=r"no module pkg.missing \(pkg/missing.py or pkg/missing/__main__.py\)"):
        derive_launch(upstream, ledger(), KNOBS, [], "-m pkg.missing")


def test_the_readmes_shell_script_running_a_module_is_the_entry_point(tmp_path):
    from reprokit.upstream.implement import readme_scripts

    upstream = write(tmp_path, {"README.md": "```\n./scripts/train.sh Task\n```\n",
                                "scripts/train.sh": "python3 -m pkg.train --task=$1\n", "pkg/__init__.py": "",
                                "pkg/train.py": TRAIN})
    found = find_entry(upstream, readme_scripts(upstream), None)
    assert (found["script"], found["module"]) == ("pkg/train.py", "pkg.train")
    assert found["how"] == "the README's training command (README.md:2), the python command in scripts/train.sh"


def test_a_python_version_for_the_official_code_needs_its_own_packages_and_uv(tmp_path, monkeypatch):
    """`python: "3.8"` (the official code's interpreter, uv-managed): the workflow's packages (built for its own
    Python) cannot be shared, and without uv there is no way to fetch it: each said in one sentence, before any
    environment is made; the workflow's own version needs neither."""
    from reprokit.upstream import env as env_module

    code = write(tmp_path / "code", {"train.py": TRAIN})
    with pytest.raises(UserError, match=r"`python: 3.8` differs from the workflow's Python .* set the paper's "
                                        r"`inherit_packages: false` as well"):
        env_module.make_env(code, tmp_path / "env", code / "requirements.lock", python="3.8", inherit=True)
    monkeypatch.setattr(env_module, "find_uv", lambda: None)
    with pytest.raises(UserError, match=r"`python: 3.8` needs uv to fetch that interpreter; install uv"):
        env_module.make_env(code, tmp_path / "env", code / "requirements.lock", python="3.8", inherit=False)
    assert not (tmp_path / "env").exists()
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    record = env_module.make_env(code, tmp_path / "env", code / "requirements.lock", python=here, inherit=True)
    assert record["packages"] is not None and (tmp_path / "env" / "bin" / "python").exists()


def test_the_official_codes_own_package_is_not_a_second_copy(tmp_path):
    """The MNIST-1D repository installs itself (-e .) over the workflow's mnist1d: that is the code's own package,
    not a second copy to warn of; a pinned other version of a workflow package is."""
    import json

    import numpy
    import yaml

    from reprokit.upstream.env import own_copies

    site = tmp_path / "env" / "lib" / "python3.11" / "site-packages"
    (site / "PyYAML-0.0.1.dist-info").mkdir(parents=True)
    (site / "numpy-0.0.post7.dist-info").mkdir()
    (site / "numpy-0.0.post7.dist-info" / "direct_url.json").write_text(json.dumps(
        {"url": "file:///work/code", "dir_info": {"editable": True}}))
    assert own_copies(tmp_path / "env", inherit=True) == {
        "pyyaml": f"0.0.1 here, {yaml.__version__} in the workflow's environment"}
    assert numpy.__version__ and own_copies(tmp_path / "env", inherit=False) == {}


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="git is not installed")
def test_an_entry_of_yours_that_does_not_exist_yet_gets_code_made_ready_for_it(tmp_path):
    """The MNIST-1D worked example: `entry: train_mnist1d.py` (your wrapper) cannot be committed before code/
    exists, and code/ was made only once the entry was found. Now the first run makes code/ (the official tree,
    unmodified) and stops saying where to commit the script; with it committed, the launch runs it."""
    import json
    import subprocess

    from reprokit.upstream.implement import implement_upstream

    upstream = write(tmp_path / "upstream", {"mylib/__init__.py": "", "mylib/fit.py": "def fit(lr=0.1):\n    return lr\n"})
    (tmp_path / "gaps.json").write_text(json.dumps(ledger(optimizer__lr=0.01)))
    (tmp_path / "upstream.json").write_text(json.dumps({"kind": "local", "path": str(upstream), "tree_sha256": "ab"}))
    args = (str(tmp_path / "gaps.json"), str(tmp_path / "upstream.json"), str(upstream), None, "run_fit.py",
            str(tmp_path / "code"), str(tmp_path / "launch.json"))
    with pytest.raises(UserError, match=r"entry 'run_fit.py' is not a file of the official code, so it must be yours: "
                                        r".*code now holds the official tree; commit your script there as run_fit.py"):
        implement_upstream(*args)
    assert (tmp_path / "code/mylib/fit.py").is_file() and not (tmp_path / "launch.json").exists()
    (tmp_path / "code/run_fit.py").write_text("import argparse\np = argparse.ArgumentParser()\n"
                                              "p.add_argument('--lr', type=float)\np.parse_args()\n")
    subprocess.run(["git", "-C", str(tmp_path / "code"), "-c", "user.name=R", "-c", "user.email=r@x", "add", "-A"],
                   check=True)
    subprocess.run(["git", "-C", str(tmp_path / "code"), "-c", "user.name=R", "-c", "user.email=r@x", "commit", "-qm",
                    "my wrapper"], check=True)
    record = implement_upstream(*args)
    assert record["entry"]["yours"] and record["command"] == ["run_fit.py", "--lr", "0.01"]


def test_absl_flags_and_an_ml_collections_config_are_routes(tmp_path):
    """JAX-style repositories: absl's flags.DEFINE_* and ml_collections' config file flag, whose get_config()
    keys are set as --config.<key>."""
    from reprokit.upstream.launch import routes

    code = write(tmp_path, {
        "main.py": ("from absl import app, flags\nfrom ml_collections import config_flags\n\n"
                    "FLAGS = flags.FLAGS\nflags.DEFINE_integer('batch_size', 128, 'per device')\n"
                    "config_flags.DEFINE_config_file('config', 'configs/default.py', 'the config')\n\n\n"
                    "def main(argv):\n    pass\n\n\nif __name__ == '__main__':\n    app.run(main)\n"),
        "configs/default.py": ("import ml_collections\n\n\ndef get_config():\n    config = ml_collections.ConfigDict()\n"
                               "    config.optimizer = ml_collections.ConfigDict()\n    config.optimizer.lr = 0.1\n"
                               "    config.num_epochs = 90\n    return config\n")})
    assert find_entry(code, [], None)["script"] == "main.py"
    got = {r["flag"]: (r["param"], r["upstream_default"], r["defined_in"]) for r in routes(code, "main.py")
           if r["via"] == "flag"}
    assert got == {"--batch_size": ("batch_size", 128, "main.py:5"),
                   "--config.optimizer.lr": ("lr", 0.1, "configs/default.py:7"),
                   "--config.num_epochs": ("num_epochs", 90, "configs/default.py:8")}
    spec = derive_launch(code, ledger(optimizer__lr=0.01, schedule__epochs=30, batch__batch_size=64), KNOBS, [])
    assert command(spec) == ["main.py", "--config.optimizer.lr", "0.01", "--config.num_epochs", "30",
                             "--batch_size", "64"]


def test_a_share_the_code_takes_in_percent_is_passed_times_100_and_leave_to_code_keeps_a_value_back():
    """grok's --train_data_pct takes the paper's 50% training share as 50; a value its flag mishandles (grok's
    float --batchsize breaks its own slicing) is kept from the launch by the paper's `leave_to_code`."""
    code = {"train.py": """import argparse
p = argparse.ArgumentParser()
p.add_argument('--train_data_pct', type=float, default=5)
p.add_argument('--batchsize', type=float, default=0)
p.add_argument('--max_lr', type=float, default=1e-3)
args = p.parse_args()
"""}
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        root = write(Path(folder), code)
        spec = derive_launch(root, ledger(data__train_share=0.5, batch__batch_size=512, optimizer__lr=0.01), KNOBS,
                             [], "train.py", leave=["batch.batch_size"])
    sets = {s["name"]: s for s in spec["sets"]}
    assert sets["data.train_share"]["flag"] == "--train_data_pct" and sets["data.train_share"]["value"] == 50
    assert sets["optimizer.lr"]["value"] == 0.01 and "converted" not in sets["optimizer.lr"]
    assert "batch.batch_size" not in sets
    assert spec["left_by_config"] == [{"name": "batch.batch_size", "value": 512, "provenance": "[paper §2]",
                                       "flag": "--batchsize"}]


def test_a_first_update_at_learning_rate_zero_is_not_a_run_that_never_stepped(tmp_path):
    """A linear warm-up from 0 makes the first update a no-op, so a 2-step run prints one loss twice; tier 2 then
    runs one step more, and tier 3 takes that still step into its count."""
    import json

    from reprokit.upstream.smoke import run_upstream_tier

    tree = write(tmp_path / "code", {"train.py": """import argparse, math
p = argparse.ArgumentParser()
p.add_argument('--max_steps', type=int, default=1000)
args = p.parse_args()
w = 3.0
for step in range(args.max_steps):
    lr = min(1.0, step / 10) * 0.1     # warm-up from zero: step 0 changes nothing
    print(f"step {step} loss: {w * w:.4f}")
    w -= lr * 2 * w
"""})
    record = {"entry": {"script": "train.py"}, "command": ["train.py"], "tree": str(tree), "sets": [],
              "needs_code_change": [], "options": [{"flag": "--max_steps", "dest": "max_steps", "default": 1000}]}
    (tmp_path / "launch.json").write_text(json.dumps(record))
    (tmp_path / "env.json").write_text(json.dumps({"python": sys.executable}))
    settings = {"iterations": 20, "window": 5, "max_rise": 0.05, "seed": 0}
    paper = {"trust_upstream": True}
    out = tmp_path / "tiers"
    out.mkdir()
    second = run_upstream_tier(2, str(tmp_path / "launch.json"), str(tmp_path / "env.json"), [], settings, paper, "p",
                               str(tmp_path / "work"), str(out / "tier2.log"), str(out / "tier2.json"))
    assert second["passed"] and second["still_first_steps"] == 1
    assert "again with one more step (--max_steps 3)" in (out / "tier2.log").read_text()
    third = run_upstream_tier(3, str(tmp_path / "launch.json"), str(tmp_path / "env.json"), [], settings, paper, "p",
                              str(tmp_path / "work"), str(out / "tier3.log"), str(out / "tier3.json"))
    assert third["passed"] and third["shrink"] == ["--max_steps", "21"], third


def test_entry_args_that_cannot_be_built_are_refused_with_one_sentence_each(tmp_path):
    """`entry_args` names a parameter the function lacks, a function the file does not define, a call written
    wrong, or goes with a script entry: each is one sentence naming the setting and the fix, before any job."""
    root = write(tmp_path, {"lib/train.py": "def fit(data, lr=0.1):\n    return {'acc': [1.0]}\n",
                            "lib/data.py": "def load():\n    return [1, 2]\n", "lib/broken.py": "def load(:\n",
                            "main.py": TRAIN})
    good = {"data": {"call": "lib/data.py:load"}}
    assert derive_launch(root, ledger(), KNOBS, [], "lib/train.py:fit", objects=good)["entry"]["objects"] == good
    for objects, message in (
            ({"dataset": {"call": "lib/data.py:load"}}, r"names 'dataset', which lib/train.py:fit does not take"),
            ({"data": {"call": "lib/data.py:missing"}}, r"calls lib/data.py:missing, but lib/data.py defines no missing"),
            ({"data": {"call": "lib/nowhere.py:load"}}, r"`entry_args` for 'data': entry 'lib/nowhere.py:load'"),
            ({"data": {"call": "lib/data.py:load", "args": {"x": 1}}}, r"args a list, kwargs a mapping"),
            ({"data": {"call": "lib/broken.py:load"}}, r"calls lib/broken.py:load, but lib/broken.py is not valid Python")):
        with pytest.raises(UserError, match=message):
            derive_launch(root, ledger(), KNOBS, [], "lib/train.py:fit", objects=objects)
    with pytest.raises(UserError, match="builds the parameters of a function entry point; set `entry:`"):
        derive_launch(root, ledger(), KNOBS, [], "main.py", objects=good)


def test_a_repository_that_trains_only_in_notebooks_is_told_its_two_ways_in(tmp_path):
    """tanh-init's official code is two notebooks: the sentence names them and says what to set."""
    root = write(tmp_path, {"README.md": "# Paper\n", "Example_MNIST.ipynb": "{}", "lib/util.py": "X = 1\n"})
    with pytest.raises(UserError, match=r"it trains in notebooks, Example_MNIST.ipynb: name a function of its code with "
                                        r"the paper's `entry_args`, or commit a script of your own"):
        find_entry(root, [], None)
