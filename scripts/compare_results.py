"""Rule compare_results: results.md/json, one label per metric (the last good pair kept in .last-good/, so a
failed rerun names where the previous results are)."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.lastgood import run_job
from reprokit.replicate.compare import compare

p = snakemake.params
run_job(snakemake, compare, snakemake.input.plan, snakemake.input.gaps, list(snakemake.input.metrics), p.tolerance,
        p.disagreement, snakemake.output.md, snakemake.output.json, refresh="comparing the runs with the paper",
        settings={"tolerance": p.tolerance, "disagreement": p.disagreement, "final_window": p.final_window},
        dataset_json=getattr(snakemake.input, "dataset", None), curves_dir=snakemake.input.curves,
        final_window=int(p.final_window))
