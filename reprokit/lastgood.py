"""The last good copy of a download or clone, kept where Snakemake never deletes it.

Snakemake removes a job's outputs before it runs, so `snakemake -R fetch_paper` (or `-R clone_code`) while
offline would destroy the only copy of the paper (or the code). After each success the outputs are linked
into ``repro/<paper>/.last-good/`` (hard links: no second copy on disk; the outputs are never edited in
place); when a rerun fails, they are put back, the failure is said as a warning, and the job succeeds with
the previous copy, so nothing downstream reruns.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from reprokit.errors import UserError

T = TypeVar("T")
KEEP = ".last-good"


def _copy(src: Path, dst: Path) -> None:
    def link_or_copy(a: str, b: str) -> None:
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    if src.is_dir():
        shutil.copytree(src, dst, copy_function=link_or_copy, symlinks=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(str(src), str(dst))


def kept_path(output: Path) -> Path:
    """``repro/<paper>/<name>`` -> ``repro/<paper>/.last-good/<name>``."""
    return output.parent / KEEP / output.name


def keep(outputs: list[Path]) -> None:
    for output in outputs:
        kept = kept_path(output)
        staging = kept.with_name(f".{kept.name}.new")
        shutil.rmtree(staging, ignore_errors=True) if staging.is_dir() else staging.unlink(missing_ok=True)
        _copy(output, staging)
        if kept.is_dir():
            shutil.rmtree(kept)
        elif kept.exists():
            kept.unlink()
        os.replace(staging, kept)


def restore(outputs: list[Path]) -> bool:
    """Put every kept copy back (only if all exist); True when restored."""
    if not all(kept_path(o).exists() for o in outputs):
        return False
    for output in outputs:
        if output.is_dir():
            shutil.rmtree(output)
        elif output.exists():
            output.unlink()
        _copy(kept_path(output), output)
    return True


def or_last_good(what: str, outputs: list[str | os.PathLike], func: Callable[[], T]) -> T | None:
    """Run ``func``; keep its outputs on success; on a UserError put the last good copy back and warn."""
    paths = [Path(o) for o in outputs]
    try:
        result = func()
    except UserError as err:
        if not restore(paths):
            raise
        message = (f"warning: {what} failed ({err}) -- kept the previous copy ({', '.join(map(str, paths))}); "
                   "rerun when the source is reachable to refresh it.")
        print(message, file=sys.stderr, flush=True)
        if sys.stderr is not sys.__stderr__ and sys.__stderr__ is not None:
            print(message, file=sys.__stderr__, flush=True)
        return None
    keep(paths)
    return result
