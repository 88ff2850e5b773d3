"""Rule prepare_dataset: data/, dataset.md/json and dataset_substitution.md."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.dataset.prepare import prepare_dataset
from reprokit.lastgood import run_job

o, p = snakemake.output, snakemake.params
# a failed re-download with the same inputs and settings (Hugging Face unreachable) keeps the last good data
run_job(snakemake, prepare_dataset, snakemake.input.paper, dict(p.dataset), o.data, o.md, o.json, o.substitution,
        task=p.task, refresh="preparing the dataset again", settings={"dataset": dict(p.dataset), "task": p.task})
