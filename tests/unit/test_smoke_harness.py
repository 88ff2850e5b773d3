"""Stage 6 and the training harness: the smoke ladder's checks, exact resume, TensorBoard."""

import json
import math

import pytest
import torch
import yaml

from reprokit.errors import UserError
from reprokit.harness.train import RunConfig, load_config, train
from reprokit.smoke.ladder import run_tier, smoke_status

MODELS = ["logreg", "mlp", "cnn", "gru"]
SETTINGS = {"init_loss_tolerance": 0.5, "iterations": 20, "window": 5, "max_rise": 0.05, "seed": 0}


def paths(ws):
    return str(ws / "code" / "configs" / "repro-default.yaml"), str(ws / "data" / "dataset.npz")


def test_the_ladder_passes_on_the_example_and_estimates_time(workspace, tmp_path):
    config, data = paths(workspace)
    records = []
    for tier in (1, 2, 3):
        records.append(tmp_path / f"t{tier}.json")
        record = run_tier(tier, config, data, MODELS, 0, SETTINGS, str(tmp_path / f"t{tier}.log"), str(records[-1]))
        assert record["passed"]
        assert {c["model"] for c in record["checks"]} == set(MODELS)
    log = (tmp_path / "t1.log").read_text()
    assert "[pass] cnn     loss within 0.5 of ln(10)" in log
    status = smoke_status([str(p) for p in records], 8000, 3, 2.0, str(tmp_path / "s.md"), str(tmp_path / "s.json"))
    assert set(status["estimates"]) == set(MODELS)
    assert all(e["runtime_minutes"] >= 1 for e in status["estimates"].values())


def test_a_diverging_learning_rate_fails_tier_two_with_the_check_named(workspace, tmp_path):
    config, data = paths(workspace)
    cfg = load_config(config)
    cfg["optimizer"]["lr"] = 1e4
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(cfg))
    run_tier(1, str(bad), data, ["mlp"], 0, SETTINGS, str(tmp_path / "1.log"), str(tmp_path / "1.json"))
    with pytest.raises(UserError, match=r"smoke tier 2 \(one_step\) failed for mlp: loss on the same batch decreases"):
        run_tier(2, str(bad), data, ["mlp"], 0, SETTINGS, str(tmp_path / "2.log"), str(tmp_path / "2.json"))
    assert not (tmp_path / "2.json").exists()


def test_an_init_far_from_ln10_fails_tier_one(workspace, tmp_path):
    config, data = paths(workspace)
    with pytest.raises(UserError, match=r"tier 1 \(forward\) failed for logreg: loss within 0.001 of ln\(10\)"):
        run_tier(1, config, data, ["logreg"], 0, {**SETTINGS, "init_loss_tolerance": 0.001},
                 str(tmp_path / "1.log"), str(tmp_path / "1.json"))


def short_cfg(workspace, steps=40):
    cfg = load_config(paths(workspace)[0])
    cfg["schedule"].update(total_steps=steps, eval_every=10)
    return RunConfig.from_ledger(cfg, "cnn", 3, checkpoint_every=20)


class Preempted(Exception):
    pass


def test_resume_continues_exactly(workspace, tmp_path):
    data = paths(workspace)[1]
    straight = train(short_cfg(workspace), data, tmp_path / "a", tmp_path / "a.json", log=lambda _: None)

    def kill_at_step_30(line):
        if line.lstrip().startswith("step") and "30/40" in line:
            raise Preempted  # the job dies after step 30; the last checkpoint is step 20

    with pytest.raises(Preempted):
        train(short_cfg(workspace), data, tmp_path / "b", tmp_path / "b.json", log=kill_at_step_30)
    assert not (tmp_path / "b.json").exists()
    lines = []
    resumed = train(short_cfg(workspace), data, tmp_path / "b", tmp_path / "b.json", log=lines.append)
    assert any("resumed from" in line and "step 20" in line for line in lines)
    assert resumed["test_accuracy"] == straight["test_accuracy"]
    assert resumed["train_loss"][1:] == straight["train_loss"][1:]
    assert resumed["steps"] == straight["steps"] == [0, 10, 20, 30, 40]


def test_checkpoint_and_tensorboard_events(workspace, tmp_path):
    metrics = train(short_cfg(workspace, 20), paths(workspace)[1], tmp_path / "r", tmp_path / "m.json",
                    log=lambda _: None)
    state = torch.load(tmp_path / "r" / "checkpoint.pt", weights_only=False)
    assert set(state) >= {"model", "optimizer", "scheduler", "step", "config", "rng"}
    assert state["config"]["arch"] == "cnn" and state["step"] == 20
    assert list((tmp_path / "r" / "tb").glob("events.out.tfevents.*"))
    assert json.loads((tmp_path / "m.json").read_text())["final_step"] == 20
    assert all(math.isfinite(v) for v in metrics["test_accuracy"])


def test_run_config_errors_are_clear(workspace):
    with pytest.raises(UserError, match="model 'resnet' is not one the harness builds"):
        RunConfig.from_ledger(load_config(paths(workspace)[0]), "resnet", 0)
    with pytest.raises(UserError, match="lacks 'optimizer'"):
        RunConfig.from_ledger({}, "cnn", 0)


def test_ddp_over_two_processes_matches_one_process(workspace, tmp_path):
    """torchrun + DDP (gloo on CPU): each rank takes half of every batch; the result equals one process."""
    import subprocess
    import sys

    cfg = load_config(paths(workspace)[0])
    cfg["schedule"].update(total_steps=30, eval_every=10)
    config = tmp_path / "short.yaml"
    config.write_text(yaml.safe_dump(cfg))
    common = [str(workspace / "code" / "train.py"), "--config", str(config), "--model", "mlp", "--data",
              paths(workspace)[1], "--device", "cpu"]
    subprocess.run([sys.executable, *common, "--run-dir", str(tmp_path / "one")], check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                           *common, "--run-dir", str(tmp_path / "two")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    one = json.loads((tmp_path / "one" / "metrics.json").read_text())
    two = json.loads((tmp_path / "two" / "metrics.json").read_text())
    assert two["world_size"] == 2 and one["world_size"] == 1
    assert two["steps"] == one["steps"]
    assert two["test_accuracy"] == pytest.approx(one["test_accuracy"], abs=0.2)
    assert two["train_loss"][1:] == pytest.approx(one["train_loss"][1:], rel=1e-4)
