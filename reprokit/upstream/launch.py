"""Stage 4's upstream route, the launch spec: how the official code is started and how each ledger value
reaches it, read from the code without running it.

The entry point is the config's ``entry:``, else a README training command whose script exists, else a
``__main__`` script that parses arguments (a name like train/main/run first). A ledger value reaches the entry
point through a flag of that script (argparse, click, typer, fire, or the fields of a dataclass config handed to
HfArgumentParser, tyro or simple_parsing: reprokit.upstream.options), a Hydra override (when the script is a ``@hydra.main`` app,
for keys of its config tree), a key of a YAML or JSON config the script takes through a config flag (the
launch writes its own copy; the upstream's files are never rewritten), or an environment variable it reads.
A value with none of these "needs a code change" and is listed with its provenance, never dropped.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import yaml

from reprokit.code.hydra import hydra_main
from reprokit.code.inventory import command_scripts, literal_value, module_script, yaml_leaves
from reprokit.code.reach import reached_functions
from reprokit.errors import UserError
from reprokit.gaps.knobs import Knob
from reprokit.upstream.launcher import (
    LAUNCHER,
    check_recipe,
    function_file,
    function_parameters,
    is_function_target,
    settings_keys,
)
from reprokit.upstream.options import argparse_options, cli_options

ENTRY_NAME = re.compile(r"(^|/)(train|main|run|finetune|pretrain)\w*\.py$", re.IGNORECASE)
CONFIG_FLAG = re.compile(r"^(config|cfg|config_file|config_path|conf)$", re.IGNORECASE)


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (SyntaxError, ValueError, RecursionError):
        return None


def hydra_config(tree: ast.Module) -> tuple[str, str] | None:
    """(config_path, config_name) of a ``@hydra.main`` entry point, or None."""
    decorator = hydra_main(tree)
    if decorator is None:
        return None
    keywords = {kw.arg: literal_value(kw.value) for kw in decorator.keywords}
    return str(keywords.get("config_path") or "."), str(keywords.get("config_name") or "config")


def _is_main_script(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            return True
    return hydra_config(tree) is not None


def find_entry(code_dir: str | Path, readme_scripts: list[tuple[str, str]], configured: str | None,
               own_tree: str | Path | None = None) -> dict[str, Any]:
    """The script the launch runs and how it was found (``readme_scripts``: (script, where) pairs from the
    inventory's README commands). A configured entry may also be a file of ``own_tree`` (code/, the official tree
    extended): a wrapper you committed there for a repository that trains through a library function."""
    root = Path(code_dir)
    if configured and configured.strip().startswith("-m "):  # a module: python -m pkg.train
        module = configured.strip()[3:].strip()
        base = module.replace(".", "/")
        rel = module_script(root, f"-m {module}")
        if rel is None or not re.fullmatch(r"[A-Za-z_][\w.]*", module):
            raise UserError(f"entry {configured!r}: no module {module} ({base}.py or {base}/__main__.py) in the official "
                            f"code in {root}; set `entry:` to -m and a module of the repository.")
        return {"script": rel, "module": module, "how": f"set by `entry:` in the config: python -m {module}"}
    if configured and is_function_target(configured):  # a function: the workflow's launcher calls it
        rel, function = function_file(root, configured)
        return {"script": LAUNCHER, "function": configured.strip(), "file": rel, "launcher": True,
                "how": f"set by `entry:` in the config: the function {function} in {rel}, called by the workflow's "
                       f"own launcher {LAUNCHER} (one flag per parameter)"}
    if configured:
        if (root / configured).is_file():
            return {"script": configured, "how": "set by `entry:` in the config"}
        if own_tree is not None and (Path(own_tree) / configured).is_file():
            return {"script": configured, "how": f"set by `entry:` in the config; your file in {own_tree}, not in the "
                                                 "official repository", "yours": True}
        raise UserError(f"entry {configured!r} is not a file of the official code in {root}"
                        + (f" nor of {own_tree}" if own_tree is not None else "") + "; set the paper's `entry:` to the "
                        "training script's path inside the repository (or commit your wrapper script in "
                        f"{own_tree or 'code/'} and name it there).")
    for script, where in readme_scripts:
        runs = command_scripts(root, script)  # the script itself, or the python command a shell script runs
        if not runs:
            continue
        how = f"the README's training command ({where})" + (f", the python command in {script}" if runs[0] != script
                                                             else "")
        if runs[0].startswith("-m "):
            return {"script": module_script(root, runs[0]), "module": runs[0][3:].strip(), "how": how}
        return {"script": runs[0], "how": how}
    candidates = []
    for path in sorted(root.rglob("*.py")):
        rel = str(path.relative_to(root))
        tree = _parse(path) if path.stat().st_size < 1_000_000 else None
        if tree is not None and _is_main_script(tree) and (cli_options(tree, path, root) or hydra_config(tree)):
            candidates.append(rel)
    if not candidates:
        notebooks = sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb") if ".git" not in p.parts)
        raise UserError(f"the official code in {root} has no README training command and no script that parses "
                        "arguments under `if __name__ == \"__main__\"`; set the paper's `entry:` to its training script"
                        + (f" (it trains in notebooks, {', '.join(notebooks[:3])}{' ...' if len(notebooks) > 3 else ''}: "
                           "name a function of its code with the paper's `entry_args`, or commit a script of your own "
                           "that does what the notebook does and name it; docs/upstream.md)" if notebooks else "") + ".")
    candidates.sort(key=lambda rel: (not ENTRY_NAME.search(rel), rel.count("/"), rel))
    return {"script": candidates[0], "how": "a __main__ script that parses its arguments"
            + (f" (also: {', '.join(candidates[1:4])})" if len(candidates) > 1 else "")}


def _json_leaves(data: Any, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        return [key for k, v in data.items() for key in _json_leaves(v, f"{prefix}{k}.")]
    return [prefix[:-1]] if prefix else []


def _config_keys(path: Path) -> list[str]:
    """The dotted keys of a YAML or JSON config file's leaves ([] for a file that does not parse)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.suffix == ".json":
            return _json_leaves(json.loads(text))
        return [key for key, _, _ in yaml_leaves(text)]
    except (ValueError, yaml.YAMLError, RecursionError):
        return []


def environment_variables(tree: ast.Module) -> list[dict[str, Any]]:
    """Settings a script reads from its environment: ``os.environ.get("LR", ...)``, ``os.getenv("LR")``,
    ``os.environ["LR"]``."""
    out = {}
    for node in ast.walk(tree):
        name, default = None, None
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = ast.unparse(node.func)
            if func in ("os.environ.get", "environ.get", "os.getenv", "getenv"):
                name = node.args[0].value
                default = literal_value(node.args[1]) if len(node.args) > 1 else None
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("os.environ", "environ") \
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            name = node.slice.value
        if name and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and name not in out:
            out[name] = {"via": "environment variable", "key": name, "param": name.lower(), "upstream_default": default}
    return list(out.values())


def routes(code_dir: str | Path, entry: str) -> list[dict[str, Any]]:
    """Every way a value can be handed to the entry point: its flags, its Hydra keys, keys of YAML configs it
    takes through a config flag."""
    root = Path(code_dir)
    tree = _parse(root / entry)
    if tree is None:
        raise UserError(f"the entry point {entry} of the official code is not valid Python; set `entry:` to the "
                        "training script.")
    options = [{**o, "defined_in": f"{Path(o['file']).relative_to(root) if o.get('file') else entry}:{o['line']}"}
               for o in cli_options(tree, root / entry, root)]
    # options defined where the script calls (grok.training.add_args(), a model's add_model_specific_args)
    for path, function in reached_functions(root / entry, root):
        known = {o["dest"] for o in options} | {o["flag"] for o in options}
        options += [{**o, "defined_in": f"{path.relative_to(root)}:{o['line']}"} for o in argparse_options(function)
                    if o["dest"] not in known and o["flag"] not in known]
    out = [{"via": "flag", "flag": o["flag"], "param": o["dest"], "upstream_default": o["default"],
            "defined_in": o["defined_in"]} for o in options]
    hydra = hydra_config(tree)
    if hydra:
        conf = (root / entry).parent / hydra[0]
        for path in sorted(conf.rglob("*.y*ml")) if conf.is_dir() else []:
            group = path.parent.relative_to(conf)
            primary = path.stem == hydra[1] and group == Path(".")
            for key in _config_keys(path):
                dotted = key if primary else ".".join([*group.parts, key])
                out.append({"via": "hydra override", "key": dotted, "param": dotted.split(".")[-1],
                            "file": str(path.relative_to(root))})
    config = next((o for o in options if CONFIG_FLAG.match(o["dest"])), None)
    if config:
        default = config["default"] if isinstance(config["default"], str) else None
        files = [root / default] if default and (root / default).is_file() else \
            sorted(p for p in root.rglob("*.y*ml") if ".github" not in p.parts)
        files = [p for p in files if p.suffix in (".yaml", ".yml", ".json")]
        for path in files:
            for key in _config_keys(path):
                out.append({"via": "config key", "file": str(path.relative_to(root)), "key": key,
                            "param": key.split(".")[-1], "config_flag": config["flag"]})
    return out + environment_variables(tree)


SETS = ("paper", "user config")  # provenance the launch hands to the official code; the rest is its own default
PER_RUN = ("flag", "hydra override")  # routes a single run's command line carries: a one-model value goes there


def derive_launch(code_dir: str | Path, ledger: dict[str, Any], knobs: list[Knob],
                  readme_scripts: list[tuple[str, str]], entry: str | None = None,
                  own_tree: str | Path | None = None, leave: list[str] | tuple[str, ...] = (),
                  objects: dict[str, Any] | None = None, model_objects: dict[str, dict[str, Any]] | None = None
                  ) -> dict[str, Any]:
    """The launch spec: the entry point, each ledger value the paper states or the user sets with the route
    that carries it (a flag first, then a Hydra override, then a config key; config keys of one file only), the
    values no route reaches, the guessed or code-read values left to the official code's own defaults, and
    those the paper's ``leave_to_code`` (``leave``) keeps from the launch. For a function entry point,
    ``objects`` (the paper's ``entry_args``) and ``model_objects`` (each model's) build the parameters that are
    objects, and the keys of a settings dictionary one of them returns are routes (``--args.learning_rate``)."""
    found = find_entry(code_dir, readme_scripts, entry, own_tree)
    objects, model_objects = dict(objects or {}), {m: dict(o) for m, o in (model_objects or {}).items() if o}
    if (objects or model_objects) and not found.get("launcher"):
        raise UserError("the paper's `entry_args` builds the parameters of a function entry point; set `entry:` to "
                        "path/to/file.py:function (or pkg.module:function), or remove `entry_args`.")
    if found.get("launcher"):
        rel, parameters = function_parameters(Path(code_dir), found["function"])
        per_model = [(p, r) for per in model_objects.values() for p, r in per.items()]
        built = {**dict(per_model), **objects}
        names = [p["name"] for p in parameters]
        for param, recipe in [*objects.items(), *per_model]:
            if param not in names:
                raise UserError(f"the paper's `entry_args` names {param!r}, which {found['function']} does not take "
                                f"(its parameters: {', '.join(names)}).")
            check_recipe(Path(code_dir), param, recipe)
        ways = [{"via": "flag", "flag": f"--{p['name']}", "param": p["name"], "upstream_default": p["default"],
                 "defined_in": f"{rel}:{p['line']}"} for p in parameters if p["name"] not in built]
        ways += [{"via": "flag", "flag": f"--{param}.{k['key']}", "param": k["key"], "upstream_default": k["default"],
                  "defined_in": f"{k['file']}:{k['line']}"} for param, recipe in built.items()
                 for k in settings_keys(Path(code_dir), recipe)]
        found = {**found, "objects": objects, "model_objects": model_objects}
        if objects or model_objects:
            found["how"] = found["how"].replace("(one flag per parameter)", "(its object parameters built as the paper's "
                                                "`entry_args` says, one flag per other parameter and per settings key)")
    else:
        ways = routes(own_tree if found.get("yours") else code_dir, found["script"])
    options = [{"flag": w["flag"], "dest": w["param"], "default": w["upstream_default"]} for w in ways
               if w["via"] == "flag"]  # the entry point's argparse options, as routes() read them
    by_name = {k.name: k for k in knobs}
    sets, needs_change, left, left_by_you = [], [], [], []
    rank = {"flag": 0, "hydra override": 1, "config key": 2, "environment variable": 3}
    config_file = None
    for item in ledger.get("entries", []):
        record = {"name": item["name"], "value": item["value"], "provenance": item.get("tag_text", "")}
        if item["value"] is None:
            continue  # nothing to set or to leave (a framework default that the optimizer does not have)
        if item.get("tag") not in SETS:
            left.append({**record, "tag": item.get("tag", "")})
            continue
        knob = by_name.get(item["name"])
        pattern = knob.code[0] if knob is not None and knob.code else None
        model = item.get("model")  # a value stated for one model reaches that model's runs only
        matching = sorted((w for w in ways if pattern and re.search(pattern, w["param"], re.IGNORECASE)
                           and (w["via"] != "config key" or config_file in (None, w["file"]))
                           and (not model or w["via"] in PER_RUN)),
                          key=lambda w: rank[w["via"]])
        if item["name"] in leave:
            left_by_you.append({**record, **({"flag": matching[0].get("flag") or matching[0].get("key")}
                                            if matching else {})})
        elif matching:
            if matching[0]["via"] == "config key":
                config_file = matching[0]["file"]
            sets.append({**record, **matching[0], **({"model": model} if model else {}),
                         **as_percent(knob, matching[0]["param"], item["value"])})
        else:
            shared = model and pattern and any(re.search(pattern, w["param"], re.IGNORECASE) for w in ways)
            needs_change.append({**record, **({"model": model} if model else {}), "why": (
                f"stated for {model} only, and the code reads it from a file or variable every model shares" if shared
                else "no flag, Hydra key, config key or environment variable of the entry point names it" if pattern
                else "the ledger knows no code name for it")})
    if found.get("launcher"):
        given = {s["param"] for s in sets if "." not in s.get("flag", "")} | set(built)
        missing = [p["name"] for p in parameters if p["required"] and p["name"] not in given]
        if missing:
            raise UserError(
                f"the entry function {found['function']} takes {', '.join(missing)} without a default, and no ledger "
                "value gives "
                + ("it" if len(missing) == 1 else "them") + "; build "
                + ("it" if len(missing) == 1 else "them") + " with the repository's own functions in the paper's "
                "`entry_args` (docs/upstream.md shows this for the MNIST-1D repository), or commit a small script "
                "that calls the function in the code folder and name it in `entry:`.")
    return {"entry": found, "sets": sets, "needs_code_change": needs_change, "left_to_upstream": left,
            "left_by_config": left_by_you, "options": options}


def as_percent(knob: Knob | None, param: str, value: Any) -> dict[str, Any]:
    """A share (a knob ranging over 0-1) that the code takes in percent (``--train_data_pct``): the value times
    100, saying so; else nothing changes."""
    if knob is None or not knob.in_percent(param) or not isinstance(value, (int, float)) or isinstance(value, bool):
        return {}
    return {"value": round(value * 100, 10), "converted": f"{value:g} as a percent"}


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


LAUNCH_CONFIG = "reprokit-config"  # the folder of code/ that holds the launch's copies of config files


def config_copy(spec: dict[str, Any], code_dir: str | Path) -> tuple[str, str] | None:
    """(path inside code/, text) of the launch's copy of the config file its config keys go through: the
    upstream's file with those keys set (comments are not kept; the upstream's file is left as it is)."""
    keyed = [s for s in spec["sets"] if s["via"] == "config key"]
    if not keyed:
        return None
    source = Path(code_dir) / keyed[0]["file"]
    try:
        text = source.read_text(encoding="utf-8")
        data = (json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)) or {}
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise UserError(f"the official code's config {source} cannot be read ({err}); set the paper's `entry:` or "
                        "fix the file with a commit in code/.") from None
    for item in keyed:
        node = data
        *parents, last = item["key"].split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = item["value"]
    text = json.dumps(data, indent=2) + "\n" if source.suffix == ".json" else yaml.safe_dump(data, sort_keys=False)
    return f"{LAUNCH_CONFIG}/{keyed[0]['file']}", text


def launch_environment(spec: dict[str, Any]) -> dict[str, str]:
    """The environment variables the launch sets (values the entry point reads with ``os.environ``)."""
    return {item["key"]: _text(item["value"]) for item in spec["sets"] if item["via"] == "environment variable"}


def command(spec: dict[str, Any], replaced: list[str] = (), model: str | None = None) -> list[str]:
    """The entry point and its arguments for the launch's values: flags, Hydra overrides and the config flag
    pointing at the launch's copy of the config; a flag in ``replaced`` (a shrunk smoke run's) is left out; a
    value stated for one model only in that model's command (``model``; none: the values every model shares)."""
    module = spec["entry"].get("module")
    args = ["-m", module] if module else [spec["entry"]["script"]]
    objects = {**spec["entry"].get("objects", {}), **spec["entry"].get("model_objects", {}).get(model, {})}
    if objects:  # the function's object parameters, built by the launcher from the paper's entry_args
        args += ["--reprokit-objects", json.dumps(objects, sort_keys=True)]
    config_flag = None
    for item in spec["sets"]:
        if item.get("model") and item["model"] != model:
            continue
        if item["via"] == "flag" and item["flag"] not in replaced:
            args += [item["flag"], _text(item["value"])]
        elif item["via"] == "hydra override":
            args.append(f"{item['key']}={_text(item['value'])}")
        elif item["via"] == "config key":
            config_flag = (item["config_flag"], f"{LAUNCH_CONFIG}/{item['file']}")
    if config_flag:
        args += list(config_flag)
    return args
