"""Stage 2, second half: inventory the official code by static analysis (Python's AST, never import).

Finds the ten components a training pipeline needs, the hyperparameter defaults written in the code
(``code_hparams.json``), and triages the paper's open questions: resolved by code at path:line, or
carried forward.
"""

from __future__ import annotations

import ast
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reprokit import atomic, optimizers
from reprokit.code.hydra import composed_configs
from reprokit.code.reach import launched_commands, parse_file, reached_files, reached_functions
from reprokit.code.registry import registry_picks
from reprokit.errors import UserError
from reprokit.text import MODEL_WORD

COMPONENTS = (
    ("model", "model definition"),
    ("data", "data loaders"),
    ("augmentation", "augmentation pipeline"),
    ("loss", "loss functions"),
    ("training_loop", "training loop"),
    ("optimizer", "optimizer + schedule"),
    ("eval", "eval scripts"),
    ("checkpoints", "pretrained checkpoints"),
    ("saving", "checkpoint saving"),
    ("configs", "configs"),
    ("instructions", "reproduction instructions"),
)
# the options of a class that trains: two of these among its constructor's parameters
TRAINING_OPTIONS = {"batch_size", "learning_rate", "lr", "n_epochs", "epochs", "num_epochs", "weight_decay",
                    "max_grad_norm", "grad_clip", "total_steps", "max_steps", "num_train_epochs", "warmup_steps",
                    # Hugging Face's TrainingArguments, Lightning's Trainer
                    "per_device_train_batch_size", "max_epochs", "gradient_clip_val"}
# a library's trainer, whose training loop is its own: transformers' Trainer, TRL's SFTTrainer / DPOTrainer
LIBRARY_TRAINER = re.compile(r"^(?:Seq2Seq|SFT|DPO|PPO|GRPO|ORPO|KTO|Reward)?Trainer$")
MODULE_BASES = {"Module", "LightningModule", "PreTrainedModel", "Model"}  # torch, Lightning, transformers, Keras
DATASET_BASES = {"Dataset", "IterableDataset", "LightningDataModule"}
# reinforcement learning has no dataset: an environment (gym/gymnasium) its agent collects rollouts from is the data
ENV_BASES = {"Env", "Wrapper", "ObservationWrapper", "RewardWrapper", "ActionWrapper", "VecEnvWrapper"}
CRITERION_NAMES = frozenset({"criterion", "loss_fn", "loss_func", "loss_function", "lossfn", "loss_fcn"})
LOSS_CALL = re.compile(r"(Loss|^cross_entropy|^nll_loss|^mse_loss|^l1_loss|^binary_cross_entropy\w*|^kl_div)$")
OPTIM_CALL = re.compile(rf"^{optimizers.pattern(any_case=False)}$")
SCHED_CALL = re.compile(r"(LR|Scheduler|^get_\w*schedule\w*|^CosineAnnealing\w*|^OneCycleLR|^StepLR|^ReduceLROnPlateau)$")
# (not a random number generator or sampler: np.random.RandomState, RandomSampler)
AUGMENT_CALL = re.compile(r"^(?:Random(?!State|Sampler|Generator|Split)[A-Z]\w*|ColorJitter|RandAugment|AutoAugment|"
                          r"TrivialAugmentWide|AugMix|"
                          r"GaussianBlur|HorizontalFlip|VerticalFlip|ShiftScaleRotate|Mixup|CutMix|Cutout)$")
# a function named for augmentation; not "transform" (a feature transform, a model's forward step) nor "translate"
AUGMENT_NAME = re.compile(r"augment|jitter|flip|crop|mixup|cutmix|shear", re.IGNORECASE)
# (and the batch makers of language-model code that has no DataLoader: salesforce/awd-lstm-lm's and
# pytorch/examples' batchify and get_batch, nanoGPT's get_batch)
DATA_NAME = re.compile(r"(dataset|dataloader|load_data|make_data|get_data|data_loader|^batchify$|^get_batch(?:es)?$|"
                       r"^iterate_minibatches$|^next_batch$)", re.IGNORECASE)
DATA_FILE = re.compile(r"(?:^|_)(?:data|dataset|datasets|dataloader|dataloaders|loader|loaders)(?:$|_)", re.IGNORECASE)
EVAL_NAME = re.compile(r"^(eval\w*|evaluate\w*|test\w*|accuracy|validate\w*)$", re.IGNORECASE)
CONFIG_FUNC = re.compile(r"(args|config|cfg|hparams|params|settings|options)", re.IGNORECASE)
PYTEST_FILE = re.compile(r"(?:^|/)(?:tests?/|test_\w+\.py$|\w+_test\.py$|conftest\.py$)")  # its test_* are unit tests
# what writes a checkpoint: torch.save, save_pretrained, Lightning's ModelCheckpoint and save_checkpoint, accelerate's
# save_state, Keras' save_weights
SAVE_CALL = re.compile(r"^(?:save_pretrained|save_checkpoint|ModelCheckpoint|save_state|save_weights|save_model)$")
CHECKPOINT_EXT = (".pt", ".pth", ".ckpt", ".safetensors", ".h5")
MAX_SETTING_ITEMS = 64  # a literal list longer than this is data (class ids, file lists), never a setting
MAX_READ_BYTES = 5_000_000  # larger files are not read (stage 2 already leaves them out)
# a weights file, or a Hugging Face model repository (not a dataset, a Space or the site's own pages)
CHECKPOINT_URL = re.compile(r"https?://\S+\.(pt|pth|ckpt|safetensors|bin)\b|"
                            r"huggingface\.co/(?!(?:datasets|spaces|docs|blog|papers|learn|models|collections)\b)"
                            r"[\w-]+/[\w.-]+")
# a model class of Hugging Face transformers (or diffusers) built with from_pretrained: AutoModelForCausalLM,
# GPT2LMHeadModel, CLIPModel, BertForSequenceClassification, UNet2DConditionModel (not a tokenizer, config or processor)
PRETRAINED_MODEL = re.compile(r"^(?:TF|Flax)?[A-Z]\w*(?:Model|For[A-Z]\w+)$")
CONFIG_EXT = (".yaml", ".yml", ".toml", ".cfg", ".ini")
CONFIG_FILE_KINDS = ("yaml config", "toml config")  # the settings of a config file
# a tool's configuration, never an experiment's
TOOL_CONFIGS = ("pyproject.toml", "Cargo.toml", "ruff.toml", ".ruff.toml", "poetry.lock", "environment.yml",
                "environment.yaml", "conda.yaml", "mkdocs.yml", "codecov.yml", ".readthedocs.yaml", ".readthedocs.yml")
REPRO_README = re.compile(r"(python\s+\S*train\S*\.py|bash\s+\S+\.sh|reproduc|to train)", re.IGNORECASE)

CONFIG_NAME = re.compile(r"(config|cfg|args|params|hparams|hyper|settings|defaults|kwargs|options)", re.IGNORECASE)
OTHER_OPTIMIZER = re.compile(r"(Optimizer|Strategy|^fmin\w*|^minimize)$")  # CMA-ES, optax, keras, scipy...
# `python train.py ...`, `torchrun -m pkg.train ...`, a script run directly (`./scripts/train.py ...`), or a shell
# script (`bash scripts/train.sh ...`, `./train.sh`), whose own python commands are then read
# (a launcher's own options first: `torchrun --nproc_per_node 8 -m pkg.train`, `python -u train.py`); a module run
# with -m is given as "-m pkg.train" (module_script finds its file)
README_COMMAND = re.compile(r"^\s*(?:\$\s*)?(?:[A-Z_]+=\S+\s+)*"
                            # a project runner before it: `uv run python train.py`, `poetry run python ...`
                            r"(?:(?:uv|poetry|pipenv|pdm|hatch)\s+run\s+(?:--?[\w-]+(?:=\S+)?\s+)*)?"
                            r"(?:make\s+(?P<make>[A-Za-z][\w.-]*)(?=\s|$)|(?:python3?(?:\s+-[uOBW]\w*)*|"
                            r"(?:torchrun|accelerate launch|deepspeed)"
                            r"(?:\s+--?(?!m\s)[\w.-]+(?:=\S+|\s+\d\S*|\s+\S+\.(?:ya?ml|json))?)*|"
                            r"bash|sh)"
                            r"\s+(?P<module>-m\s+)?(?P<script>[\w./-]+)|(?P<direct>\.?/?[\w./-]+\.(?:py|sh))(?=\s|$))"
                            r"(?P<rest>.*)$")
LAYER_CALLS = {"Linear", "Conv1d", "Conv2d", "Conv3d", "GRU", "LSTM", "RNN", "Embedding", "MultiheadAttention",
               "TransformerEncoderLayer", "TransformerDecoderLayer", "BatchNorm1d", "BatchNorm2d", "LayerNorm"}
ARCH_NAME = re.compile(r"hidden|channels?$|width|_dim$|^dim$|layers$|heads$|kernel|embed|depth|features$", re.IGNORECASE)
DEPENDENCY_FILES = ("requirements.txt", "requirements-dev.txt", "setup.py", "setup.cfg", "pyproject.toml",
                    "environment.yml", "environment.yaml", "Pipfile", "conda.yaml")

# open-question knob -> names in code that answer it
KNOB_NAMES = {
    "optimizer.betas": r"betas?\d?$|^eps(ilon)?$",
    "optimizer.momentum": r"momentum|nesterov",
    "optimizer.weight_decay": r"weight_decay|wd$|l2",
    "schedule.lr_schedule": r"schedul|warmup|lr_decay|gamma$|milestones",
    "init": r"init",
    "architecture.width": r"hidden(_size|_dim|_width|_units)?$|width$|units$",
    "architecture.padding": r"padding$",
    "seeds": r"seeds?$",
    "batch.batch_size": r"batch_size$|bs$",
    "augmentation": r"augment|transform",
}


def argparse_dest(node: ast.Call) -> str | None:
    """The name argparse stores an option under: ``dest=``, else its first long flag (``--batch-size``, ``-b``:
    batch_size), else its first flag or positional name."""
    keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    if "dest" in keywords and isinstance(literal_value(keywords["dest"]), str):
        return str(literal_value(keywords["dest"]))
    flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    chosen = next((f for f in flags if f.startswith("--")), flags[0] if flags else None)
    return chosen.lstrip("-").replace("-", "_") if chosen else None


@dataclass
class Finding:
    """A component's places, each with what was found there; ``paths`` and ``notes`` keep the places' order."""
    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, note: str) -> None:
        if (where, note) not in self.items:
            self.items.append((where, note))

    @property
    def paths(self) -> list[str]:
        return list(dict.fromkeys(where for where, _ in self.items if where))  # a note alone is no place

    @property
    def notes(self) -> list[str]:
        return list(dict.fromkeys(note for _, note in self.items))

    def rank(self, key: Callable[[str], Any]) -> None:
        """Order the places (and so their notes) by ``key`` of the file, stably."""
        self.items.sort(key=lambda item: key(_file_of(item[0])))


def _file_of(where: str) -> str:
    """The file of a place: "a/b.py:12" and "nb.ipynb#cell 3:4" -> "a/b.py", "nb.ipynb"."""
    return re.split(r"[:#]", where)[0]


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return _name(node)


def literal_value(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


class _Visitor(ast.NodeVisitor):
    def __init__(self, rel: str, found: dict[str, Finding], hparams: list[dict[str, Any]],
                 cells: list[tuple[int, int]] | None = None, entry: bool = False):
        self.rel = rel
        self.entry = entry  # the script a training command runs: what it sets at its top level configures the run
        self.cells = cells  # a notebook's joined code line -> (cell number, line in that cell)
        self.found = found
        self.hparams = hparams
        self.function: list[str] = []
        self.module_classes: set[str] = set()  # the nn.Module (or Keras Model) classes defined
        self.evolution = False  # the file imports an evolution strategy's library (visit_Module)
        self.read_dicts: set[int] = set()
        self.lightning: set[str] = set()  # the LightningModule classes seen
        self.optimizer_classes: set[str] = set()  # the file's own optimizers: class X(torch.optim.Optimizer)

    def visit_Module(self, node: ast.Module) -> None:
        # an evolution strategy's library (cma, nevergrad, evosax, evotorch, cmaes): its ask/tell is a training loop
        # (Optuna's study.ask/tell is a hyperparameter search)
        self.evolution = any(isinstance(n, (ast.Import, ast.ImportFrom)) and any(
            re.match(r"(?:cma|cmaes|nevergrad|evosax|evotorch|pycma)(?:\.|$)", m)
            for m in ([a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""]))
            for n in ast.walk(node))
        self.optimizer_classes = {c.name for c in ast.walk(node) if isinstance(c, ast.ClassDef)
                                  and any(_name(b) == "Optimizer" or OPTIM_CALL.match(_name(b)) for b in c.bases)
                                  and optimizers.family(c.name)}
        self.generic_visit(node)

    def line_of(self, lineno: int) -> tuple[int, str]:
        """The line a user opens: in a notebook, `path.ipynb#cell N:line M` (N counts every cell from 1)."""
        if self.cells and 0 < lineno <= len(self.cells):
            cell, line = self.cells[lineno - 1]
            return line, f"{self.rel}#cell {cell}:line {line}"
        return lineno, f"{self.rel}:{lineno}"

    def where(self, node: ast.AST) -> str:
        return self.line_of(getattr(node, "lineno", 0))[1]

    def hparam(self, name: str, value: Any, node: ast.AST, kind: str) -> dict[str, Any] | None:
        """The setting recorded, or None where the value is data, not a setting."""
        # a long list (1000 class ids, a table of corruption names) is data, not a setting
        if isinstance(value, (list, tuple)) and len(value) > MAX_SETTING_ITEMS:
            return None
        if isinstance(value, (int, float, str, bool, list, tuple)) and not (isinstance(value, str) and len(value) > 200):
            return self.record(name, list(value) if isinstance(value, tuple) else value, node.lineno, kind)
        return None

    def record(self, name: str, value: Any, lineno: int, kind: str, scope: str | None = None) -> dict[str, Any]:
        line, where = self.line_of(lineno)
        self.hparams.append({"name": name, "value": value, "path": self.rel, "line": line, "where": where, "kind": kind,
                             "scope": scope or ".".join(self.function) or "<module>"})
        return self.hparams[-1]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = {_name(b) for b in node.bases}
        if "LightningModule" in bases:  # Lightning runs its training_step: the training loop
            self.lightning.add(node.name)
        if bases & MODULE_BASES:
            self.found["model"].add(self.where(node), f"class {node.name}({', '.join(sorted(bases))})")
        for item in node.body:  # a network's options, or a trainer's (an RL algorithm's batch_size, n_epochs)
            if isinstance(item, ast.FunctionDef) and item.name == "__init__" and (
                    bases & MODULE_BASES or len(TRAINING_OPTIONS & {a.arg for a in item.args.args}) >= 2):
                self._defaults(item, f"{node.name}", "constructor default")
        if any(LIBRARY_TRAINER.match(b) for b in bases):  # SimCSE's CLTrainer(Trainer): the library's loop, customised
            self.found["training_loop"].add(self.where(node), f"class {node.name}({', '.join(sorted(bases))}): the "
                                                              "library's training loop")
        if bases & DATASET_BASES:
            self.found["data"].add(self.where(node), f"class {node.name}({', '.join(sorted(bases))})")
        elif bases & ENV_BASES:
            self.found["data"].add(self.where(node), f"class {node.name}({', '.join(sorted(bases))}): an environment")
        if bases & MODULE_BASES:
            self.module_classes.add(node.name)
        self.function.append(node.name)
        self.generic_visit(node)
        self.function.pop()

    def _defaults(self, func: ast.FunctionDef, owner: str, kind: str) -> None:
        args = func.args.args[-len(func.args.defaults):] if func.args.defaults else []
        for arg, default in zip(args, func.args.defaults):
            value = literal_value(default)
            if value is not None:
                self.record(arg.arg, value, default.lineno, kind, owner)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        name = node.name
        if DATA_NAME.search(name):
            self.found["data"].add(self.where(node), f"def {name}()")
        elif not self.function and DATA_FILE.search(Path(self.rel).stem) and any(
                isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(node)):
            # a data module's generator of batches (pplm_dataset.py: get_pplm_batch_iterator yields them)
            self.found["data"].add(self.where(node), f"def {name}(): yields the data")
        if AUGMENT_NAME.search(name):
            self.found["augmentation"].add(self.where(node), f"def {name}()")
        # (a network's method named eval is its mode switch or its inference step: Module.eval, policy.eval(obs))
        method_eval = name == "eval" and bool(self.function) and self.function[-1] in self.module_classes
        if EVAL_NAME.match(name) and not method_eval and not (name.lower().startswith("test")
                                                              and PYTEST_FILE.search(self.rel)) \
                and not DATA_NAME.search(name):  # a test_dataloader() serves data, it evaluates nothing
            self.found["eval"].add(self.where(node), f"def {name}()")
        if "loss" in name.lower():
            self.found["loss"].add(self.where(node), f"def {name}()")
        calls = {_name(n.func): n for n in ast.walk(node) if isinstance(n, ast.Call)}
        # the step in a helper of its own: rl_games' calc_gradients() calls trancate_gradients_and_step()
        step = next((c for c in calls if re.search(r"(?:^|_)step(?:$|_)", c)), None)
        if "backward" in calls and "step" in calls:
            self.found["training_loop"].add(self.where(node), f"def {name}(): loss.backward() and .step()")
        elif "backward" in calls and step:
            self.found["training_loop"].add(self.where(node), f"def {name}(): loss.backward() and {step}()")
        elif "apply_gradients" in calls or "apply_updates" in calls:  # TensorFlow's GradientTape, JAX's optax
            self.found["training_loop"].add(self.where(node), f"def {name}(): gradients applied by the optimizer")
        elif "ask" in calls and "tell" in calls and self.evolution:  # an evolution strategy: no gradients
            self.found["training_loop"].add(self.where(node), f"def {name}(): candidates asked of and told to an "
                                                              "evolution strategy")
        elif name == "training_step" and self.function and self.function[-1] in self.lightning:
            self.found["training_loop"].add(self.where(node), f"def {name}() of a LightningModule")
        for target in _backward_targets(node):  # the loss is what .backward() is called on, where it is computed
            self.found["loss"].add(self.where(target), f"{ast.unparse(target.value)[:70]} (.backward() in {name}())")
        self.function.append(name)
        self.generic_visit(node)
        self.function.pop()
        if name == "configure_optimizers" and self.function and self.function[-1] in self.lightning:
            # Lightning builds the optimizer the run steps here, often from the config (after the calls in it)
            self.found["optimizer"].add(self.where(node), f"def {name}() of a LightningModule")

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        targets = names + [t.attr for t in node.targets if isinstance(t, ast.Attribute)]
        built = node.value.func if isinstance(node.value, ast.Call) else None
        if built is not None and isinstance(built, ast.Attribute) and built.attr == "cuda" \
                and isinstance(built.value, ast.Call):
            built = built.value.func  # (`nn.CrossEntropyLoss().cuda()`)
        if built is not None and _name(built).endswith("Loss") and re.match(r"(?:torch\.)?nn\.", _dotted(built)) \
                and any(t in CRITERION_NAMES for t in targets):
            # the loss the code trains with, as PyTorch scripts name it (`criterion = nn.BCELoss()`, pytorch/examples'
            # DCGAN and ImageNet): a run's loss where the paper names none; not a term an objective is built from
            # (FOA's `criterion_mse = nn.MSELoss(...)`)
            self.record("loss", _name(built), node.lineno, "loss call")
        if not self.function and names and not names[0].startswith("__"):  # a module-level constant
            value = literal_value(node.value)
            # (an empty list is an accumulator, `losses = []`, never a setting)
            if isinstance(value, (int, float, bool, list)) and value != [] and not isinstance(node.value, ast.Dict):
                self.hparam(names[0], value, node.value, "module constant")
        if names and isinstance(node.value, ast.Dict) and (CONFIG_NAME.search(names[0]) or (self.entry and not self.function)):
            # a settings dictionary, or any top-level one of the entry script (RICE's retrain.py: custom_objects =
            # {'learning_rate': 1e-5}, handed to PPO.load)
            self._dict_items(node.value, f"dictionary {names[0]}")
        self.generic_visit(node)

    def _dict_items(self, node: ast.Dict, what: str) -> None:
        if not node.keys or not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.keys):
            return
        if id(node) in self.read_dicts:
            return
        self.read_dicts.add(id(node))
        self.found["configs"].add(self.where(node), what)
        for key, value in zip(node.keys, node.values):
            literal = literal_value(value)
            if literal is not None:
                self.hparam(str(key.value), literal, value, "config dict")

    def visit_Dict(self, node: ast.Dict) -> None:
        scope = self.function[-1] if self.function else ""
        if (CONFIG_FUNC.search(scope) or scope == "main") and node.keys and all(isinstance(k, ast.Constant) for k in node.keys):
            self._dict_items(node, f"argument dictionary in {scope}()")
        self.generic_visit(node)

    def _keywords(self, node: ast.Call, owner: str, kind: str, scalars_only: bool = False) -> None:
        """Each keyword argument of a call with a literal value, as ``owner.keyword`` (lists and dicts left out
        with ``scalars_only``)."""
        for kw in node.keywords:
            value = literal_value(kw.value)
            if kw.arg and value is not None and not (scalars_only and isinstance(value, (list, dict))):
                self.hparam(f"{owner}.{kw.arg}", value, kw.value, kind)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        dotted = _dotted(node.func)
        if name == "DataLoader":
            self.found["data"].add(self.where(node), "DataLoader(...)")
        if AUGMENT_CALL.match(name):  # a random transform built (torchvision, albumentations, timm): augmentation
            self.found["augmentation"].add(self.where(node), f"{dotted}(...)")
        if LOSS_CALL.search(name):
            self.found["loss"].add(self.where(node), f"{dotted}(...)")
        if OPTIM_CALL.match(name) and ("optim" in dotted or name in ("Adam", "AdamW", "SGD")) \
                or name in self.optimizer_classes:  # torch's, or the file's own subclass (grok's CustomAdamW)
            self.found["optimizer"].add(self.where(node), f"{dotted}(...)")
            before = len(self.hparams)
            self._keywords(node, name, "optimizer argument")
            for param, arg in zip(_torch_parameters(name)[1:], node.args[1:]):  # positional: the signature names them
                value = literal_value(arg)
                if value is not None:
                    self.hparam(f"{name}.{param}", value, arg, "optimizer argument")
            if len(self.hparams) == before:  # built with no literal argument (`Adam(net.parameters(), lr=args.lr)`,
                # pytorch/examples' GAT): still the optimizer the code trains with
                self.record(name, name, node.lineno, "optimizer call")
            for h in self.hparams[before:]:  # the optimizer is named where it is called, not at its lr= line
                h["call"] = self.where(node)
        elif OTHER_OPTIMIZER.search(name):  # CMA-ES, optax, Keras, scipy: keywords, option dicts, positions
            self.found["optimizer"].add(self.where(node), f"{dotted}(...)")
            named = [(f"arg{index}", arg) for index, arg in enumerate(node.args[1:], 1)]
            for label, arg in named + [(kw.arg, kw.value) for kw in node.keywords if kw.arg]:
                value = literal_value(arg)
                if isinstance(arg, ast.Dict):
                    self._dict_items(arg, f"options of {dotted}(...)")
                elif value is not None:
                    self.hparam(f"{name}.{label}", value, arg, "optimizer argument")
        if name == "fit" and any(kw.arg in ("epochs", "batch_size") for kw in node.keywords):
            # Keras: model.fit(x, y, epochs=100, batch_size=64) is the training loop and holds its budget
            self.found["training_loop"].add(self.where(node), f"{dotted}(..., epochs=...)")
            self._keywords(node, "fit", "config dict", scalars_only=True)
        if name == "compile":  # Keras: model.compile(optimizer='adam', loss='categorical_crossentropy')
            for kw in node.keywords:
                if kw.arg in ("optimizer", "loss") and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    self.hparam(f"compile.{kw.arg}", kw.value.value, kw.value, "config dict")
        if LIBRARY_TRAINER.match(name) and (node.args or node.keywords):
            self.found["training_loop"].add(self.where(node), f"{dotted}(...): the library's training loop")
        if name[:1].isupper() and not (OPTIM_CALL.match(name) or OTHER_OPTIMIZER.search(name) or name in LAYER_CALLS) \
                and len(TRAINING_OPTIONS & {kw.arg for kw in node.keywords}) >= 2:
            # a class that configures a run: TrainingArguments(learning_rate=2e-5, num_train_epochs=3, ...), SB3's
            # PPO(policy, env, learning_rate=..., batch_size=...), Lightning's Trainer(max_epochs=...); not a function
            # of the code's (a notebook's contrastive_train(..., n_epochs=200) is another experiment's call)
            self.found["configs"].add(self.where(node), f"{dotted}(...) training options")
            if {"learning_rate", "lr"} & {kw.arg for kw in node.keywords}:  # the library builds the optimizer from these
                self.found["optimizer"].add(self.where(node), f"{dotted}(..., learning_rate=...): the optimizer's settings")
            self._keywords(node, name, "config dict", scalars_only=True)
        if name in ("load_data", "load_dataset", "get_dataset", "make_dataset") and not self.function:
            self.found["data"].add(self.where(node), f"{dotted}(...)")  # mnist.load_data(), at a script's top level
        if SCHED_CALL.search(name) and "sched" in dotted.lower() + name.lower():
            self.found["optimizer"].add(self.where(node), f"{dotted}(...) schedule")
            self.hparam("lr_scheduler", name, node, "scheduler call")  # ReduceLROnPlateau: the run's lr schedule
        if SAVE_CALL.match(name) or dotted in ("torch.save", "th.save") \
                or any(kw.arg in ("best_model_save_path", "save_path", "checkpoint_dir") for kw in node.keywords):
            self.found["saving"].add(self.where(node), f"{dotted}(...)")
        if name in ("EvalCallback", "evaluate_policy"):  # stable-baselines3's evaluation of an agent
            self.found["eval"].add(self.where(node), f"{dotted}(...)")
        if _loads_pretrained(node):  # timm.create_model(..., pretrained=True), resnet50(weights=ResNet50_Weights...)
            self.found["checkpoints"].add(self.where(node), f"{dotted}(..., pretrained weights)")
        if name in ("load_state_dict_from_url", "from_pretrained", "hf_hub_download"):
            self.found["checkpoints"].add(self.where(node), f"{dotted}(...)")
        if name == "from_pretrained" and PRETRAINED_MODEL.search(_name(getattr(node.func, "value", node.func))):
            # transformers.AutoModelForCausalLM.from_pretrained(name): the network the code trains, built by name
            self.found["model"].add(self.where(node), f"{dotted}(...): a pretrained model built by name")
        if name == "get" and _config_default(node):  # self.weight_decay = config.get('weight_decay', 0.0)
            self.hparam(node.args[0].value, literal_value(node.args[1]), node.args[1], "config default")
        if name == "add_argument" and node.args:
            self.found["configs"].add(self.where(node), "argparse options")
            dest = argparse_dest(node)
            help_text = next((literal_value(kw.value) for kw in node.keywords if kw.arg == "help"), None)
            for kw in node.keywords:
                if kw.arg == "default" and dest:
                    value = literal_value(kw.value)
                    recorded = self.hparam(dest, value, kw.value, "argparse default") if value is not None else None
                    if recorded is not None and isinstance(help_text, str):
                        recorded["help"] = help_text[:200]  # what the option is, in the authors' words
        if name in LAYER_CALLS:
            ints = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, int)
                    and not isinstance(a.value, bool)]
            ints += [kw.value.value for kw in node.keywords if isinstance(kw.value, ast.Constant)
                     and isinstance(kw.value.value, int) and not isinstance(kw.value.value, bool)
                     and kw.arg in ("hidden_size", "kernel_size", "out_channels", "out_features", "num_layers")]
            if ints:
                self.record(f"{name}.sizes", ints, node.lineno, "layer call")
            self._keywords(node, name, "layer argument")
        if dotted.startswith(("nn.init.", "torch.nn.init.", "init.")):
            self.record(f"init.{name}", name, node.lineno, "initialisation call")
        self.generic_visit(node)


# what holds a run's options: config, self.cfg, params, hparams, args, kwargs, opt, train_options, ...
CONFIG_HOLDER = re.compile(r"(?:^|_)(?:config|cfg|conf|params|hparams|hyper_?params|args|kwargs|opts?|options|settings)$",
                           re.IGNORECASE)


def _config_default(call: ast.Call) -> bool:
    """``config.get('weight_decay', 0.0)``: the value the code trains with when the configuration leaves a
    training option out (one of TRAINING_OPTIONS, a literal scalar default, a receiver named as a configuration;
    an environment's or a plotting helper's ``kwargs.get`` is no run's setting)."""
    if not isinstance(call.func, ast.Attribute) or len(call.args) != 2 or call.keywords:
        return False
    key, default = call.args
    return (isinstance(key, ast.Constant) and key.value in TRAINING_OPTIONS
            and isinstance(default, ast.Constant) and isinstance(default.value, (int, float, str, bool))
            and bool(CONFIG_HOLDER.search(_name(call.func.value))))


def _loads_pretrained(call: ast.Call) -> bool:
    """A model built with pretrained weights: ``pretrained=True`` (or a weights name), ``weights="IMAGENET1K_V1"``
    or ``weights=ResNet50_Weights.DEFAULT``."""
    for kw in call.keywords:
        value = literal_value(kw.value)
        if kw.arg == "pretrained" and (value is True or isinstance(value, str) and value):
            return True
        if kw.arg == "weights" and (isinstance(value, str) and value or isinstance(kw.value, ast.Attribute)
                                    and _name(kw.value.value).endswith("Weights")):
            return True
    return False


def _backward_targets(function: ast.AST) -> list[ast.Assign]:
    """The assignments in a function of the names it calls ``.backward()`` on (``loss = crit(out, y)``; the last
    before the call); a ``(a + b).backward()`` has none."""
    out = []
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "backward"
                and isinstance(call.func.value, ast.Name)):
            continue
        name = call.func.value.id
        assigned = [n for n in ast.walk(function) if isinstance(n, ast.Assign) and n.lineno <= call.lineno
                    and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
        if assigned:
            out.append(max(assigned, key=lambda n: n.lineno))
    return out


def _torch_parameters(optimizer: str) -> list[str]:
    """The installed torch's constructor parameters of ``torch.optim.<optimizer>`` (params first), or []."""
    import inspect

    import torch

    cls = getattr(torch.optim, optimizer, None)
    return list(inspect.signature(cls).parameters) if cls is not None else []


def _yaml_scalar(text: str) -> Any:
    """A value as written on a command line or in YAML; `1e-3` and `3e5` are numbers (YAML 1.1 reads them as
    text)."""
    if re.fullmatch(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+", text.strip()):
        return float(text)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


# `cd toxicity/train_dpo`, alone or before a command (`cd src && python train.py`, `cd src; python train.py`)
CD_COMMAND = re.compile(r"^\s*(?:\$\s*)?cd\s+(?P<folder>[\w./-]+)/?\s*(?:(?:&&|;)\s*(?P<then>.+))?$")


def _changed_folder(folder: list[str], target: str, root: Path | None) -> list[str]:
    """The folder a README's commands run in after `cd target`, as parts under the repository's root: a folder
    of the tree only (`cd repo` after `git clone` is the root itself, and stays it)."""
    parts = list(folder)
    for part in target.split("/"):
        if part == "..":
            parts = parts[:-1]
        elif part and part != ".":
            parts.append(part)
    return parts if root is not None and (root.joinpath(*parts)).is_dir() else list(folder)


def _in_folder(script: str, module: bool, folder: list[str]) -> str:
    """A command's script named from the repository's root: `train.py` run in `toxicity/train_dpo` is
    `toxicity/train_dpo/train.py` (a module, `-m pkg.train`, is `-m toxicity.train_dpo.pkg.train`)."""
    if not folder:
        return script
    if module:
        return ".".join(folder + [script]) if all(p.isidentifier() for p in folder) else script
    return "/".join(folder + [script.removeprefix("./")])


def readme_commands(text: str, root: Path | None = None) -> list[tuple[int, str, dict[str, Any]]]:
    """(line, script, {flag: value}) of every training-like command in a README (`python train.py --lr 0.1`).
    With the repository's ``root``, a `cd` into one of its folders before a command (within one code block)
    names the script from the root."""
    out = []
    lines = text.splitlines()
    folder: list[str] = []
    for number, line in enumerate(lines, 1):
        if number > 1 and lines[number - 2].rstrip().endswith("\\"):
            continue  # read with the line it continues
        if line.lstrip().startswith(("```", "~~~")):  # a new code block starts where the reader is
            folder = []
            continue
        follow = number
        while line.rstrip().endswith("\\") and follow < len(lines):  # a command over several lines
            line, follow = line.rstrip()[:-1] + " " + lines[follow], follow + 1
        cd = CD_COMMAND.match(line.strip("` "))
        if cd:
            folder = _changed_folder(folder, cd.group("folder"), root)
            if not cd.group("then"):
                continue
            line = cd.group("then")
        match = README_COMMAND.match(line.strip("` "))
        if not match:
            continue
        flags: dict[str, Any] = {}
        tokens = match.group("rest").replace("\\", " ").split()
        for i, token in enumerate(tokens):
            hydra = re.fullmatch(r"\+{0,2}([A-Za-z_][\w.]*)=(\S+)", token)  # a Hydra override: optimizer.lr=0.01
            if hydra:
                flags[hydra.group(1)] = _yaml_scalar(hydra.group(2))
                continue
            if not token.startswith("--"):
                continue
            key, _, inline = token[2:].partition("=")
            value: Any = inline or (tokens[i + 1] if i + 1 < len(tokens) and not tokens[i + 1].startswith("-") else True)
            if isinstance(value, str):
                value = _yaml_scalar(value)
            if key:
                flags[key.replace("-", "_")] = value
        if match.group("make"):
            out.append((number, f"make {match.group('make')}", flags))
            continue
        script = _in_folder((match.group("script") or match.group("direct")).removeprefix("./"),
                            bool(match.group("module")), folder)
        out.append((number, f"-m {script}" if match.group("module") else script, flags))
    return out


def module_script(root: Path, script: str) -> str | None:
    """The file a command's script runs: itself, or for "-m pkg.train" pkg/train.py (or pkg/train/__main__.py)."""
    if not script.startswith("-m "):
        return script if (root / script).is_file() else None
    base = script[3:].strip().replace(".", "/")
    return next((c for c in (f"{base}.py", f"{base}/__main__.py") if (root / c).is_file()), None)


def _shown(value: Any, width: int = 80) -> str:
    """A value as inventory.md's tables show it: its repr, cut to ``width`` characters."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def code_place(h: dict[str, Any]) -> str:
    """Where a code setting is, as a user opens it: `path:line`, or `path.ipynb#cell N:line M`."""
    return h.get("where") or f"{h['path']}:{h['line']}"


def _notebook_code(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The code cells of a notebook as one Python source (shell and magic lines blanked), and for each of its
    lines the (cell number, line in that cell) it came from."""
    import json

    cells = json.loads(text).get("cells", [])
    lines: list[str] = []
    origins: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, 1):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            own = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
            lines += own + [""]
            origins += [(number, i) for i in range(1, len(own) + 1)] + [(number, len(own) + 1)]
    return "\n".join(lines), origins


def _flatten(prefix: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            out.extend(_flatten(f"{prefix}.{key}" if prefix else str(key), inner))
        return out
    return [(prefix, value)]


SET_ASIDE = re.compile(r"(?:^|/)(third[_-]?party|3rdparty|vendor(?:ed)?|externals?|extern|site-packages|"
                       r"node_modules|\.github|\.circleci|\.gitlab-ci\.yml|assets?|docs?)(?:/|$)", re.IGNORECASE)


def set_aside(rel: str) -> str | None:
    """The folder of ``rel`` that is not the paper's own code by its name (vendored or third-party trees, CI,
    assets, documentation), or None; vendored_folders finds the rest by what they hold."""
    match = SET_ASIDE.search(rel)
    return rel[:match.end(1)] if match else None


PROJECT_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "COPYING", "setup.py", "setup.cfg", "pyproject.toml")


# a method the paper takes from cited work: "We adopt PTQ4ViT (Yuan et al., 2022) for 8-bit quantization"
ADOPTED = re.compile(r"\b(?:adopt|employ)(?:s|ed|ing)?\s+(?:the\s+)?"
                     r"(?P<name>[A-Z][A-Za-z0-9-]{2,30})\s*(?:\([^()]*?\b(?:19|20)\d\d[a-z]?\)|\[\d+(?:,\s*\d+)*\])")


def adopted_works(paper: dict[str, Any]) -> list[str]:
    """The names of cited methods the paper says it adopts, lower-cased (a citation right after the name); not an
    architecture ("we use ViT-Base (Dosovitskiy et al., 2021)"): a repository's own models/vit.py is its own."""
    names: list[str] = []
    for section in paper.get("sections", []):
        for paragraph in section.get("paragraphs", []):
            names += [m.group("name").lower() for m in ADOPTED.finditer(paragraph)
                      if m.group("name").lower() not in names and not MODEL_WORD.match(m.group("name"))
                      and not optimizers.family(m.group("name"))  # "we employ Adam (Kingma and Ba, 2015)"
                      and not re.match(r"\s*(?:as\s+(?:a|the|our)\s+(?:\w+\s+)?baselines?|for comparison)\b",
                                       paragraph[m.end():], re.IGNORECASE)]
    return names


INSTALL_HERE = re.compile(r"^(?:pip3?|python3?\s+-m\s+pip|uv\s+pip)\s+install\s+(?:-e\s+|--editable\s+)?\.(?:\[[^\]]*\])?"
                          r"(?:\s|$)|^python3?\s+setup\.py\s+(?:develop|install)\b")
# a folder, not a PyPI name: "-e lib", "./lib", "lib/ours[dev]" ("pip install timm" is the package from PyPI)
INSTALL_FOLDER = re.compile(r"^(?:pip3?|python3?\s+-m\s+pip|uv\s+pip)\s+install\s+(?:(?:-e|--editable)\s+(?:\./)?"
                            r"(?P<folder>[\w.-]+(?:/[\w.-]+)*)|(?:\./(?P<dotted>[\w.-]+(?:/[\w.-]+)*)|"
                            r"(?P<nested>[\w.-]+(?:/[\w.-]+)+)))/?(?:\[[^\]]*\])?(?:\s|$)")


def installed_folders(root: Path) -> list[str]:
    """Subfolders the README installs from the repository (``cd rl_games && pip install -e .``, ``pip install -e
    ./lib``): a copy of a library the authors ship and changed for the paper, whose imports resolve there. A path
    outside the repository, or one written with a variable, is none."""
    root = Path(root)
    out: list[str] = []
    for readme in sorted(root.glob("README*")):
        if not readme.is_file():
            continue
        here = Path(".")
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lstrip().startswith("```"):  # each code block starts in the repository's root
                here = Path(".")
            for command in re.split(r"\s*(?:&&|;)\s*", line.strip().strip("`").lstrip("$ ").strip()):
                cd = re.fullmatch(r"cd\s+(\S+)", command)
                if cd:
                    target = cd.group(1)
                    here = Path("..") if re.match(r"[/~$]", target) else Path(os.path.normpath(here / target))
                    continue
                folder = str(here) if INSTALL_HERE.match(command) else ""
                named = INSTALL_FOLDER.match(command)
                if not folder and named:
                    folder = os.path.normpath(here / (named.group("folder") or named.group("dotted")
                                                      or named.group("nested")))
                if folder and folder != "." and not folder.startswith("..") and (root / folder).is_dir() \
                        and (root / folder).resolve().is_relative_to(root.resolve()) and folder not in out:
                    out.append(folder)
    return out


def vendored_folders(root: Path, entries: list[str] | None = None, adopted: list[str] | tuple[str, ...] = (),
                     own: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Subfolders that are projects of their own, brought into the repository: a git submodule (.gitmodules), a
    folder with its own licence or packaging file (FOA's quant_library/), or a top-level folder with a file named for a
    cited method the paper adopts (``adopted``: FOA's quant_library/configs/PTQ4ViT.py) and none named for the
    paper's own method (``own``); never one that holds the script the README trains with (``entries``, read from
    the README when not given: a repository whose own code sits in a packaged subfolder), nor one the README
    installs from the repository (SAPG's rl_games/: the paper's changed copy of a library)."""
    root = Path(root)
    entries = entry_scripts(root) if entries is None else entries
    installed = installed_folders(root)
    found = []
    # (only when the paper names its own method, so that its own files can be told apart, and never a module an
    # entry script imports by that name: "from agents.ppo import PPO" is the run's own code)
    imported = " ".join((root / e).read_text(encoding="utf-8", errors="replace") for e in entries
                        if (root / e).is_file()) if adopted and own else ""
    for folder in (f for f in sorted(root.iterdir()) if f.is_dir() and adopted and own and not f.name.startswith(".")):
        stems = {p.stem.lower() for p in folder.rglob("*.py")}
        named = stems & set(adopted)
        if named and not any(n in stem for stem in stems for n in own) and not any(
                re.search(rf"^\s*(?:from|import)\s+[\w.]*\b{re.escape(stem)}\b", imported, re.IGNORECASE | re.MULTILINE)
                for stem in named):
            found.append(folder.name)
    modules = root / ".gitmodules"
    if modules.is_file():
        found += re.findall(r"^\s*path\s*=\s*(\S+)", modules.read_text(encoding="utf-8", errors="replace"), re.M)
    for marker in (p for name in PROJECT_FILES for p in root.glob(f"*/**/{name}")):
        folder = str(marker.parent.relative_to(root))
        if not any(q.is_symlink() for q in marker.relative_to(root).parents if q != Path(".")):
            found.append(folder)
    out = []
    for folder in sorted(set(found), key=lambda f: (f.count("/"), f)):
        inside = any(folder == o or folder.startswith(o + "/") for o in out)
        if not inside and not any(e.startswith(folder + "/") for e in entries) and folder not in installed:
            out.append(folder)
    return out


def yaml_leaves(text: str) -> list[tuple[str, Any, int]]:
    """(dotted key, value, line) of every scalar or list-of-scalars leaf of a YAML mapping, with the line the
    value itself is on."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    constructor = yaml.constructor.SafeConstructor()
    out: list[tuple[str, Any, int]] = []

    def walk(prefix: str, current: yaml.Node) -> None:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    walk(f"{prefix}.{key_node.value}" if prefix else str(key_node.value), value_node)
        elif prefix:
            try:
                value = constructor.construct_object(current, deep=True)
            except yaml.YAMLError:
                return
            out.append((prefix, value, current.start_mark.line + 1))

    if node is not None:
        walk("", node)
    return out


TOML_TABLE = re.compile(r"^\s*\[(?!\[)\s*(?P<table>[^\]]+?)\s*\]")
TOML_KEY = re.compile(r"^\s*(?P<key>[A-Za-z0-9_.\"' -]+?)\s*=")


def conda_environment(path: Path) -> bool:
    """A conda environment file, whatever its name (TabDiff's tabdiff.yaml): top-level ``dependencies:`` with
    ``channels:`` or ``name:``. Its packages are the code's dependencies, not settings of a run."""
    if path.suffix not in (".yml", ".yaml") or path.stat().st_size > 200_000:
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    return bool(re.search(r"^dependencies:", text, re.MULTILINE) and re.search(r"^(?:channels|name):", text, re.MULTILINE))


def toml_leaves(text: str) -> list[tuple[str, Any, int]]:
    """(dotted key, value, line) of every scalar or list-of-scalars leaf of a TOML file (tabdiff_configs.toml's
    ``[train.main] lr = 0.001`` is ``train.main.lr``), with the line its key is written on (1 where a line cannot
    be told: a value inside an inline table)."""
    data = tomllib.loads(text)
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), 1):
        header = TOML_TABLE.match(line)
        if header:
            table = ".".join(part.strip().strip("\"'") for part in header.group("table").split("."))
            continue
        if line.lstrip().startswith("[["):
            table = "\0"  # an array of tables: its keys are not settings read by name
            continue
        key = TOML_KEY.match(line)
        if key and table != "\0":
            dotted = ".".join(part.strip().strip("\"'") for part in key.group("key").split("."))
            lines.setdefault(f"{table}.{dotted}" if table else dotted, number)
    out: list[tuple[str, Any, int]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif prefix:
            out.append((prefix, value, lines.get(prefix, 1)))

    walk("", data)
    return out


def _merge(into: dict[str, Finding], more: dict[str, Finding]) -> None:
    for key, finding in more.items():
        for where, note in finding.items:
            into[key].add(where, note)


def analyse(code_dir: str | Path, entries: list[str] | None = None, adopted: list[str] | tuple[str, ...] = (),
            own: list[str] | tuple[str, ...] = ()) -> tuple[dict[str, Finding], list[dict[str, Any]], list[str], list[str]]:
    """Walk the code folder: components found, hyperparameter defaults, files that failed to parse, and the
    folders set aside as not the paper's own code (vendored, third-party, CI, assets, docs). ``entries``: the
    README's training scripts, when the caller has read them already; ``adopted`` and ``own``: the cited methods
    the paper adopts and its own method's names (vendored_folders)."""
    root = Path(code_dir)
    found = {key: Finding() for key, _ in COMPONENTS}
    hparams: list[dict[str, Any]] = []
    unparsed: list[str] = []
    apart: list[str] = []
    vendored = vendored_folders(root, entries, adopted, own)
    # regular files only: a symlink is never followed (stage 2 removes them; this guards other callers too)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                       and not any(q.is_symlink() for q in p.relative_to(root).parents if q != Path("."))
                       and p.stat().st_size <= MAX_READ_BYTES):
        rel = str(path.relative_to(root))
        folder = set_aside(rel) or next((v for v in vendored if rel.startswith(v + "/")), None)
        if folder:
            apart += [folder] if folder not in apart else []
            continue
        suffix = path.suffix.lower()
        if suffix in (".py", ".ipynb"):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
                source, cells = _notebook_code(text) if suffix == ".ipynb" else (text, None)
                tree = ast.parse(source, filename=rel)
                # this file's findings are kept only if the whole file could be read
                visitor = _Visitor(rel, {key: Finding() for key, _ in COMPONENTS}, [], cells, rel in (entries or ()))
                visitor.visit(tree)
            except (SyntaxError, ValueError, AttributeError):
                unparsed.append(rel)
                continue
            except (RecursionError, MemoryError):
                unparsed.append(f"{rel} (nested too deeply to read)")
                continue
            _merge(found, visitor.found)
            hparams.extend(visitor.hparams)
            if path.name == "hubconf.py":
                found["checkpoints"].add(rel, "torch.hub entry points")
        elif suffix in CHECKPOINT_EXT:
            found["checkpoints"].add(rel, f"weights file {path.name}")
        elif suffix in CONFIG_EXT and path.name not in ("setup.cfg", "tox.ini", ".pre-commit-config.yaml"):
            found["configs"].add(rel, f"config file {path.name}")
            if suffix in (".yaml", ".yml", ".toml") and path.name not in TOOL_CONFIGS and not conda_environment(path):
                text = path.read_text(encoding="utf-8", errors="replace")
                try:
                    leaves = yaml_leaves(text) if suffix != ".toml" else toml_leaves(text)
                except (yaml.YAMLError, tomllib.TOMLDecodeError, RecursionError):
                    leaves = []
                for key, value, line in leaves:
                    scalar = (int, float, str, bool)
                    if isinstance(value, scalar) or (isinstance(value, list) and all(isinstance(v, scalar) for v in value)):
                        hparams.append({"name": key, "value": value, "path": rel, "line": line,
                                        "kind": "toml config" if suffix == ".toml" else "yaml config", "scope": path.stem})
        elif path.name.lower().startswith("readme"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for i, line in enumerate(text.splitlines(), 1):
                if REPRO_README.search(line):
                    found["instructions"].add(f"{rel}:{i}", "README gives training/reproduction commands")
                    break
            for match in CHECKPOINT_URL.finditer(text):
                found["checkpoints"].add(rel, f"link {match.group(0)}")
            for line, script, flags in readme_commands(text, root):
                found["instructions"].add(f"{rel}:{line}", f"README command: {script}")
                for key, value in flags.items():
                    if isinstance(value, (int, float, str, bool)):
                        hparams.append({"name": key, "value": value, "path": rel, "line": line,
                                        "kind": "README command", "scope": script})
        elif suffix == ".sh":  # a training script's command and its flags (SimCSE's run_unsup_example.sh)
            for line, script, flags in readme_commands(path.read_text(encoding="utf-8", errors="replace")):
                runs = shell_command_script(root, path, script)
                for key, value in flags.items():
                    if runs and isinstance(value, (int, float, str, bool)):
                        hparams.append({"name": key, "value": value, "path": rel, "line": line,
                                        "kind": "shell command", "scope": script, "runs": runs})
    return found, hparams, unparsed, apart


FACTS_MAX_BYTES = 1_000_000


def _fact_problem(fact: dict[str, Any]) -> str | None:
    for key in ("name", "path", "kind"):
        if not isinstance(fact[key], str) or not fact[key].strip():
            return f"`{key}` must be a text, not {fact[key]!r}"
    if isinstance(fact["line"], bool) or not isinstance(fact["line"], int) or fact["line"] < 0:
        return f"`line` must be a line number, not {fact['line']!r}"
    value = fact["value"]
    scalar = (str, int, float, bool, type(None))
    if not isinstance(value, scalar) and not (isinstance(value, list) and all(isinstance(v, scalar) for v in value)):
        return f"`value` of {fact['name']} must be a number, a text, true/false or a list of those"
    return None


def load_facts(path: str | Path | None) -> list[dict[str, Any]]:
    """Values a person read in the official repository where it cannot be cloned (an optional YAML list)."""
    if not path:
        return []
    path = Path(path)
    if not path.is_file():
        raise UserError(f"code facts file {path} does not exist; fix `code_facts` in the config or remove it.")
    if path.stat().st_size > FACTS_MAX_BYTES:
        raise UserError(f"code facts file {path} is {path.stat().st_size / 1e6:.3g} MB, above the "
                        f"{FACTS_MAX_BYTES / 1e6:.3g} MB a hand-written list needs; point `code_facts` at the right file.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise UserError(f"code facts file {path} is not plain UTF-8 YAML{where}: "
                        f"{getattr(err, 'problem', None) or type(err).__name__}; fix the file.") from None
    facts = (data or {}).get("facts", []) if isinstance(data, dict) else None
    required = {"name", "value", "path", "line", "kind"}
    if not isinstance(facts, list) or not all(isinstance(f, dict) and required <= set(f) for f in facts):
        raise UserError(f"code facts file {path} must hold `facts:`, a list of entries with "
                        f"{', '.join(sorted(required))}; fix the file.")
    for number, fact in enumerate(facts, 1):
        problem = _fact_problem(fact)
        if problem:
            raise UserError(f"code facts file {path}, entry {number}: {problem}; fix the file.")
    repo = data.get("repository", "")
    commit = data.get("commit", "")
    return [{**f, "origin": "facts file", "repository": repo, "commit": f.get("commit", commit),
             "scope": f.get("scope", "")} for f in facts]


def image_widths(hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The widths set beside a height in the same file and scope: an image's (a notebook's HEIGHT = 224 and
    WIDTH = 224, google-research/simclr's), no layer's."""
    heights = {(h.get("path"), h.get("scope")) for h in hparams if str(h["name"]).split(".")[-1].lower() == "height"}
    return [h for h in hparams if str(h["name"]).split(".")[-1].lower() == "width"
            and (h.get("path"), h.get("scope")) in heights]


def triage(questions: list[dict[str, Any]], hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each open question: resolved by code at path:line (all matching values listed), or carried forward. Only
    code the training commands reach answers one (openai/baselines, tried as a new user's PPO code: its ACKTR's
    KFAC optimizer had 'resolved' PPO's momentum, and HER's action_l2 its weight decay)."""
    out = []
    images = {id(h) for h in image_widths(hparams)}
    for q in questions:
        pattern = KNOB_NAMES.get(q["knob"])
        hits = [h for h in hparams if pattern and h.get("reached") is not False
                and re.search(pattern, h["name"].split(".")[-1], re.IGNORECASE)
                and not (q["knob"].startswith("architecture.") and (DATA_NAME.search(h.get("scope", ""))
                                                                    or id(h) in images))]
        entry = {**q, "status": "carried forward", "evidence": []}
        if hits:
            values = {repr(h["value"]) for h in hits}
            entry["status"] = "resolved by code" if len(values) == 1 else "code disagrees with itself"
            entry["evidence"] = [f"{code_place(h)} {h['name']}={h['value']!r}" for h in hits]
        out.append(entry)
    return out


def checklist(code_dir: str | Path, found: dict[str, Finding]) -> dict[str, Any]:
    """The Papers-with-Code ML Code Completeness Checklist: five items, a 0-5 score, evidence for each."""
    root = Path(code_dir)
    deps = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and (
        p.name in DEPENDENCY_FILES or re.fullmatch(r"requirements[\w-]*\.txt", p.name) or conda_environment(p)))
    readme_table, readme_commands = "", ""
    for readme in sorted(root.glob("README*")):
        text = readme.read_text(encoding="utf-8", errors="replace")
        for i, line in enumerate(text.splitlines(), 1):
            if not readme_table and re.match(r"^\s*\|.*\d+(\.\d+)?\s*%?\s*\|", line) and line.count("|") >= 3:
                readme_table = f"{readme.name}:{i}"
            if not readme_commands and re.search(r"(python|bash|sh|torchrun|accelerate)\s+\S+\.(py|sh)", line):
                readme_commands = f"{readme.name}:{i}"
    items = [
        {"item": "dependencies", "ok": bool(deps), "evidence": ", ".join(deps[:4]) or "no requirements/setup/environment file"},
        {"item": "training code", "ok": bool(found["training_loop"].paths),
         "evidence": ", ".join(found["training_loop"].paths[:3]) or "no loss.backward() + optimizer.step() loop"},
        {"item": "evaluation code", "ok": bool(found["eval"].paths),
         "evidence": ", ".join(found["eval"].paths[:3]) or "no eval/test/accuracy function"},
        {"item": "pretrained models", "ok": bool(found["checkpoints"].paths),
         "evidence": ", ".join(found["checkpoints"].notes[:3]) or "no weights file, link or hub loader"},
        {"item": "README results table with commands", "ok": bool(readme_table and readme_commands),
         "evidence": f"table at {readme_table or '-'}, commands at {readme_commands or '-'}"},
    ]
    return {"score": sum(i["ok"] for i in items), "items": items}


def completeness(found: dict[str, Finding]) -> dict[str, Any]:
    have = {key: bool(f.paths) for key, f in found.items()}
    complete = have["model"] and have["training_loop"] and have["data"] and have["optimizer"] and have["loss"]
    return {"complete_training_repo": complete,
            "missing": [label for key, label in COMPONENTS if not have[key]]}


def root_readme_commands(root: Path) -> list[tuple[str, dict[str, Any]]]:
    """(script, {flag: value}) of each command the READMEs at the repository's root give, in order."""
    return [(script, flags) for readme in sorted(root.glob("README*")) if readme.is_file()
            for _, script, flags in readme_commands(readme.read_text(encoding="utf-8", errors="replace"), root)]


def shell_command_script(root: Path, shell: Path, script: str) -> str | None:
    """The file (relative to ``root``) a shell script's command runs: from the root, else from the shell script's own
    folder (``Refine_mujoco/retrain.sh``: ``python -u retrain.py``)."""
    rel = module_script(root, script)
    if rel is None:
        beside = module_script(shell.parent, script)
        rel = str(shell.parent.relative_to(root) / beside) if beside else None
    return rel


# a script that evaluates (evaluation.py, eval_quality.py, test_model.py), not one that trains
EVALUATION_SCRIPT = re.compile(r"(?:^|/)(?:eval|evaluat|test)[\w-]*\.(?:py|ipynb)$", re.IGNORECASE)
# a script named for training: train.py, run_glue.py, main.py, finetune.py, retrain.py, pretrain_lm.py
TRAIN_SCRIPT = re.compile(r"(?:^|/)(?:re|pre)?(?:train|run|main|fine_?tune|learn)[\w-]*\.py$", re.IGNORECASE)


def entry_scripts(code_dir: str | Path) -> list[str]:
    """The Python scripts the README's training commands run that the tree holds (the paper's entry points); when
    the README runs no training script, also those the tree's shell scripts run (``Refine_mujoco/retrain.sh``:
    ``python -u retrain.py ...``, read from the script's own folder)."""
    root = Path(code_dir)
    out: list[str] = []
    for script, _ in root_readme_commands(root):
        files = [module_script(root, s) for s in command_scripts(root, script)]
        # (`python setup.py install` installs the code; it trains nothing)
        out += [f for f in files if f and f.endswith(".py") and f not in out and Path(f).name != "setup.py"]
    # when the README runs no training script (SimCSE's runs setup.py and evaluation.py, and names its
    # run_unsup_example.sh in prose), the tree's shell scripts say what trains
    if not any(TRAIN_SCRIPT.search(f) for f in out):
        for shell in sorted(root.rglob("*.sh"), key=lambda p: (len(p.relative_to(root).parts), str(p))):
            if ".git" in shell.relative_to(root).parts or not shell.is_file():
                continue
            for _, script, _ in readme_commands(shell.read_text(encoding="utf-8", errors="replace")):
                rel = shell_command_script(root, shell, script)
                if rel and rel.endswith(".py") and rel not in out:
                    out.append(rel)
    return out


def make_recipe(root: Path, target: str) -> str:
    """The commands of a Makefile target (its recipe lines, without the tab and a leading @ or -), or ""."""
    makefile = next((root / n for n in ("Makefile", "makefile", "GNUmakefile") if (root / n).is_file()), None)
    if makefile is None:
        return ""
    lines, out, inside = makefile.read_text(encoding="utf-8", errors="replace").splitlines(), [], False
    for line in lines:
        if re.match(rf"^{re.escape(target)}\s*:(?!=)", line):
            inside = True
        elif inside and line.startswith("\t"):
            out.append(line[1:].lstrip("@-").strip())
        elif inside and line.strip() and not line.startswith("#"):
            break
    return "\n".join(out)


def command_scripts(root: Path, script: str) -> list[str]:
    """The Python a README command's script runs, each a file of ``root``: itself ("train.py", "-m pkg.train"),
    or for a shell script the python commands in it."""
    if script.endswith(".sh") and (root / script).is_file():
        inner = [s for _, s, _ in readme_commands((root / script).read_text(encoding="utf-8", errors="replace"))]
    elif script.startswith("make "):
        inner = [s for _, s, _ in readme_commands(make_recipe(root, script[5:].strip()))]
    else:
        inner = [script]
    return [s for s in inner if (s.endswith(".py") or s.startswith("-m ")) and module_script(root, s)]


def _paper_text(paper: dict[str, Any]) -> str:
    text = " ".join(p for s in paper.get("sections", []) for p in s.get("paragraphs", []))
    return text + " " + " ".join(c.get("text", "") for t in paper.get("tables", []) for row in t.get("rows", [])
                                 for c in row)


def paper_tokens(paper: dict[str, Any]) -> set[str]:
    """The words the paper writes, lower-cased, letters and digits only ("CIFAR-10" -> "cifar10")."""
    return {re.sub(r"[^a-z0-9]", "", w.lower()) for w in re.findall(r"[A-Za-z0-9][\w.-]*", _paper_text(paper))} - {""}


@dataclass
class PaperNames:
    """How a paper writes names, to tell a code name it uses from one it does not: its words letters and digits
    only, two and three neighbours joined ("Llama 2" -> llama2, "ViT-B/16" -> vitb16) or as initials ("cross-entropy"
    -> ce), and which it writes as a
    name (two capitals or a digit: "RND", "ImageNet-1k"; not "step" or "cosine")."""
    words: set[str]
    distinct: set[str]

    @classmethod
    def of(cls, paper: dict[str, Any]) -> PaperNames:
        raw = re.findall(r"[A-Za-z0-9]+", _paper_text(paper))
        words, distinct = set(), set()
        for i in range(len(raw)):
            for n in (1, 2, 3):
                if i + n <= len(raw):
                    joined = "".join(raw[i:i + n])
                    words.add(joined.lower())
                    if n > 1:  # initials: 'ce' for cross-entropy, 'bce' for binary cross-entropy
                        words.add("".join(w[0] for w in raw[i:i + n]).lower())
                    if sum(ch.isupper() for ch in joined) >= 2 or any(ch.isdigit() for ch in joined):
                        distinct.add(joined.lower())
        return cls(words, distinct)

    def writes(self, code_name: str) -> bool:
        """Whether the paper writes a code name, or a word it abbreviates or extends: 'cos' for cosine, 'resnet50'
        for ResNet-50, 'in1k' for ImageNet-1k, 'llama2' for Llama 2."""
        norm = re.sub(r"[^a-z0-9]", "", code_name.lower())
        if len(norm) < 2:
            return True  # too short to tell
        tail = re.sub(r"^[a-z]+", "", norm)  # 'in1k' as ImageNet-1k: a word with its first letter and digit tail
        return norm in self.words or any(w.startswith(norm) or len(w) >= 3 and norm.startswith(w)
                                         or tail[:1].isdigit() and w[0] == norm[0] and w.endswith(tail)
                                         for w in self.words)


def _branch_chains(tree: ast.Module) -> list[list[tuple[str, int, int]]]:
    """Each ``if x == 'a': ... elif x == 'b': ...`` chain that picks a variant by name: its (name, first line, last
    line) per branch."""
    chains, inner = [], set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or id(node) in inner:
            continue
        chain, branch = [], node
        while isinstance(branch, ast.If):
            test = branch.test
            named = [c.value for c in ([test.left, *test.comparators] if isinstance(test, ast.Compare) else [])
                     if isinstance(c, ast.Constant) and isinstance(c.value, str)]
            if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
                    and len(named) == 1 and branch.body):
                break
            chain.append((named[0], branch.body[0].lineno, getattr(branch.body[-1], "end_lineno", branch.lineno)))
            nxt = branch.orelse[0] if len(branch.orelse) == 1 else None
            if isinstance(nxt, ast.If):
                inner.add(id(nxt))
            branch = nxt
        if len(chain) >= 2:
            chains.append(chain)
    return chains


def other_variant(root: Path, h: dict[str, Any], names: PaperNames, trees: dict[str, _Parsed | None]) -> str | None:
    """The variant a code setting belongs to when it is not the paper's: the setting sits in the branch of an
    ``if x == 'name'`` / ``elif`` chain whose name the paper never writes (nor a word it abbreviates), while it
    writes a sibling branch's as a name (RICE's ``if self.bonus == 'e3b'`` beside ``elif self.bonus == 'rnd'``, the
    paper writing RND). An ordinary word ('step', 'cosine') is no evidence. Returns that name."""
    if not str(h.get("path", "")).endswith(".py") or not isinstance(h.get("line"), int):
        return None
    parsed = _parse_once(root, h["path"], trees)
    if parsed is None:
        return None
    for chain in parsed.chains:
        for name, first, last in chain:
            if first <= h["line"] <= last and not names.writes(name) and any(
                    re.sub(r"[^a-z0-9]", "", other.lower()) in names.distinct for other, _, _ in chain if other != name):
                return name
    return None


KWARGS = {"kwargs", "kw", "kwds", "extra", "extra_kwargs"}  # ``**kwargs`` passes a call's own options on


def read_options(trees: list[ast.Module]) -> tuple[set[str], bool]:
    """The option names the code reads: ``args.lr``, ``cfg['lr']``, ``cfg.get('lr')``, ``getattr(args, 'lr')``
    (not ``self.lr``: an object's own attribute); and whether it spreads an options object into a call
    (``Model(**vars(args))``: then any option may be read)."""
    read, spread = set(), False
    for tree in trees:
        local = _literal_dicts(tree)
        for n in ast.walk(tree):
            if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load) and not (
                    isinstance(n.value, ast.Name) and n.value.id in ("self", "cls")):
                read.add(n.attr)
            elif isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
                read.add(n.slice.value)
            elif isinstance(n, ast.Call):
                method = _name(n.func)
                key = n.args[1] if method == "getattr" and len(n.args) > 1 else \
                    n.args[0] if method in ("get", "pop", "setdefault") and n.args else None
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    read.add(key.value)
                spread |= any(k.arg is None and not (isinstance(k.value, ast.Name) and k.value.id in KWARGS | local)
                              for k in n.keywords)
    return read, spread


def _literal_dicts(tree: ast.Module) -> set[str]:
    """The names a module assigns only dictionaries it writes out (``model_kwargs = {"device_map": "balanced"} if
    ... else {}``, ``dict(mixed_precision=...)``): spreading one into a call passes those keys, not a run's
    options."""
    def literal(node: ast.AST) -> bool:
        if isinstance(node, ast.IfExp):
            return literal(node.body) and literal(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            return not node.args and all(k.arg for k in node.keywords)  # dict(auto_wrap_policy=..., ...)
        return isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys)

    written: dict[str, bool] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign):
            for target in n.targets:
                if isinstance(target, ast.Name):
                    written[target.id] = written.get(target.id, True) and literal(n.value)
    return {name for name, only in written.items() if only}


def unread_options(hparams: list[dict[str, Any]], trees: list[ast.Module], composed: set[str] = frozenset()) -> None:
    """An option of a config dict, an argparse parser or a composed Hydra config that the code the run reaches
    never reads is no run value (MNIST-1D's get_model_args() sets hidden_size 256, which no model is given: the
    network keeps its default 100; dpo_toxic's config.yaml sets n_epochs 5, which no code reads). Only where
    another option of the same dict, parser or file is read by name (a dict passed on whole and iterated is read in
    ways a name search cannot see), never where the code spreads options into a call, and never in a config file
    that names a ``_target_`` (Hydra's instantiate passes the keys beside it as arguments)."""
    read, spread = read_options(trees)
    if spread:
        return
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for h in hparams:
        config = h["kind"] in ("config dict", "argparse default") and str(h["path"]).endswith(".py") \
            or h["kind"] in CONFIG_FILE_KINDS and h["path"] in composed
        if h.get("reached") is not False and config:
            groups.setdefault((h["path"], str(h.get("scope", "")), h["kind"]), []).append(h)
    for group in groups.values():
        leaves = [str(h["name"]).split(".")[-1] if h["kind"] in CONFIG_FILE_KINDS else str(h["name"]) for h in group]
        if "_target_" in leaves or not any(leaf in read for leaf in leaves):
            continue
        for h, leaf in zip(group, leaves):
            if leaf not in read:
                h["reached"] = False


def _unused_classes(root: Path, reached: set[str], classes: set[str]) -> set[str]:
    """The classes no file the entry points reach names, beyond their own ``class X`` and ``super(X, ...)``."""
    used: set[str] = set()
    wanted = {c for c in classes if re.fullmatch(r"[A-Za-z_]\w*", c)}
    if not wanted:
        return set()
    name = re.compile(r"\b(" + "|".join(sorted(wanted)) + r")\b")
    for rel in reached:
        try:
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        text = re.sub(r"^\s*class\s+\w+|super\(\s*\w+\s*,", "", text, flags=re.MULTILINE)
        used.update(name.findall(text))
    return wanted - used


# an abbreviation the abstract defines that names no method of the paper's own
COMMON_ABBREVIATIONS = {"llm", "llms", "vit", "vits", "drl", "rl", "nlp", "cnn", "cnns", "gnn", "gnns", "mlp", "sota",
                        "gpu", "gpus", "tta", "ood", "lm", "lms", "ml", "dnn", "dnns", "rnn", "rnns", "api"}


def method_names(paper: dict[str, Any]) -> list[str]:
    """The paper's names for its own method, lower-cased: the title's lead before a colon ("SAPG: Split and ...",
    "RICE: ..."), and the abbreviations the abstract defines ("... Forward-Optimization Adaptation (FOA)"),
    less common field abbreviations."""
    names = []
    lead = re.match(r"^\s*([A-Za-z][\w-]{1,15})\s*:", paper.get("title") or "")
    if lead:
        names.append(lead.group(1).lower())
    for abbreviation in re.findall(r"\(([A-Z][A-Za-z0-9-]{1,9})\)", paper.get("abstract") or ""):
        if abbreviation.lower() not in COMMON_ABBREVIATIONS and abbreviation.lower() not in names \
                and sum(ch.isupper() for ch in abbreviation) >= 2:
            names.append(abbreviation.lower())
    return names


def _named_for(rel: str, names: list[str]) -> int:
    """0 for a file named the method's name (foa.py), 1 for one whose own name holds it (foa_bp.py, sapg_agent.py),
    2 for any other."""
    stem = Path(rel).stem.lower()
    if stem in names:
        return 0
    return 1 if any(re.search(rf"(?:^|[_\-.]){re.escape(n)}(?:$|[_\-.])", stem) for n in names) else 2


# where a paper says it compares: "we compare FOA with TENT, CoTTA and SAR", "baselines include ..."
COMPARED = re.compile(r"\b(?:compar\w*|baselines?|outperform\w*|against|versus|vs\.?)\b", re.IGNORECASE)


def compared_names(paper: dict[str, Any]) -> str:
    """The text where a paper names the methods it compares with: the first cells of its results tables' rows
    (a method per row) and its sentences that compare."""
    cells = [row[0].get("text", "") for t in paper.get("tables", []) if t.get("kind") == "results"
             for row in t.get("rows", []) if row]
    sentences = [s for section in paper.get("sections", []) for p in section.get("paragraphs", [])
                 for s in re.split(r"(?<=[.!?])\s+", p) if COMPARED.search(s)]
    return " \n ".join(cells + sentences)


def baseline_files(root: Path, paper: dict[str, Any], names: list[str], files: set[str]) -> dict[str, str]:
    """The files of ``files`` that implement another method the paper compares with, beside a file of its own
    method (FOA's tta_library/cotta.py and tent.py beside foa.py; its results tables list CoTTA and TENT): rel ->
    that name. The name counts as the paper writes it with two capitals or more (not "Models" at a sentence's
    start), in a results table's row or a sentence that compares, and not as a network or an optimizer (ViT,
    Adam); a file the own method's files import is its own code (a shared optimizer, sam.py), and a dataset's code
    (a data/ folder, a Dataset class: data/imagenet.py) is no method."""
    own = sorted(f for f in files if f.endswith(".py") and _named_for(f, names) < 2)
    if not own:
        return {}
    text = compared_names(paper)
    imports = "\n".join(line for f in own for line in _read(root / f).splitlines()
                         if re.match(r"\s*(?:from|import)\s", line))
    out: dict[str, str] = {}
    for rel in sorted(files):
        stem = Path(rel).stem
        if not rel.endswith(".py") or rel in own or len(stem) < 3 or \
                re.search(rf"\b{re.escape(stem)}\b", imports) or \
                {"data", "datasets", "dataset", "dataloaders"} & set(Path(rel).parts[:-1]):
            continue
        written = next((m.group() for m in re.finditer(rf"(?<![\w-]){re.escape(stem)}(?![\w-])", text, re.IGNORECASE)
                        if sum(ch.isupper() for ch in m.group()) >= 2), None)
        if written and not MODEL_WORD.match(written) and not optimizers.family(written) and not re.search(
                rf"^\s*class\s+\w+\s*\([^)]*\b(?:{'|'.join(DATASET_BASES)})\b", _read(root / rel), re.MULTILINE):
            out[rel] = written  # (models/vit.py is the backbone the method adapts, not a method it is compared with)
    return out


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


class _Parsed:
    """A file parsed once for all the places a build_inventory judges: its tree, its functions in the order
    ast.walk meets them (outermost first), and where each name is loaded."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        values = {id(n.value) for n in tree.body if isinstance(n, ast.Assign)}  # module-level `x = y`: y is aliased
        self.loads: dict[str, list[tuple[int, bool]]] = {}  # name -> (line, whether it is aliased there)
        for n in ast.walk(tree):
            if isinstance(n, (ast.Name, ast.Attribute)) and isinstance(n.ctx, ast.Load):
                self.loads.setdefault(n.id if isinstance(n, ast.Name) else n.attr, []).append(
                    (n.lineno, id(n) in values))
        self.owner = {id(f): c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
        self._chains: list[list[tuple[str, int, int]]] | None = None

    @property
    def chains(self) -> list[list[tuple[str, int, int]]]:
        if self._chains is None:
            self._chains = _branch_chains(self.tree)
        return self._chains

    def enclosing(self, line: int) -> ast.AST | None:
        """The outermost function whose body holds ``line`` (a method's class is not a function), or None."""
        return next((f for f in self.functions if f.lineno < line <= getattr(f, "end_lineno", f.lineno)), None)


def _parse_once(root: Path, rel: str, trees: dict[str, _Parsed | None]) -> _Parsed | None:
    """``rel`` parsed, once for all the judgements of a build_inventory (None where it does not parse); the tree is
    the one the walk from the entry points parsed (reach.parse_file)."""
    if rel not in trees:
        tree = parse_file(root / rel)
        trees[rel] = _Parsed(tree) if tree is not None else None
    return trees[rel]


def _applied(root: Path, where: str, reached: set[str], spans: set[tuple[str, int, int]],
             trees: dict[str, _Parsed | None]) -> bool:
    """Whether an augmentation found at ``where`` is applied by what the entry points run. It is not when it sits in
    a function nothing they run calls or names (FOA's train-set loader, for a method that adapts at test time), or
    it is a module-level pipeline (``tr_transforms = Compose([...])``) that only such functions, or aliases, use.
    A function passed as a value (``ds.map(augment)``) or a method of a class the run names (a Dataset whose
    ``__init__`` builds the pipeline) is applied. ``trees``: the files parsed so far (one parse per file for all
    the places a build_inventory judges)."""
    rel, _, line_text = where.partition(":")
    if "#" in rel or not rel.endswith(".py") or not line_text.isdigit():
        return True  # a notebook's cell: read as it is
    line = int(line_text)

    def parsed(path: str) -> _Parsed | None:
        return _parse_once(root, path, trees)

    judged: dict[tuple[str, int], bool] = {}  # (a function still being judged counts as not live: a cycle of
    # names is not a run)

    def running(path: str, module: _Parsed, lineno: int) -> bool:  # top-level code or a live function
        inside = module.enclosing(lineno)
        return inside is None or live(path, module, inside)

    def referenced(name: str) -> bool:  # named where the run runs (a call, a value passed on, a registry entry)
        for path in sorted(reached | {rel}):
            module = parsed(path)
            if module is not None and any(running(path, module, line) for line, _ in module.loads.get(name, ())):
                return True
        return False

    def live(path: str, module: _Parsed, function: ast.AST) -> bool:
        key = (path, function.lineno)
        if any(r == path and a <= function.lineno <= b for r, a, b in spans):
            return True
        if key in judged or len(judged) > 200:
            return judged.get(key, False)
        judged[key] = False
        owner = module.owner.get(id(function))
        judged[key] = referenced(function.name) or (owner is not None and referenced(owner.name))
        return judged[key]

    here = parsed(rel)
    if here is None:
        return True
    function = here.enclosing(line) or next((f for f in here.functions if f.lineno == line), None)
    if function is not None:
        return live(rel, here, function)
    names = {t.id for n in ast.walk(here.tree) if isinstance(n, ast.Assign)
             and n.lineno <= line <= getattr(n, "end_lineno", n.lineno) for t in n.targets if isinstance(t, ast.Name)}
    if not names:
        return True
    for other in sorted(reached | {rel}):
        module = parsed(other)
        if module is None:
            continue
        aliases = {t.id for n in module.tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)
                   and n.value.id in names for t in n.targets if isinstance(t, ast.Name)}
        for name in names | aliases:
            for lineno, alias in module.loads.get(name, ()):
                if not alias and running(other, module, lineno):
                    return True
    return False


def composed_files(root: Path, entries: list[str], papers_configs: list[str],
                   trees: dict[str, _Parsed | None]) -> dict[str, str]:
    """The config files the Hydra entry points compose (file -> the key its values sit under), with the first
    README command's overrides of a config group (`python train.py loss=sft`)."""
    out: dict[str, str] = {}
    commands = root_readme_commands(root)
    for entry in entries:
        parsed = _parse_once(root, entry, trees)
        if parsed is None:
            continue
        # the first README command that runs it (a README of many examples, `trainer=gpu`, `trainer=ddp`, picks none)
        overrides = next((flags for script, flags in commands if module_script(root, script) == entry), {})
        for rel, key in composed_configs(root, entry, parsed.tree, overrides, papers_configs):
            out.setdefault(rel, key)
    return out


CONFIG_PATH = re.compile(r"(?:^|/)(?P<tail>[\w./-]*\.(?:ya?ml|toml))$")


def named_configs(trees: list[ast.AST], configs: set[str]) -> set[str]:
    """The config files (of ``configs``) that the code (modules or functions) names by path: tabdiff's main.py loads
    ``f'{curr_dir}/configs/tabdiff_configs.toml'``. A string's text after its last formatted part is matched to
    the end of a file's path; a bare file name only where one file has it."""
    out: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                tail = "".join(v.value for v in node.values[max((i for i, v in enumerate(node.values)
                                                                 if isinstance(v, ast.FormattedValue)), default=-1) + 1:]
                               if isinstance(v, ast.Constant) and isinstance(v.value, str))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 300:
                tail = node.value
            else:
                continue
            match = CONFIG_PATH.search(tail.strip())
            if not match:
                continue
            name = match.group("tail").lstrip("./")
            if not name:
                continue
            same = [c for c in configs if c == name or c.endswith("/" + name)]
            if "/" in name or len(same) == 1:
                out.update(same)
    return out


def built_classes(trees: list[ast.Module]) -> tuple[set[str], set[str]]:
    """The names the code calls (builds) outside any network's class, and those it calls inside one (a submodule a
    network builds for itself)."""
    outer: set[str] = set()
    inner: set[str] = set()

    def visit(node: ast.AST, in_module: bool) -> None:
        if isinstance(node, ast.ClassDef):
            in_module = in_module or bool({_name(b) for b in node.bases} & MODULE_BASES)
        elif isinstance(node, ast.Call):
            (inner if in_module else outer).add(_name(node.func))
        for child in ast.iter_child_nodes(node):
            visit(child, in_module)

    for tree in trees:
        try:
            visit(tree, False)
        except RecursionError:
            continue
    return outer, inner


def _model_rank(note: str, outer: set[str], inner: set[str]) -> int:
    """0: a network the run's code builds and no other network does (or one loaded by name), 1: one built both
    ways, 2: one only another network builds (its submodule), 3: one never built (a base class)."""
    match = re.match(r"class (\w+)\(", note)
    if not match:
        return 0
    name = match.group(1)
    return (0 if name not in inner else 1) if name in outer else 2 if name in inner else 3


def launched_entries(root: Path, entries: list[str], packages: tuple[Path, ...] = ()) -> list[str]:
    """The entry scripts and the scripts they launch: a launcher (SAPG's ``-m isaacgymenvs.pbt.launcher.run``) starts
    the training as a command string (``python -m isaacgymenvs.train ...``) that its imports never reach."""
    out = list(entries)
    for _ in range(3):  # a launcher of a launcher at most
        reached = {p for e in out for p in reached_files(root / e, root, packages=packages)}
        more = [f for c in launched_commands(reached) for f in [module_script(root, c)] if f and f.endswith(".py")
                and f not in out]
        if not more:
            break
        out += list(dict.fromkeys(more))
    return out


# the check of the code's layer sizes against the paper's (gaps/architecture.py), given by the rule
ArchitectureCheck = Callable[[dict[str, Any], list[dict[str, Any]]], list[dict[str, Any]]]


def build_inventory(code_dir: str | Path, code_meta: dict[str, Any], paper: dict[str, Any],
                    facts: list[dict[str, Any]], check: ArchitectureCheck | None = None
                    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    root = Path(code_dir)
    trees: dict[str, _Parsed | None] = {}
    packages = tuple(root / f for f in installed_folders(root))
    entries = launched_entries(root, entry_scripts(code_dir), packages)
    names = method_names(paper)
    found, hparams, unparsed, apart = analyse(code_dir, entries, adopted_works(paper), names)
    reached: set[str] = set()
    called: set[str] = set()  # the files of the functions the entry points call (grok/training.py's train())
    picked: set[str] = set()  # the files of what a registry builds for the paper's configs (SAPG's A2CAgent)
    composed: dict[str, str] = {}  # the config files a Hydra entry point loads -> the key they sit under
    papers_configs: list[str] = []  # the configs whose file name the paper writes (AllegroKukaLSTMPPO.yaml)
    if entries:  # what the training commands reach is the paper's code; the rest is listed apart, never a run value
        reached = {str(p.relative_to(root)) for e in entries for p in reached_files(root / e, root, packages=packages)}
        words = paper_tokens(paper)
        spelled = PaperNames.of(paper)
        # what only another experiment's registry entry builds (SAPG's train.py registers IsaacGymEnvs' AMP agent;
        # the paper's configs pick a2c_continuous) is not the run's: not followed into
        picked, unpicked, papers_configs = registry_picks(root, reached, {
            rel: parsed.tree for rel in reached if rel.endswith(".py")
            for parsed in [_parse_once(root, rel, trees)] if parsed is not None}, words)
        skip = frozenset(root / f for f in unpicked)
        if skip:
            reached = {str(p.relative_to(root)) for e in entries
                       for p in reached_files(root / e, root, packages=packages, skip=skip)}
        functions = [(str(p.relative_to(root)), f) for e in entries
                     for p, f in reached_functions(root / e, root, packages, skip)]
        # an entry script's own top-level code runs too, and what a registry builds for the paper's configs
        called = {rel for rel, _ in functions} | set(entries) | (picked & reached)
        spans = {(rel, f.lineno, getattr(f, "end_lineno", f.lineno)) for rel, f in functions}
        for key in ("augmentation", "saving"):  # what the run applies or writes, not what a helper could
            found[key].items = [(where, note) for where, note in found[key].items
                                if _applied(root, where, reached, spans, trees)]
        # the config files a Hydra entry point composes are read by the run (config.yaml and the defaults' picks)
        composed = composed_files(root, entries, papers_configs, trees)
        # a config file the run's code opens by name: in an entry script, or in a function the entry points call
        # (not a default of a method nothing calls: rl_games' create_agent(config='.../ppo_slime_self_play.yaml'))
        opened = named_configs([p.tree for e in entries for p in [_parse_once(root, e, trees)] if p is not None]
                               + [f for _, f in functions], {h["path"] for h in hparams if h["kind"] in CONFIG_FILE_KINDS})
        for rel in sorted(opened):
            composed.setdefault(rel, "")
        for h in hparams:
            h["reached"] = h["path"] in reached or h["kind"] == "README command" or h["path"] in composed \
                or h["kind"] == "shell command" and h["runs"] in entries
            if composed.get(h["path"]):  # a group's file sits under the group's key: loss/dpo.yaml's name is loss.name
                h["name"] = f"{composed[h['path']]}.{h['name']}"
        unused = _unused_classes(root, reached, {h["scope"] for h in hparams if h["kind"] == "constructor default"})
        for h in hparams:  # a class defined where the entry point reaches but never used there (FOA's
            if h["kind"] == "constructor default" and h["scope"] in unused:  # LabelSmoothingCrossEntropy)
                h["reached"] = False
        for h in hparams:  # a variant the paper does not use (RICE's e3b bonus beside its RND): not a run value
            if h["reached"] and other_variant(root, h, spelled, trees):
                h["reached"] = False
    # an option nothing reads is no run value: read in what the run reaches, or, with no training command known,
    # in the repository's modules
    modules = sorted(reached) if entries else sorted(
        str(f.relative_to(root)) for f in list(root.rglob("*.py"))[:3000] if ".git" not in f.parts)
    module_trees = [p.tree for rel in modules if rel.endswith(".py") for p in [_parse_once(root, rel, trees)]
                    if p is not None]
    unread_options(hparams, module_trees, set(composed))
    places = {_file_of(where) for finding in found.values() for where, _ in finding.items}
    baselines = baseline_files(root, paper, names, places | {h["path"] for h in hparams})
    for finding in found.values():  # a component only the compared methods have is not the paper's (FOA
        # adapts without augmentation; CoTTA, a baseline beside it, augments)
        theirs = [(w, baselines[_file_of(w)]) for w, _ in finding.items if _file_of(w) in baselines]
        if theirs and len(theirs) == len(finding.items):
            shown = ", ".join(f"`{w}` ({method})" for w, method in theirs[:3])
            finding.items = [("", f"only in the code of methods the paper compares with: {shown}")]
    for h in hparams:  # a compared method's settings are its own, never the run's
        if h["path"] in baselines and h["kind"] != "README command":
            h["reached"] = False
    if papers_configs:  # the configs whose file name the paper writes (ranked first below)
        found["configs"].items += [(rel, f"{Path(rel).name}: its name is the paper's") for rel in papers_configs
                                   if rel not in found["configs"].paths]
    # the config files the run's code loads (Hydra's composition, a path it opens) first, then those named as the paper
    papers_configs = list(composed) + [rel for rel in papers_configs if rel not in composed]
    if entries:  # the network a run trains is built by the run's code, not inside another network (TabDiff's
        # UnifiedCtimeDiffusion, built in main, before the noise schedules it builds and their abstract base class)
        outer, inner = built_classes(module_trees)  # (with entry points, the modules are those they reach)
        found["model"].items.sort(key=lambda item: _model_rank(item[1], outer, inner))
    for finding in found.values():  # each component's places: the code the training commands reach first; in it
        # the files named for the paper's method ("FOA" -> tta_library/foa.py, not the baselines beside it), then
        # other files before those of the methods it compares with, then those whose functions the commands call;
        # notebooks (exploration, figures) after the modules
        first = {rel: i for i, rel in enumerate(papers_configs)} if finding is found["configs"] else {}
        # (an evaluation script's model or data is what it evaluates: after the training code's, but for evaluation)
        evaluating = finding is not found["eval"]
        finding.rank(lambda rel, first=first, evaluating=evaluating: (
            first.get(rel, len(first)), bool(entries) and rel not in reached,
            evaluating and bool(EVALUATION_SCRIPT.search(rel)), _named_for(rel, names), rel in baselines,
            rel not in called, rel not in picked, rel.endswith(".ipynb")))
    # the settings of the files that train first: where two places give one option (SAPG's weight decay default in
    # its agent's base class and in the optional central-value critic), what the paper's configs pick, then the
    # training loop's and the optimizer's files
    trains = {rel: i for i, rel in enumerate(dict.fromkeys(
        _file_of(where) for key in ("training_loop", "optimizer") for where, _ in found[key].items))}
    hparams.sort(key=lambda h: (h["path"] not in picked and h["path"] not in composed,
                                trains.get(h["path"], len(trains))))
    all_hparams = hparams + facts
    components = [{"key": key, "component": label, "present": bool(found[key].paths), "paths": found[key].paths[:8],
                   "notes": found[key].notes[:6]} for key, label in COMPONENTS]
    return {
        "code": code_meta,
        "components": components,
        "summary": completeness(found),
        "checklist": checklist(code_dir, found),
        "architecture_check": check(paper, all_hparams) if check else [],
        "unparsed_files": unparsed,
        "set_aside": apart,
        "entry_points": entries,
        "facts": facts,
        "open_questions": triage(paper.get("open_questions", []), all_hparams),
    }, hparams


def render_inventory(inv: dict[str, Any], hparams: list[dict[str, Any]]) -> str:
    code = inv["code"]
    if code.get("kind") == "none":
        reason = code.get("reason", "none configured")
        origin = reason if reason.startswith("no code could be reached") else f"no code found ({reason})"
    elif code.get("kind") == "package":
        origin = f"installed distribution `{code['name']}` {code['version']} ({code['files']} files, read, never imported)"
    elif code.get("kind") == "git":
        origin = f"{code['url']} at commit `{code['commit']}`"
    else:
        origin = f"local folder {code.get('path', '')}"
    lines = ["# Code inventory", "", f"- **Code:** {origin}", f"- **Tree sha256:** `{code.get('tree_sha256', '')[:16]}`"]
    if code.get("unreachable"):
        lines.append(f"- **Tried first, could not be reached:** {'; '.join(code['unreachable'])}")
    summary = inv["summary"]
    verdict = "yes: a complete training repository; the dataset stage can follow directly" \
        if summary["complete_training_repo"] else "no: there is no code; every component comes from the paper" \
        if code.get("kind") == "none" else f"no: missing {', '.join(summary['missing'])}"
    lines += [f"- **Complete training repo:** {verdict}", "",
              "## Components", "", "| component | present? | path | notes |", "|---|---|---|---|"]
    for c in inv["components"]:
        lines.append(f"| {c['component']} | {'yes' if c['present'] else 'no'} | "
                     f"{', '.join(f'`{p}`' for p in c['paths'][:4]) or '-'} | {'; '.join(c['notes'][:3]) or '-'} |")
    check = inv["checklist"]
    lines += ["", f"## ML Code Completeness Checklist: {check['score']}/5", "", "| item | ok | evidence |", "|---|---|---|"]
    lines += [f"| {i['item']} | {'yes' if i['ok'] else 'no'} | {i['evidence']} |" for i in check["items"]]
    lines += ["", "## Architecture: code vs paper", ""]
    lines += [f"- `{a['where']}` {a['code']}: {a['status']}" for a in inv["architecture_check"]] or \
        ["(no layer sizes in the code or the paper to compare)"]
    apart = [h for h in hparams if h.get("reached") is False]
    used = [h for h in hparams if h.get("reached") is not False]
    entries = inv.get("entry_points") or []
    lines += ["", f"## Hyperparameter defaults in the code ({len(used)})", ""]
    if entries:
        many = len(entries) > 1
        lines += [f"Read from the code that the README's training command{'s' if many else ''} "
                  f"({', '.join(f'`{e}`' for e in entries)}) reach{'' if many else 'es'} through "
                  f"{'their' if many else 'its'} imports.", ""]
    if used:
        lines += ["| name | value | where | kind |", "|---|---|---|---|"]
        lines += [f"| {h['name']} | `{_shown(h['value'])}` | `{code_place(h)}` | {h['kind']} |" for h in used[:80]]
        lines += ["", f"(the first 80 of {len(used)}: all are in code_hparams.json)"] if len(used) > 80 else []
    else:
        lines.append("(none found)")
    if apart:
        lines += ["", f"## Settings in code the training commands do not reach ({len(apart)})", "",
                  "Notebooks, plotting and other scripts: listed, never a run value.", "",
                  "| name | value | where | kind |", "|---|---|---|---|"]
        lines += [f"| {h['name']} | `{_shown(h['value'])}` | `{code_place(h)}` | {h['kind']} |" for h in apart[:40]]
        lines += ["", f"(the first 40 of {len(apart)}: all are in code_hparams.json)"] if len(apart) > 40 else []
    if inv["facts"]:
        f0 = inv["facts"][0]
        lines += ["", "## Values read by hand from the official repository", "",
                  f"Not cloned here; recorded in the configured facts file from {f0['repository']}.", "",
                  "| name | value | where | kind |", "|---|---|---|---|"]
        lines += [f"| {f['name']} | `{f['value']!r}` | `{f['path']}:{f['line']}` @ {str(f['commit'])[:7]} | {f['kind']} |"
                  for f in inv["facts"]]
    lines += ["", "## Open questions, triaged", ""]
    for q in inv["open_questions"]:
        evidence = f": {'; '.join(q['evidence'])}" if q["evidence"] else ""
        lines.append(f"- **{q['question']}** ({q['knob']}) {q['status']}{evidence}")
    if not inv["open_questions"]:
        lines.append("(the paper raised none)")
    skipped = code.get("skipped") or {}
    if skipped.get("symlinks") or skipped.get("large_files"):
        lines += ["", "## Not read", ""]
        lines += [f"- symlink `{x['path']}` -> `{x['target']}`{' (points outside the repository)' if x['outside'] else ''}: "
                  "removed, never followed" for x in skipped.get("symlinks", [])]
        lines += [f"- `{x['path']}` ({x['mb']} MB): above the 5 MB per-file cap, removed"
                  for x in skipped.get("large_files", [])]
    if inv["unparsed_files"]:
        lines += ["", f"Files that are not valid Python and were skipped: {', '.join(inv['unparsed_files'])}"]
    if inv.get("set_aside"):
        lines += ["", "Set aside as not the paper's own code (vendored or third-party trees, CI, assets, docs; their "
                  f"settings are not read): {', '.join(f'`{f}/`' for f in inv['set_aside'])}"]
    return "\n".join(lines) + "\n"


def inventory(code_dir: str | Path, code_meta_path: str | Path, paper_json: str | Path, facts_path: str | None,
              out_md: str | Path, out_json: str | Path, out_hparams: str | Path,
              check: ArchitectureCheck | None = None) -> dict[str, Any]:
    """Stage 2's rule: write ``inventory.md``, ``inventory.json`` and ``code_hparams.json`` (with ``check``, the
    layer sizes against the paper's)."""
    code_meta = atomic.read_json(code_meta_path, "code record")
    paper = atomic.read_json(paper_json, "paper extract")
    facts = load_facts(facts_path)
    inv, hparams = build_inventory(code_dir, code_meta, paper, facts, check)
    atomic.write_json(out_hparams, {"code": code_meta, "hparams": hparams, "facts": facts})
    atomic.write_json(out_json, inv)
    atomic.write_text(out_md, render_inventory(inv, hparams))
    return inv
