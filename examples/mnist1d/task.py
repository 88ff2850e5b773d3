"""The MNIST-1D task (Greydanus & Kobak, arXiv 2011.14439): four small classifiers of 1-D signals, the
official procedural generator, cross-entropy, test accuracy in percent.

This file is the whole of what the paper brings to stages 4-7 (see docs/task.md): its models, its data, its
loss and metrics, and the knobs its models need beyond the core ledger.
"""

from __future__ import annotations

import inspect
import re

import torch
from torch import nn

from reprokit.task import Knob, Metric, accuracy

# ---- knobs the models need, and the names the paper states them with ---------------------------------
CNN = r"convolution|\bCNN\b|\bconv"
MLP = r"\bMLP\b|perceptron|fully[- ]connected"
RNN = r"\bGRU\b|\bLSTM\b|recurrent|\bRNN\b"


def kernel_list(_raw: str, sentence: str) -> list[int] | None:
    """All kernel sizes named in a sentence about convolutions, repeated to the number of layers."""
    sizes = [int(k) for k in re.findall(r"kernel(?:s| size| sizes| width)?(?: of)? (\d+)", sentence, re.IGNORECASE)]
    if not sizes:
        return None
    words = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
    layers = re.search(r"(\w+) (?:1-?D )?convolution(?:al)? layers", sentence, re.IGNORECASE)
    count = words.get(layers.group(1).lower()) if layers else None
    if count and len(sizes) < count:
        sizes += [sizes[-1]] * (count - len(sizes))
    return sizes


def bidirectional(raw: str, _sentence: str = "") -> bool | None:
    """"a bidirectional GRU" is bidirectional, "a unidirectional GRU" is not; "a GRU" says nothing."""
    word = re.search(r"\b(bi-?directional|uni-?directional)\b", raw, re.IGNORECASE)
    return word.group(1).lower().startswith("bi") if word else None


def conv_padding_default(_chosen):
    value = inspect.signature(nn.Conv1d).parameters["padding"].default
    return int(value), f"torch {torch.__version__} nn.Conv1d(padding={value})"


def gru_direction_default(_chosen):
    value = bool(inspect.signature(nn.RNNBase.__init__).parameters["bidirectional"].default)
    return value, f"torch {torch.__version__} nn.GRU(bidirectional={value})"


KNOBS = [
    Knob("data.sequence_length", int, r"^(?:values|inputs|sequence length|input length)$",
         code=(r"^(final_seq_length|seq_len|sequence_length)$", r"data|dataset"),
         guess=(40, "no input length stated; the generator's default output length")),
    Knob("data.num_classes", int, r"^(?:class|classes|number of classes)$", kinds=("setting", "dataset statistic"),
         code=(r"^(num_classes|output_size|n_classes)$", r".*"), guess=(10, "no class count stated; ten digits")),
    Knob("architecture.mlp.hidden_layers", int, r"^(?:number of )?hidden layers$", context=MLP, model="mlp",
         guess=(2, "no MLP depth stated")),
    Knob("architecture.mlp.hidden_width", int, r"^(?:hidden units|hidden (?:width|size|dimension)|width)$",
         context=MLP, code=(r"^hidden_(size|dim|width)$", r"mlp|model_args"), model="mlp",
         guess=(100, "a common MLP width for small inputs")),
    Knob("architecture.cnn.channels", int, r"^(?:output )?(?:channels|filters)$", context=CNN,
         code=(r"^channels$", r"conv|cnn"), model="cnn", guess=(32, "no channel count stated")),
    Knob("architecture.cnn.kernel_sizes", kernel_list, r"^kernel(?: sizes?| widths?)?$", context=CNN, model="cnn",
         kinds=("setting", "sweep"), guess=([3, 3, 3], "no kernel sizes stated")),
    Knob("architecture.cnn.stride", int, r"^stride$", context=CNN, code=(r"^stride$", r"conv|cnn"),
         model="cnn", guess=(1, "no stride stated")),
    Knob("architecture.cnn.padding", int, r"^padding$", context=CNN,
         code=(r"^padding$", r"conv|cnn"), model="cnn", framework=conv_padding_default),
    Knob("architecture.gru.hidden_size", int, r"^hidden (?:size|dimension|state size|units)$",
         context=RNN, code=(r"^hidden_size$", r"gru|rnn|lstm"), model="gru", guess=(64, "no recurrent hidden size stated")),
    Knob("architecture.gru.bidirectional", bidirectional, r"(?:model|network|architecture|encoder)$",
         context=RNN, model="gru", framework=gru_direction_default),
    Knob("architecture.gru.readout", str, model="gru", guess=(
        "all_steps", "\"a linear head maps its outputs\" is read as a head on the outputs of every time step")),
]


# ---- models ---------------------------------------------------------------------------------------------
def _conv_out(length: int, kernel: int, stride: int, padding: int) -> int:
    return (length + 2 * padding - kernel) // stride + 1


class MLP(nn.Module):
    def __init__(self, input_length: int, num_classes: int, width: int, hidden_layers: int):
        super().__init__()
        layers: list[nn.Module] = []
        size = input_length
        for _ in range(hidden_layers):
            layers += [nn.Linear(size, width), nn.ReLU()]
            size = width
        layers.append(nn.Linear(size, num_classes))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class CNN(nn.Module):
    def __init__(self, input_length: int, num_classes: int, channels: int, kernels: list[int], stride: int,
                 padding: int):
        super().__init__()
        layers: list[nn.Module] = []
        in_channels, length = 1, input_length
        for kernel in kernels:
            layers += [nn.Conv1d(in_channels, channels, kernel, stride=stride, padding=padding), nn.ReLU()]
            in_channels, length = channels, _conv_out(length, kernel, stride, padding)
        if length < 1:
            raise ValueError(f"kernels {kernels} with stride {stride} shrink a length-{input_length} input to nothing")
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(channels * length, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x.unsqueeze(1)).flatten(1))


class GRUClassifier(nn.Module):
    """Reads the sequence one value per step; a linear head on the outputs of every step (``all_steps``) or on
    the final hidden states (``last``)."""

    def __init__(self, input_length: int, num_classes: int, hidden: int, bidirectional: bool, readout: str):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True, bidirectional=bidirectional)
        self.readout = readout
        directions = 2 if bidirectional else 1
        self.head = nn.Linear(hidden * directions * (input_length if readout == "all_steps" else 1), num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs, last = self.gru(x.unsqueeze(-1))
        if self.readout == "all_steps":
            return self.head(outputs.flatten(1))
        return self.head(last.transpose(0, 1).flatten(1))


def _sizes(cfg):
    return int(cfg["data"]["sequence_length"]), int(cfg["data"]["num_classes"])


MODELS = {
    "logreg": lambda cfg: nn.Linear(*_sizes(cfg)),
    "mlp": lambda cfg: MLP(*_sizes(cfg), int(cfg["architecture"]["mlp"]["hidden_width"]),
                           int(cfg["architecture"]["mlp"]["hidden_layers"])),
    "cnn": lambda cfg: CNN(*_sizes(cfg), int(cfg["architecture"]["cnn"]["channels"]),
                           [int(k) for k in cfg["architecture"]["cnn"]["kernel_sizes"]],
                           int(cfg["architecture"]["cnn"]["stride"]), int(cfg["architecture"]["cnn"]["padding"])),
    "gru": lambda cfg: GRUClassifier(*_sizes(cfg), int(cfg["architecture"]["gru"]["hidden_size"]),
                                     bool(cfg["architecture"]["gru"]["bidirectional"]),
                                     str(cfg["architecture"]["gru"]["readout"])),
}

LOSS = "cross_entropy"
METRICS = [Metric("accuracy", accuracy, higher_is_better=True, unit="percent")]
EVAL_SPLIT = "test"


# ---- data: the official generator (make_dataset; never get_dataset, which downloads) ----------------------
# make_data's arguments and their defaults: mnist1d 0.0.2's get_dataset_args() without `url` (get_dataset's download),
# written out so that loading this task (training, smoke) needs no mnist1d; a test checks them against the package
DATA_ARGS = {"num_samples": 5000, "train_split": 0.8, "template_len": 12, "padding": [36, 60], "scale_coeff": 0.4,
             "max_translation": 48, "corr_noise_scale": 0.25, "iid_noise_scale": 0.02, "shear_scale": 0.75,
             "shuffle_seq": False, "final_seq_length": 40, "seed": 42}


def make_data(args: dict) -> dict:
    from mnist1d.data import get_dataset_args, make_dataset  # the example's own package: examples/mnist1d/envs/
    from mnist1d.utils import ObjectView

    merged = {**get_dataset_args(as_dict=True), **args}
    data = make_dataset(ObjectView(merged))
    return {"train": {"x": data["x"], "y": data["y"]}, "test": {"x": data["x_test"], "y": data["y_test"]}}
