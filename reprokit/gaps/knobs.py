"""Every value a run of the training harness needs, and where each can be found.

A ``Knob`` says how to read its value from the paper (prose patterns, optionally only in sentences
about one model; hyperparameter-table row labels), from the code (parameter names, scopes), and what
to fall back on: a venue convention, the framework's real default (read from torch), or a guess with
its reason. General patterns only: no paper's text is special-cased.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reprokit.text import parse_number

NUM = r"\$?[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s*(?:[x×]|\\times)\s*10\^?\{?[-−]?\d+\}?|[eE][-−]?\d+)?\s*[kKM]?\$?"
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "single": 1}


def number(raw: str, _sentence: str = "") -> float | None:
    raw = raw.strip()
    if raw.lower() in WORDS:
        return float(WORDS[raw.lower()])
    return parse_number(raw.replace("−", "-"))


def integer(raw: str, sentence: str = "") -> int | None:
    value = number(raw, sentence)
    return int(value) if value is not None and float(value).is_integer() else None


def lowercase(raw: str, _sentence: str = "") -> str:
    return re.sub(r"[\s-]+", "_", raw.strip().lower())


def bidirectional(raw: str, _sentence: str = "") -> bool:
    return raw.lower().startswith("bi")


def kernel_list(_raw: str, sentence: str) -> list[int] | None:
    """All kernel sizes named in a sentence about convolutions, repeated to the number of layers."""
    sizes = [int(k) for k in re.findall(r"kernel(?:s| size| sizes| width)?(?: of)? (\d+)", sentence, re.IGNORECASE)]
    if not sizes:
        return None
    layers = re.search(r"(\w+) (?:1-?D )?convolution(?:al)? layers", sentence, re.IGNORECASE)
    count = integer(layers.group(1)) if layers else None
    if count and len(sizes) < count:
        sizes += [sizes[-1]] * (count - len(sizes))
    return sizes


def _torch_default(obj: Callable[..., Any], param: str) -> Any:
    import torch  # noqa: F401  (imported lazily: the paper and code stages never need it)

    return inspect.signature(obj).parameters[param].default


def adam_default(param: str, index: int | None = None) -> Callable[[], tuple[Any, str]]:
    def read() -> tuple[Any, str]:
        import torch

        value = _torch_default(torch.optim.Adam, param)
        value = value[index] if index is not None else value
        full = _torch_default(torch.optim.Adam, param)
        return float(value), f"torch {torch.__version__} torch.optim.Adam({param}={full})"
    return read


def ce_default() -> tuple[Any, str]:
    import torch

    return float(_torch_default(torch.nn.CrossEntropyLoss, "label_smoothing")), \
        f"torch {torch.__version__} nn.CrossEntropyLoss(label_smoothing=0.0)"


def conv_padding_default() -> tuple[Any, str]:
    import torch

    return int(_torch_default(torch.nn.Conv1d, "padding")), f"torch {torch.__version__} nn.Conv1d(padding=0)"


def gru_direction_default() -> tuple[Any, str]:
    import torch

    value = bool(_torch_default(torch.nn.RNNBase.__init__, "bidirectional"))
    return value, f"torch {torch.__version__} nn.GRU(bidirectional={value})"


def init_default() -> tuple[Any, str]:
    import torch

    linear = inspect.getsource(torch.nn.Linear.reset_parameters)
    scheme = "kaiming_uniform(a=sqrt(5))" if "kaiming_uniform_" in linear else "see torch.nn.Linear.reset_parameters"
    where = f"torch {torch.__version__} reset_parameters"
    return "framework_default", f"{where}: Linear/Conv1d {scheme}, GRU uniform(±1/sqrt(hidden))"


def no_clipping() -> tuple[Any, str]:
    return 0.0, "torch applies no gradient clipping unless clip_grad_norm_ is called"


def constant_lr() -> tuple[Any, str]:
    return "constant", "a torch optimizer keeps its learning rate constant unless a scheduler is attached"


def no_warmup() -> tuple[Any, str]:
    return 0, "no warm-up unless a scheduler adds one"


@dataclass(frozen=True)
class Knob:
    name: str
    block: str
    parse: Callable[[str, str], Any] = number
    prose: tuple[str, ...] = ()
    context: str | None = None  # a sentence must match this for its values to count (model scope)
    table: str | None = None  # hyperparameter-table row label
    code: tuple[str, str] | None = None  # (parameter name regex, scope regex)
    framework: Callable[[], tuple[Any, str]] | None = None
    convention: tuple[Any, str] | None = None
    guess: tuple[Any, str] | None = None
    model: str | None = None


CNN = r"convolution|\bCNN\b|\bconv"
MLP = r"\bMLP\b|perceptron|fully[- ]connected"
RNN = r"\bGRU\b|\bLSTM\b|recurrent|\bRNN\b"
TRAIN_COUNT = r"(?:training|train)"

KNOBS: tuple[Knob, ...] = (
    # optimizer
    Knob("optimizer.name", "optimizer", lowercase, (r"\b(?P<v>AdamW|Adam|SGD|RMSprop|Adagrad|LAMB|Lion)\b",),
         context=r"optimi[sz]|train", table=r"^optimi[sz]er$", guess=("adam", "the most common default optimizer")),
    Knob("optimizer.lr", "optimizer", number,
         (rf"learning[- ]rate (?:of |is |was |=\s*|to |set to )?(?P<v>{NUM})", rf"\blr\s*=\s*(?P<v>{NUM})"),
         table=r"^(initial |base |peak )?learning[- ]rate$|^lr$", code=(r"^(learning_rate|lr)$", r".*"),
         guess=(1e-3, "no learning rate stated; 1e-3 is Adam's usual starting point")),
    Knob("optimizer.beta1", "optimizer", number, (rf"(?:\\beta_\{{?1\}}?|β1|beta1)\s*(?:=|of)\s*(?P<v>{NUM})",),
         table=r"beta_?1|β1", code=(r"^beta1$", r".*"), framework=adam_default("betas", 0)),
    Knob("optimizer.beta2", "optimizer", number, (rf"(?:\\beta_\{{?2\}}?|β2|beta2)\s*(?:=|of)\s*(?P<v>{NUM})",),
         table=r"beta_?2|β2", code=(r"^beta2$", r".*"), framework=adam_default("betas", 1)),
    Knob("optimizer.eps", "optimizer", number, (rf"(?:\\epsilon|epsilon|ε)\s*(?:=|of)\s*(?P<v>{NUM})",),
         context=r"Adam|optimi", table=r"^(adam )?eps(ilon)?$", code=(r"^eps$", r".*"), framework=adam_default("eps")),
    Knob("optimizer.weight_decay", "optimizer", number,
         (rf"weight[- ]decay (?:of |is |was |=\s*|coefficient of )?(?P<v>{NUM})",), table=r"weight[- ]decay",
         code=(r"^(weight_decay|wd)$", r".*"), framework=adam_default("weight_decay")),
    # batch
    Knob("batch.batch_size", "batch", integer,
         (rf"batch[- ]size (?:of |is |was |=\s*)?(?P<v>{NUM})", rf"mini-?batch(?:es)? of (?P<v>{NUM})"),
         table=r"batch[- ]size", code=(r"^(batch_size|bs)$", r".*"), guess=(64, "no batch size stated; a common default")),
    Knob("batch.shuffle", "batch", bool, guess=(False, "batches are read in order (\"the next batch\"); no "
                                                        "reshuffling is described")),
    # schedule
    Knob("schedule.total_steps", "schedule", integer,
         (rf"for (?P<v>{NUM}) (?:training )?(?:steps|iterations|updates|gradient steps)",),
         context=TRAIN_COUNT, table=r"(training |total |number of )?(steps|iterations)$",
         code=(r"^(total_steps|max_steps|num_steps|train_steps|iterations)$", r".*"),
         guess=(1000, "no training length stated; a short budget to be tuned")),
    Knob("schedule.eval_every", "schedule", integer,
         (rf"every (?P<v>{NUM}) (?:training )?(?:steps|iterations|updates)",), context=r"evaluat|test|validat",
         table=r"eval(uation)? (interval|every|frequency)", code=(r"^(eval_every|eval_interval|eval_freq)$", r".*"),
         guess=(100, "no evaluation interval stated")),
    Knob("schedule.lr_schedule", "schedule", lowercase,
         (r"(?P<v>cosine|linear|step|constant|exponential|polynomial)(?: learning[- ]rate)? (?:schedule|decay|annealing)",),
         table=r"(lr|learning[- ]rate) schedule", framework=constant_lr),
    Knob("schedule.warmup_steps", "schedule", integer, (rf"warm-?up (?:of |for )?(?P<v>{NUM}) (?:steps|iterations)",),
         table=r"warm-?up", code=(r"^warmup(_steps)?$", r".*"), framework=no_warmup),
    # augmentation
    Knob("augmentation.pipeline", "augmentation", lowercase, guess=(
        "none", "no train-time augmentation is described; the data generator's own transforms make the examples")),
    # loss
    Knob("loss.name", "loss", lowercase,
         (r"(?P<v>cross[- ]entropy|mean squared error|hinge|negative log-likelihood)(?: loss)?",),
         table=r"^loss$", guess=("cross_entropy", "the usual classification loss")),
    Knob("loss.label_smoothing", "loss", number, (rf"label smoothing (?:of |=\s*)?(?P<v>{NUM})",),
         table=r"label smoothing", framework=ce_default),
    # tricks
    Knob("tricks.grad_clip", "tricks", number, (rf"clip(?:ped|ping)? (?:the )?gradients?(?: norms?)? (?:at|to) (?P<v>{NUM})",),
         table=r"(gradient )?clip", framework=no_clipping),
    Knob("tricks.precision", "tricks", lowercase, (r"(?P<v>fp16|bf16|bfloat16|mixed precision|fp32)",),
         convention=("fp32", "without a stated precision, small benchmark models are trained in full fp32")),
    Knob("tricks.init", "tricks", lowercase, (r"(?P<v>xavier|glorot|kaiming|orthogonal|truncated normal)",),
         context=r"initiali", framework=init_default),
    # architecture
    Knob("architecture.mlp.hidden_layers", "architecture", integer, (r"(?P<v>\w+) hidden layers",), context=MLP,
         guess=(2, "no MLP depth stated"), model="mlp"),
    Knob("architecture.mlp.hidden_width", "architecture", integer,
         (rf"(?P<v>{NUM}) hidden units", rf"hidden (?:width|size|dimension) (?:of )?(?P<v>{NUM})",
          rf"\bwidth (?:of )?(?P<v>{NUM})"), context=MLP, code=(r"^hidden_(size|dim|width)$", r"mlp|model_args"),
         guess=(100, "a common MLP width for small inputs"), model="mlp"),
    Knob("architecture.cnn.channels", "architecture", integer, (rf"(?P<v>{NUM}) (?:output )?(?:channels|filters)",),
         context=CNN, code=(r"^channels$", r"conv|cnn"), guess=(32, "no channel count stated"), model="cnn"),
    Knob("architecture.cnn.kernel_sizes", "architecture", kernel_list, (r"(?P<v>kernel)",), context=CNN,
         guess=([3, 3, 3], "no kernel sizes stated"), model="cnn"),
    Knob("architecture.cnn.stride", "architecture", integer, (rf"stride (?:of )?(?P<v>{NUM})",), context=CNN,
         code=(r"^stride$", r"conv|cnn"), guess=(1, "no stride stated"), model="cnn"),
    Knob("architecture.cnn.padding", "architecture", integer, (rf"padding (?:of )?(?P<v>{NUM})",), context=CNN,
         code=(r"^padding$", r"conv|cnn"), framework=conv_padding_default, model="cnn"),
    Knob("architecture.gru.hidden_size", "architecture", integer,
         (rf"hidden (?:size|dimension|state size|units) (?:of )?(?P<v>{NUM})", rf"(?P<v>{NUM}) hidden units"),
         context=RNN, code=(r"^hidden_size$", r"gru|rnn|lstm"), guess=(64, "no recurrent hidden size stated"), model="gru"),
    Knob("architecture.gru.bidirectional", "architecture", bidirectional,
         (r"(?P<v>bidirectional|bi-directional|unidirectional)",), context=RNN, framework=gru_direction_default,
         model="gru"),
    Knob("architecture.gru.readout", "architecture", lowercase, guess=(
        "all_steps", "\"a linear head maps its outputs\" is read as a head on the outputs of every time step"),
         model="gru"),
    # data
    Knob("data.sequence_length", "data", integer,
         (rf"sequences? of (?P<v>{NUM}) values", rf"(?P<v>{NUM})-dimensional (?:sequences|inputs)",
          rf"maps the (?P<v>{NUM}) inputs"), code=(r"^(final_seq_length|seq_len|sequence_length)$", r"data|dataset"),
         guess=(40, "no input length stated; the MNIST-1D harness default")),
    Knob("data.num_classes", "data", integer, (r"(?P<v>\d+|ten) (?:digit )?class(?:es| scores| labels)\b", r"(?P<v>\d+)-way"),
         code=(r"^(num_classes|output_size|n_classes)$", r".*"), guess=(10, "no class count stated")),
    Knob("data.train_size", "data", integer,
         (rf"(?P<v>{NUM}) (?:of them |examples |samples |images )?for training",
          rf"(?P<v>{NUM}) training (?:examples|samples|images)"),
         table=r"^(train|training)( set| size| examples)?$", guess=(4000, "no training-set size stated")),
    Knob("data.test_size", "data", integer,
         (rf"(?P<v>{NUM}) (?:of them |examples |samples |images )?for testing",
          rf"(?P<v>{NUM}) test (?:examples|samples|images)"),
         table=r"^test( set| size| examples)?$", guess=(1000, "no test-set size stated")),
)

BY_NAME = {k.name: k for k in KNOBS}
BLOCKS = ("optimizer", "batch", "schedule", "augmentation", "loss", "tricks", "architecture", "data", "run")
