"""The official code's own environment: made once per workspace, reused by every job of the upstream route.

``uv venv`` + ``uv pip install`` from the upstream's requirements file and, when the tree is itself a package
(a setup.py, or a pyproject.toml with a [project] table), that package: its declared dependencies (read as
data) like any requirement, then the package itself, editable and without dependencies (``-e .``), so that the
code's own ``import <package>`` works; an ``-e <path>`` line of a requirements file is kept the same way. The
resolved set is written to ``code/requirements.lock``; ``python -m venv`` + pip when uv is absent. A
requirement that cannot be installed stops with the package's name and the installer's last line. (This job
runs only once the paper trusts the official code: building the package runs its setup.py.)

With ``inherit`` (the default) the environment also sees the workflow's own packages, behind its own: a
requirement the workflow's environment already satisfies (torch built for the cluster's GPUs, say) is taken
from there and not installed again, nor as another requirement's dependency (pip installs, since it sees them;
uv would not); one it does not satisfy (another version) is installed and comes first.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError

REQUIREMENT_FILES = ("requirements.txt", "requirements/train.txt", "requirements/base.txt", "requirements/main.txt")


def requirements_of(code_dir: str | Path, pins: list[str] | tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """Where the upstream's dependencies are written, and the requirement lines (no other options, no comments):
    a requirements file's lines, an installable package's declared dependencies and ``-e <path>`` for a local
    package to install itself (``-e .``: the tree); then the paper's own ``requirements:`` (``pins``), each
    replacing the line that names the same package."""
    source, lines = _upstream_requirements(code_dir)
    if not pins:
        return source, lines
    named = {_package_name(pin, checked=True): pin for pin in pins}
    kept = [line for line in lines if _package_name(line) not in named]
    return " + ".join(filter(None, [source, "the paper's requirements"])), kept + list(named.values())


def _package_name(line: str, checked: bool = False) -> str | None:
    """The canonical package name a requirement line installs (None for ``-e <path>`` or what is not one); with
    ``checked``, a line of the paper's ``requirements:`` that is not a requirement stops with the fix."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return canonicalize_name(Requirement(line).name)
    except InvalidRequirement:
        if checked:
            raise UserError(f"the paper's `requirements:` entry {line!r} is not a requirement line; write it as pip "
                            "does (`pytorch_lightning==1.2.10`, `numpy<2`).") from None
        return None


def _upstream_requirements(code_dir: str | Path) -> tuple[str, list[str]]:
    root = Path(code_dir)
    sources, lines = [], []
    for name in REQUIREMENT_FILES:
        path = root / name
        if path.is_file():
            sources.append(name)
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.split("#", 1)[0].strip()
                local = re.fullmatch(r"(?:-e|--editable)\s*=?\s*(\S+)|(\.{1,2}(?:/\S*)?)", line)
                if local:
                    lines.append(f"-e {local.group(1) or local.group(2)}")
                elif line and not line.startswith("-"):
                    lines.append(line)
            break
    package = _package(root)
    if package:
        name, declared = package
        sources.append(name.split(" ")[0])
        lines += [d for d in declared if d not in lines]
        if "-e ." not in lines and name != "pyproject.toml (dependencies)":
            lines.append("-e .")
    return " + ".join(sources), lines


def _package(root: Path) -> tuple[str, list[str]] | None:
    """The tree as an installable package: the file that makes it one and its declared dependencies (a
    pyproject.toml's [project] dependencies, a setup.py's literal install_requires), or None."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as err:
            raise UserError(f"{pyproject} is not valid TOML ({err}); the upstream's dependencies cannot be read.") from None
        project = data.get("project")
        if isinstance(project, dict):
            dependencies = [str(d) for d in project.get("dependencies", [])]
            if "build-system" not in data and not (root / "setup.py").is_file():
                # no build backend named: not a package to install (uv's reading too: `uv sync` installs only its
                # dependencies), so its dependencies alone, and the code runs from the tree
                return "pyproject.toml (dependencies)", dependencies
            return "pyproject.toml", dependencies
    setup = root / "setup.py"
    if setup.is_file():
        import ast

        try:
            tree = ast.parse(setup.read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError):
            return "setup.py", []
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "install_requires":
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    return "setup.py", []
                return "setup.py", [str(v) for v in value] if isinstance(value, (list, tuple)) else []
        return "setup.py", []
    return None


NOISE = re.compile(r"^(?:note:|hint:|\[end of output\]|See above|error: subprocess-exited-with-error|exit code:|"
                   r"Getting requirements|ERROR: Could not build|WARNING:)", re.IGNORECASE)


def _failure(output: str, requirements: list[str]) -> str:
    lines = [line.strip(" ×╰─▶│") for line in output.splitlines() if line.strip(" ×╰─▶│")]
    lines = [line for line in lines if not NOISE.match(line)] or lines  # the installer's own reason, not its notes
    named = re.search(r"(?:No matching distribution found for|Could not find a version that satisfies the requirement"
                      r"|Because|not found:?)\s+([A-Za-z0-9_.\-\[\]]+)", output)
    package = named.group(1) if named else next((r for r in requirements if r.split("=")[0].split("<")[0].split(">")[0]
                                                  .strip().lower() in output.lower()), "a requirement")
    reason = next((line for line in reversed(lines) if re.search(r"error|not |cannot|could not|multiple", line,
                                                                 re.IGNORECASE)), lines[-1] if lines else "no output")
    return f"{package} ({reason[:300]})"


def satisfied_here(requirement: str) -> str | None:
    """The installed version of the workflow's environment that satisfies a requirement line, or None (a URL, a
    path or an unparsable line is never taken as satisfied)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return None
    if req.url or (req.marker is not None and not req.marker.evaluate()):
        return None
    try:
        version = importlib.metadata.version(req.name)
    except importlib.metadata.PackageNotFoundError:
        return None
    return version if req.specifier.contains(version, prereleases=True) else None


def find_uv() -> str | None:
    """uv on PATH, else the one installed beside the workflow (requirements.txt installs it)."""
    found = shutil.which("uv")
    if found:
        return found
    try:
        from uv import find_uv_bin

        return find_uv_bin()
    except (ImportError, FileNotFoundError):
        return None


def _inherit(env_python: str) -> None:
    """Let the new environment see the workflow's packages after its own (a .pth file in its site-packages)."""
    done = subprocess.run([env_python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True)
    ours = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    Path(done.stdout.strip(), "_reprokit_inherit.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")


def make_env(code_dir: str | Path, env_dir: str | Path, lock_path: str | Path, *, python: str = sys.executable,
             system_site_packages: bool = False, offline: bool = False, find_links: str | None = None,
             use_uv: bool | None = None, inherit: bool = False, pins: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """Create the environment at ``env_dir`` and write the lock; the record says which tool made it from what."""
    code_dir, env_dir = Path(code_dir), Path(env_dir)
    version = python if re.fullmatch(r"\d+(?:\.\d+){0,2}", python or "") else None
    if version and version != ".".join(map(str, sys.version_info[:len(version.split("."))])):
        if inherit:
            raise UserError(f"the paper's `python: {version}` differs from the workflow's Python "
                            f"{sys.version_info.major}.{sys.version_info.minor}, whose packages it cannot share; set "
                            "the paper's `inherit_packages: false` as well.")
        if use_uv is False or find_uv() is None:
            raise UserError(f"the paper's `python: {version}` needs uv to fetch that interpreter; install uv "
                            "(pip install uv), or remove `python:` to use the workflow's Python.")
    elif version:
        python = sys.executable  # the workflow's own interpreter is that version
    source, listed_requirements = requirements_of(code_dir, pins)
    inherited = {r: v for r in listed_requirements if inherit and (v := satisfied_here(r))}
    requirements = [r for r in listed_requirements if r not in inherited]
    # uv does not see the inherited packages (it reads no .pth file), so a dependency of a requirement (torch under
    # pytorch_lightning) would be installed a second time; pip sees them: with inherit, pip unless uv is asked for
    uv = find_uv() if use_uv or (use_uv is None and not inherit) else None
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
    if inherit:
        _inherit(env_python)
    local = [str((code_dir / r[3:]).resolve()) for r in requirements if r.startswith("-e ")]
    packages = [r for r in requirements if not r.startswith("-e ")]
    if packages:
        listed = env_dir / "reprokit-requirements.txt"
        listed.write_text("\n".join(packages) + "\n", encoding="utf-8")
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
                            f"{_failure(done.stderr + done.stdout, packages)}; pin it in the paper's `requirements:` "
                            "(or with a commit in code/), or give the paper a task file to use the built-in harness.")
    for path in local:  # the package itself (its dependencies are above): editable, so its code is the tree's
        editable = [uv, "pip", "install", "--quiet", "--python", env_python, *(["--offline"] if offline else [])] \
            if uv else [env_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # built with the build tools the environment sees (the workflow's, inherited: works offline), else in an
        # isolated build environment (the installer fetches its backend)
        for isolation in (["--no-build-isolation"], []):
            done = subprocess.run([*editable, "--no-deps", *isolation, "-e", path], capture_output=True, text=True)
            if done.returncode == 0:
                break
        else:
            raise UserError(f"installing the official code's own package ({path}) failed "
                            f"({_failure(done.stderr + done.stdout, [path])}); fix its setup.py or pyproject.toml "
                            "with a commit in code/.")
    freeze = [uv, "pip", "freeze", "--python", env_python] if uv else [env_python, "-m", "pip", "freeze", "--all"]
    locked = subprocess.run(freeze, capture_output=True, text=True).stdout
    taken = "".join(f"# {r}: taken from the workflow's environment ({v})\n" for r, v in inherited.items())
    atomic.write_text(lock_path, f"# resolved by {'uv' if uv else 'pip'} from {source or 'no requirements'}\n"
                                 f"{taken}{locked}")
    packages = frozen_packages(locked)
    return {"tool": "uv" if uv else "pip", "requirements": source, "count": len(listed_requirements),
            "installed": requirements, "inherited": inherited, "requirements_sha256": requirements_digest(
                listed_requirements, inherit, python), "python": env_python, "interpreter": python,
            "lock": str(lock_path), "packages": packages, "size_mb": round(folder_bytes(env_dir) / 2**20, 1),
            "own_copies": own_copies(env_dir, inherit)}


def frozen_packages(freeze: str) -> dict[str, str]:
    """name -> version (or the line, for an editable or URL install) of what ``pip freeze`` lists: what the
    environment really holds."""
    out = {}
    for line in freeze.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pinned = re.match(r"^([A-Za-z0-9][\w.-]*)==(\S+)$", line)
        if pinned:
            out[pinned.group(1).lower().replace("_", "-")] = pinned.group(2)
        else:
            named = re.match(r"^(?:-e\s+)?([A-Za-z0-9][\w.-]*)\s*@", line)
            out[(named.group(1) if named else line).lower().replace("_", "-")] = line
    return out


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def own_copies(env_dir: Path, inherit: bool) -> dict[str, str]:
    """Packages the environment installed in its own site-packages though the workflow's environment, which it
    inherits, has them (a second torch, pulled by a dependency or pinned by the code): name -> what each holds."""
    if not inherit:
        return {}
    out = {}
    for info in sorted(env_dir.glob("lib/python*/site-packages/*.dist-info")):
        match = re.match(r"^(.+?)-([^-]+)\.dist-info$", info.name)
        if not match:
            continue
        name, version = match.group(1).lower().replace("_", "-"), match.group(2)
        if name in ("pip", "setuptools", "wheel") or _from_local_files(info):
            continue  # the environment's own installer; the official code's own package (installed from the tree)
        try:
            mine = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        out[name] = f"{version} here, {mine} in the workflow's environment"
    return out


def _from_local_files(info: Path) -> bool:
    """A distribution installed from a local folder (the official tree itself, ``-e .``), per its direct_url.json."""
    try:
        url = json.loads((info / "direct_url.json").read_text(encoding="utf-8")).get("url", "")
    except (OSError, ValueError):
        return False
    return str(url).startswith("file:")


def requirements_digest(requirements: list[str], inherit: bool, python: str = sys.executable) -> str:
    """What the environment is made from: its requirements, the inheritance and the interpreter asked for."""
    parts: list[Any] = [requirements, inherit] + ([python] if python != sys.executable else [])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


RECORD = "reprokit-env.json"


def ensure_env(code_dir: str | Path, env_dir: str | Path, lock_path: str | Path, out_json: str | Path, *,
               inherit: bool = True, pins: list[str] | tuple[str, ...] = (), **options: Any) -> dict[str, Any]:
    """The upstream route's environment job: reuse ``env_dir`` when it was made from the same requirements
    (the paper's ``pins`` included, and the same inheritance), else make it again; the record goes to
    ``out_json`` and beside the env."""
    env_dir = Path(env_dir)
    _, requirements = requirements_of(code_dir, pins)
    kept = env_dir / RECORD
    if kept.is_file():
        try:
            record = json.loads(kept.read_text(encoding="utf-8"))
        except ValueError:
            record = {}
        if record.get("requirements_sha256") == requirements_digest(requirements, inherit,
                                                                    options.get("python", sys.executable)) \
                and Path(record.get("python", "")).exists() and Path(lock_path).is_file():
            record = {**record, "reused": True}
            atomic.write_json(out_json, record)
            return record
    record = {**make_env(code_dir, env_dir, lock_path, inherit=inherit, pins=pins, **options), "reused": False}
    atomic.write_json(kept, record)
    atomic.write_json(out_json, record)
    return record
