"""Rule fill_gaps: the hyperparameter ledger, gaps_filled.md and gaps.json."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821
from reprokit.errors import report_user_errors
from reprokit.ledger import fill_gaps

p = snakemake.params
report_user_errors(fill_gaps, snakemake.input.paper, snakemake.input.hparams, dict(p.overrides), list(p.seeds),
                   float(p.max_guess_share), bool(p.enforce_guess_share), snakemake.output.md, snakemake.output.json)
