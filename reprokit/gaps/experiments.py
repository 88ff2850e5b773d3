"""Which experiment one run follows, when a paper states several training setups.

A paper may state two recipes in sibling sections ("5.2 Comparison with the Competitors" and "5.4 Evaluations on
ImageNet-1k"; "A.2 Hyperparameters for multilingual NMT" and "A.4 ... image classification") or in one paragraph
for two datasets ("For F-MNIST and SVHN, ... For CIFAR-10, ..."). One run takes its values from one of them: the
one the config names (`experiment:`, a section number, a section title's words or a name the paper scopes values
by), else the sibling section that states most of the run's training values. The other setups' statements are
left out of the run's candidates (they stay in "Stated in the paper").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reprokit.errors import UserError
from reprokit.gaps.statements import numbered_section, section_chain
from reprokit.optimizers import canonical


@dataclass(frozen=True)
class Experiment:
    label: str  # "§5.4 Evaluations on ImageNet-1k", or the configured name ("CIFAR-10")
    chosen_by: str  # "config" or "auto"
    excluded: frozenset[str] = frozenset()  # ids of the other setups' sections (and their subsections)
    others: tuple[str, ...] = ()  # the other setups, as shown ("§5.2 Comparison with the Competitors")
    scope: str = ""  # a dataset, model or task name the paper scopes values by ("CIFAR-10"), or ""
    inside: frozenset[str] = frozenset()  # ids of the followed section and its subsections (none for a scope)

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
        if self.scope:
            return names(self.scope, scope)
        # in the followed section, or scoped to what it is titled for ("for multilingual NMT" in the main text, the
        # followed "A.2 Hyperparameters for multilingual NMT")
        return statement.get("section") in self.inside or names(scope, self.label)

    def summary(self) -> dict[str, Any]:
        return {"label": self.label, "chosen_by": self.chosen_by, "scope": self.scope,
                "others": [{"where": w, "number": w.split()[0].lstrip("§")} for w in self.others]}


def names(wanted: str, text: str) -> bool:
    """Does ``text`` name ``wanted`` as a whole name ("SVHN" in "F-MNIST and SVHN", not "CIFAR-10" in "CIFAR-100")?"""
    return bool(re.search(rf"(?<![\w-]){re.escape(wanted)}(?![\w-])", text, re.IGNORECASE))


def shown(section: dict[str, Any]) -> str:
    return f"§{section['number']} {section.get('title') or ''}".strip()


def _subtree(ids: set[str], sections: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> frozenset[str]:
    return frozenset(s["id"] for s in sections if any(c["id"] in ids for c in section_chain(s, by_id)))


def sibling_setups(paper: dict[str, Any], taken: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The run's training values taken from two or more sibling sections: ``taken`` is (knob, section id) for each
    training value the run took from the paper. Each sibling section with its knobs (and ``id``); [] when they
    come from one section, from sections that are not siblings (a method section and its appendix), or from
    top-level sections (the main text's "4 Experiments" and an appendix "C")."""
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    found: dict[str, dict[str, Any]] = {}
    for knob, section_id in taken:
        numbered = numbered_section(by_id.get(section_id or ""), by_id)
        if numbered is not None:
            found.setdefault(numbered["id"], {"section": numbered, "knobs": []})["knobs"].append(knob)
    parents: dict[str, list[dict[str, Any]]] = {}
    for item in found.values():
        if item["section"].get("parent"):  # subsections of one section; a method section and "4 Experiments" are one setup
            parents.setdefault(item["section"]["parent"], []).append(item)
    siblings = max(parents.values(), key=len, default=[])
    if len(siblings) < 2:
        return []
    return [{"where": shown(f["section"]), "id": f["section"]["id"], "number": f["section"]["number"],
             "knobs": f["knobs"]} for f in siblings]


def follow_most_stated(paper: dict[str, Any], setups: list[dict[str, Any]]) -> Experiment:
    """No experiment configured, several setups found: the one that states most of the run's training values (the
    first in the paper's order on a tie); the others are left out."""
    chosen = max(setups, key=lambda s: len(s["knobs"]))  # max keeps the first of equals
    others = sorted((s for s in setups if s is not chosen), key=lambda s: -len(s["knobs"]))  # the likeliest first
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    sections = paper.get("sections", [])
    return Experiment(label=chosen["where"], chosen_by="auto", others=tuple(s["where"] for s in others),
                      inside=_subtree({chosen["id"]}, sections, by_id),
                      excluded=_subtree({s["id"] for s in others}, paper.get("sections", []), by_id))


def configured(paper: dict[str, Any], statements: list[dict[str, Any]], wanted: Any,
               states_training: Callable[[dict[str, Any]], bool]) -> Experiment:
    """The experiment the config names: a section number ("5.4", "§A.2"), words of one numbered section's title
    ("ImageNet-1k") or a name the paper scopes values by ("CIFAR-10": the sections stating values for it are
    followed). The followed sections' siblings that state training values (``states_training``) are the other
    setups. Raises UserError naming the choices, or the sections an ambiguous title word names."""
    text = re.sub(r"^\s*(?:§|section\s+|appendix\s+)", "", str(wanted), flags=re.IGNORECASE).strip()
    sections = paper.get("sections", [])
    by_id = {s["id"]: s for s in sections}
    numbered = [s for s in sections if s.get("number")]

    def section_of(statement: dict[str, Any]) -> dict[str, Any] | None:
        return numbered_section(by_id.get(statement.get("section") or ""), by_id)

    chosen = [s for s in numbered if s["number"].lower() == text.lower()]
    if not chosen and text:
        titled = [s for s in numbered if names(text, s.get("title") or "")]
        ids = {s["id"] for s in titled}
        chosen = [s for s in titled if not any(c["id"] in ids for c in section_chain(s, by_id)[1:])]  # outermost
        if len(chosen) > 1:
            raise UserError(f"config key `experiment`: '{text}' is in the titles of several sections "
                            f"({', '.join(s['number'] for s in chosen)}); name one by its number, e.g. "
                            f"experiment: '{chosen[0]['number']}'.")
    scope = ""
    if not chosen and text:  # a name values are stated for: the sections stating its training values (or any value)
        holding = [section_of(s) for s in statements if names(text, s.get("scope") or "")]
        training = [section_of(s) for s in statements if states_training(s) and names(text, s.get("scope") or "")]
        chosen = list({s["id"]: s for s in (training or holding) if s is not None}.values())
        scope = text if holding else ""
    if not chosen and not scope:
        raise UserError(f"config key `experiment`: '{wanted}' is neither a section number, a section title's words nor "
                        f"a name the paper states training values for; use one of "
                        f"{choices(paper, statements, states_training)}, or leave `experiment` out.")
    stating: dict[str, int] = {}  # section id: how many training values it states
    for section in map(section_of, filter(states_training, statements)):
        if section is not None:
            stating[section["id"]] = stating.get(section["id"], 0) + 1
    inside = _subtree({s["id"] for s in chosen}, sections, by_id)
    # the other setups: sections stating training values under the same top-level section (an appendix "B" of
    # "B.1.2 Training details", "B.1.3 Contrastive model details", "B.2.2 Fine-tuning"), not the followed ones nor
    # those holding them
    tops = {section_chain(c, by_id)[-1]["id"] for c in chosen}
    holders = {a["id"] for c in chosen for a in section_chain(c, by_id)}
    others = sorted((s for s in numbered if s["id"] in stating and s["id"] not in inside and s["id"] not in holders
                     and section_chain(s, by_id)[-1]["id"] in tops), key=lambda s: -stating[s["id"]])
    # (a section inside another of them is left out with it: list the outermost)
    other_ids = {s["id"] for s in others}
    others = [s for s in others if not any(a["id"] in other_ids for a in section_chain(s, by_id)[1:])]
    label = shown(chosen[0]) if len(chosen) == 1 and not scope else text
    return Experiment(label=label, chosen_by="config", scope=scope, inside=inside,
                      others=tuple(shown(s) for s in others),
                      excluded=_subtree({s["id"] for s in others}, sections, by_id))


def choices(paper: dict[str, Any], statements: list[dict[str, Any]],
            states_training: Callable[[dict[str, Any]], bool]) -> str:
    """The numbered sections and the scopes that state training values, as a config would name them."""
    by_id = {s["id"]: s for s in paper.get("sections", [])}
    found: dict[str, None] = {}
    for statement in statements:
        if not states_training(statement):
            continue
        section = numbered_section(by_id.get(statement.get("section") or ""), by_id)
        if section is not None:
            found.setdefault(f"'{section['number']}'")
        if statement.get("scope") not in (None, "", "paper-wide"):
            found.setdefault(f"'{statement['scope']}'")
    return ", ".join(list(found)[:12]) or "(the paper states no training values in a numbered section)"
