"""The task contract: what a paper brings so that stages 4-7 can build, smoke-test, train and compare it.

A task is a plain Python module (a file, ``task: path/to/task.py``, or an importable ``package.module``)
with these names (docs/task.md has a complete example):

- ``MODELS``: ``{name: builder}``; ``builder(cfg)`` returns any ``torch.nn.Module``. ``cfg`` is the run
  config, the ledger's values as a nested dict (``cfg["optimizer"]["lr"]``, and the task's own knobs).
- ``LOSS``: ``"cross_entropy"``, ``"mse"``, ``"l1"``, ``"nll"``, ``"bce_with_logits"``, or a function
  ``loss(outputs, targets, cfg) -> scalar tensor``.
- ``METRICS``: a list of ``Metric``; the first is the one compared with the paper.
- ``make_data(args) -> {split: {array name: numpy array}}`` (optional): stage 5's generator; ``args`` are
  the config's ``dataset.args``. Without it, the data comes from a Hugging Face file in the same layout.
- ``datasets(splits, cfg) -> {split: Dataset}`` (optional): how the prepared arrays become datasets whose
  items are ``(input, ..., target)``. Default: ``TensorDataset(x, y)`` from each split's ``x`` and ``y``.
- ``EVAL_SPLIT``: the split the paper reports on (default ``"test"``); ``TRAIN_SPLIT`` (default ``"train"``).
- ``KNOBS``: a list of ``Knob`` the task needs beyond the core ledger (optional).
- ``initial_loss(cfg, outputs) -> (expected, tolerance) or None`` (optional): what smoke tier 1 expects of
  the loss at initialisation; default ln(C) for C-way cross-entropy, no expectation otherwise.
- ``APPLIES``: ledger names the task applies itself (e.g. ``{"augmentation.pipeline"}``), optional.
- ``SMOKE``: the smoke ladder's thresholds for this task (``init_loss_tolerance``, ``window``, ``max_rise``),
  in place of the config's ``smoke`` settings; optional.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from reprokit.errors import UserError
from reprokit.gaps.knobs import CORE, Knob

BUILTIN_LOSSES = ("cross_entropy", "mse", "l1", "nll", "bce_with_logits")
UNITS_RELATIVE = ("percent", "fraction")
DOCS = "docs/task.md"


@dataclass(frozen=True)
class Metric:
    """One metric of the task.

    ``fn(outputs, targets)`` returns a tensor of per-example values (averaged over the evaluation split) or a
    scalar (averaged over batches, weighted by their size); with ``over="set"`` it is called once with the
    outputs and targets of the whole evaluation split concatenated (F1, AUC, any metric that is not a mean).
    ``higher_is_better`` gives the direction; ``unit`` is ``"percent"`` (fn returns 0-100), ``"fraction"``
    (0-1) or the metric's own unit (``"nats"``, ``"MSE"``, ``"dB"``...).
    """

    name: str
    fn: Callable[..., Any]
    higher_is_better: bool = True
    unit: str = "percent"
    over: str = "examples"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError("a Metric needs a name")
        if not callable(self.fn):
            raise ValueError(f"Metric {self.name!r}: fn must be a function of (outputs, targets)")
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise ValueError(f"Metric {self.name!r}: unit must be 'percent', 'fraction' or the metric's own unit")
        if self.over not in ("examples", "set"):
            raise ValueError(f"Metric {self.name!r}: over must be 'examples' (a mean) or 'set' (the whole split at once)")

    @property
    def direction(self) -> str:
        return "higher" if self.higher_is_better else "lower"


def accuracy(outputs: Any, targets: Any) -> Any:
    """Per-example top-1 accuracy in percent (outputs are class scores on the last axis)."""
    return (outputs.argmax(-1) == targets).float() * 100.0


@dataclass
class Task:
    """A loaded, checked task module."""

    spec: str
    path: Path | None
    module: ModuleType
    models: dict[str, Callable[[dict[str, Any]], Any]]
    loss: str | Callable[..., Any]
    metrics: list[Metric]
    knobs: list[Knob] = field(default_factory=list)
    eval_split: str = "test"
    train_split: str = "train"
    make_data: Callable[[dict[str, Any]], dict[str, dict[str, Any]]] | None = None
    datasets: Callable[..., dict[str, Any]] | None = None
    initial_loss: Callable[..., Any] | None = None
    applies: frozenset[str] = frozenset()
    data_args: dict[str, Any] | None = None
    smoke: dict[str, Any] = field(default_factory=dict)

    @property
    def loss_name(self) -> str:
        return self.loss if isinstance(self.loss, str) else getattr(self.loss, "__name__", "custom")

    @property
    def primary(self) -> Metric:
        return self.metrics[0]

    def source_digest(self) -> str:
        """sha256 of the task's source file (what a run's identity depends on)."""
        path = self.path or Path(getattr(self.module, "__file__", "") or "")
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""

    def knob_models(self) -> dict[str, str]:
        """Knob name -> the one model it is scoped to (only scoped knobs)."""
        return {k.name: k.model for k in self.knobs if k.model}

    def describe(self) -> dict[str, Any]:
        """The task as plain data (for JSON records and the code/ README)."""
        return {"task": self.spec, "models": sorted(self.models), "loss": self.loss_name,
                "metrics": [{"name": m.name, "direction": m.direction, "unit": m.unit} for m in self.metrics],
                "eval_split": self.eval_split, "train_split": self.train_split,
                "knobs": [k.name for k in self.knobs], "generator": self.make_data is not None}


def _import(spec: str, root: Path) -> tuple[ModuleType, Path | None]:
    looks_like_file = spec.endswith(".py") or "/" in spec or "\\" in spec or (root / spec).is_file()
    if looks_like_file:
        path = Path(spec) if Path(spec).is_absolute() else root / spec
        if not path.is_file():
            raise UserError(f"task file {spec} does not exist; fix `task` for this paper in config/config.yaml "
                            f"(a path to a .py file or an importable module; see {DOCS}).")
        if path.suffix != ".py":
            raise UserError(f"task file {spec} is not a Python file (its name must end in .py); point `task` for "
                            f"this paper in config/config.yaml at the task's .py file (see {DOCS}).")
        name = f"reprokit_task_{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        try:
            module_spec.loader.exec_module(module)
        except Exception as err:  # noqa: BLE001 (any error in the user's file is reported as one sentence)
            sys.modules.pop(name, None)
            raise UserError(f"task file {spec} fails to import ({type(err).__name__}: {err}); fix the file.") from None
        return module, path.resolve()
    try:
        module = importlib.import_module(spec)
    except ImportError as err:
        raise UserError(f"task module {spec!r} cannot be imported ({err}); fix `task` in config/config.yaml or "
                        "install the package that holds it.") from None
    except Exception as err:  # noqa: BLE001
        raise UserError(f"task module {spec!r} fails to import ({type(err).__name__}: {err}); fix the module.") from None
    return module, Path(module.__file__).resolve() if getattr(module, "__file__", None) else None


def load_task(spec: str, root: str | Path = ".") -> Task:
    """Import a task and check it against the contract; an incomplete task is one sentence naming the piece."""
    if not isinstance(spec, str) or not spec.strip():
        raise UserError(f"this paper has no `task`; stages 4-7 need one: write a task file (see {DOCS}) and set "
                        "`task: path/to/task.py` under the paper in config/config.yaml.")
    module, path = _import(spec.strip(), Path(root))

    def fail(piece: str) -> UserError:
        return UserError(f"task {spec} {piece}; see {DOCS} for the contract and a complete example.")

    models = getattr(module, "MODELS", None)
    if not isinstance(models, dict) or not models:
        raise fail("defines no MODELS (a dict of model name -> builder(cfg) returning a torch.nn.Module)")
    for name, builder in models.items():
        if not isinstance(name, str) or not name or not name.replace("_", "").isalnum() or name != name.lower():
            raise fail(f"has a model named {name!r}; model names are lower-case letters, digits and underscores")
        if not callable(builder):
            raise fail(f"maps model {name!r} to {type(builder).__name__}, not a builder function")
    loss = getattr(module, "LOSS", None)
    if loss is None:
        raise fail(f"defines no LOSS (one of {', '.join(BUILTIN_LOSSES)}, or a function loss(outputs, targets, cfg))")
    if isinstance(loss, str) and loss not in BUILTIN_LOSSES:
        raise fail(f"names LOSS {loss!r}, which is not built in (use one of {', '.join(BUILTIN_LOSSES)} or a function)")
    if not isinstance(loss, str) and not callable(loss):
        raise fail("has a LOSS that is neither a name nor a function")
    metrics = getattr(module, "METRICS", None)
    if not isinstance(metrics, (list, tuple)) or not metrics:
        raise fail("defines no METRICS (a list of reprokit.task.Metric; the first is compared with the paper)")
    if not all(isinstance(m, Metric) for m in metrics):
        raise fail("has METRICS entries that are not reprokit.task.Metric")
    knobs = list(getattr(module, "KNOBS", []) or [])
    if not all(isinstance(k, Knob) for k in knobs):
        raise fail("has KNOBS entries that are not reprokit.task.Knob")
    clash = [k.name for k in knobs if k.name in CORE]
    if clash:
        raise fail(f"redefines the core knob {clash[0]}; give a task knob another name or set the value in `overrides`")
    scoped = [k for k in knobs if k.model and k.model not in models]
    if scoped:
        raise fail(f"scopes knob {scoped[0].name} to model {scoped[0].model!r}, which MODELS does not define")
    make_data = getattr(module, "make_data", None)
    datasets = getattr(module, "datasets", None)
    initial = getattr(module, "initial_loss", None)
    for name, value in (("make_data", make_data), ("datasets", datasets), ("initial_loss", initial)):
        if value is not None and not callable(value):
            raise fail(f"defines {name} but it is not a function")
    data_args = getattr(module, "DATA_ARGS", None)
    if data_args is not None and (not isinstance(data_args, dict) or not all(isinstance(k, str) for k in data_args)):
        raise fail("has a DATA_ARGS that is not a dict of make_data argument name -> default value")
    smoke = getattr(module, "SMOKE", None) or {}
    problem = smoke_problem(smoke)
    if problem:
        raise fail(f"has a SMOKE {problem}")
    eval_split = getattr(module, "EVAL_SPLIT", "test")
    train_split = getattr(module, "TRAIN_SPLIT", "train")
    if not isinstance(eval_split, str) or not isinstance(train_split, str):
        raise fail("has an EVAL_SPLIT or TRAIN_SPLIT that is not a split name")
    return Task(spec=spec, path=path, module=module, models=dict(models), loss=loss, metrics=list(metrics),
                knobs=knobs, eval_split=eval_split, train_split=train_split, make_data=make_data, datasets=datasets,
                initial_loss=initial, applies=frozenset(getattr(module, "APPLIES", ()) or ()),
                data_args=dict(data_args) if data_args is not None else None, smoke=dict(smoke))


SMOKE_KEYS = {"init_loss_tolerance": (float, 0.0, False), "window": (int, 1, True), "max_rise": (float, 0.0, True)}


def smoke_problem(smoke: Any) -> str | None:
    """Why a task's ``SMOKE`` thresholds cannot be used (None: they can)."""
    if not isinstance(smoke, dict):
        return "that is not a dict of smoke thresholds"
    for key, value in smoke.items():
        if key not in SMOKE_KEYS:
            return f"key {key!r} that is not a smoke threshold (they are {', '.join(sorted(SMOKE_KEYS))})"
        kind, low, inclusive = SMOKE_KEYS[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
            return f"{key} of {value!r}, not {'a whole number' if kind is int else 'a number'}"
        if value < low or (value == low and not inclusive):
            return f"{key} of {value!r}, not {'at least' if inclusive else 'above'} {low:g}"
    return None


def default_initial_loss(task: Task, outputs: Any) -> tuple[float, float] | None:
    """ln(C) for C-way cross-entropy (C from the outputs' last axis); no expectation for other losses."""
    if task.loss == "cross_entropy" and getattr(outputs, "ndim", 0) >= 2 and outputs.shape[-1] > 1:
        return math.log(outputs.shape[-1]), 0.0
    return None
