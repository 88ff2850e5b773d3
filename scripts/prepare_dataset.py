"""Rule prepare_dataset: data/, dataset.md/json and dataset_substitution.md."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.dataset.prepare import prepare_dataset
from reprokit.errors import report_user_errors
from reprokit.lastgood import job_key, or_last_good

o, p = snakemake.output, snakemake.params
# a failed re-download with the same inputs and settings (Hugging Face unreachable) puts the last good data back
report_user_errors(or_last_good, "preparing the dataset again", [o.data, o.md, o.json, o.substitution],
                   lambda: prepare_dataset(snakemake.input.paper, dict(p.dataset), o.data, o.md, o.json,
                                           o.substitution, task=p.task),
                   key=job_key(snakemake.input, {"dataset": dict(p.dataset), "task": p.task}))
