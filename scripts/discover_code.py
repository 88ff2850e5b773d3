"""Rule discover_code: code_candidates.json, ranked, each with its evidence."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.discover import write_candidates
from reprokit.errors import report_user_errors
from reprokit.lastgood import job_key, or_last_good

p = snakemake.params
# a failed re-search with the same paper and settings (offline) puts the last good candidates back
report_user_errors(or_last_good, "searching for the code again", [snakemake.output.json],
                   lambda: write_candidates(snakemake.input.paper, p.code, bool(p.search), snakemake.output.json),
                   key=job_key(snakemake.input, {"code": p.code, "search": bool(p.search)}))
