"""Faults through real Snakemake runs: a re-fetch or re-clone whose source is gone keeps the last good copy
(Snakemake deletes a job's outputs before it runs), and bad config values stop the run before any job."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_HTML, EXAMPLE_TASK, ROOT, git_available

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir),
                           "--cores", "1", *args], capture_output=True, text=True, timeout=600)


def write_config(workdir: Path, **paper) -> None:
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["papers"] = {"web": {"models": [], **paper}}
    config["paper"] = "web"
    (workdir / "config").mkdir(exist_ok=True)
    (workdir / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_refetch_or_reclone_with_the_source_gone_keeps_the_last_good_copy(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "paper.html").write_bytes(EXAMPLE_HTML.read_bytes())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "train.py").write_text("import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', default=0.1)\n")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(origin), *args], check=True)
    workdir = tmp_path / "work"
    workdir.mkdir()
    write_config(workdir, source=f"http://127.0.0.1:{httpd.server_address[1]}/paper.html", code=origin.as_uri())
    first = snakemake(workdir, "repro/web/inventory.md")
    assert first.returncode == 0, first.stderr[-3000:]
    ws = workdir / "repro" / "web"
    paper_md = (ws / "paper.md").read_text()
    httpd.shutdown()
    httpd.server_close()
    subprocess.run(["rm", "-rf", str(origin)], check=True)

    refetch = snakemake(workdir, "-R", "fetch_paper", "--", "repro/web/source")
    assert refetch.returncode == 0, refetch.stderr[-3000:]
    assert "re-fetching the paper failed" in refetch.stderr and "kept the previous copy" in refetch.stderr
    assert (ws / "source" / "paper.html").read_bytes() == EXAMPLE_HTML.read_bytes()
    assert (ws / "paper.md").read_text() == paper_md

    reclone = snakemake(workdir, "-R", "clone_code", "--", "repro/web/upstream.json")
    assert reclone.returncode == 0, reclone.stderr[-3000:]
    assert "re-cloning the code failed" in reclone.stderr and "git could not clone" in reclone.stderr
    assert (ws / "upstream" / "train.py").is_file() and (ws / "upstream.json").is_file()
    inventory = (ws / "inventory.md").read_text()
    again = snakemake(workdir, "repro/web/inventory.md")
    # the restored folder is newer, so only the (cheap) inventory reads it again, with the same result
    assert again.returncode == 0 and "rule extract_paper" not in again.stdout + again.stderr
    assert (ws / "inventory.md").read_text() == inventory


def test_a_research_or_redownload_with_the_service_gone_keeps_the_last_good_copy(workspace, tmp_path, monkeypatch):
    from tests.unit.test_discover import GitHub, repo
    from tests.unit.test_implement_dataset import HubFiles

    GitHub.search, GitHub.readmes, GitHub.limited, GitHub.seen = {"": [repo("someone/mnist1d")]}, {}, [], []
    github = ThreadingHTTPServer(("127.0.0.1", 0), GitHub)
    threading.Thread(target=github.serve_forever, daemon=True).start()
    workdir = tmp_path / "work"
    workdir.mkdir()
    hub = HubFiles({"/datasets/org/data/resolve/main/dataset.npz": (workspace / "data/dataset.npz").read_bytes()})
    monkeypatch.setenv("REPROKIT_GITHUB_API_URL", f"http://127.0.0.1:{github.server_address[1]}")
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    write_config(workdir, source=str(EXAMPLE_HTML), code="auto", task=str(EXAMPLE_TASK),
                 dataset={"source": "hf:org/data"})
    first = snakemake(workdir, "repro/web/code_candidates.json", "repro/web/dataset.md")
    assert first.returncode == 0, first.stderr[-3000:]
    ws = workdir / "repro" / "web"
    candidates, data = (ws / "code_candidates.json").read_text(), (ws / "data" / "dataset.npz").read_bytes()
    assert "someone/mnist1d" in candidates and "huggingface" in (ws / "dataset.json").read_text()
    for server in (github, hub.httpd):
        server.shutdown()
        server.server_close()
    subprocess.run(["rm", "-rf", str(ws / "data" / ".hf-cache")], check=True)

    research = snakemake(workdir, "-R", "discover_code", "--", "repro/web/code_candidates.json")
    assert research.returncode == 0, research.stderr[-3000:]
    assert "searching for the code again failed" in research.stderr and "kept the previous copy" in research.stderr
    assert (ws / "code_candidates.json").read_text() == candidates
    again = snakemake(workdir, "-R", "prepare_dataset", "--", "repro/web/dataset.md")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "preparing the dataset again failed" in again.stderr and "could not be fetched" in again.stderr
    assert (ws / "data" / "dataset.npz").read_bytes() == data


@pytest.mark.parametrize(("override", "message"), [
    ({"optimizer.lr": "abc"}, "overrides/optimizer.lr: 'abc' is not a number"),
    ({"batch.batch_size": 0}, "overrides/batch.batch_size: 0 is out of range"),
])
def test_a_bad_override_stops_the_run_before_any_job_and_deletes_nothing(tmp_path, override, message):
    write_config(tmp_path, source=str(EXAMPLE_HTML), code="none", overrides=override)
    (tmp_path / "repro" / "web").mkdir(parents=True)
    (tmp_path / "repro" / "web" / "results.md").write_text("an earlier good result\n")
    done = snakemake(tmp_path, "repro/web/paper.md")
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "repro" / "web" / "results.md").read_text() == "an earlier good result\n"
    assert not (tmp_path / "repro" / "web" / "source").exists()


LINKED = """<html><head><title>FOO</title></head><body><article class="ltx_document">
<h1 class="ltx_title ltx_title_document">FOO: Fast Optimisation Of Objectives</h1>
<div class="ltx_abstract"><p class="ltx_p">We propose FOO. Code: https://github.com/me/foo.</p></div>
<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section">1 Method</h2>
<div class="ltx_para"><p class="ltx_p">Our implementation is also mirrored at https://github.com/me/foo-mirror.
We compare with TENT (Wang et al., 2021), whose code is at https://github.com/other/tent. We train with Adam
with a learning rate of 0.001 and a batch size of 64.</p></div></section></article></body></html>"""


def test_code_that_cannot_be_reached_falls_back_to_the_next_link_then_to_the_paper(tmp_path, monkeypatch):
    """github.com is this test's folder (git's url.insteadOf), so the clones are real and offline."""
    hosted = tmp_path / "gh"
    mirror = hosted / "me" / "foo-mirror"
    mirror.mkdir(parents=True)
    (mirror / "train.py").write_text("import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', default=0.001)\n")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", "-C", str(mirror), *args], check=True)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", f"url.{hosted.as_uri()}/.insteadOf")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "https://github.com/")
    (tmp_path / "paper.html").write_text(LINKED)
    for name in ("first", "second"):
        workdir = tmp_path / name
        workdir.mkdir()
        write_config(workdir, source=str(tmp_path / "paper.html"), code="auto")
        config = yaml.safe_load((workdir / "config/config.yaml").read_text())
        (workdir / "config/config.yaml").write_text(yaml.safe_dump({**config, "github_search": False}))
    done = snakemake(tmp_path / "first", "repro/web/gaps_filled.md")
    assert done.returncode == 0, done.stderr[-3000:]
    inventory = (tmp_path / "first/repro/web/inventory.md").read_text()
    assert "https://github.com/me/foo-mirror at commit" in inventory
    assert "Tried first, could not be reached:** https://github.com/me/foo: git could not clone" in inventory
    assert "other/tent" not in inventory

    subprocess.run(["rm", "-rf", str(mirror)], check=True)  # now nothing can be reached: stage 3 goes on
    done = snakemake(tmp_path / "second", "repro/web/gaps_filled.md")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "warning: no code could be reached (https://github.com/me/foo: git could not clone" in done.stderr
    assert "stage 3 goes on from the paper alone" in done.stderr
    inventory = (tmp_path / "second/repro/web/inventory.md").read_text()
    assert "- **Code:** no code could be reached (" in inventory
    assert (tmp_path / "second/repro/web/gaps_filled.md").is_file()
