# Reproduce a paper: `snakemake results.md` builds repro/<paper>/ stage by stage (see README.md).
import sys

from snakemake.utils import min_version

min_version("9.0")

sys.path.insert(0, workflow.basedir)
from reprokit.config import (
    as_written,
    check_yaml,
    load_schema,
    validate as validate_config,
)
from reprokit.errors import UserError

try:
    check_yaml("config/config.yaml")  # a syntax error is named with its line and column
except UserError as err:
    sys.exit(f"error: {err}")


configfile: "config/config.yaml"


_schema = load_schema(f"{workflow.basedir}/config/schema.yaml")
# `--config paper=2106.09685` stays a string
config.update(as_written(config, sys.argv, _schema))
try:
    _validated = validate_config(config, _schema)
except UserError as err:
    sys.exit(f"error: {err}")
config.update(_validated)
# what only the paper's task can judge (jobs skip it: it was checked before they ran)
if workflow.is_main_process:
    from reprokit.task.settings import check_task_settings

    try:
        check_task_settings(config)
    except UserError as err:
        sys.exit(f"error: {err}")


include: "rules/common.smk"
include: "rules/paper.smk"
include: "rules/code.smk"
include: "rules/gaps.smk"
include: "rules/implement.smk"
include: "rules/dataset.smk"
include: "rules/smoke.smk"
include: "rules/replicate.smk"


rule all:
    default_target: True
    input:
        "results.md",
