"""The training harness: a dataclass config from the ledger, seeded, checkpointed, resumable, logged to
TensorBoard. ``code/train.py`` (written by stage 4) is a thin wrapper around ``main``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import yaml
from torch import nn

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.harness.models import ARCHITECTURES, build_model


@dataclass
class RunConfig:
    """Everything one training run needs; built from ``configs/repro-default.yaml`` (the ledger's values)."""

    arch: str
    seed: int
    optimizer: str
    lr: float
    beta1: float
    beta2: float
    eps: float
    weight_decay: float
    batch_size: int
    shuffle: bool
    total_steps: int
    eval_every: int
    lr_schedule: str
    warmup_steps: int
    label_smoothing: float
    grad_clip: float
    sequence_length: int
    num_classes: int
    ledger: dict[str, Any] = field(default_factory=dict)  # the full nested config, kept in checkpoints
    checkpoint_every: int = 1000
    deterministic: bool = True
    threads: int = 1

    @classmethod
    def from_ledger(cls, cfg: dict[str, Any], arch: str, seed: int, **runtime: Any) -> RunConfig:
        if arch not in ARCHITECTURES:
            raise UserError(f"model {arch!r} is not one the harness builds; use one of {', '.join(ARCHITECTURES)}.")
        try:
            opt, batch, sched, loss, tricks, data = (cfg[k] for k in ("optimizer", "batch", "schedule", "loss",
                                                                       "tricks", "data"))
            return cls(
                arch=arch, seed=int(seed), optimizer=str(opt["name"]).lower(), lr=float(opt["lr"]),
                beta1=float(opt["beta1"]), beta2=float(opt["beta2"]), eps=float(opt["eps"]),
                weight_decay=float(opt["weight_decay"]), batch_size=int(batch["batch_size"]),
                shuffle=bool(batch["shuffle"]), total_steps=int(sched["total_steps"]),
                eval_every=int(sched["eval_every"]), lr_schedule=str(sched["lr_schedule"]),
                warmup_steps=int(sched["warmup_steps"]), label_smoothing=float(loss["label_smoothing"]),
                grad_clip=float(tricks["grad_clip"]), sequence_length=int(data["sequence_length"]),
                num_classes=int(data["num_classes"]), ledger=cfg, **runtime)
        except KeyError as err:
            raise UserError(f"the run config lacks {err}; regenerate it from the ledger (stage 4).") from None


def load_config(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"run config {path} does not exist; run stage 4 (implement_code) first.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise UserError(f"run config {path} is not a YAML mapping; regenerate it with stage 4.")
    return data


def seed_everything(seed: int, deterministic: bool = True) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS on GPUs
        torch.use_deterministic_algorithms(True, warn_only=torch.cuda.is_available())


@dataclass
class Distributed:
    """This process's place in a torchrun launch (world size 1 when launched plainly)."""

    rank: int = 0
    world: int = 1
    device: torch.device = field(default_factory=lambda: torch.device("cpu"))

    @property
    def main(self) -> bool:
        return self.rank == 0


def setup_distributed(device: str = "auto") -> Distributed:
    """Read torchrun's environment; start the process group (NCCL on GPUs, gloo on CPUs) when world > 1."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = torch.cuda.is_available() and device in ("auto", "cuda")
    if device == "cuda" and not torch.cuda.is_available():
        raise UserError("device cuda was asked for but no GPU is visible; use --device auto or cpu.")
    target = torch.device(f"cuda:{local}") if use_cuda else torch.device("cpu")
    if use_cuda:
        torch.cuda.set_device(target)
    if world > 1 and not torch.distributed.is_initialized():
        torch.distributed.init_process_group(backend="nccl" if use_cuda else "gloo")
    return Distributed(rank=rank, world=world, device=target)


def load_data(path: str | Path) -> dict[str, torch.Tensor]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"dataset file {path} does not exist; run stage 5 (prepare_dataset) first.")
    with np.load(path) as arrays:
        missing = {"x", "y", "x_test", "y_test"} - set(arrays.files)
        if missing:
            raise UserError(f"dataset file {path} lacks arrays {sorted(missing)}; rerun stage 5.")
        return {
            "x": torch.tensor(arrays["x"], dtype=torch.float32),
            "y": torch.tensor(arrays["y"], dtype=torch.long),
            "x_test": torch.tensor(arrays["x_test"], dtype=torch.float32),
            "y_test": torch.tensor(arrays["y_test"], dtype=torch.long),
        }


def make_optimizer(cfg: RunConfig, model: nn.Module) -> torch.optim.Optimizer:
    params = model.parameters()
    if cfg.optimizer == "adam":
        return torch.optim.Adam(params, lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), eps=cfg.eps,
                                weight_decay=cfg.weight_decay)
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, betas=(cfg.beta1, cfg.beta2), eps=cfg.eps,
                                 weight_decay=cfg.weight_decay)
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.beta1, weight_decay=cfg.weight_decay)
    raise UserError(f"optimizer {cfg.optimizer!r} is not supported; use adam, adamw or sgd in the ledger.")


def make_scheduler(cfg: RunConfig, optimizer: torch.optim.Optimizer) -> torch.optim.lr_scheduler.LambdaLR:
    def factor(step: int) -> float:
        if cfg.warmup_steps and step < cfg.warmup_steps:
            return (step + 1) / cfg.warmup_steps
        if cfg.lr_schedule == "cosine":
            progress = (step - cfg.warmup_steps) / max(1, cfg.total_steps - cfg.warmup_steps)
            return 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
        if cfg.lr_schedule != "constant":
            raise UserError(f"learning-rate schedule {cfg.lr_schedule!r} is not supported; use constant or cosine.")
        return 1.0

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


class Trainer:
    """One run's model, optimiser, schedule and batch order; ``step()`` does one update.

    Under torchrun each rank takes its slice of every global batch and DDP averages the gradients, so
    the update equals the single-process one on the whole batch.
    """

    def __init__(self, cfg: RunConfig, data: dict[str, torch.Tensor], dist: Distributed | None = None):
        self.cfg = cfg
        self.dist = dist or Distributed()
        if cfg.batch_size % self.dist.world:
            raise UserError(f"batch size {cfg.batch_size} does not split over {self.dist.world} processes; "
                            "use a number of GPUs that divides it.")
        torch.set_num_threads(cfg.threads)
        seed_everything(cfg.seed, cfg.deterministic)
        self.data = {k: v.to(self.dist.device) for k, v in data.items()}
        self.module = build_model(cfg.arch, cfg.ledger).to(self.dist.device)
        self.model = self.module
        if self.dist.world > 1:
            from torch.nn.parallel import DistributedDataParallel

            ids = [self.dist.device.index] if self.dist.device.type == "cuda" else None
            self.model = DistributedDataParallel(self.module, device_ids=ids)
        self.optimizer = make_optimizer(cfg, self.module)
        self.scheduler = make_scheduler(cfg, self.optimizer)
        self.criterion = nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing)
        self.generator = torch.Generator().manual_seed(cfg.seed)
        self.order = self._order()
        self.step_count = 0

    def _order(self) -> torch.Tensor:
        n = len(self.data["y"])
        return torch.randperm(n, generator=self.generator) if self.cfg.shuffle else torch.arange(n)

    def batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor]:
        """The global batch of ``step`` (this rank's slice of it under DDP)."""
        n, bs = len(self.data["y"]), self.cfg.batch_size
        per_epoch = max(1, n // bs)
        if self.cfg.shuffle and step > 0 and step % per_epoch == 0:
            self.order = self._order()
        index = self.order[(step % per_epoch) * bs:(step % per_epoch) * bs + bs]
        share = bs // self.dist.world
        index = index[self.dist.rank * share:(self.dist.rank + 1) * share].to(self.dist.device)
        return self.data["x"][index], self.data["y"][index]

    def loss_on(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return self.criterion(self.model(x), y)

    def step(self) -> float:
        self.model.train()
        x, y = self.batch(self.step_count)
        loss = self.loss_on(x, y)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.cfg.grad_clip > 0:
            nn.utils.clip_grad_norm_(self.module.parameters(), self.cfg.grad_clip)
        self.optimizer.step()
        self.scheduler.step()
        self.step_count += 1
        loss = loss.detach()
        if self.dist.world > 1:
            torch.distributed.all_reduce(loss)
            loss /= self.dist.world
        return float(loss)

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        self.module.eval()
        logits = self.module(self.data["x_test"])
        loss = float(self.criterion(logits, self.data["y_test"]))
        accuracy = float((logits.argmax(-1) == self.data["y_test"]).float().mean() * 100)
        return {"test_loss": loss, "test_accuracy": accuracy}

    def state(self) -> dict[str, Any]:
        rng = {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "python": random.getstate(),
               "batch_generator": self.generator.get_state(), "order": self.order}
        if self.dist.device.type == "cuda":
            rng["cuda"] = torch.cuda.get_rng_state(self.dist.device)
        return {"model": self.module.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "step": self.step_count,
                "config": dataclasses.asdict(self.cfg), "rng": rng}

    def load_state(self, state: dict[str, Any]) -> None:
        self.module.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        self.step_count = int(state["step"])
        torch.set_rng_state(state["rng"]["torch"])
        np.random.set_state(state["rng"]["numpy"])
        random.setstate(state["rng"]["python"])
        self.generator.set_state(state["rng"]["batch_generator"])
        self.order = state["rng"]["order"]
        if "cuda" in state["rng"] and self.dist.device.type == "cuda":
            torch.cuda.set_rng_state(state["rng"]["cuda"], self.dist.device)


def _save_checkpoint(trainer: Trainer, path: Path, history: dict[str, list]) -> None:
    state = trainer.state()
    state["history"] = history
    tmp = path.with_name(f".{path.name}.tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(cfg: RunConfig, data_path: str | Path, run_dir: str | Path, metrics_path: str | Path, *,
          debug: bool = False, resume: bool = True, log=print, device: str = "auto") -> dict[str, Any]:
    """Train one run; checkpoints and TensorBoard events live in ``run_dir``; the metrics file is the output.

    Under torchrun only rank 0 logs, writes TensorBoard events, checkpoints and the metrics file.
    """
    from torch.utils.tensorboard import SummaryWriter

    dist = setup_distributed(device)
    log = log if dist.main else (lambda _line: None)
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    data = load_data(data_path)
    total = 10 if debug else cfg.total_steps
    eval_every = total if debug else cfg.eval_every
    trainer = Trainer(cfg, data, dist)
    log(f"run config: {json.dumps({k: v for k, v in dataclasses.asdict(cfg).items() if k != 'ledger'})}")
    params = sum(p.numel() for p in trainer.module.parameters())
    log(f"model {cfg.arch}: {params} parameters on {dist.device} x {dist.world} process(es); {total} steps, "
        f"evaluating every {eval_every}")
    history: dict[str, list] = {"step": [], "test_accuracy": [], "test_loss": [], "train_loss": []}
    checkpoint = run_dir / ("checkpoint-debug.pt" if debug else "checkpoint.pt")
    if resume and checkpoint.is_file():
        state = torch.load(checkpoint, weights_only=False, map_location=dist.device)
        if state["config"] == dataclasses.asdict(cfg):
            trainer.load_state(state)
            history = state["history"]
            log(f"resumed from {checkpoint} at step {trainer.step_count}")
        else:
            log(f"ignoring {checkpoint}: it was written with a different config")
    writer = SummaryWriter(log_dir=str(run_dir / "tb"), purge_step=trainer.step_count or None) if dist.main else None
    started = time.time()
    window: list[float] = []
    if trainer.step_count == 0:
        first = trainer.evaluate()
        history["step"].append(0)
        history["test_accuracy"].append(first["test_accuracy"])
        history["test_loss"].append(first["test_loss"])
        history["train_loss"].append(float("nan"))
    while trainer.step_count < total:
        loss = trainer.step()
        if not math.isfinite(loss):
            raise UserError(f"run {cfg.arch}-seed{cfg.seed} diverged (loss {loss}) at step {trainer.step_count}; "
                            "lower the learning rate in the ledger overrides.")
        window.append(loss)
        step = trainer.step_count
        if step % eval_every == 0 or step == total:
            metrics = trainer.evaluate()
            train_loss = sum(window) / len(window)
            window.clear()
            for key, value in (("train_loss", train_loss), *metrics.items()):
                history[key].append(value)
            history["step"].append(step)
            if writer is not None:
                writer.add_scalar("train/loss", train_loss, step)
                writer.add_scalar("test/loss", metrics["test_loss"], step)
                writer.add_scalar("test/accuracy", metrics["test_accuracy"], step)
            log(f"step {step:>6}/{total}  train_loss {train_loss:.4f}  test_loss {metrics['test_loss']:.4f}  "
                f"test_acc {metrics['test_accuracy']:.2f}%  ({time.time() - started:.1f}s)")
        if (step % cfg.checkpoint_every == 0 or step == total) and dist.main:
            _save_checkpoint(trainer, checkpoint, history)
    result = {
        "run": f"{cfg.arch}-seed{cfg.seed}", "arch": cfg.arch, "seed": cfg.seed, "debug": debug,
        "steps": history["step"], "test_accuracy": history["test_accuracy"], "test_loss": history["test_loss"],
        "train_loss": history["train_loss"], "final_step": trainer.step_count,
        "final_test_accuracy": history["test_accuracy"][-1], "parameters": params,
        "seconds": round(time.time() - started, 2), "torch": torch.__version__, "threads": cfg.threads,
        "device": str(dist.device), "world_size": dist.world,
    }
    if writer is not None:
        writer.close()
        atomic.write_json(metrics_path, result)
    if dist.world > 1:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train one model of the reproduction from its ledger config.")
    parser.add_argument("--config", required=True, help="configs/repro-default.yaml (written from the ledger)")
    parser.add_argument("--model", required=True, choices=ARCHITECTURES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", required=True, help="the .npz written by the dataset stage")
    parser.add_argument("--run-dir", required=True, help="checkpoints and TensorBoard events go here")
    parser.add_argument("--metrics", help="metrics JSON (default: <run-dir>/metrics.json)")
    parser.add_argument("--debug-mode", action="store_true", help="10 iterations only, to prove the code runs")
    parser.add_argument("--no-resume", action="store_true", help="ignore an existing checkpoint")
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--device", choices=("auto", "cuda", "cpu"), default="auto",
                        help="auto: the GPU SLURM gave this job if any, else the CPU")
    parser.add_argument("--checkpoint-every", type=int, default=1000, help="steps between checkpoints")
    args = parser.parse_args(argv)
    try:
        cfg = RunConfig.from_ledger(load_config(args.config), args.model, args.seed, threads=args.threads,
                                    checkpoint_every=args.checkpoint_every)
        metrics = args.metrics or str(Path(args.run_dir) / ("metrics-debug.json" if args.debug_mode else "metrics.json"))
        train(cfg, args.data, args.run_dir, metrics, debug=args.debug_mode, resume=not args.no_resume,
              log=lambda line: print(line, flush=True), device=args.device)
    except UserError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(1) from None
