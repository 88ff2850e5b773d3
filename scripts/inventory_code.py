"""Rule inventory_code: inventory.md/json and code_hparams.json by static analysis."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.code.inventory import inventory
from reprokit.errors import report_user_errors
from reprokit.gaps.architecture import architecture_check

facts = snakemake.input.facts[0] if snakemake.input.facts else None
report_user_errors(inventory, snakemake.input.tree, snakemake.input.meta, snakemake.input.paper, facts,
                   snakemake.output.md, snakemake.output.json, snakemake.output.hparams, architecture_check)
