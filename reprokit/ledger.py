"""Stage 3: the hyperparameter ledger. Every value a run needs, exactly one provenance tag each.

Precedence (the stated rule for conflicts): user config > paper (a hyperparameter table over prose)
> code (a training config over a constructor default) > venue convention > framework default > guess.
Every other value found for the same knob is kept as a conflict, never silently dropped.
"""

from __future__ import annotations

import re
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.knobs import BLOCKS, BY_NAME, KNOBS, Knob
from reprokit.paper import section_label
from reprokit.text import sentences

CODE_KIND_RANK = {"config dict": 0, "argparse default": 0, "yaml config": 0, "optimizer argument": 1,
                  "constructor call": 2, "constructor default": 2}
TAG_RANK = {"user config": 0, "paper": 1, "code": 2, "venue convention": 3, "framework default": 4, "guess": 5}
SKIP_SECTIONS = re.compile(r"references|bibliography|acknowledg|related work|introduction", re.IGNORECASE)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def _paper_candidates(knob: Knob, paper: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for section in paper["sections"]:
        if section["kind"] == "front" or SKIP_SECTIONS.search(section["title"]):
            continue
        for paragraph in section["paragraphs"]:
            for sentence in sentences(paragraph):
                if knob.context and not re.search(knob.context, sentence, re.IGNORECASE):
                    continue
                for pattern in knob.prose:
                    for match in re.finditer(pattern, sentence, re.IGNORECASE):
                        value = knob.parse(match.group("v"), sentence)
                        if value is None:
                            continue
                        found.append({"value": value, "raw": match.group(0), "tag": "paper",
                                      "where": section_label(paper, section["id"]), "section": section["id"],
                                      "quote": sentence, "from": "prose"})
    if knob.table:
        for table in paper.get("tables", []):
            if table["kind"] != "hyperparameters":
                continue
            for row in table["rows"][table.get("header_rows", 1):]:
                if len(row) < 2 or not re.search(knob.table, row[0]["text"].strip(), re.IGNORECASE):
                    continue
                raw = row[1]["text"]
                lead = re.match(r"^\s*(\S+)", raw)
                value = knob.parse(raw, raw)
                if value is None and lead:
                    value = knob.parse(lead.group(1), raw)
                if value is None:
                    continue
                found.append({"value": value, "raw": raw, "tag": "paper", "where": f"Table {table['number'] or '?'}",
                              "section": table["section"], "quote": " | ".join(c["text"] for c in row),
                              "from": "table"})
    # one candidate per distinct value, table first (tables summarise the final setting)
    found.sort(key=lambda c: c["from"] != "table")
    distinct: list[dict[str, Any]] = []
    for cand in found:
        if not any(_same(cand["value"], d["value"]) for d in distinct):
            distinct.append(cand)
        else:
            twin = next(d for d in distinct if _same(cand["value"], d["value"]))
            twin.setdefault("also", []).append(cand["where"])
    return distinct


def _code_candidates(knob: Knob, hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not knob.code:
        return []
    name_re, scope_re = knob.code
    found = []
    for h in hparams:
        leaf = str(h["name"]).split(".")[-1]
        if not re.search(name_re, leaf, re.IGNORECASE) or not re.search(scope_re, str(h.get("scope", "")), re.IGNORECASE):
            continue
        value = h["value"]
        if isinstance(value, (list, dict)) or (isinstance(value, str) and knob.parse not in (str,)):
            parsed = knob.parse(str(value), "") if isinstance(value, str) else None
            if parsed is None:
                continue
            value = parsed
        found.append({"value": value, "raw": f"{h['name']}={h['value']!r}", "tag": "code",
                      "where": f"{h['path']}:{h['line']}", "quote": f"{h.get('scope', '')}: {h['name']}={h['value']!r}",
                      "kind": h.get("kind", ""), "commit": h.get("commit", "")})
    found.sort(key=lambda c: CODE_KIND_RANK.get(c["kind"], 3))
    return found


def _derived_candidates(name: str, hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values computed from code, tagged as computed: train/test sizes from a sample count and a split."""
    by = {h["name"]: h for h in hparams}
    if name in ("data.train_size", "data.test_size") and "num_samples" in by and "train_split" in by:
        total, split = by["num_samples"], by["train_split"]
        if isinstance(total["value"], (int, float)) and isinstance(split["value"], (int, float)):
            train = int(total["value"] * split["value"])
            value = train if name == "data.train_size" else int(total["value"]) - train
            return [{"value": value, "raw": f"num_samples={total['value']} x train_split={split['value']}",
                     "tag": "code", "where": f"{total['path']}:{total['line']}", "computed": True,
                     "quote": f"computed from {total['path']}:{total['line']} and {split['path']}:{split['line']}",
                     "kind": "computed"}]
    return []


def _fallbacks(knob: Knob) -> list[dict[str, Any]]:
    out = []
    if knob.convention:
        out.append({"value": knob.convention[0], "tag": "venue convention", "where": "", "quote": knob.convention[1],
                    "raw": ""})
    if knob.framework:
        value, source = knob.framework()
        out.append({"value": value, "tag": "framework default", "where": "", "quote": source, "raw": ""})
    if knob.guess:
        out.append({"value": knob.guess[0], "tag": "guess", "where": "", "quote": knob.guess[1], "raw": ""})
    return out


def format_tag(entry: dict[str, Any]) -> str:
    tag = entry["tag"]
    if tag == "paper":
        return f"[paper {entry['where']}]"
    if tag == "code":
        return f"[code: {entry['where']}]" + (" (computed)" if entry.get("computed") else "")
    if tag == "guess":
        return f"[guess: {entry['quote']}]"
    return f"[{tag}]"


def validate_overrides(overrides: dict[str, Any]) -> None:
    unknown = sorted(set(overrides) - set(BY_NAME) - {"run.seeds"})
    if unknown:
        raise UserError(f"override {unknown[0]!r} in the config is not a ledger entry; use one of: "
                        f"{', '.join(sorted(BY_NAME))}.")


def build_ledger(paper: dict[str, Any], hparams: list[dict[str, Any]], overrides: dict[str, Any],
                 seeds: list[int]) -> dict[str, Any]:
    """All ledger entries, each with exactly one tag, plus conflicts and the share of guesses."""
    overrides = dict(overrides or {})
    validate_overrides(overrides)
    entries = []
    for knob in KNOBS:
        candidates = (_paper_candidates(knob, paper) + _code_candidates(knob, hparams)
                      + _derived_candidates(knob.name, hparams) + _fallbacks(knob))
        if knob.name in overrides:
            candidates.insert(0, {"value": overrides[knob.name], "tag": "user config", "where": "config overrides",
                                  "quote": f"overrides: {knob.name}: {overrides[knob.name]!r}", "raw": ""})
        candidates.sort(key=lambda c: TAG_RANK[c["tag"]])
        if not candidates:
            raise UserError(f"no source gives {knob.name} and it has no default; add `{knob.name}` to the "
                            "paper's `overrides` in the config.")
        chosen = candidates[0]
        evidence = [c for c in candidates[1:] if c["tag"] in ("paper", "code", "user config")]
        conflicts = [{"value": c["value"], "tag": format_tag(c), "quote": c["quote"]} for c in evidence
                     if not _same(c["value"], chosen["value"])]
        entries.append({
            "name": knob.name, "block": knob.block, "model": knob.model, "value": chosen["value"],
            "raw": chosen.get("raw", ""), "tag": chosen["tag"], "tag_text": format_tag(chosen),
            "section": chosen.get("section"), "where": chosen["where"], "quote": chosen["quote"],
            "also_stated_in": chosen.get("also", []), "conflicts": conflicts,
            "agreeing": [format_tag(c) for c in evidence if _same(c["value"], chosen["value"])],
        })
    seed_tag = "user config"
    entries.append({"name": "run.seeds", "block": "run", "model": None, "value": list(seeds), "raw": "",
                    "tag": seed_tag, "tag_text": "[user config]", "section": None, "where": "config seeds",
                    "quote": f"seeds: {list(seeds)}", "also_stated_in": [], "conflicts": [], "agreeing": []})
    guesses = [e for e in entries if e["tag"] == "guess"]
    return {"entries": entries, "guess_share": len(guesses) / len(entries),
            "conflicts": [e["name"] for e in entries if e["conflicts"]]}


def nested_config(ledger: dict[str, Any]) -> dict[str, Any]:
    """The ledger as the nested mapping ``configs/repro-default.yaml`` holds (one key per entry)."""
    out: dict[str, Any] = {}
    for entry in ledger["entries"]:
        node = out
        *parents, leaf = entry["name"].split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = entry["value"]
    return out


def _fmt(value: Any) -> str:
    return f"`{value!r}`" if not isinstance(value, str) else f"`{value}`"


def render_ledger(ledger: dict[str, Any], max_guess_share: float) -> str:
    share = ledger["guess_share"]
    lines = ["# Gaps filled: every value a run needs, with its provenance", "",
             f"**Guessed values: {share:.0%}** of {len(ledger['entries'])} "
             f"(threshold {max_guess_share:.0%}).", ""]
    if share > max_guess_share:
        lines += [f"> More than {max_guess_share:.0%} of the values are guesses: this reproduction will be approximate.", ""]
    lines += ["Tags: `[paper §X]` stated in the paper; `[code: path:line]` found in the official code; "
              "`[user config]` set in config/config.yaml; `[venue convention]`; `[framework default]` read from the "
              "installed library; `[guess: reason]`.", ""]
    for block in BLOCKS:
        chosen = [e for e in ledger["entries"] if e["block"] == block]
        if not chosen:
            continue
        lines += [f"## {block.capitalize()}", "", "| name | value | provenance | evidence |", "|---|---|---|---|"]
        for e in chosen:
            evidence = e["quote"].replace("|", "\\|")
            if len(evidence) > 160:
                evidence = evidence[:157] + "..."
            if e["also_stated_in"]:
                evidence += f" (also {', '.join(e['also_stated_in'])})"
            lines.append(f"| {e['name']} | {_fmt(e['value'])} | {e['tag_text']} | {evidence} |")
        lines.append("")
    lines += ["## Conflicts", ""]
    conflicted = [e for e in ledger["entries"] if e["conflicts"]]
    for e in conflicted:
        others = "; ".join(f"{_fmt(c['value'])} {c['tag']}" for c in e["conflicts"])
        lines.append(f"- **{e['name']}**: took {_fmt(e['value'])} {e['tag_text']}; also found {others}. Rule: user "
                     "config > paper (table over prose) > code (training config over constructor default).")
    if not conflicted:
        lines.append("(none: every source that states a value agrees)")
    lines.append("")
    return "\n".join(lines)


def fill_gaps(paper_json: str, code_hparams_json: str, overrides: dict[str, Any], seeds: list[int],
              max_guess_share: float, enforce_guess_share: bool, out_md: str, out_json: str) -> dict[str, Any]:
    """Stage 3's rule: write ``gaps_filled.md`` and ``gaps.json``."""
    paper = atomic.read_json(paper_json, "paper extract")
    code = atomic.read_json(code_hparams_json, "code hyperparameters")
    ledger = build_ledger(paper, code.get("hparams", []) + code.get("facts", []), overrides, seeds)
    ledger["max_guess_share"] = max_guess_share
    if enforce_guess_share and ledger["guess_share"] > max_guess_share:
        raise UserError(f"{ledger['guess_share']:.0%} of the ledger's values are guesses, above the configured "
                        f"{max_guess_share:.0%}; add overrides for the guessed values or raise `max_guess_share`.")
    atomic.write_json(out_json, ledger)
    atomic.write_text(out_md, render_ledger(ledger, max_guess_share))
    return ledger
