"""The task contract: a complete task loads; an incomplete one is one sentence naming the missing piece; the
documentation's minimal task is complete."""

import re

import pytest

from reprokit.errors import UserError
from reprokit.task import load_task
from tests.conftest import EXAMPLE_TASK, ROOT

GOOD = '''
from torch import nn
from reprokit.task import Knob, Metric, accuracy
MODELS = {"mlp": lambda cfg: nn.Linear(4, 2)}
LOSS = "cross_entropy"
METRICS = [Metric("accuracy", accuracy)]
'''


def write(tmp_path, text, name="task.py"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_the_bundled_task_loads_with_its_pieces():
    task = load_task(str(EXAMPLE_TASK))
    assert sorted(task.models) == ["cnn", "gru", "logreg", "mlp"]
    assert task.loss_name == "cross_entropy" and task.primary.unit == "percent" and task.primary.direction == "higher"
    assert task.make_data is not None and task.eval_split == "test"
    assert task.knob_models()["architecture.cnn.channels"] == "cnn"


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace('MODELS = {"mlp": lambda cfg: nn.Linear(4, 2)}', ""), "defines no MODELS"),
    (GOOD.replace('"mlp": lambda', '"MLP": lambda'), "has a model named 'MLP'"),
    (GOOD.replace('"mlp": lambda cfg: nn.Linear(4, 2)', '"mlp": 3'), "maps model 'mlp' to int, not a builder"),
    (GOOD.replace('LOSS = "cross_entropy"', ""), "defines no LOSS"),
    (GOOD.replace('LOSS = "cross_entropy"', 'LOSS = "focal"'), "names LOSS 'focal', which is not built in"),
    (GOOD.replace('METRICS = [Metric("accuracy", accuracy)]', ""), "defines no METRICS"),
    (GOOD.replace('METRICS = [Metric("accuracy", accuracy)]', "METRICS = [accuracy]"), "are not reprokit.task.Metric"),
    (GOOD + 'KNOBS = [Knob("optimizer.lr", float)]', "redefines the core knob optimizer.lr"),
    (GOOD + 'KNOBS = [Knob("architecture.width", int, model="cnn")]', "scopes knob architecture.width to model 'cnn'"),
    (GOOD + 'KNOBS = [Knob("architecture.width", int, (r"(?P<v>\\d+) hidden units",))]',
     "names are the words a paper names the setting with"),
    (GOOD + "make_data = 5", "defines make_data but it is not a function"),
    (GOOD + "raise RuntimeError('oops')", r"fails to import \(RuntimeError: oops\)"),
])
def test_an_incomplete_task_is_one_sentence_naming_the_piece(tmp_path, text, message):
    with pytest.raises(UserError, match=message) as err:
        load_task(write(tmp_path, text))
    assert "docs/task.md" in str(err.value) or "fix the file" in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_module_and_no_task(tmp_path):
    with pytest.raises(UserError, match="task file .*nope.py does not exist; fix `task`"):
        load_task(str(tmp_path / "nope.py"))
    backup = tmp_path / "task.py.bak"
    backup.write_text(GOOD)
    with pytest.raises(UserError, match=r"task file .*task.py.bak is not a Python file \(its name must end in .py\)"):
        load_task(str(backup))
    with pytest.raises(UserError, match="task module 'no_such_package.task' cannot be imported"):
        load_task("no_such_package.task")
    with pytest.raises(UserError, match="this paper has no `task`"):
        load_task("")


def test_the_documentations_minimal_task_is_complete_and_trains(tmp_path):
    doc = (ROOT / "docs" / "task.md").read_text()
    code = re.search(r"```python\n# examples/my-paper/task.py\n(.*?)```", doc, re.DOTALL).group(1)
    task = load_task(write(tmp_path, code))
    splits = task.make_data({})
    assert {k: len(v["x"]) for k, v in splits.items()} == {"train": 1000, "test": 200}
    model = task.models["mlp"]({"architecture": {"width": 16}})
    assert sum(p.numel() for p in model.parameters()) == 8 * 16 + 16 + 16 * 2 + 2
    assert [k.name for k in task.knobs] == ["architecture.width"]


def test_a_whole_set_metric_sees_the_whole_evaluation_split_at_once(tmp_path):
    from reprokit.gaps.ledger import build_ledger, nested_config
    from reprokit.harness.config import RunConfig
    from reprokit.harness.data import save_splits
    from reprokit.harness.train import Trainer

    doc = (ROOT / "docs" / "task.md").read_text()
    code = re.search(r"```python\n# examples/my-paper/task.py\n(.*?)```", doc, re.DOTALL).group(1)
    code += '\nMETRICS.append(Metric("examples seen", lambda out, y: float(len(y)), unit="examples", over="set"))\n'
    task = load_task(write(tmp_path, code))
    save_splits(tmp_path / "d.npz", task.make_data({}))
    paper = {"title": "", "abstract": "", "sections": [], "tables": [], "algorithms": []}
    values = nested_config(build_ledger(paper, [], {"schedule.total_steps": 5}, task.knobs, task.loss_name))
    trainer = Trainer(task, RunConfig.from_values(values, "mlp", 0), tmp_path / "d.npz")
    result = trainer.evaluate()
    assert result["examples seen"] == 200.0 and 0 <= result["accuracy"] <= 100


KNOBBED = GOOD + '''
KNOBS = [Knob("architecture.width", int, guess=(8, "none stated")), Knob("architecture.act", str, guess=("relu", "x")),
         Knob("architecture.sizes", lambda raw, sentence: None, guess=([1], "x"))]
DATA_ARGS = {"seed": 0, "noise": 0.1, "name": "a", "shuffle": False, "extra": None}
'''


def settings_for(task_path, overrides=None, args=None, task=True):
    paper = {"overrides": overrides or {}, "dataset": {"args": args or {}}, "task": task_path if task else None}
    return {"papers": {"p": paper}}


@pytest.mark.parametrize(("overrides", "args", "message"), [
    ({"architecture.width": "wide"}, {}, "overrides/architecture.width: 'wide' is not a whole number (task knob"),
    ({"architecture.width": 2.5}, {}, "overrides/architecture.width: 2.5 is not a whole number"),
    ({"architecture.width": True}, {}, "overrides/architecture.width: True is not a whole number"),
    ({"architecture.act": 3}, {}, "overrides/architecture.act: 3 is not a text"),
    ({"architecture.depth": 3}, {}, "overrides/architecture.depth: not a ledger entry (neither a core knob nor one "
                                    "of the task's knobs: architecture.act, architecture.sizes, architecture.width)"),
    ({}, {"sede": 1}, "dataset/args: 'sede' is not an argument of the task's make_data (it takes extra, name, noise,"),
    ({}, {"noise": "loud"}, "dataset/args: noise: 'loud' is not a number (the default is 0.1)"),
    ({}, {"shuffle": 1}, "dataset/args: shuffle: 1 is not true or false"),
])
def test_task_values_are_checked_by_the_task(tmp_path, overrides, args, message):
    from reprokit.task.settings import check_task_settings

    with pytest.raises(UserError, match=re.escape(f"config key papers/p/{message}")):
        check_task_settings(settings_for(write(tmp_path, KNOBBED), overrides, args))


def test_good_task_values_pass_and_a_task_is_loaded_only_when_needed(tmp_path):
    from reprokit.task.settings import check_task_settings

    path = write(tmp_path, KNOBBED)
    check_task_settings(settings_for(path, {"architecture.width": 16, "architecture.sizes": [3, 3],
                                            "optimizer.lr": 0.1}, {"seed": 3, "noise": 1, "extra": [1]}))
    check_task_settings(settings_for(str(tmp_path / "absent.py"), {"optimizer.lr": 0.1}))  # nothing to ask it
    with pytest.raises(UserError, match=r"papers/p/task: task file .*absent.py does not exist"):
        check_task_settings(settings_for(str(tmp_path / "absent.py"), {"architecture.width": 3}))
    with pytest.raises(UserError, match=r"overrides/architecture.width: not a ledger entry \(this paper has no task"):
        check_task_settings(settings_for(path, {"architecture.width": 3}, task=False))


def test_under_both_the_official_metric_must_bear_the_tasks_metric_name(tmp_path):
    """The official code's metric and the task's are compared side by side: a metrics_from recorded under another
    name (its column's, `val_acc`) is refused before any job, naming the name to set."""
    from reprokit.config import official_metric_name
    from reprokit.task.settings import check_task_settings

    paper = {"task": str(EXAMPLE_TASK), "implementation": "both", "code": "x.git", "models": [],
             "metrics_from": {"csv": "m.csv", "column": "val_acc"}}
    assert official_metric_name(paper) == "val_acc"
    assert official_metric_name({**paper, "implementation": "upstream"}) is None
    with pytest.raises(UserError, match=r"metrics_from/name: the official code's metric is recorded as 'val_acc', but "
                                        r"task .* names its metric 'accuracy'; .*name: accuracy"):
        check_task_settings({"papers": {"p": paper}}, ["p"], None, {"p": "val_acc"})
    check_task_settings({"papers": {"p": paper}}, ["p"], None, {"p": "accuracy"})
