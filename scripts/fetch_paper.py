"""Rule fetch_paper: copy or download the paper's LaTeXML HTML into the workspace."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.paper.fetch import fetch_paper

report_user_errors(fetch_paper, snakemake.params.source, snakemake.output.source)
