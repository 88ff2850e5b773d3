"""Stage 4's upstream route: ``code/`` is the official tree, extended, never rewritten.

First commit: the upstream tree as stage 2 brought it (its recorded commit), unmodified. Then the launch file
``reprokit-launch.yaml`` with the entry point, and one commit per ledger value the launch sets, each citing
its provenance and the route that carries it (flag, Hydra override, config key, environment variable). Values
the upstream exposes
no way to set are listed in ``REPRODUCTION.md`` as "needs a code change" with their provenance (the upstream's
own README is left as it is).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.implement.git import commit, run_git, user_commits
from reprokit.upstream.launch import config_copy
from reprokit.upstream.launcher import LAUNCHER, launcher_text

LAUNCH = "reprokit-launch.yaml"
NOTES = "REPRODUCTION.md"


def require_code(upstream: dict[str, Any]) -> None:
    """Stop when stage 2 brought no official code (its record says why)."""
    if upstream.get("kind") in (None, "none"):
        raise UserError(f"stage 2 found no official code to run ({upstream.get('reason', 'none configured')}); set the "
                        "paper's `code:` to its repository, or give it a `task:` file and `implementation: harness`.")


def _launch_text(entry: dict[str, str], values: dict[str, Any]) -> str:
    header = ("# How reprokit starts the official code: its entry point and each ledger value it sets\n"
              "# (written from ../gaps_filled.md; the upstream's own files are never changed).\n")
    return header + yaml.safe_dump({"entry": entry, "values": values}, sort_keys=False, allow_unicode=True)


def _route(item: dict[str, Any]) -> str:
    if item["via"] == "flag":
        return f"flag {item['flag']}"
    if item["via"] == "hydra override":
        return f"Hydra override {item['key']}"
    if item["via"] == "environment variable":
        return f"environment variable {item['key']}"
    return f"key {item['key']} of {item['file']} (through {item['config_flag']})"


def _notes(spec: dict[str, Any], upstream: dict[str, Any], yours: list[tuple[str, str]] = ()) -> str:
    changed = "; ".join(f"`{sha}` {subject}" for sha, subject in yours)
    lines = ["# Reproduction notes (reprokit)", "",
             f"This repository is the official code ({upstream.get('url') or upstream.get('source', '')} at "
             f"`{version_of(upstream)}`), " + (f"changed by your commits ({changed})" if yours else "unmodified")
             + f", plus `{LAUNCH}`"
             + (f" and the entry point you committed, `{spec['entry']['script']}`" if spec["entry"].get("yours") else "")
             + (f" and the workflow's launcher `{LAUNCHER}`, which calls `{spec['entry']['function']}`"
                if spec["entry"].get("launcher") else "")
             + " (`git log` lists every commit on top).", "",
             f"Entry point: `{spec['entry']['script']}` ({spec['entry']['how']}).", "",
             "## Needs a code change", ""]
    if spec["needs_code_change"]:
        lines += ["The upstream exposes no flag, Hydra key, config key or environment variable for these ledger "
                  "values; a run of the "
                  "official code does not use them until its code is changed:", "",
                  "| name | value | provenance | why |", "|---|---|---|---|"]
        lines += [f"| {n['name']} | `{n['value']!r}` | {n['provenance']} | {n['why']} |"
                  for n in spec["needs_code_change"]]
    else:
        lines.append("(none: the launch sets every ledger value)")
    already = spec.get("already_in_code", [])
    if already:
        lines += ["", "## Already in the code", "",
                  "No flag or config key sets these, but the code already uses the ledger's value:", "",
                  "| name | value | provenance | in the code |", "|---|---|---|---|"]
        lines += [f"| {n['name']} | `{n['value']!r}` | {n['provenance']} | `{n['where']}` |" for n in already]
    arch = spec.get("architecture", [])
    if arch:
        lines += ["", "## The architecture: code vs paper", "",
                  "Layer sizes this code sets that the paper states otherwise (from inventory.md); the launch cannot "
                  "change them, so a run of the official code uses the code's:", ""]
        lines += [f"- `{a['where']}` {a['code']}: {a['status']}" for a in arch]
    kept_back = spec.get("left_by_config", [])
    if kept_back:
        lines += ["", "## Left to the official code by your config", "",
                  "The paper's `leave_to_code` keeps these ledger values from the launch, so the code's own defaults "
                  "apply:", "", "| name | ledger value | provenance | the route it would take |", "|---|---|---|---|"]
        lines += [f"| {n['name']} | `{n['value']!r}` | {n['provenance']} | {n.get('flag') or '(none)'} |" for n in kept_back]
    left = spec.get("left_to_upstream", [])
    if left:
        lines += ["", "## Left to the official code", "",
                  "Ledger values that neither the paper states nor the config sets (guesses, conventions, values "
                  "read from this code): the launch does not pass them, so the code's own defaults apply.", "",
                  "| name | ledger value | provenance |", "|---|---|---|"]
        lines += [f"| {n['name']} | `{n['value']!r}` | {n['provenance']} |" for n in left]
    return "\n".join(lines) + "\n"


def _launch_values(repo: Path) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    path = repo / LAUNCH
    if not path.is_file():
        return None, {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise UserError(f"{path} is not valid YAML ({err}); restore it with git in {repo} or move {repo} aside to "
                        "rebuild it.") from None
    return data.get("entry"), dict(data.get("values") or {})


def _value(item: dict[str, Any]) -> dict[str, Any]:
    return {"value": item["value"], "via": item["via"],
            **{k: item[k] for k in ("flag", "key", "file", "config_flag", "model") if k in item},
            "provenance": item["provenance"]}


def _apply(repo: Path, spec: dict[str, Any], upstream: dict[str, Any]) -> None:
    """Bring the launch file, its config copy and the notes to ``spec``, one commit per changed value."""
    entry, values = _launch_values(repo)
    if spec["entry"].get("launcher"):  # the workflow's own launcher for a function entry point
        text = launcher_text(spec["entry"]["function"])
        if not (repo / LAUNCHER).is_file() or (repo / LAUNCHER).read_text(encoding="utf-8") != text:
            (repo / LAUNCHER).write_text(text, encoding="utf-8")
            commit(repo, [LAUNCHER], f"Launcher: {LAUNCHER} calls {spec['entry']['function']}",
                   "The workflow's own file: one flag per parameter of the function; the official files are unchanged.")
    if entry != spec["entry"]:
        (repo / LAUNCH).write_text(_launch_text(spec["entry"], values), encoding="utf-8")
        commit(repo, [LAUNCH], f"Launch: entry point {spec['entry']['script']}", spec["entry"]["how"])
    wanted = {item["name"]: item for item in spec["sets"]}
    for name in [n for n in values if n not in wanted]:
        old = values.pop(name)
        (repo / LAUNCH).write_text(_launch_text(spec["entry"], values), encoding="utf-8")
        commit(repo, [LAUNCH], f"Unset {name} (was {old.get('value')!r})",
               "The ledger no longer gives it a stated value; the official code's own default applies.")
    for name, item in wanted.items():
        if values.get(name) == _value(item):
            continue
        values[name] = _value(item)
        (repo / LAUNCH).write_text(_launch_text(spec["entry"], values), encoding="utf-8")
        default = f" (upstream default {item['upstream_default']!r})" if item.get("upstream_default") is not None \
            else ""
        commit(repo, [LAUNCH], f"Set {name} = {item['value']!r} {item['provenance']}",
               f"Carried by the {_route(item)}{default}.")
    copy = config_copy(spec, repo)
    if copy and (not (repo / copy[0]).is_file() or (repo / copy[0]).read_text(encoding="utf-8") != copy[1]):
        (repo / copy[0]).parent.mkdir(parents=True, exist_ok=True)
        (repo / copy[0]).write_text(copy[1], encoding="utf-8")
        commit(repo, [copy[0]], f"Config copy: {copy[0]} with the launch's keys set",
               "The launch passes this copy through the entry point's config flag; the upstream's own file is unchanged.")
    notes = _notes(spec, upstream, user_commits(repo))
    if not (repo / NOTES).is_file() or (repo / NOTES).read_text(encoding="utf-8") != notes:
        (repo / NOTES).write_text(notes, encoding="utf-8")
        commit(repo, [NOTES], "Notes: the values that need a code change",
               f"{len(spec['needs_code_change'])} ledger value(s) the upstream exposes no way to set.")


def build_upstream_repo(upstream_dir: str | Path, upstream: dict[str, Any], spec: dict[str, Any] | None,
                        out_dir: str | Path) -> list[str]:
    """Create ``out_dir`` as described above (built aside, moved into place when complete); the commit
    subjects, oldest first. Without a ``spec``, only the official tree's own commit: code/ made ready for a
    wrapper script of yours before the launch can name it."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise UserError(f"{out_dir} already exists; move it aside to rebuild the upstream route's code/.")
    require_code(upstream)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    repo = staging / "code"
    try:
        shutil.copytree(upstream_dir, repo, symlinks=True, ignore=shutil.ignore_patterns(".git", ".snakemake_timestamp"))
        run_git(repo, "init", "-q", "-b", "main")
        files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
        if files:
            commit(repo, files, _first_subject(upstream),
                   f"The official code as stage 2 brought it (tree sha256 {upstream.get('tree_sha256', '')[:16]}).")
        if spec is not None:
            _apply(repo, spec, upstream)
        atomic.replace_dir(repo, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run_git(out_dir, "log", "--reverse", "--format=%s").splitlines()


def version_of(upstream: dict[str, Any]) -> str:
    """The official code's version as stage 2 recorded it: a commit (with its local edits said), else a folder's
    or package's content digest."""
    if upstream.get("commit"):
        return str(upstream["commit"])[:12] + (" with uncommitted edits" if upstream.get("dirty") else "")
    if upstream.get("kind") == "package":
        return f"{upstream.get('name')} {upstream.get('version')}"
    return f"tree {str(upstream.get('tree_sha256', ''))[:12] or 'unknown'}"


def _first_subject(upstream: dict[str, Any]) -> str:
    origin = upstream.get("url") or upstream.get("source") or upstream.get("path") or "the official code"
    return f"Upstream {origin} at {version_of(upstream)}, unmodified"


def update_upstream_repo(upstream_dir: str | Path, upstream: dict[str, Any], spec: dict[str, Any],
                         out_dir: str | Path) -> list[str]:
    """Build ``out_dir``, or bring an existing one to ``spec`` with commits on top (the user's commits kept); an
    existing one made from another upstream commit, or by the harness route, is refused."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        return build_upstream_repo(upstream_dir, upstream, spec, out_dir)
    first = run_git(out_dir, "log", "--reverse", "--format=%s", check=False).splitlines()[:1] \
        if (out_dir / ".git").exists() else []
    if first != [_first_subject(upstream)]:
        held = re.search(r" at (.+?), unmodified$", first[0]) if first else None
        raise UserError(f"{out_dir} was built from the official code at {held.group(1) if held else 'an unknown version'}"
                        f"{'' if held else ' (or by the harness route)'}, but stage 2 now brought "
                        f"{version_of(upstream)}; move {out_dir} aside to rebuild it (your commits "
                        "stay in the moved copy).")
    _apply(out_dir, spec, upstream)
    return run_git(out_dir, "log", "--reverse", "--format=%s").splitlines()
