"""Prepared data: ``data/dataset.npz`` holds ``<split>/<array>`` arrays (written byte-for-byte reproducibly,
so an unchanged draw never looks changed). The task turns the splits into datasets; batches come from a
``torch.utils.data.DataLoader`` whose order is a function of (seed, epoch) alone, so a resumed run sees
exactly the batches an uninterrupted one would."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset

from reprokit import atomic
from reprokit.errors import UserError

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def check_splits(splits: Any, where: str) -> dict[str, dict[str, np.ndarray]]:
    """``{split: {name: array}}`` with equal first dimensions inside each split, or a UserError."""
    if not isinstance(splits, dict) or not splits:
        raise UserError(f"{where} must return {{split: {{array name: numpy array}}}}, got {type(splits).__name__}; "
                        "fix the task's make_data.")
    out: dict[str, dict[str, np.ndarray]] = {}
    for split, arrays in splits.items():
        if not isinstance(split, str) or "/" in split or not isinstance(arrays, dict) or not arrays:
            raise UserError(f"{where}: split {split!r} must be a name (no '/') mapping to a dict of arrays; fix the task.")
        converted = {}
        for name, array in arrays.items():
            if not isinstance(name, str) or "/" in name:
                raise UserError(f"{where}: array name {name!r} in split {split!r} must be a string without '/'.")
            converted[name] = np.asarray(array.numpy() if isinstance(array, torch.Tensor) else array)
        lengths = {name: len(a) for name, a in converted.items()}
        if len(set(lengths.values())) != 1:
            raise UserError(f"{where}: the arrays of split {split!r} differ in length ({lengths}); fix the task.")
        out[split] = converted
    return out


def save_splits(path: str | Path, splits: dict[str, dict[str, np.ndarray]]) -> str:
    """Write the splits as an npz (fixed timestamps, sorted names) atomically; returns its sha256."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for split in sorted(splits):
            for name in sorted(splits[split]):
                member = io.BytesIO()
                np.lib.format.write_array(member, np.ascontiguousarray(splits[split][name]), allow_pickle=False)
                archive.writestr(zipfile.ZipInfo(f"{split}/{name}.npy", date_time=FIXED_TIME), member.getvalue())
    data = buffer.getvalue()
    atomic.write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def load_splits(path: str | Path) -> dict[str, dict[str, np.ndarray]]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"dataset file {path} does not exist; run stage 5 (prepare_dataset) first.")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            splits: dict[str, dict[str, np.ndarray]] = {}
            for key in arrays.files:
                if "/" not in key:
                    raise UserError(f"dataset file {path} holds array {key!r}, not <split>/<name>; rerun stage 5.")
                split, name = key.split("/", 1)
                splits.setdefault(split, {})[name] = arrays[key]
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile) as err:
        raise UserError(f"dataset file {path} is not a readable npz ({type(err).__name__}); delete it and rerun "
                        "stage 5.") from None
    if not splits:
        raise UserError(f"dataset file {path} is empty; delete it and rerun stage 5.")
    return splits


def file_digest(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tensor(array: np.ndarray) -> torch.Tensor:
    tensor = torch.from_numpy(np.ascontiguousarray(array))
    if tensor.is_floating_point():
        return tensor.float()
    if tensor.dtype == torch.bool:
        return tensor
    return tensor.long()


def default_datasets(splits: dict[str, dict[str, np.ndarray]]) -> dict[str, Dataset]:
    """Each split's ``x`` and ``y`` as a TensorDataset (floats as float32, integers as int64)."""
    out = {}
    for split, arrays in splits.items():
        if "x" not in arrays or "y" not in arrays:
            raise UserError(f"split {split!r} has arrays {sorted(arrays)}, not x and y; define datasets(splits, cfg) "
                            "in the task to say how its arrays become (input, target) items.")
        out[split] = TensorDataset(_tensor(arrays["x"]), _tensor(arrays["y"]))
    return out


class EpochBatches(torch.utils.data.Sampler):
    """The index batches of one epoch from ``start`` on: a permutation drawn from (seed, epoch) when shuffling,
    the natural order otherwise; the last partial batch is dropped when at least one full batch exists.
    Under DDP each rank takes its slice of every global batch."""

    def __init__(self, n: int, batch_size: int, *, shuffle: bool, seed: int, epoch: int, start: int = 0,
                 rank: int = 0, world: int = 1, as_list: bool = False):
        self.n, self.batch_size, self.start, self.rank, self.world = n, batch_size, start, rank, world
        self.as_list = as_list
        if shuffle:
            generator = torch.Generator().manual_seed(int(seed) * 1_000_003 + int(epoch))
            self.order = torch.randperm(n, generator=generator)
        else:
            self.order = torch.arange(n)

    @staticmethod
    def per_epoch(n: int, batch_size: int) -> int:
        return n // batch_size if n >= batch_size else 1

    def __len__(self) -> int:
        return self.per_epoch(self.n, self.batch_size) - self.start

    def __iter__(self):
        share = self.batch_size // self.world
        for b in range(self.start, self.per_epoch(self.n, self.batch_size)):
            index = self.order[b * self.batch_size:(b + 1) * self.batch_size]
            index = index[self.rank * share:(self.rank + 1) * share] if self.world > 1 else index
            yield index.tolist() if self.as_list else index


def loader(dataset: Dataset, sampler: torch.utils.data.Sampler) -> DataLoader:
    """A DataLoader over index batches: one indexing call per batch for a TensorDataset, else the usual
    per-item fetch and collate."""
    if isinstance(dataset, TensorDataset):
        return DataLoader(dataset, sampler=sampler, batch_size=None)
    sampler.as_list = True
    return DataLoader(dataset, batch_sampler=sampler)


class InOrder(torch.utils.data.Sampler):
    """Consecutive index batches over all ``n`` examples (the evaluation order; the last batch may be short)."""

    def __init__(self, n: int, batch_size: int):
        self.n, self.batch_size, self.as_list = n, batch_size, False

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)

    def __iter__(self):
        for start in range(0, self.n, self.batch_size):
            index = torch.arange(start, min(self.n, start + self.batch_size))
            yield index.tolist() if self.as_list else index
