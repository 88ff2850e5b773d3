"""Rule upstream_env: the official code's environment (uv, else venv + pip), reused while its requirements hold."""
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)
from reprokit.errors import report_user_errors
from reprokit.upstream.env import ensure_env
from reprokit.upstream.run import load


def main():
    p = snakemake.params
    load(snakemake.input.launch, None, bool(p.trusted), snakemake.wildcards.paper)  # the trust comes first
    print(f"official code environment in {p.env}", file=sys.stderr)
    record = ensure_env(p.tree, p.env, f"{p.tree}/requirements.lock", snakemake.output.json, inherit=bool(p.inherit),
                        python=p.python or sys.executable, pins=list(p.requirements or []))
    print(f"{'reused' if record['reused'] else 'made with ' + record['tool']}: {record['count']} requirement(s) from "
          f"{record['requirements'] or 'none'}; {len(record.get('packages', {}))} package(s), "
          f"{record.get('size_mb', '?')} MB", file=sys.stderr)
    for name, held in record.get("own_copies", {}).items():  # a second torch is said, never silent
        print(f"warning: the official code's environment has its own {name} ({held}): its requirements pin it or "
              "a dependency pulled it", file=sys.stderr)


report_user_errors(main)
