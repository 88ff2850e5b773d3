"""Stages 4 and 5: the implementation repository and the dataset record."""

import copy
import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import yaml

from reprokit.dataset.prepare import prepare_dataset
from reprokit.errors import UserError
from reprokit.gaps.ledger import nested_config
from reprokit.implement.git import last_user_commit
from reprokit.implement.repo import implement
from tests.conftest import EXAMPLE_TASK, git_available

pytestmark = pytest.mark.skipif(not git_available(), reason="git is not installed")


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_config_first_then_one_commit_per_filled_gap(workspace):
    ledger = json.loads((workspace / "gaps.json").read_text())
    repo = workspace / "code"
    subjects = git(repo, "log", "--reverse", "--format=%s").splitlines()
    filled = [e for e in ledger["entries"] if e["tag"] != "paper"]
    assert subjects[0].startswith("Config first: the task, the entry point")
    assert len(subjects) == 1 + len(filled)
    for subject, e in zip(subjects[1:], filled):
        assert subject.startswith(f"Fill {e['name']} = ") and subject.endswith(e["tag_text"])
    first = yaml.safe_load(git(repo, "show", "HEAD~" + str(len(filled)) + ":configs/repro-default.yaml"))
    assert first["optimizer"]["lr"] == 0.01 and "beta1" not in first["optimizer"]
    assert git(repo, "show", "HEAD~" + str(len(filled)) + ":task.py") == EXAMPLE_TASK.read_text()
    final = yaml.safe_load((repo / "configs" / "repro-default.yaml").read_text())
    assert final == nested_config(ledger)
    assert git(repo, "status", "--porcelain") == ""
    assert "python train.py --config configs/repro-default.yaml" in (repo / "README.md").read_text()


def test_the_entry_point_runs_with_reprokit_installed(workspace, tmp_path):
    out = tmp_path / "run"
    config = yaml.safe_load((workspace / "code" / "configs" / "repro-default.yaml").read_text())
    config["schedule"].update(total_steps=10, eval_every=5)
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(config))
    subprocess.run([sys.executable, str(workspace / "code" / "train.py"), "--config", str(tmp_path / "c.yaml"),
                    "--model", "cnn", "--data", str(workspace / "data" / "dataset.npz"), "--run-dir", str(out)],
                   check=True, capture_output=True, cwd=tmp_path)
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["final_step"] == 10 and metrics["steps"] == [0, 5, 10]


def ledger_with(ledger, **values):
    changed = copy.deepcopy(ledger)
    for e in changed["entries"]:
        if e["name"] in values:
            e.update(value=values[e["name"]], tag="user config", tag_text="[user config]", quote="overrides")
    return changed


def test_a_ledger_change_is_committed_on_top_and_user_commits_survive(workspace, tmp_path):
    code = tmp_path / "ws" / "code"
    shutil.copytree(workspace / "code", code)
    ledger = json.loads((workspace / "gaps.json").read_text())
    (code / "NOTES.md").write_text("my notes\n")
    config_path = code / "configs" / "repro-default.yaml"
    mine = yaml.safe_load(config_path.read_text())
    mine["architecture"]["cnn"]["channels"] = 64  # the user's own value, committed
    config_path.write_text(yaml.safe_dump(mine, sort_keys=False))
    git(code, "add", "-A")
    git(code, "-c", "user.name=Researcher", "-c", "user.email=r@example.org", "commit", "-qm", "my changes")
    before = git(code, "log", "--format=%H").splitlines()
    assert last_user_commit(workspace / "code") == "" and last_user_commit(tmp_path / "absent") == ""
    assert last_user_commit(code) == before[0]  # the rule's param: the researcher's commit reruns stage 4
    (tmp_path / "gaps.json").write_text(json.dumps(ledger_with(ledger, **{"optimizer.lr": 0.005})))
    record = implement(str(tmp_path / "gaps.json"), str(workspace / "paper.json"), str(EXAMPLE_TASK), str(code),
                       str(tmp_path / "implementation.json"))
    after = git(code, "log", "--format=%H").splitlines()
    assert after[1:] == before and git(code, "log", "-1", "--format=%s").startswith("Update optimizer.lr = 0.005")
    final = yaml.safe_load(config_path.read_text())
    assert final["optimizer"]["lr"] == 0.005 and final["architecture"]["cnn"]["channels"] == 64
    assert (code / "NOTES.md").read_text() == "my notes\n"
    assert record["user_edits"] == {"architecture.cnn.channels": {"code": 64, "ledger": 25}}
    assert [c["name"] for c in record["changes"]] == ["optimizer.lr"]
    # the same ledger again: nothing to commit
    implement(str(tmp_path / "gaps.json"), str(workspace / "paper.json"), str(EXAMPLE_TASK), str(code),
              str(tmp_path / "implementation.json"))
    assert git(code, "log", "--format=%H").splitlines() == after
    assert last_user_commit(code) == before[0]  # the workflow's commits on top leave it as it was


def test_a_conflicting_user_edit_stops_with_the_file_and_value(workspace, tmp_path):
    code = tmp_path / "code"
    shutil.copytree(workspace / "code", code)
    ledger = json.loads((workspace / "gaps.json").read_text())
    config_path = code / "configs" / "repro-default.yaml"
    mine = yaml.safe_load(config_path.read_text())
    mine["optimizer"]["lr"] = 0.02
    config_path.write_text(yaml.safe_dump(mine, sort_keys=False))
    git(code, "-c", "user.name=R", "-c", "user.email=r@x", "commit", "-qam", "my lr")
    (tmp_path / "gaps.json").write_text(json.dumps(ledger_with(ledger, **{"optimizer.lr": 0.005})))
    with pytest.raises(UserError, match=r"repro-default.yaml sets optimizer.lr = 0.02 \(your edit\) but the ledger now "
                                        r"gives 0.005"):
        implement(str(tmp_path / "gaps.json"), str(workspace / "paper.json"), str(EXAMPLE_TASK), str(code),
                  str(tmp_path / "implementation.json"))
    assert yaml.safe_load(config_path.read_text())["optimizer"]["lr"] == 0.02
    config_path.write_text(config_path.read_text() + "# uncommitted\n")
    with pytest.raises(UserError, match="has uncommitted edits and the ledger changes optimizer.lr"):
        implement(str(tmp_path / "gaps.json"), str(workspace / "paper.json"), str(EXAMPLE_TASK), str(code),
                  str(tmp_path / "implementation.json"))


def test_no_task_stops_stage_four_with_the_contract_named(workspace, tmp_path):
    with pytest.raises(UserError, match=r"this paper has no `task`; stages 4-7 need one.*docs/task.md"):
        implement(str(workspace / "gaps.json"), str(workspace / "paper.json"), None, str(tmp_path / "code"),
                  str(tmp_path / "implementation.json"))
    assert not (tmp_path / "code").exists()


def test_dataset_counts_match_the_paper(workspace):
    record = json.loads((workspace / "dataset.json").read_text())
    checks = {c["what"]: c for c in record["checks"]}
    assert checks["train_size"]["ours"] == checks["train_size"]["paper"] == 4000
    assert checks["test_size"]["ours"] == checks["test_size"]["paper"] == 1000
    assert all(c["ok"] for c in checks.values())
    with np.load(workspace / "data" / "dataset.npz") as data:
        assert data["train/x"].shape == (4000, 40) and data["test/x"].shape == (1000, 40)
    assert "No substitution" in (workspace / "dataset_substitution.md").read_text()


def test_the_same_draw_writes_the_same_bytes(workspace, tmp_path):
    outs = [str(tmp_path / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    prepare_dataset(str(workspace / "paper.json"), {"source": "task", "args": {}}, *outs, task=str(EXAMPLE_TASK))
    assert (tmp_path / "d.npz").read_bytes() == (workspace / "data" / "dataset.npz").read_bytes()


def test_count_mismatch_is_refused_unless_a_substitution_is_recorded(workspace, tmp_path):
    outs = [str(tmp_path / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    with pytest.raises(UserError, match="the paper states 4000"):
        prepare_dataset(str(workspace / "paper.json"), {"source": "task", "args": {"num_samples": 1000}}, *outs,
                        task=str(EXAMPLE_TASK))
    assert list(tmp_path.iterdir()) == []
    reason = "a 1000-sample draw keeps the CPU demo short"
    prepare_dataset(str(workspace / "paper.json"), {"source": "task", "args": {"num_samples": 1000},
                                                     "substitution": reason}, *outs, task=str(EXAMPLE_TASK))
    assert reason in (tmp_path / "dataset_substitution.md").read_text()
    assert "MISMATCH" in (tmp_path / "dataset.md").read_text()


@pytest.mark.parametrize(("cfg", "task", "message"), [
    ({"source": "imagenet"}, EXAMPLE_TASK, "is not supported"),
    ({"source": "task", "args": {"nope": 1}}, EXAMPLE_TASK, "'nope' is not an argument of the task's make_data"),
    ({"source": "task", "args": {"num_samples": "many"}}, EXAMPLE_TASK, "num_samples: 'many' is not a whole number"),
    ({"source": "task"}, None, "this paper has no `task`"),
])
def test_bad_dataset_config(workspace, tmp_path, cfg, task, message):
    outs = [str(tmp_path / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    with pytest.raises(UserError, match=message):
        prepare_dataset(str(workspace / "paper.json"), cfg, *outs, task=str(task) if task else None)
    assert list(tmp_path.iterdir()) == []


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
    hub = HubFiles({"/datasets/org/mnist1d/resolve/main/dataset.npz": npz})
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    outs = [str(tmp_path / "a" / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    record = prepare_dataset(str(workspace / "paper.json"), {"source": "task", "hf_repo": "org/mnist1d"}, *outs,
                             task=str(EXAMPLE_TASK))
    assert record["origin"] == {"kind": "huggingface", "repo_id": "org/mnist1d", "commit": "a" * 40}
    assert all(c["ok"] for c in record["checks"])
    outs = [str(tmp_path / "b" / n) for n in ("d.npz", "dataset.md", "dataset.json", "dataset_substitution.md")]
    record = prepare_dataset(str(workspace / "paper.json"), {"source": "task", "hf_repo": "org/missing"}, *outs,
                             task=str(EXAMPLE_TASK))
    assert record["origin"]["kind"] == "generator"
    assert [a["route"] for a in record["attempts"]] == ["hf:org/missing", "task generator"]
    assert "hf:org/missing" in (tmp_path / "b" / "dataset_substitution.md").read_text()
    hub.httpd.shutdown()


def test_running_train_py_leaves_code_clean_in_git(workspace, tmp_path):
    """Python's bytecode cache beside task.py is ignored by code/'s clone, so `git status` shows only edits."""
    repo = tmp_path / "code"
    shutil.copytree(workspace / "code", repo, symlinks=True)
    (repo / "__pycache__").mkdir(exist_ok=True)
    (repo / "__pycache__" / "task.cpython-311.pyc").write_bytes(b"\0")
    assert git(repo, "status", "--porcelain") == ""
