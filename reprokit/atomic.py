"""Atomic writes: a killed job never leaves a half-written output behind."""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

FULL = (errno.ENOSPC, errno.EDQUOT)


def no_space(path: Path) -> Exception:
    from reprokit.errors import UserError

    return UserError(f"no space left on the device holding {path.parent} while writing {path.name}; free space there "
                     "and rerun (nothing was half-written, the previous file is intact).")


def _mode() -> int:
    """The permissions a written file gets: what the umask gives a new file (an output is written anew each time)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write through a temporary file in the same folder, then rename; a full disk is a UserError."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, _mode())  # (mkstemp makes it private: 0600)
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        if err.errno in FULL:
            raise no_space(path) from None
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    _write(path, text)


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write ``data`` as indented, key-sorted JSON, atomically."""
    write_text(path, json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write raw bytes atomically."""
    _write(path, data)


def replace_dir(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Move a fully built folder ``src`` onto ``dst``, removing an older ``dst`` first."""
    dst = Path(dst)
    if dst.exists():
        old = dst.with_name(f".{dst.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dst, old)
        os.replace(src, dst)
        shutil.rmtree(old, ignore_errors=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)


# The keys each workspace record must have (what its readers use); a file without them is refused.
REQUIRED = {
    "fetch record": ("file", "format", "sha256"),
    "paper extract": ("sections", "tables"),
    "code record": ("kind",),
    "code candidates": ("chosen",),
    "code hyperparameters": ("hparams",),
    "ledger": ("entries",),
    "implementation record": ("task", "config"),
    "dataset record": ("substitution",),
    "smoke tier record": ("tier", "passed", "checks"),
    "smoke status": ("passed", "estimates"),
    "run plan": ("runs", "metric", "paper_values", "compare_at"),
    "run metrics": ("run", "metrics", "steps"),
    "official code run": ("run", "model", "seed", "command", "seconds", "stdout"),
    "official code launch": ("entry", "sets", "needs_code_change", "command", "tree"),
    "official code environment": ("python",),
}


def read_json(path: str | os.PathLike, what: str) -> Any:
    """Read a JSON file an earlier stage wrote; a missing, broken or incomplete file is a UserError naming the
    file and the fix (the keys a record of kind ``what`` must have are in ``REQUIRED``)."""
    from reprokit.errors import UserError

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{what} {path} does not exist; run the stage that writes it first.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise UserError(
            f"{what} {path} is not valid JSON ({err.msg} at line {err.lineno}); delete it and rerun its stage."
        ) from None
    except UnicodeDecodeError:
        raise UserError(f"{what} {path} is not UTF-8 text; delete it and rerun its stage.") from None
    required = REQUIRED.get(what, ())
    if required and not isinstance(data, dict):
        raise UserError(f"{what} {path} is not a JSON object; delete it and rerun its stage.")
    missing = [key for key in required if key not in data]
    if missing:
        raise UserError(f"{what} {path} lacks {', '.join(missing)} (cut short or from another version); delete it "
                        "and rerun its stage.")
    return data
