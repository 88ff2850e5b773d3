"""The SLURM profile against a real single-node SLURM (tests/slurm/start.sh) with two fake GPUs.

Runs the card's command literally, `snakemake results.md --profile slurm`, from the root of a copy of the
project after `make slurm-profile ACCOUNT=...` installed the profile into a temporary HOME. Checks through
squeue (jobs stay listed for MinJobAge=300 s) and the controller's log that only the smoke ladder (one
grouped job) and training runs are submitted, each asking for a GPU under the configured account; that a
profile without an account submits nothing; that the results equal a local run's; that a second run
submits nothing; that a ledger change resubmits only the downstream jobs; that a cancelled training job is
reported, retried, resumes from its checkpoint and keeps both attempts' logs; and that after a driver is
killed with SIGKILL its still-running job keeps the run folder to itself until it is cancelled, then the
rerun resumes. Skips with the reason where SLURM cannot be started; under CI=true it must run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_FACTS, EXAMPLE_HTML, EXAMPLE_TASK, ROOT, git_available

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
SLURM_LOG = Path("/var/lib/reprokit-slurm/log/slurmctld.log")
GPU_RULES = {"smoke_tier", "train_run", "smoke_upstream", "train_upstream"}
SHORT = {"schedule.total_steps": 200, "schedule.eval_every": 100}
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"SLURM is required under CI but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def cluster() -> None:
    if not shutil.which("sbatch") or not shutil.which("slurmctld"):
        unavailable("SLURM is not installed (apt-get install -y slurm-wlm munge)")
    if os.geteuid() != 0:
        unavailable("starting the local SLURM cluster needs root")
    done = subprocess.run([str(ROOT / "tests" / "slurm" / "start.sh")], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        unavailable(f"the local SLURM cluster did not start: {done.stderr.strip()[-500:]}")


ACCOUNT = "reprokit-test"
PROJECT_PARTS = ("Snakefile", "rules", "scripts", "reprokit", "config", "envs", "profiles", "examples")


@pytest.fixture(scope="module")
def home(cluster, tmp_path_factory) -> Path:
    """A user's HOME after the README's one-time step: make slurm-profile ACCOUNT=..."""
    home = tmp_path_factory.mktemp("home")
    env = {k: v for k, v in ENV.items() if k != "XDG_CONFIG_HOME"} | {"HOME": str(home)}
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "slurm-profile", f"ACCOUNT={ACCOUNT}"], capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    installed = home / ".config" / "snakemake" / "slurm" / "config.v8+.yaml"
    assert f'slurm_account: "{ACCOUNT}"' in installed.read_text()
    # the one edit a user of this idle test cluster makes: poll the queue sooner
    installed.write_text(installed.read_text().replace("slurm-init-seconds-before-status-checks: 20",
                                                       "slurm-init-seconds-before-status-checks: 3"))
    return home


def project_copy(base: Path) -> Path:
    """A checkout of the project (the files the workflow needs), to run the card's command in its root."""
    project = base / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy2
        copy(ROOT / part, project / part, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                            if (ROOT / part).is_dir() else {}))
    return project


def write_config(workdir: Path, models=("logreg", "cnn"), **settings) -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    paper = config["papers"]["mnist1d"]
    paper.update(source=str(EXAMPLE_HTML), code_facts=str(EXAMPLE_FACTS), task=str(EXAMPLE_TASK), seeds=[0],
                 models=[m for m in paper["models"] if m["name"] in models])
    paper.update({k: v for k, v in settings.items() if k in paper or k == "overrides"})
    config.update({k: v for k, v in settings.items() if k in ("checkpoint_every",)})
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def command(*args: str, slurm: bool = True, limit: int = 900) -> list[str]:
    """The card's command (`snakemake <args> --profile slurm`), run in the project's root, under a time limit."""
    return ["timeout", "-s", "INT", "-k", "30", str(limit), "snakemake", *args,
            *(["--profile", "slurm"] if slurm else ["--cores", "2"])]


def copied(workdir: Path) -> dict[str, str]:
    """A project copy's jobs import the copy's own reprokit (a user's clone has it installed: make demo)."""
    return {"PYTHONPATH": str(workdir)} if (workdir / "reprokit").is_dir() else {}


def run(workdir: Path, home: Path, *args: str, slurm: bool = True, ok: bool = True) -> str:
    done = subprocess.run(command(*args, slurm=slurm), capture_output=True, text=True, cwd=workdir,
                          env=ENV | {"HOME": str(home)} | copied(workdir))
    output = done.stdout + done.stderr
    assert (done.returncode == 0) == ok, output[-6000:]
    return output


def last_job_id() -> int:
    out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i"], capture_output=True, text=True).stdout
    ids = [int(x) for x in out.split()]
    log_ids = [int(x) for x in re.findall(r"JobId=(\d+)", SLURM_LOG.read_text())] if SLURM_LOG.is_file() else []
    return max(ids + log_ids + [0])


def jobs_since(first: int) -> list[dict[str, str]]:
    out = subprocess.run(["squeue", "-h", "-t", "all", "-O", "JobID:12,State:14,Account:20,Comment:120,tres-per-job:40"],
                         capture_output=True, text=True, check=True).stdout
    jobs = []
    for line in out.splitlines():
        fields = line.split(maxsplit=4)
        job_id, state, account, comment, tres = fields if len(fields) == 5 else (*fields, "")
        if int(job_id) > first:
            rule = re.match(r"rule_(\w+?)_wildcards", comment)
            name = rule.group(1) if rule else comment.removeprefix("rule_")
            jobs.append({"id": job_id, "state": state, "account": account, "tres": tres,
                         "rule": "official smoke group" if name.startswith("smoke_official")
                         else "smoke group" if name.startswith("smoke_smoke") else name})
    return sorted(jobs, key=lambda j: int(j["id"]))


@pytest.fixture(scope="module")
def slurm_run(cluster, home, tmp_path_factory):
    workdir = project_copy(tmp_path_factory.mktemp("slurm"))
    write_config(workdir, overrides=SHORT)
    first = last_job_id()
    output = run(workdir, home, "results.md")
    return {"workdir": workdir, "jobs": jobs_since(first), "output": output, "first": first}


def test_the_profile_gives_every_submitted_rule_a_gpu():
    profile = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.v8+.yaml").read_text())
    submitted = set()
    for rules in (ROOT / "rules").glob("*.smk"):
        for block in re.split(r"^rule ", rules.read_text(), flags=re.MULTILINE)[1:]:
            name = block.split(":", 1)[0]
            if "localrule: True" not in block:
                submitted.add(name)
    assert submitted == GPU_RULES
    assert all(profile["set-resources"][rule]["gpu"] == 1 for rule in GPU_RULES)


def test_the_official_codes_route_goes_through_the_same_profile(home, tmp_path):
    """The upstream route's fixture (tests/fixtures/official) with `--profile slurm`: its smoke tiers go as
    one job and each run of the official code as its own, each with a GPU under the account."""
    from tests.integration.test_upstream_route import official_repo
    from tests.integration.test_upstream_route import write_config as upstream_config

    workdir = project_copy(tmp_path)
    upstream_config(workdir, official_repo(tmp_path), trust_upstream=True, seeds=[0])
    first = last_job_id()
    run(workdir, home, "results.md")
    jobs = jobs_since(first)
    assert sorted(j["rule"] for j in jobs) == ["official smoke group", "train_upstream", "train_upstream"], jobs
    assert all("gpu:1" in j["tres"] and j["account"] == ACCOUNT and j["state"] == "COMPLETED" for j in jobs), jobs
    results = json.loads((workdir / "repro/gauss/results.json").read_text())
    assert [r["implementation"] for r in results["rows"]] == ["upstream", "upstream"]
    history = (workdir / "logs/gauss/train_upstream/logistic-seed0.attempts.log").read_text()
    assert re.search(r"===== attempt 1: .* SLURM job \d+ =====", history) and "test accuracy" in history


def test_dry_run_shows_each_jobs_resources(home, tmp_path):
    workdir = project_copy(tmp_path)
    write_config(workdir, overrides=SHORT)
    out = run(workdir, home, "-n", "results.md")
    train = out[out.index("rule train_run:"):].split("\n\n")[0]
    assert "gpu=1" in train and "runtime=" in train and "mem_mb=4000" in train and "slurm_partition=gpu" in train
    assert f"slurm_account={ACCOUNT}" in train
    fetch = out[out.index("rule fetch_paper:"):].split("\n\n")[0]
    assert "gpu=" not in fetch


def test_a_profile_without_an_account_submits_nothing(home, tmp_path):
    workdir = project_copy(tmp_path)
    write_config(workdir, overrides=SHORT)
    first = last_job_id()
    output = run(workdir, home, "results.md", "--profile", "profiles/slurm", slurm=False, ok=False)
    assert "the SLURM profile sets no slurm_account for smoke_tier" in output
    assert "make slurm-profile ACCOUNT=<account>" in output and "Traceback" not in output
    assert jobs_since(first) == [] and not (workdir / "repro").exists()


def test_only_the_smoke_group_and_training_jobs_are_submitted_each_with_a_gpu_and_the_account(slurm_run):
    jobs = slurm_run["jobs"]
    assert sorted(j["rule"] for j in jobs) == ["smoke group", "train_run", "train_run"], jobs
    assert all("gpu:1" in j["tres"] for j in jobs), jobs
    assert all(j["state"] == "COMPLETED" for j in jobs), jobs
    assert all(j["account"] == ACCOUNT for j in jobs), jobs
    assert "trying to guess" not in slurm_run["output"]
    submitted = {int(x) for x in re.findall(r"_slurm_rpc_submit_batch_job: JobId=(\d+)", SLURM_LOG.read_text())}
    assert {int(j["id"]) for j in jobs} == {i for i in submitted if i > slurm_run["first"]}
    plan = (slurm_run["workdir"] / "repro/mnist1d/run_plan.md").read_text()
    assert re.search(r"\| runs/cnn-seed0 \| reimplementation \| cnn \| 0 \| .* \| \d+ s \| \d+ min \|", plan), plan


def test_results_equal_a_local_run_with_the_same_seeds(slurm_run, home, tmp_path):
    workdir = project_copy(tmp_path)
    write_config(workdir, overrides=SHORT)
    run(workdir, home, "results.md", slurm=False)
    on_slurm = json.loads((slurm_run["workdir"] / "repro/mnist1d/results.json").read_text())
    local = json.loads((workdir / "repro/mnist1d/results.json").read_text())
    assert [(r["model"], r["mean"]) for r in on_slurm["rows"]] == [(r["model"], r["mean"]) for r in local["rows"]]


def test_second_run_submits_nothing(slurm_run, home):
    first = last_job_id()
    output = run(slurm_run["workdir"], home, "results.md")
    assert "Nothing to be done" in output
    assert jobs_since(first) == []


def test_ledger_change_resubmits_only_downstream_jobs(slurm_run, home):
    write_config(slurm_run["workdir"], overrides={**SHORT, "optimizer.lr": 0.005})
    first = last_job_id()
    run(slurm_run["workdir"], home, "results.md")
    assert sorted(j["rule"] for j in jobs_since(first)) == ["smoke group", "train_run", "train_run"]


def test_a_failing_tier_in_the_grouped_smoke_job_names_itself(slurm_run, home):
    workdir = slurm_run["workdir"]  # stages 1-3 and 5 are done there: only the ledger, code/ and the ladder rerun
    write_config(workdir, models=("mlp",), overrides={**SHORT, "optimizer.lr": 10000.0})
    first = last_job_id()
    output = run(workdir, home, "results.md", "--retries", "0", ok=False)
    assert [j["rule"] for j in jobs_since(first)] == ["smoke group"]
    assert "Error in rule smoke_tier" in output or "rule smoke_tier" in output.split("Error", 1)[-1], output[-4000:]
    log = (workdir / "logs/mnist1d/smoke_tier/tier2_one_step.log").read_text()
    assert "smoke tier 2 (one_step) failed for mlp: loss on the same batch decreases" in log, log[-2000:]
    # Snakemake removes the outputs of every job of a failed group, so the rerun repeats the (cheap) tier 1 too
    assert not (workdir / "repro/mnist1d/smoke_logs/tier2_one_step.json").exists()


def start_long_cnn_run(workdir: Path, home: Path, first: int, popen_args: list[str], steps: int = 4000):
    """Start a driver for a long cnn run; return it and the running train job's id once a checkpoint exists."""
    write_config(workdir, models=("cnn",), overrides={"schedule.total_steps": steps, "schedule.eval_every": 1000},
                 checkpoint_every=100)
    checkpoint = workdir / "repro/mnist1d/runs/cnn-seed0/checkpoint.pt"
    for old in (checkpoint, checkpoint.with_name("checkpoint.prev.pt")):  # both kept checkpoints: start afresh
        old.unlink(missing_ok=True)
    driver = subprocess.Popen(popen_args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=workdir,
                              env=ENV | {"HOME": str(home)} | copied(workdir))
    deadline = time.time() + 400
    while time.time() < deadline:
        running = [j for j in jobs_since(first) if j["rule"] == "train_run" and j["state"] == "RUNNING"]
        if running and checkpoint.is_file():
            return driver, running[0]["id"]
        time.sleep(0.2)
    driver.kill()
    pytest.fail(f"no running training job with a checkpoint:\n{driver.communicate()[0][-3000:]}")


def test_cancelled_training_job_is_reported_retried_resumes_and_keeps_both_logs(slurm_run, home):
    workdir = slurm_run["workdir"]
    first = last_job_id()
    driver, cancelled = start_long_cnn_run(workdir, home, first, command("results.md"))
    subprocess.run(["scancel", cancelled], check=True)
    output, _ = driver.communicate(timeout=900)
    assert driver.returncode == 0, output[-6000:]
    assert re.search(rf"Error in rule train_run.*?{cancelled}", output, re.DOTALL), output[-4000:]
    train_jobs = [j for j in jobs_since(first) if j["rule"] == "train_run"]
    assert [j["state"] for j in train_jobs] == ["CANCELLED", "COMPLETED"], train_jobs
    log = (workdir / "logs/mnist1d/train_run/cnn-seed0.log").read_text()
    assert re.search(r"resumed from .*checkpoint.pt at step [1-9]\d*00\b", log), log[:2000]
    history = (workdir / "logs/mnist1d/train_run/cnn-seed0.attempts.log").read_text()
    assert f"SLURM job {cancelled} =====" in history and f"SLURM job {train_jobs[1]['id']} =====" in history
    assert history.index(f"job {cancelled}") < history.index("resumed from")
    metrics = json.loads((workdir / "repro/mnist1d/runs/cnn-seed0/metrics.json").read_text())
    assert metrics["final_step"] == 4000 and metrics["seconds"] > 0


def test_after_a_killed_driver_its_job_keeps_the_run_until_cancelled_then_the_rerun_resumes(slurm_run, home):
    workdir = slurm_run["workdir"]
    (workdir / "repro/mnist1d/runs/cnn-seed0/metrics.json").unlink(missing_ok=True)
    first = last_job_id()
    snakemake = ["snakemake", "results.md", "--profile", "slurm"]
    # 4200 steps: another budget than the previous test's, so the run is new to Snakemake and to its checkpoint
    driver, orphan = start_long_cnn_run(workdir, home, first, snakemake, steps=4200)
    driver.kill()  # SIGKILL: no cleanup, the job keeps running and holds the run's lock
    driver.wait()
    # hold the orphan where it is (SIGSTOP through SLURM), so it outlives the rerun below on any machine
    subprocess.run(["scontrol", "suspend", orphan], check=True)
    listed = subprocess.run([sys.executable, "-m", "reprokit.cluster.jobs"], capture_output=True, text=True,
                            cwd=workdir, env=ENV | {"PYTHONPATH": str(ROOT)})
    assert orphan in listed.stdout and "rule_train_run_wildcards_mnist1d_cnn-seed0" in listed.stdout, listed
    # a user who skips the scancel: the new job refuses to write beside the orphan
    run(workdir, home, "--unlock")
    refused = run(workdir, home, "results.md", "--retries", "0", ok=False)
    log = (workdir / "logs/mnist1d/train_run/cnn-seed0.log").read_text()
    assert f"is being written by SLURM job {orphan}" in log and f"scancel {orphan}" in log, refused[-3000:]
    # the documented recovery: cancel the listed jobs, then rerun
    cancelled = subprocess.run([sys.executable, "-m", "reprokit.cluster.jobs", "--cancel"], capture_output=True,
                               text=True, cwd=workdir, env=ENV | {"PYTHONPATH": str(ROOT)})
    assert cancelled.returncode == 0 and "they have stopped" in cancelled.stdout, cancelled.stdout + cancelled.stderr
    run(workdir, home, "results.md")
    log = (workdir / "logs/mnist1d/train_run/cnn-seed0.log").read_text()
    assert re.search(r"resumed from .*checkpoint.pt at step [1-9]\d*00\b", log), log[:2000]
    writers = [j for j in jobs_since(first) if j["rule"] == "train_run"]
    assert [j["state"] for j in writers] == ["CANCELLED", "FAILED", "COMPLETED"], writers
    assert json.loads((workdir / "repro/mnist1d/runs/cnn-seed0/metrics.json").read_text())["final_step"] == 4200
