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
the function's own default. A JSON result is written to {result}."""

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


def main():
    function = load(TARGET)
    parser = argparse.ArgumentParser(description="reprokit's launcher for " + TARGET)
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            parser.add_argument("--" + name, type=value, default=argparse.SUPPRESS)
    result = function(**vars(parser.parse_args()))
    if result is not None:
        try:
            text = json.dumps(result)
        except (TypeError, ValueError):
            return
        Path({result!r}).write_text(text + "\\n")


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
