"""Rule discover_code: code_candidates.json, ranked, each with its evidence."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.code.discover import write_candidates, write_candidates_without_search
from reprokit.lastgood import run_job

p = snakemake.params
# a failed re-search with the same paper and settings (offline) keeps the last good candidates; without them, the
# paper's own link still decides


def without_search(err):
    result = write_candidates_without_search(snakemake.input.paper, p.code, snakemake.output.json, err)
    print(f"warning: {result['notes'][-1]}; the paper's own link decides.", file=sys.__stderr__, flush=True)
    return result


run_job(snakemake, write_candidates, snakemake.input.paper, p.code, bool(p.search), snakemake.output.json,
        refresh="searching for the code again", settings={"code": p.code, "search": bool(p.search)},
        fallback=without_search)
