"""Stage 4's upstream route as a job: the launch spec derived from the code and the ledger, ``code/`` built or
brought up to date (the official tree unmodified, then one commit per value), and ``upstream_launch.json`` recording
what will run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.code.inventory import readme_commands
from reprokit.errors import UserError
from reprokit.gaps.knobs import KNOBS
from reprokit.upstream.env import requirements_of
from reprokit.upstream.launch import command, derive_launch
from reprokit.upstream.launcher import is_function_target
from reprokit.upstream.repo import build_upstream_repo, require_code, update_upstream_repo, version_of
from reprokit.upstream.trust import missing_metrics_problem


def readme_scripts(tree: Path) -> list[tuple[str, str]]:
    """(script, README:line) of each training command the official README gives."""
    out = []
    for readme in sorted(tree.glob("README*")):
        text = readme.read_text(encoding="utf-8", errors="replace")
        out += [(script, f"{readme.name}:{line}") for line, script, _ in readme_commands(text)]
    return out


def architecture_disagreements(inventory_json: str | None) -> list[dict[str, str]]:
    """The inventory's named layer sizes that the paper states otherwise ("the paper states width 32, not 16")."""
    if not inventory_json:
        return []
    checks = atomic.read_json(inventory_json, "code inventory").get("architecture_check", [])
    # a notebook's sizes are an exploration's, never a run's: the launch runs a script
    return [c for c in checks if c["code"] != "-" and ", not " in c["status"] and ".ipynb#" not in c["where"]]


def _set_by_launch(check: dict[str, Any], sets: list[dict[str, Any]]) -> bool:
    """A layer size the code defaults otherwise (``Transformer(n_layers=4)``) that the launch sets anyway (its
    ``--n_layers`` flag), for every model or for a model the check is about: the run uses the paper's."""
    name = check["code"].split("=", 1)[0].strip()
    return any(s.get("param") == name and (not s.get("model") or s["model"] in check.get("models", [])) for s in sets)


def already_in_code(spec: dict[str, Any], knobs: list, code_hparams_json: Path) -> None:
    """A value no route reaches but that the code already uses (a constant equal to the paper's, as
    `optim.SGD(..., momentum=0.9)`) needs no change: moved from ``needs_code_change`` to ``already_in_code``."""
    from reprokit.gaps.ledger import code_candidates, same_value

    if not code_hparams_json.is_file():
        return
    hparams = atomic.read_json(str(code_hparams_json), "code hyperparameters").get("hparams", [])
    by_name = {k.name: k for k in knobs}
    keep, already = [], []
    share = next((s for s in spec["sets"] if s["name"] == "data.train_share"), None)
    for item in spec["needs_code_change"]:
        if share and item["name"] in ("data.train_size", "data.test_size") and not item.get("model"):
            already.append({**item, "where": f"the split at the share set by {share.get('flag') or share.get('key')}"})
            continue  # the code splits its pool at the share the launch sets: these sizes follow from it
        knob = by_name.get(item["name"])
        found = [c for c in (code_candidates(knob, hparams) if knob is not None else []) if same_value(c["value"], item["value"])]
        if found and not item.get("model"):
            already.append({**item, "where": found[0]["where"]})
        else:
            keep.append(item)
    spec["needs_code_change"], spec["already_in_code"] = keep, already


def _a_file_of_yours(upstream_dir: str, entry: str) -> bool:
    """An ``entry:`` naming a script (not a module or function) that the official tree does not hold."""
    entry = entry.strip()
    return not entry.startswith("-m ") and not is_function_target(entry) and not (Path(upstream_dir) / entry).is_file()


def implement_upstream(gaps_json: str, upstream_json: str, upstream_dir: str, task: str | None, entry: str | None,
                       tree_dir: str, out_json: str, metrics_given: bool = True, paper_id: str = "",
                       inventory_json: str | None = None, leave: list[str] | tuple[str, ...] = (),
                       objects: dict[str, Any] | None = None,
                       model_objects: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    if not metrics_given:
        raise UserError(f"{missing_metrics_problem(paper_id, bool(task))}.")
    ledger = atomic.read_json(gaps_json, "ledger")
    upstream = atomic.read_json(upstream_json, "code record")
    require_code(upstream)
    knobs = list(KNOBS)
    if task:
        from reprokit.task.contract import load_task

        knobs += list(load_task(task).knobs)
    if entry and not Path(tree_dir).is_dir() and _a_file_of_yours(upstream_dir, entry):
        # a wrapper of yours can only be committed once code/ exists: make it (the official tree, unmodified)
        build_upstream_repo(upstream_dir, upstream, None, tree_dir)
        raise UserError(f"entry {entry!r} is not a file of the official code, so it must be yours: {tree_dir} now "
                        f"holds the official tree; commit your script there as {entry} (docs/upstream.md shows one "
                        "for the MNIST-1D repository) and run again.")
    unknown = [name for name in leave if name not in {k.name for k in knobs}]
    if unknown:
        raise UserError(f"the paper's `leave_to_code` names {unknown[0]!r}, which is no ledger knob; use a name from "
                        "gaps_filled.md (batch.batch_size, optimizer.lr, ...).")
    spec = derive_launch(upstream_dir, ledger, knobs, readme_scripts(Path(upstream_dir)), entry,
                         tree_dir if Path(tree_dir).is_dir() else None, leave, objects, model_objects)
    spec["architecture"] = [c for c in architecture_disagreements(inventory_json) if not _set_by_launch(c, spec["sets"])]
    if inventory_json:
        already_in_code(spec, knobs, Path(inventory_json).with_name("code_hparams.json"))
    commits = update_upstream_repo(upstream_dir, upstream, spec, tree_dir)
    source, requirements = requirements_of(tree_dir)
    record = {**spec, "tree": tree_dir, "command": command(spec), "upstream": upstream, "version": version_of(upstream),
              "commits": commits,
              "requirements": {"file": source, "lines": requirements}}
    atomic.write_json(out_json, record)
    return record
