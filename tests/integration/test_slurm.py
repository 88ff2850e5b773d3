"""The SLURM profile against a real single-node SLURM (tests/slurm/start.sh) with two fake GPUs.

Checks through squeue (jobs stay listed for MinJobAge=300 s) and the controller's log that only the
smoke tiers and training runs are submitted, each asking for a GPU; that the results equal a local
run's; that a second run submits nothing; that a ledger change resubmits only the downstream jobs; and
that a cancelled training job is reported, retried and resumes from its checkpoint. Skips with the reason
where SLURM cannot be started; under CI=true it must run.
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
GPU_RULES = {"smoke_forward", "smoke_one_step", "smoke_iterations", "train_run"}
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


def write_config(workdir: Path, models=("logreg", "cnn"), **settings) -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    paper = config["papers"]["mnist1d"]
    paper.update(source=str(EXAMPLE_HTML), code_facts=str(EXAMPLE_FACTS), task=str(EXAMPLE_TASK), seeds=[0],
                 models=[m for m in paper["models"] if m["name"] in models])
    paper.update({k: v for k, v in settings.items() if k in paper or k == "overrides"})
    config.update({k: v for k, v in settings.items() if k in ("checkpoint_every",)})
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def command(workdir: Path, *args: str, slurm: bool = True) -> list[str]:
    profile = ["--profile", str(ROOT / "profiles" / "slurm"), "--slurm-init-seconds-before-status-checks", "3"]
    return ["timeout", "-s", "INT", "-k", "30", "900", sys.executable, "-m", "snakemake", "-s",
            str(ROOT / "Snakefile"), "-d", str(workdir), *(profile if slurm else ["--cores", "2"]), *args]


def run(workdir: Path, *args: str, slurm: bool = True) -> str:
    done = subprocess.run(command(workdir, *args, slurm=slurm), capture_output=True, text=True, env=ENV)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    return output


def last_job_id() -> int:
    out = subprocess.run(["squeue", "-h", "-t", "all", "-o", "%i"], capture_output=True, text=True).stdout
    ids = [int(x) for x in out.split()]
    log_ids = [int(x) for x in re.findall(r"JobId=(\d+)", SLURM_LOG.read_text())] if SLURM_LOG.is_file() else []
    return max(ids + log_ids + [0])


def jobs_since(first: int) -> list[dict[str, str]]:
    out = subprocess.run(["squeue", "-h", "-t", "all", "-O", "JobID:12,State:14,Comment:120,tres-per-job:40"],
                         capture_output=True, text=True, check=True).stdout
    jobs = []
    for line in out.splitlines():
        job_id, state, comment, tres = line.split(maxsplit=3) if len(line.split()) >= 4 else (*line.split(), "")
        if int(job_id) > first:
            rule = re.match(r"rule_(\w+?)_wildcards", comment)
            jobs.append({"id": job_id, "state": state, "rule": rule.group(1) if rule else comment, "tres": tres})
    return sorted(jobs, key=lambda j: int(j["id"]))


@pytest.fixture(scope="module")
def slurm_run(cluster, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("slurm")
    write_config(workdir, overrides=SHORT)
    first = last_job_id()
    output = run(workdir, "results.md")
    return {"workdir": workdir, "jobs": jobs_since(first), "output": output, "first": first}


def test_dry_run_shows_each_jobs_resources(cluster, tmp_path):
    write_config(tmp_path, overrides=SHORT)
    out = run(tmp_path, "-n", "results.md")
    train = out[out.index("rule train_run:"):].split("\n\n")[0]
    assert "gpu=1" in train and "runtime=" in train and "mem_mb=4000" in train and "slurm_partition=gpu" in train
    fetch = out[out.index("rule fetch_paper:"):].split("\n\n")[0]
    assert "gpu=" not in fetch


def test_only_smoke_and_training_jobs_are_submitted_each_with_a_gpu(slurm_run):
    jobs = slurm_run["jobs"]
    assert sorted(j["rule"] for j in jobs) == sorted(["smoke_forward", "smoke_one_step", "smoke_iterations",
                                                      "train_run", "train_run"])
    assert all("gpu:1" in j["tres"] for j in jobs), jobs
    assert all(j["state"] == "COMPLETED" for j in jobs), jobs
    submitted = {int(x) for x in re.findall(r"_slurm_rpc_submit_batch_job: JobId=(\d+)", SLURM_LOG.read_text())}
    assert {int(j["id"]) for j in jobs} == {i for i in submitted if i > slurm_run["first"]}


def test_results_equal_a_local_run_with_the_same_seeds(slurm_run, tmp_path):
    write_config(tmp_path, overrides=SHORT)
    run(tmp_path, "results.md", slurm=False)
    on_slurm = json.loads((slurm_run["workdir"] / "repro/mnist1d/results.json").read_text())
    local = json.loads((tmp_path / "repro/mnist1d/results.json").read_text())
    assert [(r["model"], r["mean"]) for r in on_slurm["rows"]] == [(r["model"], r["mean"]) for r in local["rows"]]


def test_second_run_submits_nothing(slurm_run):
    first = last_job_id()
    output = run(slurm_run["workdir"], "results.md")
    assert "Nothing to be done" in output
    assert jobs_since(first) == []


def test_ledger_change_resubmits_only_downstream_jobs(slurm_run):
    write_config(slurm_run["workdir"], overrides={**SHORT, "optimizer.lr": 0.005})
    first = last_job_id()
    run(slurm_run["workdir"], "results.md")
    assert sorted(j["rule"] for j in jobs_since(first)) == sorted(
        ["smoke_forward", "smoke_one_step", "smoke_iterations", "train_run", "train_run"])


def test_cancelled_training_job_is_reported_retried_and_resumes(slurm_run):
    workdir = slurm_run["workdir"]
    write_config(workdir, models=("cnn",), overrides={"schedule.total_steps": 4000, "schedule.eval_every": 1000},
                 checkpoint_every=100)
    checkpoint = workdir / "repro/mnist1d/runs/cnn-seed0/checkpoint.pt"
    checkpoint.unlink(missing_ok=True)
    first = last_job_id()
    driver = subprocess.Popen(command(workdir, "results.md"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env=ENV)
    cancelled = None
    deadline = time.time() + 400
    while time.time() < deadline and cancelled is None:
        running = [j for j in jobs_since(first) if j["rule"] == "train_run" and j["state"] == "RUNNING"]
        if running and checkpoint.is_file():
            cancelled = running[0]["id"]
            subprocess.run(["scancel", cancelled], check=True)
        time.sleep(0.2)
    output, _ = driver.communicate(timeout=900)
    assert cancelled, f"no running training job with a checkpoint to cancel:\n{output[-3000:]}"
    assert driver.returncode == 0, output[-6000:]
    assert re.search(rf"Error in rule train_run.*?{cancelled}", output, re.DOTALL), output[-4000:]
    train_jobs = [j for j in jobs_since(first) if j["rule"] == "train_run"]
    assert [j["state"] for j in train_jobs] == ["CANCELLED", "COMPLETED"], train_jobs
    log = (workdir / "logs/mnist1d/train_run/cnn-seed0.log").read_text()
    assert re.search(r"resumed from .*checkpoint.pt at step [1-9]\d*00\b", log), log[:2000]
    metrics = json.loads((workdir / "repro/mnist1d/runs/cnn-seed0/metrics.json").read_text())
    assert metrics["final_step"] == 4000
