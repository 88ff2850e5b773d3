"""The workflow's own launcher for official code that trains through a function, not a script
(``entry: pkg.module:function`` or ``entry: path/to/file.py:function``).

The launcher is one small file, ``reprokit_launcher.py``, committed into code/ by the workflow as its own commit
(the upstream files stay unmodified). It imports the function from the repository, gives it one flag per
parameter (``--learning_rate 0.01``: the value is read as a Python literal, else kept as text) and calls it with
the flags given; a parameter not given keeps the function's own default. What the function returns, when it is
JSON, is written to ``reprokit_result.json`` in the run's folder, so ``metrics_from`` can read it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from reprokit.code.inventory import literal_value
from reprokit.errors import UserError
from reprokit.upstream.options import signature

LAUNCHER = "reprokit_launcher.py"
RESULT = "reprokit_result.json"
TARGET = re.compile(r"^(?P<where>[\w./-]+?)(?P<py>\.py)?:(?P<function>[A-Za-z_]\w*)$")

TEMPLATE = '''"""Written by reprokit (the workflow's own file, not the official code's): runs {target} with one flag per
parameter of the function (--name value, read as a Python literal, else as text); a parameter not given keeps
the function's own default. A parameter the paper's `entry_args` builds (--reprokit-objects, JSON: a call of the
repository's own code, {{"call": "file.py:function", "args": [...], "kwargs": {{...}}}}) is built first, and
--name.key sets one key of what it returns (a settings dictionary or object); --reprokit-seed seeds Python's,
NumPy's and torch's generators before anything is built. The JSON part of the result is written to {result}."""

import argparse
import ast
import importlib
import importlib.util
import inspect
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TARGET = {target!r}


def load(target):
    where, name = target.rsplit(":", 1)
    sys.path.insert(0, str(ROOT))
    if where.endswith(".py"):
        path = ROOT / where
        sys.path.insert(0, str(path.parent))  # the file's own imports of its neighbours
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    return getattr(module, name)


def value(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def build(recipe):
    """A value of the paper's entry_args: a literal, or a call of the repository's own code (nested)."""
    if isinstance(recipe, list):
        return [build(item) for item in recipe]
    if isinstance(recipe, dict) and "call" in recipe:
        return load(recipe["call"])(*[build(a) for a in recipe.get("args", [])],
                                    **{{k: build(v) for k, v in recipe.get("kwargs", {{}}).items()}})
    if isinstance(recipe, dict):
        return {{k: build(v) for k, v in recipe.items()}}
    return recipe


def seed_everything(seed):
    """The run's seed for Python's, NumPy's and torch's generators, before anything is built."""
    import random

    random.seed(seed)
    for name in ("numpy", "torch"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        (module.random.seed if name == "numpy" else module.manual_seed)(seed)


def set_key(target, key, given):
    if isinstance(target, dict):
        target[key] = given
    else:
        setattr(target, key, given)


def as_json(result):
    """What of the result JSON can hold (a model or a tensor in it is left out)."""
    if isinstance(result, dict):
        kept = {{}}
        for key, item in result.items():
            item = as_json(item)
            if item is not None:
                kept[str(key)] = item
        return kept
    if isinstance(result, (list, tuple)):
        items = [as_json(item) for item in result]
        return items if all(item is not None for item in items) else None
    if isinstance(result, (bool, int, float, str)) or result is None:
        return result
    if hasattr(result, "item") and getattr(result, "ndim", 1) == 0:  # a numpy or torch scalar
        return result.item()
    return None


def main():
    function = load(TARGET)
    parser = argparse.ArgumentParser(description="reprokit's launcher for " + TARGET)
    parser.add_argument("--reprokit-objects", dest="reprokit_objects", type=json.loads, default={{}})
    parser.add_argument("--reprokit-seed", dest="reprokit_seed", type=int, default=None)
    known, rest = parser.parse_known_args()
    if known.reprokit_seed is not None:
        seed_everything(known.reprokit_seed)
    objects = {{name: build(recipe) for name, recipe in known.reprokit_objects.items()}}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD) and name not in objects:
            parser.add_argument("--" + name, type=value, default=argparse.SUPPRESS)
    keys = sorted({{flag[2:].split("=")[0] for flag in rest if flag.startswith("--") and "." in flag}})
    for dotted in keys:
        if dotted.split(".", 1)[0] in objects:
            parser.add_argument("--" + dotted, dest=dotted, type=value, default=argparse.SUPPRESS)
    given = vars(parser.parse_args())
    given.pop("reprokit_objects", None)
    given.pop("reprokit_seed", None)
    for dotted in [k for k in given if "." in k]:
        name, key = dotted.split(".", 1)
        set_key(objects[name], key, given.pop(dotted))
    result = function(**objects, **given)
    if result is not None:
        kept = as_json(result)
        if kept is not None:
            Path({result!r}).write_text(json.dumps(kept) + "\\n")


if __name__ == "__main__":
    main()
'''


def is_function_target(entry: str) -> bool:
    return bool(TARGET.match(entry.strip()))


def function_file(root: Path, entry: str) -> tuple[str, str]:
    """(file of the repository, function name) an ``entry: pkg.module:function`` or ``path.py:function`` names."""
    match = TARGET.match(entry.strip())
    if match is None:
        raise UserError(f"entry {entry!r} is not a function target; write it as pkg.module:function or "
                        "path/to/file.py:function.")
    where = match.group("where")
    candidates = [f"{where}.py"] if match.group("py") else [f"{where.replace('.', '/')}.py",
                                                              f"{where.replace('.', '/')}/__init__.py"]
    rel = next((c for c in candidates if (root / c).is_file()), None)
    if rel is None:
        raise UserError(f"entry {entry!r}: {candidates[0]} is not a file of the official code in {root}; set `entry:` "
                        "to pkg.module:function or path/to/file.py:function of the repository.")
    return rel, match.group("function")


def function_parameters(root: Path, entry: str) -> tuple[str, list[dict[str, Any]]]:
    """The file and the parameters of the function an entry names: ``{name, default, required, line}``."""
    rel, name = function_file(root, entry)
    try:
        tree = ast.parse((root / rel).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, RecursionError):
        raise UserError(f"entry {entry!r}: {rel} is not valid Python; set `entry:` to another function.") from None
    function = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name),
                    None)
    if function is None:
        raise UserError(f"entry {entry!r}: {rel} defines no top-level function {name}; set `entry:` to one it defines.")
    return rel, [{"name": arg.arg, "default": literal_value(default) if default is not None else None,
                  "required": default is None, "line": arg.lineno} for arg, default in signature(function)]


def launcher_text(target: str) -> str:
    return TEMPLATE.format(target=target, result=RESULT)


def recipe_calls(recipe: Any) -> list[str]:
    """The call targets a value of the paper's ``entry_args`` names, nested ones included."""
    if isinstance(recipe, list):
        return [t for item in recipe for t in recipe_calls(item)]
    if isinstance(recipe, dict):
        own = [str(recipe["call"])] if "call" in recipe else []
        inner = [*recipe.get("args", []), *recipe.get("kwargs", {}).values()] if "call" in recipe else recipe.values()
        return own + [t for item in inner for t in recipe_calls(item)]
    return []


def check_recipe(root: Path, param: str, recipe: Any) -> None:
    """A value of ``entry_args`` whose calls are functions or classes of the repository, else one sentence."""
    if isinstance(recipe, dict) and "call" in recipe and not (
            set(recipe) <= {"call", "args", "kwargs"} and isinstance(recipe.get("args", []), list)
            and isinstance(recipe.get("kwargs", {}), dict)):
        raise UserError(f"the paper's `entry_args` for {param!r} is {recipe!r}; a call is written "
                        "{call: path/to/file.py:name, args: [...], kwargs: {...}} (args a list, kwargs a mapping).")
    for target in recipe_calls(recipe):
        try:
            rel, name = function_file(root, target)
        except UserError as err:
            raise UserError(f"the paper's `entry_args` for {param!r}: {err}") from None
        try:
            tree = ast.parse((root / rel).read_text(encoding="utf-8", errors="replace"))
        except (SyntaxError, ValueError, RecursionError):
            raise UserError(f"the paper's `entry_args` for {param!r} calls {target}, but {rel} is not valid Python; "
                            "name a function of a file that parses.") from None
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        if name not in defined | imported:
            raise UserError(f"the paper's `entry_args` for {param!r} calls {target}, but {rel} defines no {name}; name a "
                            "function or class the file defines.")


def settings_keys(root: Path, recipe: Any) -> list[dict[str, Any]]:
    """The keys of the settings a recipe's call returns, read from its code: a dictionary literal the function
    returns, directly or through a name (``arg_dict = {...}; return ObjectView(arg_dict)``); each
    ``{key, default, line, file}``."""
    if not (isinstance(recipe, dict) and "call" in recipe):
        return []
    rel, name = function_file(root, str(recipe["call"]))
    try:
        tree = ast.parse((root / rel).read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, RecursionError):
        return []
    function = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if function is None:
        return []
    returned = {n.id for r in ast.walk(function) if isinstance(r, ast.Return) and r.value is not None
                for n in ast.walk(r.value) if isinstance(n, ast.Name)}
    dicts = [r.value for r in ast.walk(function) if isinstance(r, ast.Return) and isinstance(r.value, ast.Dict)]
    dicts += [a.value for a in ast.walk(function) if isinstance(a, ast.Assign) and isinstance(a.value, ast.Dict)
              and any(isinstance(t, ast.Name) and t.id in returned for t in a.targets)]
    out = []
    for node in dicts:
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in [o["key"] for o in out]:
                out.append({"key": key.value, "default": literal_value(value), "line": key.lineno, "file": rel})
    return out
