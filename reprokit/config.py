"""The workflow's config: validated against config/schema.yaml, defaults filled, clear errors."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from reprokit.errors import UserError


def load_schema(path: str | Path) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _fill(instance: dict[str, Any], schema: dict[str, Any]) -> None:
    for key, spec in schema.get("properties", {}).items():
        if key not in instance and "default" in spec:
            instance[key] = copy.deepcopy(spec["default"])
        if isinstance(instance.get(key), dict) and spec.get("properties"):
            _fill(instance[key], spec)
        if isinstance(instance.get(key), list) and isinstance(spec.get("items"), dict):
            for item in instance[key]:
                if isinstance(item, dict):
                    _fill(item, spec["items"])


def validate(config: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Validate; fill every default (papers' too); raise UserError naming the bad key and the fix."""
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(config))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise UserError(f"config key {where}: {error.message}; fix it in config/config.yaml (see config/schema.yaml).")
    config = copy.deepcopy(config)
    _fill(config, schema)
    for paper in config["papers"].values():
        _fill(paper, schema["$defs"]["paper"])
    if config["paper"] not in config["papers"]:
        raise UserError(f"config key paper: {config['paper']!r} is not one of the configured papers "
                        f"({', '.join(config['papers'])}); fix `paper` or add it under `papers`.")
    return config
