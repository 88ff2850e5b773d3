"""Rule discover_code: code_candidates.json, ranked, each with its evidence."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.discover import write_candidates
from reprokit.errors import report_user_errors

report_user_errors(write_candidates, snakemake.input.paper, snakemake.params.code, bool(snakemake.params.search),
                   snakemake.output.json)
