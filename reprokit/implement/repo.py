"""Stage 4: the implementation repository ``code/``: a real git repository a researcher can run and edit.

The first commit holds the task module (copied in as ``task.py``), ``configs/repro-default.yaml`` with every
value the paper states, the entry point ``train.py`` (it runs with reprokit installed) and a README with the
command. Each later commit fills one gap (a value from code, a convention, a framework default, a guess or the
user's config), its message citing the provenance; at the end the YAML matches the ledger 1:1.

When the ledger changes later, only the changed values are committed on top of the existing history; the
user's own commits and edits are kept. A value the user changed that the ledger now changes differently, or an
uncommitted edit in a file reprokit must write, stops the rule with one sentence naming the file and value.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.gaps.ledger import nested_config
from reprokit.harness.config import flatten
from reprokit.implement.git import AUTHOR
from reprokit.implement.git import commit as _commit
from reprokit.implement.git import run_git as _git
from reprokit.task.contract import Task, load_task

CONFIG = "configs/repro-default.yaml"

TRAIN_PY = '''"""Train one model of this reproduction, or run one smoke tier of it. Written by reprokit stage 4.

    python train.py --config configs/repro-default.yaml --model <model> --seed 0 \\\\
        --data ../data/dataset.npz --run-dir ../runs/<model>-seed0 [--smoke-tier 1]

The models, data, loss and metrics are the task's (task.py, beside this file); the training loop is
reprokit's harness (reprokit.harness). Every value comes from the config file, which mirrors the ledger in
../gaps_filled.md entry by entry.
"""

from pathlib import Path

from reprokit.harness.entry import main

if __name__ == "__main__":
    main(task=str(Path(__file__).resolve().with_name("task.py")))
'''

README = """# Reproduction code for: {title}

Written by reprokit from the ledger (`../gaps_filled.md`). `git log` shows the config first, then one commit
per filled gap, each citing where its value came from. Your own commits and edits here are kept when the ledger
changes; only the values the ledger changes are committed on top.

- `task.py`: the task ({task}): models {models}, loss `{loss}`, metrics {metrics}.
- `configs/repro-default.yaml`: every hyperparameter, 1:1 with the ledger.
- Run (with reprokit installed or on `PYTHONPATH`):

      python train.py --config configs/repro-default.yaml --model <{model_list}> --seed 0 \\
          --data ../data/dataset.npz --run-dir ../runs/<model>-seed0

  Add `--smoke-tier 1` (forward pass), `2` (one step) or `3` (20 iterations) to run one rung of the smoke ladder.
"""

def _set(config: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = config
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _unset(config: dict[str, Any], dotted: str) -> None:
    *parents, leaf = dotted.split(".")
    node = config
    for part in parents:
        node = node.get(part, {})
    node.pop(leaf, None)


def _config_text(config: dict[str, Any]) -> str:
    header = "# Every value a run needs; written from the ledger (../gaps_filled.md), one key per entry.\n"
    return header + yaml.safe_dump(config, sort_keys=False)


def _write_config(repo: Path, config: dict[str, Any]) -> None:
    path = repo / CONFIG
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_config_text(config), encoding="utf-8")


def _task_source(task: Task) -> str:
    if task.path is None or not task.path.is_file():
        raise UserError(f"task {task.spec} has no source file to copy into code/; give `task` as a .py file.")
    return task.path.read_text(encoding="utf-8")


def _entry_body(entry: dict[str, Any]) -> str:
    body = entry["quote"]
    if entry["conflicts"]:
        body += "\nConflicts: " + "; ".join(f"{c['value']!r} {c['tag']}" for c in entry["conflicts"])
    return body


def build_repo(ledger: dict[str, Any], task: Task, title: str, out_dir: str | Path) -> None:
    """Create the implementation repository at ``out_dir`` (built aside, moved into place when complete)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        repo = staging / "repo"
        repo.mkdir()
        _git(repo, "init", "-q", "-b", "main")
        _ignore_bytecode(repo)
        stated = [e for e in ledger["entries"] if e["tag"] == "paper"]
        filled = [e for e in ledger["entries"] if e["tag"] != "paper"]
        config: dict[str, Any] = {}
        for entry in stated:
            _set(config, entry["name"], entry["value"])
        _write_config(repo, config)
        (repo / "task.py").write_text(_task_source(task), encoding="utf-8")
        (repo / "train.py").write_text(TRAIN_PY, encoding="utf-8")
        described = task.describe()
        (repo / "README.md").write_text(README.format(
            title=title, task=task.spec, models=", ".join(f"`{m}`" for m in described["models"]),
            loss=described["loss"], metrics=", ".join(f"`{m['name']}` ({m['unit']}, {m['direction']} is better)"
                                                      for m in described["metrics"]),
            model_list="|".join(described["models"])), encoding="utf-8")
        _git(repo, "add", "-A")
        stated_count = f"{len(stated)} value{'s' if len(stated) != 1 else ''}"
        _git(repo, "commit", "-q", "-m", f"Config first: the task, the entry point and the {stated_count} the "
             "paper states", "-m", "\n".join([f"task: {task.spec}"]
                                             + [f"{e['name']} = {e['value']!r} {e['tag_text']}" for e in stated]))
        for entry in filled:
            _set(config, entry["name"], entry["value"])
            _write_config(repo, config)
            _commit(repo, [CONFIG], f"Fill {entry['name']} = {entry['value']!r} {entry['tag_text']}", _entry_body(entry))
        if config != nested_config(ledger):
            raise AssertionError("configs/repro-default.yaml does not match the ledger")
        _record_ledger(repo, ledger)
        atomic.replace_dir(repo, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _last_written(repo: Path, path: str) -> str | None:
    """The content of ``path`` as reprokit last committed it (None when reprokit never did)."""
    commit = _git(repo, "log", "-1", "--format=%H", f"--author={AUTHOR}", "--", path)
    if not commit:
        return None
    return _git(repo, "show", f"{commit}:{path}", check=False) or None


def _ledger_state(repo: Path) -> Path:
    """Where the ledger's config as last applied is kept: inside .git, so it is never part of the tree."""
    return repo / ".git" / "reprokit-ledger.json"


def _record_ledger(repo: Path, ledger: dict[str, Any]) -> None:
    atomic.write_json(_ledger_state(repo), flatten(nested_config(ledger)))


def _ignore_bytecode(repo: Path) -> None:
    """Running train.py leaves __pycache__/ beside task.py: ignored by this clone (.git/info/exclude, never a
    committed file), so `git status` in code/ shows only what a person changed."""
    exclude = repo / ".git" / "info" / "exclude"
    text = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
    if "__pycache__/" not in text.split():
        exclude.parent.mkdir(parents=True, exist_ok=True)
        exclude.write_text(text + ("" if not text or text.endswith("\n") else "\n") + "__pycache__/\n*.pyc\n",
                           encoding="utf-8")


def _dirty(repo: Path, path: str) -> bool:
    return bool(_git(repo, "status", "--porcelain", "--", path))


def update_repo(ledger: dict[str, Any], task: Task, repo: str | Path) -> list[dict[str, Any]]:
    """Commit only what the ledger (or the task) changed on top of the existing history; keep user edits."""
    repo = Path(repo)
    _ignore_bytecode(repo)
    changes: list[dict[str, Any]] = []
    source = _task_source(task)
    base_task = _last_written(repo, "task.py")
    current_task = (repo / "task.py").read_text(encoding="utf-8") if (repo / "task.py").is_file() else None
    if base_task is not None and source.strip() != base_task.strip():
        if _dirty(repo, "task.py") or (current_task is not None and current_task.strip() not in
                                       (base_task.strip(), source.strip())):
            raise UserError(f"{repo / 'task.py'} was edited here and the task {task.spec} changed too; merge the two by "
                            f"hand (copy your edits into {task.spec}, or commit the task's change into code/), then rerun.")
        (repo / "task.py").write_text(source, encoding="utf-8")
        _commit(repo, ["task.py"], f"Update task.py from {task.spec}", "The task file changed.")
        changes.append({"name": "task.py", "change": "updated"})
    if not (repo / "train.py").is_file():
        (repo / "train.py").write_text(TRAIN_PY, encoding="utf-8")
        _commit(repo, ["train.py"], "Restore the entry point train.py", "train.py was missing.")
        changes.append({"name": "train.py", "change": "restored"})
    if _ledger_state(repo).is_file():
        base = atomic.read_json(_ledger_state(repo), "the ledger state of code/")
    else:  # a repository from an older reprokit: what reprokit last committed
        base_text = _last_written(repo, CONFIG)
        base = flatten(yaml.safe_load(base_text) or {}) if base_text else {}
    path = repo / CONFIG
    try:
        current_tree = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except yaml.YAMLError:
        raise UserError(f"{path} is not valid YAML (edited by hand?); fix it or restore it with "
                        f"`git -C {repo} checkout {CONFIG}`, then rerun.") from None
    current_tree = current_tree if isinstance(current_tree, dict) else {}
    current = flatten(current_tree)
    target = flatten(nested_config(ledger))
    by_name = {e["name"]: e for e in ledger["entries"]}
    changed = [k for k in [*target, *(k for k in base if k not in target)] if target.get(k, ...) != base.get(k, ...)]
    if changed and _dirty(repo, CONFIG):
        raise UserError(f"{path} has uncommitted edits and the ledger changes {changed[0]}; commit or discard your "
                        f"edits (git -C {repo} status), then rerun.")
    actions = []
    for key in changed:  # every conflict is found before anything is committed
        mine, theirs, new = current.get(key, ...), base.get(key, ...), target.get(key, ...)
        if mine != theirs and mine != new:
            raise UserError(f"{path} sets {key} = {mine!r} (your edit) but the ledger now gives "
                            f"{'no value' if new is ... else repr(new)}; keep one: revert your edit, or pin it with "
                            f"`overrides: {{{key}: {mine!r}}}` in config/config.yaml, then rerun.")
        if mine != new:
            actions.append((key, theirs, new))
    for key, theirs, new in actions:
        if new is ...:
            _unset(current_tree, key)
            subject, body = f"Remove {key} (no longer in the ledger)", f"was {theirs!r}"
        else:
            _set(current_tree, key, new)
            entry = by_name[key] if key in by_name else {"tag_text": "", "quote": "", "conflicts": []}
            subject = f"Update {key} = {new!r} {entry['tag_text']}".rstrip()
            body = f"was {theirs!r}\n" + _entry_body(entry) if theirs is not ... else _entry_body(entry)
        path.write_text(_config_text(current_tree), encoding="utf-8")
        _commit(repo, [CONFIG], subject, body)
        changes.append({"name": key, "change": "removed" if new is ... else "updated", "value": None if new is ... else new})
    _record_ledger(repo, ledger)
    return changes


def user_edits(ledger: dict[str, Any], repo: Path) -> dict[str, Any]:
    """Config values in code/ that differ from the ledger (the user's own)."""
    path = repo / CONFIG
    current = flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    target = flatten(nested_config(ledger))
    return {k: {"code": current.get(k), "ledger": target.get(k)} for k in sorted(set(current) | set(target))
            if current.get(k, ...) != target.get(k, ...)}


def implement(gaps_json: str, paper_json: str, task_spec: str | None, code_dir: str, out_json: str) -> dict[str, Any]:
    """Stage 4's rule: build ``code/`` (or commit the ledger's changes onto it) and write ``implementation.json``."""
    ledger = atomic.read_json(gaps_json, "ledger")
    paper = atomic.read_json(paper_json, "paper extract")
    task = load_task(task_spec or "")
    repo = Path(code_dir)
    if (repo / ".git").is_dir():
        changes = update_repo(ledger, task, repo)
    elif repo.exists() and any(repo.iterdir()):
        raise UserError(f"{repo} exists but is not a git repository; move it aside so stage 4 can build code/ there.")
    else:
        build_repo(ledger, task, paper.get("title", ""), repo)
        changes = [{"name": "*", "change": "created"}]
    log = _git(repo, "log", "--reverse", "--format=%H%x09%an%x09%s")
    commits = [dict(zip(("hash", "author", "message"), line.split("\t", 2))) for line in log.splitlines()]
    record = {"repository": str(repo), "config": str(repo / CONFIG), "entry": str(repo / "train.py"),
              "task": task.describe(), "head": commits[-1]["hash"], "commits": commits,
              "filled_gaps": sum(c["message"].startswith("Fill ") for c in commits),
              "user_edits": user_edits(ledger, repo)}
    # the record is code/'s state, not what this job did: the same ledger writes the same bytes, so the smoke
    # ladder and the runs (which rerun on its content) are not redone; the job's changes go to its log
    atomic.write_json(out_json, record)
    print(f"stage 4: {len(changes)} change(s) to {repo}: " + (", ".join(f"{c['name']} {c['change']}" for c in changes)
                                                             or "none (the ledger is as code/ has it)"), file=sys.stderr)
    return {**record, "changes": changes}
