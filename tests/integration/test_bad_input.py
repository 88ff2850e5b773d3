"""Bad input, tried as a careless user would.

One small workspace is built once (the bundled example: one model, one seed, 40 steps, in a copy of the
whole project). Each case starts from a fresh copy of that project folder (so every case also moves the
project) and makes one mistake (a config value, a command-line value, a missing or hostile file, a corrupt
workspace file).

Through the literal command `snakemake results.md` (every command-line and corrupt-file case, and some of each
kind of settings mistake): a non-zero exit, exactly one `error:` sentence naming the input, no traceback, and
every previously good output still there, byte for byte (the corrupted file itself, and the outputs of the jobs
that read it, which Snakemake reruns, aside).

The other settings mistakes are refused before any job by what the Snakefile runs first (``check_yaml``, then
``reprokit.config.workflow_config``); they are tested in-process through that same entry, in the project copy:
one sentence (a UserError, never another exception) naming the input.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from reprokit.config import check_yaml, workflow_config
from reprokit.errors import UserError
from tests.conftest import ROOT, git_available

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not git_available(), reason="git is not installed")]
PAPER = "mnist1d"
WS = Path("repro") / PAPER


def snakemake(project: Path, *args: str) -> subprocess.CompletedProcess:
    # the copy's own reprokit for its jobs (a user's clone has it installed: make demo)
    return subprocess.run([sys.executable, "-m", "snakemake", "--cores", "1", *args], cwd=project,
                          capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(project)})


def copy_project(dst: Path) -> None:
    """The project's own files (tracked or new, not ignored): what a user's clone holds."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file() and not rel.startswith(("tests/", "repro/", "logs/")):
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dst / rel)


def config_of(project: Path) -> dict:
    return yaml.safe_load((project / "config" / "config.yaml").read_text())


def write_config(project: Path, config: dict) -> None:
    (project / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def snapshot(project: Path) -> dict[str, str]:
    """Every workspace output and results.md, by content (kept copies, locks, Snakemake's directory stamps,
    code/'s git store and training's own checkpoints and events aside)."""
    files = [p for p in (project / "repro").rglob("*") if p.is_file() and not {".last-good", ".git", "tb"} & set(p.parts)
             and p.name not in (".lock", ".snakemake_timestamp") and not p.name.startswith("checkpoint")]
    files.append(project / "results.md")
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    project = tmp_path_factory.mktemp("good")
    copy_project(project)
    config = config_of(project)
    paper = config["papers"][PAPER]
    paper.update(models=[{"name": "logreg", "paper_row": "Logistic regression"}], seeds=[0],
                 overrides={"schedule.total_steps": 40, "schedule.eval_every": 20})
    write_config(project, config)
    done = snakemake(project, "results.md")
    assert done.returncode == 0, done.stderr[-4000:]
    return project, snapshot(project)


def rerun(output: str) -> set[str]:
    """The outputs of every job this run started (from Snakemake's own report)."""
    return {path.strip() for line in re.findall(r"^\s+output: (.*)$", output, re.MULTILINE) for path in line.split(",")}


def test_a_moved_project_reruns_nothing(good, tmp_path):
    project, _ = good
    moved = tmp_path / "elsewhere" / "project"
    shutil.copytree(project, moved, symlinks=True)
    done = snakemake(moved, "-n", "results.md")
    assert "Nothing to be done" in done.stdout + done.stderr, done.stdout[-3000:]


# ---- the mistakes ------------------------------------------------------------------------------------------
Mistake = Callable[[Path], list[str]]  # changes the project; returns extra command-line arguments


def settings(mistake: Mistake) -> Mistake:
    """Mark a mistake in the settings (the config file and the files it names): refused before any job."""
    mistake.settings = True  # type: ignore[attr-defined]
    return mistake


def config_change(change: Callable[[dict], None]) -> Mistake:
    def apply(project: Path) -> list[str]:
        config = config_of(project)
        change(config)
        write_config(project, config)
        return []

    return settings(apply)


def paper_value(key: str, value) -> Mistake:
    return config_change(lambda config: config["papers"][PAPER].__setitem__(key, value))


def top_value(key: str, value) -> Mistake:
    return config_change(lambda config: config.__setitem__(key, value))


def override(name: str, value) -> Mistake:
    return config_change(lambda config: config["papers"][PAPER]["overrides"].__setitem__(name, value))


def dataset(**values) -> Mistake:
    return config_change(lambda config: config["papers"][PAPER]["dataset"].update(values))


def smoke_value(key: str, value) -> Mistake:
    return config_change(lambda config: config.setdefault("smoke", {}).__setitem__(key, value))


def command_line(*args: str) -> Mistake:
    return lambda project: list(args)


def config_text(text: bytes) -> Mistake:
    def apply(project: Path) -> list[str]:
        (project / "config" / "config.yaml").write_bytes(text)
        return []

    return settings(apply)


def own_file(key: str, name: str, content: bytes) -> Mistake:
    """The paper's `key` points at a file the user wrote (a task, code facts)."""

    def apply(project: Path) -> list[str]:
        (project / name).write_bytes(content)
        return paper_value(key, name)(project)

    return settings(apply)


def corrupt(rel: str, content: bytes) -> Mistake:
    def apply(project: Path) -> list[str]:
        (project / WS / rel).write_bytes(content)
        return []

    return apply


GOOD_TASK = (ROOT / "examples" / "mnist1d" / "task.py").read_bytes()
CASES: list[tuple[str, Mistake, str]] = [
    # config values the schema refuses
    ("seeds-text", paper_value("seeds", "three"), "papers/mnist1d/seeds: 'three' is not of type 'array'"),
    ("seeds-negative", paper_value("seeds", [-1]), "papers/mnist1d/seeds/0: -1 is less than the minimum of 0"),
    ("seeds-empty", paper_value("seeds", []), "papers/mnist1d/seeds: [] should be non-empty"),
    ("seeds-repeated", paper_value("seeds", [1, 1]), "papers/mnist1d/seeds: [1, 1] has non-unique elements"),
    ("model-name-capitals", paper_value("models", [{"name": "LogReg", "paper_row": "x"}]), "does not match"),
    ("model-without-row", paper_value("models", [{"name": "logreg"}]), "'paper_row' is a required property"),
    ("unit-unknown", paper_value("paper_unit", "percents"), "'percents' is not one of ['auto', 'percent', 'fraction']"),
    ("tolerance-negative", paper_value("tolerance", -1), "papers/mnist1d/tolerance: -1 is less than or equal to"),
    ("disagreement-below-tolerance", paper_value("disagreement", 2.0), "disagreement: 2.0 is not above the tolerance"),
    ("guess-share-above-one", paper_value("max_guess_share", 2), "max_guess_share: 2 is greater than the maximum"),
    ("strict-text", paper_value("strict", "yes"), "papers/mnist1d/strict: 'yes' is not of type 'boolean'"),
    ("unknown-paper-key", paper_value("epochs", 5), "Additional properties are not allowed ('epochs' was unexpected)"),
    ("overrides-a-list", paper_value("overrides", ["optimizer.lr"]), "overrides: ['optimizer.lr'] is not of type"),
    ("threads-zero", top_value("threads_per_run", 0), "threads_per_run: 0 is less than the minimum of 1"),
    ("gpus-text", top_value("gpus_per_run", "two"), "gpus_per_run: 'two' is not of type 'integer'"),
    ("checkpoint-every-zero", top_value("checkpoint_every", 0), "checkpoint_every: 0 is less than the minimum of 1"),
    ("clone-timeout-negative", top_value("clone_timeout_s", -5), "clone_timeout_s: -5 is less than the minimum"),
    ("unknown-top-key", top_value("seed", 1), "Additional properties are not allowed ('seed' was unexpected)"),
    ("papers-a-list", top_value("papers", ["mnist1d"]), "config key papers: ['mnist1d'] is not of type 'object'"),
    ("smoke-iterations-few", smoke_value("iterations", 2), "smoke/iterations: 2 is less than the minimum of 6"),
    ("smoke-window-too-big", smoke_value("window", 50), "smoke/window: 50 is larger than smoke/iterations (20)"),
    ("smoke-margin-below-one", smoke_value("runtime_margin", 0.5), "runtime_margin: 0.5 is less than the minimum"),
    # the upstream route's settings (docs/upstream.md)
    ("route-unknown", paper_value("implementation", "official"), "'official' is not one of ['auto', 'harness'"),
    ("route-upstream-without-code", config_change(lambda c: c["papers"][PAPER].update(implementation="upstream",
                                                                                       code="none")),
     "implementation: `upstream` runs the official code, but `code` is none"),
    ("route-both-without-task", config_change(lambda c: c["papers"][PAPER].update(implementation="both", task=None)),
     "implementation: `both` trains the official code and the task's reimplementation, but no `task` is set"),
    ("trust-text", paper_value("trust_upstream", "yes"), "papers/mnist1d/trust_upstream: 'yes' is not of type 'boolean'"),
    ("metrics-two-sources", paper_value("metrics_from", {"jsonl": "a.jsonl", "csv": "b.csv", "key": "acc"}),
     "metrics_from: give exactly one of tensorboard, jsonl, json, csv, stdout (given: jsonl, csv)"),
    ("metrics-stdout-no-group", paper_value("metrics_from", {"stdout": r"acc (\d+)"}),
     "metrics_from/stdout: needs a (?P<value>...) group"),
    ("metrics-unknown-key", paper_value("metrics_from", {"jsonl": "a.jsonl", "field": "acc"}),
     "Additional properties are not allowed ('field' was unexpected)"),
    ("loss-pattern-broken", paper_value("smoke_loss_pattern", "loss ((?P<value>"), "smoke_loss_pattern: not a regular"),
    ("token-name-bad", paper_value("tokens", ["HF TOKEN"]), "papers/mnist1d/tokens/0: 'HF TOKEN' does not match"),
    # ledger overrides, judged by what the harness accepts
    ("lr-text", override("optimizer.lr", "abc"), "overrides/optimizer.lr: 'abc' is not a number"),
    ("lr-negative", override("optimizer.lr", -1), "overrides/optimizer.lr: -1 is out of range (it must be above 0)"),
    ("lr-zero", override("optimizer.lr", 0), "overrides/optimizer.lr: 0 is out of range"),
    ("lr-infinite", override("optimizer.lr", float("inf")), "overrides/optimizer.lr: inf is not a number"),
    ("batch-text", override("batch.batch_size", "big"), "overrides/batch.batch_size: 'big' is not a whole number"),
    ("batch-zero", override("batch.batch_size", 0), "overrides/batch.batch_size: 0 is out of range"),
    ("batch-fraction", override("batch.batch_size", 2.5), "overrides/batch.batch_size: 2.5 is not a whole number"),
    ("steps-negative", override("schedule.total_steps", -5), "overrides/schedule.total_steps: -5 is out of range"),
    ("steps-zero", override("schedule.total_steps", 0), "overrides/schedule.total_steps: 0 is out of range"),
    ("beta1-above-one", override("optimizer.beta1", 1.5), "overrides/optimizer.beta1: 1.5 is out of range"),
    ("momentum-negative", override("optimizer.momentum", -0.1), "overrides/optimizer.momentum: -0.1 is out of range"),
    ("smoothing-two", override("loss.label_smoothing", 2), "overrides/loss.label_smoothing: 2 is out of range"),
    ("grad-clip-negative", override("tricks.grad_clip", -1), "overrides/tricks.grad_clip: -1 is out of range"),
    ("weight-decay-list", override("optimizer.weight_decay", [0.1]), "weight_decay: [0.1] is not a number"),
    ("override-misspelt", override("optimiser.lr", 0.1), "overrides/optimiser.lr: not a ledger entry"),
    ("task-knob-text", override("architecture.mlp.hidden_width", "wide"),
     "overrides/architecture.mlp.hidden_width: 'wide' is not a whole number (task knob"),
    # dataset settings, judged by the task's DATA_ARGS
    ("data-arg-unknown", dataset(args={"samples": 10}), "'samples' is not an argument of the task's make_data"),
    ("data-arg-type", dataset(args={"num_samples": "many"}), "num_samples: 'many' is not a whole number"),
    ("data-arg-bool", dataset(args={"shuffle_seq": "no"}), "shuffle_seq: 'no' is not true or false"),
    ("data-args-list", dataset(args=[1, 2]), "dataset/args: [1, 2] is not of type 'object'"),
    ("data-source-unknown", dataset(source="imagenet"), "dataset/source: 'imagenet' is not supported; use `task`"),
    # the paper, the code, the task and the facts the config names
    ("paper-unknown", top_value("paper", "nonexistent"), "'nonexistent' is neither one of the configured papers"),
    ("paper-file-missing", top_value("paper", "missing.html"), "paper file missing.html does not exist"),
    ("source-missing", paper_value("source", "/nonexistent/paper.html"), "paper file /nonexistent/paper.html does"),
    ("source-ftp", paper_value("source", "ftp://example.org/paper.html"), "uses ftp://, which is not fetched"),
    ("source-empty", paper_value("source", ""), "papers/mnist1d/source: '' should be non-empty"),
    ("task-missing", paper_value("task", "examples/mnist1d/tsak.py"), "task: file examples/mnist1d/tsak.py does not"),
    ("task-syntax", own_file("task", "mytask.py", b"def broken(:\n"), "task file mytask.py fails to import"),
    ("task-not-python", own_file("task", "task.py.bak", GOOD_TASK), "task file task.py.bak is not a Python file"),
    ("task-no-models", own_file("task", "mytask.py", b"LOSS = 'mse'\n"), "task mytask.py defines no MODELS"),
    ("task-raises", own_file("task", "mytask.py", b"raise RuntimeError('no GPU here')\n"),
     "fails to import (RuntimeError: no GPU here)"),
    ("task-model-missing", own_file("task", "mytask.py", GOOD_TASK.replace(b'"logreg":', b'"linear":')),
     "models/0/name: 'logreg' is not a model of task mytask.py (its MODELS: cnn, gru, linear, mlp)"),
    ("model-not-in-task", paper_value("models", [{"name": "resnet", "paper_row": "ResNet"}]),
     "models/0/name: 'resnet' is not a model of task examples/mnist1d/task.py"),
    # the results-table labels, checked against the paper before any job
    ("metric-column-unknown", paper_value("metric_column", "Top-5"), "metric_column 'Top-5' names no column with a "
     "value for 'Logistic regression' in Table 2 (its columns with a value: Test accuracy (%))"),
    ("paper-row-unknown", paper_value("models", [{"name": "logreg", "paper_row": "Logistic regresion"}]),
     "paper_row 'Logistic regresion' of model logreg is neither a row label nor a column header of the paper's results "
     "tables (Table 2 rows: Logistic regression, MLP, CNN, GRU"),
    ("facts-missing", paper_value("code_facts", "examples/mnist1d/facts.yaml"), "code_facts: file examples/mnist1d"),
    ("facts-bad-yaml", own_file("code_facts", "facts.yaml", b"facts: [\n"), "code facts file facts.yaml is not plain"),
    ("facts-python-tag", own_file("code_facts", "facts.yaml", b"facts: !!python/object/apply:os.system ['id']\n"),
     "code facts file facts.yaml is not plain UTF-8 YAML"),
    ("facts-not-utf8", own_file("code_facts", "facts.yaml", b"facts:\n- name: \xff\xfe\n"), "is not plain UTF-8"),
    ("facts-wrong-shape", own_file("code_facts", "facts.yaml", b"facts: {lr: 0.1}\n"), "must hold `facts:`, a list"),
    ("facts-nested-value", own_file("code_facts", "facts.yaml",
                                    b"facts:\n- {name: lr, value: {a: 1}, path: t.py, line: 3, kind: default}\n"),
     "entry 1: `value` of lr must be a number"),
    ("code-folder-missing", paper_value("code", "/nonexistent/code"),
     "code: '/nonexistent/code' is neither an existing folder nor one of"),
    ("code-ext-transport", paper_value("code", "ext::sh -c touch% /tmp/pwned x.git"),
     "code: code URL 'ext::sh -c touch% /tmp/pwned x.git' is not a plain https/ssh/file git URL"),
    ("code-option-url", paper_value("code", "--upload-pack=touch /tmp/pwned x.git"), "is not a plain https/ssh/file"),
    ("code-the-project", paper_value("code", "."), "contains the workspace"),
    ("code-inside-workspace", paper_value("code", "repro/mnist1d/code"), "lies inside the workspace"),
    ("code-package-missing", paper_value("code", "package:no-such-dist"), "no-such-dist is not an installed"),
    ("code-package-bad-name", paper_value("code", "package:../x"), "does not name a distribution"),
    # the config file itself
    ("config-bad-yaml", config_text(b"paper: mnist1d\npapers:\n  mnist1d: {source: [\n"),
     "config/config.yaml line 4, column 1 is not valid YAML"),
    ("config-tabs", config_text(b"paper: mnist1d\npapers:\n\tmnist1d: {}\n"), "config/config.yaml line 3, column 1"),
    ("config-not-utf8", config_text(b"paper: mnist1d\n# caf\xe9\n"), "config/config.yaml is not UTF-8 text"),
    # the command line
    ("cli-unknown-paper", command_line("--config", "paper=nonexistent"), "'nonexistent' is neither one of"),
    ("cli-unknown-key", command_line("--config", "seeds=3"), "('seeds' was unexpected)"),
    ("cli-threads-text", command_line("--config", "threads_per_run=abc"), "threads_per_run: 'abc' is not of type"),
    ("cli-nested-text", command_line("--config", 'papers={"mnist1d": {"seeds": ["x"]}}'),
     "papers/mnist1d/seeds/0: 'x' is not of type 'integer'; fix it on the command line (--config papers=...)"),
    # corrupt workspace files (each consumer names the file and the fix)
    ("paper-json-garbage", corrupt("paper.json", b"garbage{"), "repro/mnist1d/paper.json is not valid JSON"),
    ("paper-json-empty", corrupt("paper.json", b""), "repro/mnist1d/paper.json is not valid JSON"),
    ("paper-json-list", corrupt("paper.json", b"[1, 2]"), "repro/mnist1d/paper.json"),
    ("paper-json-no-keys", corrupt("paper.json", b"{}"), "repro/mnist1d/paper.json"),
    ("gaps-json-truncated", corrupt("gaps.json", b'{"entries": [{"name": "optim'), "repro/mnist1d/gaps.json"),
    ("code-hparams-garbage", corrupt("code_hparams.json", b"\x00\x01"), "repro/mnist1d/code_hparams.json"),
    ("dataset-npz-garbage", corrupt("data/dataset.npz", b"not a zip file"), "repro/mnist1d/data/dataset.npz"),
    ("dataset-npz-empty", corrupt("data/dataset.npz", b""), "repro/mnist1d/data/dataset.npz"),
    ("dataset-json-garbage", corrupt("dataset.json", b"{"), "repro/mnist1d/dataset.json"),
    ("smoke-status-corrupt", corrupt("smoke_logs/smoke_status.json", b'{"ok": tru'), "smoke_status.json"),
    ("tier-record-corrupt", corrupt("smoke_logs/tier1_forward.json", b"[]"), "tier1_forward.json"),
    ("run-plan-corrupt", corrupt("run_plan.json", b"null"), "repro/mnist1d/run_plan.json"),
    ("metrics-truncated", corrupt("runs/logreg-seed0/metrics.json", b'{"steps": [0, 20'), "metrics.json"),
    ("metrics-unfinished", corrupt("runs/logreg-seed0/metrics.json", b'{"steps": [], "finished": false}'),
     "metrics.json"),
    ("implementation-garbage", corrupt("implementation.json", b"implementation"), "repro/mnist1d/implementation.json"),
    ("upstream-json-garbage", corrupt("upstream.json", b"{]"), "repro/mnist1d/upstream.json"),
    ("source-html-garbage", lambda project: corrupt("source/paper.html", b"\x00\x01garbage")(project) + [
        "-R", "extract_paper"], "paper.html"),
]


# settings mistakes also run as the literal command: at least one of each kind (schema, override, dataset args,
# route, task file, facts file, code setting, results-table label, config file)
LITERAL = {"seeds-text", "smoke-window-too-big", "lr-negative", "data-arg-unknown", "route-upstream-without-code",
           "task-syntax", "facts-bad-yaml", "code-folder-missing", "metric-column-unknown", "config-bad-yaml",
           "paper-unknown"}
IN_PROCESS = [(name, m, msg) for name, m, msg in CASES if getattr(m, "settings", False) and name not in LITERAL]
THROUGH_SNAKEMAKE = [(name, m, msg) for name, m, msg in CASES if (name, m, msg) not in IN_PROCESS]


@pytest.mark.parametrize(("mistake", "message"), [pytest.param(m, msg, id=name) for name, m, msg in IN_PROCESS])
def test_a_settings_mistake_is_one_sentence_before_any_job(good, tmp_path, monkeypatch, mistake, message):
    source, _ = good
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    assert mistake(project) == []
    monkeypatch.chdir(project)
    with pytest.raises(UserError) as caught:  # what the Snakefile runs before any rule, in its order
        check_yaml("config/config.yaml")
        workflow_config(config_of(project), project)
    sentence = str(caught.value)
    assert message in f"error: {sentence}" and "\n" not in sentence, sentence


@pytest.mark.parametrize(("mistake", "message"), [pytest.param(m, msg, id=name) for name, m, msg in THROUGH_SNAKEMAKE])
def test_a_mistake_is_one_sentence_and_loses_nothing(good, tmp_path, mistake, message):
    source, before = good
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    args = mistake(project)
    mutated = {rel for rel, digest in snapshot(project).items() if before.get(rel) != digest}
    done = snakemake(project, "results.md", *args)
    output = done.stdout + done.stderr
    errors = sorted({line for line in output.splitlines() if line.startswith("error: ")})
    assert done.returncode != 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert len(errors) == 1 and message in errors[0], output[-3000:]
    after, rerun_outputs = snapshot(project), rerun(output)
    lost = [rel for rel, digest in before.items() if rel not in mutated and after.get(rel) != digest
            and not any(rel == o or rel.startswith(o + "/") for o in rerun_outputs)]
    assert not lost, f"lost or changed, though no job of this run made it: {lost}"
    if not mutated & set(before):  # a mistake in the settings is refused before any job runs
        assert not rerun_outputs and after == before, output[-3000:]
