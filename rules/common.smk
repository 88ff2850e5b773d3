# Input functions, wildcard constraints and path helpers shared by the stage rules. No rules here.
import json
import sys
from pathlib import Path

from reprokit.cluster.profile import account_problem
from reprokit.cluster.runtime import request_minutes
from reprokit.config import load_schema, needs_stage_4, paper_settings, stage_4_problem
from reprokit.errors import UserError
from reprokit.gaps.experiments import unknown_experiment
from reprokit.implement.git import last_user_commit
from reprokit.paper.paperid import parse_reference
from reprokit.upstream.trust import route_of

SCHEMA = load_schema(f"{workflow.basedir}/config/schema.yaml")
# the smoke ladder's tiers: number -> the name of its job's files (smoke_logs/<name>.json)
SMOKE_TIERS = {1: "tier1_forward", 2: "tier2_one_step", 3: "tier3_iterations"}
# what the smoke tiers read of `smoke:` (their checks), and what the run plan and the training jobs' SLURM
# requests read: each rule's params hold only its own, so a SLURM setting reruns no tier and no training
SMOKE_CHECKS = {
    key: config["smoke"][key]
    for key in ("init_loss_tolerance", "iterations", "window", "max_rise", "seed")
}
SLURM_TIME = {
    key: config["smoke"][key]
    for key in (
        "runtime_margin",
        "runtime_floor_minutes",
        "job_overhead_s",
        "max_run_hours",
    )
}


wildcard_constraints:
    paper=r"[A-Za-z0-9][A-Za-z0-9._-]*",
    run=r"[a-z0-9_]+-seed[0-9]+",
    tier="|".join(SMOKE_TIERS.values()),
    level=r"[123]",


def paper_config(wildcards):
    """The settings of the paper a job is for (defaults filled; an arXiv id works unconfigured)."""
    return paper_settings(config, wildcards.paper, SCHEMA)


def paper_env(kind):
    """The conda environment of a job (kind: pipeline or train): envs/<kind>.yaml beside the paper's task file when
    the task brings packages of its own (examples/mnist1d/envs/pipeline.yaml adds mnist1d), else the workflow's.
    """

    def env(wildcards):
        paper = getattr(wildcards, "paper", None) or config["paper_id"]
        task = paper_settings(config, paper, SCHEMA).get("task")
        own = (
            Path(task).parent / "envs" / f"{kind}.yaml"
            if task and task.endswith(".py")
            else None
        )
        return str(
            own.resolve()
            if own and own.is_file()
            else Path(workflow.basedir, "envs", f"{kind}.yaml")
        )

    env.__name__ = f"paper_env_{kind}"
    return env


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
    """SLURM minutes for a training job: from the smoke ladder's estimate (reprokit.cluster.runtime), x the attempt."""
    try:  # unreadable: no estimate (plan_runs, which reads it too, names the file and the fix)
        estimates = json.loads(Path(input.status).read_text())["estimates"]
        seconds = estimates[run_model(wildcards)]["estimated_seconds"]
    except (OSError, ValueError, TypeError, KeyError):
        seconds = None
    return request_minutes(seconds, SLURM_TIME) * attempt


def scaled_mem_mb(wildcards, attempt):
    """Host memory for a GPU job; grows with each retry after an out-of-memory kill."""
    return 4000 * attempt


def paper_route(wildcards):
    """Stage 4's route for the job's paper: harness, upstream or both (`implementation:` in the config)."""
    return route_of(paper_config(wildcards))


def user_commit(folder):
    """The newest commit of yours in a code folder, as a param of the job that builds the folder (so that your
    commit reruns that job)."""

    def param(wildcards):
        return last_user_commit(folder(wildcards))

    return param


def upstream_tree(wildcards):
    """Where the upstream route's code/ lives: code/ itself, or upstream_code/ beside the reimplementation."""
    folder = "code" if paper_route(wildcards) == "upstream" else "upstream_code"
    return f"repro/{wildcards.paper}/{folder}"


def upstream_settings(wildcards):
    """What the official code's jobs read from the paper's settings (a change reruns them)."""
    cfg = paper_config(wildcards)
    keys = (
        "trust_upstream",
        "smoke_args",
        "smoke_loss_pattern",
        "smoke_loss_every",
        "run_args",
        "tokens",
    )
    return {
        **{key: cfg.get(key) for key in keys},
        "models": [
            {"name": m["name"], "args": m.get("args", [])} for m in cfg["models"]
        ],
    }


def metrics_given(wildcards):
    """Whether the paper says where the official code writes its metric (changing what it says re-reads runs only)."""
    return bool(paper_config(wildcards).get("metrics_from"))


def route_inputs(wildcards):
    """The smoke status and stage-4 record of each route the paper takes (named for plan_runs)."""
    route, ws = paper_route(wildcards), f"repro/{wildcards.paper}"
    out = {}
    if route in ("harness", "both"):
        out.update(
            status=f"{ws}/smoke_logs/smoke_status.json",
            implementation=after_checkpoint(
                "implement_code", "repro/{paper}/implementation.json"
            )(wildcards),
        )
    if route in ("upstream", "both"):
        out.update(
            upstream_status=f"{ws}/smoke_logs/upstream/smoke_status.json",
            upstream_launch=f"{ws}/upstream_launch.json",
        )
    return out


def route_metrics(wildcards):
    """Every run's metrics file: runs/<run>/ (reimplementation), runs/upstream/<run>/ (official code)."""
    route = paper_route(wildcards)
    folders = {"harness": ["runs"], "upstream": ["runs/upstream"]}.get(
        route, ["runs", "runs/upstream"]
    )
    return expand(
        "repro/{paper}/{folder}/{run}/metrics.json",
        paper=wildcards.paper,
        folder=folders,
        run=run_names(wildcards),
    )


def dataset_input(wildcards):
    """The dataset record, for the reimplementation (the official code gets its own data)."""
    if paper_route(wildcards) == "upstream":
        return {}
    return {
        "dataset": after_checkpoint("prepare_dataset", "repro/{paper}/dataset.json")(
            wildcards
        )
    }


def upstream_tier_record(level):
    return f"repro/{{paper}}/smoke_logs/upstream/tier{level}.json"


def previous_upstream_tier(wildcards):
    level = int(wildcards.level)
    return (
        [upstream_tier_record(level - 1).format(paper=wildcards.paper)]
        if level > 1
        else []
    )


def upstream_run_dir(wildcards):
    return f"repro/{wildcards.paper}/runs/upstream/{wildcards.run}"


def upstream_attempts_log(wildcards):
    return f"logs/{wildcards.paper}/train_upstream/{wildcards.run}.attempts.log"


def configured_results(wildcards):
    return f"repro/{config['paper_id']}/results.md"


def smoke_tier_record(tier):
    """Path of one smoke tier's JSON record (tier number to file name)."""
    return f"repro/{{paper}}/smoke_logs/{SMOKE_TIERS[tier]}.json"


def smoke_tier_number(wildcards):
    return next(n for n, name in SMOKE_TIERS.items() if name == wildcards.tier)


def previous_smoke_tier(wildcards):
    """The record of the tier before this one (none before tier 1)."""
    tier = smoke_tier_number(wildcards)
    return (
        [smoke_tier_record(tier - 1).format(paper=wildcards.paper)] if tier > 1 else []
    )


# the rules without `localrule: True`: their jobs are the ones an executor submits (a test keeps this in step)
SUBMITTED_RULES = ("smoke_tier", "smoke_upstream", "train_run", "train_upstream")


def refuse_slurm_jobs_without_account():
    """Before any submission: a SLURM job with no explicit account would run under a guessed one. Read from
    the run's settings (the profile's default-resources and set-resources), not from Snakemake's job graph.
    """
    plugin = workflow.executor_plugin
    resources = workflow.resource_settings
    default = resources.default_resources
    given = default is not None and "slurm_account" in default
    problem = account_problem(
        plugin.name if plugin is not None else None,
        [
            (
                name,
                False,
                given or "slurm_account" in resources.overwrite_resources.get(name, {}),
            )
            for name in SUBMITTED_RULES
        ],
    )
    if problem:
        sys.exit(f"error: {problem}")


def refuse_stage_4_without_its_settings():
    """Before any job: targets that reach stage 4 with a setting it needs missing (the upstream route's
    `metrics_from`) are refused now, not after stages 1-3 ran."""
    paper_id = config["paper_id"]
    problem = stage_4_problem(paper_id, config["papers"][paper_id])
    if problem and needs_stage_4(workflow.dag_settings.targets, paper_id):
        sys.exit(f"error: {problem}.")


def refuse_an_experiment_the_paper_lacks():
    """Before any job: a configured `experiment` that the extracted paper (repro/<id>/paper.json, when stage 1 has
    run) names nowhere is refused now; stage 3 would refuse it too, after Snakemake removed its old output.
    """
    paper_id = config["paper_id"]
    extract = Path("repro", paper_id, "paper.json")
    wanted = config["papers"].get(paper_id, {}).get("experiment")
    if wanted not in (None, "") and extract.is_file():
        try:
            problem = unknown_experiment(
                json.loads(extract.read_text(encoding="utf-8")), wanted
            )
        except ValueError:
            return  # an unreadable extract: stage 1 reruns and says so
        if problem:
            sys.exit(f"error: {problem}.")


onstart:
    refuse_an_experiment_the_paper_lacks()
    refuse_stage_4_without_its_settings()
    refuse_slurm_jobs_without_account()


# Content, not touch. Four stages are checkpoints (fill_gaps, prepare_dataset, implement_code, plan_runs):
# after one has run, Snakemake looks again at the jobs that wait on it and reruns each only where an input's
# checksum differs from the one recorded when the job last ran. A paper edit that leaves the run values as
# they were rewrites paper.json and gaps.json, and retrains nothing.
CHECKPOINT_FILES = {
    "fill_gaps": "repro/{paper}/gaps.json",
    "prepare_dataset": "repro/{paper}/dataset.json",
    "implement_code": "repro/{paper}/implementation.json",
    "plan_runs": "repro/{paper}/run_plan.json",
}
EXISTED_AT_START = {}


def _wait_for(name, wildcards):
    """The checkpoint's file; if it existed when this run started, the job waits for the checkpoint to be up
    to date (a fresh workspace has plain dependencies, so that `snakemake -n` shows the whole plan; a file
    written during this run is asked for mid-write at times, before its checkpoint is done).
    """
    paper = (
        getattr(wildcards, "paper", None) or config["paper_id"]
    )  # publish_results has no {paper}
    path = CHECKPOINT_FILES[name].format(paper=paper)
    if EXISTED_AT_START.setdefault(path, Path(path).exists()):
        getattr(checkpoints, name).get(paper=paper)
    return path


def after_checkpoint(name, template):
    """An input a checkpoint writes: the job reruns when its content changed."""

    def input_file(wildcards):
        _wait_for(name, wildcards)
        return template.format(paper=wildcards.paper)

    return input_file


def settled(*names):
    """The checkpoints upstream of a job, as inputs that never trigger it (ancient): they make Snakemake look
    at the job again once each checkpoint is done, so that a rerun decided before it ran is decided again on
    content."""

    def inputs(wildcards):
        route = (
            paper_route(wildcards)
            if hasattr(wildcards, "paper")
            else paper_route_of_target()
        )
        used = [n for n in names if route != "upstream" or n not in HARNESS_ONLY]
        return [ancient(_wait_for(name, wildcards)) for name in used]

    return inputs


BEFORE_PLAN = ("fill_gaps", "prepare_dataset", "implement_code")
HARNESS_ONLY = (
    "prepare_dataset",
    "implement_code",
)  # the official code's route has neither


def paper_route_of_target():
    return route_of(paper_settings(config, config["paper_id"], SCHEMA))
