"""The last good copy of what a job read from outside (the paper, the code, the search, the Hugging Face
data), kept where Snakemake never deletes it.

Snakemake removes a job's outputs before it runs, so `snakemake -R fetch_paper` (or `-R clone_code`) while
offline would destroy the only copy of the paper (or the code). After each success the outputs are copied into
``.last-good/`` beside them (real copies, so that a live file corrupted in place leaves the kept one whole).
When the same job (same inputs and settings: its ``key``) fails, they are put back, the failure is said as a
warning, and the job succeeds with the previous copy, so nothing downstream reruns. A job whose inputs or
settings changed gets no stale copy: its failure stops the run, naming where the previous copy is kept.

Every other job's outputs are made from workspace files alone; a mistake in its inputs or settings is
refused before any job runs (the Snakefile's checks), and a failed job's outputs are remade by the rerun.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from reprokit.errors import UserError, report_user_errors, say

T = TypeVar("T")
KEEP = ".last-good"


def _copy(src: Path, dst: Path) -> None:
    """A real copy (never a hard link: an in-place change of the live file, a shell `>` or a truncate, must not
    reach the kept one)."""
    if src.is_dir():
        shutil.copytree(src, dst, copy_function=shutil.copy2, symlinks=True)
    else:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)


def kept_path(output: Path) -> Path:
    """``repro/<paper>/<name>`` -> ``repro/<paper>/.last-good/<name>``."""
    return output.parent / KEEP / output.name


def job_key(inputs: list[str | os.PathLike], settings: object) -> str:
    """What defines a job's result: its input files' contents and its settings (JSON), hashed."""
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode())
    for name in inputs:
        path = Path(name)
        digest.update(path.name.encode())
        if path.is_file():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def _key_file(outputs: list[Path]) -> Path:
    return kept_path(outputs[0]).with_name(f"{outputs[0].name}.key")


def keep(outputs: list[Path], key: str = "") -> None:
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
    _key_file(outputs).write_text(key)


def restore(outputs: list[Path], key: str) -> bool:
    """Put every kept copy back (only if all exist and were made by the same job); True when restored."""
    key_file = _key_file(outputs)
    if not all(kept_path(o).exists() for o in outputs) or not key_file.is_file() or key_file.read_text() != key:
        return False
    for output in outputs:
        if output.is_dir():
            shutil.rmtree(output)
        elif output.exists():
            output.unlink()
        _copy(kept_path(output), output)
    return True


def or_last_good(outputs: list[str | os.PathLike], func: Callable[[], T], key: str, refresh: str,
                 fallback: Callable[[UserError], T] | None = None) -> T | None:
    """Run ``func``, a job that re-reads an outside source (``refresh``: the words for it, "re-fetching the
    paper"); keep its outputs on success; when the same job (``key``, see :func:`job_key`) fails with a
    UserError, put the last good copy back, warn, and succeed. Without a last good copy, ``fallback(error)``
    (when given) makes the outputs instead, or re-raises."""
    paths = [Path(o) for o in outputs]
    try:
        result = func()
    except UserError as err:
        if restore(paths, key):
            say(f"warning: {refresh} failed ({err}) -- kept the previous copy ({', '.join(map(str, paths))}); "
                 "rerun when the source is reachable to refresh it.")
            return None
        if fallback is None:
            kept = [kept_path(p) for p in paths if kept_path(p).exists()]
            if kept:  # another job's copy: not put back, but the user should know where it is
                raise UserError(f"{str(err).rstrip('.')}; the previous copy, made with other settings, is kept in "
                                f"{kept[0].parent}/ (copy it back by hand to use it).") from None
            raise
        result = fallback(err)
    keep(paths, key)
    return result


def run_job(smk: Any, func: Callable[..., T], *args: Any, refresh: str, settings: object = None,
            fallback: Callable[[UserError], T] | None = None, **kwargs: Any) -> T | None:
    """The body of a rule script that re-reads an outside source: ``func(*args, **kwargs)`` with the job's
    outputs kept (:func:`or_last_good`; its inputs and ``settings`` are its key), a UserError said as one
    sentence (exit 1)."""
    return report_user_errors(or_last_good, list(smk.output), lambda: func(*args, **kwargs),
                              key=job_key(list(smk.input), settings), refresh=refresh, fallback=fallback)
