"""The four MNIST-1D benchmark model families, sized from the run config (never hard-coded)."""

from __future__ import annotations

import torch
from torch import nn

ARCHITECTURES = ("logreg", "mlp", "cnn", "gru")


def _conv_out(length: int, kernel: int, stride: int, padding: int) -> int:
    return (length + 2 * padding - kernel) // stride + 1


class LogisticRegression(nn.Module):
    def __init__(self, input_length: int, num_classes: int):
        super().__init__()
        self.linear = nn.Linear(input_length, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


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
            raise ValueError(f"the CNN's kernels {kernels} with stride {stride} shrink a length-{input_length} "
                             "input to nothing; lower the stride or add padding")
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(channels * length, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x.unsqueeze(1)).flatten(1))


class GRUClassifier(nn.Module):
    """Reads the sequence one value per step; a linear head on the outputs of every step (readout
    ``all_steps``) or on the final hidden states (readout ``last``)."""

    def __init__(self, input_length: int, num_classes: int, hidden: int, bidirectional: bool, readout: str):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True, bidirectional=bidirectional)
        directions = 2 if bidirectional else 1
        self.readout = readout
        features = hidden * directions * (input_length if readout == "all_steps" else 1)
        self.head = nn.Linear(features, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs, last = self.gru(x.unsqueeze(-1))
        if self.readout == "all_steps":
            return self.head(outputs.flatten(1))
        return self.head(last.transpose(0, 1).flatten(1))


def build_model(arch: str, cfg: dict) -> nn.Module:
    """Build one architecture from the nested run config (``cfg['architecture'][arch]``, ``cfg['data']``)."""
    data = cfg["data"]
    length, classes = int(data["sequence_length"]), int(data["num_classes"])
    spec = cfg["architecture"].get(arch, {})
    if arch == "logreg":
        return LogisticRegression(length, classes)
    if arch == "mlp":
        return MLP(length, classes, int(spec["hidden_width"]), int(spec["hidden_layers"]))
    if arch == "cnn":
        return CNN(length, classes, int(spec["channels"]), [int(k) for k in spec["kernel_sizes"]], int(spec["stride"]),
                   int(spec["padding"]))
    if arch == "gru":
        return GRUClassifier(length, classes, int(spec["hidden_size"]), bool(spec["bidirectional"]),
                             str(spec["readout"]))
    raise ValueError(f"unknown architecture {arch!r}; the harness knows {', '.join(ARCHITECTURES)}")
