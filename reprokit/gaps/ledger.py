"""Stage 3: the hyperparameter ledger. Every value a run needs, exactly one provenance tag each.

Precedence (the stated rule for conflicts): user config > paper (a hyperparameter table over prose)
> code (a training config over a constructor default) > venue convention > framework default > guess.
Every other value found for the same knob is kept as a conflict, never silently dropped.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from reprokit import atomic, optimizers
from reprokit.code.inventory import EVALUATION_SCRIPT, code_place
from reprokit.errors import UserError
from reprokit.gaps.experiments import (
    Experiment,
    configured,
    conflict,
    file_names_setup,
    find_setups,
    follow_most_stated,
    names_scope,
)
from reprokit.gaps.frames import DECAY_BY, DECAY_VERB, LR_SCALING, SKIP_SECTION
from reprokit.gaps.knobs import BLOCKS, KNOBS, Knob, integer, loss_name, name_key, optimizer_name, schedule_name
from reprokit.gaps.scopes import TRAINING_SENTENCE
from reprokit.gaps.statements import (
    NUM,
    SUBSCRIPT,
    extract_statements,
    numbered_section,
    parse_value,
    plain_numbers,
    section_chain,
)
from reprokit.optimizers import canonical, family
from reprokit.paper.structure import section_label
from reprokit.text import NUMBER_WORDS, WORD_NUMBER, normalise_space, parse_number, sentences

CODE_KIND_RANK = {"config dict": 0, "argparse default": 0, "yaml config": 0, "toml config": 0, "optimizer argument": 1,
                  "scheduler call": 1, "constructor call": 2, "constructor default": 2}
TAG_RANK = {"user config": 0, "paper": 1, "code": 2, "venue convention": 3, "framework default": 4, "guess": 5}


def same_value(a: Any, b: Any) -> bool:
    """Two values of one setting are the same (numbers within rounding)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


# the settings a "None" states as off (a recipe table's "gradient clip | None", a new user's ConvNeXt paper)
OFF_IS_ZERO = ("tricks.grad_clip", "tricks.ema_decay", "optimizer.weight_decay", "loss.label_smoothing")


def _own_scope(statement: dict[str, Any]) -> str:
    """The dataset, model or task a statement is scoped to ("" for one the whole paper states)."""
    return "" if statement["scope"] in ("", "paper-wide") else statement["scope"]


def _value(knob: Knob, statement: dict[str, Any]) -> Any:
    """A statement's value as this knob reads it (None when it is not one): the knob's own parser on the value
    as written, an element of a list ("betas (0.9, 0.999)"), within the knob's plausible range."""
    value = None
    listed = statement["value"] if isinstance(statement["value"], list) else None
    if knob.name in OFF_IS_ZERO and re.fullmatch(r"\s*(?:none|off|disabled|no)\s*", str(statement["value"]), re.IGNORECASE):
        return 0.0  # "gradient clip | None", "EMA | None": none used, stated
    if knob.item is not None and listed is not None:
        if len(listed) > knob.item and isinstance(listed[knob.item], float):
            value = knob.parse(f"{listed[knob.item]!r}", statement["quote"])
    else:  # (a computed statement, "by a factor of 5", by the 0.2 it was computed as)
        value = knob.parse(f"{statement['value']!r}" if statement.get("computed") else statement["raw"], statement["quote"])
    if value is None or _beyond_range(knob, value):
        return None
    return value


def _beyond_range(knob: Knob, value: Any) -> bool:
    """Is a number of the value outside the knob's plausible range?"""
    numbers = value if isinstance(value, list) else [value]
    return bool(knob.range) and any(isinstance(v, (int, float)) and not isinstance(v, bool)
                                    and not knob.range[0] <= v <= knob.range[1] for v in numbers)


def _out_of_range(knob: Knob, statements: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A setting the paper states for this knob that ``_value`` left out for its range, to be said, not dropped."""
    if knob.range is None:
        return None
    for statement in statements:
        if statement["kind"] not in knob.kinds or not knob.names_it(statement["name"]) or not _in_context(knob, statement) \
                or re.search(r"\b(?:not|never|no|diverg\w*|unstable|fail\w*|too\s+(?:high|large|low|small))\b",
                             statement["quote"], re.IGNORECASE):
            continue  # (a value the paper rejects: "a learning rate of 1000 diverges", "we do not use ..."; and one of
            # another setting of the name: PPO's clipping "epsilon = 0.2" is no Adam epsilon, a new user's PPO paper)
        value = knob.parse(statement["raw"], statement["quote"])
        if not isinstance(value, list) and _beyond_range(knob, value):
            return statement
    return None


def _in_context(knob: Knob, statement: dict[str, Any]) -> bool:
    """Is a statement said where the knob's context words are (Adam's epsilon beside "Adam" or "optimizer"; a bare
    "steps" of training beside a training word)?"""
    if knob.context and not re.search(knob.context, statement["quote"], re.IGNORECASE):
        return False
    return not (knob.bare_context and statement["from"] != "table" and " " not in name_key(statement["name"])
                and not re.search(knob.bare_context, statement["quote"], re.IGNORECASE))


TRAINING_TITLE = re.compile(r"\btrain\w*|\boptimi[sz]ation\b|implementation details|hyper-?parameters?", re.IGNORECASE)
# (and "Our CIFAR model trains at 21 steps per second at batch size 128", a new user's diffusion paper, which ranks its
# values as a training sentence's without making a sampling section's sentence a setting: scopes.TRAINING_SENTENCE)
TRAINING_CUE = re.compile(rf"{TRAINING_SENTENCE.pattern}|^\s*for (?:the )?training\b|\b(?:models?|networks?)\s+trains\b",
                          re.IGNORECASE)


def training_sections(paper: dict[str, Any]) -> frozenset[str]:
    """The sections whose title, or a parent's, says they hold the training setup ("C.2 Training", "Implementation
    details", "Hyperparameters")."""
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    return frozenset(section["id"] for section in by_id.values()
                     if any(TRAINING_TITLE.search(s.get("title") or "") for s in section_chain(section, by_id)))


def paper_candidates(knob: Knob, statements: list[dict[str, Any]], run_scope: str = "",
                     training: frozenset[str] = frozenset(), scope_first: bool = False,
                     followed_sections: frozenset[str] = frozenset(), merge: bool = True) -> list[dict[str, Any]]:
    """The paper's values for a knob: the statements whose name is one of the knob's names, of a kind it takes
    (a setting; never a sweep, a result, a baseline's or a cited work's value), in its context. One candidate
    per distinct value, a table's first (tables summarise the final setting), then paper-wide, then those of the
    run's experiment (``run_scope``: a paper of two experiments, "Revisiting Classic CNNs on MNIST" and "Text
    Categorization on 20NEWS", gives one run its optimizer from one and its learning rate from the other no
    more), then other scoped ones; within each, one a training sentence states ("For training, we use ..."), then
    one stated in a training section (``training``), before one stated elsewhere ("C.2 Training"'s learning rate
    before an attack's in "C.1 Attacks"). ``scope_first``: the run follows a configured scope (``run_scope``), so
    its values come before paper-wide ones; before all, those stated in the sections of the experiment the run
    follows (``followed_sections``: "5.4 Evaluations on ImageNet-1k"'s base learning rate, not an appendix's)."""
    found: list[dict[str, Any]] = []
    for statement in statements:
        if statement["kind"] not in knob.kinds or statement.get("pattern") == "follows" or not knob.names_it(statement["name"]):
            continue  # (what a setting follows, "the augmentations of SimCLR", names a work, not the setting's value)
        if not _in_context(knob, statement):
            continue  # "held near the goal for K = 30 steps", "sequences of up to 1000 steps": no run's length
        value = _value(knob, statement)
        if value is None:
            continue
        scope = _own_scope(statement)
        found.append({"value": value, "raw": statement["raw"], "tag": "paper", "where": statement["where"],
                      "section": statement["section"], "quote": statement["quote"], "from": statement["from"],
                      "scope": scope, "stated_name": statement["name"],
                      **({"computed": True} if statement.get("computed") else {})})
    if knob.gather and found:
        # each item once, however the sentences list it ("mixup, cutmix, randaugment, random erasing" in one and
        # "mixup, cutmix, randaugment, and random erasing" in the next: a new user's ConvNeXt paper); one list per
        # scope, with the paper-wide items in each (a new user's MAE paper: pre-training's RandomResizedCrop and
        # fine-tuning's RandAug are two setups' lists, not one)
        groups: dict[str, list[dict[str, Any]]] = {}
        for c in found:
            groups.setdefault(c["scope"] or "", []).append(c)
        gathered = []
        wide, wide_apart = _where_listed(groups.get("", []), training, followed_sections)
        for scope, members in groups.items():
            kept, apart = _where_listed(members, training, followed_sections) if scope else ([], wide_apart)
            kept += wide
            for part in (kept, apart):
                joined = _joined_items(part, without=_joined_items(kept) if part is apart else "")
                if part and (part is kept or joined != "none"):
                    gathered.append({**part[0], "value": joined,
                                     "also": [c["where"] for c in part[1:] if c["where"] != part[0]["where"]]})
        found = gathered

    if any(not optimizers.spelled(c["raw"]) for c in found):
        # "trained end-to-end by stochastic gradient descent" beside "We use Adam ...": the words name the way any
        # gradient-based training goes; a named optimizer is the one the run uses
        found = [c for c in found if not optimizers.spelled(c["raw"])]

    def scope_rank(c: dict[str, Any]) -> int:
        ours = bool(run_scope and c["scope"]) and (c["scope"] == run_scope or scope_first and names_scope(run_scope, c["scope"]))
        return (-1 if scope_first else 1) if ours else 0 if not c["scope"] else 2

    found.sort(key=lambda c: (c["section"] not in followed_sections, c["from"] != "table", scope_rank(c),
                              _training_rank(c, training)))
    if not merge:
        return found  # every statement of the knob (experiments.py: where each value is stated)
    distinct: list[dict[str, Any]] = []
    for cand in found:
        twin = next((d for d in distinct if same_value(cand["value"], d["value"]) and _same_scope(cand, d)), None)
        if twin is None:
            distinct.append(cand)
        elif cand["where"] != twin["where"] and cand["where"] not in twin.setdefault("also", []):
            twin["also"].append(cand["where"])
    return distinct


def _where_listed(candidates: list[dict[str, Any]], training: frozenset[str],
                  followed_sections: frozenset[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A listed setting's items as the paper states them where it describes the run (the first such place, the
    followed experiment's sections, training sections and sentences), and those stated elsewhere: another
    section's transforms are an ablation's or another setup's (a new user's SimCLR paper: "Default setting"'s
    crop, flip and blur, not §3.1's cutout or the appendix's AutoAugment). They are offered after the list,
    never joined to it."""
    if not candidates:
        return [], []
    lead = min(candidates, key=lambda c: (c["section"] not in followed_sections, c["from"] != "table",
                                          _training_rank(c, training)))
    places = {lead["section"], *training, *followed_sections}
    kept: list[dict[str, Any]] = []
    apart: list[dict[str, Any]] = []
    for c in candidates:
        (kept if c["section"] in places or _training_rank(c, training) == 0 else apart).append(c)
    return kept, apart


def _training_rank(candidate: dict[str, Any], training: frozenset[str]) -> int:
    """0: a training sentence states it ("For training, we use ..."); 1: a training section does; 2: elsewhere."""
    if candidate["from"] == "prose" and TRAINING_CUE.search(candidate["quote"]):
        return 0
    return 1 if candidate["section"] in training else 2


def _joined_items(candidates: list[dict[str, Any]], without: str = "") -> str:
    """The items of several listed values, each once however the sentences list it, in order, leaving out those
    of ``without`` (a list joined before); "none" if none."""
    def items_of(value: str) -> list[str]:
        return [item for item in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", value) if item.strip()]
    before = {item.lower() for item in items_of(without)}
    items = [item for c in candidates if str(c["value"]) != "none" for item in items_of(str(c["value"]))
             if item.lower() not in before]
    return ", ".join({item.lower(): item for item in reversed(items)}[key] for key in
                     dict.fromkeys(item.lower() for item in items)) or "none"


WARMUP_RATIO = re.compile(r"^(?:(?:linear|lr|learning rate) )?warm-?up (?:ratio|proportion|fraction|share)$", re.IGNORECASE)


def _warmup_share(statements: list[dict[str, Any]], budget: dict[str, Any] | None, run_scope: str = "",
                  unit: str = "steps") -> list[dict[str, Any]]:
    """Warm-up stated as a share of training ("over the first 5% of the steps", "Warmup Ratio | 0.06" in a new user's
    LoRA table) is a length once the paper's budget (``budget``: the ledger entry of schedule.total_steps, or of
    schedule.epochs with ``unit`` "epochs") is known: the share times the budget, tagged as computed from both. A
    share stated for the run's scope comes before one stated for none."""
    if budget is None or budget["tag"] != "paper" or not isinstance(budget["value"], (int, float)):
        return []
    shares = []
    for statement in statements:
        value = statement["value"]
        if statement["kind"] != "setting" or not isinstance(value, float) or statement["scope"] not in ("", run_scope) \
                and not (run_scope and names_scope(statement["scope"], run_scope)):
            continue  # (another scope's; a part of the run's is the run's: "RTE" of "RoBERTa base LoRA, RTE")
        if statement["name"] == "warm-up share" and 0 < value <= 100:
            shares.append((statement["scope"] != run_scope, statement, value / 100, f"{value:g}%"))
        elif WARMUP_RATIO.match(statement["name"]) and 0 < value <= 1:
            shares.append((statement["scope"] != run_scope, statement, value, f"{value:g}"))
    if not shares:
        return []
    _, statement, share, written = min(shares, key=lambda s: s[0])
    if unit == "epochs" and not (budget.get("where") == statement["where"] and budget.get("where", "").startswith("Table")
                                 or budget.get("quote") == statement["quote"]
                                 or statement["scope"] and budget.get("stated_scope") == statement["scope"]):
        return []  # (a share stated beside another stage's epochs: "pre-train for 300 epochs ... For fine-tuning, a warmup
        # ratio of 0.06" is no 18 warm-up epochs)
    total = float(budget["value"])
    length = int(round(share * total)) if unit == "steps" else round(share * total, 3)
    return [{"value": length, "raw": statement["raw"], "tag": "paper", "where": statement["where"],
             "section": statement["section"], "from": statement["from"], "scope": statement["scope"], "computed": True,
             "quote": f"{statement['quote']} (computed: {written} of {total:g} {unit})", "stated_name": "warm-up"}]


OPTIMIZER_SETTING = re.compile(rf"({optimizers.pattern()})\s+(?:step ?size|learning rate|lr|beta|epsilon|eps|momentum|"
                               r"\$?\\?(?:beta|epsilon|eps))")  # "Adam stepsize", "Adam $\epsilon$"


def _optimizer_named_by_its_settings(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """No sentence names the optimizer, but a setting's name does ("Adam stepsize | 3e-4", "Adam epsilon"): that
    optimizer, stated where the setting is (a new user's RL paper gave the run a guessed Adam beside its own)."""
    for statement in statements:
        named = OPTIMIZER_SETTING.match(statement["name"])
        optimizer = canonical(named.group(1)) if named else None
        if optimizer and statement["kind"] == "setting":
            return [{"value": optimizer, "raw": named.group(1), "tag": "paper",
                     "where": statement["where"], "section": statement["section"], "from": statement["from"],
                     "scope": _own_scope(statement), "quote": statement["quote"], "stated_name": statement["name"]}]
    return []


def _decay_without_when(entries: list[dict[str, Any]]) -> None:
    """A decay factor the paper states ("the learning rate is divided by 10") with no word of when the rate drops
    leaves the schedule constant: its evidence says so, with what to set, instead of passing the factor silently."""
    chosen = {e["name"]: e for e in entries}
    schedule, gamma = chosen.get("schedule.lr_schedule"), chosen.get("schedule.gamma")
    if schedule and gamma and gamma["tag"] == "paper" and schedule["tag"] == "framework default" \
            and schedule["value"] == "constant":
        schedule["quote"] += (f"; the paper states a decay factor of {gamma['value']:g} ({gamma['where']}) but the run "
                              "cannot place its drops (no milestones, or an interval without a stated budget): to apply "
                              "it, set schedule.lr_schedule in the paper's `overrides` (step, with schedule.milestones; or "
                              "exponential, gamma once an epoch)")


def _interval_milestones(statements: list[dict[str, Any]], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A step decay stated by its interval ("decayed by 0.1 every 30 epochs") has its milestones at every multiple of
    the interval inside the run's budget in the same unit (30 and 60 of 90 epochs), tagged as computed from both; an
    interval in steps beside a budget in epochs gives none (the harness counts milestones in the budget's unit)."""
    budget = {e["name"]: e for e in entries if e["name"] in ("schedule.epochs", "schedule.total_steps")}
    for statement in statements:
        unit = re.fullmatch(r"lr decay interval in (\w+)", statement["name"])
        if not unit or statement["kind"] != "setting" or not isinstance(statement["value"], float) \
                or statement["value"] < 1:
            continue
        total = budget.get("schedule.epochs" if unit.group(1) == "epochs" else "schedule.total_steps")
        if total is None or total["tag"] not in ("paper", "user config", "code") \
                or not isinstance(total["value"], (int, float)) or isinstance(total["value"], bool):
            return []  # (a guessed budget places no stated drop)
        every = statement["value"]
        milestones = [round(every * k, 6) for k in range(1, int(total["value"] // every) + 1) if every * k < total["value"]]
        if not milestones:
            return []
        return [{"value": milestones, "raw": statement["raw"], "tag": "paper", "where": statement["where"],
                 "section": statement["section"], "from": statement["from"], "computed": True,
                 "scope": _own_scope(statement), "stated_name": statement["name"],
                 "quote": f"{statement['quote']} (computed: every {every:g} {unit.group(1)} of {total['value']:g} "
                          f"{total['tag_text']})"}]
    return []


def _epoch_budget(statements: list[dict[str, Any]], epochs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A budget stated as epochs of a fixed number of steps ("40 epochs, each of which consists of 2500 steps")
    is that many steps in all: the paper's epochs (``epochs``, the epochs knob's paper candidates) times its
    steps per epoch, tagged as computed from both."""
    stated = [c for c in epochs if c["tag"] == "paper" and isinstance(c["value"], (int, float))]
    for statement in statements:
        if stated and re.fullmatch(r"(?:training |optimi[sz]ation |gradient )?(?:steps|iterations|updates) per epoch",
                                   statement["name"], re.IGNORECASE) and statement["kind"] == "setting" \
                and isinstance(statement["value"], float) and statement["value"] >= 1:
            per, count = statement["value"], stated[0]["value"]
            return [{"value": int(per * count), "raw": statement["raw"], "tag": "paper", "where": statement["where"],
                     "section": statement["section"], "from": statement["from"], "scope": "", "computed": True,
                     "quote": f"{statement['quote']} (computed: {int(count)} epochs of {int(per)} steps)",
                     "stated_name": statement["name"]}]
    return []


def _split_share(statements: list[dict[str, Any]], chosen: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The share of one pool of examples used for training, where the paper splits it in two and says the share
    in the same sentence ("50% of the data ... 4704 training pairs and 4705 validation pairs"): the stated
    percent, taken only when it is the split's own train / (train + test)."""
    train, test = chosen.get("data.train_size"), chosen.get("data.test_size")
    if not train or not test or train["tag"] != "paper" or test["tag"] != "paper" or train["quote"] != test["quote"]:
        return []
    share = float(train["value"]) / (float(train["value"]) + float(test["value"]))
    for statement in statements:
        value = statement["value"]
        if statement["quote"] == train["quote"] and statement["unit"] == "%" and isinstance(value, float) \
                and abs(value / 100 - share) <= 0.005:
            return [{"value": value / 100, "raw": statement["raw"], "tag": "paper", "where": statement["where"],
                     "section": statement["section"], "from": statement["from"], "scope": "",
                     "quote": statement["quote"], "stated_name": statement["name"]}]
    return []


def code_candidates(knob: Knob, hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The values the code gives a knob (value, where, quote), from the code the training commands reach."""
    if knob.name == "optimizer.name":
        return _code_optimizers(hparams)
    if not knob.code:
        return []
    name_re, scope_re = knob.code
    found = []
    for h in hparams:
        if not _run_setting(h) or h.get("kind") == "layer argument" and knob.block in RUN_SETTING_BLOCKS:
            continue  # (a layer's own argument is no training setting: BatchNorm1d's eps is not the optimizer's, a new
            # user's MAE; a task's architecture knob still reads one, Conv1d's padding)
        leaf = str(h["name"]).split(".")[-1]
        if len(str(h["name"]).split(".")) > 1 and OTHER_PHASE.search(str(h["name"]).split(".")[-2]):
            continue  # a config's [sample] batch_size, eval.batch_size: another phase's, not the training run's
        value = h["value"]
        target = _instantiated(h)
        if target:  # Hydra's `scheduler: {_target_: torch.optim.lr_scheduler.ReduceLROnPlateau}`: the key's class
            leaf, value = target
        named = re.search(name_re, leaf, re.IGNORECASE) or re.search(name_re, _qualified(h), re.IGNORECASE) \
            or _helped(knob, h)
        if not named or not re.search(scope_re, str(h.get("scope", "")), re.IGNORECASE):
            continue
        if knob.parse in NAME_PARSERS and not isinstance(value, str):
            continue  # a name (a loss's) is written as a word: `loss: 0.3` is a logged number, not the loss
        if knob.in_percent(leaf) and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = value / 100  # a share the code keeps in percent (train_data_pct=5)
        if knob.item is not None and isinstance(value, (list, tuple)):  # Adam's betas=(0.9, 0.98): beta2 is item 1
            if len(value) <= knob.item:
                continue
            value = value[knob.item]
        if knob.parse in (int, integer) and isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            continue  # a sentinel (`--max-steps -1`: no limit), not a count
        if isinstance(value, (list, dict)) or (isinstance(value, str) and knob.parse not in (str,)):
            parsed = knob.parse(str(value), "") if isinstance(value, str) else None
            if parsed is None:
                continue
            value = parsed
        found.append({"value": value, "raw": f"{h['name']}={h['value']!r}", "tag": "code",
                      "where": code_place(h), "quote": f"{h.get('scope', '')}: {h['name']}={h['value']!r}",
                      "kind": h.get("kind", ""), "commit": h.get("commit", ""), "optimizer": _optimizer_of(h),
                      "path": str(h.get("path", ""))})
    # `config.get('weight_decay', 0.0)` is what runs only where no configuration sets the option
    found = [c for c in found if c["kind"] != "config default"] or found
    # one scheduler built is the run's; several (rl_games builds an adaptive, a linear or a constant one, as its config
    # says) are a choice the code makes at run time, which a call alone does not tell
    built = {h["value"] for h in hparams if h.get("kind") == "scheduler call" and h.get("reached") is not False}
    if len(built) > 1:
        found = [c for c in found if c["kind"] != "scheduler call"]
    # a module before a notebook (exploration, figures) of the same kind
    found.sort(key=lambda c: (CODE_KIND_RANK.get(c["kind"], 3), ".ipynb#" in c["where"]))
    return found


# an option's help text as the name of a setting: "number of epochs to train for" (pytorch/examples' DCGAN's
# --niter), "learning rate, default=0.0002"; the name runs to the first punctuation, with only the training it is of
# after it ("number of epochs between evaluations" is no training length)
HELP_NAME = re.compile(r"\s*(?:the\s+)?(?:(?:total\s+)?number\s+of\s+|#\s*(?:of\s+)?)?(?P<name>[A-Za-z][\w -]*?)"
                       r"(?:\s+(?:to\s+train(?:\s+for)?|for\s+training|of\s+training|during\s+training))?\s*(?:[.,;:(]|$)",
                       re.IGNORECASE)


def _helped(knob: Knob, h: dict[str, Any]) -> bool:
    """Does a command-line option's help text name this knob?"""
    match = HELP_NAME.match(str(h.get("help") or ""))
    return bool(match and h.get("kind") == "argparse default" and knob.names_it(match.group("name")))


RUN_SETTING_BLOCKS = ("optimizer", "batch", "schedule", "loss", "tricks", "augmentation", "data")

OTHER_PHASE = re.compile(r"^(?:sample|sampling|sampler|eval|evaluation|evaluate|test|testing|inference|generate|"
                         r"generation|valid|validation|val|predict|prediction)$", re.IGNORECASE)


def _run_setting(h: dict[str, Any]) -> bool:
    """A code setting a run may take: not in code the training commands never reach (a notebook, a plotting script:
    listed apart), nor in an evaluation script (SimCSE's evaluation.py: SentEval's probe, RMSprop)."""
    return h.get("reached") is not False and not EVALUATION_SCRIPT.search(str(h.get("path", "")))


def _instantiated(h: dict[str, Any]) -> tuple[str, str] | None:
    """(key, class name) of a config's ``key: {_target_: package.Class}`` (Hydra's instantiate), or None."""
    parts = str(h["name"]).split(".")
    if len(parts) < 2 or parts[-1] != "_target_" or not isinstance(h["value"], str) or h.get("kind") not in CONFIG_KINDS:
        return None
    return parts[-2], h["value"].split(".")[-1]


def _qualified(h: dict[str, Any]) -> str:
    """A config leaf with the key it sits under: ``loss.name`` (a Hydra group's file) is ``loss_name``."""
    return "_".join(str(h["name"]).split(".")[-2:])


NAME_PARSERS = (loss_name, optimizer_name, schedule_name)  # knobs whose value is a name, written as a word

# a config's choice of optimizer: `optimizer: RMSprop`, `optim: adamw`, `optimizer.name: sgd`, `--optimizer adam`
OPTIMIZER_OPTION = re.compile(r"^optim(?:izer|iser)?(?:_(?:name|type|class))?$", re.IGNORECASE)
CONFIG_KINDS = ("yaml config", "toml config", "config dict", "argparse default", "README command")


def _optimizer_of(h: dict[str, Any]) -> str | None:
    """The optimizer a code setting is an argument of (`SGD.momentum` -> "sgd"), or a default of (the repository's
    own `class LARS(Optimizer)` with `momentum=0.9`: LARS's, not an AdamW run's), or None."""
    if h.get("kind") in ("optimizer argument", "optimizer call"):
        return family(str(h["name"]).split(".")[0])
    return family(str(h.get("scope", ""))) if h.get("kind") == "constructor default" else None


def _code_optimizers(hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The optimizers the code constructs (`optim.SGD(params, lr=0.1, momentum=0.9)`), once each, from the code the
    training commands reach."""
    found: dict[str, dict[str, Any]] = {}
    # a config that names the optimizer picks it (`getattr(torch.optim, config.optimizer)`, or one call of several)
    for h in hparams:
        if not _run_setting(h):
            continue
        target = _instantiated(h)  # `optimizer: {_target_: torch.optim.Adam}`: the class Hydra builds
        chosen = canonical(target[1] if target else h["value"]) if isinstance(h["value"], str) else None
        if chosen and h.get("kind") in CONFIG_KINDS and chosen not in found and (
                target or OPTIMIZER_OPTION.search(str(h["name"]).split(".")[-1]) or OPTIMIZER_OPTION.search(_qualified(h))):
            found[chosen] = {"value": chosen, "raw": f"{h['name']}={h['value']!r}", "tag": "code",
                             "where": code_place(h), "quote": f"{h.get('scope', '')}: {h['name']}={h['value']!r}",
                             "kind": h["kind"], "commit": h.get("commit", "")}
    for h in hparams:
        owner = _optimizer_of(h)
        if owner and _run_setting(h) and owner not in found:
            found[owner] = {"value": owner, "raw": str(h["name"]).split(".")[0], "tag": "code",
                            "where": h.get("call") or code_place(h),
                            "quote": f"{h.get('scope', '')}: {str(h['name']).split('.')[0]}(...)", "kind": h["kind"],
                            "commit": h.get("commit", "")}
    return list(found.values())


def _for_the_runs_optimizer(knob: Knob, candidates: list[dict[str, Any]], run_entry: dict[str, Any] | None
                            ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An optimizer's arguments belong to that optimizer: an SGD call's momentum or learning rate in code is not a
    value of a run that uses Adam; and a value the paper gives "for Adam" is a run's only when the paper says the
    run uses Adam (or AdamW, its family): "Adam and SGD failed to train ... with their default learning rates of
    0.001 for Adam" (a new user's optimizer paper, whose run's optimizer is a guess) is no learning rate of it.
    Returns the candidates the run may take and, listed apart, the others."""
    if not knob.name.startswith("optimizer.") or knob.name == "optimizer.name" or run_entry is None:
        return candidates, []
    run_optimizer = run_entry["value"]
    # an optimizer outside the vocabulary (CMA-ES, a paper's own) is still the run's: an SGD call is not its
    run = canonical(str(run_optimizer or "")) or (re.sub(r"[\s_-]", "", str(run_optimizer)).lower() or None
                                                  if isinstance(run_optimizer, str) else None)
    in_code = [c for c in candidates if run is not None and c.get("optimizer") and c["optimizer"] != run]
    own = canonical(str(run_optimizer)) if run_entry["tag"] != "guess" else None
    in_paper = [c for c in candidates if c["tag"] == "paper" and canonical(c.get("scope") or "")
                and (own is None or canonical(c["scope"]).removesuffix("w") != own.removesuffix("w"))]
    if own is not None:  # (a sentence that names one optimizer, not the run's: "We trained for 20,000 steps ... using SGD
        # with Nesterov momentum with a momentum parameter of 0.9", a new user's SimCLR paper's fine-tuning, is SGD's
        # nesterov, not its LARS pre-training's)
        in_paper += [c for c in candidates if c["tag"] == "paper" and c not in in_paper
                     and len(named := _named_optimizers(c.get("quote") or "")) == 1 and named != {own.removesuffix("w")}]
    guessed = ", a guess" if run_entry["tag"] == "guess" else ""
    return ([c for c in candidates if c not in in_code and c not in in_paper],
            [{"value": c["value"], "tag": format_tag(c), "scope": f"{c['optimizer']}, not the run's optimizer ({run})"}
             for c in in_code]
            + [{"value": c["value"], "tag": format_tag(c),
                "scope": f"{c['scope']}, not the run's optimizer ({run_optimizer}{guessed})"} for c in in_paper])


def _for_the_runs_setup(candidates: list[dict[str, Any]], run_scope: str, setups: tuple[str, ...]
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A value in a code file named after another setup the paper states values for is that setup's: with the run
    following "Pre-training", `main_finetune.py`'s label smoothing of 0.1 is "End-to-end fine-tuning"'s (a new user's
    MAE run took it, beside its MSE loss). A file named after the run's setup, or after none, stays the run's.
    Returns the candidates the run may take and, listed apart, the others."""
    if not run_scope:
        return candidates, []
    kept, apart = [], []
    for c in candidates:
        path = c.get("path") or ""
        other = None if c["tag"] != "code" else next(
            (s for s in setups if s.split(", ")[0] != run_scope.split(", ")[0] and file_names_setup(path, s)), None)
        if other is None or file_names_setup(path, run_scope):
            kept.append(c)
        else:
            apart.append({"value": c["value"], "tag": format_tag(c),
                          "scope": f"{other.split(', ')[0]} (its file's name), not the run's setup"})
    return kept, apart


def _named_optimizers(sentence: str) -> set[str]:
    """The optimizers a sentence names by name ("SGD", "AdamW"; Adam and AdamW one family), not in words."""
    return {name.removesuffix("w") for m in re.finditer(rf"(?<![\w-]){optimizers.pattern()}(?![\w-])", sentence)
            if not optimizers.spelled(m.group(0)) and (name := canonical(m.group(0)))}


RUN_BLOCKS = ("optimizer", "batch", "schedule")  # the knobs one experiment's training states together


def _fallbacks(knob: Knob, chosen: dict[str, Any]) -> list[dict[str, Any]]:
    run = str(chosen.get("optimizer.name") or "")
    if knob.name.startswith("optimizer.") and knob.name != "optimizer.name" and run and canonical(run) is None:
        # CMA-ES, a paper's own update rule (no gradient optimizer of the vocabulary): torch's Adam defaults, or a
        # guess made for Adam, are not its settings
        what = knob.name.split(".", 1)[1].replace("_", " ").replace("lr", "learning rate")
        return [{"value": None, "tag": "framework default", "where": "", "raw": "",
                 "quote": f"the run's optimizer, {run}, is no torch optimizer: no {what} of torch's applies"}]
    out = []
    if knob.convention:
        out.append({"value": knob.convention[0], "tag": "venue convention", "where": "", "quote": knob.convention[1],
                    "raw": ""})
    if knob.framework:
        value, source = knob.framework(chosen)
        out.append({"value": value, "tag": "framework default", "where": "", "quote": source, "raw": ""})
    if knob.guess:
        reason = knob.guess[1]
        if knob.name == "optimizer.lr" and run and not (canonical(run) or "").startswith("adam"):
            reason = f"no learning rate stated; 1e-3, a common starting point for Adam, is one to tune for {run}"
        out.append({"value": knob.guess[0], "tag": "guess", "where": "", "quote": reason, "raw": ""})
    return out


def _followable_name(other: dict[str, Any]) -> str:
    """How the config names another setup: its section number, or a paragraph heading's title."""
    return _heading_title(other["where"]) if " › " in other["where"] else other["number"]


def _heading_title(where: str) -> str:
    """A paragraph heading's title in its section path: "§3.3 › Inductive learning" -> 'Inductive learning'."""
    return where.split(" › ")[-1]


def format_tag(entry: dict[str, Any]) -> str:
    tag = entry["tag"]
    if tag == "paper":
        return f"[paper {entry['where']}]" + (" (computed)" if entry.get("computed") else "")
    if tag == "code":
        return f"[code: {entry['where']}]"
    if tag == "guess":
        return f"[guess: {entry['quote']}]"
    return f"[{tag}]"


def validate_overrides(overrides: dict[str, Any], knobs: list[Knob]) -> None:
    names = {k.name for k in knobs}
    unknown = sorted(set(overrides) - names)
    if unknown:
        raise UserError(f"override {unknown[0]!r} in the config is not a ledger entry; use one of: "
                        f"{', '.join(sorted(names))}.")


def build_ledger(paper: dict[str, Any], hparams: list[dict[str, Any]], overrides: dict[str, Any],
                 task_knobs: list[Knob] | tuple[Knob, ...] = (), task_loss: str | None = None,
                 task_source: str | None = None, experiment: Any = None) -> dict[str, Any]:
    """All ledger entries (the core knobs, then the task's), each with exactly one tag, plus conflicts, the
    share of guesses, every value the paper states, derived values and the round-trip verification.

    ``task_loss`` is the loss the task implements: it is what the runs use, so it enters the ledger as
    ``[user config]`` (the task file is the user's), and a different loss named by the paper is a conflict.
    ``experiment`` (the config's): the setup the run follows when the paper states several (experiments.py);
    without one, the setup most of the run's training values came from.
    """
    overrides = dict(overrides or {})
    knobs = [*KNOBS, *task_knobs]
    validate_overrides(overrides, knobs)
    statements = extract_statements(paper)
    run_knobs = [k for k in knobs if k.block in RUN_BLOCKS]

    training = training_sections(paper)
    by_section, by_scope, scope_sections, scoped = stated_training(paper, statements, run_knobs, training)
    followed = None if experiment in (None, "") else configured(paper, statements, experiment, by_section, same_value,
                                                                scoped)
    unstated = followed.label if followed is not None and followed.unstated else ""
    if unstated:
        followed = None  # a name the paper writes with no training value: the run is read as if none were configured
    entries = _choose(statements, training, hparams, overrides, knobs, task_loss, task_source, followed, one_recipe=False,
                      setups=tuple(by_scope))
    setups = find_setups(paper, by_section, [e.get("section") for e in entries if e["tag"] == "paper"
                                             and e["block"] in RUN_BLOCKS and not canonical(e["stated_scope"])],
                         same_value)
    if followed is None and setups:
        followed = follow_most_stated(paper, setups, by_section, same_value)
    entries = _choose(statements, training, hparams, overrides, knobs, task_loss, task_source, followed,
                      setups=tuple(by_scope))
    _augmentation_unnamed(statements, entries)
    _loss_unnamed(paper, entries)
    _lr_by_formula(statements, entries)
    _per_device_batch(statements, entries, followed)
    _lr_scaling_rule(statements, entries, followed)
    _full_batch(statements, entries, followed)
    guesses = [e for e in entries if e["tag"] == "guess"]
    stated = stated_entries(statements)
    return {"entries": entries, "guess_share": len(guesses) / len(entries),
            "experiment": followed.summary() if followed else None, "experiment_unstated": unstated,
            "per_scope": _followable(per_scope(entries, by_scope, scope_sections, followed),
                                     lambda name: configured(paper, statements, name, by_section, same_value, scoped)),
            "sibling_setups": setups, "sibling_paragraphs": _sibling_paragraphs(paper, entries) if followed is None else [],
            "conflicts": [e["name"] for e in entries if e["conflicts"]],
            "derived": derived_values(entries),
            "stated": stated,
            "inference": [e for e in stated if e["kind"] == "inference"],
            "stated_but_unused": stated_but_unused(entries, stated),
            "verification": verify_claims(paper, entries + stated)}


def _sibling_paragraphs(paper: dict[str, Any], entries: list[dict[str, Any]]) -> list[list[str]]:
    """Sibling paragraph headings the run, with no experiment, took training values from ("§3.3 › Inductive
    learning" and "§3.3 › Transductive learning" of a new user's GAT paper: its batch of 2 graphs from one, its weight
    decay from the other). Said in gaps_filled.md with the advice to follow one; parts of one setup are told apart
    from setups by the paper only, so the run is not changed."""
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    taken: dict[str, list[str]] = {}
    for e in entries:
        section = by_id.get(e.get("section") or "")
        if e["tag"] == "paper" and e["block"] in RUN_BLOCKS and section is not None and not section.get("number"):
            shown = section_label(paper, section["id"])
            if shown not in taken.setdefault(section.get("parent") or "", []):
                taken[section.get("parent") or ""].append(shown)
    return [sorted(places) for places in taken.values() if len(places) >= 2]


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _augmentation_unnamed(statements: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """A guessed "none" augmentation says where the paper speaks of augmentation without naming it ("... on CIFAR-10
    and ImageNet with standard data augmentation"), instead of claiming the paper describes none."""
    entry = next((e for e in entries if e["name"] == "augmentation.pipeline" and e["tag"] == "guess"), None)
    said = next((s for s in statements if s["kind"] == "setting" and (
        s["pattern"] == "augmentation unnamed" or s["pattern"] == "follows" and "augment" in s["name"].lower())), None)
    if entry is None or said is None:
        return
    taken = f"takes its augmentation from {said['value']}" if said["pattern"] == "follows" else "speaks of augmentation"
    entry["quote"] = (f"the paper {taken} without naming its transforms ({said['where']}: "
                      f"\"{_shown(said['quote'], said['raw'])}\"); none is applied until augmentation.pipeline is set in "
                      "overrides or the task applies it")
    entry["tag_text"] = format_tag(entry)


LOSS_TITLE = re.compile(r"^(?:the\s+)?(?:training\s+|overall\s+|total\s+|learning\s+)?(?:loss(?:es)?|objectives?)"
                        r"(?:\s+(?:functions?|terms|formulation|design))?(?:\s+and\s+[\w\s-]+)?\.?$", re.IGNORECASE)


def _loss_unnamed(paper: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """A guessed loss says where the paper states its objective without a loss the harness names ("2.3 Objective
    Function": "L = lambda L_CTC + (1 - lambda) L_ATT", a new user's speech paper; "3.6 Loss terms", a detection
    paper's), instead of claiming the paper states no loss."""
    entry = next((e for e in entries if e["name"] == "loss.name" and e["tag"] == "guess"), None)
    if entry is None:
        return
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    titled = [s for s in by_id.values() if LOSS_TITLE.search(s.get("title") or "") and not _unread(s, by_id)]
    # (an "Overall Objective" over a background section's "Losses")
    titled.sort(key=lambda s: not re.search(r"objective", s.get("title") or "", re.IGNORECASE))
    if not titled:
        return
    label = section_label(paper, titled[0]["id"])
    title = normalise_space(titled[0]["title"]).rstrip(".")
    named = label if title in label else f"{label} \"{title}\""
    entry["quote"] = (f"the paper states its objective in {named} without naming a loss "
                      f"the harness applies; {entry['value']} until loss.name is set in overrides or the task's LOSS")
    entry["tag_text"] = format_tag(entry)


# the kinds a statement of how the run is given is not the run's in: "MAE (He et al., 2022) uses lr = base_lr x
# batchsize / 256", a baseline's full-batch training ("We varied the learning rate ... according to the formula" is a
# sweep's cue but the run's schedule)
OTHERS_KINDS = ("cited", "baseline", "result", "ablation", "overview")


def _full_batch(statements: list[dict[str, Any]], entries: list[dict[str, Any]], followed: Experiment | None) -> None:
    """A guessed batch size says where the paper trains on the whole training set at once ("All experiments on PINNs
    use full-batch training" (tanh-init); "we perform batch gradient descent using the full dataset for every training
    iteration", a new user's graph paper): its batch is the training set's size, which the task's data decides."""
    entry = next((e for e in entries if e["name"] == "batch.batch_size" and e["tag"] == "guess"), None)
    said = next((s for s in statements if s["pattern"] == "full batch" and s["kind"] not in OTHERS_KINDS
                 and not (followed is not None and s["section"] in followed.excluded)), None)
    if entry is None or said is None:
        return
    entry["quote"] = (f"the paper trains full-batch ({said['where']}: \"{_shown(said['quote'], said['raw'])}\"): set "
                      f"batch.batch_size to the training set's size in overrides; {entry['value']} until then")
    entry["tag_text"] = format_tag(entry)


def _unread(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> bool:
    """Is a section one stage 3 does not read for the run (front matter, related work, references), or inside one?"""
    return any(SKIP_SECTION.match(c.get("title") or "") or c.get("kind") == "front" for c in section_chain(section, by_id))


def _lr_by_formula(statements: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """A guessed learning rate says where the paper gives it as a formula ("We varied the learning rate over the
    course of training, according to the formula: lrate = d_model^-0.5 ...", a new user's Transformer paper) instead
    of claiming the paper states none."""
    entry = next((e for e in entries if e["name"] == "optimizer.lr" and e["tag"] == "guess"), None)
    said = next((s for s in statements if s["pattern"] == "lr formula" and s["kind"] not in OTHERS_KINDS), None)
    if entry is None or said is None:
        return
    entry["quote"] = (f"the paper gives the learning rate by a formula ({said['where']}: "
                      f"\"{_shown(said['quote'], said['raw'])}\"), not as a value; "
                      f"{entry['value']:g} until optimizer.lr (and the schedule the formula describes) is set in overrides")
    entry["tag_text"] = format_tag(entry)


PER_DEVICE_BATCH = re.compile(r"^(?:mini-?)?batch(?:[- ]?size)?\s+(?:per|for\s+each)\s+(?:GPU|device|TPU|accelerator)",
                              re.IGNORECASE)
DEVICE_COUNT = re.compile(r"^(?:number\s+of\s+)?(?:[\w-]+\s+){0,3}?(?:GPUs|TPUs|devices|accelerators)$", re.IGNORECASE)


def _per_device_batch(statements: list[dict[str, Any]], entries: list[dict[str, Any]], followed: Experiment | None) -> None:
    """A batch the paper gives per GPU ("a batch size of 512 per GPU on 8 GPUs", "We set the batch size for each GPU to
    32 and train on 8 GPUs") is the run's batch times the GPUs it states, computed from both; without a count of GPUs,
    the guess says so."""
    entry = next((e for e in entries if e["name"] == "batch.batch_size" and e["tag"] == "guess"), None)
    if entry is None:
        return
    admitted = [s for s in statements if followed is None or followed.admits(s, run_knob=True)]
    share = next((s for s in admitted if PER_DEVICE_BATCH.match(s["name"]) and isinstance(s["value"], float)
                  and s["value"] >= 1), None)
    if share is None:
        return
    count = next((s for s in admitted if DEVICE_COUNT.match(s["name"]) and isinstance(s["value"], float)
                  and 1 <= s["value"] <= 4096 and s["section"] == share["section"]), None)
    if count is None:
        entry["quote"] = (f"the paper gives the batch per GPU ({share['value']:g}, {share['where']}) but no number of "
                          f"GPUs: set batch.batch_size to it times the GPUs in overrides; {entry['value']} until then")
        entry["tag_text"] = format_tag(entry)
        return
    entry.update(value=int(share["value"] * count["value"]), tag="paper", computed=True, where=share["where"],
                 stated_name=share["name"], section=share["section"],
                 quote=f"{share['quote']} ({share['value']:g} per GPU x {count['value']:g} GPUs)")
    entry["tag_text"] = format_tag(entry)


def _lr_scaling_rule(statements: list[dict[str, Any]], entries: list[dict[str, Any]], followed: Experiment | None) -> None:
    """A base learning rate the paper scales by the batch ("We use the linear lr scaling rule: lr = base_lr x
    batchsize / 256", a statement of the setup the run follows) is not the rate the run uses: it is computed from the
    run's batch size, both as stated."""
    lr = next((e for e in entries if e["name"] == "optimizer.lr"), None)
    batch = next((e for e in entries if e["name"] == "batch.batch_size" and e["tag"] == "paper"), None)
    said = next((s for s in statements if s["pattern"] == "lr scaling" and s["kind"] not in OTHERS_KINDS
                 and (followed is None or followed.admits(s, run_knob=True))), None)
    if lr is None or batch is None or said is None or lr["tag"] not in ("paper", "guess"):
        return
    rule = LR_SCALING.match(said["raw"])
    written = parse_number(rule.group("base")) if rule.group("base")[0].isdigit() else None
    if written is not None and lr["tag"] != "guess" and not (lr["quote"] == said["quote"] and lr["value"] == written):
        return  # the rate is stated: a rule with its own number is another recipe's ("For linear probing, we
        # instead follow the rule lr = 0.1 x BatchSize/256"); the rule's own base read as the rate ("lr = 1.5e-4 x
        # batchsize / 256" gave "lr = 1.5e-4") is the base
    if written is None and not (lr["tag"] == "paper" and re.search(r"\bbase\b|\bblr\b", lr.get("stated_name") or "",
                                                                   re.IGNORECASE)):
        return  # a rule for a base rate the run's rate is not
    base = written if written is not None else lr["value"]
    lr.update(value=base * batch["value"] / int(rule.group("n")), tag="paper", computed=True,
              where=lr["where"] if written is None else said["where"],
              quote=f"{_shown(said['quote'], said['raw'])} with the base rate {base:g} and the batch size "
                    f"{batch['value']} ({batch['tag_text']})")
    lr["tag_text"] = format_tag(lr)


def _shown(sentence: str, words: str) -> str:
    """The part of a sentence around the words it says: 100 characters before them, 40 after."""
    at = max(sentence.find(words), 0)
    start, end = max(0, at - 100), min(len(sentence), at + len(words) + 40)
    return ("..." if start else "") + sentence[start:end] + ("..." if end < len(sentence) else "")


def stated_training(paper: dict[str, Any], statements: list[dict[str, Any]], run_knobs: list[Knob],
                    training: frozenset[str]) -> tuple[dict[str, dict[str, list[Any]]], dict[str, dict[str, list[Any]]],
                                                       dict[str, set[str]], dict[str, dict[str, dict[str, list[Any]]]]]:
    """The training values the paper states, by numbered section and by scope: {place: {knob: [values]}}; the
    ids of the sections each scope's values are stated in; and each scope's values by numbered section (the
    unscoped ones under ""). A value "for Adam" is the optimizer's, in no experiment's place."""
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    by_section: dict[str, dict[str, list[Any]]] = {}
    scoped: dict[str, dict[str, dict[str, list[Any]]]] = {}
    by_scope: dict[str, dict[str, list[Any]]] = {}
    scope_sections: dict[str, set[str]] = {}
    for knob in run_knobs:
        for cand in paper_candidates(knob, statements, "", training, merge=False):
            if canonical(cand["scope"] or ""):
                continue
            numbered = numbered_section(by_id.get(cand["section"] or ""), by_id)
            if numbered is not None:  # (in ``scoped``, the unscoped values under "")
                by_section.setdefault(numbered["id"], {}).setdefault(knob.name, []).append(cand["value"])
                scoped.setdefault(cand["scope"] or "", {}).setdefault(numbered["id"], {}).setdefault(
                    knob.name, []).append(cand["value"])
            if cand["scope"]:
                by_scope.setdefault(cand["scope"], {}).setdefault(knob.name, []).append(cand["value"])
                scope_sections.setdefault(cand["scope"], set()).add(cand["section"])
    return by_section, by_scope, scope_sections, scoped


def _followable(scopes: list[dict[str, Any]], follow: Any) -> list[dict[str, Any]]:
    """Each scope with whether ``experiment: <scope>`` is accepted as it stands (a name also in the titles of two
    setups, "ImageNet-1K" in "3.1 › Training on ImageNet-1K" and "A.1 ImageNet (Pre-)training" of a new user's ConvNeXt
    paper, is refused with a sentence): the advice gaps_filled.md gives must be one that works."""
    for scope in scopes:
        try:
            follow(scope["scope"])
            scope["followable"] = True
        except UserError:
            scope["followable"] = False
    return scopes


def per_scope(entries: list[dict[str, Any]], by_scope: dict[str, dict[str, list[Any]]],
              scope_sections: dict[str, set[str]], followed: Experiment | None) -> list[dict[str, Any]]:
    """The datasets, models or tasks the paper gives different training values (lbcs's 5.2: Adam at 1e-3 for
    F-MNIST and SVHN, SGD at 0.1 for CIFAR-10; eomt's epochs per dataset), in the followed setup when there is
    one: each with the knobs stated for it and those the run took from it; [] for fewer than two. Scopes that
    state other knobs (a paragraph heading "Loss and optimisation." beside its section's title) are parts of one
    setup; a configured scope is one already."""
    if followed is not None and followed.scope:
        return []
    knobs = {sc: found for sc, found in by_scope.items()
             if followed is None or not followed.inside or scope_sections[sc] & followed.inside}
    run: dict[str, list[Any]] = {}  # the values the run took paper-wide: a scope that contradicts them is another recipe
    for e in entries:
        if e["tag"] == "paper" and e["block"] in RUN_BLOCKS and not e["stated_scope"]:
            run[e["name"]] = [e["value"]]
    differing = [sc for sc in knobs if conflict(knobs[sc], run, same_value)
                 or any(conflict(knobs[sc], knobs[o], same_value) for o in knobs if o != sc)]
    if not differing or len(differing) < 2 and not conflict(knobs[differing[0]], run, same_value):
        return []
    taken: dict[str, list[str]] = {}
    for e in entries:
        if e["tag"] == "paper" and e["block"] in RUN_BLOCKS and e["stated_scope"]:
            taken.setdefault(e["stated_scope"], []).append(e["name"])
    return [{"scope": sc, "knobs": sorted(knobs[sc]), "taken": taken.get(sc, [])} for sc in differing]


def _choose(all_statements: list[dict[str, Any]], training: frozenset[str], hparams: list[dict[str, Any]],
            overrides: dict[str, Any], knobs: list[Knob], task_loss: str | None, task_source: str | None,
            followed: Experiment | None, one_recipe: bool = True, setups: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Each knob's value and its evidence, from the statements the followed experiment admits. ``one_recipe``:
    values scoped to a dataset, model or task whose recipe contradicts the run's are not taken (off for the first
    reading, which finds the setups a run would mix). ``setups``: the datasets, models or tasks the paper states
    training values for (a code file named after another than the run's is that setup's)."""
    entries: list[dict[str, Any]] = []
    chosen_values: dict[str, Any] = {}
    if followed is not None:
        statements = [s for s in all_statements if followed.admits(s, run_knob=False)]
        run_statements = [s for s in statements if followed.admits(s, run_knob=True)]
    else:
        statements = run_statements = all_statements
    # the experiment the run follows: the configured scope, else the scope of the first setting taken from a
    # scoped statement
    run_scope = followed.scope if followed is not None else ""
    by_name = {knob.name: knob for knob in knobs}
    stated_for: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def from_paper(name: str) -> list[dict[str, Any]]:
        """The paper's candidates for a knob under the run's scope as it stands (read once per scope)."""
        if (name, run_scope) not in stated_for:
            knob = by_name[name]
            stated_for[name, run_scope] = paper_candidates(
                knob, run_statements if knob.block in RUN_BLOCKS else statements, run_scope, training,
                scope_first=bool(followed is not None and followed.scope),
                followed_sections=followed.inside if followed is not None else frozenset())
        return [dict(c) for c in stated_for[name, run_scope]]

    admitted = {id(s) for s in run_statements}
    left_out = [s for s in all_statements if id(s) not in admitted] if followed is not None else []

    def other_setups(knob: Knob) -> list[dict[str, Any]]:
        """The values another setup states for a knob, listed beside the run's (never taken)."""
        if not left_out or knob.block not in RUN_BLOCKS:
            return []
        return [{"value": c["value"], "tag": format_tag(c),
                 "scope": f"{c['scope']}, not the run's setup" if c["scope"] else "another setup"}
                for c in paper_candidates(knob, left_out, "", training)]

    contradicting: dict[tuple[str, str], bool] = {}

    def contradicts_the_run(scope: str, current: str) -> bool:
        """Does a dataset, model or task the paper scopes values to state another value for a knob the run takes
        paper-wide (lbcs's "For CIFAR-10, an SGD optimizer ... and a cosine rate scheduler" beside the paper-wide
        Adam)? Then its other values are another setup's: a run with Adam takes no cosine schedule from CIFAR-10's
        recipe. The knobs already chosen count, and the paper-wide values of those still to come (the knobs' order
        decides nothing); the knob being chosen does not (a table's value for one environment still comes before
        the paper-wide prose, listed as a conflict)."""
        if (scope, current) not in contradicting:
            taken = {e["name"]: e for e in entries if e["tag"] == "paper" and e["block"] in RUN_BLOCKS
                     and e["stated_scope"] in ("", run_scope)}
            for k in knobs:
                if k.block in RUN_BLOCKS and k.name != current and k.name not in taken \
                        and not any(e["name"] == k.name for e in entries):
                    wide = next((c for c in from_paper(k.name) if c["tag"] == "paper" and not c.get("scope")), None)
                    if wide is not None:
                        taken[k.name] = {"value": wide["value"], "stated_name": wide.get("stated_name", "")}
            contradicting[scope, current] = any(
                # (a part's scope is its recipe's: "End-to-end fine-tuning, B" of a table's "100 (B), 50 (L/H)")
                (c["scope"] == scope or scope.startswith(f"{c['scope']}, "))
                and _same_scope({**c, "scope": ""}, {"stated_name": e["stated_name"]})
                and not same_value(c["value"], e["value"]) for name, e in taken.items() for c in from_paper(name))
        return contradicting[scope, current]

    for knob in knobs:
        candidates = from_paper(knob.name) + code_candidates(knob, hparams)
        # (a trick too: advantage-alignment's run with IPD's table takes no gradient clipping from the Negotiation
        # Game's; and a loss setting: a new user's MAE pre-training takes no label smoothing from its fine-tuning table)
        another_recipe = [c for c in candidates if one_recipe
                          and knob.block in (*RUN_BLOCKS, "tricks", "loss", "augmentation") and c["tag"] == "paper"
                          and c.get("scope") and c["scope"] != run_scope
                          and (contradicts_the_run(c["scope"], knob.name)
                               # (a configured setup's run takes no other setup's value: "Linear probing" no label
                               # smoothing of "End-to-end fine-tuning", a new user's MAE paper)
                               or bool(followed is not None and followed.scope and not names_scope(followed.scope, c["scope"])
                                       and not names_scope(c["scope"], followed.scope)
                                       and (c.get("from") == "table" or c.get("section") not in followed.inside)))]
        candidates = [c for c in candidates if c not in another_recipe]
        candidates, elsewhere = _for_the_runs_optimizer(knob, candidates,
                                                        next((e for e in entries if e["name"] == "optimizer.name"), None))
        candidates, named_apart = _for_the_runs_setup(candidates, run_scope, setups)
        elsewhere += named_apart
        if knob.name == "schedule.warmup_steps" and not candidates:
            candidates = _warmup_share(run_statements, next((e for e in entries if e["name"] == "schedule.total_steps"),
                                                        None), run_scope)
        if knob.name == "schedule.warmup_epochs" and not candidates and not any(
                e["name"] == "schedule.warmup_steps" and e["tag"] == "paper" for e in entries):
            # (a share of a budget in epochs: "Warmup Ratio 0.06" of 30 epochs is 1.8 warm-up epochs)
            candidates = _warmup_share(run_statements, next((e for e in entries if e["name"] == "schedule.epochs"), None),
                                       run_scope, "epochs")
        if knob.name == "schedule.milestones" and not any(c["tag"] == "paper" for c in candidates):
            candidates = _interval_milestones(run_statements, entries) + candidates
        if knob.name == "schedule.lr_schedule" and not any(c["tag"] == "paper" for c in candidates):
            # the rate decayed at stated points ("decaying by 0.1 at 150, 180 and 210 epochs", "every 30 epochs") is a
            # step schedule
            milestones = from_paper("schedule.milestones")[:1] or _interval_milestones(run_statements, entries)
            candidates = [{**c, "value": "step", "computed": True} for c in milestones] + candidates
        if knob.name == "schedule.total_steps":
            budget = _epoch_budget(run_statements, from_paper("schedule.epochs"))
            # ahead of a step count stated elsewhere (another experiment's "1000 iterations"), after one stated beside it
            beside = [c for c in candidates if budget and c["tag"] == "paper" and c.get("section") == budget[0]["section"]]
            candidates = beside + budget + [c for c in candidates if c not in beside]
        if knob.name == "data.train_share" and not any(c["tag"] == "paper" for c in candidates):
            candidates = _split_share(statements, {e["name"]: e for e in entries}) + candidates
        if knob.name == "optimizer.name" and not candidates:
            candidates = _optimizer_named_by_its_settings(run_statements)
        if knob.name == "optimizer.name" and not candidates:
            momentum = from_paper("optimizer.momentum")
            if momentum:  # no optimizer named, but a momentum is: the optimizer that takes one, not Adam
                candidates = [{"value": "sgd", "tag": "guess", "where": "", "raw": "",
                               "quote": f"no optimizer stated; the paper's momentum of {momentum[0]['value']} "
                                        f"({momentum[0]['where']}) is SGD's"}]
        if knob.name == "loss.name" and task_loss:
            candidates.insert(0, {"value": task_loss, "tag": "user config", "where": f"task {task_source or ''}".strip(),
                                  "quote": f"the task's LOSS = {task_loss!r} ({task_source or 'task file'})", "raw": ""})
        if knob.name in overrides:
            candidates.insert(0, {"value": overrides[knob.name], "tag": "user config", "where": "config overrides",
                                  "quote": f"overrides: {knob.name}: {overrides[knob.name]!r}", "raw": ""})
        if not candidates and knob.optional:
            continue  # nothing states it and the run does not need it
        candidates += _fallbacks(knob, chosen_values)
        candidates.sort(key=lambda c: TAG_RANK[c["tag"]])
        if not candidates:
            raise UserError(f"no source gives {knob.name} and it has no default; add `{knob.name}` to the "
                            "paper's `overrides` in the config.")
        chosen = candidates[0]
        outside = _out_of_range(knob, run_statements) if chosen["tag"] in ("framework default", "guess") else None
        if outside is not None:  # (said, never silently dropped: "an initial learning rate of 30", a new user's LSTM paper)
            chosen = {**chosen, "quote": f"{chosen['quote']}; the paper states {outside['raw']} ({outside['where']}), outside "
                                         f"the range taken as plausible ({knob.range[0]:g} to {knob.range[1]:g}): set "
                                         f"{knob.name} in overrides if it is meant"}
        chosen_values[knob.name] = chosen["value"]
        if not run_scope and chosen["tag"] == "paper" and chosen.get("scope") and knob.block in RUN_BLOCKS:
            run_scope = chosen["scope"]
        evidence = [c for c in candidates[1:] if c["tag"] in ("paper", "code", "user config")]
        differing = [c for c in evidence if not same_value(c["value"], chosen["value"])]
        # the same setting for the same scope (or either paper-wide) with another value is a conflict; a value
        # stated for another dataset, model or environment is listed as scoped, not a conflict
        conflicts = _distinct([{"value": c["value"], "tag": format_tag(c), "quote": c["quote"], "rule": _rule(chosen, c)}
                               for c in differing if _same_scope(c, chosen)])
        scoped = [{"value": c["value"], "tag": format_tag(c), "scope": c["scope"] or c.get("stated_name", "")}
                  for c in differing
                  if not _same_scope(c, chosen)] + elsewhere + [
            c for c in other_setups(knob) if not same_value(c["value"], chosen["value"])] + [
            {"value": c["value"], "tag": format_tag(c), "scope": f"{c['scope']}, not the run's setup"}
            for c in another_recipe if not same_value(c["value"], chosen["value"])]
        entries.append({
            "name": knob.name, "block": knob.block, "model": knob.model, "value": chosen["value"],
            "raw": chosen.get("raw", ""), "stated_name": chosen.get("stated_name", ""), "tag": chosen["tag"],
            "tag_text": format_tag(chosen), "computed": bool(chosen.get("computed")), "stated_scope": chosen.get("scope") or "",
            "section": chosen.get("section"), "where": chosen["where"], "quote": chosen["quote"],
            "also_stated_in": chosen.get("also", []), "conflicts": conflicts, "other_scopes": scoped,
            "agreeing": [format_tag(c) for c in evidence if same_value(c["value"], chosen["value"])],
        })
    _drop_unneeded_alternatives(entries, knobs)
    _decay_without_when(entries)
    for entry in entries:
        entry["unit"] = UNITS.get(entry["name"], "")
        entry["scope"] = entry["model"] or "all models"
    return entries


GENERIC_WORDS = r"\b(?:initial|base|peak|max|maximum|default|global|training|train|total|the|optimizer|adam)\b"


def _same_scope(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One setting for one scope: either is paper-wide or both are for the same dataset, model or task, and (for
    two of the paper's statements) both name it alike: an actor's and a critic's learning rates are two
    settings, "learning rate" and "base learning rate" one."""
    if a.get("stated_name") and b.get("stated_name"):
        names = [normalise_space(re.sub(GENERIC_WORDS, " ", name_key(c["stated_name"]))) for c in (a, b)]
        if names[0] != names[1]:
            return False
    return not a.get("scope") or not b.get("scope") or a["scope"] == b["scope"]


def _rule(chosen: dict[str, Any], other: dict[str, Any]) -> str:
    """Why the chosen value won over another: the precedence of their sources."""
    if chosen["tag"] != other["tag"]:
        return f"{chosen['tag']} over {other['tag']}"
    if chosen.get("from") == "table" and other.get("from") != "table":
        return "a hyperparameter table over prose"
    if not chosen.get("scope") and other.get("scope"):
        return f"a paper-wide value over one stated for {other['scope']}"
    return "the first statement in the paper's order"


def _drop_unneeded_alternatives(entries: list[dict[str, Any]], knobs: list[Knob]) -> None:
    """Drop a fallback value for a knob whose alternative is stated (a budget in epochs makes the step guess moot)."""
    by_name = {e["name"]: e for e in entries}
    # where the paper states its training setup (its learning rate and batch size): the main text or an appendix
    setup = {_in_appendix(by_name[n]) for n in ("optimizer.lr", "batch.batch_size")
             if n in by_name and by_name[n]["tag"] == "paper"}
    scopes = Counter(e["stated_scope"] for e in entries if e["tag"] == "paper" and e.get("stated_scope")
                     and e["block"] in RUN_BLOCKS)
    for knob in knobs:
        mine, other = by_name.get(knob.name), by_name.get(knob.alternative_to or "")
        if mine and other and mine["tag"] in ("guess", "framework default", "venue convention") \
                and other["tag"] in ("paper", "code", "user config"):
            entries.remove(mine)
        elif mine in entries and other in entries and mine["tag"] == "paper" and mine["stated_scope"] \
                and not other["stated_scope"] and other["tag"] in ("paper", "code", "user config"):
            # a budget stated only for one part ("$T=40$ iterations for PGD-CE and PGD-Conf", an attack's) is not the
            # run's when the other budget is stated for the whole run
            entries.remove(mine)
        elif mine in entries and other in entries and mine["tag"] == other["tag"] == "paper" and setup == {False} \
                and _in_appendix(mine) and not _in_appendix(other):
            # a budget in steps and one in epochs, both stated, the training setup in the main text: the main text's
            # is the run's ("300 iterations" of an appendix experiment is not the classification runs' 20 epochs)
            entries.remove(mine)
        elif mine in entries and other in entries and mine["tag"] == other["tag"] == "paper" and mine["stated_scope"] \
                and other["stated_scope"] and mine["stated_scope"] != other["stated_scope"] \
                and scopes[mine["stated_scope"]] < scopes[other["stated_scope"]]:
            # budgets stated for two setups: a pre-training table's epochs for the run's model ("ViT-B/{16,32} | JFT-300M
            # | 7") and a fine-tuning table's steps for a dataset ("Oxford-IIIT Pets | 500", a new user's ViT paper):
            # the budget of the setup the run's other values come from is the run's
            entries.remove(mine)


def _in_appendix(entry: dict[str, Any]) -> bool:
    """Is a stated value's place an appendix ("[paper §C.2]", "§Appendix D")?"""
    return bool(re.match(r"§(?:[A-Z](?:\.|\b|$)|Appendix)", entry.get("where") or ""))


UNITS = {"schedule.total_steps": "steps", "schedule.epochs": "epochs", "schedule.warmup_steps": "steps",
         "schedule.warmup_epochs": "epochs",
         "batch.batch_size": "examples", "data.train_size": "examples", "data.test_size": "examples"}


@functools.lru_cache(maxsize=8192)
def _norm_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def _symbol(name: str) -> str:
    match = re.search(r"\$([^$]{1,20})\$", name)
    return re.sub(r"\s+", "", match.group(1)) if match else ""


def _same_setting(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two statements of one setting: the same words, or a table row's symbol named in prose ("$\\alpha$" in
    Table 3 and "the coefficient ... $\\alpha$" in §C.3; two prose symbols may be two different things)."""
    if _norm_name(a["name"]) == _norm_name(b["name"]):
        short = [re.sub(r"[^A-Za-z]", "", n) for n in (a["name"], b["name"])]
        return not (len(short[0]) == 1 and short[0] != short[1])  # $n$ (n-step) and $N$ (environments) differ

    one_table = (a["from"] == "table") != (b["from"] == "table")
    return one_table and bool(_symbol(a["name"])) and _symbol(a["name"]) == _symbol(b["name"])


def _one_exception(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """A paper-wide value and a value the prose scopes to a named setting ("batch size 64"; "for single-sample
    adaptation, batch size 1") are a default and its exception, not a conflict. Against a table's value (the
    table's column or caption scopes it) a paper-wide prose value is a conflict: prose vs table."""
    wide, scoped = (a, b) if not a["scope"] and b["scope"] else (b, a) if not b["scope"] and a["scope"] else (None, None)
    return wide is not None and scoped["from"] != "table"


NO_CONFLICT_PATTERNS = ("count", "model", "augmentation", "augmentation unnamed", "shuffle", "arch is")


def stated_entries(found: list[dict[str, Any]] | dict[str, Any]) -> list[dict[str, Any]]:
    """Every value the paper states (stage 3's statements), tagged [paper §X], with conflicts: the same setting
    for the same scope with another value elsewhere in the paper."""
    out = []
    if isinstance(found, dict):  # a paper extract
        found = extract_statements(found)
    for item in found:
        # the same setting (same name, or the same symbol), the same scope (a paper-wide value covers every
        # scope), another value; sweeps, results and statistics never conflict
        others = [o for o in found if o is not item and _same_setting(o, item)
                  and (o["scope"] == item["scope"] or not o["scope"] or not item["scope"])
                  and repr(o["value"]).lower() != repr(item["value"]).lower()  # "Adafactor" in prose, "AdaFactor" in a table
                  and o["pattern"] not in NO_CONFLICT_PATTERNS and o["kind"] == item["kind"] == "setting"
                  and not re.fullmatch(r"(?:random )?seeds?", item["name"].strip(), re.IGNORECASE)]  # runs take several
        others = [o for o in others if not _one_exception(item, o)]
        out.append({"name": item["name"], "value": item["value"], "raw": item["raw"], "unit": item["unit"],
                    "scope": item["scope"] or "paper-wide", "kind": item["kind"],
                    "tag": "paper", "tag_text": f"[paper {item['where']}]",
                    "section": item["section"], "where": item["where"], "quote": item["quote"], "from": item["from"],
                    "conflicts": _distinct([{"value": o["value"], "tag": f"[paper {o['where']}]", "quote": o["quote"]}
                                            for o in others if item["pattern"] not in NO_CONFLICT_PATTERNS])})
    return out


def _distinct(conflicts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One conflict per value and place: a table's row gives one value for each of its columns (Hopper, Walker)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for found in conflicts:
        key = (repr(found["value"]), found["tag"])
        if key not in seen:
            seen.add(key)
            out.append(found)
    return out


def derived_values(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Values computed from others, tagged as computed (epochs the step budget amounts to)."""
    by = {e["name"]: e for e in entries}
    out = []
    steps, batch, size = (by.get(n) for n in ("schedule.total_steps", "batch.batch_size", "data.train_size"))
    if steps and batch and size and float(size["value"]) > 0:
        epochs = float(steps["value"]) * float(batch["value"]) / float(size["value"])
        out.append({"name": "schedule.epochs_equivalent", "value": round(epochs, 4),
                    "formula": "total_steps x batch_size / train_size",
                    "tag_text": f"(computed from {steps['tag_text']}, {batch['tag_text']}, {size['tag_text']})"})
    return out


@functools.lru_cache(maxsize=4096)
def _numbers_in(text: str) -> tuple[float, ...]:
    """Every number a sentence or table row writes, in any form (each unit is asked for every [paper] value)."""
    numbers = [float(v) for m in re.finditer(NUM, text) for v in parse_value(m.group(0)) if isinstance(v, float)]
    # with the sign written before it: "a reward penalty of -1", "$t=-7.2334$" (the number grammar reads no sign)
    numbers += [-float(v) for m in re.finditer(rf"(?<![\w.$)}}])[-\u2212]\s*(?:\$\s*)?({NUM})", text)
                for v in parse_value(m.group(1)) if isinstance(v, float)]
    for written in re.finditer(rf"\b{WORD_NUMBER}\b", text, re.IGNORECASE):  # each word ("two", "hundred") and
        # the whole ("two hundred thousand")
        words = written.group(0).lower().split()
        numbers += [float(NUMBER_WORDS[w]) for w in words if w in NUMBER_WORDS]
        numbers += [parse_number(written.group(0))] if len(words) > 1 else []
    return tuple(numbers)


def _appears(value: Any, text: str, raw: str = "") -> bool:
    """Is the value written in the text? A number in any written form; a name or a true/false setting by the
    words the paper stated it with."""
    values = value if isinstance(value, list) else [value]
    numbers = _numbers_in(text)
    for v in values:
        if isinstance(v, bool):
            if not raw or raw.lower() not in text.lower():
                return False
        elif isinstance(v, (int, float)):
            if not any(abs(float(v) - n) <= 1e-9 * max(1.0, abs(n)) for n in numbers) and not (
                    v == 0 and re.search(r"\b(?:(?:do|does|did) not|don't|didn't|never|without|none)\b", text, re.IGNORECASE)):
                return False  # (a 0 is also "we do not use weight decay", "gradient clip | None")
        else:
            text = SUBSCRIPT.sub(lambda m: f"_{m.group('sub')}", text)  # ("BART0${}_{\textrm{Large}}$" is BART0_Large)
            variants = {str(v).lower(), str(v).lower().replace("_", "-"), str(v).lower().replace("_", " "),
                        raw.lower()} - {""}
            words = [w for w in re.findall(r"[a-z][a-z-]{3,}", str(v).lower()) if w not in FUNCTION_WORDS]
            # a phrase the extractor composed ("checkpoint with the best achieved return") by its words ("the
            # checkpoint that corresponds to the best achieved return")
            if not any(variant in text.lower() for variant in variants) and not (
                    v == "constant" and re.search(r"\b(?:without|no)\b[^.;]{0,40}\bdecay", text, re.IGNORECASE)) and not (
                    len(words) >= 3 and all(re.search(rf"\b{re.escape(w[:5])}", text, re.IGNORECASE) for w in words)):
                return False
    return True


NAME_CUES = {  # how papers name the core settings (a knob's leaf name otherwise: all its words)
    "lr": r"learning[- ]rates?|\blr\b|step[- ]size|\\eta|\u03b7", "batch_size": r"batch",
    "weight_decay": r"weight[- ]decay|\bl2\b|\\lambda", "momentum": r"momentum|nesterov|\\mu",
    "beta1": r"beta|\u03b2|momentum", "beta2": r"beta|\u03b2",
    "betas": r"beta|\u03b2", "eps": r"eps|\u03b5", "total_steps": r"steps|iterations|updates|iters", "epochs": r"epoch",
    "eval_every": r"evaluat|every|interval", "warmup_steps": r"warm-?up|(?:increas|rais|ramp)\w*[^.;]{0,80}?\bover the first\b",
    "warmup_epochs": r"warm-?up",
    "gamma": r"gamma|\u03b3|decay|factor|multipl",
    "final_lr": r"learning rate|\blr\b|minimum|final|decay", "label_smoothing": r"smooth", "ema_decay": r"\bema\b|moving average",
    "grad_clip": r"gradient\w*\W+(?:\w+\W+){0,3}clip|clip\w*\W+(?:\w+\W+){0,3}gradient|grad(?:ient)?[- ]norm|max[- ]norm",
    # names stage 3's frames give a statement, which the sentence words otherwise
    "lr milestones": rf"{DECAY_VERB}{DECAY_BY}|{DECAY_VERB}\s+(?:(?:the\s+)?(?:learning[- ]rates?|lr)\s+)?(?:at|after)\b|"
                     r"milestone",
    "lr decay interval": rf"{DECAY_VERB}(?:[^.;]|\.\d){{0,60}}?\bevery\b",
    "lr decay factor": rf"{DECAY_VERB}{DECAY_BY}|decay factor|gamma|\u03b3",
    "final learning rate": r"(?:decay|anneal|reduc|drop)\w*\s+(?:linearly\s+|gradually\s+)?to\b|final|minimum",
    # a split the statement names by its use ("11,314 for training and 7,532 for testing" of "18,846 text documents")
    "examples for training": r"\bfor\s+training\b", "examples for testing": r"\bfor\s+test(?:ing)?\b",
    "examples for test": r"\bfor\s+test(?:ing)?\b", "examples for validation": r"\bfor\s+validation\b",
    "examples for evaluation": r"\bfor\s+evaluation\b",
    "compute time": r"hours?|minutes?|days?", "model selection": r"checkpoint", "repetitions": r"\btimes\b|repeat|repetition",
}
STOP_WORDS = {"num", "the", "and", "per", "for", "size", "value", "number"}  # a knob name's words that name nothing
# a name word the statements abbreviate ("a 4-layer multilayer perceptron": "MLP layers"; "$1024$-dim feedforward")
SPELLED = {"mlp": r"\bmlp|perceptron", "dimension": r"\bdim"}
FUNCTION_WORDS = {"with", "that", "from", "this", "than", "into", "over"}  # a composed phrase's words that say nothing


def _name_stated(name: str, unit: str) -> bool:
    """Does a sentence, table row or list item name this setting? (a core knob by how papers say it; any other
    by all the words of its name)."""
    leaf = name.split(".")[-1] if " " not in name else re.sub(r"^share of ", "", name)  # "15% of the dataset"
    if re.search(r"\bfrom\b[^;]{0,40}?\bto\b", unit):  # a ramp's ends and span, as stage 3 names them ("from 0 to 1e-4 over
        # the first 5000 steps": its "initial learning rate" and its "warm-up steps")
        leaf = "warmup_steps" if re.fullmatch(r"warm-?up (?:steps|iterations|updates|epochs)", leaf) else \
            re.sub(r"^(?:warm-up initial|initial|final) ", "", leaf)
    if re.search(r"\b(?:start|begin)", unit, re.IGNORECASE):
        leaf = re.sub(r"^initial\s+", "", leaf)  # "$P_{mask}$, which starts at 1.0": its initial value
    cue = NAME_CUES.get(re.sub(r"^(lr milestones|lr decay interval) in \w+$", r"\1", leaf))
    if cue:
        return bool(re.search(cue, unit, re.IGNORECASE))
    words = [w for w in re.split(r"[^a-z0-9]+", leaf.lower()) if len(w) >= 3 and w not in STOP_WORDS]
    return all(re.search(SPELLED.get(w, rf"\b{re.escape(w[:4])}"), unit, re.IGNORECASE) for w in words)


def _units(paper: dict[str, Any], entry: dict[str, Any]) -> list[str]:
    """The sentences, table rows, figure captions and algorithm lines of the section (or table) an entry cites."""
    units = []
    for section in paper["sections"]:
        if section["id"] == entry.get("section") or section.get("parent") == entry.get("section"):
            units += [plain_numbers(s) for paragraph in section["paragraphs"] for s in sentences(paragraph)]
    for table in paper.get("tables", []):
        if entry.get("where", "").startswith("Table") and entry["where"] == f"Table {table['number'] or '?'}":
            # each row read with the header that names its columns (a statistics table names its values there)
            header = " | ".join(c["text"] for row in table["rows"][:table.get("header_rows", 1)] for c in row)
            units += [f"{header} || " + " | ".join(c["text"] for c in row) for row in table["rows"]] + [table["caption"]]
        elif table.get("section") == entry.get("section"):
            units += sentences(table.get("caption") or "")
    for figure in paper.get("figures", []):  # the extractor reads figure captions: so does the round trip
        if entry.get("where") == f"Figure {figure.get('number') or '?'}" or figure.get("section") == entry.get("section"):
            units += [plain_numbers(s) for s in sentences(figure.get("caption") or "")]
    for algorithm in paper.get("algorithms", []):
        if algorithm.get("section") == entry.get("section"):
            units += algorithm["lines"]
    return units


def verify_claims(paper: dict[str, Any], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Round trip: every [paper §X] value must be stated in §X for that setting: the value and the setting's
    name together in one sentence, table row or list item (a value that is itself a name needs no more)."""
    out = []
    for entry in entries:
        if entry["tag"] != "paper":
            continue
        # a value computed from a stated one (a warm-up share, steps per epoch, the 0.2 of "by a factor of 5", the 0.5
        # of "by half"): the stated one is what the paper says, a number or a word, with the setting's name beside it
        computed = entry.get("computed")
        value = (list(_numbers_in(entry.get("raw", ""))[:1]) or entry.get("raw") or entry["value"]) if computed \
            else entry["value"]
        values = value if isinstance(value, list) else [value]
        needs_name = computed or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        name = entry.get("stated_name") or entry["name"]
        ok = any(_appears(value, unit, entry.get("raw", "")) and (not needs_name or _name_stated(name, unit))
                 for unit in _units(paper, entry))
        out.append({"name": entry["name"], "value": entry["value"], "where": entry["where"], "ok": ok})
    return out


def stated_but_unused(entries: list[dict[str, Any]], stated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The paper's settings (not its results, sweeps, statistics or hardware) with a number no run value
    accounts for, each with its sentence: what a reader checks the run does not leave out."""
    used = []
    for entry in entries:
        values = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
        used += [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out, seen = [], set()
    for statement in stated:
        if statement.get("kind", "setting") != "setting":
            continue
        values = statement["value"] if isinstance(statement["value"], list) else [statement["value"]]
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
        for value in numbers:
            key = (value, statement["quote"])
            if key in seen or any(abs(value - u) <= 1e-9 * max(1, abs(u)) for u in used):
                continue
            seen.add(key)
            raw = statement.get("raw", "")  # as the paper writes it ("three"), but no LaTeX ("$5\\times 10^{-4}$")
            out.append({"value": value, "name": statement["name"],
                        "raw": raw if raw and not re.search(r"[$\\{}]", raw) else f"{value:g}",
                        "where": statement["where"], "sentence": statement["quote"]})
    return out


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


def _follow_advice(scopes: list[dict[str, Any]]) -> str:
    followable = [m["scope"] for m in scopes if m.get("followable", True)]
    if followable:
        return f"to follow one, set `experiment: '{followable[0]}'` in the paper's config."
    return ("each of these names is in the titles of several sections that state different values, so `experiment` "
            "takes a section's number instead (e.g. `experiment: '4.1'`) or the overrides set the values.")


def render_ledger(ledger: dict[str, Any], max_guess_share: float) -> str:
    share = ledger["guess_share"]
    lines = ["# Gaps filled: every value a run needs, with its provenance", "",
             f"**Guessed values: {share:.0%}** of {len(ledger['entries'])} "
             f"(threshold {max_guess_share:.0%}).", ""]
    if share > max_guess_share:
        lines += [f"> More than {max_guess_share:.0%} of the values are guesses: this reproduction will be approximate.", ""]
    unstated = ledger.get("experiment_unstated")
    if unstated and unstated.startswith("§"):
        lines += [f"**Config `experiment`** names {unstated}, which states no training value, so the run is read as with "
                  "no experiment configured.", ""]
    elif unstated:
        lines += [f"**Config `experiment: '{unstated}'`:** the paper names it but states no training "
                  "value for it, so the run is read as with no experiment configured.", ""]
    if ledger.get("experiment"):
        lines += [*experiment_lines(ledger), ""]
    if ledger.get("per_scope"):
        scopes = ledger["per_scope"]
        took = [f"{m['scope']}'s {', '.join(m['taken'])}" for m in scopes if m["taken"]]
        lines += ["**Values per dataset, model or task:** the paper states different training values for "
                  + "; ".join(f"{m['scope']} ({', '.join(m['knobs'])})" for m in scopes) + ". The run took "
                  + (", ".join(took) if took else "none of them") + "; " + _follow_advice(scopes), ""]
    for headings in ledger.get("sibling_paragraphs", []):
        lines += [f"**Values from sibling paragraphs:** the run took training values from {_joined(headings)}. If these "
                  f"are setups of their own (not parts of one), follow one: set `experiment: '{_heading_title(headings[0])}'`"
                  " (a paragraph's title) in the paper's config.", ""]
    lines += ["Tags: `[paper §X]` stated in the paper; `[code: path:line]` found in the official code; "
              "`[user config]` set in config/config.yaml; `[venue convention]`; `[framework default]` read from the "
              "installed library; `[guess: reason]`.", ""]
    if not ledger.get("task"):
        lines += ["> No task is configured for this paper: this is the core ledger only (the knobs every training run "
                  "has). Stages 4-7 need a task file naming the models, data, loss and metrics (docs/task.md), or the "
                  "official code run itself (docs/upstream.md).", ""]
    blocks = list(BLOCKS) + [b for b in dict.fromkeys(e["block"] for e in ledger["entries"]) if b not in BLOCKS]
    for block in blocks:
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
    if ledger.get("derived"):
        lines += ["## Derived values", "", "| name | value | how |", "|---|---|---|"]
        lines += [f"| {d['name']} | `{d['value']!r}` | {d['formula']} {d['tag_text']} |" for d in ledger["derived"]]
        lines.append("")
    stated = ledger.get("stated", [])
    lines += [f"## Stated in the paper ({len(stated)} values)", "",
              "Every value the paper states, found by the general extractor; the run above takes the ones its "
              "run needs. Only settings can conflict; sweeps, results, dataset statistics, hardware and what an "
              "introduction or limitations section tells (overview) are listed as such.", "",
              "| name | value | scope | kind | provenance | sentence |", "|---|---|---|---|---|---|"]
    for e in stated:
        quote = e["quote"].replace("|", "\\|")
        quote = quote if len(quote) <= 140 else quote[:137] + "..."
        conflict = f" (conflicts: {', '.join(repr(c['value']) + ' ' + c['tag'] for c in e['conflicts'])})" \
            if e["conflicts"] else ""
        lines.append(f"| {e['name'].replace('|', '/')} | {_fmt(e['value'])}{conflict} | {e['scope']} | "
                     f"{e.get('kind', 'setting')} | {e['tag_text']} | {quote} |")
    inference = ledger.get("inference", [])
    if inference:
        lines += ["", f"## Inference settings ({len(inference)} values)", "",
                  "How the paper decodes, samples or evaluates (never a training run's value):", "",
                  "| name | value | scope | provenance |", "|---|---|---|---|"]
        lines += [f"| {e['name'].replace('|', '/')} | {_fmt(e['value'])} | {e['scope']} | {e['tag_text']} |"
                  for e in inference]
    lines += ["", "## Conflicts", ""]
    conflicted = [e for e in ledger["entries"] if e["conflicts"]]
    for e in conflicted:
        others = "; ".join(f"{_fmt(c['value'])} {c['tag']} (rule: {c['rule']})" for c in e["conflicts"])
        lines.append(f"- **{e['name']}**: took {_fmt(e['value'])} {e['tag_text']}; also found {others}.")
    if not conflicted:
        lines.append("(none among the run's values: every source that states one of them for the same scope agrees)")
    disagreeing = sum(1 for e in stated if e["conflicts"])
    if disagreeing:
        lines += ["", f"{disagreeing} statements in \"Stated in the paper\" disagree with another of the same name and "
                  "scope (marked \"conflicts\" there); read them beside the paper."]
    scoped = [e for e in ledger["entries"] if e.get("other_scopes")]
    if scoped:
        lines += ["", "Values stated for other scopes (not conflicts; the run takes the one above; to follow another dataset, "
                  "model or task, name it with `experiment:` in the paper's config):", ""]
        lines += [f"- **{e['name']}**: " + "; ".join(f"{_fmt(c['value'])} for {c['scope']} {c['tag']}"
                                                      for c in e["other_scopes"]) for e in scoped]
    lines.append("")
    failed = [v for v in ledger.get("verification", []) if not v["ok"]]
    checked = len(ledger.get("verification", []))
    lines += ["## Verification", "", f"{checked - len(failed)} of {checked} values tagged [paper] (the run's above and "
              "those under \"Stated in the paper\") are stated, with the setting's name, in one sentence, table row or "
              "list item of the section they cite."]
    lines += [f"- NOT FOUND: {v['name']} = {_fmt(v['value'])} in {v['where']}" for v in failed]
    lines.append("")
    unused = ledger.get("stated_but_unused", [])
    lines += [f"## Stated but unused ({len(unused)} setting{'' if len(unused) == 1 else 's'})", "",
              "Settings the paper states (not results, sweeps, statistics or hardware) with a number no run value "
              "accounts for:", ""]
    for item in unused[:150]:
        sentence = item["sentence"] if len(item["sentence"]) <= 150 else item["sentence"][:147] + "..."
        lines.append(f"- {item['name']} = `{item['raw']}` {item['where']}: \"{sentence}\"")
    lines.append("")
    return "\n".join(lines)


def experiment_lines(ledger: dict[str, Any]) -> list[str]:
    """Which setup the run follows, when the paper states several, and how to follow another."""
    followed = ledger.get("experiment")
    if not followed:
        return []
    if followed["chosen_by"] == "config":
        head = f"**The run follows {followed['label']}** (config `experiment`)."
    else:
        head = (f"**Several setups: the run follows {followed['label']}**, the one most of its training values come "
                "from (" + "; ".join(f"{s['where']} states {', '.join(s['knobs'])}" for s in ledger["sibling_setups"])
                + ").")
    others = followed["others"]
    if not others:
        return [head]
    return [head + f" Values stated in {', '.join(o['where'] for o in others)}, and values scoped to another dataset, "
            "model or part outside the followed setup, are not used: they are listed beside each knob as \"not the run's "
            f"setup\". To follow another, set `experiment: '{_followable_name(others[0])}'` (a section number, a section "
            "title's words, or a dataset or model name the paper states values for) in the paper's config."]


def fill_gaps(paper_json: str, code_hparams_json: str, overrides: dict[str, Any], max_guess_share: float,
              enforce_guess_share: bool, out_md: str, out_json: str, strict: bool = False,
              task: str | None = None, task_knobs: list[Knob] | tuple[Knob, ...] = (),
              task_loss: str | None = None, experiment: Any = None) -> dict[str, Any]:
    """Stage 3's rule: write ``gaps_filled.md`` and ``gaps.json``: the core knobs, and the knobs and loss of the
    task at ``task`` when one is configured (the caller loads it: the ledger knows knobs, not tasks)."""
    paper = atomic.read_json(paper_json, "paper extract")
    code = atomic.read_json(code_hparams_json, "code hyperparameters")
    knobs, loss = list(task_knobs), task_loss
    ledger = build_ledger(paper, code.get("hparams", []) + code.get("facts", []), overrides, knobs, loss, task,
                          experiment)
    ledger["task"] = task
    ledger["max_guess_share"] = max_guess_share
    failed = [v for v in ledger["verification"] if not v["ok"]]
    if strict and failed:
        raise UserError(f"{len(failed)} [paper] value(s) are not in the section they cite (first: {failed[0]['name']} = "
                        f"{failed[0]['value']!r} in {failed[0]['where']}); check gaps_filled.md or unset `strict`.")
    if enforce_guess_share and ledger["guess_share"] > max_guess_share:
        raise UserError(f"{ledger['guess_share']:.0%} of the ledger's values are guesses, above the configured "
                        f"{max_guess_share:.0%}; add overrides for the guessed values or raise `max_guess_share`.")
    atomic.write_json(out_json, ledger)
    atomic.write_text(out_md, render_ledger(ledger, max_guess_share))
    return ledger
