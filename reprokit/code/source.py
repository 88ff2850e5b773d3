"""Stage 2, first half: bring the official code into the workspace without ever executing it.

Accepted ``code`` values: ``package:<name>`` (an installed distribution's files, read through its
metadata, never imported), a git URL (https, ssh or file; shallow clone, commit recorded), a local
folder, or ``none``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError

GIT_URL = re.compile(r"^(https://|ssh://|file://|git@[\w.-]+:)[\w./@:~%+-]+$")
MAX_FILE_BYTES = 5_000_000
SKIP_DIRS = {".git", "__pycache__", ".ipynb_checkpoints", "node_modules", ".venv", "venv"}
ACCEPTED = "`package:<name>`, an https/ssh/file git URL, a local folder, or `none`"


def _copy_tree(src: Path, dst: Path, max_mb: float, timeout: float) -> int:
    """Copy a local folder's regular files (never following a symlink) under the clone's size and time caps."""
    count, total, started = 0, 0, time.monotonic()
    for root, dirs, files in os.walk(src):  # os.walk does not descend into symlinked folders
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file() or name.endswith(".pyc"):
                continue
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                continue
            total += size
            if total > max_mb * 1e6:
                raise UserError(f"code folder {src} holds more than {max_mb:.3g} MB of files; raise `clone_max_mb` or "
                                "point `code` at the repository's own folder.")
            if time.monotonic() - started > timeout:
                raise UserError(f"copying code folder {src} took longer than {timeout:g} s; raise `clone_timeout_s` or "
                                "point `code` at a smaller folder.")
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            count += 1
    return count


def sanitise(root: Path) -> dict[str, list[dict[str, Any]]]:
    """Make a fetched tree plain data: remove every symlink (a link may point at a secret outside the clone)
    and every file above the per-file cap, and say what was removed."""
    skipped: dict[str, list[dict[str, Any]]] = {"symlinks": [], "large_files": []}
    resolved_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                target = os.readlink(path)
                inside = (path.parent / target).resolve().is_relative_to(resolved_root)
                skipped["symlinks"].append({"path": rel, "target": target, "outside": not inside})
                path.unlink()
            elif name in filenames and path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
                skipped["large_files"].append({"path": rel, "mb": round(path.stat().st_size / 1e6, 1)})
                path.unlink()
        dirnames[:] = [d for d in dirnames if (Path(dirpath) / d).is_dir() and not (Path(dirpath) / d).is_symlink()]
    return skipped


def _check_folder(folder: Path, out_dir: Path) -> None:
    """A local code folder must not hold the workspace (it would copy itself) nor lie inside it."""
    folder, workspace = folder.resolve(), out_dir.resolve().parent
    if workspace.is_relative_to(folder):
        raise UserError(f"code folder {folder} contains the workspace {workspace}; point `code` at the official "
                        "repository's own folder, outside the project's repro/.")
    if folder.is_relative_to(workspace):
        raise UserError(f"code folder {folder} lies inside the workspace {workspace}; point `code` at a folder "
                        "outside repro/.")


def code_setting_problem(code: str, workspace: Path) -> str | None:
    """What is wrong with a paper's `code` value that can be told before any job runs (None: nothing)."""
    code = (code or "").strip()
    if code in ("", "auto", "none"):
        return None
    if GIT_URL.match(code) or code.endswith(".git"):
        return git_url_problem(code)
    if code.startswith("package:"):
        name = code.split(":", 1)[1]
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            return f"{code!r} does not name a distribution (write package:<name as pip lists it>)"
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return f"{code!r}: {name} is not an installed distribution (install it, or change `code`)"
        return None
    if not Path(code).is_dir():
        return f"{code!r} is neither an existing folder nor one of {ACCEPTED}"
    try:
        _check_folder(Path(code), workspace / "upstream")
    except UserError as err:
        return str(err).split(";")[0]
    return None


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _from_package(name: str, dst: Path) -> dict[str, Any]:
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise UserError(f"code source package:{name} is not an installed distribution; install it or change `code`.") from None
    count = 0
    for file in dist.files or []:
        parts = Path(str(file)).parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info")) or "__pycache__" in parts or ".." in parts:
            continue
        path = Path(dist.locate_file(file))
        if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
            target = dst / Path(str(file))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            count += 1
    if count == 0:
        raise UserError(f"package:{name} lists no source files in its metadata; point `code` at its repository instead.")
    meta = dist.metadata
    return {"kind": "package", "name": name, "version": dist.version, "files": count,
            "homepage": meta.get("Home-page") or "", "license": meta.get("License") or ""}


def _size_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def git_url_problem(url: str) -> str | None:
    """Why a code URL is not one git may be handed (an ``ext::`` transport, an option such as
    ``--upload-pack=...``, a space); None for a plain https/ssh/file URL."""
    if not GIT_URL.match(url) or url.startswith("-") or " " in url:
        return (f"code URL {url!r} is not a plain https/ssh/file git URL (give one such as "
                "https://github.com/owner/repo.git)")
    return None


def _from_git(url: str, dst: Path, timeout: int, max_mb: float) -> dict[str, Any]:
    problem = git_url_problem(url)
    if problem:
        raise UserError(f"{problem}; fix `code` for this paper in config/config.yaml.")
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "GIT_LFS_SKIP_SMUDGE": "1"}
    command = ["git", "-c", "protocol.ext.allow=never", "-c", "core.hooksPath=/dev/null", "clone", "--depth", "1",
               "--no-tags", "--single-branch", "--", url, str(dst)]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise UserError(f"cloning {url} took longer than {timeout} s; raise `clone_timeout_s` or use a local copy.") from None
    except subprocess.CalledProcessError as err:
        lines = [line.strip() for line in (err.stderr or "").splitlines() if line.strip()
                 and not line.startswith("Cloning into")]
        important = [line for line in lines if line.startswith(("fatal:", "error:", "remote:"))] or lines[-3:]
        reason = " / ".join(important)[:500] or "unknown error"
        raise UserError(f"git could not clone {url} ({reason}); check the URL in `code`.") from None
    commit = subprocess.run(["git", "-C", str(dst), "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    shutil.rmtree(dst / ".git", ignore_errors=True)
    size = _size_mb(dst)
    if size > max_mb:
        raise UserError(f"{url} is {size:.3g} MB, above the {max_mb:.3g} MB cap; raise `clone_max_mb` or use a local "
                        "copy.")
    return {"kind": "git", "url": url, "commit": commit, "size_mb": round(size, 2)}


def acquire(code: str, out_dir: str | Path, out_meta: str | Path, *, clone_timeout_s: int = 300,
            clone_max_mb: float = 500.0, reason: str = "") -> dict[str, Any]:
    """Put the official code into ``out_dir`` (replacing an older copy only once the new one is complete)."""
    code = (code or "").strip()
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    target = staging / "tree"
    try:
        if code in ("", "none"):
            target.mkdir()
            info: dict[str, Any] = {"kind": "none", "reason": reason or "no code configured or found"}
        elif code.startswith("package:"):
            name = code.split(":", 1)[1]
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
                raise UserError(f"`code: {code}` does not name a distribution; write package:<name as pip lists it>.")
            target.mkdir()
            info = _from_package(name, target)
        elif GIT_URL.match(code) or code.endswith(".git"):
            info = _from_git(code, target, clone_timeout_s, clone_max_mb)
        elif Path(code).is_dir():
            _check_folder(Path(code), out_dir)
            target.mkdir()
            info = {"kind": "folder", "path": str(Path(code).resolve()),
                    "files": _copy_tree(Path(code), target, clone_max_mb, clone_timeout_s), **_checkout_of(Path(code))}
        else:
            raise UserError(f"`code: {code}` is not one of the accepted forms: {ACCEPTED}.")
        info["source"] = code
        info["skipped"] = sanitise(target)
        if reason:
            info["chosen_because"] = reason
        info["tree_sha256"] = _tree_digest(target)
        atomic.replace_dir(target, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    atomic.write_json(out_meta, info)
    return info


def _checkout_of(folder: Path) -> dict[str, Any]:
    """A local folder that is a git checkout: its commit, and whether its files differ from it (``dirty``)."""
    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    head = git("rev-parse", "HEAD") if top else None
    if not head:
        return {}
    return {"commit": head, "dirty": bool(git("status", "--porcelain", "--untracked-files=no", "--", "."))}


class Unreachable(UserError):
    """None of the automatically found candidates could be brought in."""


def acquire_chosen(candidates_json: str, out_dir: str | Path, out_meta: str | Path, *, clone_timeout_s: int = 300,
                   clone_max_mb: float = 500.0) -> dict[str, Any]:
    """Stage 2's clone rule: bring in the candidate discovery chose (or record that there is none). An
    automatically found candidate that cannot be cloned is recorded and the next qualifying one tried; when
    none can be, :class:`Unreachable` says why for each. A `code:` the user set is tried alone."""
    found = atomic.read_json(candidates_json, "code candidates")
    chosen = found["chosen"]
    candidates = found.get("candidates") or []
    if chosen == "none" or any(c.get("kind") == "config" and c.get("url") == chosen for c in candidates):
        return acquire(chosen, out_dir, out_meta, clone_timeout_s=clone_timeout_s, clone_max_mb=clone_max_mb,
                       reason=found.get("reason", ""))
    from reprokit.code.discover import MIN_SCORE

    order = [chosen] + [c["url"] for c in candidates if c.get("kind") == "git" and c.get("score", 0) >= MIN_SCORE
                        and c["url"] != chosen]
    tried: list[str] = []
    for url in order:
        evidence = next((c.get("evidence", [""])[0] for c in candidates if c.get("url") == url), "")
        try:
            info = acquire(url, out_dir, out_meta, clone_timeout_s=clone_timeout_s, clone_max_mb=clone_max_mb,
                           reason=found.get("reason", "") if url == chosen else evidence)
        except UserError as err:
            tried.append(f"{url}: {str(err).split('; check the URL in `code`')[0]}")
            continue
        if tried:
            info["unreachable"] = tried
            atomic.write_json(out_meta, info)
        return info
    raise Unreachable(f"no code could be reached ({'; '.join(tried)})")
