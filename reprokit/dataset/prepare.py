"""Stage 5: get the data, check it against the paper's numbers, and say honestly what was used.

Sources (the paper's ``dataset.source`` in the config):
- ``mnist1d``: the official procedural generator, ``mnist1d.data.make_dataset`` (never ``get_dataset``,
  which downloads); its arguments come from ``get_dataset_args`` plus the config's ``args``.
- ``hf:<repo_id>``: a Hugging Face dataset repository holding ``mnist1d.npz``-shaped arrays
  (``x``, ``y``, ``x_test``, ``y_test``), fetched with ``huggingface_hub`` (``HF_ENDPOINT`` is honoured).
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import numpy as np

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.gaps.knobs import BY_NAME
from reprokit.gaps.ledger import paper_candidates


def _paper_counts(paper: dict[str, Any]) -> dict[str, Any]:
    """The split sizes the paper states, read with the ledger's own extractor."""
    out = {}
    for name in ("data.train_size", "data.test_size", "data.num_classes", "data.sequence_length"):
        found = paper_candidates(BY_NAME[name], paper)
        if found:
            out[name.split(".")[1]] = {"value": found[0]["value"], "where": found[0]["where"], "quote": found[0]["quote"]}
    return out


def generate_mnist1d(args: dict[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    from mnist1d.data import get_dataset_args, make_dataset
    from mnist1d.utils import ObjectView

    merged = get_dataset_args(as_dict=True)
    unknown = sorted(set(args) - set(merged))
    if unknown:
        raise UserError(f"dataset arg {unknown[0]!r} is not an mnist1d generator argument; use one of "
                        f"{', '.join(sorted(k for k in merged if k != 'url'))}.")
    merged.update(args)
    data = make_dataset(ObjectView(merged))
    arrays = {k: np.asarray(data[k]) for k in ("x", "y", "x_test", "y_test")}
    merged.pop("url", None)
    return arrays, merged


def download_hf(repo_id: str, filename: str, cache_dir: str | Path) -> tuple[dict[str, np.ndarray], str]:
    """The arrays of ``filename`` in a Hugging Face dataset repo (HF_ENDPOINT honoured), and its commit."""
    import httpx2
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import HfHubHTTPError

    from reprokit.paper.fetch import endpoint

    try:
        path = hf_hub_download(repo_id=repo_id, filename=filename, repo_type="dataset", cache_dir=str(cache_dir),
                               endpoint=endpoint("hf"))
    except (HfHubHTTPError, OSError, ValueError, httpx2.HTTPError) as err:
        raise UserError(f"Hugging Face dataset {repo_id} ({filename}) could not be fetched ({type(err).__name__}); "
                        "check `dataset.hf_repo` or use the generator.") from None
    try:
        with np.load(path) as arrays:
            data = {k: np.asarray(arrays[k]) for k in ("x", "y", "x_test", "y_test")}
    except (KeyError, ValueError, OSError) as err:
        raise UserError(f"{filename} in Hugging Face dataset {repo_id} is not an npz with x, y, x_test and y_test "
                        f"({type(err).__name__}); point `dataset.hf_repo` at one that is.") from None
    commit = Path(path).parent.name
    return data, commit


def _digest(arrays: dict[str, np.ndarray]) -> str:
    digest = hashlib.sha256()
    for key in sorted(arrays):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(arrays[key]).tobytes())
    return digest.hexdigest()


def prepare_dataset(paper_json: str, dataset_cfg: dict[str, Any], out_npz: str, out_md: str, out_json: str,
                    out_substitution: str) -> dict[str, Any]:
    """Stage 5's rule: write ``data/<name>.npz``, ``dataset.md``/``dataset.json`` and ``dataset_substitution.md``."""
    paper = atomic.read_json(paper_json, "paper extract")
    source = str(dataset_cfg.get("source", "")).strip()
    substitution = dataset_cfg.get("substitution")
    attempts: list[dict[str, str]] = []
    hf_repo = dataset_cfg.get("hf_repo")
    arrays = None
    if hf_repo:  # Hugging Face first
        try:
            arrays, commit = download_hf(hf_repo, dataset_cfg.get("filename") or "mnist1d.npz",
                                         Path(out_npz).parent / ".hf-cache")
            origin = {"kind": "huggingface", "repo_id": hf_repo, "commit": commit}
            attempts.append({"route": f"hf:{hf_repo}", "result": "ok"})
        except UserError as err:
            attempts.append({"route": f"hf:{hf_repo}", "result": str(err)})
    if arrays is not None:
        pass
    elif source == "mnist1d":
        arrays, args = generate_mnist1d(dict(dataset_cfg.get("args") or {}))
        origin = {"kind": "generator", "call": "mnist1d.data.make_dataset", "args": args}
        attempts.append({"route": "generator mnist1d", "result": "ok"})
        try:
            from importlib.metadata import version

            origin["version"] = version("mnist1d")
        except Exception:  # noqa: BLE001 (the version is informative only)
            origin["version"] = "unknown"
    elif source.startswith("hf:"):
        repo = source[3:]
        arrays, commit = download_hf(repo, dataset_cfg.get("filename") or "mnist1d.npz", Path(out_npz).parent / ".hf-cache")
        origin = {"kind": "huggingface", "repo_id": repo, "commit": commit}
        attempts.append({"route": source, "result": "ok"})
    else:
        raise UserError(f"dataset source {source!r} is not supported; use `mnist1d` (the generator) or `hf:<repo_id>`.")

    stated = _paper_counts(paper)
    ours = {"train_size": int(len(arrays["y"])), "test_size": int(len(arrays["y_test"])),
            "num_classes": int(len(np.unique(np.concatenate([arrays["y"], arrays["y_test"]])))),
            "sequence_length": int(arrays["x"].shape[-1])}
    checks = []
    for key, value in ours.items():
        paper_value = stated.get(key, {}).get("value")
        checks.append({"what": key, "ours": value, "paper": paper_value, "where": stated.get(key, {}).get("where", ""),
                       "ok": None if paper_value is None else int(paper_value) == value})
    mismatched = [c for c in checks if c["ok"] is False]
    if mismatched and not substitution:
        c = mismatched[0]
        raise UserError(f"the dataset has {c['ours']} for {c['what']} but the paper states {c['paper']} "
                        f"({c['where']}); fix `dataset.args` or record a `dataset.substitution` reason in the config.")
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    atomic.write_bytes(out_npz, buffer.getvalue())
    balance = {int(k): int(v) for k, v in zip(*np.unique(arrays["y"], return_counts=True))}
    record = {"source": source, "origin": origin, "file": str(out_npz), "sha256": _digest(arrays), "counts": ours,
              "checks": checks, "train_class_counts": balance,
              "splits": {"train": "first train_size examples of the generator's shuffled draw",
                         "test": "the remaining examples; used for the paper's test accuracy",
                         "validation": "none (the paper reports test accuracy at a fixed step)"},
              "substitution": substitution or None, "attempts": attempts}
    atomic.write_json(out_json, record)
    atomic.write_text(out_md, render_dataset(record))
    atomic.write_text(out_substitution, render_substitution(record))
    return record


def render_dataset(record: dict[str, Any]) -> str:
    origin = record["origin"]
    if origin["kind"] == "generator":
        src = f"generated in code by `{origin['call']}` (mnist1d {origin['version']}); no download"
    else:
        src = f"Hugging Face dataset `{origin['repo_id']}`"
    lines = ["# Dataset", "", f"- **Source:** {src}", f"- **File:** `{record['file']}` (sha256 `{record['sha256'][:16]}`)"]
    tried = "; ".join(f"{a['route']}: {a['result']}" for a in record.get("attempts", []))
    lines += [f"- **Tried, in order:** {tried or '-'}", ""]
    if origin["kind"] == "generator":
        lines += ["Generator arguments: " + ", ".join(f"`{k}={v!r}`" for k, v in origin["args"].items()), ""]
    lines += ["## Counts checked against the paper", "", "| what | ours | paper | where | check |", "|---|---|---|---|---|"]
    for c in record["checks"]:
        mark = "not stated" if c["ok"] is None else ("matches" if c["ok"] else "MISMATCH")
        paper = c["paper"] if c["paper"] is not None else "-"
        lines.append(f"| {c['what']} | {c['ours']} | {paper} | {c['where'] or '-'} | {mark} |")
    lines += ["", "## Splits used", ""]
    lines += [f"- **{k}:** {v}" for k, v in record["splits"].items()]
    lines += ["", "Training examples per class: " + ", ".join(f"{k}: {v}" for k, v in record["train_class_counts"].items()), ""]
    return "\n".join(lines)


def render_substitution(record: dict[str, Any]) -> str:
    lines = ["# Dataset substitution", ""]
    failed = [a for a in record.get("attempts", []) if a["result"] != "ok"]
    if failed:
        lines += ["Tried first and not used: " + "; ".join(f"{a['route']} ({a['result']})" for a in failed), ""]
    if record["substitution"]:
        lines += [f"**Substituted.** {record['substitution']}", ""]
    elif record["origin"]["kind"] == "generator":
        lines += ["**No substitution.** The paper's data is procedurally generated; this run uses the official "
                  "generator with the arguments listed in dataset.md, and every count the paper states matches.", ""]
    else:
        lines += [f"**No substitution.** The data comes from `{record['source']}` and every count the paper states "
                  "matches.", ""]
    return "\n".join(lines)
