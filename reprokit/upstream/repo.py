"""Stage 4's upstream route: ``code/`` is the official tree, extended, never rewritten.

First commit: the upstream tree as stage 2 brought it (its recorded commit), unmodified. Then the launch file
``reprokit-launch.yaml`` with the entry point, and one commit per ledger value the launch sets, each citing
its provenance and the route that carries it (flag, Hydra override, config key). Values the upstream exposes
no way to set are listed in ``REPRODUCTION.md`` as "needs a code change" with their provenance (the upstream's
own README is left as it is).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.implement.git import commit, run_git

LAUNCH = "reprokit-launch.yaml"
NOTES = "REPRODUCTION.md"


def _launch_text(entry: dict[str, str], values: dict[str, Any]) -> str:
    header = ("# How reprokit starts the official code: its entry point and each ledger value it sets\n"
              "# (written from ../gaps_filled.md; the upstream's own files are never changed).\n")
    return header + yaml.safe_dump({"entry": entry, "values": values}, sort_keys=False)


def _route(item: dict[str, Any]) -> str:
    if item["via"] == "flag":
        return f"flag {item['flag']}"
    if item["via"] == "hydra override":
        return f"Hydra override {item['key']}"
    return f"key {item['key']} of {item['file']} (through {item['config_flag']})"


def _notes(spec: dict[str, Any], upstream: dict[str, Any]) -> str:
    lines = ["# Reproduction notes (reprokit)", "",
             f"This repository is the official code ({upstream.get('url') or upstream.get('source', '')} at "
             f"`{upstream.get('commit', '')}`), unmodified, plus `{LAUNCH}`.", "",
             f"Entry point: `{spec['entry']['script']}` ({spec['entry']['how']}).", "",
             "## Needs a code change", ""]
    if spec["needs_code_change"]:
        lines += ["The upstream exposes no flag, Hydra key or config key for these ledger values; a run of the "
                  "official code does not use them until its code is changed:", "",
                  "| name | value | provenance | why |", "|---|---|---|---|"]
        lines += [f"| {n['name']} | `{n['value']!r}` | {n['provenance']} | {n['why']} |"
                  for n in spec["needs_code_change"]]
    else:
        lines.append("(none: the launch sets every ledger value)")
    return "\n".join(lines) + "\n"


def build_upstream_repo(upstream_dir: str | Path, upstream: dict[str, Any], spec: dict[str, Any],
                        out_dir: str | Path) -> list[str]:
    """Create ``out_dir`` as described above (built aside, moved into place when complete); the commit
    subjects, oldest first."""
    out_dir = Path(out_dir)
    if out_dir.exists():
        raise UserError(f"{out_dir} already exists; move it aside to rebuild the upstream route's code/.")
    if upstream.get("kind") in (None, "none"):
        raise UserError("stage 2 found no official code to run; configure `code:` or use `implementation: harness` "
                        "with a task file.")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    repo = staging / "code"
    try:
        shutil.copytree(upstream_dir, repo, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        run_git(repo, "init", "-q", "-b", "main")
        origin = upstream.get("url") or upstream.get("source", "the official code")
        files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
        if files:
            commit(repo, files, f"Upstream {origin} at {str(upstream.get('commit', '?'))[:12]}, unmodified",
                   f"The official code as stage 2 brought it (tree sha256 {upstream.get('tree_sha256', '')[:16]}).")
        values: dict[str, Any] = {}
        (repo / LAUNCH).write_text(_launch_text(spec["entry"], values), encoding="utf-8")
        commit(repo, [LAUNCH], f"Launch: entry point {spec['entry']['script']}", spec["entry"]["how"])
        for item in spec["sets"]:
            values[item["name"]] = {"value": item["value"], "via": item["via"],
                                    **{k: item[k] for k in ("flag", "key", "file", "config_flag") if k in item},
                                    "provenance": item["provenance"]}
            (repo / LAUNCH).write_text(_launch_text(spec["entry"], values), encoding="utf-8")
            default = f" (upstream default {item['upstream_default']!r})" if item.get("upstream_default") is not None \
                else ""
            commit(repo, [LAUNCH], f"Set {item['name']} = {item['value']!r} {item['provenance']}",
                   f"Carried by the {_route(item)}{default}.")
        (repo / NOTES).write_text(_notes(spec, upstream), encoding="utf-8")
        commit(repo, [NOTES], "Notes: the values that need a code change",
               f"{len(spec['needs_code_change'])} ledger value(s) the upstream exposes no way to set.")
        atomic.replace_dir(repo, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return run_git(out_dir, "log", "--reverse", "--format=%s").splitlines()
