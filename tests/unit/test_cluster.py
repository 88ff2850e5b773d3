"""Cluster helpers: one writer per run folder, every attempt's log kept."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from reprokit.cluster import attempts
from reprokit.cluster.runlock import exclusive, read_holder
from reprokit.errors import UserError
from tests.conftest import ROOT

HOLD = """
import sys, time
sys.path.insert(0, sys.argv[2])
from reprokit.cluster.runlock import exclusive
with exclusive(sys.argv[1]):
    print("held", flush=True)
    time.sleep(30)
"""


def test_a_second_writer_is_refused_naming_the_holder_and_the_lock_frees_when_the_holder_dies(tmp_path):
    run = tmp_path / "runs" / "cnn-seed0"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(run), str(ROOT)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "SLURM_JOB_ID": "4242"})
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(UserError, match=r"run folder .*cnn-seed0 is being written by SLURM job 4242 on .*"
                                            r"`scancel 4242`"), exclusive(run):
            pytest.fail("entered a folder another process holds")
        assert read_holder(run)["pid"] == holder.pid
    finally:
        holder.kill()  # SIGKILL: no cleanup runs, the kernel still releases the lock
        holder.wait()
    with exclusive(run):
        assert read_holder(run)["pid"] == os.getpid()


def test_the_lock_is_released_after_an_error_inside_the_block(tmp_path):
    with pytest.raises(ValueError), exclusive(tmp_path):
        raise ValueError("boom")
    with exclusive(tmp_path):
        pass


def test_each_attempt_is_appended_under_a_numbered_header(tmp_path, monkeypatch):
    history = tmp_path / "logs" / "cnn-seed0.attempts.log"
    monkeypatch.setenv("SLURM_JOB_ID", "77")
    for text in (b"step 100\nkilled\n", b"resumed from checkpoint at step 100\ndone\n"):
        sink = io.BytesIO()
        attempts.tee(history, io.BufferedReader(io.BytesIO(text)), sink)
        assert sink.getvalue() == text  # the current attempt's log gets exactly the output
    kept = history.read_text()
    assert kept.count("===== attempt ") == 2 and "===== attempt 2: " in kept and "SLURM job 77" in kept
    assert kept.index("killed") < kept.index("===== attempt 2") < kept.index("resumed from")


def test_a_logged_run_returns_the_commands_exit_status_and_keeps_its_output_twice(tmp_path):
    history, current = tmp_path / "h.log", tmp_path / "cur.log"
    code = "import sys; print('partial', flush=True); sys.exit(3)"
    assert attempts.run_logged([sys.executable, "-c", code], current, history) == 3
    assert attempts.run_logged([sys.executable, "-c", code], current, history) == 3
    assert current.read_text() == "partial\n"  # the current attempt only
    assert history.read_text().count("partial") == 2 and "===== attempt 2: " in history.read_text()


def test_the_profile_is_installed_with_the_account_and_kept_when_edited(tmp_path):
    import yaml

    from reprokit.cluster.profile import install

    dest = install("lab42", "a100q", dest=tmp_path / "snakemake" / "slurm")
    config = yaml.safe_load((dest / "config.v8+.yaml").read_text())
    assert config["default-resources"]["slurm_account"] == "lab42"
    assert config["default-resources"]["slurm_partition"] == "a100q"
    assert config["executor"] == "slurm" and "slurm-no-account" not in config
    assert install("lab42", "a100q", dest=dest) == dest  # the same copy again: nothing to do
    edited = (dest / "config.v8+.yaml").read_text().replace("jobs: 50", "jobs: 10")
    (dest / "config.v8+.yaml").write_text(edited)
    with pytest.raises(UserError, match=r"already exists and differs .* FORCE=1"):
        install("lab42", dest=dest)
    assert (dest / "config.v8+.yaml").read_text() == edited  # the user's edit survives a refusal
    install("lab42", force=True, dest=dest)
    backups = list(tmp_path.glob("snakemake/slurm.bak-*"))
    assert len(backups) == 1 and (backups[0] / "config.v8+.yaml").read_text() == edited


@pytest.mark.parametrize("account", ["", "my account", "$(rm -rf ~)", "-A"])
def test_a_missing_or_malformed_account_is_refused(tmp_path, account):
    from reprokit.cluster.profile import install

    with pytest.raises(UserError, match="(is missing|is not a SLURM account name).* make slurm-profile ACCOUNT="):
        install(account, dest=tmp_path / "slurm")
    assert not (tmp_path / "slurm").exists()


def test_submitting_without_an_account_is_refused_naming_the_rules():
    from reprokit.cluster.profile import account_problem

    jobs = [("fetch_paper", True, None), ("train_run", False, None), ("smoke_tier", False, "")]
    assert "no slurm_account for smoke_tier, train_run" in account_problem("slurm", jobs)
    assert account_problem("slurm", [("train_run", False, "lab42")]) is None
    assert account_problem("local", jobs) is None and account_problem(None, jobs) is None


def test_the_job_list_says_how_to_cancel():
    from reprokit.cluster.jobs import describe

    jobs = [{"id": "12", "state": "RUNNING", "elapsed": "1:02", "limit": "5:00", "driver": "d-1",
             "comment": "rule_train_run_wildcards_mnist1d_cnn-seed0", "workdir": "/p"}]
    text = describe(jobs)
    assert "rule_train_run_wildcards_mnist1d_cnn-seed0" in text and "scancel 12" in text
    assert describe([]).startswith("no queued or running SLURM job")
