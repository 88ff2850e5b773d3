"""Rule fill_gaps: the hyperparameter ledger, gaps_filled.md and gaps.json."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.gaps.ledger import fill_gaps
from reprokit.task.contract import load_task

p = snakemake.params


def run():
    task = load_task(p.task) if p.task else None
    return fill_gaps(snakemake.input.paper, snakemake.input.hparams, dict(p.overrides), float(p.max_guess_share),
                     bool(p.enforce_guess_share), snakemake.output.md, snakemake.output.json, strict=bool(p.strict),
                     experiment=p.experiment,
                     task=p.task, task_knobs=task.knobs if task else (), task_loss=task.loss_name if task else None)


report_user_errors(run)
