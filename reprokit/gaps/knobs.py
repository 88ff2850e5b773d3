"""The knobs every training run has (the core ledger), and the ``Knob`` a task uses to add its own.

A ``Knob`` says how to read its value from the paper (prose patterns, optionally only in sentences that
match a context such as one model's name; hyperparameter-table row labels), from the code (parameter
names, scopes), and what to fall back on: a venue convention, the framework's real default (read from the
installed torch), or a guess with its reason. General patterns only: no paper's text is special-cased, and
nothing here names a model, a dataset or a knob of any particular paper.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reprokit.text import parse_number

NUM = (r"\$?[-+]?(?:10\s*\^\s*\{?\s*[-−]?\d+\s*\}?(?![\d.])|(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
       r"(?:\s*(?:[x×]|\\times)\s*10\s*\^?\s*\{?\s*[-−]?\d+\s*\}?|[eE][-−]?\d+)?)\s*(?:\\?%|[kKM])?\$?")
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "single": 1}


def number(raw: str, _sentence: str = "") -> float | None:
    raw = raw.strip()
    if raw.lower() in WORDS:
        return float(WORDS[raw.lower()])
    return parse_number(raw.replace("−", "-").replace("\\%", "%"))


def integer(raw: str, sentence: str = "") -> int | None:
    value = number(raw, sentence)
    return int(value) if value is not None and float(value).is_integer() else None


def lowercase(raw: str, _sentence: str = "") -> str:
    return re.sub(r"[\s-]+", "_", raw.strip().lower())


def boolean(raw: str, _sentence: str = "") -> bool | None:
    word = raw.strip().lower()
    if word in ("true", "yes", "on", "enabled", "with"):
        return True
    if word in ("false", "no", "off", "disabled", "without", "none"):
        return False
    return None


def number_list(raw: str, _sentence: str = "") -> list[float] | None:
    """``"30, 60 and 90"``, ``"[30, 60, 90]"``, ``"128, 128, 128"`` or layer sizes ``"512x256x128"`` ->
    a list of numbers (a comma followed by a space always separates; "1,000" stays one number)."""
    sizes = None if "10^" in raw or "e-" in raw.lower() else re.fullmatch(r"\s*\d+(?:\s*[x\u00d7]\s*\d+)+\s*", raw)
    if sizes:
        return [float(v) for v in re.split(r"\s*[x\u00d7]\s*", raw.strip())]
    parts = [p for p in re.split(r"\s*(?:,\s+|,(?!\d{3}\b)|;|\band\b|\[|\])\s*", raw) if p.strip()]
    values = [number(p) for p in parts]
    return values if values and all(v is not None for v in values) else None


def integer_list(raw: str, sentence: str = "") -> list[int] | None:
    values = number_list(raw, sentence)
    if not values or not all(float(v).is_integer() for v in values):
        return None
    return [int(v) for v in values]


def mentioned(raw: str, sentence: str) -> bool:
    """A named feature ("Nesterov", "shuffled"): true unless the sentence negates it just before."""
    before = sentence[:max(0, sentence.lower().find(raw.lower()))][-30:]
    return not re.search(r"\b(?:no|not|without|never|nor)\b", before, re.IGNORECASE)


def decay_factor(raw: str, sentence: str) -> float | None:
    """The multiplier of a step decay: "multiplied by 0.1" is 0.1, "divided by 10" is 0.1 too."""
    value = number(raw)
    if value is None or value == 0:
        return None
    return round(1.0 / value, 12) if re.search(rf"divided by (?:a factor of )?{re.escape(raw)}", sentence) else value


LOSS_NAMES = {"cross_entropy": "cross_entropy", "mean_squared_error": "mse", "mean_absolute_error": "l1",
              "negative_log_likelihood": "nll", "negative_log-likelihood": "nll", "hinge": "hinge"}


def loss_name(raw: str, _sentence: str = "") -> str:
    """The paper's loss in the harness's words ("mean squared error" -> "mse")."""
    word = lowercase(raw)
    return LOSS_NAMES.get(word, word)


PARSERS: dict[Any, Callable[[str, str], Any]] = {int: integer, float: number, str: lowercase, bool: boolean,
                                                 list: number_list}


@dataclass(frozen=True)
class Knob:
    """One value a run needs.

    ``parse`` is a type (int, float, str, bool, list) or a function ``(matched text, sentence) -> value``
    (None when the text is not a value). ``prose`` are regexes with a named group ``v``; ``context`` a regex
    a sentence must match for its values to count (use it to scope a knob to one model's sentences);
    ``table`` a regex for a hyperparameter-table row label; ``code`` a (parameter-name regex, scope regex)
    pair for values found in the official code; ``model`` the one model the knob applies to (None: all).
    Fallbacks, tried in this order when no source states the value: ``convention`` and ``guess`` are
    ``(value, reason)``; ``framework`` is a function of the values chosen so far returning
    ``(value, where it was read)``. ``optional`` knobs are left out of the ledger when nothing states them;
    ``alternative_to`` names a knob whose stated value makes this one unnecessary (a budget in epochs or in
    steps).
    """

    name: str
    parse: Any = float
    prose: tuple[str, ...] = ()
    context: str | None = None
    table: str | None = None
    code: tuple[str, str] | None = None
    model: str | None = None
    convention: tuple[Any, str] | None = None
    framework: Callable[[dict[str, Any]], tuple[Any, str]] | None = None
    guess: tuple[Any, str] | None = None
    optional: bool = False
    alternative_to: str | None = None
    block: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", self.name):
            raise ValueError(f"knob name {self.name!r} must be dotted lower-case words, e.g. 'architecture.width'")
        object.__setattr__(self, "block", self.name.split(".")[0])
        if self.parse in PARSERS:
            object.__setattr__(self, "parse", PARSERS[self.parse])
        if not callable(self.parse):
            raise ValueError(f"knob {self.name}: parse must be int, float, str, bool, list or a function")
        object.__setattr__(self, "prose", tuple([self.prose] if isinstance(self.prose, str) else self.prose))
        for fallback in ("convention", "guess"):
            value = getattr(self, fallback)
            if value is not None and not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)):
                raise ValueError(f"knob {self.name}: {fallback} must be (value, reason)")


# Framework defaults: read from the installed torch, never typed in.
OPTIMIZERS = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad"}


def _signature_default(obj: Callable[..., Any], param: str) -> Any:
    return inspect.signature(obj).parameters[param].default


def optimizer_default(param: str, index: int | None = None) -> Callable[[dict[str, Any]], tuple[Any, str]]:
    """The default of ``param`` in the constructor of the optimizer chosen so far (Adam if none is known)."""

    def read(chosen: dict[str, Any]) -> tuple[Any, str]:
        import torch

        name = OPTIMIZERS.get(str(chosen.get("optimizer.name", "adam")), "Adam")
        cls = getattr(torch.optim, name)
        if param not in inspect.signature(cls).parameters:
            return None, f"torch {torch.__version__} torch.optim.{name} has no {param}"
        full = _signature_default(cls, param)
        value = full[index] if index is not None else full
        value = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        return value, f"torch {torch.__version__} torch.optim.{name}({param}={full})"

    return read


def label_smoothing_default(_chosen: dict[str, Any]) -> tuple[Any, str]:
    import torch

    value = float(_signature_default(torch.nn.CrossEntropyLoss, "label_smoothing"))
    return value, f"torch {torch.__version__} nn.CrossEntropyLoss(label_smoothing={value})"


def multistep_gamma_default(_chosen: dict[str, Any]) -> tuple[Any, str]:
    import torch

    value = float(_signature_default(torch.optim.lr_scheduler.MultiStepLR, "gamma"))
    return value, f"torch {torch.__version__} lr_scheduler.MultiStepLR(gamma={value})"


def no_clipping(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return 0.0, "torch applies no gradient clipping unless clip_grad_norm_ is called"


def constant_lr(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return "constant", "a torch optimizer keeps its learning rate constant unless a scheduler is attached"


def no_warmup(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return 0, "no warm-up unless a scheduler adds one"


def no_milestones(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return [], "no learning-rate milestones unless a step schedule is described"


def no_final_lr(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return 0.0, "torch's CosineAnnealingLR and LinearLR decay to eta_min=0 / end_factor 0 unless told otherwise"


def no_ema(_chosen: dict[str, Any]) -> tuple[Any, str]:
    return 0.0, "torch keeps no average of the weights unless torch.optim.swa_utils.AveragedModel is used"


def fp32(_chosen: dict[str, Any]) -> tuple[Any, str]:
    import torch

    return "fp32", f"torch {torch.__version__} computes in torch.get_default_dtype() = {torch.get_default_dtype()}"


TRAIN = r"(?:training|train|trained|optimi[sz])"
AUGMENT_WORDS = (r"random(?:ly)? (?:resized )?crop\w*|random(?:ly)? (?:horizontal )?flip\w*|horizontal flip\w*|"
                 r"color jitter\w*|colou?r augmentation|mixup|cutmix|cutout|randaugment|autoaugment|"
                 r"random eras\w*|random rotation\w*|gaussian noise augmentation|data augmentation|augment\w*")


def augmentation(raw: str, sentence: str) -> str | None:
    """The paper's own words for its train-time augmentation; "none" only when it says there is none."""
    if re.search(r"\b(?:no|without|not use|do not use|did not use)\b[^.]{0,30}augment", sentence, re.IGNORECASE):
        return "none"
    words = []
    for match in re.finditer(AUGMENT_WORDS, sentence, re.IGNORECASE):
        word = match.group(0).lower()
        if word not in words and not word.startswith("augment") and word != "data augmentation":
            words.append(word)
    if words:
        return ", ".join(words)
    return "augmentation of an unstated kind" if re.search(r"augment", sentence, re.IGNORECASE) else None


KNOBS: tuple[Knob, ...] = (
    # optimizer
    Knob("optimizer.name", str, (r"\b(?P<v>AdamW|Adam|SGD|RMSprop|Adagrad|LAMB|Lion)\b",),
         context=r"optimi[sz]|train|learning rate", table=r"^optimi[sz]er$",
         guess=("adam", "no optimizer stated; Adam is the most common default")),
    Knob("optimizer.lr", float,
         (rf"learning[- ]rate (?:of |is |was |=\s*|to |set to )?(?P<v>{NUM})", rf"\blr\s*=\s*(?P<v>{NUM})"),
         table=r"^(initial |base |peak |max(imum)? )?learning[- ]rate$|^lr$", code=(r"^(learning_rate|lr)$", r".*"),
         guess=(1e-3, "no learning rate stated; 1e-3 is a common starting point for Adam")),
    Knob("optimizer.beta1", float, (rf"(?:\\beta_\{{?1\}}?|β1|β_1|beta1|beta_1)\s*(?:=|of)\s*(?P<v>{NUM})",),
         table=r"beta_?1|β_?1", code=(r"^beta1$", r".*"), framework=optimizer_default("betas", 0)),
    Knob("optimizer.beta2", float, (rf"(?:\\beta_\{{?2\}}?|β2|β_2|beta2|beta_2)\s*(?:=|of)\s*(?P<v>{NUM})",),
         table=r"beta_?2|β_?2", code=(r"^beta2$", r".*"), framework=optimizer_default("betas", 1)),
    Knob("optimizer.eps", float, (rf"(?:\\epsilon|epsilon|ε)\s*(?:=|of)\s*(?P<v>{NUM})",),
         context=r"Adam|optimi", table=r"^(adam )?eps(ilon)?$", code=(r"^eps$", r".*"),
         framework=optimizer_default("eps")),
    Knob("optimizer.momentum", float, (rf"momentum (?:of |=\s*|coefficient of )?(?P<v>{NUM})",),
         table=r"^momentum$", code=(r"^momentum$", r".*"), framework=optimizer_default("momentum")),
    Knob("optimizer.nesterov", mentioned, (r"(?P<v>Nesterov)",), context=r"momentum|SGD|optimi",
         table=r"^nesterov$", framework=optimizer_default("nesterov")),
    Knob("optimizer.weight_decay", float,
         (rf"weight[- ]decay (?:of |is |was |=\s*|coefficient of |to )?(?P<v>{NUM})",), table=r"weight[- ]decay",
         code=(r"^(weight_decay|wd)$", r".*"), framework=optimizer_default("weight_decay")),
    # batch
    Knob("batch.batch_size", int,
         (rf"batch[- ]size (?:of |is |was |=\s*)?(?P<v>{NUM})", rf"mini-?batch(?:es)? of (?P<v>{NUM})"),
         table=r"batch[- ]size", code=(r"^(batch_size|bs)$", r".*"),
         guess=(64, "no batch size stated; a common default")),
    Knob("batch.shuffle", mentioned, (r"(?P<v>shuffl)\w*",), context=r"batch|data|training|epoch",
         guess=(True, "no batch order stated; data loaders usually reshuffle the training set each epoch")),
    # schedule: the budget is in steps or in epochs (whichever the sources state)
    Knob("schedule.total_steps", int,
         (rf"for (?P<v>{NUM}) (?:training |optimi[sz]ation |gradient )?(?:steps|iterations|updates)",),
         context=TRAIN, table=r"^(training |total |number of |max(imum)? )?(steps|iterations|updates)$",
         code=(r"^(total_steps|max_steps|num_steps|train_steps|iterations|max_iters)$", r".*"),
         guess=(1000, "no training length stated; a short budget to be tuned"), alternative_to="schedule.epochs"),
    Knob("schedule.epochs", int, (rf"for (?P<v>{NUM}) (?:training )?epochs", rf"(?P<v>{NUM}) epochs of training"),
         context=TRAIN, table=r"^(training |total |number of )?epochs$",
         code=(r"^(epochs|num_epochs|n_epochs|max_epochs)$", r".*"), optional=True),
    Knob("schedule.eval_every", int,
         (rf"every (?P<v>{NUM}) (?:training )?(?:steps|iterations|updates|epochs)",), context=r"evaluat|test|validat",
         table=r"eval(uation)? (interval|every|frequency)", code=(r"^(eval_every|eval_interval|eval_freq)$", r".*"),
         guess=(0, "no evaluation interval stated; evaluated at the start and at the end of the budget")),
    Knob("schedule.lr_schedule", str,
         (r"(?P<v>cosine|linear|step|multi-step|constant)(?: learning[- ]rate)? (?:schedule|decay|annealing)",),
         table=r"(lr|learning[- ]rate) schedule", framework=constant_lr),
    Knob("schedule.warmup_steps", int, (rf"warm-?up (?:of |for |over )?(?:the first )?(?P<v>{NUM}) (?:steps|iterations|updates)",
                                        rf"(?P<v>{NUM}) (?:steps|iterations|updates) of (?:linear )?warm-?up"),
         table=r"warm-?up", code=(r"^warmup(_steps|_iters)?$", r".*"), framework=no_warmup),
    Knob("schedule.milestones", list, (rf"(?:at|after) (?:epochs? |steps? |iterations? )?(?P<v>{NUM}(?:\s*(?:,|and)\s*{NUM})+)",),
         context=r"learning rate|lr|decay|divided|multiplied", table=r"milestones|decay (epochs|steps)",
         code=(r"^(milestones|lr_milestones|lr_steps|decay_epochs)$", r".*"), framework=no_milestones),
    Knob("schedule.gamma", decay_factor, (rf"(?:decay(?:ed)?|multiplied|reduced) by (?:a factor of )?(?P<v>{NUM})",
                                   rf"divided by (?P<v>{NUM})"),
         context=r"learning rate|lr", table=r"^(lr |learning[- ]rate )?(decay factor|gamma)$", framework=multistep_gamma_default),
    Knob("schedule.final_lr", float, (rf"(?:decay(?:ed|s)?|anneal(?:ed|s)?) to (?P<v>{NUM})",),
         context=r"learning rate|lr", table=r"^(final|min(imum)?) (lr|learning[- ]rate)$", framework=no_final_lr),
    # augmentation: the paper's words
    Knob("augmentation.pipeline", augmentation, (rf"(?P<v>{AUGMENT_WORDS})",),
         guess=("none", "the paper describes no train-time augmentation anywhere")),
    # loss
    Knob("loss.name", loss_name,
         (r"(?P<v>cross[- ]entropy|mean squared error|mean absolute error|hinge|negative log[- ]likelihood)(?: loss)?",),
         table=r"^loss( function)?$", guess=("cross_entropy", "no loss stated; the usual classification loss")),
    Knob("loss.label_smoothing", float, (rf"label smoothing (?:of |=\s*|with |factor of )?(?P<v>{NUM})",),
         table=r"label smoothing", code=(r"^(label_smoothing|smoothing)$", r".*"), framework=label_smoothing_default),
    # tricks
    Knob("tricks.grad_clip", float,
         (rf"clip(?:ped|ping)? (?:the )?gradients?(?: norms?)? (?:at|to) (?P<v>{NUM})",
          rf"gradient(?:s| norms?)? (?:are |is )?clipped (?:at|to) (?P<v>{NUM})"),
         # a "clipping factor" or "clip range" is PPO's ratio clip, not a gradient clip
         table=r"grad(?:ient)?s?\W*(?:norm\W*)?clip|clip\w*\W*(?:grad|norm)|^\s*grad(?:ient)?\W*norm|max\W*(?:grad\W*)?norm",
         code=(r"^(grad_clip|clip_grad|clip_grad_norm|grad_norm_clip|max_grad_norm|gradient_clip_val|clip_norm)$", r".*"),
         framework=no_clipping),
    Knob("tricks.precision", str, (r"(?P<v>fp16|bf16|bfloat16|float16|mixed[- ]precision|fp32)",), context=TRAIN,
         framework=fp32),
    Knob("tricks.ema_decay", float, (rf"(?:EMA|exponential moving average)[^.]{{0,40}}?(?:decay|rate|of) (?:of )?(?P<v>{NUM})",),
         table=r"^ema( decay)?$", code=(r"^(ema_decay|ema_rate|model_ema_decay)$", r".*"), framework=no_ema),
    # data split sizes (checked against the data in stage 5)
    Knob("data.train_size", int,
         (rf"(?P<v>{NUM}) (?:of them |examples |samples |images |pairs )?for training",
          rf"(?P<v>{NUM}) training (?:examples|samples|images|pairs|points)"),
         table=r"^(train|training)( set| size| examples)?$", optional=True),
    Knob("data.test_size", int,
         (rf"(?P<v>{NUM}) (?:of them |examples |samples |images |pairs )?for (?:testing|evaluation|validation)",
          rf"(?P<v>{NUM}) (?:test|validation|held-out) (?:examples|samples|images|pairs|points)"),
         table=r"^(test|validation)( set| size| examples)?$", optional=True),
)

CORE = {k.name: k for k in KNOBS}
BLOCKS = ("optimizer", "batch", "schedule", "augmentation", "loss", "tricks", "data")
