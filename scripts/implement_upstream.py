"""Rule implement_upstream: code/ as the official tree, extended by reprokit-launch.yaml (one commit per value)."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.implement import implement_upstream

p = snakemake.params
report_user_errors(implement_upstream, snakemake.input.gaps, snakemake.input.meta, snakemake.input.tree, p.task,
                   p.entry, p.tree, snakemake.output.json, metrics_given=bool(p.metrics_given),
                   paper_id=snakemake.wildcards.paper, inventory_json=snakemake.input.inventory,
                   leave=list(p.leave or []), objects=dict(p.entry_args or {}),
                   model_objects={m["name"]: dict(m.get("entry_args") or {}) for m in p.models or []})
