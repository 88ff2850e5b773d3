# Reproduce a paper: `snakemake results.md` builds repro/<paper>/ stage by stage (see README.md).
import sys

from snakemake.utils import min_version

min_version("9.0")

sys.path.insert(0, workflow.basedir)
from reprokit.config import check_yaml, workflow_config
from reprokit.errors import UserError

try:
    check_yaml("config/config.yaml")  # a syntax error is named with its line and column
except UserError as err:
    sys.exit(f"error: {err}")


configfile: "config/config.yaml"


# validated, defaults filled, and (main process) the paper's files, task and result labels checked: one sentence
try:
    config.update(
        workflow_config(
            config,
            workflow.basedir,
            workflow.config_settings.config_args or [],
            workflow.config_settings.configfiles or [],
            workflow.is_main_process,
        )
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
