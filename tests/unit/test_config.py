import copy
import re

import pytest
import yaml

from reprokit.config import load_schema, validate
from reprokit.errors import UserError
from tests.conftest import ROOT

SCHEMA = load_schema(ROOT / "config" / "schema.yaml")
CONFIG = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())


def test_shipped_config_validates_and_defaults_fill():
    minimal = {"paper": "p", "papers": {"p": {"source": "x.html", "models": [{"name": "cnn", "paper_row": "CNN"}]}}}
    out = validate(minimal, SCHEMA)
    assert out["papers"]["p"]["seeds"] == [0, 1, 2] and out["papers"]["p"]["tolerance"] is None
    assert out["papers"]["p"]["task"] is None and out["papers"]["p"]["dataset"]["source"] == "task"
    assert out["smoke"]["iterations"] == 20 and out["threads_per_run"] == 1
    assert validate(CONFIG, SCHEMA)["papers"]["mnist1d"]["code"] == "package:mnist1d"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c["papers"]["mnist1d"].update(seeds="three"), "papers/mnist1d/seeds: 'three' is not of type 'array'"),
        (lambda c: c["papers"]["mnist1d"]["models"][0].update(name="Res Net"), "papers/mnist1d/models/0/name"),
        (lambda c: c.update(paper="../../etc"), "nor a paper reference"),
        (lambda c: c.update(paper="other"), "'other' is neither one of the configured papers (mnist1d, grokking) nor a paper"),
        (lambda c: c["papers"]["mnist1d"].update(tolerance=-1), "papers/mnist1d/tolerance"),
        (lambda c: c["papers"]["mnist1d"].update(paper_unit="permille"), "papers/mnist1d/paper_unit"),
        (lambda c: c.update(typo_key=1), "Additional properties are not allowed"),
        # YAML reads `experiment: 5.10` as the number 5.1: a section number must be quoted
        (lambda c: c["papers"]["mnist1d"].update(experiment=5.1), "papers/mnist1d/experiment: 5.1 is a number; quote"),
        (lambda c: c["papers"]["mnist1d"].update(experiment=["5.2"]), "papers/mnist1d/experiment"),
    ],
)
def test_bad_config_names_the_key_and_the_fix(mutate, message):
    config = copy.deepcopy(CONFIG)
    mutate(config)
    with pytest.raises(UserError, match="fix") as err:
        validate(config, SCHEMA)
    assert message in str(err.value)


def test_a_paper_reference_as_paper_gets_a_safe_workspace_with_defaults():
    config = copy.deepcopy(CONFIG)
    config["paper"] = "hep-th/9901001v2"
    out = validate(config, SCHEMA)
    assert out["paper_id"] == "hep-th_9901001"
    entry = out["papers"]["hep-th_9901001"]
    assert entry["source"] == "hep-th/9901001v2" and entry["models"] == [] and entry["seeds"] == [0, 1, 2]


def test_an_arxiv_workspace_id_works_unconfigured_and_other_ids_are_refused():
    from reprokit.config import paper_settings

    config = validate(copy.deepcopy(CONFIG), SCHEMA)
    assert paper_settings(config, "2106.09685", SCHEMA)["source"] == "2106.09685"
    assert paper_settings(config, "hep-th_9901001", SCHEMA)["source"] == "hep-th/9901001"
    with pytest.raises(UserError, match="'abc' is not configured and is not an arXiv id"):
        paper_settings(config, "abc", SCHEMA)


def test_a_number_given_for_a_string_setting_keeps_its_written_form():
    from reprokit.config import as_written

    schema = {"properties": {"paper": {"type": "string"}, "threads_per_run": {"type": "integer"}}}
    argv = ["snakemake", "--config", "paper=2106.09680", "threads_per_run=2"]
    assert as_written({"paper": 2106.0968, "threads_per_run": 2}, argv, schema) == {"paper": "2106.09680"}
    assert as_written({"paper": "mnist1d"}, argv, schema) == {}
    assert as_written({"paper": 2106.09685}, ["snakemake"], schema) == {"paper": "2106.09685"}


def test_a_yaml_syntax_error_is_named_with_line_and_column(tmp_path):
    from reprokit.config import check_yaml

    path = tmp_path / "config.yaml"
    path.write_text("paper: mnist1d\npapers:\n  mnist1d:\n    source: [unclosed\n")
    with pytest.raises(UserError, match=r"config.yaml line 5, column 1 is not valid YAML .*fix the YAML there"):
        check_yaml(path)
    path.write_text("paper: mnist1d\n")
    check_yaml(path)


@pytest.mark.parametrize(("override", "message"), [
    ({"optimizer.lr": "abc"}, "overrides/optimizer.lr: 'abc' is not a number"),
    ({"optimizer.lr": -1}, "overrides/optimizer.lr: -1 is out of range (it must be above 0)"),
    ({"optimizer.lr": 0}, "overrides/optimizer.lr: 0 is out of range"),
    ({"batch.batch_size": "big"}, "overrides/batch.batch_size: 'big' is not a whole number"),
    ({"batch.batch_size": 0}, "overrides/batch.batch_size: 0 is out of range (it must be at least 1)"),
    ({"batch.batch_size": 2.5}, "overrides/batch.batch_size: 2.5 is not a whole number"),
    ({"schedule.eval_every": -1}, "overrides/schedule.eval_every: -1 is out of range (it must be at least 0)"),
    ({"schedule.total_steps": -5}, "overrides/schedule.total_steps: -5 is out of range"),
    ({"optimizer.beta2": 1.5}, "overrides/optimizer.beta2: 1.5 is out of range (it must be at most 1)"),
    ({"loss.label_smoothing": True}, "overrides/loss.label_smoothing: True is not a number"),
])
def test_an_override_out_of_what_the_harness_accepts_is_refused_before_any_job(override, message):
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["papers"]["mnist1d"]["overrides"] = override
    with pytest.raises(UserError, match=re.escape(message)):
        validate(config, load_schema(ROOT / "config" / "schema.yaml"))


def test_a_smoke_window_larger_than_its_iterations_is_refused():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["smoke"].update(window=30, iterations=20)
    with pytest.raises(UserError, match="smoke/window: 30 is larger than smoke/iterations"):
        validate(config, load_schema(ROOT / "config" / "schema.yaml"))


def test_a_paper_path_that_does_not_exist_is_named_as_such():
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["paper"] = "papers/missing.html"
    with pytest.raises(UserError, match="config key paper: paper file papers/missing.html does not exist; fix the path"):
        validate(config, load_schema(ROOT / "config" / "schema.yaml"))


def test_a_paper_file_named_like_a_configured_workspace_is_refused(tmp_path):
    page = tmp_path / "mnist1d.html"
    page.write_text("<html></html>")
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    config["paper"] = str(page)
    with pytest.raises(UserError, match=r"would use the workspace repro/mnist1d/, which belongs to the configured paper"):
        validate(config, load_schema(ROOT / "config" / "schema.yaml"))


def test_nested_command_line_values_are_read_as_the_schema_says():
    # Snakemake reads `--config 'papers={"mnist1d": {"seeds": [0]}}'` with every nested scalar as text
    config = copy.deepcopy(CONFIG)
    config["papers"]["mnist1d"].update(seeds=["0", "1"], tolerance="2.5", overrides={"optimizer.lr": "0.01"})
    config["threads_per_run"] = "2"
    out = validate(config, SCHEMA)
    paper = out["papers"]["mnist1d"]
    assert paper["seeds"] == [0, 1] and paper["tolerance"] == 2.5 and paper["overrides"]["optimizer.lr"] == 0.01
    assert out["threads_per_run"] == 2
    config["papers"]["mnist1d"]["models"][0]["paper_row"] = "12"  # text the schema allows stays text
    assert validate(config, SCHEMA)["papers"]["mnist1d"]["models"][0]["paper_row"] == "12"


def test_a_config_error_says_where_the_value_was_given(tmp_path):
    config = copy.deepcopy(CONFIG)
    config["papers"]["mnist1d"]["seeds"] = ["zero"]
    argv = ["snakemake", "results.md", "--config", 'papers={"mnist1d": {"seeds": ["zero"]}}', "--cores", "1"]
    with pytest.raises(UserError) as err:
        validate(config, SCHEMA, argv)
    assert "papers/mnist1d/seeds/0: 'zero' is not of type 'integer'; fix it on the command line (--config papers=...)" \
        in str(err.value) and "config/config.yaml" not in str(err.value)
    other = tmp_path / "mine.yaml"
    other.write_text("papers:\n  mnist1d:\n    tolerance: -1\n")
    config = copy.deepcopy(CONFIG)
    config["papers"]["mnist1d"]["tolerance"] = -1
    with pytest.raises(UserError, match=re.escape(f"fix it in {other}")):
        validate(config, SCHEMA, ["snakemake", "--configfile", str(other)])
    with pytest.raises(UserError, match=re.escape("fix it in config/config.yaml")):
        validate(config, SCHEMA, ["snakemake"])


def test_targets_that_reach_stage_4_need_its_settings_before_any_job():
    from reprokit.config import needs_stage_4, stage_4_problem

    assert needs_stage_4([], "p") and needs_stage_4(["results.md"], "p") and needs_stage_4(["repro/p/code"], "p")
    assert needs_stage_4(["plan_runs"], "p") and needs_stage_4(["repro/p/smoke_logs/tier1_forward.json"], "p")
    assert not needs_stage_4(["repro/p/gaps_filled.md", "./repro/p/paper.md", "repro/p/upstream", "fill_gaps"], "p")
    assert not needs_stage_4(["repro/other/results.md"], "p")  # another workspace is checked as its own paper
    upstream = {"implementation": "upstream", "code": "https://github.com/a/b", "task": None, "metrics_from": None}
    assert "has no `task` and no `metrics_from`" in stage_4_problem("p", upstream)
    assert "needs to know where the official code writes its metric" in stage_4_problem(
        "p", {**upstream, "implementation": "both", "task": "t.py"})
    assert stage_4_problem("p", {**upstream, "metrics_from": {"csv": "m.csv", "column": "acc"}}) is None
    assert stage_4_problem("p", {**upstream, "implementation": "harness", "task": "t.py"}) is None
