"""Rule fetch_paper: copy or download the paper's LaTeXML HTML into the workspace."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.lastgood import job_key, or_last_good
from reprokit.paper.fetch import fetch_paper

# a failed re-fetch of the same source (offline, source gone) puts the last good copy back instead of losing it
report_user_errors(or_last_good, "re-fetching the paper", [snakemake.output.source],
                   lambda: fetch_paper(snakemake.params.source, snakemake.output.source),
                   key=job_key(snakemake.input, {"source": snakemake.params.source}))
