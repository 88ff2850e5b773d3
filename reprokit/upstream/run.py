"""How one process of the official code is started: in which folder, with which command and environment.

Each run (and each smoke tier) works in its own folder, ``runs/upstream/<run>/``, where every top-level entry
of ``code/`` appears as a symbolic link: the official code reads its own files by the paths it expects
(``configs/...``, ``train.py``) while what it writes new (logs, checkpoints, metrics) lands in that run's
folder. Its command is the launch's (reprokit-launch.yaml) plus the seed, the model's and the paper's extra
arguments; its environment is the workflow's without credentials (unless the config lists them).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.upstream.launch import command, launch_environment
from reprokit.upstream.trust import run_environment, trust_problem

SEED = re.compile(r"^(seed|random_seed|rng_seed|manual_seed)$", re.IGNORECASE)


def load(official_json: str, env_json: str | None, trusted: bool, paper_id: str) -> tuple[dict[str, Any], str | None]:
    """The launch record of stage 4 and the environment's Python, once the paper's config trusts the code."""
    record = atomic.read_json(official_json, "official code launch")
    problem = trust_problem(trusted, paper_id, record["command"], record.get("upstream", {}), record.get("tree"),
                            launch_environment(record))
    if problem:
        raise UserError(problem)
    python = atomic.read_json(env_json, "official code environment")["python"] if env_json else None
    return record, os.path.abspath(python) if python else None


def seed_flag(options: list[dict[str, Any]]) -> str | None:
    return next((o["flag"] for o in options if SEED.match(o["dest"])), None)


def run_view(tree: str | Path, folder: str | Path) -> Path:
    """``folder`` with a relative link to each top-level entry of ``tree`` (so a moved project still points at
    its own code/); what the run wrote there itself is kept, a link to elsewhere is renewed."""
    tree, folder = Path(tree).resolve(), Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for entry in tree.iterdir():
        if entry.name in (".git", ".snakemake_timestamp"):
            continue
        link = folder / entry.name
        target = os.path.relpath(entry, folder.resolve())
        if link.is_symlink():
            if os.readlink(link) == target:
                continue
            link.unlink()
        elif link.exists():
            continue  # the run wrote its own file of that name
        link.symlink_to(target, target_is_directory=entry.is_dir())
    return folder


def process_command(record: dict[str, Any], python: str, *, seed: int | None, model_args: list[str],
                    run_args: list[str], placeholders: dict[str, Any], extra: list[str] = ()) -> list[str]:
    """The full command line: the launch's arguments (without any flag ``extra`` sets again), the seed, the
    model's and the paper's arguments with their ``{run_dir}``, ``{seed}``, ``{model}`` filled, then ``extra``."""
    replaced = [a for a in extra if a.startswith("-")]
    args = [python, *command(record, replaced, placeholders.get("model"))]
    flag = seed_flag(record.get("options", []))
    if seed is not None and flag and flag not in replaced:
        args += [flag, str(seed)]
    if seed is not None and record.get("entry", {}).get("launcher"):
        args += ["--reprokit-seed", str(seed)]  # the workflow's launcher seeds the generators itself
    try:
        args += [a.format(**placeholders) for a in [*model_args, *run_args]]
    except (KeyError, IndexError, ValueError) as err:
        raise UserError(f"an argument of the paper's `run_args` or a model's `args` has an unknown placeholder ({err}); "
                        "use {run_dir}, {seed} or {model}.") from None
    return args + list(extra)


def environment(tokens: list[str], record: dict[str, Any]) -> dict[str, str]:
    """The workflow's environment without credentials (but the listed ``tokens``), plus the variables the
    launch sets."""
    return {**run_environment(os.environ, tokens), **launch_environment(record)}


def run(args: list[str], cwd: Path, env: dict[str, str], timeout_s: float) -> tuple[int, str, float]:
    """Run a short process of the official code (a smoke tier): exit status, output, seconds."""
    started = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired as err:
        out = (err.stdout or b"").decode(errors="replace") if isinstance(err.stdout, bytes) else (err.stdout or "")
        return -1, out + f"\n(stopped after {timeout_s:g} s: smoke.timeout_s)", time.perf_counter() - started
    return done.returncode, (done.stdout + done.stderr), time.perf_counter() - started
