# Input functions, wildcard constraints and path helpers shared by the stage rules. No rules here.
import json
import sys
from pathlib import Path

from reprokit.cluster.profile import account_problem
from reprokit.config import load_schema, paper_settings
from reprokit.errors import UserError
from reprokit.paper.paperid import parse_reference

SCHEMA = load_schema(f"{workflow.basedir}/config/schema.yaml")


wildcard_constraints:
    paper=r"[A-Za-z0-9][A-Za-z0-9._-]*",
    run=r"[a-z0-9_]+-seed[0-9]+",
    tier=r"tier[123]_[a-z_]+",


def paper_config(wildcards):
    """The settings of the paper a job is for (defaults filled; an arXiv id works unconfigured)."""
    return paper_settings(config, wildcards.paper, SCHEMA)


def paper_setting(key):
    """An input function giving one setting of the job's paper (configured, or defaults for an arXiv id)."""

    def setting(wildcards):
        return paper_config(wildcards)[key]

    setting.__name__ = f"paper_setting_{key}"
    return setting


def paper_source(wildcards):
    return paper_config(wildcards)["source"]


def source_input(wildcards):
    """A local paper file is an input (editing it reruns stage 1); a URL or an id is not."""
    ref = parse_reference(paper_source(wildcards))
    return [ref.value] if ref.kind.startswith("file_") else []


def task_input(wildcards):
    """A task given as a file is an input (editing it reruns the ledger, code/ and the data); a module is not."""
    task = paper_config(wildcards).get("task")
    return [task] if task and (task.endswith(".py") or "/" in task) else []


def code_facts_input(wildcards):
    facts = paper_config(wildcards).get("code_facts")
    return [facts] if facts else []


def model_names(wildcards):
    return [m["name"] for m in paper_config(wildcards)["models"]]


def run_names(wildcards):
    cfg = paper_config(wildcards)
    return [f"{m['name']}-seed{s}" for m in cfg["models"] for s in cfg["seeds"]]


def run_metrics(wildcards):
    return expand(
        "repro/{paper}/runs/{run}/metrics.json",
        paper=wildcards.paper,
        run=run_names(wildcards),
    )


def run_model(wildcards):
    return wildcards.run.rsplit("-seed", 1)[0]


def run_seed(wildcards):
    return int(wildcards.run.rsplit("-seed", 1)[1])


def run_dir(wildcards):
    return f"repro/{wildcards.paper}/runs/{wildcards.run}"


def attempts_log(wildcards):
    """Every attempt's output of a training run, appended (undeclared: Snakemake never empties it)."""
    return f"logs/{wildcards.paper}/train_run/{wildcards.run}.attempts.log"


def code_dir(wildcards):
    return f"repro/{wildcards.paper}/code"


def code_config(wildcards):
    return f"repro/{wildcards.paper}/code/configs/repro-default.yaml"


def train_runtime(wildcards, input, attempt):
    """SLURM minutes for a training job: the smoke ladder's estimate (with its margin) x the attempt."""
    try:  # unreadable: the default (plan_runs, which reads it too, names the file and the fix)
        estimates = json.loads(Path(input.status).read_text())["estimates"]
        minutes = estimates[run_model(wildcards)]["runtime_minutes"]
    except (OSError, ValueError, TypeError, KeyError):
        minutes = max(60, config["smoke"]["runtime_floor_minutes"])
    return int(minutes) * attempt


def scaled_mem_mb(wildcards, attempt):
    """Host memory for a GPU job; grows with each retry after an out-of-memory kill."""
    return 4000 * attempt


def configured_results(wildcards):
    return f"repro/{config['paper_id']}/results.md"


def smoke_tier_record(tier):
    """Path of one smoke tier's JSON record (tier number to file name)."""
    names = {1: "tier1_forward", 2: "tier2_one_step", 3: "tier3_iterations"}
    return f"repro/{{paper}}/smoke_logs/{names[tier]}.json"


def refuse_slurm_jobs_without_account():
    """Before any submission: a SLURM job with no explicit account would run under a guessed one."""
    plugin = workflow.executor_plugin
    problem = account_problem(
        plugin.name if plugin is not None else None,
        [
            (job.rule.name, job.is_local, job.resources.get("slurm_account"))
            for job in workflow.dag.needrun_jobs()
        ],
    )
    if problem:
        sys.exit(f"error: {problem}")


onstart:
    refuse_slurm_jobs_without_account()
