"""The command-line options an entry point defines, read from its source (nothing is imported or run).

Each option is ``{flag, dest, default, line, via}``: the flag as the command line writes it, the name the code
reads it under, its default and the line that defines it. Read from:

- argparse: ``parser.add_argument("--lr", type=float, default=0.1)``;
- click: ``@click.option("--lr", default=0.1)`` on the command's function (its name: the explicit one, else
  the longest flag with dashes made underscores);
- typer: ``typer.run(main)`` or ``@app.command()``: each parameter of the function is ``--its-name`` (typer
  writes underscores as dashes), or the flags of its ``typer.Option(default, "--lr")``;
- fire: ``fire.Fire(main)``: each parameter of the function (or of a class's ``__init__``) is ``--its_name``;
- absl: ``flags.DEFINE_float("learning_rate", 0.1, ...)`` is ``--learning_rate``; an ml_collections config file
  flag (``config_flags.DEFINE_config_file("config", "configs/default.py")``) makes each key its get_config() sets
  an option ``--config.optimizer.lr``, defined at the config file's line;
- dataclass configs handed to a parser: ``HfArgumentParser((ModelArgs, TrainArgs))`` (``--field_name``),
  ``tyro.cli(Config)`` (``--field-name``), simple_parsing's ``parser.add_arguments(Config, dest=...)``
  (``--field_name``); the dataclass may be defined in the script or in a local module it imports.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from reprokit.code.inventory import argparse_dest, literal_value
from reprokit.code.reach import _aliases, _module_file


def argparse_options(tree: ast.AST) -> list[dict[str, Any]]:
    """Every ``add_argument`` of a script: its flag as written, the destination name and the default."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "add_argument"):
            continue
        flags = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [f for f in flags if f.startswith("--")] or [f for f in flags if f.startswith("-")]
        if not longs:
            continue
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        out.append({"flag": longs[0], "dest": str(argparse_dest(node)), "default": literal_value(keywords["default"])
                    if "default" in keywords else None, "line": node.lineno, "via": "argparse"})
    return out


def _call_name(node: ast.AST) -> str:
    """``click.option`` for ``click.option(...)``, ``Fire`` for ``Fire(...)``; "" for anything else."""
    func = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(func) if isinstance(func, (ast.Name, ast.Attribute)) else ""


def _strings(args: list[ast.expr]) -> list[str]:
    return [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _click_options(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[dict[str, Any]]:
    out = []
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and _call_name(decorator).split(".")[-1] == "option"):
            continue
        names = _strings(decorator.args)
        flags = [n for n in names if n.startswith("-")]
        if not flags:
            continue
        plain = [n for n in names if not n.startswith("-")]
        longest = max(flags, key=len).split("/")[0]  # "--shuffle/--no-shuffle": the first is the option
        keywords = {kw.arg: kw.value for kw in decorator.keywords if kw.arg}
        out.append({"flag": max((f for f in flags if f.startswith("--")), key=len, default=flags[0]).split("/")[0],
                    "dest": plain[0] if plain else longest.lstrip("-").replace("-", "_"),
                    "default": literal_value(keywords["default"]) if "default" in keywords else None,
                    "line": decorator.lineno, "via": "click"})
    return out


def signature(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.arg, ast.expr | None]]:
    """Each named parameter of a function with its default expression (None: it has none), in order."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    return [*zip(positional, defaults), *zip(args.kwonlyargs, args.kw_defaults)]


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef, dashes: bool, via: str) -> list[dict[str, Any]]:
    """A function's parameters as the flags a signature-driven CLI (typer, fire) makes of them."""
    out = []
    for arg, default in signature(function):
        if arg.arg in ("self", "cls"):
            continue
        flag = "--" + (arg.arg.replace("_", "-") if dashes else arg.arg)
        value = literal_value(default) if default is not None else None
        if isinstance(default, ast.Call) and _call_name(default).split(".")[-1] in ("Option", "Argument"):
            flags = [s for s in _strings(default.args) if s.startswith("--")]
            flag = flags[0] if flags else flag
            first = default.args[0] if default.args and not (isinstance(default.args[0], ast.Constant) and isinstance(
                default.args[0].value, str) and default.args[0].value.startswith("-")) else None
            keywords = {kw.arg: kw.value for kw in default.keywords if kw.arg}
            value = literal_value(keywords.get("default", first)) if keywords.get("default", first) is not None else None
        out.append({"flag": flag, "dest": arg.arg, "default": value, "line": arg.lineno, "via": via})
    return out


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    return {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}


def _dataclass_fields(cls: ast.ClassDef) -> list[tuple[str, Any, int]]:
    """(name, default, line) of each annotated field of a class body."""
    out = []
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            default = node.value
            if isinstance(default, ast.Call) and _call_name(default).split(".")[-1] == "field":
                keywords = {kw.arg: kw.value for kw in default.keywords if kw.arg}
                default = keywords.get("default")
            out.append((node.target.id, literal_value(default) if default is not None else None, node.lineno))
    return out


def _class_named(name: str, tree: ast.Module, path: Path, root: Path) -> tuple[ast.ClassDef, Path] | None:
    """The class a script names, defined in it or in a local module it imports it from."""
    local = _functions(tree).get(name)
    if isinstance(local, ast.ClassDef):
        return local, path
    dotted = _aliases(tree).get(name.split(".")[0])
    if not dotted:
        return None
    found = _module_file([root, path.parent], dotted + name[len(name.split(".")[0]):])
    if found is None:
        return None
    module, rest = found
    try:
        other = ast.parse(module.read_text(errors="replace"))
    except (SyntaxError, ValueError, RecursionError, OSError):
        return None
    cls = _functions(other).get(rest[-1] if rest else name.split(".")[-1])
    return (cls, module) if isinstance(cls, ast.ClassDef) else None


DATACLASS_PARSERS = {"HfArgumentParser": False, "cli": True, "add_arguments": False}  # name -> fields with dashes


def signature_options(tree: ast.Module, path: Path, root: Path) -> list[dict[str, Any]]:
    """The options click, typer, fire and dataclass-config parsers make (see the module's docstring); ``path``
    is the script's file, ``root`` the repository (for dataclasses imported from a local module)."""
    out: list[dict[str, Any]] = []
    defined = _functions(tree)
    for function in defined.values():
        if isinstance(function, ast.ClassDef):
            continue
        out += _click_options(function)
        if any(_call_name(d).split(".")[-1] == "command" and "click" not in _call_name(d) for d in function.decorator_list
               if isinstance(d, ast.Call)) and not _click_options(function):
            out += _parameters(function, True, "typer")  # @app.command()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _call_name(node)
        target = node.args[0]
        if name in ("typer.run", "fire.Fire", "Fire") and isinstance(target, ast.Name) and target.id in defined:
            function = defined[target.id]
            if isinstance(function, ast.ClassDef):
                function = next((n for n in function.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"),
                                None)
            if function is not None:
                out += _parameters(function, name == "typer.run", "typer" if name == "typer.run" else "fire")
            continue
        short = name.split(".")[-1]
        if short not in DATACLASS_PARSERS or (short == "cli" and not name.startswith("tyro")):
            continue
        classes = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        for cls_node in classes:
            cls_name = ast.unparse(cls_node) if isinstance(cls_node, (ast.Name, ast.Attribute)) else ""
            found = _class_named(cls_name, tree, path, root) if cls_name else None
            if found is None:
                continue
            cls, where = found
            for field, default, line in _dataclass_fields(cls):
                flag = "--" + (field.replace("_", "-") if DATACLASS_PARSERS[short] else field)
                out.append({"flag": flag, "dest": field, "default": default, "line": line,
                            "via": f"dataclass {cls.name}", "file": str(where)})
    return out


ABSL_DEFINE = re.compile(r"^DEFINE_(?:string|integer|float|boolean|bool|enum|list|multi_\w+|spaceseplist)$")


def _ml_collections_keys(config_file: Path) -> list[tuple[str, Any, int]]:
    """(dotted key, value, line) of an ml_collections config file: the ``config.a.b = <literal>`` assignments of
    its functions (``get_config()``)."""
    try:
        tree = ast.parse(config_file.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError, RecursionError):
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute):
            dotted = ast.unparse(node.targets[0]).split(".")
            value = literal_value(node.value)
            if len(dotted) > 1 and value is not None and not isinstance(value, (dict, list)):
                out.append((".".join(dotted[1:]), value, node.lineno))
    return out


def absl_options(tree: ast.Module, path: Path, root: Path) -> list[dict[str, Any]]:
    """absl flags (``flags.DEFINE_float("learning_rate", 0.1, ...)``: ``--learning_rate``) and an ml_collections
    config file flag (``config_flags.DEFINE_config_file("config", "configs/default.py")``): each key its
    ``get_config()`` sets is an option ``--config.<key>``, defined at the config file's line."""
    out: list[dict[str, Any]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            continue
        short = _call_name(node).split(".")[-1]
        name = node.args[0].value
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        default = node.args[1] if len(node.args) > 1 else keywords.get("default")
        if ABSL_DEFINE.match(short):
            out.append({"flag": f"--{name}", "dest": name, "line": node.lineno, "via": "absl",
                        "default": literal_value(default) if default is not None else None})
        elif short == "DEFINE_config_file":
            config = literal_value(default) if default is not None else None
            files = [f for f in ((root / config) if isinstance(config, str) else None,
                                 (path.parent / config) if isinstance(config, str) else None) if f and f.is_file()]
            for key, value, line in _ml_collections_keys(files[0]) if files else []:
                out.append({"flag": f"--{name}.{key}", "dest": key.split(".")[-1], "default": value, "line": line,
                            "via": "ml_collections", "file": str(files[0])})
    return out


def cli_options(tree: ast.Module, path: Path, root: Path) -> list[dict[str, Any]]:
    """Every option of an entry point: argparse first, then the signature-driven CLIs, absl flags and an
    ml_collections config's keys; one per flag."""
    seen: set[str] = set()
    out = []
    for option in [*argparse_options(tree), *signature_options(tree, path, root), *absl_options(tree, path, root)]:
        if option["flag"] not in seen:
            seen.add(option["flag"])
            out.append(option)
    return out
