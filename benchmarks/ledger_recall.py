"""Benchmark: stage 3's extraction (stage 1 + 3) on the shared development papers that have truth.json.

    python benchmarks/ledger_recall.py [--corpus ../shared/papers] [--papers lbcs,muse] [--show-misses]
                                       [--rules] [--all-corpus]

Each development paper is parsed with stage 1's parse_any (paper.html, else the MinerU paper.md) and read
with extract_statements (the statements) and build_ledger(paper, [], {}) (the run ledger). Figures:

Statements (per paper, then "older five" = the ICML 2024 papers lbcs, rice, sapg, test-time-model-adaptation,
what-will-my-model-forget, "newer five" = advantage-alignment, eomt, muse, tabdiff, tanh-init, then all ten):
  recall     truth hyperparameters with stated_in_paper=true whose value (its first number, or its leading
             word when it has none) a statement holds in the same section. A bare yes/true truth value
             ("mixed precision = yes") also counts when a statement in the same section names that setting:
             every main word of the truth's name (its parenthesised scope left out) is in the statement's
             name or text value. Goal >= 90%.
  precision  statements a stated truth confirms: the statement's value appears in the truth's value (numbers
             with their sign; names as whole words up to their endings, "flipping" for "flip") and it is in
             the truth's section, or the table the truth's note names ('Also Table 4 "Batch size 512"'); or
             the same setting restated in another section: every main word of the statement's name is in the
             truth's name and the value is the truth's principal value ("batch size 64" under Table 1 for a
             truth "batch_size = 64" of Section 4, "$L_{2}$ = 4" for "L2 (ViT-L) = 4"), or every word is in the
             truth's value next to the number ("examples = 8" for "8 examples every 10 training steps"); or, in
             the truth's section, the setting a bare yes/true truth names (the recall rule above); or, in the truth's
             section, a named value the truth's name holds ("lr schedule = polynomial" for "polynomial learning rate
             decay factor = 0.9"). A truth's numbers include those written with a suffix ("460M"); a statement's
             list restated elsewhere is the truth's list ("1000, 2000, 3000, 4000"). Goal >= 85%.
             (Until 2026-12-05 only the first rule counted, names as substrings; a hand audit of the 145
             statements it left unconfirmed found 7 misread, 93 settings the truth does not list and 45 true
             values that are not settings.)
  traps      stated_in_paper=false truth entries whose value and section a statement matches. Goal 0.
  --show-misses lists the stated truths not found (MISS) and the statements not correct (EXTRA).

  by kind   the same precision per statement kind (setting, sweep, dataset statistic, hardware, ...), informative:
             the truth lists training settings and few dataset statistics or hardware, so those kinds are confirmed less
             often whether or not they are right.

Run knobs (per paper and in total, after the statements; only papers whose truth names a core knob):
  Each truth hyperparameter maps by its name to core ledger knobs (KNOB_NAMES below: learning rate,
  optimizer, betas, momentum, weight decay, batch size, epochs, training steps, lr schedule, warm-up steps,
  gradient clipping); a truth about sampling, inference, evaluation, decoding, baselines, ablations or
  replay is not a run knob. A knob with stated truth values is "right" when the ledger's entry is tagged
  "paper" and its value equals one of them (numbers within 1e-6 relative; names case-insensitively, one's
  words a prefix of the other's: "adamw" = "AdamW", "adam" != "adamw"); every other knob is a failure and is
  printed with the truth values, the ledger's value and its tag text. A knob whose only truth entries are
  stated_in_paper=false ("weight decay: not stated") is a "run trap" when the ledger tags it "paper".
  Printed as "run knobs: N/M right, K run traps" (K counts run traps hit, of the possible ones shown).
  An absent epochs (total_steps) knob is shown with the total_steps (epochs) entry the ledger has instead.
  With --show-misses, also the right knobs and the core knobs tagged "paper" that the truth says nothing of
  (NOT IN TRUTH: unchecked, worth a look). A paper that states several training setups in sibling sections is
  run with one (the ledger's experiment: the section stating most of the training values, as gaps_filled.md says):
  it is shown with FOLLOWS and the knobs whose truth is only another setup's, which are not checked (before
  2026-12-06 the run mixed setups and any setup's value counted: lbcs's 7/7 was two experiments' values).

--rules: for each statement pattern (the entry's "pattern" field), the statements it produced that are
  correct (the precision test) and in which papers, and the wrong ones: a rule that is right in only one
  paper is a candidate for removal.
--papers a,b: measure only those development papers (totals over what is measured).
--all-corpus: afterwards, run parse_any + extract_statements + build_ledger on every paper file of the corpus
  (every paper.html and paper.md, papers without truth included) and print only the time each took (parse,
  statements alone, ledger, total = parse + ledger: stages 1 and 3 as the workflow runs them, the ledger reading
  the statements once; until 2026-12-06 the total also added the separate statements call), flagging any over
  2 s (SLOW) and any exception with its traceback's last line
  (ERROR; one still running after 60 s is stopped and shown as an error). No value of a paper is printed.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import signal
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.gaps.ledger import build_ledger  # noqa: E402
from reprokit.gaps.statements import extract_statements, parse_value  # noqa: E402
from reprokit.paper.extract import parse_any  # noqa: E402

OLDER = ("lbcs", "rice", "sapg", "test-time-model-adaptation", "what-will-my-model-forget")
NEWER = ("advantage-alignment", "eomt", "muse", "tabdiff", "tanh-init")
SLOW_S = 2.0  # --all-corpus flags a paper file whose stage 1 + 3 takes longer
LIMIT_S = 60  # ... and stops one at this many seconds (a regular expression that backtracks without end)

# ---------------------------------------------------------------------------------------------------------
# statements: recall, precision, traps


def section_key(text: str) -> str:
    """"4.1 Experimental Setup > Datasets." -> "4.1"; "Appendix C.2 ..." -> "C.2"; a caption's truth, "Table 1:
    Validation accuracy ...", -> "Table 1" (its statements are cited as [paper Table 1])."""
    table = re.match(r"\s*(Table\s+[A-Z]?\d+)\b", text or "")
    if table:
        return re.sub(r"\s+", " ", table.group(1))
    match = re.match(r"\s*(?:Appendix\s+)?([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)\b", text or "")
    return match.group(1) if match else ""


def truth_section(truth: dict) -> str:
    return section_key(truth.get("evidence", {}).get("section", ""))


def entry_section(paper: dict, entry: dict) -> str:
    if entry.get("from") == "caption" and entry.get("where", "").startswith("Table"):
        return entry["where"]
    by_id = {s["id"]: s for s in paper["sections"]}
    section = by_id.get(entry["section"])
    while section is not None and not section["number"]:
        section = by_id.get(section.get("parent") or "")
    return section["number"] if section else ""


def truth_values(value: str) -> tuple[list[float], str]:
    """The principal value of a truth entry: a leading name ("LeNet / CNN", "SGD, 0.9") or its numbers; a
    leading symbol assignment ("K = 30", "P_mask starts at 1.0") is the symbol's name, and a leading spelled count the
    number of what follows, not a value."""
    value = re.sub(r"^\s*[A-Za-z]\w{0,2}\s*=\s*(?=[-\d.])", "", value)
    # ... and so is a leading subscripted symbol that a verb follows: "P_mask starts at 1.0 and decays ... to 0.0"
    value = re.sub(r"^\s*[A-Za-z]+_\w+\s+(?:is\s+|are\s+)?(?:[a-z]+s\s+)(?:at\s+|from\s+|to\s+)?(?=[-\d.])", "", value)
    # a count spelled before what it counts is not the value: "one Nvidia RTX A4000" is the GPU, "seven datasets:
    # Adult, Default, ..." the datasets
    value = re.sub(r"^\s*(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:[a-z]+:\s+)?(?=[A-Z])", "", value)
    numbers = knob_numbers(value) or [
        float(n.replace(",", "")) for n in re.findall(r"(?<![\w.-])\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?", value)]
    word = re.match(r"\s*([A-Za-z][\w-]*)", value)
    if word and (re.search(r"[A-Z]", word.group(1)) or not numbers):
        return [], word.group(1).lower()
    return numbers, ""


def all_numbers(value: str) -> list[float]:
    """Every number a truth value writes, with its sign ("+1 for any coin; -3 if ..." -> 1, -3)."""
    numbers = [float(n.replace(",", "").replace("\u2212", "-"))
               for n in re.findall(r"(?<![\w.-])[-+\u2212]?\d+(?:,\d{3})*(?:\.\d+)?(?:e-?\d+)?", value)]
    remarks = [n for remark in re.findall(r"\(([^)]*)\)", value) for n in knob_numbers(remark)]  # "(4.6B parameters)"
    return numbers + knob_numbers(value) + remarks + [float(x) for x in parse_value(value) if isinstance(x, float)]


def values_of(entry: dict) -> list:
    values = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
    return values


def same_section(truth_section: str, ours: str) -> bool:
    if truth_section.startswith("Table") or ours.startswith("Table"):
        return truth_section == ours
    return bool(truth_section) and (ours == truth_section or ours.startswith(truth_section + ".")
                                    or truth_section.startswith(ours + ".") and len(ours) > 0)


def matches(truth: dict, entry: dict, ours_section: str) -> bool:
    if not same_section(truth_section(truth), ours_section):
        return False
    numbers, word = truth_values(str(truth["value"]))
    values = values_of(entry)
    if numbers:
        first = numbers[0]
        return any(isinstance(v, float) and math.isclose(v, first, rel_tol=1e-6, abs_tol=1e-12) for v in values)
    return any(isinstance(v, str) and word and v.lower().startswith(word[:4]) for v in values)


STOPWORDS = {"the", "and", "for", "of", "per", "with", "use", "used", "using", "number"}


def names_setting(truth: dict, entry: dict, ours_section: str) -> bool:
    """The fairness fix: a bare yes/true truth ("mixed precision = yes") is found by a statement in the same
    section that names the setting (all main words of the truth's name in the statement's name or value)."""
    if not re.fullmatch(r"\s*(yes|true)\s*", str(truth["value"]), re.IGNORECASE):
        return False
    if not same_section(truth_section(truth), ours_section):
        return False
    words = [w for w in re.findall(r"[a-z][a-z0-9-]+", re.sub(r"\([^)]*\)", " ", truth["name"].lower()))
             if w not in STOPWORDS]
    text = " ".join([entry["name"], *(v for v in values_of(entry) if isinstance(v, str))]).lower()
    return bool(words) and all(w in text for w in words)


def applies_to(truth: dict, entry: dict, ours_section: str) -> bool:
    """A truth that names a technique and gives where it applies ("color jittering = ADE20K and Cityscapes only")
    is found by the statement of that technique with that scope ("augmentation = Random color jittering", for
    "ADE20K and Cityscapes"), in the same section."""
    where = main_words(re.sub(r"\bonly\b", " ", str(truth["value"])))
    name = re.sub(r"\([^)]*\)", " ", truth["name"]).strip()
    return (bool(where) and same_section(truth_section(truth), ours_section) and not truth_values(str(truth["value"]))[0]
            and any(isinstance(v, str) and in_text(name, v) for v in values_of(entry))
            and where == main_words(entry.get("scope") or ""))


def found_by(truth: dict, entry: dict, ours_section: str) -> bool:
    return matches(truth, entry, ours_section) or names_setting(truth, entry, ours_section) \
        or applies_to(truth, entry, ours_section)


def also_in(truth: dict) -> set[str]:
    """The other places a truth's note names for the same value: 'Also Table 4 "Batch size 512".'"""
    return {re.sub(r"\s+", " ", m) for m in re.findall(r"\bAlso\s+(Table\s+[A-Z]?\d+)", truth.get("note") or "")}


def main_words(text: str) -> set[str]:
    """The words of a setting's name (or value) that say what it is: "number of seeds (IPD)" -> {seeds}; a symbol
    without its markup ("$L_{2}$" -> {l2})."""
    text = re.sub(r"[$\\{}]", "", re.sub(r"\([^)]*\)", " ", text.lower()))
    words = re.findall(r"[a-z][a-z0-9-]+", text.replace("_", " ")) + re.findall(r"[a-z][a-z0-9-]+", text.replace("_", ""))
    return {stem(w) for w in words if w not in STOPWORDS and (len(w) >= 3 or re.search(r"\d", w))}


def stem(word: str) -> str:
    """A word without its ending: "flipping" and "flip", "datasets" and "dataset" are one."""
    if len(word) <= 4:
        return word
    base = re.sub(r"(?:ing|ed|(?<=ss)es|(?<=[cs]h)es|(?<=x)es|(?<!s)s)$", "", word)  # "sizes" and "size", "classes" and "class"
    return base[:-1] if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiou" else base


def in_text(name: str, text: str) -> bool:
    """A name the truth's value writes, up to word endings: "random horizontal flipping" in "random horizontal
    flip, ..."; a short name only with a digit in it ("P3")."""
    if len(name) < 3 and not re.search(r"\d", name):
        return False
    ours = [stem(w) for w in re.findall(r"[a-z0-9]+", name.lower())]
    theirs = [stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())]
    return bool(ours) and any(theirs[i:i + len(ours)] == ours for i in range(len(theirs)))


def holds_value(entry: dict, truth: dict) -> bool:
    numbers = all_numbers(str(truth["value"]))
    text = str(truth["value"])
    for v in values_of(entry):
        if isinstance(v, float) and any(math.isclose(v, n, rel_tol=1e-6, abs_tol=1e-12) for n in numbers):
            return True
        if isinstance(v, str) and (in_text(v, text) or in_text(v, truth["name"])):
            return True  # ... or the name the truth gives the setting: "polynomial" for "polynomial learning rate decay
            # factor = 0.9", "EVA-02" for "timm weights (ViT-L, EVA-02) = eva02_large_patch14_224.mim_m38m"
    return False


def restated(entry: dict, truth: dict) -> bool:
    """The same setting as a truth of another section: every main word of the statement's name is in the truth's
    name and the statement's value is the truth's principal value ("$L_{2}$ = 4" for "L2 (ViT-L) = 4"); or every
    word is in the truth's value, next to the number ("examples = 8" for "8 examples every 10 training steps",
    "parameters = 4.6e9" for "frozen T5-XXL (4.6B parameters)"). Every value of a list must match; a single value
    may be either end of a range the truth states."""
    text = str(truth["value"])
    values = values_of(entry)
    symbol = re.sub(r"[$\\{}\s]", "", entry["name"])
    if re.fullmatch(r"[A-Za-z]", symbol) and (re.search(rf"(?<![\w\\]){symbol}(?!\w)", truth["name"])
                                             or re.match(rf"\s*{symbol}\s*=", text)):
        numbers = all_numbers(text)  # the truth's symbol: "K = 30" in Appendix A for "held-goal steps (K = 30)" of
        # 5.1, "k = 3000" for "predefined coreset sizes k = 1000, 2000, 3000, 4000"
        return all(isinstance(v, float) and any(math.isclose(v, n, rel_tol=1e-6, abs_tol=1e-12) for n in numbers)
                   for v in values)
    ours = main_words(entry["name"])
    if not ours:
        return False
    theirs = main_words(truth["name"])
    if ours <= theirs or theirs and theirs <= ours:  # (or the truth's name in ours: "backbone" is the statement
        # "source model backbone for all experiments = ViT-Base", "quantization" "8-bit and 6-bit model quantization")
        numbers, word = truth_values(text)
        principal = numbers[:1] if len(values) == 1 else numbers  # a list is the truth's list ("1000, 2000, 3000")
        if re.match(r"\s*\S+\s+to\s+\S+", text):
            principal = numbers[:2]  # either end of a range: "model size = 3B" for "632M to 3B parameters"
        return all(isinstance(v, float) and any(math.isclose(v, n, rel_tol=1e-6, abs_tol=1e-12) for n in principal)
                   or isinstance(v, str) and in_text(v, text) for v in values)
    if ours <= main_words(re.sub(r"[()]", " ", text)):  # (a remark included: "T5-XXL (4.6B parameters)")
        words = [stem(w) for w in re.findall(r"[a-z0-9.+-]+", text.lower())]
        near = {i for i, w in enumerate(words) if w in ours}
        numbers = [knob_numbers(w.upper() if re.fullmatch(r"[\d.,]+[kmb]", w) else w) for w in words]  # "4.6b" -> 4.6e9
        return all(isinstance(v, float) and any(abs(i - j) <= 2 and any(math.isclose(n, v, rel_tol=1e-6) for n in numbers[i])
                                                for j in near for i in range(len(words)))
                   or isinstance(v, str) and in_text(v, text) for v in values)
    return False


def correct(entry: dict, ours_section: str, truths: list[dict]) -> bool:
    """A statement a stated truth confirms: its value in that truth's value, in the truth's section (or the table
    its note names); the same setting restated in another section (``restated``); or the setting a bare yes/true
    truth names (the recall rule)."""
    for truth in truths:
        here = same_section(truth_section(truth), ours_section) or entry.get("where") in also_in(truth)
        if here and (holds_value(entry, truth) or names_setting(truth, entry, ours_section)
                     or applies_to(truth, entry, ours_section)):
            return True
        if restated(entry, truth):
            return True
    return False


# ---------------------------------------------------------------------------------------------------------
# run knobs: the core ledger knobs against the truth

# (ledger knob, truth names it covers, truth names it does not); all case-insensitive
KNOB_NAMES = (
    ("optimizer.lr", r"learning[ _-]?rates?\b|\blr\b", r"schedul|decay|warm|threshold"),
    ("optimizer.name", r"optimi[sz]er", r"learning[ _-]?rate|\blr\b|optimi[sz]er momentum"),
    ("optimizer.beta1", r"\bbetas\b|beta ?_?1", r"entropy"),
    ("optimizer.beta2", r"\bbetas\b|beta ?_?2", r"entropy"),
    ("optimizer.momentum", r"momentum", r"^$"),
    ("optimizer.weight_decay", r"weight[ _-]?decay", r"^$"),
    ("batch.batch_size", r"batch[ _-]?size", r"mini[ _-]?batch"),
    ("schedule.epochs", r"\bepochs?\b", r"mini[ _-]?epoch"),
    ("schedule.total_steps", r"training (?:steps|iterations)|total (?:steps|iterations)", r"^$"),
    ("schedule.lr_schedule", r"(?:learning[ _-]?rate|\blr)[ _-]?schedul", r"^$"),
    ("schedule.warmup_steps", r"warm[ _-]?up", r"type|initial|learning[ _-]?rate|\blr\b"),
    ("tricks.grad_clip", r"grad(?:ient)?[ _-]?(?:norm[ _-]?)?clip|clip(?:ping)?[ _-]?grad|max[ _-]?grad[ _-]?norm", r"^$"),
)
NOT_A_RUN_KNOB = r"sampling|inference|evaluation|throughput|decoding|baseline|ablation|replay"
CORE_KNOBS = tuple(knob for knob, _, _ in KNOB_NAMES)
NAME_KNOBS = ("optimizer.name", "schedule.lr_schedule")
ALTERNATIVE = {"schedule.epochs": "schedule.total_steps", "schedule.total_steps": "schedule.epochs"}
SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def knob_numbers(value: str) -> list[float]:
    """The numbers a truth value states for a knob: "1e-4", "4,096", "34k", "1.5M", "10^9", "256 / 512";
    a parenthesised remark after the value ("0.1 (initial)", "12 (1x schedule)") is not a value."""
    if not value.lstrip().startswith("("):
        value = re.sub(r"\([^)]*\)", " ", value)
    numbers = []
    for m in re.finditer(r"(?<![\w.*^-])(\d+(?:,\d{3})*(?:\.\d+)?)(?:e([-+]?\d+)|\^(\d+))?"
                         r"(?:([kKMB])|\s+(thousand|million|billion))?(?![\w%])", value):
        number = float(m.group(1).replace(",", ""))
        if m.group(2):
            number *= 10.0 ** int(m.group(2))
        if m.group(3):
            number **= int(m.group(3))
        numbers.append(number * SUFFIX.get(m.group(4) or m.group(5) or "", 1.0))
    return numbers


def knob_targets(truth: dict) -> dict[str, list]:
    """{ledger knob: values this truth entry states for it} for the core knobs its name maps to (no values
    for a "not stated" trap). "beta1=0.9, beta2=0.96" gives both betas, even under the name "momentum"."""
    name, value = truth["name"], str(truth["value"])
    # the truth's own labels: a value it files under a baseline's or an ablation's component is not the run's
    if re.search(NOT_A_RUN_KNOB, name, re.IGNORECASE) or re.search(NOT_A_RUN_KNOB, truth.get("component") or "",
                                                                    re.IGNORECASE):
        return {}
    knobs = [knob for knob, covers, not_covers in KNOB_NAMES
             if re.search(covers, name, re.IGNORECASE) and not re.search(not_covers, name, re.IGNORECASE)]
    betas = dict(re.findall(r"(?:beta|β)\s*_?\{?([12])\}?\s*[=:]\s*([\d.]+(?:e-?\d+)?)", value, re.IGNORECASE))
    if betas and "optimizer.momentum" in knobs:
        knobs = [k for k in knobs if k != "optimizer.momentum"] + ["optimizer.beta1", "optimizer.beta2"]
    targets: dict[str, list] = {}
    for knob in dict.fromkeys(knobs):
        if not truth["stated_in_paper"]:
            targets[knob] = []
        elif knob in NAME_KNOBS:
            lead = re.split(r"[,;/(]", value)[0].strip()
            targets[knob] = [lead] if lead else []
        elif knob in ("optimizer.beta1", "optimizer.beta2"):
            index = knob[-1]
            if betas:
                targets[knob] = [float(betas[index])] if index in betas else []
            else:
                numbers = knob_numbers(value)
                targets[knob] = numbers[int(index) - 1:int(index)]
        else:
            targets[knob] = knob_numbers(value)
    return targets


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def same_knob_value(ledger_value, truth_value) -> bool:
    if isinstance(truth_value, float):
        return (isinstance(ledger_value, (int, float)) and not isinstance(ledger_value, bool)
                and math.isclose(float(ledger_value), truth_value, rel_tol=1e-6, abs_tol=1e-12))
    if not isinstance(ledger_value, str):
        return False
    ours, theirs = words(ledger_value), words(truth_value)
    shorter = min(len(ours), len(theirs))
    return shorter > 0 and ours[:shorter] == theirs[:shorter]


def other_setup(truth: dict, ledger: dict | None) -> bool:
    """A truth of a setup the run does not follow: its section is one the ledger's experiment leaves out."""
    numbers = [o["number"] for o in ((ledger or {}).get("experiment") or {}).get("others", [])]
    section = truth_section(truth)
    return any(section == n or section.startswith(n + ".") for n in numbers)


def other_scope(truth: dict, knob: str, values: list, ledger: dict | None) -> str:
    """A truth of one dataset, model or task ("lr schedule (CIFAR-10) = cosine", "Commons Harvest Open training
    steps = 34k") that the ledger lists beside the knob as that scope's and not the run's setup: the run follows
    another recipe, and the value is not checked. (Until 2026-12-06 only a scope in parentheses counted.)"""
    entry = next((e for e in (ledger or {}).get("entries", []) if e["name"] == knob), None)
    scope = re.search(r"\(([^)]*)\)", truth["name"])
    named = scope.group(1) if scope else truth["name"]
    if entry is None or any(same_knob_value(entry["value"], v) for v in values):
        return ""
    for other in entry.get("other_scopes", []):
        name = other["scope"].removesuffix(", not the run's setup")
        if name != other["scope"] and name and re.search(rf"(?<![\w-]){re.escape(name.lower())}(?![\w-])", named.lower()) \
                and any(same_knob_value(other["value"], v) for v in values):
            return name
    return ""


def check_knobs(truths: list[dict], ledger: dict | None) -> dict:
    """Right, failed and trap knobs of one paper (ledger None: it raised, every knob fails). A truth of another
    setup than the one the run follows (the ledger's experiment) is not checked: listed as ``elsewhere``."""
    stated: dict[str, list] = defaultdict(list)
    trap_knobs: set[str] = set()
    elsewhere: dict[str, str] = {}
    for truth in truths:
        for knob, values in knob_targets(truth).items():
            if truth["stated_in_paper"] and other_setup(truth, ledger):
                elsewhere.setdefault(knob, "§" + truth_section(truth))
            elif truth["stated_in_paper"] and other_scope(truth, knob, values, ledger):
                elsewhere.setdefault(knob, "for " + other_scope(truth, knob, values, ledger))
            elif truth["stated_in_paper"]:
                stated[knob] += [v for v in values if v not in stated[knob]]
            else:
                trap_knobs.add(knob)
    stated = {k: v for k, v in stated.items() if v}  # a stated truth with no readable value is not checked
    by_name = {e["name"]: e for e in (ledger or {}).get("entries", [])}
    result = {"right": [], "failed": [], "traps": [], "trap_hits": [], "by_name": by_name,
              "experiment": (ledger or {}).get("experiment"),
              "elsewhere": {k: v for k, v in elsewhere.items() if k not in stated},
              "unchecked": [n for n, e in by_name.items() if e["tag"] == "paper" and n in CORE_KNOBS
                            and n not in stated and n not in trap_knobs]}
    for knob in sorted(stated):
        entry = by_name.get(knob)
        if entry and entry["tag"] == "paper" and any(same_knob_value(entry["value"], v) for v in stated[knob]):
            result["right"].append(knob)
        else:
            result["failed"].append((knob, stated[knob], entry))
    for knob in sorted(trap_knobs - set(stated)):
        result["traps"].append(knob)
        entry = by_name.get(knob)
        if entry and entry["tag"] == "paper":
            result["trap_hits"].append((knob, entry))
    return result


def shown(entry: dict | None) -> str:
    return "absent" if entry is None else f"{entry['value']!r} {entry['tag_text']}"


def shown_knob(knob: str, by_name: dict) -> str:
    """The ledger's entry for a knob; for an absent training length, the one it has instead."""
    entry, other = by_name.get(knob), ALTERNATIVE.get(knob, "")
    if entry is None and other in by_name:
        return f"absent (has {other} = {shown(by_name[other])})"
    return shown(entry)


def knob_line(right: int, checked: int, traps_hit: int, traps: int) -> str:
    return f"run knobs: {right}/{checked} right, {traps_hit} run traps (of {traps} possible)"


# ---------------------------------------------------------------------------------------------------------
# the measurement


def source_of(folder: Path) -> Path | None:
    return next((folder / n for n in ("paper.html", "paper.md") if (folder / n).is_file()), None)


def measure(folder: Path) -> dict:
    truth = json.loads((folder / "truth.json").read_text())["hyperparameters"]
    paper = parse_any(source_of(folder))  # LaTeXML HTML, else the MinerU Markdown
    entries = extract_statements(paper)
    sections = [entry_section(paper, e) for e in entries]
    stated = [t for t in truth if t["stated_in_paper"]]
    traps = [t for t in truth if not t["stated_in_paper"]]
    try:
        ledger, ledger_error = build_ledger(paper, [], {}), ""
    except Exception as error:  # reported, and every knob counts as failed
        ledger, ledger_error = None, f"{type(error).__name__}: {error}"
    return {
        "stated": stated,
        "found": [t for t in stated if any(found_by(t, e, s) for e, s in zip(entries, sections))],
        "entries": list(zip(entries, sections)),
        "good": [correct(e, s, stated) for e, s in zip(entries, sections)],
        "hit_traps": [t for t in traps if any(matches(t, e, s) for e, s in zip(entries, sections))],
        "knobs": check_knobs(truth, ledger),
        "ledger_error": ledger_error,
    }


def figures(label: str, results: list[dict]) -> str:
    stated = sum(len(r["stated"]) for r in results)
    found = sum(len(r["found"]) for r in results)
    entries = sum(len(r["entries"]) for r in results)
    good = sum(sum(r["good"]) for r in results)
    traps = sum(len(r["hit_traps"]) for r in results)
    return (f"{label:<28} recall {found}/{stated} = {found / max(1, stated):.1%}  "
            f"precision {good}/{entries} = {good / max(1, entries):.1%}  traps {traps}")


def precision_by_kind(results: list[dict]) -> str:
    """Precision per statement kind, over the papers measured: the truth lists training settings, so a kind it seldom
    lists (a dataset's statistics, the hardware) is unconfirmed more often, true or not. Informative only: the
    precision above counts every statement."""
    total: dict[str, int] = defaultdict(int)
    good: dict[str, int] = defaultdict(int)
    for result in results:
        for (entry, _), ok in zip(result["entries"], result["good"]):
            total[entry["kind"]] += 1
            good[entry["kind"]] += ok
    parts = [f"{kind} {good[kind]}/{n} = {good[kind] / n:.0%}" for kind, n in sorted(total.items(), key=lambda kv: -kv[1])]
    return "precision by kind: " + ", ".join(parts)


def print_misses(result: dict) -> None:
    for t in result["stated"]:
        if t not in result["found"]:
            evidence = t.get("evidence", {})
            print(f"    MISS {t['name']} = {t['value']!r} [{evidence.get('section', '')[:40]}] "
                  f"{evidence.get('sentence', '')[:110]!r}")
    for (e, s), good in zip(result["entries"], result["good"]):
        if not good:
            print(f"    EXTRA §{s} {e['name']!r} = {e['value']!r} ({e['pattern']}) {e['quote'][:90]!r}")


def print_knobs(results: dict[str, dict], verbose: bool) -> None:
    print()
    print("run knobs (build_ledger(paper, [], {}) against the truth's core training knobs)")
    totals = [0, 0, 0, 0]
    for name, result in results.items():
        knobs = result["knobs"]
        checked = len(knobs["right"]) + len(knobs["failed"])
        if not checked and not knobs["traps"]:
            print(f"{name:<28} (the truth names no core knob)")
            continue
        counts = (len(knobs["right"]), checked, len(knobs["trap_hits"]), len(knobs["traps"]))
        totals = [a + b for a, b in zip(totals, counts)]
        print(f"{name:<28} {knob_line(*counts)}")
        if result["ledger_error"]:
            print(f"    LEDGER ERROR {result['ledger_error']}")
        for knob, values, _ in knobs["failed"]:
            print(f"    FAIL {knob:<24} truth {' | '.join(str(v) for v in values)}; "
                  f"ledger {shown_knob(knob, knobs['by_name'])}")
        for knob, entry in knobs["trap_hits"]:
            print(f"    RUN TRAP {knob:<20} the paper does not state it; ledger {shown(entry)}")
        followed = knobs["experiment"]
        if followed or knobs["elsewhere"]:  # several setups: the run follows one; the others' truths are not its knobs
            print(f"    FOLLOWS {followed['label'][:50] + ' (' + followed['chosen_by'] + ')' if followed else 'no section'}; "
                  "another setup's, not checked: "
                  + (", ".join(f"{k} ({s})" for k, s in sorted(knobs["elsewhere"].items())) or "none"))
        if verbose:
            for knob in knobs["right"]:
                print(f"    right {knob:<23} ledger {shown(knobs['by_name'][knob])}")
            for knob in knobs["unchecked"]:  # tagged [paper] but the truth says nothing of this knob
                print(f"    NOT IN TRUTH {knob:<16} ledger {shown(knobs['by_name'][knob])}")
    print(f"{'all':<28} {knob_line(*totals)}")


def print_rules(results: dict[str, dict]) -> None:
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong: dict[str, int] = defaultdict(int)
    for name, result in results.items():
        for (entry, _), good in zip(result["entries"], result["good"]):
            if good:
                right[entry["pattern"]][name] += 1
            else:
                wrong[entry["pattern"]] += 1
    print()
    print("statement rules (pattern: correct statements and the papers they are in; wrong statements)")
    print(f"{'pattern':<22} {'right':>5} {'wrong':>5} {'papers':>6}  right per paper")
    for pattern in sorted(set(right) | set(wrong), key=lambda p: (-len(right[p]), -sum(right[p].values()), p)):
        papers = right[pattern]
        per_paper = ", ".join(f"{n} {c}" for n, c in sorted(papers.items(), key=lambda x: (-x[1], x[0])))
        flag = "" if len(papers) >= 2 else "  <- fewer than two papers"
        print(f"{pattern:<22} {sum(papers.values()):>5} {wrong[pattern]:>5} {len(papers):>6}  {per_paper or '-'}{flag}")


class TimeLimit(BaseException):  # not an Exception: no library `except Exception` may swallow it
    pass


def stop(signum, frame) -> None:
    raise TimeLimit(f"stopped after {LIMIT_S} s")


def library_line(raised: BaseException) -> str:
    """file:line of the innermost frame outside this script: where the library raised or was stopped."""
    frames = [f for f in traceback.extract_tb(raised.__traceback__) if f.filename != __file__]
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "this script"


def all_corpus(corpus: Path) -> None:
    """Time stage 1 + 3 on every paper file of the corpus; print times and exceptions only, never values."""
    print()
    print(f"all corpus: parse_any + build_ledger per paper file, as stages 1 and 3 run them (flag: over {SLOW_S:.0f} s;"
          " stmts: extract_statements alone, which build_ledger includes)")
    print(f"{'paper':<44} {'format':<6} {'parse':>6} {'stmts':>6} {'ledger':>6} {'total':>6}")
    signal.signal(signal.SIGALRM, stop)
    files = sorted(p for folder in corpus.iterdir() if folder.is_dir()
                   for p in (folder / "paper.html", folder / "paper.md") if p.is_file())
    slow, failed = 0, 0
    for path in files:
        times: list[float] = []  # parse, statements, ledger: as far as it got
        error = ""
        started = time.perf_counter()
        signal.alarm(LIMIT_S)
        try:
            paper = parse_any(path)
            times.append(time.perf_counter() - started)
            extract_statements(paper)  # timed alone for the breakdown; build_ledger reads the statements itself
            times.append(time.perf_counter() - started - times[0])
            build_ledger(paper, [], {})
            times.append(time.perf_counter() - started - times[0] - times[1])
        except (Exception, TimeLimit) as raised:
            error = f"{traceback.format_exc().strip().splitlines()[-1]} (at {library_line(raised)})"
        finally:
            signal.alarm(0)
        # stage 1 + 3 as the workflow runs them: parse_any, then build_ledger (statements included, read once)
        total = times[0] + times[2] if len(times) == 3 else time.perf_counter() - started
        cells = "".join(f" {t:>6.2f}" for t in times) + " " * (7 * (3 - len(times)))
        flags = ("  SLOW" if total > SLOW_S else "") + (f"  ERROR {error}" if error else "")
        slow += total > SLOW_S
        failed += bool(error)
        print(f"{path.parent.name:<44} {path.suffix[1:]:<6}{cells} {total:>6.2f}{flags}")
    print(f"{len(files)} paper files, {slow} over {SLOW_S:.0f} s, {failed} with an exception")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "papers"))
    parser.add_argument("--papers", help="comma-separated development papers to measure (default: all with truth)")
    parser.add_argument("--show-misses", action="store_true", help="list missed truths and wrong statements")
    parser.add_argument("--rules", action="store_true", help="correct and wrong statements per statement pattern")
    parser.add_argument("--all-corpus", action="store_true", help="also time stage 1 + 3 on every corpus paper")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise SystemExit(f"error: corpus folder {corpus} does not exist; pass --corpus <folder with papers>.")
    folders = [p.parent for p in sorted(corpus.glob("*/truth.json")) if source_of(p.parent)]
    if args.papers:
        wanted = [n.strip() for n in args.papers.split(",") if n.strip()]
        unknown = sorted(set(wanted) - {f.name for f in folders})
        if unknown:
            raise SystemExit(f"error: no development paper (truth.json and a paper file) named {', '.join(unknown)} "
                             f"in {corpus}; choose from {', '.join(f.name for f in folders)}.")
        folders = [f for f in folders if f.name in wanted]
    results: dict[str, dict] = {}
    for folder in folders:
        results[folder.name] = result = measure(folder)
        print(figures(folder.name, [result]))
        if args.show_misses:
            print_misses(result)
    print()
    for label, group in (("older five", OLDER), ("newer five", NEWER)):
        if any(n in results for n in group):
            print(figures(f"{label} ({sum(n in results for n in group)})", [r for n, r in results.items() if n in group]))
    print(figures(f"all ({len(results)})", list(results.values()))
          + "  (goals: recall 90%, precision 85%, traps 0)")
    print(precision_by_kind(list(results.values())))
    print_knobs(results, args.show_misses)
    if args.rules:
        print_rules(results)
    if args.all_corpus:
        all_corpus(corpus)


if __name__ == "__main__":
    main()
