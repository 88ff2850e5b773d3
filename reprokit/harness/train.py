"""The task-agnostic training harness: the task's model, data, loss and metrics; the ledger's optimizer,
schedule, batching, clipping, precision and EMA; seeded, checkpointed, exactly resumable, logged to
TensorBoard, DDP under torchrun. Nothing here knows any particular paper."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import math
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.harness import checkpoint as checkpoints
from reprokit.harness import cpu_kernels
from reprokit.harness.config import RunConfig, flatten
from reprokit.harness.data import EpochBatches, InOrder, default_datasets, file_digest, load_splits, loader
from reprokit.task.contract import Task


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


def harness_digest() -> str:
    """sha256 of the harness's source files: a changed training loop never resumes an old checkpoint."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_identity(task: Task, values: dict[str, Any], model: str, seed: int, data_path: str | Path) -> str:
    """What a run's training depends on: its model, its seed, the ledger values that reach it (the global ones
    and its own model's; not other models' knobs), its data file and the task's source. A checkpoint is
    reused only when this is unchanged; seeds of other runs, threads or checkpoint intervals are not in it."""
    scoped = task.knob_models()
    relevant = {k: v for k, v in flatten(values).items() if scoped.get(k, model) == model}
    record = {"model": model, "seed": int(seed), "values": relevant, "data": file_digest(data_path),
              "task": task.source_digest(), "harness": harness_digest()}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def make_loss(task: Task, cfg: RunConfig):
    """The task's loss; the ledger's label smoothing is applied by cross-entropy and refused elsewhere."""
    if cfg.label_smoothing and task.loss != "cross_entropy" and "loss.label_smoothing" not in task.applies:
        raise UserError(f"the ledger sets loss.label_smoothing = {cfg.label_smoothing} but the task's loss "
                        f"{task.loss_name} cannot apply it; set it to 0 in `overrides` or apply it in the task "
                        "(and list 'loss.label_smoothing' in APPLIES).")
    if callable(task.loss):
        return lambda outputs, targets: task.loss(outputs, targets, cfg.values)
    return {"cross_entropy": nn.CrossEntropyLoss(label_smoothing=cfg.label_smoothing), "mse": nn.MSELoss(),
            "l1": nn.L1Loss(), "nll": nn.NLLLoss(), "bce_with_logits": nn.BCEWithLogitsLoss()}[task.loss]


def make_optimizer(cfg: RunConfig, params) -> torch.optim.Optimizer:
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(params, lr=cfg.lr, momentum=cfg.momentum or 0.0, nesterov=bool(cfg.nesterov),
                               weight_decay=cfg.weight_decay)
    cls = torch.optim.AdamW if cfg.optimizer == "adamw" else torch.optim.Adam
    return cls(params, lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, weight_decay=cfg.weight_decay)


def lr_factor(cfg: RunConfig, total_steps: int, steps_per_epoch: int):
    """Multiplier of the base learning rate at optimizer step ``step`` (warmup, then the schedule)."""
    final = cfg.final_lr / cfg.lr
    unit = steps_per_epoch if cfg.budget_unit == "epochs" else 1
    milestones = sorted(m * unit for m in cfg.milestones)
    warmup = cfg.warmup_steps or (max(1, round(cfg.warmup_epochs * steps_per_epoch)) if cfg.warmup_epochs else 0)

    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total_steps - warmup))
        if cfg.lr_schedule == "cosine":
            return final + (1 - final) * 0.5 * (1 + math.cos(math.pi * progress))
        if cfg.lr_schedule == "linear":
            return 1 - (1 - final) * progress
        if cfg.lr_schedule == "multistep":
            return cfg.gamma ** sum(1 for m in milestones if step >= m)
        if cfg.lr_schedule == "exponential":  # torch's ExponentialLR stepped once an epoch, after the warm-up
            return cfg.gamma ** ((step - warmup) // max(1, steps_per_epoch))
        return 1.0

    return factor


def autocast_for(cfg: RunConfig, device: torch.device):
    """The precision context: fp32 as is; bf16/fp16 autocast where the device supports it, else refused."""
    if cfg.precision == "fp32":
        return contextlib.nullcontext, False
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(cfg.precision)
    if cfg.precision == "mixed":
        dtype = torch.bfloat16 if device.type == "cpu" or torch.cuda.is_bf16_supported() else torch.float16
    try:
        with torch.autocast(device.type, dtype=dtype):
            pass
    except RuntimeError as err:
        raise UserError(f"tricks.precision {cfg.precision} is not supported on {device.type} ({err}); set "
                        "tricks.precision to fp32 in `overrides` or run on a device that supports it.") from None
    return (lambda: torch.autocast(device.type, dtype=dtype)), dtype == torch.float16 and device.type == "cuda"


def _move(batch: Any, device: torch.device) -> Any:
    if isinstance(batch, torch.Tensor):
        return batch if batch.device == device else batch.to(device, non_blocking=True)
    if isinstance(batch, (list, tuple)):
        return type(batch)(_move(b, device) for b in batch)
    if isinstance(batch, dict):
        return {k: _move(v, device) for k, v in batch.items()}
    return batch


def split_batch(batch: Any) -> tuple[tuple[Any, ...], Any]:
    """An item batch ``(input, ..., target)`` -> (model inputs, target)."""
    if not isinstance(batch, (list, tuple)) or len(batch) < 2:
        raise UserError("a dataset item must be (input, ..., target); fix the task's datasets().")
    return tuple(batch[:-1]), batch[-1]


@dataclass(frozen=True)
class EvalPoints:
    """The steps a run evaluates at: every ``every`` steps and at the last one, computed on demand (a budget of
    10^12 steps costs no memory)."""

    every: int
    total: int

    def __contains__(self, step: object) -> bool:
        if not isinstance(step, int) or not 0 < step <= self.total:
            return False
        return step == self.total or (self.every > 0 and step % self.every == 0)

    def __len__(self) -> int:
        if not self.every:
            return 1
        return self.total // self.every + (1 if self.total % self.every else 0)


class Trainer:
    """One run: the task's model and data, the ledger's optimisation; ``step`` does one update."""

    def __init__(self, task: Task, cfg: RunConfig, data_path: str | Path, dist: Distributed | None = None):
        self.task, self.cfg = task, cfg
        self.dist = dist or Distributed()
        if cfg.batch_size % self.dist.world:
            raise UserError(f"batch size {cfg.batch_size} does not split over {self.dist.world} processes; use a "
                            "number of GPUs that divides it.")
        if cfg.model not in task.models:
            raise UserError(f"model {cfg.model!r} is not in the task's MODELS ({', '.join(task.models)}); fix the "
                            "paper's `models` in config/config.yaml.")
        torch.set_num_threads(cfg.threads)
        seed_everything(cfg.seed, cfg.deterministic)
        splits = load_splits(data_path)
        datasets = task.datasets(splits, cfg.values) if task.datasets else default_datasets(splits)
        for role, name in (("training", task.train_split), ("evaluation", task.eval_split)):
            if name not in datasets:
                raise UserError(f"the {role} split {name!r} is not in the data (splits: {', '.join(datasets)}); fix "
                                "the task's TRAIN_SPLIT/EVAL_SPLIT or its data.")
        self.train_set, self.eval_set = datasets[task.train_split], datasets[task.eval_split]
        self._resident = tuple(t.to(self.dist.device) for t in self.train_set.tensors) \
            if isinstance(self.train_set, TensorDataset) else None
        self.steps_per_epoch = EpochBatches.per_epoch(len(self.train_set), cfg.batch_size)
        self.total_steps = cfg.total_steps if cfg.total_steps is not None else cfg.epochs * self.steps_per_epoch
        self.eval_every_steps = cfg.eval_every * (self.steps_per_epoch if cfg.budget_unit == "epochs" else 1)
        try:
            self.module = task.models[cfg.model](cfg.values)
        except (KeyError, TypeError, ValueError) as err:
            raise UserError(f"the task's builder for model {cfg.model!r} failed ({type(err).__name__}: {err}); check "
                            "the task's knobs in gaps_filled.md.") from None
        if not isinstance(self.module, nn.Module):
            raise UserError(f"the task's builder for model {cfg.model!r} returned {type(self.module).__name__}, not a "
                            "torch.nn.Module; fix the task.")
        self.module.to(self.dist.device)
        self.model = self.module
        if self.dist.world > 1:
            from torch.nn.parallel import DistributedDataParallel

            ids = [self.dist.device.index] if self.dist.device.type == "cuda" else None
            self.model = DistributedDataParallel(self.module, device_ids=ids)
        self.optimizer = make_optimizer(cfg, self.module.parameters())
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, lr_factor(cfg, self.total_steps, self.steps_per_epoch))
        # (a constant rate needs no steps)
        self._scheduled = cfg.lr_schedule != "constant" or cfg.warmup_steps > 0 or cfg.warmup_epochs > 0
        self.criterion = make_loss(task, cfg)
        self.autocast, use_scaler = autocast_for(cfg, self.dist.device)
        self.scaler = torch.amp.GradScaler("cuda") if use_scaler else None
        self.ema = None
        if cfg.ema_decay > 0:
            from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

            self.ema = AveragedModel(self.module, multi_avg_fn=get_ema_multi_avg_fn(cfg.ema_decay))
        self.step_count = 0
        self._iterator = None

    # batches ------------------------------------------------------------------------------------------
    def _epoch_loader(self, epoch: int, start: int):
        """This epoch's batches from ``start`` on. A TensorDataset's tensors live on the device and are indexed
        directly with the sampler's index batches (the same batches a DataLoader would give, without its
        per-batch bookkeeping); any other dataset goes through a DataLoader."""
        sampler = EpochBatches(len(self.train_set), self.cfg.batch_size, shuffle=self.cfg.shuffle, seed=self.cfg.seed,
                               epoch=epoch, start=start, rank=self.dist.rank, world=self.dist.world)
        if self._resident is not None:
            return (tuple(t[index.to(self.dist.device)] for t in self._resident) for index in sampler)
        return iter(loader(self.train_set, sampler))

    def next_batch(self) -> Any:
        """The batch of step ``step_count`` (a function of seed, epoch and position only)."""
        epoch, position = divmod(self.step_count, self.steps_per_epoch)
        if self._iterator is None or self._position != (epoch, position):
            self._iterator = self._epoch_loader(epoch, position)
        batch = next(self._iterator)
        self._position = (epoch, position + 1) if position + 1 < self.steps_per_epoch else (epoch + 1, 0)
        if self._position[1] == 0:
            self._iterator = None
        return _move(batch, self.dist.device)

    def first_batch(self) -> Any:
        return _move(next(self._epoch_loader(0, 0)), self.dist.device)

    @staticmethod
    def targets(batch: Any) -> Any:
        """The targets of an item batch ``(input, ..., target)``."""
        return split_batch(batch)[1]

    def eval_points(self) -> EvalPoints:
        """The steps this run evaluates at (besides step 0)."""
        return EvalPoints(self.eval_every_steps or 0, self.total_steps)

    def save_checkpoint(self, folder: str | Path, **extra: Any) -> None:
        """This run's state (and ``extra``: its identity, history, seconds) as the newest checkpoint in ``folder``."""
        checkpoints.save({**self.state(), **extra}, Path(folder))

    # training -----------------------------------------------------------------------------------------
    def loss_on(self, batch: Any, model: nn.Module | None = None) -> tuple[torch.Tensor, Any]:
        inputs, target = split_batch(batch)
        with self.autocast():
            outputs = (model or self.model)(*inputs)
            loss = self.criterion(outputs, target)
        return loss.float(), outputs

    def step(self, batch: Any | None = None) -> torch.Tensor:
        """One optimizer update; returns the (detached) training loss on this rank's batch."""
        if not self.module.training:
            self.model.train()
        loss, _ = self.loss_on(self.next_batch() if batch is None else batch)
        self.optimizer.zero_grad(set_to_none=True)
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
            self.scaler.unscale_(self.optimizer)
        else:
            loss.backward()
        if self.cfg.grad_clip > 0:
            nn.utils.clip_grad_norm_(self.module.parameters(), self.cfg.grad_clip)
        if self.scaler is not None:
            self.scaler.step(self.optimizer)
            self.scaler.update()
        else:
            self.optimizer.step()
        if self._scheduled:
            self.scheduler.step()
        if self.ema is not None:
            self.ema.update_parameters(self.module)
        self.step_count += 1
        return loss.detach()

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Loss and every task metric on the evaluation split (per-example means; EMA weights if enabled)."""
        model = self.ema.module if self.ema is not None else self.module
        model.eval()
        means = [m for m in self.task.metrics if m.over == "examples"]
        whole = [m for m in self.task.metrics if m.over == "set"]
        sums = {"loss": 0.0, **{m.name: 0.0 for m in means}}
        kept: list[tuple[Any, Any]] = []
        count = 0
        size = max(self.cfg.batch_size, 1024)
        eval_loader = loader(self.eval_set, InOrder(len(self.eval_set), size))
        for batch in eval_loader:
            batch = _move(batch, self.dist.device)
            loss, outputs = self.loss_on(batch, model)
            outputs = outputs.float() if torch.is_tensor(outputs) else outputs
            target = batch[-1]
            n = len(target)
            sums["loss"] += float(loss) * n
            for metric in means:
                value = torch.as_tensor(metric.fn(outputs, target), dtype=torch.float64)
                sums[metric.name] += float(value.sum()) if value.ndim and len(value) == n else float(value) * n
            if whole:
                kept.append((outputs.detach().cpu() if torch.is_tensor(outputs) else outputs,
                             target.detach().cpu() if torch.is_tensor(target) else target))
            count += n
        result = {k: v / max(1, count) for k, v in sums.items()}
        if whole:
            outputs = torch.cat([o for o, _ in kept]) if torch.is_tensor(kept[0][0]) else [o for o, _ in kept]
            targets = torch.cat([y for _, y in kept]) if torch.is_tensor(kept[0][1]) else [y for _, y in kept]
            for metric in whole:
                result[metric.name] = float(torch.as_tensor(metric.fn(outputs, targets), dtype=torch.float64))
        return result

    # checkpoints --------------------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        rng = {"torch": torch.get_rng_state(), "numpy": checkpoints.numpy_state_to_plain(np.random.get_state()),
               "python": random.getstate()}
        if self.dist.device.type == "cuda":
            rng["cuda"] = torch.cuda.get_rng_state(self.dist.device)
        return {"model": self.module.state_dict(), "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(), "step": self.step_count,
                "ema": self.ema.state_dict() if self.ema is not None else None,
                "scaler": self.scaler.state_dict() if self.scaler is not None else None,
                "config": {k: v for k, v in dataclasses.asdict(self.cfg).items() if k != "values"},
                "values": self.cfg.values, "rng": rng}

    def load_state(self, state: dict[str, Any]) -> None:
        self.module.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        if self.ema is not None and state.get("ema") is not None:
            self.ema.load_state_dict(state["ema"])
        if self.scaler is not None and state.get("scaler") is not None:
            self.scaler.load_state_dict(state["scaler"])
        self.step_count = int(state["step"])
        torch.set_rng_state(state["rng"]["torch"])
        np.random.set_state(checkpoints.plain_to_numpy_state(state["rng"]["numpy"]))
        random.setstate(state["rng"]["python"])
        if "cuda" in state["rng"] and self.dist.device.type == "cuda":
            torch.cuda.set_rng_state(state["rng"]["cuda"], self.dist.device)



def train(task: Task, cfg: RunConfig, data_path: str | Path, run_dir: str | Path, metrics_path: str | Path, *,
          resume: bool = True, log=print, device: str = "auto") -> dict[str, Any]:
    """Train one run; checkpoints and TensorBoard events live in ``run_dir``; the metrics file is the output.

    Under torchrun only rank 0 logs, writes TensorBoard events, checkpoints and the metrics file.
    """
    from torch.utils.tensorboard import SummaryWriter

    dist = setup_distributed(device)
    log = log if dist.main else (lambda _line: None)
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    trainer = Trainer(task, cfg, data_path, dist)
    identity = run_identity(task, cfg.values, cfg.model, cfg.seed, data_path)
    run_name = f"{cfg.model}-seed{cfg.seed}"
    log(f"run {run_name}: {json.dumps({k: v for k, v in dataclasses.asdict(cfg).items() if k != 'values'})}")
    params = sum(p.numel() for p in trainer.module.parameters())
    log(f"model {cfg.model}: {params} parameters on {dist.device} x {dist.world} process(es); {trainer.total_steps} "
        f"steps ({cfg.budget} {cfg.budget_unit}, {trainer.steps_per_epoch} steps per epoch); identity {identity[:12]}")
    metric_names = [m.name for m in task.metrics]
    history: dict[str, Any] = {"step": [], "epoch": [], "train_loss": [], "eval_loss": [],
                               "metrics": {name: [] for name in metric_names}}
    seconds_before = 0.0
    state = checkpoints.load(run_dir, identity, dist.device, log, move_aside=dist.main) if resume else None
    if state is not None and int(state["step"]) >= trainer.total_steps and not Path(metrics_path).is_file():
        # a finished run asked again (snakemake -R / --forcerun deletes the metrics first): train it again
        log(f"the checkpoint in {run_dir} is a finished run but {metrics_path} is missing (a forced rerun); training "
            "from the start")
        state = None
    if state is not None:
        trainer.load_state(state)
        history, seconds_before = state["history"], float(state.get("seconds", 0.0))
        log(f"resumed from {run_dir / checkpoints.NEWEST} at step {trainer.step_count}")
    # events per run identity: a changed config starts its own sub-folder instead of mixing into the old curves
    tb_dir = run_dir / "tb" / identity[:12]
    writer = SummaryWriter(log_dir=str(tb_dir), purge_step=trainer.step_count or None) if dist.main else None
    started = time.time()

    def record(step: int, train_loss: float | None) -> dict[str, float]:
        result = trainer.evaluate()
        history["step"].append(step)
        history["epoch"].append(round(step / trainer.steps_per_epoch, 6))
        history["train_loss"].append(train_loss)
        history["eval_loss"].append(result["loss"])
        for name in metric_names:
            history["metrics"][name].append(result[name])
        if writer is not None and train_loss is not None:
            writer.add_scalar("train/loss", train_loss, step)
            writer.add_scalar(f"{task.eval_split}/loss", result["loss"], step)
            for name in metric_names:
                writer.add_scalar(f"{task.eval_split}/{name}", result[name], step)
        return result

    if trainer.step_count == 0:
        record(0, None)  # no training loss before the first step
    points = trainer.eval_points()
    total = torch.zeros((), device=dist.device)
    count = 0
    final_seconds = None
    diverged = None
    while trainer.step_count < trainer.total_steps:
        total += trainer.step()
        count += 1
        step = trainer.step_count
        if step in points:
            loss = float(total) / count
            if dist.world > 1:
                reduced = torch.tensor(loss, device=dist.device)
                torch.distributed.all_reduce(reduced)
                loss = float(reduced) / dist.world
            if not math.isfinite(loss):
                # a seed that diverges is a result, not a failure: the evaluation at this step is recorded (its
                # metric may be NaN too), the run stops, and the comparison reports it as diverged with the
                # last finite value
                diverged = {"step": step, "reason": f"mean training loss {loss}"}
                record(step, None)
                log(f"run {run_name} diverged (mean training loss {loss}) by step {step}; stopped here and recorded "
                    "as diverged (results.md says so; a lower optimizer.lr in the paper's `overrides` may avoid it)")
                break
            total.zero_()
            count = 0
            result = record(step, loss)
            shown = "  ".join(f"{n} {result[n]:.4g}" for n in metric_names)
            log(f"step {step:>7}/{trainer.total_steps}  train_loss {loss:.4f}  {task.eval_split}_loss "
                f"{result['loss']:.4f}  {shown}  ({time.time() - started:.1f}s)")
        if (step % cfg.checkpoint_every == 0 or step == trainer.total_steps) and dist.main:
            elapsed = seconds_before + time.time() - started
            trainer.save_checkpoint(run_dir, identity=identity, history=history, seconds=elapsed)
            if step == trainer.total_steps:
                final_seconds = elapsed  # the metrics say what the final checkpoint says (a resume there adds ~0)
    primary = task.primary
    result = {
        "run": run_name, "model": cfg.model, "seed": cfg.seed, "identity": identity,
        "budget": cfg.budget, "budget_unit": cfg.budget_unit, "steps_per_epoch": trainer.steps_per_epoch,
        "total_steps": trainer.total_steps, "final_step": trainer.step_count, "eval_split": task.eval_split,
        "steps": history["step"], "epochs": history["epoch"], "train_loss": history["train_loss"],
        "eval_loss": history["eval_loss"], "metrics": history["metrics"],
        "final": {name: history["metrics"][name][-1] for name in metric_names},
        "primary": {"name": primary.name, "unit": primary.unit, "direction": primary.direction},
        "parameters": params,
        "diverged": diverged,
        "seconds": round(final_seconds if final_seconds is not None else seconds_before + time.time() - started, 2),
        "torch": torch.__version__, "threads": cfg.threads, "device": str(dist.device), "world_size": dist.world,
        "cpu_kernels": cpu_kernels.in_use() if dist.device.type == "cpu" else None,
    }
    if writer is not None:
        writer.close()
        atomic.write_json(metrics_path, result)
    if dist.world > 1:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
    return result
