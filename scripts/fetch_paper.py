"""Rule fetch_paper: copy or download the paper's LaTeXML HTML into the workspace."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.lastgood import run_job
from reprokit.paper.fetch import fetch_paper

# a failed re-fetch of the same source (offline, source gone) keeps the last good copy instead of losing it
run_job(snakemake, fetch_paper, snakemake.params.source, snakemake.output.source, refresh="re-fetching the paper",
        settings={"source": snakemake.params.source})
