"""The workflow's config: validated against config/schema.yaml, defaults filled, clear errors."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from reprokit.errors import UserError
from reprokit.paper.paperid import parse_reference


def load_schema(path: str | Path) -> dict[str, Any]:
    """The schema, with the file it came from under ``$source`` (a keyword JSON Schema ignores)."""
    return {**yaml.safe_load(Path(path).read_text(encoding="utf-8")), "$source": str(Path(path).resolve())}


def fill_defaults(config: dict[str, Any], schema: dict[str, Any]) -> None:
    """Every default of config/schema.yaml filled in place (the papers' entries too), by Snakemake's own
    ``snakemake.utils.validate`` (which also validates; :func:`validate` has already named any error)."""
    from snakemake.utils import validate as snakemake_validate

    snakemake_validate(config, schema["$source"], set_default=True)


def check_yaml(path: str | Path) -> None:
    """Raise UserError with the line and column of a YAML syntax error in ``path`` (absent files pass)."""
    path = Path(path)
    if not path.is_file():
        return
    try:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise UserError(f"{path}{where} is not valid YAML ({problem}); fix the YAML there (indent with spaces, close "
                        "brackets and quotes).") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text; save it as UTF-8.") from None


def as_written(config: dict[str, Any], argv: list[str], schema: dict[str, Any]) -> dict[str, Any]:
    """Top-level string settings given as numbers on the command line, back in the form they were written.

    Snakemake reads ``--config paper=2106.09685`` as the float 2106.09685 (and ``2106.09680`` would lose its
    last digit); the schema says ``paper`` is a string, so the text after ``paper=`` in the arguments is used.
    """
    fixed = {}
    for key, spec in schema.get("properties", {}).items():
        value = config.get(key)
        if spec.get("type") == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
            fixed[key] = command_line(argv)[0].get(key, str(value))
    return fixed


INTEGER = re.compile(r"[-+]?\d+")
FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
BOOLEAN = {"true": True, "false": False}  # as JSON writes them ("yes" in a file stays a mistake to name)


def _resolve(spec: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(spec, dict) and "$ref" in spec:
        node: Any = root
        for part in spec["$ref"].lstrip("#/").split("/"):
            node = node[part]
        spec = node
    return spec if isinstance(spec, dict) else {}


def coerce(value: Any, spec: dict[str, Any], root: dict[str, Any]) -> Any:
    """``value`` with every text scalar the schema does not allow as text turned into the number, boolean or
    null it spells: Snakemake reads nested ``--config`` values as text (``seeds: ['0']``)."""
    spec = _resolve(spec, root)
    if isinstance(value, dict):
        properties = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        return {k: coerce(v, properties.get(k, extra if isinstance(extra, dict) else {}), root)
                for k, v in value.items()}
    if isinstance(value, list):
        items = spec.get("items")
        return [coerce(v, items, root) for v in value] if isinstance(items, dict) else value
    if not isinstance(value, str):
        return value
    types = spec.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    if not types or "string" in types:
        return value
    text = value.strip()
    if "integer" in types and INTEGER.fullmatch(text):
        return int(text)
    if "number" in types and FLOAT.fullmatch(text):
        number = float(text)
        return int(number) if INTEGER.fullmatch(text) else number
    if "boolean" in types and text.lower() in BOOLEAN:
        return BOOLEAN[text.lower()]
    if "null" in types and text.lower() in ("", "null", "none", "~"):
        return None
    return value


def _scalar(value: Any) -> Any:
    """An override given as text ("0.01" from a nested --config) read as YAML reads a scalar; other text stays."""
    if not isinstance(value, str):
        return value
    try:
        read = yaml.safe_load(value)
    except yaml.YAMLError:
        return value
    return read if isinstance(read, (int, float, bool)) else value


def command_line(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """The ``--config KEY=VALUE`` entries (key -> the text written) and the ``--configfile`` paths, in order."""
    entries: dict[str, str] = {}
    files: list[str] = []
    mode = None
    for arg in argv:
        if arg.startswith("-"):
            flag, _, inline = arg.partition("=")
            mode = {"--config": "config", "-C": "config", "--configfile": "file", "--configfiles": "file"}.get(flag)
            if mode and inline:
                (files.append(inline) if mode == "file" else entries.update([inline.split("=", 1)]))
            continue
        if mode == "config" and "=" in arg:
            key, text = arg.split("=", 1)
            entries[key] = text
        elif mode == "file":
            files.append(arg)
    return entries, files


def source_of(path: list[str], argv: list[str], default: str = "config/config.yaml") -> str:
    """Where the config value at ``path`` came from, as a fix: "on the command line (--config papers=...)" or
    "in <file>" (the last --configfile that sets it, else the default file)."""
    entries, files = command_line(argv)
    if path and path[0] in entries:
        return f"on the command line (--config {path[0]}=...)"
    for name in reversed(files):
        try:
            node: Any = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            return f"in {name}"
    return f"in {default}"


def _from_source(err: UserError, argv: list[str]) -> UserError:
    """The error with "fix it in config/config.yaml" pointing where the key's value was given."""
    text = str(err)
    key = re.match(r"config key ([^:\s]+)", text)
    if not key or "config/config.yaml" not in text:
        return err
    source = source_of(key.group(1).split("/"), argv)
    if source == "in config/config.yaml":
        return err
    text = re.sub(r"(?:fix it |fix the value |lower it |fix `[^`]*` )?in config/config\.yaml",
                  lambda m: ("fix it " if m.group(0).startswith(("fix", "lower")) else "") + source, text)
    return UserError(text)


def route_settings_problem(paper: dict[str, Any]) -> str | None:
    """What is missing or contradictory in a paper's stage-4 route settings ("<key>: <problem>"), or None."""
    from reprokit.upstream.metrics import pattern_problem, source_problem
    from reprokit.upstream.trust import route_of

    route = route_of(paper)
    if route == "both" and not paper.get("task"):
        return "implementation: `both` trains the official code and the task's reimplementation, but no `task` is set"
    if str(paper.get("implementation", "auto")) == "harness" and not paper.get("task"):  # asked for, not auto's
        return ("implementation: `harness` trains the task's reimplementation, but no `task` is set; set `task` "
                "(docs/task.md) or use `upstream`")
    if route in ("upstream", "both") and str(paper.get("code", "auto")) == "none":
        return f"implementation: `{route}` runs the official code, but `code` is none; set `code` or use `harness`"
    # a missing metrics_from: stage_4_problem, when the targets reach stage 4 (the onstart hook; stages 1-3 do not
    # need it)
    problem = source_problem(paper["metrics_from"]) if paper.get("metrics_from") else None
    if not problem and paper.get("smoke_loss_pattern"):
        problem = pattern_problem(paper["smoke_loss_pattern"], "smoke_loss_pattern")
    return problem


# what stages 1-3 write in a workspace, and their rules: targets that need no stage 4
STAGE_1_3_FILES = ("source", "paper.md", "paper.json", "code_candidates.json", "upstream", "upstream.json",
                   "inventory.md", "inventory.json", "code_hparams.json", "gaps_filled.md", "gaps.json")
STAGE_1_3_RULES = ("fetch_paper", "extract_paper", "discover_code", "clone_code", "inventory_code", "fill_gaps")


def needs_stage_4(targets: list[str] | tuple[str, ...] | frozenset[str], paper_id: str) -> bool:
    """Whether the requested targets reach stage 4 (none given: the default target, results.md)."""
    if not targets:
        return True
    for target in targets:
        rel = str(target).removeprefix("./")
        if rel in STAGE_1_3_RULES:
            continue
        head = f"repro/{paper_id}/"
        if not rel.startswith(head):
            if rel.startswith("repro/"):
                continue  # another paper's workspace: its own settings are checked when it is the paper
            return True
        if rel[len(head):].split("/")[0] not in STAGE_1_3_FILES:
            return True
    return False


def stage_4_problem(paper_id: str, paper: dict[str, Any]) -> str | None:
    """What stage 4 would refuse for want of settings, said before stages 1-3 run: the upstream route without
    `metrics_from` (where the official code writes its metric)."""
    from reprokit.upstream.trust import missing_metrics_problem, route_of

    if route_of(paper) not in ("upstream", "both") or paper.get("metrics_from"):
        return None
    return missing_metrics_problem(paper_id, bool(paper.get("task")))


def check_values(config: dict[str, Any]) -> None:
    """What the schema cannot say: each ledger override within what the harness accepts, and settings that
    depend on each other. Raises UserError naming the key, the value and the accepted range."""
    from reprokit.harness.config import value_problem

    for paper_id, paper in config["papers"].items():
        for name, value in (paper.get("overrides") or {}).items():
            problem = value_problem(str(name), value)
            if problem:
                raise UserError(f"config key papers/{paper_id}/overrides/{name}: {problem}; fix it in "
                                "config/config.yaml.")
        source = str((paper.get("dataset") or {}).get("source", "task"))
        if source != "task" and not (source.startswith("hf:") and len(source) > 3):
            raise UserError(f"config key papers/{paper_id}/dataset/source: {source!r} is not supported; use `task` (the "
                            "task's make_data) or `hf:<repo_id>` (a Hugging Face dataset); fix it in config/config.yaml.")
        route_problem = route_settings_problem(paper)
        if route_problem:
            raise UserError(f"config key papers/{paper_id}/{route_problem}; fix it in config/config.yaml.")
        tolerance, disagreement = paper.get("tolerance"), paper.get("disagreement")
        if tolerance is not None and disagreement is not None and disagreement <= tolerance:
            raise UserError(f"config key papers/{paper_id}/disagreement: {disagreement} is not above the tolerance "
                            f"({tolerance}); a fundamental disagreement must be a larger |delta| than a match; fix "
                            "it in config/config.yaml.")
    smoke = config.get("smoke", {})
    if smoke.get("window", 0) > smoke.get("iterations", 0):
        raise UserError(f"config key smoke/window: {smoke['window']} is larger than smoke/iterations "
                        f"({smoke['iterations']}); the rolling window must fit in the iterations; lower it in "
                        "config/config.yaml.")


def validate(config: dict[str, Any], schema: dict[str, Any], argv: list[str] | None = None) -> dict[str, Any]:
    """Validate; fill every default (papers' too); raise UserError naming the bad key, where its value was
    given (``argv``: the command line, for --config and --configfile) and the fix."""
    config = coerce(config, schema, schema)
    for paper in (config.get("papers") or {}).values() if isinstance(config.get("papers"), dict) else []:
        if isinstance(paper, dict) and isinstance(paper.get("overrides"), dict):  # free-form: YAML's own reading
            paper["overrides"] = {k: _scalar(v) for k, v in paper["overrides"].items()}
    try:
        return _validate(config, schema)
    except UserError as err:
        raise _from_source(err, argv or []) from None


def _validate(config: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        if where == "(top level)" and error.validator == "required" and "'paper'" in error.message:
            raise UserError("config key paper: missing, and `papers` holds more than one paper; add `paper: <id>` (the "
                            "key under `papers` to reproduce) to your --configfile or config/config.yaml, or pass "
                            "--config paper=<id>.")
        if where.endswith("/experiment") and isinstance(error.instance, (int, float)):  # YAML's 5.10 is 5.1
            raise UserError(f"config key {where}: {error.instance} is a number; quote the section number "
                            f"(experiment: '{error.instance}'); fix it in config/config.yaml.")
        raise UserError(f"config key {where}: {error.message}; fix it in config/config.yaml (see config/schema.yaml).")
    config = copy.deepcopy(config)
    paper_id = config["paper"]
    if paper_id not in config["papers"]:
        try:
            ref = parse_reference(config["paper"])
        except UserError as err:
            if str(err).startswith("paper file"):  # a local file path that does not exist: say that
                raise UserError(f"config key paper: {err}") from None
            raise UserError(f"config key paper: {config['paper']!r} is neither one of the configured papers "
                            f"({', '.join(config['papers'])}) nor a paper reference (an arXiv id, an arXiv or "
                            "OpenReview URL, or a local .html/.md/.pdf file); fix `paper`.") from None
        paper_id = ref.workspace_id
        configured = config["papers"].get(ref.workspace_id)
        if configured is not None and str(configured.get("source")) != str(config["paper"]):
            raise UserError(f"config key paper: {config['paper']!r} would use the workspace repro/{ref.workspace_id}/, "
                            f"which belongs to the configured paper {ref.workspace_id!r} (source "
                            f"{configured.get('source')!r}); rename the file, or set paper: {ref.workspace_id}.")
        config["papers"].setdefault(ref.workspace_id, {"source": config["paper"], "models": []})
    fill_defaults(config, schema)
    check_values(config)
    return {**config, "paper_id": paper_id}


def workflow_config(config: dict[str, Any], basedir: str | Path, config_args: list[str] | tuple[str, ...] = (),
                    configfiles: list[Any] | tuple[Any, ...] = (), main_process: bool = True) -> dict[str, Any]:
    """What the Snakefile does with its config before any rule: the config validated against config/schema.yaml
    with every default filled (``--config`` values back in the form they were written, errors naming where a
    value was given: ``config_args`` and ``configfiles`` as Snakemake received them), then, in the main process
    only (jobs were checked before they ran), what needs the working folder or the paper's task: the files its
    settings name, its task's models, overrides and data args, and its results-table labels. Raises UserError."""
    from reprokit.replicate.plan import check_result_labels
    from reprokit.task.settings import check_task_settings

    schema = load_schema(Path(basedir) / "config" / "schema.yaml")
    argv = ["--config", *map(str, config_args or [])] + ["--configfile", *map(str, configfiles or [])]
    config = with_paper(config)
    validated = validate({**config, **as_written(config, argv, schema)}, schema, argv)
    if main_process:
        paper_id = validated["paper_id"]
        check_files(paper_id, validated["papers"][paper_id])
        check_task_settings(validated, [paper_id], ".snakemake/reprokit/task-checks",
                            {paper_id: official_metric_name(validated["papers"][paper_id])})
        check_result_labels(paper_id, validated["papers"][paper_id], f"repro/{paper_id}")
    return validated


def with_paper(config: dict[str, Any]) -> dict[str, Any]:
    """A config without `paper` whose `papers` holds one entry reproduces that one: the README's own paper file,
    run with `snakemake -s <workflow>/Snakefile --configfile mypaper.yaml` from another folder (where the
    workflow's config/config.yaml, and its `paper`, is not read), needs no `paper:` line."""
    papers = config.get("papers")
    if "paper" not in config and isinstance(papers, dict) and len(papers) == 1:
        return {**config, "paper": next(iter(papers))}
    return config


def official_metric_name(paper: dict[str, Any]) -> str | None:
    """Under `both`, the name the official code's metric is recorded under (``metrics_from.name``, else the field
    it is read from); None for the other routes."""
    from reprokit.upstream.metrics import default_name
    from reprokit.upstream.trust import route_of

    source = paper.get("metrics_from")
    if route_of(paper) != "both" or not isinstance(source, dict):
        return None
    return str(source.get("name") or default_name(source))


def check_files(paper_id: str, paper: dict[str, Any]) -> None:
    """The local files a paper's settings name exist (relative to the working folder), before any job."""
    named = [("code_facts", paper.get("code_facts"))]
    task = paper.get("task")
    if isinstance(task, str) and (task.endswith(".py") or "/" in task):
        named.append(("task", task))
    for key, value in named:
        if value and not Path(value).is_file():
            raise UserError(f"config key papers/{paper_id}/{key}: file {value} does not exist (paths are relative to "
                            f"{Path.cwd()}); fix the path in config/config.yaml or remove the key.")
    try:
        parse_reference(str(paper.get("source", "")))
    except UserError as err:
        raise UserError(f"config key papers/{paper_id}/source: {err}") from None
    from reprokit.code.inventory import load_facts
    from reprokit.code.source import code_setting_problem

    if paper.get("code_facts"):
        load_facts(paper["code_facts"])  # its sentence names the file and the fix

    problem = code_setting_problem(str(paper.get("code", "")), Path("repro") / paper_id)
    if problem:
        raise UserError(f"config key papers/{paper_id}/code: {problem}; fix it in config/config.yaml.")


_PAPER_DEFAULTS: dict[str, dict[str, Any]] = {}  # schema file -> a paper entry with every default filled


def unconfigured_paper(source: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Settings for a paper named only by its reference: defaults everywhere, no models to train yet. The input
    functions ask for them on every job, so the defaults are filled once per schema and copied."""
    if schema["$source"] not in _PAPER_DEFAULTS:
        config = {"paper": "p", "papers": {"p": {"source": "p", "models": []}}}
        fill_defaults(config, schema)
        _PAPER_DEFAULTS[schema["$source"]] = config["papers"]["p"]
    return {**copy.deepcopy(_PAPER_DEFAULTS[schema["$source"]]), "source": source}


def paper_settings(config: dict[str, Any], paper_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A workspace's settings: its `papers:` entry, or, for an arXiv id used as the workspace id
    (`snakemake repro/2106.09685/paper.md`), the defaults with that id as the source."""
    if paper_id in config["papers"]:
        return config["papers"][paper_id]
    old_style = re.fullmatch(r"([a-z][a-z-]*(?:\.[A-Z]{2})?)_(\d{7}(?:v\d+)?)", paper_id)
    candidate = f"{old_style.group(1)}/{old_style.group(2)}" if old_style else paper_id
    try:
        ref = parse_reference(candidate)
    except UserError:
        ref = None
    if ref is None or ref.kind != "arxiv":
        raise UserError(f"paper {paper_id!r} is not configured and is not an arXiv id; add it under `papers:` in "
                        f"config/config.yaml (configured: {', '.join(config['papers'])}).")
    return unconfigured_paper(candidate, schema)
