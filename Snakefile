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
    _validated = validate_config(config, _schema, sys.argv)
except UserError as err:
    sys.exit(f"error: {err}")
config.update(_validated)
# What needs the working folder or the paper's task, for the paper being run (jobs skip it: it was checked
# before they ran; another paper's values are checked when its jobs run).
if workflow.is_main_process:
    from reprokit.config import check_files
    from reprokit.replicate.plan import check_result_labels
    from reprokit.task.settings import check_task_settings

    try:
        check_files(config["paper_id"], config["papers"][config["paper_id"]])
        check_task_settings(
            config, [config["paper_id"]], ".snakemake/reprokit/task-checks"
        )
        check_result_labels(
            config["paper_id"],
            config["papers"][config["paper_id"]],
            f"repro/{config['paper_id']}",
        )
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
