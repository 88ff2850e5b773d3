"""Registries: code that maps a name to what it builds, so that a config picks it by that name.

    runner.algo_factory.register_builder('a2c_continuous', lambda **kw: a2c_continuous.A2CAgent(**kw))
    isaacgym_task_map = {"AllegroKuka": AllegroKuka, "HumanoidAMP": HumanoidAMP, ...}

Imports reach every registered module, but a run builds only the entries its configs name. The configs that are
the paper's own are those whose file name the paper writes word for word (``AllegroKukaLSTMPPO.yaml``: Allegro,
Kuka, LSTM, PPO); where a registry has an entry they name, its other entries are other experiments' (SAPG's
``amp_continuous`` agent, registered for IsaacGymEnvs' humanoid tasks), and the files that only those build are not
the paper's run.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Entry:
    registry: str  # the registering call's last two names ("algo_factory.register_builder") or the dict's name
    key: str
    targets: list[tuple[str, str]] = field(default_factory=list)  # (module alias or "", class or function name)


def _targets(node: ast.AST) -> list[tuple[str, str]]:
    """What an entry builds: the calls in a lambda's body, or the class or function it names."""
    body = node.body if isinstance(node, ast.Lambda) else node
    found = []
    for sub in ast.walk(body) if isinstance(node, ast.Lambda) else [body]:
        target = sub.func if isinstance(sub, ast.Call) else sub if not isinstance(node, ast.Lambda) else None
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            found.append((target.value.id, target.attr))
        elif isinstance(target, ast.Name):
            found.append(("", target.id))
    return found


def _dotted_tail(node: ast.AST) -> str:
    names = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return ".".join(reversed(names[:2]))


def registry_entries(tree: ast.Module) -> list[Entry]:
    """``X.register*('name', builder)`` calls and dicts of three or more names to classes or functions."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)) and len(node.args) >= 2 \
                and re.match(r"register", node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id) \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            out.append(Entry(_dotted_tail(node.func), node.args[0].value, _targets(node.args[1])))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and len(node.value.keys) >= 3 \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys) \
                and all(isinstance(v, (ast.Name, ast.Attribute, ast.Lambda)) for v in node.value.values):
            out += [Entry(node.targets[0].id, k.value, _targets(v)) for k, v in zip(node.value.keys, node.value.values)]
    return out


def _words(stem: str) -> list[str]:
    """A file name's words: "AllegroKukaLSTMPPO" -> allegro, kuka, lstm, ppo; "shadow_hand-ff" -> shadow, hand, ff."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", stem)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in re.split(r"[\s_.\-]+", spaced) if w]


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return {s for v in value.values() for s in _strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    return set()


def config_names(root: Path, words: set[str], limit: int = 3000) -> tuple[set[str], str, dict[str, set[str]]]:
    """The string values of the configs whose file name the paper writes word for word, the text of all configs
    (their file names included), and the paper's config files (relative to ``root``) with their values."""
    papers: set[str] = set()
    texts: list[str] = []
    files: dict[str, set[str]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    seen = 0
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in CONFIG_SUFFIXES or not path.is_file() or ".git" in path.parts:
            continue
        seen += 1
        if seen > limit:
            break
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        texts.append(f"{path.stem}\n{text}")
        stem_words = _words(path.stem)
        if len(stem_words) < 2 or not all(w in words for w in stem_words):
            continue
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=loader)
        except (ValueError, yaml.YAMLError, RecursionError):
            continue
        values = _strings(data) | {path.stem}
        papers |= values
        files[str(path.relative_to(root))] = values
    return papers, "\n".join(texts), files


def _named_in(key: str, text: str) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text))


def registry_picks(root: Path, files: set[str], trees: dict[str, ast.Module | None],
                   words: set[str]) -> tuple[set[str], set[str], list[str]]:
    """What the paper's configs pick from the registries of ``files`` (paths relative to ``root``), as files: the
    files defining what the entries they name build, with the files of those classes' base classes (the run
    builds them: SAPG's A2CAgent, whose training loop is its base class's); and the files that only other entries
    build: those other configs name (``amp_continuous``, in IsaacGymEnvs' humanoid configs) and, where a registry
    has an entry the paper's configs name, its other entries. A file that defines a picked entry's target is never
    unpicked. Nothing is told apart where the paper writes no config's name. Third: the paper's config files,
    those that name a picked entry first (AllegroKukaPPO.yaml names a2c_continuous; a mutation schedule none)."""
    names, every, configs = config_names(root, words)
    if not names:
        return set(), set(), []
    entries = [e for rel in sorted(files) if rel.endswith(".py") and trees.get(rel) is not None
               for e in registry_entries(trees[rel])]
    picked_registries = {e.registry for e in entries if e.key in names}
    defined: dict[str, set[str]] = {}  # name -> files defining it at top level
    bases: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (file, class) -> its bases as (module, name)
    for rel in files:
        tree = trees.get(rel)
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                defined.setdefault(node.name, set()).add(rel)
            if isinstance(node, ast.ClassDef):
                bases[(rel, node.name)] = [t for b in node.bases for t in _targets(b)]

    def homes(target: tuple[str, str]) -> set[str]:
        module, name = target
        found = defined.get(name, set())
        return {f for f in found if Path(f).stem == module} if module else found

    picked, unpicked = set(), set()
    keys = {e.key for e in entries if e.key in names}
    for e in entries:
        if e.key in names:
            queue = [(home, target[1]) for target in e.targets for home in homes(target)]
            for _ in range(4):  # a class, its bases, theirs
                picked.update(home for home, _ in queue)
                queue = [(home, b[1]) for f, name in queue for b in bases.get((f, name), []) for home in homes(b)
                         if home not in picked]
        elif e.registry in picked_registries or _named_in(e.key, every):
            unpicked.update(h for target in e.targets for h in homes(target))
    return picked, unpicked - picked, sorted(configs, key=lambda f: (not configs[f] & keys, f))
