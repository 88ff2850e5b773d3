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
    lines: tuple[int, int] = (0, 0)  # where the builder is written (its names used there are no direct use)


def _targets(node: ast.AST) -> list[tuple[str, str]]:
    """What an entry builds: the calls in a lambda's body, or the class or function it names."""
    named = [n.func for n in ast.walk(node.body) if isinstance(n, ast.Call)] if isinstance(node, ast.Lambda) else [node]
    found = []
    for target in named:
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


# a module's own parts and hooks are registered too (self.register_buffer('mean', ...)): no registry of choices
NOT_A_REGISTRY = re.compile(r"register_(?:buffer|parameter|module|\w*hook)\w*$")


def registry_entries(tree: ast.Module) -> list[Entry]:
    """``X.register*('name', builder)`` calls (not on ``self`` itself, not a module's buffers, parameters or hooks)
    and dicts of three or more names to classes or functions."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)) and len(node.args) >= 2:
            method = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            on_self = isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) \
                and node.func.value.id == "self"
            if re.match(r"register", method) and not NOT_A_REGISTRY.match(method) and not on_self \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                builder = node.args[1]
                out.append(Entry(_dotted_tail(node.func), node.args[0].value, _targets(builder),
                                 (builder.lineno, getattr(builder, "end_lineno", builder.lineno))))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and len(node.value.keys) >= 3 \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) \
                and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in node.value.keys) \
                and all(isinstance(v, (ast.Name, ast.Attribute, ast.Lambda)) for v in node.value.values):
            out += [Entry(node.targets[0].id, k.value, _targets(v), (v.lineno, getattr(v, "end_lineno", v.lineno)))
                    for k, v in zip(node.value.keys, node.value.values)]
    return out


def _words(stem: str) -> list[str]:
    """A file name's words: "AllegroKukaLSTMPPO" -> allegro, kuka, lstm, ppo; "shadow_hand-ff" -> shadow, hand, ff."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", stem)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in re.split(r"[\s_.\-]+", spaced) if w]


MAX_CONFIG_BYTES = 1_000_000  # a larger .json is data (annotations, a vocabulary), not a config


def _strings(data: Any, budget: int = 20000) -> set[str]:
    """The strings of a loaded config, its mapping keys included; each node once (YAML anchors can make a
    structure refer to itself, or fan out exponentially), at most ``budget`` nodes."""
    out: set[str] = set()
    stack, seen = [data], set()
    while stack and budget > 0:
        item = stack.pop()
        budget -= 1
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))
            if isinstance(item, dict):
                stack += [k for k in item if isinstance(k, str)] + list(item.values())
            else:
                stack += item
    return out


def config_names(root: Path, words: set[str], limit: int = 3000) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """The strings (values and keys) of the configs whose file name the paper writes word for word; the words of
    every other config (its file name included, YAML comments left out); and the paper's config files (relative to
    ``root``) with their strings."""
    papers: set[str] = set()
    others: set[str] = set()
    files: dict[str, set[str]] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    seen = 0
    for path in sorted(root.rglob("*")):
        if path.suffix.lower() not in CONFIG_SUFFIXES or ".git" in path.parts:
            continue
        try:
            if not path.is_file() or path.stat().st_size > MAX_CONFIG_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        seen += 1
        if seen > limit:
            break
        stem_words = _words(path.stem)
        if len(stem_words) < 2 or not all(w in words for w in stem_words):
            if path.suffix.lower() != ".json":
                text = re.sub(r"(?m)(?:^|\s)#.*$", "", text)
            others |= set(re.findall(r"[\w.-]+", text)) | {path.stem}
            continue
        try:
            documents = [json.loads(text)] if path.suffix.lower() == ".json" else list(yaml.load_all(text, Loader=loader))
        except (ValueError, yaml.YAMLError, RecursionError, MemoryError):
            continue
        values = set().union(*(_strings(d) for d in documents)) | {path.stem}
        papers |= values
        files[str(path.relative_to(root))] = values
    return papers, others, files


def _imports_by_module(tree: ast.Module) -> dict[str, set[str]]:
    """The names a module binds by importing, per imported module's last name (``from pkg import geometry`` ->
    geometry: {geometry}; ``from pkg.geometry import warp as w`` -> geometry: {w})."""
    out: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.setdefault(a.name.split(".")[-1], set()).add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                out.setdefault((node.module or "").split(".")[-1], set()).add(a.asname or a.name)
                out.setdefault(a.name, set()).add(a.asname or a.name)
    return out


def _direct_users(trees: dict[str, ast.Module | None], files: set[str], builders: dict[str, list[tuple[int, int]]],
                  stems: set[str]) -> set[str]:
    """The module names of ``stems`` that some file uses outside the registry builders it writes (``from pkg import
    geometry`` and a call of ``geometry.warp()``: a use; SAPG's train.py imports amp_continuous only to register its
    agent)."""
    used: set[str] = set()
    for rel in sorted(files):
        tree = trees.get(rel) if rel.endswith(".py") else None
        if tree is None:
            continue
        bound = {stem: names for stem, names in _imports_by_module(tree).items() if stem in stems and stem not in used}
        if not bound:
            continue
        spans = builders.get(rel, [])
        loads = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                 and not any(a <= n.lineno <= b for a, b in spans)}
        used |= {stem for stem, names in bound.items() if names & loads}
    return used


def registry_picks(root: Path, files: set[str], trees: dict[str, ast.Module | None],
                   words: set[str]) -> tuple[set[str], set[str], list[str]]:
    """What the paper's configs pick from the registries of ``files`` (paths relative to ``root``), as files: the
    files defining what the entries they name build, with the files of those classes' base classes (the run
    builds them: SAPG's A2CAgent, whose training loop is its base class's); and the files that only other entries
    build: those other configs name (``amp_continuous``, in IsaacGymEnvs' humanoid configs) and, where a registry
    has an entry the paper's configs name, its other entries. A file that defines what a picked entry, or one no
    config names, builds is never unpicked, nor one another file uses directly. Nothing is told apart where the
    paper writes no config's name. Third: the paper's config files, those that name a picked entry first
    (AllegroKukaPPO.yaml names a2c_continuous; a mutation schedule none)."""
    names, others, configs = config_names(root, words)
    if not names:
        return set(), set(), []
    by_file = {rel: registry_entries(trees[rel]) for rel in sorted(files) if rel.endswith(".py")
               and trees.get(rel) is not None}
    entries = [e for found in by_file.values() for e in found]
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

    picked, unpicked, neutral = set(), set(), set()
    keys = {e.key for e in entries if e.key in names}
    for e in entries:
        if e.key in names:
            queue = [(home, target[1]) for target in e.targets for home in homes(target)]
            for _ in range(4):  # a class, its bases, theirs
                picked.update(home for home, _ in queue)
                queue = [(home, b[1]) for f, name in queue for b in bases.get((f, name), []) for home in homes(b)
                         if home not in picked]
        elif e.registry in picked_registries or e.key in others:
            unpicked.update(h for target in e.targets for h in homes(target))
        else:  # an entry no config names: the run may build it, so its file stays
            neutral.update(h for target in e.targets for h in homes(target))
    unpicked -= picked | neutral
    # a file another file uses directly (not only in what it registers) runs whatever a config picks
    builders = {rel: [e.lines for e in found] for rel, found in by_file.items()}
    used = _direct_users(trees, files - unpicked, builders, {Path(f).stem for f in unpicked})  # (not by another
    # unpicked file: the AMP agent's own import of its AMP models)
    unpicked = {f for f in unpicked if Path(f).stem not in used}
    return picked, unpicked, sorted(configs, key=lambda f: (not configs[f] & keys, f))
