"""Which experiment one run follows, when a paper states several training setups.

A paper may state two recipes in sibling sections ("5.2 Comparison with the Competitors" and "5.4 Evaluations on
ImageNet-1k"; "A.2 Hyperparameters for multilingual NMT" and "A.4 ... image classification") or in one paragraph
for two datasets ("For F-MNIST and SVHN, ... For CIFAR-10, ..."). One run takes its values from one of them: the
one the config names (`experiment:`, a section number, a section title's words or a name the paper scopes values
by), else the setup most of the run's training values came from. The other setups' statements are left out of
the run's candidates (they stay in "Stated in the paper").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reprokit.errors import UserError
from reprokit.gaps.scopes import section_scope
from reprokit.gaps.statements import FINE_TUNING, numbered_section, section_chain
from reprokit.optimizers import canonical
from reprokit.paper.structure import section_label


@dataclass(frozen=True)
class Experiment:
    label: str  # "§5.4 Evaluations on ImageNet-1k", or the configured name ("CIFAR-10")
    chosen_by: str  # "config" or "auto"
    excluded: frozenset[str] = frozenset()  # ids of the other setups' sections (and their subsections)
    others: tuple[str, ...] = ()  # the other setups, as shown ("§5.2 Comparison with the Competitors")
    scope: str = ""  # a dataset, model or task name the paper scopes values by ("CIFAR-10"), or ""
    inside: frozenset[str] = frozenset()  # ids of the followed sections and their subsections
    headings: frozenset[str] = frozenset()  # their titles and their parents' (lower case): scopes of no other setup
    unstated: bool = False  # a configured name no training value is stated for (the run takes paper-wide values)

    def admits(self, statement: dict[str, Any], run_knob: bool) -> bool:
        """Is a statement one this run may take a value from? Never one of another setup's section; for a training
        knob, never one scoped to another dataset, model or task than the configured one, nor, outside the
        followed section, one scoped to anything ("for the streaming setting, the batch size is 125" of an
        appendix is another setup's)."""
        if statement.get("section") in self.excluded:
            return False
        scope = statement.get("scope") or ""
        if not run_knob or scope in ("", "paper-wide") or canonical(scope):
            return True  # (a value "for Adam" is the optimizer's, whichever setup uses it)
        if self.scope:  # (in a followed section, a value scoped by its heading, "Continuous RL", is the section's)
            # (or a part of it: a row every model group of a table shares, "RTE" of "RoBERTa base LoRA, RTE"; or one of
            # the names a subject joins, "Our CelebA-HQ/LSUN models" for "LSUN Bedroom")
            return any(names_scope(self.scope, part) or names_scope(part, self.scope) for part in {scope, *scope.split("/")}) \
                or statement.get("section") in self.inside and _key(scope) in self.headings
        # in the followed section, or scoped to what it is titled for ("for multilingual NMT" in the main text, the
        # followed "A.2 Hyperparameters for multilingual NMT")
        return statement.get("section") in self.inside or names(scope, self.label)

    def summary(self) -> dict[str, Any]:
        return {"label": self.label, "chosen_by": self.chosen_by, "scope": self.scope, "unstated": self.unstated,
                "others": [{"where": w, "number": w.split()[0].lstrip("§")} for w in self.others]}


def _wanted(wanted: Any) -> str:
    """The configured experiment as the paper writes it: "§5.4", "Section 5.4" and "Appendix A.2" name "5.4", "A.2"."""
    return re.sub(r"^\s*(?:§|section\s+|appendix\s+)", "", str(wanted), flags=re.IGNORECASE).strip()


def _key(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip(" .").lower()


def _headings(ids: frozenset[str], by_id: dict[str, dict[str, Any]]) -> frozenset[str]:
    return frozenset(_key(s.get("title") or "") for i in ids for s in section_chain(by_id[i], by_id))


def _name_like(text: str) -> bool:
    """A dataset, model or task name as a config gives one: letters with a capital or a digit ("CIFAR-10", "Pong",
    "Inverted Pendulum"), not a common word ("batch", "the") nor a number ("0.1", a mistyped "5.1")."""
    return bool(re.search(r"[A-Za-z]", text) and re.search(r"[A-Z0-9]", text))


def names(wanted: str, text: str) -> bool:
    """Does ``text`` name ``wanted`` as a whole name ("SVHN" in "F-MNIST and SVHN", not "CIFAR-10" in "CIFAR-100")?
    A capitalised word before it inside a sentence makes a longer name: "MNIST" is not in "on Fashion MNIST", but is
    in "For MNIST, ..." and "Results on MNIST"."""
    for match in re.finditer(rf"(?<![\w-]){re.escape(wanted)}(?![\w-])", text, re.IGNORECASE):
        before = re.search(r"(?:^|(?P<end>[.!?:;])?\s*)(?P<word>[A-Z][A-Za-z]*)\s+$", text[:match.start()])
        if before is None or before.group("end") or before.start("word") == 0 or re.fullmatch(
                r"For|With|Using|On|From|During|In|At|To|Of|And|By|Under|Without|Via|Across|Between|Vs", before.group("word")):
            return True  # ("Training Details For CIFAR-10", "Experiments With MNIST": a title's function word)
    return False


# words of a setup's name that say nothing of which setup a file is (train.py, main.py, configs/default.yaml)
GENERIC_FILE_WORDS = frozenset({"train", "training", "main", "model", "models", "run", "runs", "the", "from", "with",
                                "to", "of", "and", "for", "on", "end", "setup", "experiment", "experiments", "config",
                                "configs", "default", "base", "scratch", "stage", "phase", "task", "tasks"})


def file_names_setup(path: str, setup: str) -> bool:
    """Does a code file's path name a setup the paper states values for, as official repositories name the script or
    config of each training stage: `main_pretrain.py` "Pre-training", `main_finetune.py` "End-to-end fine-tuning",
    `main_linprobe.py` "Linear probing", `main_lincls.py` "Linear classification", `configs/cifar10.yaml` "CIFAR-10"?
    A word of the path is the setup's words run together, each cut to a prefix of three letters or more (or to its
    stem: "tune" of "tuning"), or one whole word of four letters or more ("coco"; not "pre" of "pre_process.py", nor
    "vit" of `models_vit.py`, the model every setup builds); words that name no setup ("train", "main") never count
    alone."""
    words = re.findall(r"[a-z0-9]+", setup.split(", ")[0].lower())
    tokens = [t for t in re.split(r"[^a-z0-9]+", re.sub(r"\.\w+$", "", path.lower())) if t]
    for token in tokens:
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                span = words[i:j]
                if all(w in GENERIC_FILE_WORDS for w in span):
                    continue
                if len(token) >= 4 and (token == "".join(span) or len(token) >= 5 and _run_together(token, span)):
                    return True
    return False


def _run_together(token: str, words: list[str]) -> bool:
    if not words:
        return not token
    word, stem = words[0], re.sub(r"(?:ing|ed|s)$", "", words[0])
    for cut in range(min(len(token), len(word)), 0, -1):
        part = token[:cut]
        if (len(part) >= 3 or part == word) and (word.startswith(part) or len(stem) >= 3 and part.startswith(stem)) \
                and _run_together(token[cut:], words[1:]):
            return True
    return False


def names_scope(wanted: str, scope: str) -> bool:
    """Does a statement's scope name the configured one, in the same training stage? "ImageNet-1K" names the scope
    "ImageNet-1K" and not "ImageNet-1K fine-tuning" (statements.py scopes a dataset's fine-tuning recipe so where it
    differs from its training's); "ImageNet-1K fine-tuning" names only that one."""
    return names(wanted, scope) and bool(FINE_TUNING.search(wanted)) == bool(FINE_TUNING.search(scope))


def shown(section: dict[str, Any]) -> str:
    return f"§{section['number']} {section.get('title') or ''}".strip()


def _subtree(ids: set[str], sections: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> frozenset[str]:
    return frozenset(s["id"] for s in sections if any(c["id"] in ids for c in section_chain(s, by_id)))


Stated = dict[str, dict[str, list[Any]]]  # numbered section id (or scope): training knob: the values stated there


def conflict(one: dict[str, list[Any]], other: dict[str, list[Any]], same: Callable[[Any, Any], bool]) -> bool:
    """Do two places state different values for one training knob (5.2's Adam and 5.4's SGD)? Places that state
    other knobs (a "Model details" section's batch size, an "Optimization" section's learning rate) complement each
    other: parts of one setup."""
    return any(not same(a, b) for knob in one.keys() & other.keys() for a in one[knob] for b in other[knob])


def _related(a: dict[str, Any], b: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> bool:
    return a["id"] in {s["id"] for s in section_chain(b, by_id)} or b["id"] in {s["id"] for s in section_chain(a, by_id)}


def find_setups(paper: dict[str, Any], stated: Stated, taken: list[str], same: Callable[[Any, Any], bool]
                ) -> list[dict[str, Any]]:
    """The setups a run could mix: the run took training values (``taken``: their section ids) from sibling
    sections ("5.2 Comparison with the Competitors" and "5.4 Evaluations on ImageNet-1k"; "A.2 Hyperparameters
    for multilingual NMT" and "A.4 ... image classification"), and two or more of that parent's numbered sections
    state different values for one knob. Each, in the paper's order, with the knobs it states; [] when the
    siblings complement one another, or the values come from one section, from sections that are not siblings
    (a method section and its appendix) or from top-level sections ("4 Experiments" and an appendix "C")."""
    sections = paper.get("sections", [])
    by_id = {s["id"]: s for s in sections}
    counts: dict[str, set[str]] = {}
    for section_id in taken:
        numbered = numbered_section(by_id.get(section_id or ""), by_id)
        if numbered is not None and numbered.get("parent"):
            counts.setdefault(numbered["parent"], set()).add(numbered["id"])
    parent = max(counts, key=lambda p: len(counts[p]), default=None)
    if parent is None or len(counts[parent]) < 2:
        setups = _recipes_apart(sections, by_id, stated, taken, same)
    else:
        children = [s for s in sections if s.get("number") and s.get("parent") == parent and s["id"] in stated]
        setups = [c for c in children if any(conflict(stated[c["id"]], stated[o["id"]], same)
                                             for o in children if o is not c)]
    if len(setups) < 2:
        return []
    chains = [{a["id"] for a in section_chain(by_id[i], by_id)} for i in taken if i in by_id]
    took = {c["id"]: sum(1 for chain in chains if c["id"] in chain) for c in setups}
    return [{"where": shown(s), "id": s["id"], "number": s["number"], "knobs": sorted(stated[s["id"]]),
             "taken": took[s["id"]]} for s in setups]


# a title that names a dataset or model: a word with a digit, an inner capital or two capitals ("CIFAR-10", "ImageNet",
# "MNIST"), not "High-resolution synthesis" or "Implementation details"
NAMED_TITLE = re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*(?:\d|[a-z][A-Z]|[A-Z]{2}))[\w-]+")


def disagreements(one: dict[str, list[Any]], other: dict[str, list[Any]], same: Callable[[Any, Any], bool]) -> int:
    """How many training knobs two places state different values for."""
    return sum(any(not same(a, b) for a in one[knob] for b in other[knob]) for knob in one.keys() & other.keys())


def _appendix(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> bool:
    return any(s.get("kind") == "appendix" for s in section_chain(section, by_id))


def _recipes_apart(sections: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], stated: Stated, taken: list[str],
                   same: Callable[[Any, Any], bool]) -> list[dict[str, Any]]:
    """Setups in sections of the main text that are not siblings: "3.4 Implementation" (ImageNet: batch 256, 600k
    iterations) and "4.2 CIFAR-10 and Analysis" (batch 128, 64k iterations) of a new user's ResNet paper. Two
    numbered sections the run took values from are two recipes where they disagree on two or more training knobs
    (one differing value is a restatement's slip or a detail; a main-text section and an appendix, or a section
    and its own subsection, complement each other) and one's title names what it trains (a dataset or model:
    "CIFAR-10", "ImageNet"): "3.4 Optimization" and "4.1 Implementation details" are one recipe told twice."""
    places = []
    for section_id in dict.fromkeys(taken):
        numbered = numbered_section(by_id.get(section_id or ""), by_id)
        if numbered is not None and numbered.get("parent") and numbered["id"] in stated and not _appendix(numbered, by_id) \
                and numbered not in places:
            places.append(numbered)

    def apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return not _related(a, b, by_id) and disagreements(stated[a["id"]], stated[b["id"]], same) >= 2 \
            and any(NAMED_TITLE.search(s.get("title") or "") for s in (a, b))

    found = {a["id"] for a in places if any(apart(a, b) for b in places if b is not a)}
    return [s for s in sections if s["id"] in found]


def follow_most_stated(paper: dict[str, Any], setups: list[dict[str, Any]], stated: Stated,
                       same: Callable[[Any, Any], bool]) -> Experiment:
    """No experiment configured, several setups found: the one the run, read without a choice, took most training
    values from (the paper's first and main setup, as a table, a training sentence and the paper's order rank them:
    lbcs's "5.2 Comparison with the Competitors" before "5.4 Evaluations on ImageNet-1k", Flamingo's own training
    before its contrastive encoder's); on a tie the one that states most knobs, then the first. The setups that
    disagree with it are left out, those that only complement it kept."""
    chosen = max(setups, key=lambda s: (s["taken"], len(s["knobs"])))  # max keeps the first of equals
    others = sorted((s for s in setups if s is not chosen and conflict(stated[s["id"]], stated[chosen["id"]], same)),
                    key=lambda s: -len(s["knobs"]))  # the likeliest first
    sections = paper.get("sections", [])
    by_id = {s["id"]: s for s in sections}
    return Experiment(label=chosen["where"], chosen_by="auto", others=tuple(s["where"] for s in others),
                      inside=_subtree({chosen["id"]}, sections, by_id),
                      excluded=_subtree({s["id"] for s in others}, sections, by_id))


def configured(paper: dict[str, Any], statements: list[dict[str, Any]], wanted: Any, stated: Stated,
               same: Callable[[Any, Any], bool], scoped: dict[str, Stated] | None = None) -> Experiment:
    """The experiment the config names: a section number ("5.4", "§A.2"), words of one numbered section's title
    ("ImageNet-1k") or a name the paper states values for ("CIFAR-10": the sections stating training values
    about it are followed). Left out: the numbered sections under the same top-level section (an appendix "B" of
    "B.1.2 Training details", "B.1.3 Contrastive model details", "B.2.2 Fine-tuning") that state values the
    followed ones contradict, or that contradict one another (two other setups). Raises UserError naming the
    choices, the sections an ambiguous title word names, or the setups a chosen section holds. ``scoped``: each
    scope's training values by numbered section; a configured name's setups are told apart by its own values."""
    text = _wanted(wanted)
    sections = paper.get("sections", [])
    by_id = {s["id"]: s for s in sections}
    numbered = [s for s in sections if s.get("number")]
    chosen = [s for s in numbered if str(s["number"]).lower() == text.lower()]
    if not chosen and text:
        titled = [s for s in numbered if names(text, s.get("title") or "")]
        ids = {s["id"] for s in titled}
        chosen = [s for s in titled if not any(c["id"] in ids for c in section_chain(s, by_id)[1:])]  # outermost
        if chosen and _name_like(text) and (
                len(chosen) > 1 or not any(i in stated for i in _subtree({s["id"] for s in chosen}, sections, by_id))) \
                and any(names(text, s.get("scope") or "") for s in statements):
            chosen = []  # a name values are stated for, whose titles state no training value ("6.6 Result from model
            # comparison on Alibaba Dataset": "6.1 › Alibaba Dataset" of a new user's recommendation paper) or are several
            # ("VQGAN" in "2.2 VQGAN" and "A.2 VQGAN Configurations", muse's Table 5 "... hyperparameters for VQGAN"):
            # its own values are followed, as gaps_filled.md advises
        if len(chosen) > 1:
            raise UserError(f"config key `experiment`: '{text}' is in the titles of several sections "
                            f"({', '.join(s['number'] for s in chosen)}); name one by its number, e.g. "
                            f"experiment: '{chosen[0]['number']}'.")
    if not chosen and text:
        heading = _paragraph_heading(text, paper, by_id, statements)
        if heading is not None:
            return heading
    scope = ""
    if not chosen and _name_like(text):  # a name values are stated for: the sections stating training values of it
        naming = [s for s in statements if names_scope(text, s.get("scope") or "")] \
            or [s for s in statements if names(text, s.get("quote") or "")]
        if naming or unknown_experiment(paper, text) is None:  # (a name the paper writes, with no value: said so)
            scope = text
            found = (numbered_section(by_id.get(s.get("section") or ""), by_id) for s in naming)
            chosen = list({s["id"]: s for s in found if s is not None and s["id"] in stated}.values())
    if not chosen and not scope:
        raise UserError(f"config key `experiment`: '{wanted}' is neither a section number of the paper nor a name it "
                        f"writes; use one of {choices(paper, statements, stated)}, or leave `experiment` out.")
    label = shown(chosen[0]) if len(chosen) == 1 and not scope else text
    inside = _subtree({s["id"] for s in chosen}, sections, by_id)
    if len(chosen) == 1 and not scope:
        # a section named for what all its scoped values are for: "4.4 SWAG"'s "a learning rate of 2e-5" is SWAG's, the
        # run's own (a new user's BERT paper: followed by "SWAG" or "4.4", the run had kept pre-training's and listed
        # SWAG's as another setup's)
        title = section_scope(chosen[0])
        if {s["scope"] for s in statements if s.get("kind") == "setting" and s.get("scope") and s["section"] in inside} \
                == {title}:
            scope = title
    within = [s for s in numbered if s["id"] in inside and s["id"] in stated]
    own = stated
    if scope and scoped and any(names_scope(text, s.get("scope") or "") for s in statements):
        # a name's setups: where its own values, or those stated for nothing in particular, differ ("ImageNet-1K" in a
        # section that also states ImageNet-22K's and the fine-tuning's values is one setup; "For ResNet-50, we use SGD
        # ... We train for 200 epochs" in 5.2 and 90 epochs in 5.3 are two)
        # (and those its section's title scopes: "5.2 Image classification on CIFAR-10"'s batch size is 5.2's)
        own = {}
        for name, places in scoped.items():
            for place, knobs in places.items():
                if name == "" or names_scope(text, name) or place in by_id and name == section_scope(by_id[place]):
                    for knob, values in knobs.items():
                        own.setdefault(place, {}).setdefault(knob, []).extend(values)
    def clashes(one: dict[str, list[Any]], other: dict[str, list[Any]]) -> bool:
        if own is stated:
            return conflict(one, other, same)
        # (a name's own values: two places that share a value are one setup, "warm-up 20 epochs" in 3.1 and "20",
        # and the isotropic models' 50, in A.1)
        return any(not any(same(a, b) for a in one[knob] for b in other[knob]) for knob in one.keys() & other.keys())

    clash = [(a, b) for i, a in enumerate(within) for b in within[i + 1:]
             if not _related(a, b, by_id) and clashes(own.get(a["id"], {}), own.get(b["id"], {}))]
    if clash:  # a section of two setups, or a name two setups write ("ResNet-50" trained in 5.2 and fine-tuned in 5.3)
        # (or by a longer name the paper scopes values to: "RoBERTa base LoRA, RTE" for "RTE", a new user's LoRA paper)
        longer = list(dict.fromkeys(s["scope"] for s in statements if scope and s.get("kind") == "setting"
                                    and s.get("scope") and s["scope"] != text and names_scope(text, s["scope"])))
        named = f", or by a longer name values are stated for: {', '.join(repr(n) for n in longer[:4])}" if longer else ""
        raise UserError(f"config key `experiment`: '{text}' {'is named in' if scope else 'holds'} several setups that "
                        f"state different values (§{clash[0][0]['number']} and §{clash[0][1]['number']}); name one "
                        f"by its number, e.g. experiment: '{clash[0][0]['number']}'{named}.")
    mine: dict[str, list[Any]] = {}
    for s in within:
        for knob, values in stated[s["id"]].items():
            mine.setdefault(knob, []).extend(values)
    tops = {section_chain(c, by_id)[-1]["id"] for c in chosen}
    holders = {a["id"] for c in chosen for a in section_chain(c, by_id)}
    group = [s for s in numbered if s["id"] in stated and s["id"] not in inside and s["id"] not in holders
             and section_chain(s, by_id)[-1]["id"] in tops]
    others = [s for s in group if conflict(stated[s["id"]], mine, same) or any(
        conflict(stated[s["id"]], stated[o["id"]], same) for o in group if not _related(o, s, by_id))]
    other_ids = {s["id"] for s in others}
    others = [s for s in others if not any(a["id"] in other_ids for a in section_chain(s, by_id)[1:])]  # outermost
    others.sort(key=lambda s: -len(stated[s["id"]]))
    return Experiment(label=label, chosen_by="config", scope=scope, inside=inside, headings=_headings(inside, by_id),
                      # a name, or a section ("Detection" is "2.3 Detection Results"), with no training value
                      unstated=bool(scope) and not chosen or not scope and not within,
                      others=tuple(shown(s) for s in others),
                      excluded=_subtree({s["id"] for s in others}, sections, by_id))


def _paragraph_heading(text: str, paper: dict[str, Any], by_id: dict[str, dict[str, Any]],
                       statements: list[dict[str, Any]]) -> Experiment | None:
    """A configured name that is the title of one unnumbered section (a paragraph heading: GAT's "Transductive
    learning" beside "Inductive learning" in 3.3, tanh-init's "Autoencoder" beside "FFNN" in B.2,
    test-time-model-adaptation's "T3A (...)" beside "FOA (Ours)" in B.2) that states settings: that heading is
    followed, and its sibling headings that state settings are other setups (the run had mixed them, the configured
    name followed as a word). None when no such heading, or several, is named."""
    sections = paper.get("sections", [])
    heads = [s for s in sections if not s.get("number") and s.get("title") and names(text, s["title"])]
    ids = {s["id"] for s in heads}
    heads = [s for s in heads if not any(c["id"] in ids for c in section_chain(s, by_id)[1:])]  # outermost
    settings = {st["section"] for st in statements if st.get("kind") == "setting"}
    if len({_key(s["title"]) for s in heads}) != 1:
        return None  # (none, or headings of different titles: "learning" in "Transductive learning" and "Inductive ...")
    # (one title may head a paragraph in several sections: GAT's datasets, baselines and setup each have a
    # "Transductive learning" paragraph, one setup)
    inside = _subtree({s["id"] for s in heads}, sections, by_id)
    if not inside & settings:
        return None
    siblings = [s for s in sections if s not in heads and not s.get("number") and s["id"] not in inside
                and any(s.get("parent") == h.get("parent") for h in heads) and _subtree({s["id"]}, sections, by_id) & settings]
    return Experiment(label=(heads[0]["title"] or "").strip().rstrip(".:"), chosen_by="config", inside=inside,
                      headings=_headings(inside, by_id), others=tuple(section_label(paper, s["id"]) for s in siblings),
                      excluded=_subtree({s["id"] for s in siblings}, sections, by_id))


def unknown_experiment(paper: dict[str, Any], wanted: Any) -> str | None:
    """Before any job runs (the paper already extracted): a configured experiment the paper has nowhere, neither
    as a section number nor in its text, is refused now, not by stage 3 after its old output is gone. None when
    the paper names it (stage 3 then checks that training values are stated for it)."""
    if wanted in (None, ""):
        return None
    text = _wanted(wanted)
    numbers = [str(s["number"]) for s in paper.get("sections", []) if s.get("number")]
    titles = " | ".join(s.get("title") or "" for s in paper.get("sections", []))
    if text and (text.lower() in (n.lower() for n in numbers) or names(text, titles)
                 or _name_like(text) and names(text, " ".join(_texts(paper)))):
        return None
    listed = (f"use one of {', '.join(repr(n) for n in numbers[:12])}{', ...' if len(numbers) > 12 else ''}, or "
              if numbers else "the paper has no numbered section; ")
    return (f"config key `experiment`: '{wanted}' is neither a section number of the paper nor a name it writes; "
            f"{listed}leave `experiment` out")


def _texts(value: Any) -> list[str]:
    """Every string in an extracted paper (titles, paragraphs, table cells, captions)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def choices(paper: dict[str, Any], statements: list[dict[str, Any]], stated: Stated) -> str:
    """The numbered sections that state training values, then the names values are stated for."""
    numbers = [f"'{s['number']}'" for s in paper.get("sections", []) if s.get("number") and s["id"] in stated]
    scopes = dict.fromkeys(f"'{s['scope']}'" for s in statements
                           if s.get("scope") not in (None, "", "paper-wide") and s["kind"] == "setting")
    return ", ".join((numbers + list(scopes))[:12]) or "(the paper states no training values in a numbered section)"
