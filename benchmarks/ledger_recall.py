"""Benchmark: stage 1 + 3 on the shared papers that have truth.json; recall and precision of the values
the ledger tags [paper ...], and the traps (values the paper does NOT state) it fell into.

    python benchmarks/ledger_recall.py [--corpus ../shared/papers] [--show-misses]

Recall: truth hyperparameters with stated_in_paper=true whose value (its first number, or its leading
word when it has none) the ledger holds in the same section. Precision: ledger [paper] entries whose value
appears in a truth value of the same section. Traps: ledger [paper] entries matching a stated_in_paper=false
truth entry's value and section. Goals: recall >= 90%, precision >= 85%, zero traps.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.gaps.statements import extract_statements, parse_value  # noqa: E402
from reprokit.paper.extract import parse_any  # noqa: E402


def section_key(text: str) -> str:
    match = re.match(r"\s*(?:Appendix\s+)?([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\b", text or "")
    return match.group(1) if match else ""


def entry_section(paper: dict, entry: dict) -> str:
    by_id = {s["id"]: s for s in paper["sections"]}
    section = by_id.get(entry["section"])
    while section is not None and not section["number"]:
        section = by_id.get(section.get("parent") or "")
    return section["number"] if section else ""


def truth_values(value: str) -> tuple[list[float], str]:
    """The principal value of a truth entry: a leading name ("LeNet / CNN", "SGD, 0.9") or its numbers; a
    leading symbol assignment ("K = 30") is the symbol's name, not a value."""
    value = re.sub(r"^\s*[A-Za-z]\w{0,2}\s*=\s*(?=[-\d.])", "", value)
    numbers = [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.-])\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?", value)]
    word = re.match(r"\s*([A-Za-z][\w-]*)", value)
    if word and (re.search(r"[A-Z]", word.group(1)) or not numbers):
        return [], word.group(1).lower()
    return numbers, ""


def all_numbers(value: str) -> list[float]:
    numbers = [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.-])\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?", value)]
    return numbers + [float(x) for x in parse_value(value) if isinstance(x, float)]


def values_of(entry: dict) -> list:
    values = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
    return values


def same_section(truth_section: str, ours: str) -> bool:
    return bool(truth_section) and (ours == truth_section or ours.startswith(truth_section + ".")
                                    or truth_section.startswith(ours + ".") and len(ours) > 0)


def matches(truth: dict, entry: dict, ours_section: str) -> bool:
    if not same_section(section_key(truth["evidence"].get("section", "")), ours_section):
        return False
    numbers, word = truth_values(str(truth["value"]))
    values = values_of(entry)
    if numbers:
        first = numbers[0]
        return any(isinstance(v, float) and math.isclose(v, first, rel_tol=1e-6, abs_tol=1e-12) for v in values)
    return any(isinstance(v, str) and word and v.lower().startswith(word[:4]) for v in values)


def correct(entry: dict, ours_section: str, truths: list[dict]) -> bool:
    for truth in truths:
        if not same_section(section_key(truth["evidence"].get("section", "")), ours_section):
            continue
        numbers = all_numbers(str(truth["value"]))
        text = str(truth["value"]).lower()
        for v in values_of(entry):
            if isinstance(v, float) and any(math.isclose(v, n, rel_tol=1e-6, abs_tol=1e-12) for n in numbers):
                return True
            if isinstance(v, str) and len(v) >= 3 and v.lower() in text:
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "papers"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise SystemExit(f"error: corpus folder {corpus} does not exist; pass --corpus <folder with papers>.")
    totals = {"stated": 0, "found": 0, "entries": 0, "correct": 0, "traps": 0}
    for truth_path in sorted(corpus.glob("*/truth.json")):
        source = next((truth_path.parent / n for n in ("paper.html", "paper.md") if (truth_path.parent / n).is_file()),
                      None)
        if source is None:
            continue
        truth = json.loads(truth_path.read_text())["hyperparameters"]
        paper = parse_any(source)  # LaTeXML HTML, else the MinerU Markdown
        entries = extract_statements(paper)
        sections = [entry_section(paper, e) for e in entries]
        stated = [t for t in truth if t["stated_in_paper"]]
        traps = [t for t in truth if not t["stated_in_paper"]]
        found = [t for t in stated if any(matches(t, e, s) for e, s in zip(entries, sections))]
        good = [e for e, s in zip(entries, sections) if correct(e, s, stated)]
        hit_traps = [t for t in traps if any(matches(t, e, s) for e, s in zip(entries, sections))]
        print(f"{truth_path.parent.name:<28} recall {len(found)}/{len(stated)} = {len(found) / max(1, len(stated)):.0%}  "
              f"precision {len(good)}/{len(entries)} = {len(good) / max(1, len(entries)):.0%}  traps {len(hit_traps)}")
        if args.show_misses:
            for t in stated:
                if t not in found:
                    print(f"    MISS {t['name']} = {t['value']!r} [{t['evidence'].get('section', '')[:40]}] "
                          f"{t['evidence'].get('sentence', '')[:110]!r}")
            for e, s in zip(entries, sections):
                if not correct(e, s, stated):
                    print(f"    EXTRA §{s} {e['name']!r} = {e['value']!r} ({e['pattern']}) {e['quote'][:90]!r}")
        totals["stated"] += len(stated)
        totals["found"] += len(found)
        totals["entries"] += len(entries)
        totals["correct"] += len(good)
        totals["traps"] += len(hit_traps)
    recall = totals["found"] / max(1, totals["stated"])
    precision = totals["correct"] / max(1, totals["entries"])
    print(f"{'all':<28} recall {recall:.1%} (goal 90%)  precision {precision:.1%} (goal 85%)  traps {totals['traps']} (goal 0)")


if __name__ == "__main__":
    main()
