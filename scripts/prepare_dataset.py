"""Rule prepare_dataset: data/, dataset.md/json and dataset_substitution.md."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821
from reprokit.dataset import prepare_dataset
from reprokit.errors import report_user_errors

o = snakemake.output
report_user_errors(prepare_dataset, snakemake.input.paper, dict(snakemake.params.dataset), o.data, o.md, o.json,
                   o.substitution)
