"""Rule extract_paper: paper.md and paper.json from the saved HTML."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.errors import report_user_errors
from reprokit.paper import extract

report_user_errors(extract, snakemake.input.source, snakemake.output.md, snakemake.output.json)
