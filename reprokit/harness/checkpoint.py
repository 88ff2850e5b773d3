"""A run's checkpoints: the last two kept, loaded with ``weights_only=True``, a corrupt one moved aside.

``runs/<run>/checkpoint.pt`` is the newest; each save first moves it to ``checkpoint.prev.pt``, so a write
cut short (a full disk, a killed job) never leaves the run without a good one. Loading tries the newest,
then the previous; a file that does not load (truncated, empty, garbage, a foreign pickle) is renamed
``<name>.corrupt-<time>`` and said in the log, and the run goes on from the previous one or from the start.
Only tensors and plain data are stored (the random states included), so no pickle ever runs code.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from reprokit.errors import UserError

NEWEST, PREVIOUS = "checkpoint.pt", "checkpoint.prev.pt"
REQUIRED = ("model", "optimizer", "scheduler", "step", "identity", "history", "rng")


def numpy_state_to_plain(state: tuple) -> dict[str, Any]:
    name, keys, pos, has_gauss, cached = state
    return {"name": name, "keys": torch.from_numpy(np.asarray(keys, dtype=np.int64)), "pos": int(pos),
            "has_gauss": int(has_gauss), "cached": float(cached)}


def plain_to_numpy_state(plain: dict[str, Any]) -> tuple:
    return (plain["name"], plain["keys"].numpy().astype(np.uint32), plain["pos"], plain["has_gauss"], plain["cached"])


def save(state: dict[str, Any], run_dir: Path) -> None:
    """Write ``state`` as the newest checkpoint; the one before becomes the previous; no temp file is left."""
    newest = run_dir / NEWEST
    tmp = run_dir / f".{NEWEST}.tmp"
    try:
        torch.save(state, tmp)
    except (OSError, RuntimeError) as err:
        # torch reports a full disk as a RuntimeError from its stream writer; the free space tells
        full = isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EDQUOT) or \
            shutil.disk_usage(run_dir).free < 1 << 20
        tmp.unlink(missing_ok=True)
        if full:
            raise UserError(f"no space left to write a checkpoint in {run_dir}; free space there (the previous "
                            "checkpoint is intact) and rerun: the run resumes from it.") from None
        raise
    if newest.is_file():
        os.replace(newest, run_dir / PREVIOUS)
    os.replace(tmp, newest)


def _read(path: Path, device: torch.device) -> dict[str, Any]:
    state = torch.load(path, weights_only=True, map_location=device)
    if not isinstance(state, dict) or any(key not in state for key in REQUIRED):
        raise ValueError("not a checkpoint of this harness")
    return state


def load(run_dir: Path, identity: str, device: torch.device, log: Callable[[str], None],
         move_aside: bool = True) -> dict[str, Any] | None:
    """The newest readable checkpoint of this run identity, or None (train from the start). Under torchrun only
    rank 0 moves files (``move_aside``); the others skip an unreadable one the same way."""
    for name in (NEWEST, PREVIOUS):
        path = run_dir / name
        if not path.is_file():
            continue
        try:
            state = _read(path, device)
        except Exception as err:  # noqa: BLE001 (any unreadable file: move it aside, never crash or reuse it)
            aside = path.with_name(f"{name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            if move_aside:
                os.replace(path, aside)
            log(f"moved {path} aside to {aside.name}: it is not a readable checkpoint "
                f"({type(err).__name__}: {str(err)[:120]})")
            continue
        if state["identity"] != identity:
            log(f"ignoring {path}: it was trained with other values, data, task or harness code; training from "
                "the start")
            return None
        return state
    return None
