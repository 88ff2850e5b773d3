"""Stage 6 and the training harness: the ladder runs code/train.py, exact resume, run identity, refusals."""

import copy
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml

from reprokit.errors import UserError
from reprokit.harness.config import RunConfig, load_config
from reprokit.harness.train import lr_factor, train
from reprokit.smoke.ladder import run_tier, smoke_status
from tests.conftest import ROOT

SETTINGS = {"init_loss_tolerance": 0.5, "iterations": 20, "window": 5, "max_rise": 0.05, "seed": 0}


def paths(ws):
    return str(ws / "code"), str(ws / "code" / "configs" / "repro-default.yaml"), str(ws / "data" / "dataset.npz")


def tier(ws, n, tmp_path, models, config=None, settings=SETTINGS, code=None):
    code_dir, cfg, data = paths(ws)
    return run_tier(n, code or code_dir, config or cfg, data, models, 0, settings, str(tmp_path / f"t{n}.log"),
                    str(tmp_path / f"t{n}.json"))


def test_the_ladder_runs_the_training_program_and_estimates_time(workspace, tmp_path):
    records = []
    for n in (1, 2, 3):
        record = tier(workspace, n, tmp_path, ["logreg", "gru"])
        assert record["passed"] and {c["model"] for c in record["checks"]} == {"logreg", "gru"}
        records.append(str(tmp_path / f"t{n}.json"))
    log = (tmp_path / "t1.log").read_text()
    assert "train.py --model gru --smoke-tier 1" in log and "[pass] gru: initial loss within 0.5 of 2.3026" in log
    status = smoke_status(records, str(tmp_path / "s.md"), str(tmp_path / "s.json"), checkpoint_every=1000)
    assert set(status["estimates"]) == {"logreg", "gru"}
    for e in status["estimates"].values():
        assert e["total_steps"] == 8000 and e["checkpoints"] == 9
        assert e["parts"]["startup"] > 0.5  # a real process: interpreter, torch import, data, model
        assert e["seconds_per_checkpoint"] > 0
        assert abs(sum(e["parts"].values()) - e["estimated_seconds"]) < 0.2
    assert "start-up" in (tmp_path / "s.md").read_text()


def test_the_estimate_adds_up_what_a_job_does_and_the_request_has_a_floor():
    from reprokit.cluster.runtime import request_minutes
    from reprokit.smoke.ladder import estimate

    check = {"seconds_per_step": 0.01, "seconds_per_eval": 0.5, "seconds_per_checkpoint": 0.1, "iterations": 20,
             "total_steps": 10000, "eval_points": 11}
    e = estimate(check, wall=4.8, checkpoint_every=1000)
    # start-up: 4.8 s of process minus the measured 20 steps (0.2), one evaluation (0.5), one checkpoint (0.1)
    assert e["parts"] == {"startup": 4.0, "steps": 100.0, "evaluations": 5.5, "checkpoints": 1.1}
    assert e["estimated_seconds"] == 110.6
    slurm = {"runtime_margin": 1.5, "runtime_floor_minutes": 5, "job_overhead_s": 15}
    assert request_minutes(e["estimated_seconds"], slurm) == 5  # (110.6 + 15) s x 1.5 = 3.1 min, floored at 5
    long = estimate({**check, "total_steps": 100000}, 4.8, 1000)
    assert request_minutes(long["estimated_seconds"], slurm) == -(-(long["estimated_seconds"] + 15) * 1.5 // 60)
    assert request_minutes(None, slurm) == 60  # no estimate (an official code's unknown length): an hour


def test_an_absurd_estimate_is_refused_before_any_training_job():
    from reprokit.cluster.runtime import refuse_absurd

    slurm = {"max_run_hours": 72}
    refuse_absurd({"cnn": {"estimated_seconds": 71 * 3600}, "m": {"estimated_seconds": None}}, slurm, "s.md")
    with pytest.raises(UserError, match=r"^model cnn's training run is estimated at 11,574 days from its smoke ladder "
                                        r"\(s.md\), above smoke.max_run_hours \(72 h\); lower its budget"):
        refuse_absurd({"cnn": {"estimated_seconds": 1e9}}, slurm, "s.md")


def test_a_diverging_learning_rate_fails_tier_two_with_the_check_named(workspace, tmp_path):
    cfg = load_config(paths(workspace)[1])
    cfg["optimizer"]["lr"] = 1e4
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg))
    tier(workspace, 1, tmp_path, ["mlp"], config=str(bad))
    with pytest.raises(UserError, match=r"smoke tier 2 \(one_step\) failed for mlp: loss on the same batch decreases"):
        tier(workspace, 2, tmp_path, ["mlp"], config=str(bad))
    assert not (tmp_path / "t2.json").exists() and (tmp_path / "t2.log.failed").is_file()


def test_an_init_far_from_ln10_fails_tier_one(workspace, tmp_path):
    with pytest.raises(UserError, match=r"tier 1 \(forward\) failed for logreg: initial loss within 0.001 of 2.3026"):
        tier(workspace, 1, tmp_path, ["logreg"], settings={**SETTINGS, "init_loss_tolerance": 0.001})


def test_a_broken_code_dir_fails_tier_one_with_its_own_error(workspace, tmp_path):
    code = tmp_path / "code"
    shutil.copytree(workspace / "code", code)
    with open(code / "train.py", "a") as handle:
        handle.write("\nraise RuntimeError('someone broke train.py')\n")
    with pytest.raises(UserError, match=r"tier 1 \(forward\) failed for cnn: code/train.py exited with an error "
                                        r"\(RuntimeError: someone broke train.py\)"):
        tier(workspace, 1, tmp_path, ["cnn"], config=str(code / "configs" / "repro-default.yaml"), code=str(code))
    assert not (tmp_path / "t1.json").exists()


def short_cfg(workspace, example_task, steps=40, model="cnn", **changes):
    values = copy.deepcopy(load_config(paths(workspace)[1]))
    values["schedule"].update(total_steps=steps, eval_every=10)
    for dotted, value in changes.items():
        block, key = dotted.split("__")
        values[block][key] = value
    return RunConfig.from_values(values, model, 3, applies=example_task.applies, checkpoint_every=20)


class Preempted(Exception):
    pass


def test_kill_and_resume_gives_identical_metrics(workspace, example_task, tmp_path):
    data = paths(workspace)[2]
    straight = train(example_task, short_cfg(workspace, example_task), data, tmp_path / "a", tmp_path / "a.json",
                     log=lambda _: None)

    def kill_at_step_30(line):
        if line.lstrip().startswith("step") and "30/40" in line:
            raise Preempted  # the job dies after step 30; the last checkpoint is step 20

    with pytest.raises(Preempted):
        train(example_task, short_cfg(workspace, example_task), data, tmp_path / "b", tmp_path / "b.json",
              log=kill_at_step_30)
    assert not (tmp_path / "b.json").exists()
    lines = []
    resumed = train(example_task, short_cfg(workspace, example_task), data, tmp_path / "b", tmp_path / "b.json",
                    log=lines.append)
    assert any("resumed from" in line and "step 20" in line for line in lines)
    assert resumed["metrics"] == straight["metrics"] and resumed["eval_loss"] == straight["eval_loss"]
    assert resumed["train_loss"][1:] == straight["train_loss"][1:]
    assert resumed["steps"] == straight["steps"] == [0, 10, 20, 30, 40]


class RunsCode:
    """A pickle that would run code when loaded with weights_only=False."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def corrupt(path: Path, how: str, tmp_path: Path) -> None:
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(b"\x00not a checkpoint" * 100)
    elif how == "code":
        torch.save({"model": RunsCode(tmp_path / "ran")}, path)


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage", "code"])
def test_a_corrupt_checkpoint_is_moved_aside_and_the_previous_one_resumes(workspace, example_task, tmp_path, how):
    data = paths(workspace)[2]
    straight = train(example_task, short_cfg(workspace, example_task, 60), data, tmp_path / "a", tmp_path / "a.json",
                     log=lambda _: None)

    def kill_at_step_50(line):
        if line.lstrip().startswith("step") and "50/60" in line:
            raise Preempted  # checkpoints at steps 20 and 40 exist

    with pytest.raises(Preempted):
        train(example_task, short_cfg(workspace, example_task, 60), data, tmp_path / "b", tmp_path / "b.json",
              log=kill_at_step_50)
    assert torch.load(tmp_path / "b" / "checkpoint.prev.pt", weights_only=True)["step"] == 20
    corrupt(tmp_path / "b" / "checkpoint.pt", how, tmp_path)
    lines = []
    resumed = train(example_task, short_cfg(workspace, example_task, 60), data, tmp_path / "b", tmp_path / "b.json",
                    log=lines.append)
    assert any("moved" in line and "aside" in line and "not a readable checkpoint" in line for line in lines), lines
    assert any("resumed from" in line and "step 20" in line for line in lines), lines
    assert resumed["metrics"] == straight["metrics"]
    assert len(list((tmp_path / "b").glob("checkpoint.pt.corrupt-*"))) == 1
    assert not (tmp_path / "ran").exists()  # the pickle's code never ran
    assert not list((tmp_path / "b").glob(".*.tmp"))


def test_with_both_checkpoints_corrupt_the_run_starts_over(workspace, example_task, tmp_path):
    data, run = paths(workspace)[2], tmp_path / "run"
    train(example_task, short_cfg(workspace, example_task, 40), data, run, tmp_path / "m.json", log=lambda _: None)
    for name in ("checkpoint.pt", "checkpoint.prev.pt"):
        corrupt(run / name, "garbage", tmp_path)
    (tmp_path / "m.json").unlink()
    lines = []
    result = train(example_task, short_cfg(workspace, example_task, 40), data, run, tmp_path / "m.json",
                   log=lines.append)
    assert sum("not a readable checkpoint" in line for line in lines) == 2
    assert not any("resumed from" in line for line in lines) and result["final_step"] == 40


def test_changed_data_discards_the_checkpoint(workspace, example_task, tmp_path):
    import numpy as np

    data = tmp_path / "dataset.npz"
    shutil.copy(paths(workspace)[2], data)
    run = tmp_path / "run"
    train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json", log=lambda _: None)
    arrays = dict(np.load(data))
    first = sorted(arrays)[0]
    arrays[first] = arrays[first].copy()
    arrays[first].flat[0] = arrays[first].flat[0] + 1  # the dataset stage wrote other data
    with open(data, "wb") as handle:
        np.savez(handle, **arrays)
    lines = []
    train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json", log=lines.append)
    assert any("ignoring" in line and "other values, data" in line for line in lines), lines
    assert not any("resumed from" in line for line in lines)


def test_a_finished_run_asked_again_trains_from_the_start(workspace, example_task, tmp_path):
    data, run = paths(workspace)[2], tmp_path / "run"
    train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json", log=lambda _: None)
    (tmp_path / "m.json").unlink()  # what snakemake -R / --forcerun does before the job
    lines = []
    again = train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json",
                  log=lines.append)
    assert any("a forced rerun" in line and "training from the start" in line for line in lines), lines
    assert not any("resumed from" in line for line in lines) and again["steps"] == [0, 10, 20]


def test_a_checkpoint_is_reused_unless_the_runs_own_training_changed(workspace, example_task, tmp_path):
    data = paths(workspace)[2]
    run = tmp_path / "run"
    train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json", log=lambda _: None)
    same = []
    other_model_knob = short_cfg(workspace, example_task, 20)
    other_model_knob.values["architecture"]["gru"]["hidden_size"] = 99
    other_model_knob.threads, other_model_knob.checkpoint_every = 2, 7
    train(example_task, other_model_knob, data, run, tmp_path / "m.json", log=same.append)
    assert any("resumed from" in line and "step 20" in line for line in same)
    changed = []
    train(example_task, short_cfg(workspace, example_task, 20, optimizer__lr=0.002), data, run, tmp_path / "m.json",
          log=changed.append)
    assert any("ignoring" in line and "other values" in line for line in changed)
    assert not any("resumed from" in line for line in changed)


def test_a_changed_config_writes_its_own_events_and_seconds_add_up_across_resumes(workspace, example_task,
                                                                                 tmp_path):
    data, run = paths(workspace)[2], tmp_path / "run"
    first = train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json",
                  log=lambda _: None)
    again = train(example_task, short_cfg(workspace, example_task, 20), data, run, tmp_path / "m.json",
                  log=lambda _: None)  # resumes at the last step: no training, the seconds are the first run's
    assert again["final_step"] == 20 and again["seconds"] >= first["seconds"] > 0
    other = train(example_task, short_cfg(workspace, example_task, 20, optimizer__lr=0.002), data, run,
                  tmp_path / "m.json", log=lambda _: None)
    folders = sorted(p.name for p in (run / "tb").iterdir())
    assert folders == sorted({first["identity"][:12], other["identity"][:12]}) and len(folders) == 2


def test_checkpoint_and_tensorboard_events(workspace, example_task, tmp_path):
    metrics = train(example_task, short_cfg(workspace, example_task, 20), paths(workspace)[2], tmp_path / "r",
                    tmp_path / "m.json", log=lambda _: None)
    state = torch.load(tmp_path / "r" / "checkpoint.pt", weights_only=True)
    assert set(state) >= {"model", "optimizer", "scheduler", "step", "config", "rng", "identity", "history"}
    assert state["config"]["model"] == "cnn" and state["step"] == 20
    assert list((tmp_path / "r" / "tb" / metrics["identity"][:12]).glob("events.out.tfevents.*"))
    written = json.loads((tmp_path / "m.json").read_text())
    assert written["final_step"] == 20 and written["primary"] == {"name": "accuracy", "unit": "percent",
                                                                  "direction": "higher"}
    assert all(math.isfinite(v) for v in metrics["metrics"]["accuracy"])


@pytest.mark.parametrize(("change", "message"), [
    ({"optimizer": {"name": "rmsprop"}}, "optimizer.name = 'rmsprop' is not one the harness applies"),
    ({"optimizer": {"momentum": 0.9}}, "optimizer.momentum = 0.9 does not apply to adam"),
    ({"optimizer": {"lr": "abc"}}, "optimizer.lr = 'abc' in the run config is not a valid float"),
    ({"batch": {"batch_size": 0}}, "batch.batch_size = 0 is out of range (it must be at least 1)"),
    ({"schedule": {"lr_schedule": "step"}}, "schedule.milestones is empty"),
    ({"schedule": {"lr_schedule": "polynomial"}}, "schedule.lr_schedule = 'polynomial' is not one the harness"),
    ({"schedule": {"lr_schedule": "exponential", "gamma": None}}, "schedule.gamma is not given"),
    ({"tricks": {"precision": "int8"}}, "tricks.precision = 'int8' is not one the harness applies"),
    ({"augmentation": {"pipeline": "random crop"}}, "the ledger records augmentation 'random crop' but the task"),
    ({"schedule": {"total_steps": -5}}, "the training budget is -5 steps"),
])
def test_values_the_harness_cannot_apply_are_refused(workspace, example_task, change, message):
    values = copy.deepcopy(load_config(paths(workspace)[1]))
    for block, settings in change.items():
        values[block].update(settings)
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RunConfig.from_values(values, "cnn", 0, applies=example_task.applies)


def test_a_warmup_stated_in_epochs_is_that_many_epochs_of_steps(workspace, example_task):
    """A new user's ViT paper states "10 epochs of linear warmup": the run warms up over that many epochs' steps (the
    harness counts an epoch's steps from the data, as for a budget in epochs); steps, where both are given, win."""
    values = copy.deepcopy(load_config(paths(workspace)[1]))
    del values["schedule"]["warmup_steps"]
    values["schedule"].update(warmup_epochs=2, lr_schedule="constant")
    factor = lr_factor(RunConfig.from_values(values, "cnn", 0, applies=example_task.applies), 100, 10)
    assert [factor(s) for s in (0, 9, 19, 20, 60)] == pytest.approx([1 / 20, 10 / 20, 1.0, 1.0, 1.0])
    values["schedule"]["warmup_steps"] = 0  # (an argparse default beside the paper's epochs: none given)
    factor = lr_factor(RunConfig.from_values(values, "cnn", 0, applies=example_task.applies), 100, 10)
    assert factor(0) == pytest.approx(1 / 20)
    values["schedule"]["warmup_steps"] = 4
    factor = lr_factor(RunConfig.from_values(values, "cnn", 0, applies=example_task.applies), 100, 10)
    assert factor(3) == 1.0 and factor(0) == pytest.approx(1 / 4)
    del values["schedule"]["warmup_steps"], values["schedule"]["warmup_epochs"]
    with pytest.raises(UserError, match="gives neither schedule.warmup_steps nor schedule.warmup_epochs"):
        RunConfig.from_values(values, "cnn", 0, applies=example_task.applies)


def test_an_exponential_decay_multiplies_the_rate_by_gamma_each_epoch(workspace, example_task):
    """A new user's recommendation paper (DIN): "exponential decay, in which learning rate starts at 0.001 and decay
    rate is set to 0.9". The harness applies it as torch's ExponentialLR stepped once an epoch (the rate times gamma
    after each epoch, counted after any warm-up); before, an exponential schedule was refused."""
    values = copy.deepcopy(load_config(paths(workspace)[1]))
    values["schedule"].update(lr_schedule="exponential", gamma=0.9, warmup_steps=0)
    factor = lr_factor(RunConfig.from_values(values, "cnn", 0, applies=example_task.applies), 100, 10)
    assert [factor(s) for s in (0, 9, 10, 25, 99)] == pytest.approx([1.0, 1.0, 0.9, 0.81, 0.9 ** 9])
    values["schedule"]["warmup_steps"] = 5
    factor = lr_factor(RunConfig.from_values(values, "cnn", 0, applies=example_task.applies), 100, 10)
    assert [factor(s) for s in (0, 4, 5, 14, 15)] == pytest.approx([1 / 5, 1.0, 1.0, 1.0, 0.9])


def test_unknown_model_and_missing_values_are_clear(workspace, example_task, tmp_path):
    values = load_config(paths(workspace)[1])
    with pytest.raises(UserError, match="lacks optimizer.name"):
        RunConfig.from_values({}, "cnn", 0)
    cfg = RunConfig.from_values(values, "resnet", 0)
    with pytest.raises(UserError, match="model 'resnet' is not in the task's MODELS"):
        train(example_task, cfg, paths(workspace)[2], tmp_path / "r", tmp_path / "m.json", log=lambda _: None)


def test_ddp_over_two_processes_matches_one_process(workspace, tmp_path):
    """torchrun + DDP (gloo on CPU): each rank takes half of every batch; the result equals one process."""
    cfg = load_config(paths(workspace)[1])
    cfg["schedule"].update(total_steps=30, eval_every=10)
    config = tmp_path / "short.yaml"
    config.write_text(yaml.safe_dump(cfg))
    common = [str(workspace / "code" / "train.py"), "--config", str(config), "--model", "mlp", "--data",
              paths(workspace)[2], "--device", "cpu"]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, *common, "--run-dir", str(tmp_path / "one")], check=True, capture_output=True,
                   env=env)
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           *common, "--run-dir", str(tmp_path / "two")], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    one = json.loads((tmp_path / "one" / "metrics.json").read_text())
    two = json.loads((tmp_path / "two" / "metrics.json").read_text())
    assert two["world_size"] == 2 and one["world_size"] == 1
    assert two["steps"] == one["steps"]
    assert two["metrics"]["accuracy"] == pytest.approx(one["metrics"]["accuracy"], abs=0.2)
    assert two["train_loss"][1:] == pytest.approx(one["train_loss"][1:], rel=1e-4)


def test_ema_warmup_cosine_and_bf16_autocast_train_and_resume_exactly(workspace, example_task, tmp_path):
    def cfg():
        c = short_cfg(workspace, example_task, 40, model="mlp", tricks__ema_decay=0.9, tricks__precision="bf16",
                      schedule__lr_schedule="cosine", schedule__warmup_steps=5, schedule__final_lr=0.001)
        return c

    data = paths(workspace)[2]
    straight = train(example_task, cfg(), data, tmp_path / "a", tmp_path / "a.json", log=lambda _: None)
    state = torch.load(tmp_path / "a" / "checkpoint.pt", weights_only=True)
    assert state["ema"] is not None and state["config"]["precision"] == "bf16"

    def kill_at_step_30(line):
        if line.lstrip().startswith("step") and "30/40" in line:
            raise Preempted

    with pytest.raises(Preempted):
        train(example_task, cfg(), data, tmp_path / "b", tmp_path / "b.json", log=kill_at_step_30)
    resumed = train(example_task, cfg(), data, tmp_path / "b", tmp_path / "b.json", log=lambda _: None)
    assert resumed["metrics"] == straight["metrics"] and resumed["train_loss"][1:] == straight["train_loss"][1:]


@pytest.fixture()
def small_disk(tmp_path):
    """A 3 MB tmpfs (root only); skipped with the reason where it cannot be mounted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(f"mounting a small tmpfs failed under CI: {done.stderr.strip()}")
        pytest.skip(f"a small tmpfs cannot be mounted here ({done.stderr.strip() or 'needs root'})")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_during_training_is_one_sentence_and_the_previous_checkpoint_stays(workspace, example_task,
                                                                                        tmp_path, small_disk):
    data = paths(workspace)[2]
    run = small_disk / "run"

    def kill_at_step_30(line):
        if line.lstrip().startswith("step") and "30/40" in line:
            raise Preempted

    with pytest.raises(Preempted):
        train(example_task, short_cfg(workspace, example_task), data, run, small_disk / "m.json", log=kill_at_step_30)
    good = (run / "checkpoint.pt").read_bytes()
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"0" * max(0, free - len(good) // 2))  # less room than one checkpoint
    with pytest.raises(UserError, match=rf"no space left to write a checkpoint in {re.escape(str(run))}; free space"):
        train(example_task, short_cfg(workspace, example_task), data, run, small_disk / "m.json", log=lambda _: None)
    assert (run / "checkpoint.pt").read_bytes() == good
    assert not [p.name for p in run.iterdir() if p.name.endswith(".tmp")]
    (small_disk / "filler").unlink()


def test_a_full_disk_while_writing_a_record_names_the_folder(small_disk):
    from reprokit import atomic

    (small_disk / "filler").write_bytes(b"0" * (shutil.disk_usage(small_disk).free - 64 * 1024))
    atomic.write_text(small_disk / "results.md", "old\n")
    with pytest.raises(UserError, match=f"no space left on the device holding {re.escape(str(small_disk))} while "
                                        "writing results.md"):
        atomic.write_text(small_disk / "results.md", "x" * 100_000)
    assert (small_disk / "results.md").read_text() == "old\n"
    assert not [p.name for p in small_disk.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content", [b"", b"garbage" * 10, b"PK\x03\x04 cut"])
def test_a_broken_dataset_file_is_named_with_the_fix(tmp_path, content):
    from reprokit.harness.data import load_splits

    (tmp_path / "dataset.npz").write_bytes(content)
    with pytest.raises(UserError, match=r"dataset file .*dataset.npz (is not a readable npz|is empty).*rerun stage 5"):
        load_splits(tmp_path / "dataset.npz")


def test_evaluation_points_are_computed_on_demand_whatever_the_budget():
    """A budget of 10^12 steps once built a set of every evaluation step (16.7 GB in 90 s of smoke tier 3)."""
    import tracemalloc

    from reprokit.harness.train import EvalPoints

    for every, total in [(0, 10), (3, 10), (5, 10), (250, 8000), (7, 1)]:
        expected = (set(range(every, total + 1, every)) if every else set()) | {total}
        points = EvalPoints(every, total)
        assert len(points) == len(expected)
        assert {step for step in range(total + 3) if step in points} == expected
    tracemalloc.start()
    points = EvalPoints(1, 10**12)
    assert len(points) == 10**12 and 10**12 in points and 10**12 + 1 not in points
    assert tracemalloc.get_traced_memory()[1] < 1_000_000
    tracemalloc.stop()


def test_a_run_whose_loss_turns_nan_is_recorded_as_diverged_not_failed(workspace, example_task, tmp_path):
    data = paths(workspace)[2]
    lines = []
    result = train(example_task, short_cfg(workspace, example_task, 40, model="mlp", optimizer__lr=1e12), data,
                   tmp_path / "run", tmp_path / "m.json", log=lines.append)
    assert result["diverged"]["step"] == 10 and "nan" in result["diverged"]["reason"].lower()
    assert result["final_step"] == 10 < result["total_steps"] and result["steps"] == [0, 10]
    assert (tmp_path / "m.json").is_file() and any("recorded as diverged" in line for line in lines)
    stable = train(example_task, short_cfg(workspace, example_task, 20), data, tmp_path / "ok", tmp_path / "ok.json",
                   log=lambda _: None)
    assert stable["diverged"] is None and stable["final_step"] == 20


def test_tier_three_judges_the_trend_window_against_window_for_any_loss():
    from reprokit.smoke.checks import trend_checks

    def verdict(losses, window=5, rise=0.05):
        return {c["check"].split(" ")[1] if c["check"].startswith("no ") else c["check"]: c["ok"]
                for c in trend_checks(losses, window, rise)}

    # a regression loss that falls 35-fold with a 34% bounce near the bottom (the false alarm of issue 21)
    falling = [1.0, 0.8, 0.6, 0.45, 0.3, 0.2, 0.12, 0.08, 0.05, 0.03, 0.029, 0.039, 0.035, 0.03, 0.031, 0.029,
               0.03, 0.028, 0.029, 0.0286]
    assert all(verdict(falling).values())
    noisy_last = falling[:-1] + [0.06]  # one noisy final batch above... the last window still far below the first
    assert all(verdict(noisy_last).values())
    climbing = [1.0 + 0.02 * i for i in range(20)]
    checks = trend_checks(climbing, 5, 0.05)
    assert [c["ok"] for c in checks] == [True, False, False]
    assert checks[2]["detail"] == "highest rolling mean 1.34, +28.8% against the first (1.04)"
    flat_then_blowup = [1.0] * 10 + [1.0 + i for i in range(10)]
    assert [c["ok"] for c in trend_checks(flat_then_blowup, 5, 0.05)] == [True, False, False]
    assert [c["ok"] for c in trend_checks([1.0, 0.9, float("nan"), 0.5, 0.4, 0.3], 2, 0.05)] == [False, False, False]


def test_a_task_sets_its_own_smoke_thresholds_and_a_wrong_one_is_named(tmp_path):
    from reprokit.task import load_task

    body = ("from torch import nn\nMODELS = {'m': lambda cfg: nn.Linear(1, 1)}\nLOSS = 'mse'\n"
            "from reprokit.task import Metric\nMETRICS = [Metric('mse', lambda o, t: ((o - t) ** 2).mean(1), "
            "higher_is_better=False, unit='MSE')]\n")
    good = tmp_path / "good.py"
    good.write_text(body + "SMOKE = {'max_rise': 0.5, 'window': 4}\n")
    assert load_task(str(good)).smoke == {"max_rise": 0.5, "window": 4}
    bad = tmp_path / "bad.py"
    bad.write_text(body + "SMOKE = {'max_rise': -1}\n")
    with pytest.raises(UserError, match=r"task .*bad.py has a SMOKE max_rise of -1, not at least 0"):
        load_task(str(bad))
    bad.write_text(body + "SMOKE = {'rise': 0.1}\n")
    with pytest.raises(UserError, match=r"has a SMOKE key 'rise' that is not a smoke threshold \(they are "
                                        r"init_loss_tolerance, max_rise, window\)"):
        load_task(str(bad))


PROBE = """
import hashlib, sys
from reprokit.harness import cpu_kernels
import torch
if len(sys.argv) > 1:
    cpu_kernels.use(sys.argv[1])  # after `import torch`, before the first tensor operation, as the harness does
torch.manual_seed(0)
x = torch.randn(32, 16, 200)
parts = (torch.nn.Conv1d(16, 32, 5)(x), torch.softmax(x, -1).sum(1), torch.randn(300, 200) @ torch.randn(200, 300))
print(cpu_kernels.in_use(), hashlib.md5(b"".join(p.detach().numpy().tobytes() for p in parts)).hexdigest())
"""


def _probe(*args: str, env: dict[str, str] | None = None) -> tuple[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_CBWR")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True, cwd=ROOT,
                          env={**clean, **(env or {})})
    capability, digest = done.stdout.split()
    return capability, digest


@pytest.mark.skipif(torch.backends.cpu.get_cpu_capability() not in ("AVX2", "AVX512"),
                    reason="portable CPU kernels are the AVX2 ones of an x86-64 CPU; this CPU has none")
def test_portable_cpu_kernels_are_the_avx2_ones_whatever_the_cpu_has():
    """Set inside the run (after torch is imported) the caps act on ATen, oneDNN and MKL alike: the same numbers
    as a process started with them, i.e. as on a CPU that has AVX2 and nothing newer."""
    from reprokit.harness.cpu_kernels import PORTABLE

    portable = _probe("portable")
    assert portable[0] == "AVX2"
    assert portable == _probe(env=PORTABLE)
    native = _probe("native")
    if torch.backends.cpu.get_cpu_capability() == "AVX512":  # only such a CPU has other kernels to choose
        assert native[0] == "AVX512" and native[1] != portable[1]
    with pytest.raises(ValueError, match="cpu_kernels must be one of portable, native"):
        from reprokit.harness.cpu_kernels import use

        use("fast")
