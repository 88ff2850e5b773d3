"""The knobs every training run has (the core ledger), and the ``Knob`` a task uses to add its own.

A ``Knob`` is one value a run needs and its vocabulary: the names a paper writes it with (a regex over a
statement's name: words, symbols, table row labels), the sentences it may come from (``context``, e.g. one
model's), its plausible range, its names in code, and what to fall back on (a venue convention, the
framework's real default read from the installed torch, or a guess with its reason). Stage 3 reads the paper
once (``statements.extract_statements``); a knob's paper value is a lookup over those statements, never a
second reading of the prose. Nothing here names a model, a dataset or a knob of any particular paper.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reprokit import optimizers
from reprokit.gaps.frames import DECAY_VERB, UNNAMED_AUGMENTATION
from reprokit.text import WORD_NUMBER, normalise_space, parse_number

GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "η": "eta",
         "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau"}


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A statement's name as knobs match it: lower case, Greek letters and LaTeX symbols spelled out,
    parentheses dropped ("$\\beta_{2}$" and "β2" are "beta2"; "Learning rate (actor)" is "learning rate")."""
    text = name.lower()
    for letter, word in GREEK.items():
        text = text.replace(letter, word)
    text = re.sub(r"\\(?:mathrm|text|textrm|mathit|operatorname|rm|bm|boldsymbol)\b", "", text)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\\?_(?=[a-z]{2})", " ", text)  # an identifier's words: "$warmup\_steps$" is "warmup steps"
    text = re.sub(r"[\\${}_^]", "", text)
    text = re.sub(r"\b(learning|weight|batch|gradient)-(rate|decay|size|norm|clipping)\b", r"\1 \2", text)  # "learning-rate"
    return normalise_space(re.sub(r"[^a-z0-9%.+-]+", " ", text))


def number(raw: str, _sentence: str = "") -> float | None:
    return parse_number(raw)


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


def decay_factor(raw: str, _sentence: str = "") -> float | None:
    """The multiplier of a step decay (the statement already reads "divided by 10" as 0.1)."""
    value = number(raw)
    return value if value is not None and 0 < value else None


LOSS_NAMES = {"cross_entropy": "cross_entropy", "mean_squared_error": "mse", "mean_absolute_error": "l1",
              "mean_squared": "mse", "mean-squared": "mse",  # "the mean squared loss"
              "square": "mse", "squared": "mse", "squared_error": "mse", "square_error": "mse",  # "trained with square loss"
              "negative_log_likelihood": "nll", "negative_log-likelihood": "nll", "hinge": "hinge",
              # as Keras names them in code (model.compile(loss='categorical_crossentropy'))
              "categorical_crossentropy": "cross_entropy", "sparse_categorical_crossentropy": "cross_entropy",
              # as torch names them (a config's `_target_: torch.nn.CrossEntropyLoss`)
              "crossentropyloss": "cross_entropy", "mseloss": "mse", "mse_loss": "mse", "l1loss": "l1", "l1_loss": "l1",
              "nllloss": "nll", "nll_loss": "nll", "bcewithlogitsloss": "bce_with_logits", "bceloss": "bce",
              "binary_cross_entropy": "bce",
              "binary_cross_entropy_with_logits": "bce_with_logits"}


def loss_name(raw: str, _sentence: str = "") -> str:
    """The paper's loss in the harness's words ("mean squared error" -> "mse")."""
    word = lowercase(raw)
    return LOSS_NAMES.get(word, word)


SCHEDULE_NAMES = {"cosine": "cosine", "linear": "linear", "step": "step", "multi-step": "step", "multistep": "step",
                  "constant": "constant", "polynomial": "polynomial", "exponential": "exponential",
                  "inverse square root": "inverse_sqrt", "one-cycle": "one_cycle", "onecycle": "one_cycle",
                  # as code names them: torch's ReduceLROnPlateau, a config's "reduce_lr_on_plateau"
                  "plateau": "plateau"}


def schedule_name(raw: str, _sentence: str = "") -> str | None:
    """A learning-rate schedule as written ("cosine decay", "Linear", "multi-step") -> its one name."""
    match = re.search("|".join(sorted(map(re.escape, SCHEDULE_NAMES), key=len, reverse=True)), raw.lower())
    return SCHEDULE_NAMES[match.group(0)] if match else None


def words(raw: str, _sentence: str = "") -> str | None:
    """A setting in the paper's own words (its augmentation), lower case."""
    text = normalise_space(raw).lower()
    if re.fullmatch(UNNAMED_AUGMENTATION, text):
        return None  # "standard data augmentation" names no transform the run could apply
    if re.fullmatch(rf"[\d.,\s]+|{WORD_NUMBER}", text, re.IGNORECASE):
        return None  # a count of them ("we sequentially apply three simple augmentations", a new user's SimCLR paper)
    return text or None


PARSERS: dict[Any, Callable[[str, str], Any]] = {int: integer, float: number, str: lowercase, bool: boolean,
                                                 list: number_list}


@dataclass(frozen=True)
class Knob:
    """One value a run needs, and how papers and code name it.

    ``parse`` is a type (int, float, str, bool, list) or a function ``(value as written, sentence) -> value``
    (None when the text is not a value). ``names``: a regex (or several) over a statement's name as
    ``name_key`` spells it ("learning rate", "beta2", "hidden units", a table row's label); ``context``: a
    regex the statement's sentence must match (scope a knob to one model's sentences); ``bare_context``: the
    same for a sentence of prose that names the setting by its unit alone ("steps": "held near the goal for K = 30
    steps" is no training length, "we train for 34k steps" is); ``kinds``: the kinds
    of statement it takes (settings; add "dataset statistic" or "sweep" where those state it); ``item``: the
    element to take from a statement that holds a list (Adam's "betas (0.9, 0.999)"); ``gather``: join every
    matching statement into one value (the paper's words for its augmentation); ``range``: the values that
    are plausible, inclusive; ``code``: a (parameter-name regex, scope regex) pair for values found in the
    official code; ``model``: the one model the knob applies to (None: all). Fallbacks, tried in this order
    when no source states the value: ``convention`` and ``guess`` are ``(value, reason)``; ``framework`` is a
    function of the values chosen so far returning ``(value, where it was read)``. ``optional`` knobs are left
    out of the ledger when nothing states them; ``alternative_to`` names a knob whose stated value makes this
    one unnecessary (a budget in epochs or in steps).
    """

    name: str
    parse: Any = float
    names: Any = ()
    context: str | None = None
    bare_context: str | None = None
    code: tuple[str, str] | None = None
    model: str | None = None
    kinds: tuple[str, ...] = ("setting",)
    item: int | None = None
    gather: bool = False
    range: tuple[float, float] | None = None
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
        names = (self.names,) if isinstance(self.names, str) else tuple(self.names or ())
        if any("(?P<v>" in n for n in names):
            raise ValueError(f"knob {self.name}: names are the words a paper names the setting with (a regex such as "
                             r"r'hidden units|hidden width'), not a pattern with a (?P<v>...) group; stage 3 reads "
                             "the values itself")
        try:
            object.__setattr__(self, "names", re.compile("|".join(f"(?:{n})" for n in names)) if names else None)
        except re.error as error:
            raise ValueError(f"knob {self.name}: names is not a valid regex ({error})") from None
        for fallback in ("convention", "guess"):
            value = getattr(self, fallback)
            if value is not None and not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)):
                raise ValueError(f"knob {self.name}: {fallback} must be (value, reason)")

    def in_percent(self, code_name: str) -> bool:
        """Does the code keep this share (a knob over 0-1) in percent, by its name (``train_data_pct``)?"""
        return self.range == (0, 1) and re.search(r"pct|percent", code_name, re.IGNORECASE) is not None

    def names_it(self, statement_name: str) -> bool:
        """Does a statement of this name state this knob?"""
        if self.names is None:
            return False
        # ... or by the abbreviation it gives in parentheses: "exp. mov. avg. (EMA)" (a new user's ConvNeXt table)
        short = re.fullmatch(r".*\(\s*([A-Za-z][A-Za-z0-9-]{1,9})\s*\)\s*", re.sub(r"\s*\[[^\]]*\]\s*$", "", statement_name))
        return bool(self.names.search(name_key(statement_name))) or bool(
            short and short.group(1).isupper() and self.names.search(name_key(short.group(1))))


# Framework defaults: read from the installed torch, never typed in.


def _signature_default(obj: Callable[..., Any], param: str) -> Any:
    return inspect.signature(obj).parameters[param].default


def optimizer_default(param: str, index: int | None = None) -> Callable[[dict[str, Any]], tuple[Any, str]]:
    """The default of ``param`` in the constructor of the optimizer chosen so far (Adam if none is known)."""

    def read(chosen: dict[str, Any]) -> tuple[Any, str]:
        import torch

        run = str(chosen.get("optimizer.name") or "adam")
        name = optimizers.TORCH.get(run)
        if name is None:  # (LARS, NT-ASGD: torch has no such class, so no default of torch's is this optimizer's)
            return None, f"torch {torch.__version__} has no {run} optimizer: no default {param}"
        cls = getattr(torch.optim, name)
        if param not in inspect.signature(cls).parameters:
            return None, f"torch {torch.__version__} torch.optim.{name} has no {param}"
        full = _signature_default(cls, param)
        value = full[index] if index is not None else full
        value = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        value = list(value) if isinstance(value, tuple) else value  # (Adafactor's eps is (None, 0.001))
        return value, f"torch {torch.__version__} torch.optim.{name}({param}={full})"

    return read


def label_smoothing_default(_chosen: dict[str, Any]) -> tuple[Any, str]:
    import torch

    value = float(_signature_default(torch.nn.CrossEntropyLoss, "label_smoothing"))
    return value, f"torch {torch.__version__} nn.CrossEntropyLoss(label_smoothing={value})"


def gamma_default(chosen: dict[str, Any]) -> tuple[Any, str]:
    import torch

    if chosen.get("schedule.lr_schedule") == "exponential":
        return None, ("torch's ExponentialLR has no default gamma: the paper names an exponential decay without its "
                      "rate; set schedule.gamma in the paper's `overrides`")

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


def optimizer_name(raw: str, sentence: str = "") -> str | None:
    """A known optimizer's name ("AdamW optimizer" -> "adamw"; "Adam" in "Adam with decoupled weight decay" ->
    "adamw"), or the name a paper states as its optimizer or update rule when it is none of them ("CMA-ES"): the
    harness refuses what it cannot run, with a sentence."""
    known = optimizers.canonical(optimizers.as_stated(raw.strip(), sentence))
    if known:
        return known
    word = raw.strip()
    return word.lower() if re.fullmatch(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*", word) else None


OF_ADAM = r"(?: (?:of|for|in) (?:the )?(?:adam\w*|optimi[sz]er))?"  # "$\beta_2$ of Adam"
# a noise schedule's betas: "variances ... increasing linearly from $\beta_{1}=10^{-4}$ to $\beta_{T}=0.02$" (a new user's
# diffusion paper), never Adam's
NOISE_SCHEDULE = r"^(?!.*(?:\\beta_\{?T\}?|\bvariances?\b|\bnoise schedule|\bdiffusion))"
NOT_A_SCHEDULE = r"(?!.*\b(?:from|variances?|schedule|noise)\b)"  # (in the name: "... increasing linearly from $\beta_{1}$")

KNOBS: tuple[Knob, ...] = (
    # optimizer
    Knob("optimizer.name", optimizer_name,
         r"(?:^|\s)optimi[sz]er$|^optimi[sz]ation (?:algorithm|method)$|^update rule$",
         guess=("adam", "no optimizer stated; Adam is the most common default")),
    Knob("optimizer.lr", float,
         # any learning rate ("Actor Training Learning Rate", "base lr") but a schedule's end or warm-up start
         r"^(?!.*\b(?:final|min|minimum|end|terminal|warm-?up|decay|layer-?wise)\b).*\b(?:learning rates?|lrs?)$|"
         # the optimizer's own step size ("Adam stepsize", a new user's RL paper), not any "step size $\gamma$"
         rf"^(?:{optimizers.pattern()}|optimi[sz]er) step ?size$",
         # (SGD on LSTMs runs at 20 or 30: "an initial learning rate of 30", a new user's language-model paper)
         range=(0, 100), code=(r"^(learning_rate|lr|max_lr|peak_lr|base_lr|init_lr|initial_lr)$", r".*"),
         guess=(1e-3, "no learning rate stated; 1e-3 is a common starting point for Adam")),
    Knob("optimizer.beta1", float, (rf"^{NOT_A_SCHEDULE}(?:.*\s)?beta ?1{OF_ADAM}$",
                                    r"^(?:adam |optimi[sz]er )?betas$|beta1 beta2"), item=0,
         bare_context=NOISE_SCHEDULE, range=(0, 1), code=(r"^(?:beta1|betas)$", r".*"),
         framework=optimizer_default("betas", 0)),
    Knob("optimizer.beta2", float, (rf"^{NOT_A_SCHEDULE}(?:.*\s)?beta ?2{OF_ADAM}$",
                                    r"^(?:adam |optimi[sz]er )?betas$|beta1 beta2"), item=1,
         bare_context=NOISE_SCHEDULE, range=(0, 1), code=(r"^(?:beta2|betas)$", r".*"),
         framework=optimizer_default("betas", 1)),
    Knob("optimizer.eps", float, r"^(?:adam |optimi[sz]er )?(?:epsilon|eps)$", context=r"Adam|optimi", range=(0, 0.1),
         code=(r"^eps$", r".*"), framework=optimizer_default("eps")),
    Knob("optimizer.momentum", float,
         # ("a high momentum (0.99)", a new user's segmentation paper: how the paper calls its value, the same knob)
         # (not "a small momentum of 0.1 for batch normalization", nor "a low momentum (0.5) led to unstable training")
         r"^(?:high\s+)?(?:sgd |optimi[sz]er |nesterov )?momentum(?: coefficient| factor| term| parameter)?$",
         range=(0, 1), code=(r"^momentum$", r".*"), framework=optimizer_default("momentum")),
    Knob("optimizer.nesterov", mentioned, r"^nesterov(?: momentum)?$", framework=optimizer_default("nesterov")),
    Knob("optimizer.weight_decay", float,
         r"weight[- ]decay(?: coefficient| rate| factor| strength)?$|^wd$|^l2 (?:regulari[sz]ation|penalty|weight)|^decay$",
         range=(0, 10), code=(r"^(weight_decay|wd)$", r".*"), framework=optimizer_default("weight_decay"),
         # a bare "decay" beside the optimizer's other settings, no learning rate's: "a batch size of 64, a momentum of
         # 0.9 and a decay of 0.0005" (YOLO, as Caffe and darknet name it)
         bare_context=r"^(?!.*(?:learning[- ]rate|\blr\b)[^.]{0,30}\bdecay)(?=.*(?:momentum|batch size|\bSGD\b|optimi[sz]er))"),
    # batch
    Knob("batch.batch_size", int,
         (r"^(?!.*\b(?:sampling|inference|evaluation|eval|test|testing|generation|validation)\b)(?!number of)(?:.*\s)?"
          r"(?:mini-?)?batch(?:[- ]?sizes?|es)?$|^bsz$",  # ("bsz": a table header's short form)
          # "40 batches, each containing 16 sequences": the batch counted in what it holds
          r"^(?:sequences|examples|samples|images|sentences|pairs|prompts|episodes) per (?:mini-?)?batch$"),
         range=(1, 1e9), code=(r"^(batch_size|bs|batchsize|train_batch_size|per_device_train_batch_size)$", r".*"),
         guess=(64, "no batch size stated; a common default")),
    Knob("batch.shuffle", mentioned, r"^data order$",
         guess=(True, "no batch order stated; data loaders usually reshuffle the training set each epoch")),
    # schedule: the budget is in steps or in epochs (whichever the sources state)
    Knob("schedule.total_steps", int,
         r"^(?:(?:total|training|train|optimi[sz]ation|gradient|parameter|update|max|maximum|number of) )*"
         # (at least 10: "we have two gradient update steps, one for the model and one for the scorer" is a procedure)
         r"(?:steps|iterations|updates|iters)$"
         # (an RL run's length in environment steps, named as training's: "We do one million timesteps of training", a new
         # user's RL paper; not a diffusion's, a window's or an episode's timesteps)
         r"|^(?:total|training) (?:time-?steps|environment steps|env steps)$", range=(10, 1e12),
         bare_context=r"\btrain|optimi[sz]|\bupdates?\b|fine-?tun|budget|gradient|\blearn",
         code=(r"^(total_steps|max_steps|num_steps|n_steps|train_steps|training_steps|iterations|max_iters|n_iters|"
               r"num_iters|num_iterations|max_iterations|num_updates|max_updates|total_updates|budget)$", r".*"),
         guess=(1000, "no training length stated; a short budget to be tuned"), alternative_to="schedule.epochs"),
    Knob("schedule.epochs", int, r"^(?:(?:total|training|train|max|maximum|number of) )*epochs?$", range=(1, 1e7),
         code=(r"^(epochs|num_epochs|n_epochs|max_epochs|num_train_epochs|train_epochs)$", r".*"), optional=True),
    Knob("schedule.eval_every", int,
         r"^(?:eval|evaluation|validation|test|testing) (?:interval|frequency|every)|^every (?:steps|iterations|updates|"
         r"epochs)$", context=r"evaluat|test|validat", range=(1, 1e12),
         # (tabdiff's check_val_every; Lightning's check_val_every_n_epoch)
         code=(r"^(eval_every|eval_interval|eval_freq|eval_frequency|eval_steps|val_every|val_interval|val_freq|validate_every|"
               r"validation_interval|check_val_every|check_val_every_n_epoch|test_every|test_interval|test_freq)$", r".*"),
         guess=(0, "no evaluation interval stated; evaluated at the start and at the end of the budget")),
    Knob("schedule.lr_schedule", schedule_name,
         r"(?:^|\s)(?:lr|learning rate) schedul|^lr schedule$|^(?:lr )?scheduler$|^(?:learning rate|lr) decay$",
         code=(r"^(lr_scheduler|lr_schedule|scheduler|lr_scheduler_type)$", r".*"), framework=constant_lr),
    Knob("schedule.warmup_steps", int,
         r"^(?:(?:linear|lr|learning rate) )?warm-?up(?: (?:steps|iterations|updates|period|length))?$",
         range=(0, 1e12), code=(r"^warmup(_steps|_iters)?$", r".*"), framework=no_warmup,
         alternative_to="schedule.warmup_epochs"),
    # a warm-up stated in epochs ("a cosine schedule with 10 epochs of linear warmup"): the harness counts an epoch's
    # steps from the data, as it does for a budget in epochs
    Knob("schedule.warmup_epochs", float, r"^(?:number of )?(?:(?:linear|lr|learning rate) )?warm-?up epochs?$",
         range=(0, 1e6),
         code=(r"^warmup_epochs?$", r".*"), optional=True),
    Knob("schedule.milestones", list, r"milestones|^decay (?:epochs|steps)$", context=r"learning rate|\blr\b|decay",
         code=(r"^(milestones|lr_milestones|lr_steps|decay_epochs)$", r".*"), framework=no_milestones),
    # (an exponential decay's "decay rate is set to 0.1": a new user's recommendation paper)
    # (a "learning rate decay of 0.95" is its factor; one of "cosine" the schedule's name, read by lr_schedule)
    Knob("schedule.gamma", decay_factor, r"^lr decay factor$|^(?:lr|learning rate) (?:decay factor|gamma|decay)$|"
         r"^(?:(?:lr|learning rate) )?(?:exponential )?decay rate$", context=rf"learning[- ]rate|\blr\b|{DECAY_VERB}",
         # (at least 0.01, "divided by 100": a Keras-style "learning rate decay of 1e-4" is a per-step decay, no factor)
         range=(0.01, 1), framework=gamma_default),
    Knob("schedule.final_lr", float, r"^final learning rate$|^(?:final|min|minimum|end) (?:lr|learning rate)$",
         range=(0, 10), framework=no_final_lr),
    # augmentation: the paper's words
    Knob("augmentation.pipeline", words, r"^(?:data )?augmentations?$", gather=True,
         guess=("none", "the paper describes no train-time augmentation anywhere")),
    # loss
    Knob("loss.name", loss_name, r"^loss(?: function)?$|^training objective$|^criterion$",
         code=(r"^(loss|loss_name|loss_type|loss_fn|criterion|objective)$", r".*"),
         guess=("cross_entropy", "no loss stated; the usual classification loss")),
    Knob("loss.label_smoothing", float, r"label smoothing", range=(0, 1),
         code=(r"^(label_smoothing|smoothing)$", r".*"), framework=label_smoothing_default),
    # tricks
    Knob("tricks.grad_clip", float,
         # a "clipping factor" or "clip range" is PPO's ratio clip, not a gradient clip
         r"grad(?:ient)?s? ?(?:norm )?clip|clip(?:ping)? ?(?:the )?grad|^(?:max|maximum|maximal) (?:grad(?:ient)? )?norm$|"
         r"^grad(?:ient)? norm(?: clip(?:ping)?| threshold| bound)?$|^clip norm$|^(?:global )?norm clipping$", range=(0, 1e6),
         code=(r"^(grad_clip|clip_grad|clip_grad_norm|grad_norm_clip|max_grad_norm|gradient_clip_val|clip_norm)$", r".*"),
         framework=no_clipping),
    Knob("tricks.precision", str, r"^numeric precision$|^(?:training )?precision$", framework=fp32),
    Knob("tricks.ema_decay", float,
         # (a bare "moving average factor" is as often a statistic's as the weights': FOA's activation means)
         # ("EMA decay factor": statements name a decay factor by the EMA right before it)
         r"^(?:ema|exponential moving average|(?:weight|model|parameter) (?:ema|moving average))"
         r"(?: decay)?(?: rate| factor| momentum| coefficient)?$",
         range=(0, 1), code=(r"^(ema_decay|ema_rate|model_ema_decay)$", r".*"), framework=no_ema),
    # data split sizes (checked against the data in stage 5)
    Knob("data.train_size", int,
         r"^(?:examples for training|train(?:ing)? (?:examples|samples|images|pairs|points|sequences|set size|size)|"
         r"number of training (?:examples|samples|images|pairs|points))$", kinds=("setting", "dataset statistic"),
         range=(1, 1e12), optional=True),
    Knob("data.test_size", int,
         r"^(?:examples for (?:testing|test|evaluation|validation)|(?:test|validation|held-out) (?:examples|samples|"
         r"images|pairs|points|sequences|set size|size)|number of (?:test|validation) (?:examples|samples|images|pairs|"
         r"points))$", kinds=("setting", "dataset statistic"), range=(1, 1e12), optional=True),
    # the share of the examples used for training, where one pool is split in two ("50% of the data ... split
    # into 4704 training pairs and 4705 validation pairs"); a code's percent flag gets it times 100
    Knob("data.train_share", float, r"^train(?:ing)? (?:data )?(?:fraction|share|proportion)$", range=(0, 1),
         code=(r"^train(?:ing)?_?(?:data_?)?(?:pct|percent|percentage|frac|fraction|share|proportion)$", r".*"),
         optional=True),
)

CORE = {k.name: k for k in KNOBS}
BLOCKS = ("optimizer", "batch", "schedule", "augmentation", "loss", "tricks", "data")
