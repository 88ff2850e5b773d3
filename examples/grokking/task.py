"""The grokking task (Power, Burda, Edwards, Babuschkin & Misra, arXiv 2201.02177): a small decoder-only
transformer learns one binary operation table modulo a prime from a fraction of its entries; validation
accuracy (in percent) on the remaining entries is what the paper reports.

This file is the whole of what the paper brings to stages 4-7 (see docs/task.md): its model, its data (every
equation ``x o y = z`` of the table, split at random into training and validation pairs), its loss and
metric, and the knobs its model needs beyond the core ledger.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from reprokit.errors import UserError
from reprokit.task import Knob, Metric, accuracy

# ---- knobs the model needs, and the names the paper states them with ----------------------------------
TRANSFORMER = r"transformer|decoder|attention|\blayers?\b|\bwidth\b|\bheads?\b"

KNOBS = [
    Knob("data.modulus", int, r"^(?:prime )?(?:modulus|prime|p)$", range=(2, 1e9),
         guess=(97, "no modulus stated; the prime most grokking studies use")),
    Knob("architecture.layers", int, r"^(?:number of )?(?:transformer |decoder )?(?:layers|blocks|depth)$",
         context=TRANSFORMER, code=(r"^(n_layers|num_layers|depth)$", r".*"),
         guess=(2, "no depth stated; a small two-block transformer")),
    Knob("architecture.width", int, r"^(?:model |embedding |residual )?(?:width|dimension)$|^d ?model$",
         context=TRANSFORMER, code=(r"^(d_model|hidden_size|width|embed_dim)$", r".*"),
         guess=(128, "no model width stated")),
    Knob("architecture.heads", int, r"^(?:number of )?(?:attention )?heads$", context=TRANSFORMER,
         code=(r"^(n_heads|num_heads|heads)$", r".*"), guess=(4, "no head count stated")),
    Knob("architecture.mlp_ratio", int, r"^(?:mlp|feed-?forward) (?:ratio|expansion)$",
         guess=(4, "no MLP width stated; the standard four times the model width, which gives the stated "
                   "about 4 x 10^5 non-embedding parameters at width 128 and two layers")),
    Knob("architecture.dropout", float, r"^dropout(?: rate| probability)?$", range=(0, 1),
         guess=(0.0, "no dropout stated for the transformer")),
    Knob("architecture.activation", str, r"^(?:mlp |feed-?forward )?(?:activation|non-?linearity)(?: function)?$",
         guess=("gelu", "no MLP activation stated; GELU, as in GPT-2-style pre-norm decoder-only transformers")),
]
ACTIVATIONS = {"gelu": nn.GELU, "relu": nn.ReLU}


# ---- the model: a pre-norm decoder-only transformer, read out at the last position ----------------------
class Block(nn.Module):
    """Pre-norm causal self-attention and MLP. With ``last_only`` the block computes only the last position's
    output (keys and values still come from every position): exactly what the full block gives there, for
    less work in the final block, whose other positions nothing reads."""

    def __init__(self, width: int, heads: int, mlp_ratio: int, dropout: float, activation: str):
        super().__init__()
        self.width, self.heads, self.dropout = width, heads, dropout
        self.norm1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width)
        hidden = mlp_ratio * width
        self.mlp = nn.Sequential(nn.Linear(width, hidden), ACTIVATIONS[activation](), nn.Linear(hidden, width),
                                 nn.Dropout(dropout))

    def _heads(self, t: torch.Tensor) -> torch.Tensor:
        return t.unflatten(-1, (self.heads, -1)).transpose(1, 2)  # (batch, heads, positions, width / heads)

    def forward(self, h: torch.Tensor, last_only: bool = False) -> torch.Tensor:
        a, d = self.norm1(h), self.width
        weight, bias = self.qkv.weight, self.qkv.bias
        queries = a[:, -1:] if last_only else a
        q = nn.functional.linear(queries, weight[:d], bias[:d])
        k, v = nn.functional.linear(a, weight[d:], bias[d:]).split(d, dim=-1)
        mixed = nn.functional.scaled_dot_product_attention(
            self._heads(q), self._heads(k), self._heads(v), is_causal=not last_only,
            dropout_p=self.dropout if self.training else 0.0)
        h = (h[:, -1:] if last_only else h) + self.proj(mixed.transpose(1, 2).flatten(2))
        return h + self.mlp(self.norm2(h))


class Transformer(nn.Module):
    """Token and position embeddings, causal self-attention blocks, a final norm and an unembedding to the
    whole vocabulary (the p residues, the operator token and "="); the logits at the last position ("=")
    predict the answer token."""

    def __init__(self, vocab: int, context: int, width: int, layers: int, heads: int, mlp_ratio: int, dropout: float,
                 activation: str):
        super().__init__()
        if width % heads:
            raise ValueError(f"width {width} is not divisible by {heads} heads")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation {activation!r} is not one of {', '.join(ACTIVATIONS)}")
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads, mlp_ratio, dropout, activation) for _ in range(layers))
        self.norm = nn.LayerNorm(width)
        self.unembed = nn.Linear(width, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.tokens(x) + self.positions(torch.arange(x.shape[1], device=x.device))
        for i, block in enumerate(self.blocks):
            h = block(h, last_only=i == len(self.blocks) - 1)
        return self.unembed(self.norm(h[:, -1]))


CONTEXT = 4  # x, o, y, =


def build(cfg: dict) -> Transformer:
    arch, p = cfg["architecture"], int(cfg["data"]["modulus"])
    return Transformer(p + 2, CONTEXT, int(arch["width"]), int(arch["layers"]), int(arch["heads"]),
                       int(arch["mlp_ratio"]), float(arch["dropout"]), str(arch["activation"]))


MODELS = {"transformer": build}
LOSS = "cross_entropy"
METRICS = [Metric("accuracy", accuracy, higher_is_better=True, unit="percent")]
TRAIN_SPLIT = "train"
EVAL_SPLIT = "val"  # the paper's validation pairs: every equation not used for training


# ---- data: every equation of one operation table, split at random ---------------------------------------
OPERATIONS = {
    "add": lambda x, y, p: (x + y) % p,
    "subtract": lambda x, y, p: (x - y) % p,
    "divide": lambda x, y, p: (x * pow_mod(y, p - 2, p)) % p,  # y^(p-2) is y's inverse modulo a prime
}
DATA_ARGS = {"p": 97, "operation": "add", "train_fraction": 0.5, "seed": 0}


def pow_mod(y: np.ndarray, exponent: int, p: int) -> np.ndarray:
    out, base = np.ones_like(y), y % p
    while exponent:
        if exponent & 1:
            out = (out * base) % p
        base, exponent = (base * base) % p, exponent >> 1
    return out


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % d for d in range(2, math.isqrt(n) + 1))


def make_data(args: dict) -> dict:
    """``{"train": {"x", "y"}, "val": {"x", "y"}}``: x holds the token ids [x, o, y, =] (o is token p, "=" is
    token p+1), y the answer; pairs with y = 0 are left out for division. ``train_fraction`` of the pairs,
    rounded down, are drawn for training with ``seed``; the rest are the validation pairs."""
    merged = {**DATA_ARGS, **args}
    p, operation, fraction = int(merged["p"]), str(merged["operation"]), float(merged["train_fraction"])
    if not _is_prime(p):
        raise UserError(f"dataset arg p = {p} is not a prime; the tables are modulo a prime.")
    if operation not in OPERATIONS:
        raise UserError(f"dataset arg operation = {operation!r} is not one of {', '.join(OPERATIONS)}.")
    if not 0 < fraction < 1:
        raise UserError(f"dataset arg train_fraction = {fraction} must lie strictly between 0 and 1.")
    x, y = (a.ravel().astype(np.int64) for a in np.meshgrid(np.arange(p), np.arange(p), indexing="ij"))
    if operation == "divide":
        x, y = x[y != 0], y[y != 0]
    answers = OPERATIONS[operation](x, y, p).astype(np.int64)
    tokens = np.stack([x, np.full_like(x, p), y, np.full_like(x, p + 1)], axis=1)
    order = np.random.default_rng(int(merged["seed"])).permutation(len(x))
    cut = int(fraction * len(x))
    train, val = np.sort(order[:cut]), np.sort(order[cut:])
    return {"train": {"x": tokens[train], "y": answers[train]}, "val": {"x": tokens[val], "y": answers[val]}}


def datasets(splits: dict, cfg: dict) -> dict:
    """The token arrays as (input, target) datasets, after checking that data.modulus fits the data."""
    p = int(cfg["data"]["modulus"])
    out = {}
    for name, arrays in splits.items():
        x, y = torch.from_numpy(arrays["x"]).long(), torch.from_numpy(arrays["y"]).long()
        if len(x) and int(x[0, 1]) != p:
            raise UserError(f"data.modulus is {p} but the data were generated modulo {int(x[0, 1])}; set the dataset "
                            "arg p and data.modulus (in `overrides`) to the same prime.")
        out[name] = torch.utils.data.TensorDataset(x, y)
    return out
