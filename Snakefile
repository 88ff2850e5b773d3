# Reproduce a paper: `snakemake results.md` builds repro/<paper>/ stage by stage (see README.md).
import sys

from snakemake.utils import min_version

min_version("9.0")

# the Snakefile imports from its own folder (Snakemake allows it); the rules' scripts import reprokit as installed
from reprokit.config import check_yaml, workflow_config
from reprokit.errors import UserError
from reprokit.installed import check_installed

# the jobs' reprokit is this workflow's: installed in this Python, or by envs/*.post-deploy.sh in conda jobs
CONDA_JOBS = "CONDA" in {m.name for m in workflow.deployment_settings.deployment_method}

try:
    if workflow.is_main_process and not CONDA_JOBS:
        check_installed(workflow.basedir)
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
