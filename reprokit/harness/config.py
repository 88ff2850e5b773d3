"""The run config: the ledger's values (``configs/repro-default.yaml``) for one model and seed, checked
for what a run can apply. A value the ledger records but the harness cannot apply is refused with one
sentence, never silently ignored."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reprokit.errors import UserError

OPTIMIZERS = ("sgd", "adam", "adamw")
SCHEDULES = {"constant": "constant", "cosine": "cosine", "linear": "linear", "step": "multistep",
             "multistep": "multistep", "multi_step": "multistep", "exponential": "exponential"}
PRECISIONS = {"fp32": "fp32", "float32": "fp32", "bf16": "bf16", "bfloat16": "bf16", "fp16": "fp16",
              "float16": "fp16", "mixed_precision": "mixed"}
FIX = "set it in the paper's `overrides` in config/config.yaml"


# What the harness accepts for the values a user is most likely to override: (type, lowest, lowest included).
RANGES: dict[str, tuple[type, float, bool]] = {
    "optimizer.lr": (float, 0.0, False), "optimizer.weight_decay": (float, 0.0, True),
    "optimizer.momentum": (float, 0.0, True), "optimizer.beta1": (float, 0.0, True),
    "optimizer.beta2": (float, 0.0, True), "optimizer.eps": (float, 0.0, False),
    "batch.batch_size": (int, 1, True), "schedule.total_steps": (int, 1, True), "schedule.epochs": (int, 1, True),
    "schedule.eval_every": (int, 0, True), "schedule.warmup_steps": (int, 0, True), "schedule.gamma": (float, 0.0, False),
    "schedule.warmup_epochs": (float, 0.0, True),
    "schedule.final_lr": (float, 0.0, True), "loss.label_smoothing": (float, 0.0, True),
    "tricks.grad_clip": (float, 0.0, True), "tricks.ema_decay": (float, 0.0, True),
}
UPPER = {"optimizer.beta1": 1.0, "optimizer.beta2": 1.0, "loss.label_smoothing": 1.0, "tricks.ema_decay": 1.0,
         "optimizer.momentum": 1.0}


def value_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be the ledger value ``name`` (None when it can, or when the harness has no rule)."""
    if name not in RANGES or value is None:
        return None
    kind, low, inclusive = RANGES[name]
    try:
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            raise ValueError
        number = float(value)
        if not math.isfinite(number) or (kind is int and number != int(number)):
            raise ValueError
    except (TypeError, ValueError):
        return f"{value!r} is not {'a whole number' if kind is int else 'a number'}"
    high = UPPER.get(name)
    if number < low or (number == low and not inclusive):
        bound = f"at least {low:g}" if inclusive else f"above {low:g}"
        return f"{value!r} is out of range (it must be {bound}{f' and at most {high:g}' if high else ''})"
    if high is not None and number > high:
        return f"{value!r} is out of range (it must be at most {high:g})"
    return None


def load_config(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"run config {path} does not exist; run stage 4 (implement_code) first.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise UserError(f"run config {path} is not valid YAML ({str(err).splitlines()[0]}); fix or regenerate it.") \
            from None
    if not isinstance(data, dict):
        raise UserError(f"run config {path} is not a YAML mapping; regenerate it with stage 4.")
    return data


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _get(values: dict[str, Any], name: str, kind: type, *, allow_none: bool = False) -> Any:
    node: Any = values
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            raise UserError(f"the run config lacks {name}; regenerate it from the ledger (stage 4) or {FIX}.")
        node = node[part]
    if node is None and allow_none:
        return None
    try:
        if kind is bool:
            if not isinstance(node, bool):
                raise ValueError
            return node
        if kind is int:
            if isinstance(node, bool) or float(node) != int(float(node)):
                raise ValueError
            return int(float(node))
        if kind is float:
            value = float(node)
            if not math.isfinite(value) or isinstance(node, bool):
                raise ValueError
            return value
        if kind is list:
            if not isinstance(node, list):
                raise ValueError
            return [float(v) for v in node]
        return str(node).strip().lower().replace("-", "_").replace(" ", "_")
    except (TypeError, ValueError):
        raise UserError(f"{name} = {node!r} in the run config is not a valid {kind.__name__}; {FIX}.") from None


@dataclass
class RunConfig:
    """Everything one training run needs. ``values`` is the whole nested config, passed to the task."""

    model: str
    seed: int
    values: dict[str, Any]
    optimizer: str
    lr: float
    betas: tuple[float, float] | None
    eps: float | None
    momentum: float | None
    nesterov: bool | None
    weight_decay: float
    batch_size: int
    shuffle: bool
    total_steps: int | None
    epochs: int | None
    eval_every: int
    lr_schedule: str
    warmup_steps: int  # (0 where the warm-up is stated in epochs: warmup_epochs)
    milestones: list[float]
    gamma: float
    final_lr: float
    label_smoothing: float
    grad_clip: float
    precision: str
    ema_decay: float
    augmentation: str
    warmup_epochs: float = 0.0
    checkpoint_every: int = 1000
    deterministic: bool = True
    threads: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def budget_unit(self) -> str:
        return "steps" if self.total_steps is not None else "epochs"

    @property
    def budget(self) -> int:
        return self.total_steps if self.total_steps is not None else int(self.epochs or 0)

    @classmethod
    def from_values(cls, values: dict[str, Any], model: str, seed: int, *, applies: frozenset[str] = frozenset(),
                    **runtime: Any) -> RunConfig:
        opt = _get(values, "optimizer.name", str)
        if opt not in OPTIMIZERS:
            raise UserError(f"optimizer.name = {opt!r} is not one the harness applies ({', '.join(OPTIMIZERS)}); {FIX} "
                            "or write the optimizer into the task.")
        beta1 = _get(values, "optimizer.beta1", float, allow_none=True)
        beta2 = _get(values, "optimizer.beta2", float, allow_none=True)
        momentum = _get(values, "optimizer.momentum", float, allow_none=True)
        nesterov = _get(values, "optimizer.nesterov", bool, allow_none=True)
        eps = _get(values, "optimizer.eps", float, allow_none=True)
        if opt == "sgd":
            for name, value in (("optimizer.beta1", beta1), ("optimizer.beta2", beta2), ("optimizer.eps", eps)):
                if value is not None:
                    raise UserError(f"{name} = {value!r} does not apply to SGD; set it to null or choose adam/adamw "
                                    f"({FIX}).")
            if nesterov and not momentum:
                raise UserError(f"optimizer.nesterov is true but optimizer.momentum is {momentum!r}; Nesterov needs "
                                f"momentum > 0 ({FIX}).")
        else:
            for name, value in (("optimizer.momentum", momentum), ("optimizer.nesterov", nesterov)):
                if value not in (None, 0, 0.0, False):
                    raise UserError(f"{name} = {value!r} does not apply to {opt}; set it to null or choose sgd "
                                    f"({FIX}).")
            if beta1 is None or beta2 is None or eps is None:
                raise UserError(f"{opt} needs optimizer.beta1, beta2 and eps; {FIX}.")
        schedule_block = values.get("schedule") if isinstance(values.get("schedule"), dict) else {}
        steps = _get(values, "schedule.total_steps", int, allow_none=True) if "total_steps" in schedule_block else None
        epochs = _get(values, "schedule.epochs", int, allow_none=True) if "epochs" in schedule_block else None
        if steps is None and epochs is None:
            raise UserError(f"the run config gives neither schedule.total_steps nor schedule.epochs; {FIX}.")
        if steps is not None and epochs is not None:
            epochs = None  # both stated: the step budget is exact, the epochs are informative
        budget = steps if steps is not None else epochs
        if budget < 1:
            raise UserError(f"the training budget is {budget!r} {'steps' if steps is not None else 'epochs'}; it must "
                            f"be at least 1 ({FIX}).")
        schedule = _get(values, "schedule.lr_schedule", str)
        if schedule not in SCHEDULES:
            raise UserError(f"schedule.lr_schedule = {schedule!r} is not one the harness applies "
                            f"({', '.join(sorted(set(SCHEDULES)))}); {FIX}.")
        milestones = _get(values, "schedule.milestones", list)
        if SCHEDULES[schedule] == "multistep" and not milestones:
            raise UserError(f"schedule.lr_schedule is {schedule!r} but schedule.milestones is empty; give the "
                            f"steps or epochs at which the rate drops ({FIX}).")
        gamma = _get(values, "schedule.gamma", float, allow_none=True)
        if gamma is None and SCHEDULES[schedule] in ("multistep", "exponential"):
            raise UserError(f"schedule.lr_schedule is {schedule!r} but schedule.gamma is not given; give the factor "
                            f"the rate is multiplied by ({FIX}).")
        precision = _get(values, "tricks.precision", str)
        if precision not in PRECISIONS:
            raise UserError(f"tricks.precision = {precision!r} is not one the harness applies "
                            f"({', '.join(PRECISIONS)}); {FIX}.")
        augmentation = str(values.get("augmentation", {}).get("pipeline", "none")).strip()
        if augmentation.lower() != "none" and "augmentation.pipeline" not in applies:
            raise UserError(f"the ledger records augmentation {augmentation!r} but the task does not apply "
                            "augmentation (add 'augmentation.pipeline' to its APPLIES and apply it in datasets()), or "
                            f"set augmentation.pipeline to none ({FIX}).")
        eval_every = _get(values, "schedule.eval_every", int)
        batch_size = _get(values, "batch.batch_size", int)
        warmup = _get(values, "schedule.warmup_steps", int, allow_none=True) if "warmup_steps" in schedule_block else None
        warmup_epochs = _get(values, "schedule.warmup_epochs", float, allow_none=True) \
            if "warmup_epochs" in schedule_block else None
        if warmup is None and warmup_epochs is None:
            raise UserError(f"the run config gives neither schedule.warmup_steps nor schedule.warmup_epochs; {FIX}.")
        if warmup and warmup_epochs:
            warmup_epochs = None  # both given: the steps are exact (a warm-up of 0 steps beside one in epochs is none
            # given: an argparse default beside the paper's "5-epoch warm-up")
        lr = _get(values, "optimizer.lr", float)
        for name, value in flatten(values).items():
            problem = value_problem(name, value)
            if problem:
                raise UserError(f"{name} = {problem}; {FIX}.")
        return cls(
            model=model, seed=int(seed), values=values, optimizer=opt, lr=lr,
            betas=(beta1, beta2) if opt != "sgd" else None, eps=eps if opt != "sgd" else None,
            momentum=momentum or 0.0, nesterov=bool(nesterov), weight_decay=_get(values, "optimizer.weight_decay", float),
            batch_size=batch_size, shuffle=_get(values, "batch.shuffle", bool), total_steps=steps, epochs=epochs,
            eval_every=eval_every, lr_schedule=SCHEDULES[schedule], warmup_steps=warmup or 0,
            milestones=milestones, gamma=gamma if gamma is not None else 1.0,
            final_lr=_get(values, "schedule.final_lr", float),
            label_smoothing=_get(values, "loss.label_smoothing", float), grad_clip=_get(values, "tricks.grad_clip", float),
            precision=PRECISIONS[precision], ema_decay=_get(values, "tricks.ema_decay", float),
            augmentation=augmentation, warmup_epochs=warmup_epochs or 0.0, **runtime)
