# Reproduce a paper: `snakemake results.md` builds repro/<paper>/ stage by stage (see README.md).
import sys

from snakemake.utils import min_version

min_version("9.0")

sys.path.insert(0, workflow.basedir)
from reprokit.config import load_schema, validate as validate_config
from reprokit.errors import UserError


configfile: "config/config.yaml"


try:
    _validated = validate_config(
        config, load_schema(f"{workflow.basedir}/config/schema.yaml")
    )
except UserError as err:
    sys.exit(f"error: {err}")
config.update(_validated)


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
