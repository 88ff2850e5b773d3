"""Benchmark: stages 2 and 3 on real official repositories, against hand-checked tables.

    python benchmarks/stage2_real.py [--cache DIR] [--shared ../shared] [--show]

The repositories are never copied into the project: each is a folder ``owner+name`` (a git checkout) in a
local cache outside it (``--cache``, else $REPROKIT_REAL_REPOS, else ~/.cache/reprokit/repos), or a snapshot in
``../shared/repos/owner+name.tar.gz``. A repository absent from both is skipped with a line saying so.

Each hand-checked table, ``benchmarks/stage2_real/<owner+name>.json``, was written by reading the repository and
its paper by hand (not from this tool's output): the paper, the entry points, the vendored or third-party folders,
for each inventory component the files that are right answers for the paper's own method (or that it is absent),
and for the core run knobs the value and ``file:line`` where the code sets it for the paper's main experiments.
A table whose paper is null (ajyl/dpo_toxic: its paper, mechanistic-understanding, is one of the corpus's held-out
papers, which no rule or table here may be written from) was written from the repository alone, and stages 2 and 3
run on it with a stand-in paper that has no text: every run value then comes from the code.

For each repository it runs stage 1 on the paper, stage 2 (acquire + inventory) on the repository and stage 3
(the ledger, with the bundled example's task where the table names one), then prints:
  components right   a component is right when the table says it is absent and the inventory finds none, or
                     the inventory's first place is in one of the table's files
  vendored settings  code settings a run may take (reached, not set aside) that lie in a vendored folder
  [code:] tags       the ledger's values tagged [code: file:line] (what a run takes from the code): right
                     when the table sets that knob in code at that file and line
  code values found  the table's run values that the code sets (with a file and line) and the paper does not
                     state: those the ledger takes from the code at that place; one it guesses or takes from a
                     framework default instead is missed (a knob the paper states is the paper's, and not counted)
  notebook places    code settings in notebooks whose place (path.ipynb#cell N:line M) opens: cell N exists
                     and has at least M lines
--show prints each wrong component and tag, and each code value missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.code.inventory import inventory  # noqa: E402
from reprokit.code.source import acquire  # noqa: E402
from reprokit.gaps.ledger import fill_gaps  # noqa: E402
from reprokit.paper import extract  # noqa: E402
from reprokit.paper.fetch import fetch_paper  # noqa: E402

TABLES = ROOT / "benchmarks" / "stage2_real"


def locate(name: str, cache: Path, shared: Path, scratch: Path) -> Path | None:
    """The repository's folder: the cache's checkout, else the shared snapshot extracted under ``scratch``."""
    if (cache / name).is_dir():
        return cache / name
    tarball = shared / "repos" / f"{name}.tar.gz"
    if tarball.is_file():
        with tarfile.open(tarball) as archive:
            archive.extractall(scratch / "repos", filter="data")
            return scratch / "repos" / archive.getnames()[0].split("/")[0]
    return None


HELD_OUT = "# The paper of this repository (held out: not read)\n\n## 1 Introduction\n\nNo text of the paper.\n"


def paper_source(table: dict, shared: Path, scratch: Path) -> Path:
    """The paper's file: a bundled example's, the corpus paper's, or, where the table's paper is null (a held-out
    paper, which nothing here may read), a stand-in with no text, so stages 2 and 3 read the repository alone."""
    source = table["paper"]
    if source is None:
        scratch.mkdir(parents=True, exist_ok=True)
        (scratch / "held_out.md").write_text(HELD_OUT)
        return scratch / "held_out.md"
    if source.startswith("examples/"):
        return ROOT / source
    folder = shared / "papers" / source
    return folder / "paper.html" if (folder / "paper.html").is_file() else folder / "paper.md"


def _file(where: str) -> str:
    return re.split(r"[:#]", where)[0]


def components_right(table: dict, inv: dict) -> tuple[int, list[str]]:
    right, wrong = 0, []
    for component in inv["components"]:
        truth = table["components"].get(component["key"])
        if truth is None:
            continue
        if truth.get("absent"):
            ok = not component["present"]
        else:
            ok = bool(component["paths"]) and _file(component["paths"][0]) in truth["files"]
        right += ok
        if not ok:
            wrong.append(f"{component['key']}: {component['paths'][:1] or 'none'} (right: "
                         f"{'absent' if truth.get('absent') else ', '.join(truth['files'][:3])})")
    return right, wrong


def vendored_settings(table: dict, hparams: list[dict]) -> int:
    folders = [v.rstrip("/") + "/" for v in table.get("vendored", [])]
    return sum(1 for h in hparams if h.get("reached", True) is not False and any(h["path"].startswith(f) for f in folders))


def code_tags(table: dict, ledger: dict) -> tuple[int, int, list[str]]:
    """The ledger's values tagged [code: file:line] (what the run takes from the code): right when the table sets
    that knob in code at that place."""
    truth = table["run_values"]
    right, total, wrong = 0, 0, []
    for entry in ledger["entries"]:
        if entry.get("tag") != "code":
            continue
        total += 1
        want = truth.get(entry["name"], {})
        if "where" in want and entry.get("tag_text") == f"[code: {want['where']}]":
            right += 1
        else:
            wrong.append(f"{entry['name']}: {entry.get('tag_text')} = {entry.get('value')!r} (right: "
                         + (f"[code: {want['where']}] = {want.get('value')!r})" if "where" in want
                            else "not set in code for the paper's experiments)"))
    return right, total, wrong


def code_values_found(table: dict, ledger: dict) -> tuple[int, int, list[str]]:
    """Of the table's run values set in code at a place, those the ledger takes from there (the ones the paper
    states, which the ledger rightly takes from the paper, left out)."""
    by_name = {e["name"]: e for e in ledger["entries"]}
    found, total, missed = 0, 0, []
    for name, want in table["run_values"].items():
        entry = by_name.get(name)
        if "where" not in want or entry is None or entry.get("tag") in ("paper", "user config"):
            continue
        total += 1
        if entry.get("tag_text") == f"[code: {want['where']}]":
            found += 1
        else:
            missed.append(f"{name}: {entry.get('tag_text')} = {entry.get('value')!r} (in code: [code: {want['where']}] "
                          f"= {want.get('value')!r})")
    return found, total, missed


def notebook_places(repo: Path, hparams: list[dict]) -> tuple[int, int]:
    opened, total = 0, 0
    for h in hparams:
        if ".ipynb" not in h.get("where", ""):
            continue
        total += 1
        match = re.fullmatch(r"(?P<path>.+\.ipynb)#cell (?P<cell>\d+):line (?P<line>\d+)", h["where"])
        if not match:
            continue
        try:
            cells = json.loads((repo / match.group("path")).read_text(encoding="utf-8"))["cells"]
            source = cells[int(match.group("cell")) - 1]["source"]
        except (OSError, ValueError, KeyError, IndexError):
            continue
        lines = "".join(source).splitlines() if isinstance(source, list) else source.splitlines()
        opened += int(match.group("line")) <= len(lines)
    return opened, total


def measure(table: dict, repo: Path, shared: Path, work: Path) -> dict:
    ws = work / table["repo"]
    fetch_paper(str(paper_source(table, shared, ws)), ws / "source")
    extract(ws / "source", ws / "paper.md", ws / "paper.json")
    acquire(str(repo), ws / "upstream", ws / "upstream.json")
    inventory(ws / "upstream", ws / "upstream.json", ws / "paper.json", None, ws / "inventory.md", ws / "inventory.json",
              ws / "code_hparams.json")
    task = table.get("task")
    knobs, loss = (), None
    if task:
        from reprokit.task import load_task

        loaded = load_task(str(ROOT / task))
        knobs, loss = loaded.knobs, loaded.loss_name
    fill_gaps(str(ws / "paper.json"), str(ws / "code_hparams.json"), {}, 0.3, False, str(ws / "gaps_filled.md"),
              str(ws / "gaps.json"), task=str(ROOT / task) if task else None, task_knobs=knobs, task_loss=loss)
    inv = json.loads((ws / "inventory.json").read_text())
    hparams = json.loads((ws / "code_hparams.json").read_text())["hparams"]
    ledger = json.loads((ws / "gaps.json").read_text())
    right, wrong_components = components_right(table, inv)
    tags_right, tags_total, wrong_tags = code_tags(table, ledger)
    opened, notebooks = notebook_places(ws / "upstream", hparams)
    values_found, values_total, missed = code_values_found(table, ledger)
    return {"components": (right, len(table["components"])), "wrong_components": wrong_components,
            "vendored": vendored_settings(table, hparams), "tags": (tags_right, tags_total), "wrong_tags": wrong_tags,
            "notebooks": (opened, notebooks), "values": (values_found, values_total), "missed_values": missed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "REPROKIT_REAL_REPOS", Path.home() / ".cache" / "reprokit" / "repos")))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    tables = sorted(TABLES.glob("*.json"))
    totals = {"components": [0, 0], "vendored": 0, "tags": [0, 0], "notebooks": [0, 0], "values": [0, 0]}
    with tempfile.TemporaryDirectory() as scratch:
        for path in tables:
            table = json.loads(path.read_text())
            repo = locate(table["repo"], args.cache, args.shared, Path(scratch))
            if repo is None:
                print(f"{table['repo']:<28} skipped: not in {args.cache} nor {args.shared / 'repos'}")
                continue
            started = time.perf_counter()
            result = measure(table, repo, args.shared, Path(scratch) / "work")
            (c, cn), (t, tn), (o, on) = result["components"], result["tags"], result["notebooks"]
            v, vn = result["values"]
            print(f"{table['repo']:<28} components {c}/{cn}  vendored settings {result['vendored']}  "
                  f"[code:] tags right {t}/{tn}  code values found {v}/{vn}  notebook places {o}/{on}  "
                  f"({time.perf_counter() - started:.1f} s)")
            if args.show:
                for line in result["wrong_components"] + result["wrong_tags"]:
                    print(f"    WRONG {line}")
                for line in result["missed_values"]:
                    print(f"    MISSED {line}")
            for key, value in (("components", (c, cn)), ("tags", (t, tn)), ("notebooks", (o, on)), ("values", (v, vn))):
                totals[key][0] += value[0]
                totals[key][1] += value[1]
            totals["vendored"] += result["vendored"]
            shutil.rmtree(Path(scratch) / "work" / table["repo"], ignore_errors=True)
    (c, cn), (t, tn), (o, on), (v, vn) = totals["components"], totals["tags"], totals["notebooks"], totals["values"]
    print(f"{'all':<28} components {c}/{cn}  vendored settings {totals['vendored']}  [code:] tags right {t}/{tn}  "
          f"code values found {v}/{vn}  notebook places {o}/{on}")


if __name__ == "__main__":
    main()
