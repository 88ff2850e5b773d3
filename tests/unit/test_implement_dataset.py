"""Stages 4 and 5: the implementation repository and the dataset record."""

import json
import subprocess
import sys

import numpy as np
import pytest
import yaml

from reprokit.dataset.prepare import prepare_dataset
from reprokit.errors import UserError
from reprokit.gaps.ledger import nested_config
from tests.conftest import git_available

pytestmark = pytest.mark.skipif(not git_available(), reason="git is not installed")


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_config_first_then_one_commit_per_filled_gap(workspace):
    ledger = json.loads((workspace / "gaps.json").read_text())
    repo = workspace / "code"
    subjects = git(repo, "log", "--reverse", "--format=%s").splitlines()
    filled = [e for e in ledger["entries"] if e["tag"] != "paper"]
    assert subjects[0].startswith("Config first")
    assert len(subjects) == 1 + len(filled)
    for subject, e in zip(subjects[1:], filled):
        assert subject.startswith(f"Fill {e['name']} = ") and subject.endswith(e["tag_text"])
    first = yaml.safe_load(git(repo, "show", "HEAD~" + str(len(filled)) + ":configs/repro-default.yaml"))
    assert first["optimizer"]["lr"] == 0.01 and "beta1" not in first["optimizer"]
    final = yaml.safe_load((repo / "configs" / "repro-default.yaml").read_text())
    assert final == nested_config(ledger)
    assert git(repo, "status", "--porcelain") == ""


def test_debug_mode_runs_ten_iterations(workspace, tmp_path):
    out = tmp_path / "run"
    subprocess.run([sys.executable, str(workspace / "code" / "train.py"), "--config",
                    str(workspace / "code" / "configs" / "repro-default.yaml"), "--model", "cnn", "--data",
                    str(workspace / "data" / "dataset.npz"), "--run-dir", str(out), "--debug-mode"], check=True,
                   capture_output=True)
    metrics = json.loads((out / "metrics-debug.json").read_text())
    assert metrics["final_step"] == 10 and metrics["steps"] == [0, 10]


def test_dataset_counts_match_the_paper(workspace):
    record = json.loads((workspace / "dataset.json").read_text())
    checks = {c["what"]: c for c in record["checks"]}
    assert checks["train_size"]["ours"] == checks["train_size"]["paper"] == 4000
    assert checks["test_size"]["ours"] == checks["test_size"]["paper"] == 1000
    assert all(c["ok"] for c in checks.values())
    with np.load(workspace / "data" / "dataset.npz") as data:
        assert data["x"].shape == (4000, 40) and data["x_test"].shape == (1000, 40)
    assert "No substitution" in (workspace / "dataset_substitution.md").read_text()


def test_count_mismatch_is_refused_unless_a_substitution_is_recorded(workspace, tmp_path):
    outs = [str(tmp_path / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    with pytest.raises(UserError, match="the paper states 4000"):
        prepare_dataset(str(workspace / "paper.json"), {"source": "mnist1d", "args": {"num_samples": 1000}}, *outs)
    assert list(tmp_path.iterdir()) == []
    reason = "a 1000-sample draw keeps the CPU demo short"
    prepare_dataset(str(workspace / "paper.json"), {"source": "mnist1d", "args": {"num_samples": 1000},
                                                     "substitution": reason}, *outs)
    assert reason in (tmp_path / "dataset_substitution.md").read_text()
    assert "MISMATCH" in (tmp_path / "dataset.md").read_text()


@pytest.mark.parametrize(("cfg", "message"), [({"source": "imagenet"}, "is not supported"),
                                               ({"source": "mnist1d", "args": {"nope": 1}}, "not an mnist1d generator")])
def test_bad_dataset_config(workspace, tmp_path, cfg, message):
    outs = [str(tmp_path / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    with pytest.raises(UserError, match=message):
        prepare_dataset(str(workspace / "paper.json"), cfg, *outs)


class HubFiles:
    """A local server speaking the Hub's file protocol (HEAD + GET on /datasets/<repo>/resolve/<rev>/<file>)."""

    def __init__(self, files: dict[str, bytes]):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, with_body: bool):
                body = outer.files.get(self.path.split("?")[0])
                if body is None:
                    self.send_response(404)
                    self.send_header("X-Error-Code", "EntryNotFound")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("X-Repo-Commit", "a" * 40)
                self.send_header("ETag", '"etag-1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body:
                    self.wfile.write(body)

            def do_HEAD(self):
                self._answer(False)

            def do_GET(self):
                self._answer(True)

        self.files = files
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"


def test_hugging_face_first_then_the_generator_with_attempts_recorded(workspace, tmp_path, monkeypatch):
    npz = (workspace / "data" / "dataset.npz").read_bytes()
    hub = HubFiles({"/datasets/org/mnist1d/resolve/main/mnist1d.npz": npz})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    outs = [str(tmp_path / "a" / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    record = prepare_dataset(str(workspace / "paper.json"), {"source": "mnist1d", "hf_repo": "org/mnist1d"}, *outs)
    assert record["origin"] == {"kind": "huggingface", "repo_id": "org/mnist1d", "commit": "a" * 40}
    assert all(c["ok"] for c in record["checks"])
    outs = [str(tmp_path / "b" / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    record = prepare_dataset(str(workspace / "paper.json"), {"source": "mnist1d", "hf_repo": "org/missing"}, *outs)
    assert record["origin"]["kind"] == "generator"
    assert [a["route"] for a in record["attempts"]] == ["hf:org/missing", "generator mnist1d"]
    assert "hf:org/missing" in (tmp_path / "b" / "dataset_substitution.md").read_text()
    hub.httpd.shutdown()
