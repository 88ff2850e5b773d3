"""Stage 2: the config files a Hydra entry point composes, read without running it.

``@hydra.main(config_path="config", config_name="config")`` on a training script loads ``config/config.yaml``
beside it, and the defaults list there picks one file per config group (``- model: gpt2-medium`` loads
``config/model/gpt2-medium.yaml`` under the key ``model``). A command's override (``loss=sft``) picks another
file of that group. Those files hold the values the run trains with; their siblings (``loss/sft.yaml``) are
other experiments' options.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

import yaml


def hydra_main(tree: ast.Module) -> ast.Call | None:
    """The ``@hydra.main(...)`` decorator of a function of the module, or None (the stage 4 upstream route reads
    the same decorator to pass Hydra overrides)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "main" \
                        and getattr(decorator.func.value, "id", "") == "hydra":
                    return decorator
    return None


def _decorator_options(tree: ast.Module) -> dict[str, str] | None:
    """config_path and config_name of the module's ``@hydra.main(...)`` (an old ``hydra.main("conf/x.yaml")``
    gives its path only), or None where no function is decorated with it."""
    decorator = hydra_main(tree)
    if decorator is None:
        return None
    options = {kw.arg: kw.value.value for kw in decorator.keywords
               if kw.arg in ("config_path", "config_name") and isinstance(kw.value, ast.Constant)
               and isinstance(kw.value.value, str)}
    if decorator.args and isinstance(decorator.args[0], ast.Constant) and isinstance(decorator.args[0].value, str):
        options.setdefault("config_path", decorator.args[0].value)
    return options


def _defaults(data: Any) -> list[tuple[str, str]]:
    """(group, option) of a config's defaults list: ``- model: gpt2-medium``, ``- override loss: sft``; not
    ``_self_``, a null option, an interpolated one (``train: ${task}PPO``: known only at run time) nor Hydra's own
    groups (``hydra/job_logging``)."""
    out = []
    for item in data.get("defaults", []) if isinstance(data, dict) else []:
        if not isinstance(item, dict):
            continue
        for group, option in item.items():
            group = str(group).removeprefix("override ").removeprefix("optional ").strip()
            if option is None or not isinstance(option, str) or "${" in option or group.startswith("hydra"):
                continue
            out.append((group.lstrip("/"), option))
    return out


def _yaml_file(folder: Path, name: str) -> Path | None:
    for candidate in (folder / name, folder / f"{name}.yaml", folder / f"{name}.yml"):
        if candidate.is_file():
            return candidate
    return None


def composed_configs(root: Path, entry: str, tree: ast.Module, overrides: dict[str, Any],
                     papers_configs: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(file, key) of each config file the Hydra entry script ``entry`` (a path of ``root``) composes: its main
    config (key "") and each group's pick (key "model" for ``model/gpt2-medium.yaml``), with a command's
    overrides (``{"loss": "sft"}``) applied. A group that holds a config whose name the paper writes
    (``papers_configs``) is left to those: the paper's runs override its default (SAPG's ``task: Ant``)."""
    options = _decorator_options(tree)
    if options is None:
        return []
    root = Path(os.path.normpath(root))
    base = Path(os.path.normpath((root / entry).parent / options.get("config_path", ".")))  # "../configs"
    name = options.get("config_name")
    main = _yaml_file(base, name) if name else (base if base.is_file() and base.suffix in (".yaml", ".yml") else None)
    if main is None or root.resolve() not in main.resolve().parents:
        return []
    folder = main.parent
    try:
        data = yaml.safe_load(main.read_text(encoding="utf-8", errors="replace"))
    except (yaml.YAMLError, RecursionError):
        return []
    out = [(str(main.relative_to(root)), "")]
    papers = {Path(p).parent for p in papers_configs}
    for group, option in _defaults(data):
        group_folder = folder / group
        try:
            if group_folder.relative_to(root) in papers:
                continue
        except ValueError:  # a group outside the repository
            continue
        chosen = overrides.get(group, option)
        picked = _yaml_file(group_folder, str(chosen)) if isinstance(chosen, (str, int, float)) else None
        if picked is not None and root.resolve() in picked.resolve().parents:
            out.append((str(picked.relative_to(root)), "" if _global(picked) else group.replace("/", ".")))
    return out


def _global(path: Path) -> bool:
    """A group file that places its keys at the top of the config (``# @package _global_``)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    return any(line.strip().startswith("#") and "@package" in line and "_global_" in line for line in head.splitlines())
