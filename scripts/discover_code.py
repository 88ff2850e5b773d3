"""Rule discover_code: code_candidates.json, ranked, each with its evidence."""
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)
sys.path.insert(0, str(Path(snakemake.scriptdir).parent))  # the workflow root holds reprokit/
from reprokit.code.discover import write_candidates
from reprokit.lastgood import run_job

p = snakemake.params
# a failed re-search with the same paper and settings (offline) keeps the last good candidates
run_job(snakemake, write_candidates, snakemake.input.paper, p.code, bool(p.search), snakemake.output.json,
        refresh="searching for the code again", settings={"code": p.code, "search": bool(p.search)})
