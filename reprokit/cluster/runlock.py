"""One writer per run folder: a training or smoke job holds an exclusive ``flock`` on ``<folder>/.lock``.

A driver killed with SIGKILL leaves its SLURM jobs running; the rerun would submit the same runs again.
The lock makes the second job stop at once with a sentence naming the job that holds the folder, so two
processes never write one checkpoint. The lock file keeps the holder's SLURM job id, host, pid and start
time (for that sentence); the kernel releases the lock when the holder exits, however it exits.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reprokit.errors import UserError

LOCK_NAME = ".lock"


def holder_description(info: dict) -> str:
    job = f"SLURM job {info['slurm_job']}" if info.get("slurm_job") else "a process"
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info["since"])) if info.get("since") else "?"
    return f"{job} on {info.get('host', '?')} (pid {info.get('pid', '?')}, since {since})"


def read_holder(folder: str | os.PathLike) -> dict:
    """What the lock file says about its holder ({} when unknown)."""
    try:
        return json.loads((Path(folder) / LOCK_NAME).read_text() or "{}")
    except (OSError, ValueError):
        return {}


@contextmanager
def exclusive(folder: str | os.PathLike, what: str = "run folder") -> Iterator[None]:
    """Hold ``folder``'s lock for the duration of the block, or raise UserError naming its holder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held open for the block)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = read_holder(folder)
            kill = f"`scancel {info['slurm_job']}`" if info.get("slurm_job") else "stop it"
            raise UserError(f"{what} {folder} is being written by {holder_description(info)}; wait for it to finish or "
                            f"{kill}, then "
                            "rerun (two jobs never write one run).") from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"slurm_job": os.environ.get("SLURM_JOB_ID", ""), "host": socket.gethostname(),
                                 "pid": os.getpid(), "since": time.time()}))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
