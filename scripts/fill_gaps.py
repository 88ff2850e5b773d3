"""Rule fill_gaps: the hyperparameter ledger, gaps_filled.md and gaps.json."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.gaps.ledger import fill_gaps

p = snakemake.params
report_user_errors(fill_gaps, snakemake.input.paper, snakemake.input.hparams, dict(p.overrides),
                   float(p.max_guess_share), bool(p.enforce_guess_share), snakemake.output.md, snakemake.output.json,
                   strict=bool(p.strict), task=p.task)
