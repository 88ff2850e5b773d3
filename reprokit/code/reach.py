"""What an entry point reaches in its own repository, read as data (nothing is imported or run): the files it
imports, directly or through another (stage 2 ranks the code's settings by them: a notebook or a plotting script
the training command never reaches is listed apart), and the functions of local modules it calls, followed
through the calls they make in turn, so that what a script defines elsewhere (``parser =
grok.training.add_args()``, whose options a class method adds) is read as the script's own."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path


def parse_file(path: Path) -> ast.Module | None:
    """``path`` parsed, or None; one parse per file version for all the walks of a stage (a repository with a
    launcher is walked from several entry points, twice, and the inventory judges the same files). The tree is
    shared: read it, never change it."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parse_version(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8192)
def _parse_version(path: str, mtime_ns: int, size: int) -> ast.Module | None:
    try:
        return ast.parse(Path(path).read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


MAX_DEPTH = 4  # calls followed from the entry point: enough for add_args -> Model.add_model_specific_args


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a name or an attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def _module_file(roots: list[Path], dotted: str) -> tuple[Path, list[str]] | None:
    """The local file of the longest module prefix of ``dotted`` and the names after it, or None."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        for root in roots:
            base = root.joinpath(*parts[:cut])
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    return candidate, parts[cut:]
    return None


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it stands for, from the module's imports."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _definition(tree: ast.Module, names: list[str]) -> ast.AST | None:
    """The function (or class method) ``names`` point at in a module, or None."""
    scope: list[ast.stmt] = tree.body
    found: ast.AST | None = None
    for name in names:
        found = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                      and n.name == name), None)
        if found is None:
            return None
        scope = found.body if isinstance(found, ast.ClassDef) else []
    return found if isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def reached_functions(entry: Path, root: Path, packages: tuple[Path, ...] = (),
                      skip: frozenset[Path] = frozenset()) -> list[tuple[Path, ast.AST]]:
    """The functions of the repository's own modules that the entry script calls, and those they call (in their
    module, or in local modules it imports), up to MAX_DEPTH calls deep: (file, function node) in call order.
    ``packages``: the folders of the repository's own installed packages (an import of ``rl_games`` resolves in
    ``rl_games/`` when the README installs that folder). ``skip``: files not followed into (what only another
    experiment's registry entry builds)."""
    parsed: dict[Path, ast.Module | None] = {}

    def parse(path: Path) -> ast.Module | None:
        if path not in parsed:
            parsed[path] = parse_file(path)
        return parsed[path]

    out: list[tuple[Path, ast.AST]] = []
    seen: set[tuple[Path, int]] = set()

    def follow(path: Path, body: ast.AST, module: ast.Module, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        roots = [root, *packages, path.parent]
        aliases = _aliases(module)
        for node in ast.walk(body):
            if not isinstance(node, ast.Call):
                continue
            dotted = _dotted(node.func)
            if not dotted:
                continue
            head, _, rest = dotted.partition(".")
            if head in aliases:  # an imported module, or a name imported from one
                target = _module_file(roots, ".".join(filter(None, [aliases[head], rest])))
            else:  # a function or class of this module
                target = (path, dotted.split("."))
            if target is None:
                continue
            file, names = target
            if file in skip:
                continue
            tree = parse(file)
            function = _definition(tree, names) if tree is not None and names else None
            if function is None or (file, function.lineno) in seen:
                continue
            seen.add((file, function.lineno))
            out.append((file, function))
            follow(file, function, tree, depth + 1)

    tree = parse(entry)
    if tree is not None:
        follow(entry, tree, tree, 1)
    return out


_IMPORTS: dict[int, tuple[ast.Module, list[ast.AST]]] = {}


def _import_nodes(tree: ast.Module) -> list[ast.AST]:
    """The import statements of a tree, listed once per (cached) tree."""
    held = _IMPORTS.get(id(tree))
    if held is None or held[0] is not tree:
        if len(_IMPORTS) > 8192:
            _IMPORTS.clear()
        held = (tree, [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))])
        _IMPORTS[id(tree)] = held
    return held[1]


def _imported_files(tree: ast.Module, path: Path, root: Path, packages: tuple[Path, ...] = ()) -> list[Path]:
    """The repository's own files a module imports (``import a.b``, ``from a import b``, ``from . import c``)."""
    out = []
    for node in _import_nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = path.parent
            for _ in range(max(0, node.level - 1)):
                base = base.parent
            prefix = ".".join(base.relative_to(root).parts) if node.level and base.is_relative_to(root) else ""
            module = ".".join(filter(None, [prefix, node.module or ""]))
            names = [module] + [f"{module}.{a.name}" if module else a.name for a in node.names]
        for dotted in filter(None, names):
            found = _module_file([root, *packages, path.parent], dotted)  # a module, or the module holding the name
            if found is not None:
                out.append(found[0])
                # importing a.b.c runs a/__init__.py and a/b/__init__.py first (rl_games/envs/__init__.py registers
                # networks): the packages above it, up to the folder its import resolves from (none for a script's
                # sibling module, which resolves from the script's own folder)
                base = next((r for r in [root, *packages] if found[0].is_relative_to(r) and dotted.startswith(
                    ".".join(p for p in found[0].relative_to(r).with_suffix("").parts if p != "__init__"))), None)
                folder = found[0].parent
                while base is not None and folder != base and folder.is_relative_to(base):
                    init = folder / "__init__.py"
                    if init.is_file() and init != found[0] and init not in out:
                        out.append(init)
                    folder = folder.parent
    return out


def reached_files(entry: Path, root: Path, limit: int = 2000, packages: tuple[Path, ...] = (),
                  skip: frozenset[Path] = frozenset()) -> set[Path]:
    """The entry script and every file of the repository it imports, directly or through another (as data), not
    through the files of ``skip``."""
    reached, queue = {entry}, [entry]
    while queue and len(reached) < limit:
        path = queue.pop()
        tree = parse_file(path)
        if tree is None:
            continue
        for found in _imported_files(tree, path, root, packages):
            if found not in reached and found not in skip:
                reached.add(found)
                queue.append(found)
    return reached


# a command a launcher builds as a string: 'python -m isaacgymenvs.train task=Ant', f"python3 train.py {args}"
LAUNCHED = re.compile(r"(?:^|[\s'\"])python3?\s+(?:-u\s+)?(-m\s+[A-Za-z_][\w.]*|[\w./-]+\.py)\b")


def launched_commands(files: set[Path]) -> list[str]:
    """The Python commands (``-m pkg.mod`` or ``script.py``) that the string constants of ``files`` spell: the
    training a launcher script starts in a subprocess, which its imports never reach."""
    out: list[str] = []
    for path in sorted(files):
        tree = parse_file(path)
        if tree is None:
            continue
        # not what a docstring, a comment-like string or a command line's help tells a reader to run
        told = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)} | {
            id(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords
            if k.arg in ("help", "description", "epilog", "usage")}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in told:
                out += [m.group(1) for m in LAUNCHED.finditer(node.value) if m.group(1) not in out]
    return [re.sub(r"\s+", " ", c) for c in out]
