"""Stage 5: get the data, check it against the paper's numbers, and say honestly what was used.

Sources, in order (the paper's ``dataset`` in the config):
- ``hf_repo``: a Hugging Face dataset repository holding ``filename``, an npz of ``<split>/<array>``
  arrays, fetched with ``huggingface_hub`` (``HF_ENDPOINT`` is honoured); tried first when set.
- ``source: task``: the task's ``make_data(args)`` generator, with the config's ``args``.
- ``source: hf:<repo_id>``: the same Hugging Face file, as the only source.
Every attempt, the split sizes checked against the paper's, and any substitution are recorded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.gaps.knobs import CORE
from reprokit.gaps.ledger import paper_candidates
from reprokit.gaps.statements import extract_statements
from reprokit.harness.data import check_splits, load_splits, save_splits
from reprokit.task.contract import Task, load_task
from reprokit.task.settings import data_args_problem


def _paper_counts(paper: dict[str, Any]) -> dict[str, Any]:
    """The split sizes the paper states, read from the ledger's own statements."""
    out = {}
    statements = extract_statements(paper)
    for name in ("data.train_size", "data.test_size"):
        found = paper_candidates(CORE[name], statements)
        if found:
            out[name.split(".")[1]] = {"value": found[0]["value"], "where": found[0]["where"], "quote": found[0]["quote"]}
    return out


def download_hf(repo_id: str, filename: str, cache_dir: str | Path) -> tuple[dict[str, dict[str, np.ndarray]], str]:
    """The splits in ``filename`` of a Hugging Face dataset repo (HF_ENDPOINT honoured), and its commit."""
    import httpx2
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError

    from reprokit.paper.fetch import endpoint

    try:
        path = hf_hub_download(repo_id=repo_id, filename=filename, repo_type="dataset", cache_dir=str(cache_dir),
                               endpoint=endpoint("hf"))
    except (HfHubHTTPError, OSError, ValueError, httpx2.HTTPError) as err:
        raise UserError(f"Hugging Face dataset {repo_id} ({filename}) could not be fetched ({type(err).__name__}); "
                        "check `dataset.hf_repo` or use the task's generator.") from None
    try:
        splits = load_splits(path)
    except UserError:
        raise UserError(f"{filename} in Hugging Face dataset {repo_id} is not an npz of <split>/<array> arrays; "
                        "point `dataset.hf_repo` at one that is.") from None
    return splits, Path(path).parent.name


def generate(task: Task, args: dict[str, Any]) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, Any]]:
    task_spec = task.spec
    if task.make_data is None:
        raise UserError(f"dataset source is `task` but task {task_spec} defines no make_data(args); add one, or set "
                        "`dataset.hf_repo` to a Hugging Face dataset holding the data.")
    problem = data_args_problem(task, args)
    if problem:
        raise UserError(f"dataset.args: {problem}; fix `dataset.args` in config/config.yaml.")
    try:
        splits = task.make_data(dict(args))
    except UserError:
        raise
    except Exception as err:  # noqa: BLE001 (the user's generator: any failure is one sentence)
        raise UserError(f"the task's make_data failed with the dataset args {args} ({type(err).__name__}: {err}); "
                        "fix `dataset.args` in config/config.yaml (or the task's make_data).") from None
    origin = {"kind": "generator", "call": f"{task_spec}: make_data", "args": dict(args)}
    return check_splits(splits, f"task {task_spec} make_data"), origin


def prepare_dataset(paper_json: str, dataset_cfg: dict[str, Any], out_npz: str, out_md: str, out_json: str,
                    out_substitution: str, task: str | None = None) -> dict[str, Any]:
    """Stage 5's rule: write ``data/dataset.npz``, ``dataset.md``/``dataset.json`` and ``dataset_substitution.md``."""
    paper = atomic.read_json(paper_json, "paper extract")
    source = str(dataset_cfg.get("source", "")).strip()
    substitution = dataset_cfg.get("substitution")
    filename = dataset_cfg.get("filename") or "dataset.npz"
    loaded = load_task(task) if task else None
    attempts: list[dict[str, str]] = []
    hf_repo = dataset_cfg.get("hf_repo")
    splits = None
    cache = Path(out_npz).parent / ".hf-cache"
    if hf_repo:  # Hugging Face first
        try:
            splits, commit = download_hf(hf_repo, filename, cache)
            origin: dict[str, Any] = {"kind": "huggingface", "repo_id": hf_repo, "commit": commit}
            attempts.append({"route": f"hf:{hf_repo}", "result": "ok"})
        except UserError as err:
            attempts.append({"route": f"hf:{hf_repo}", "result": str(err)})
    if splits is not None:
        pass
    elif source == "task":
        splits, origin = generate(loaded or load_task(""), dict(dataset_cfg.get("args") or {}))
        attempts.append({"route": "task generator", "result": "ok"})
    elif source.startswith("hf:") and len(source) > 3:
        splits, commit = download_hf(source[3:], filename, cache)
        origin = {"kind": "huggingface", "repo_id": source[3:], "commit": commit}
        attempts.append({"route": source, "result": "ok"})
    else:
        raise UserError(f"dataset source {source!r} is not supported; use `task` (the task's make_data) or "
                        "`hf:<repo_id>`.")
    stated = _paper_counts(paper)
    train_split, eval_split = (loaded.train_split, loaded.eval_split) if loaded else ("train", "test")
    ours = {"train_size": _length(splits.get(train_split)), "test_size": _length(splits.get(eval_split))}
    checks = []
    for key, value in ours.items():
        paper_value = stated.get(key, {}).get("value")
        checks.append({"what": key, "ours": value, "paper": paper_value, "where": stated.get(key, {}).get("where", ""),
                       "ok": None if paper_value is None or value is None else int(paper_value) == value})
    mismatched = [c for c in checks if c["ok"] is False]
    if mismatched and not substitution:
        c = mismatched[0]
        raise UserError(f"the dataset has {c['ours']} for {c['what']} but the paper states {c['paper']} "
                        f"({c['where']}); fix `dataset.args` or record a `dataset.substitution` reason in the config.")
    digest = save_splits(out_npz, splits)
    record = {"source": source, "origin": origin, "file": str(out_npz), "sha256": digest, "counts": ours,
              "splits": {name: {"examples": _length(arrays), "arrays": {k: list(v.shape) + [str(v.dtype)]
                                                                       for k, v in arrays.items()}}
                         for name, arrays in splits.items()},
              "train_split": train_split, "eval_split": eval_split, "checks": checks,
              "substitution": substitution or None, "attempts": attempts}
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, render_dataset(record))
    atomic.write_text(out_substitution, render_substitution(record))
    return record


def _length(arrays: dict[str, np.ndarray] | None) -> int | None:
    return int(len(next(iter(arrays.values())))) if arrays else None


def render_dataset(record: dict[str, Any]) -> str:
    origin = record["origin"]
    if origin["kind"] == "generator":
        src = f"generated in code by `{origin['call']}`; no download"
    else:
        src = f"Hugging Face dataset `{origin['repo_id']}` (commit `{origin['commit'][:12]}`)"
    lines = ["# Dataset", "", f"- **Source:** {src}", f"- **File:** `{record['file']}` (sha256 `{record['sha256'][:16]}`)"]
    tried = "; ".join(f"{a['route']}: {a['result']}" for a in record.get("attempts", []))
    lines += [f"- **Tried, in order:** {tried or '-'}", ""]
    if origin["kind"] == "generator":
        args = ", ".join(f"`{k}={v!r}`" for k, v in origin["args"].items())
        lines += [f"Generator arguments set in the config: {args or 'none (the generator defaults)'}", ""]
    lines += ["## Counts checked against the paper", "", "| what | ours | paper | where | check |", "|---|---|---|---|---|"]
    for c in record["checks"]:
        mark = "not stated" if c["ok"] is None else ("matches" if c["ok"] else "MISMATCH")
        paper = c["paper"] if c["paper"] is not None else "-"
        lines.append(f"| {c['what']} | {c['ours']} | {paper} | {c['where'] or '-'} | {mark} |")
    lines += ["", "## Splits", "", "| split | examples | arrays (shape, dtype) | role |", "|---|---|---|---|"]
    for name, split in record["splits"].items():
        role = "training" if name == record["train_split"] else ("evaluation (the paper's reported split)"
                                                                  if name == record["eval_split"] else "-")
        arrays = "; ".join(f"{k} {v[:-1]} {v[-1]}" for k, v in split["arrays"].items())
        lines.append(f"| {name} | {split['examples']} | {arrays} | {role} |")
    lines.append("")
    return "\n".join(lines)


def render_substitution(record: dict[str, Any]) -> str:
    lines = ["# Dataset substitution", ""]
    failed = [a for a in record.get("attempts", []) if a["result"] != "ok"]
    if failed:
        lines += ["Tried first and not used: " + "; ".join(f"{a['route']} ({a['result']})" for a in failed), ""]
    if record["substitution"]:
        lines += [f"**Substituted.** {record['substitution']}", ""]
    else:
        origin = ("is generated in code by the task's generator with the arguments listed in dataset.md"
                  if record["origin"]["kind"] == "generator" else f"comes from `{record['source']}`")
        checked = [c["what"] for c in record["checks"] if c["ok"]]
        counts = (f"the split sizes the paper states ({', '.join(checked)}) match" if checked else
                  "the paper states no split size to check it against")
        lines += [f"**No substitution recorded.** The data {origin}; {counts}. If this is not the paper's own data, "
                  "say why in `dataset.substitution` in config/config.yaml.", ""]
    return "\n".join(lines)
