"""Rule prepare_dataset: data/, dataset.md/json and dataset_substitution.md."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.dataset.prepare import prepare_dataset
from reprokit.errors import report_user_errors

o = snakemake.output
report_user_errors(prepare_dataset, snakemake.input.paper, dict(snakemake.params.dataset), o.data, o.md, o.json,
                   o.substitution, task=snakemake.params.task)
