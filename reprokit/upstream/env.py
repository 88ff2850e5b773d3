"""The official code's own environment: made once per workspace, reused by every job of the upstream route.

``uv venv`` + ``uv pip install`` from the upstream's requirements file (or the dependency list of its
pyproject.toml, read as data: the project itself is never built, so none of its code runs), with the
resolved set written to ``code/requirements.lock``; ``python -m venv`` + pip when uv is absent. A requirement
that cannot be installed stops with the package's name and the installer's last line.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError

REQUIREMENT_FILES = ("requirements.txt", "requirements/train.txt", "requirements/base.txt", "requirements/main.txt")


def requirements_of(code_dir: str | Path) -> tuple[str, list[str]]:
    """Where the upstream's dependencies are written, and the requirement lines (no options, no comments)."""
    root = Path(code_dir)
    for name in REQUIREMENT_FILES:
        path = root / name
        if path.is_file():
            lines = [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8", errors="replace")
                     .splitlines()]
            return name, [line for line in lines if line and not line.startswith("-")]
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except tomllib.TOMLDecodeError as err:
            raise UserError(f"{pyproject} is not valid TOML ({err}); the upstream's dependencies cannot be read.") from None
        return "pyproject.toml", [str(d) for d in project.get("dependencies", [])]
    return "", []


def _failure(output: str, requirements: list[str]) -> str:
    lines = [line.strip(" ×╰─▶│") for line in output.splitlines() if line.strip(" ×╰─▶│")]
    named = re.search(r"(?:No matching distribution found for|Could not find a version that satisfies the requirement"
                      r"|Because|not found:?)\s+([A-Za-z0-9_.\-\[\]]+)", output)
    package = named.group(1) if named else next((r for r in requirements if r.split("=")[0].split("<")[0].split(">")[0]
                                                  .strip().lower() in output.lower()), "a requirement")
    return f"{package} ({lines[-1][:300] if lines else 'no output'})"


def make_env(code_dir: str | Path, env_dir: str | Path, lock_path: str | Path, *, python: str = sys.executable,
             system_site_packages: bool = False, offline: bool = False, find_links: str | None = None,
             use_uv: bool | None = None) -> dict[str, Any]:
    """Create the environment at ``env_dir`` and write the lock; the record says which tool made it from what."""
    code_dir, env_dir = Path(code_dir), Path(env_dir)
    source, requirements = requirements_of(code_dir)
    uv = shutil.which("uv") if use_uv is not False else None
    if use_uv and uv is None:
        raise UserError("uv is not installed; install it (pip install uv) or let the route fall back to venv + pip.")
    if env_dir.exists():
        shutil.rmtree(env_dir)
    site = ["--system-site-packages"] if system_site_packages else []
    if uv:
        create = [uv, "venv", "--quiet", "--python", python, *site, str(env_dir)]
    else:
        create = [python, "-m", "venv", *site, str(env_dir)]
    env_python = str(env_dir / "bin" / "python")
    done = subprocess.run(create, capture_output=True, text=True)
    if done.returncode != 0:
        raise UserError(f"creating the official code's environment in {env_dir} failed "
                        f"({(done.stderr or done.stdout).strip().splitlines()[-1:]}); check the Python at {python}.")
    if requirements:
        listed = env_dir / "reprokit-requirements.txt"
        listed.write_text("\n".join(requirements) + "\n", encoding="utf-8")
        links = ["--find-links", find_links] if find_links else []
        if uv:
            install = [uv, "pip", "install", "--quiet", "--python", env_python, *(["--offline"] if offline else []),
                       *links, "-r", str(listed)]
        else:
            install = [env_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                       *(["--no-index"] if offline else []), *links, "-r", str(listed)]
        done = subprocess.run(install, capture_output=True, text=True)
        if done.returncode != 0:
            raise UserError(f"installing the official code's requirements ({source}) failed for "
                            f"{_failure(done.stderr + done.stdout, requirements)}; pin or remove it with a commit in "
                            "code/, or give the paper a task file to use the built-in harness.")
    freeze = [uv, "pip", "freeze", "--python", env_python] if uv else [env_python, "-m", "pip", "freeze", "--all"]
    locked = subprocess.run(freeze, capture_output=True, text=True).stdout
    atomic.write_text(lock_path, f"# resolved by {'uv' if uv else 'pip'} from {source or 'no requirements'}\n{locked}")
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()
    return {"tool": "uv" if uv else "pip", "requirements": source, "count": len(requirements),
            "requirements_sha256": digest, "python": env_python, "lock": str(lock_path)}
