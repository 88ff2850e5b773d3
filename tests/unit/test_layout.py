"""The library holds nothing of a particular paper, and the folders tell the stages."""

import re

from tests.conftest import ROOT

STAGES = ("paper", "code", "gaps", "implement", "dataset", "smoke", "replicate")


def test_no_line_of_the_library_names_a_bundled_example():
    names = [p.name for p in (ROOT / "examples").iterdir() if p.is_dir()]
    assert "mnist1d" in names and len(names) >= 2
    pattern = re.compile("|".join(re.escape(n).replace("\\-", "[-_ ]?") for n in names), re.IGNORECASE)
    hits = [f"{path.relative_to(ROOT)}:{i}: {line.strip()}" for path in sorted((ROOT / "reprokit").rglob("*.py"))
            for i, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert hits == []


def test_one_library_subpackage_per_stage_named_like_its_rules_file():
    for stage in STAGES:
        assert (ROOT / "reprokit" / stage / "__init__.py").is_file(), stage
    rules = {p.stem for p in (ROOT / "rules").glob("*.smk")} - {"common"}
    assert rules == set(STAGES)
    assert (ROOT / "reprokit" / "task" / "contract.py").is_file() and (ROOT / "reprokit" / "harness" / "train.py").is_file()
    assert not (ROOT / "reprokit" / "harness" / "models.py").exists()


def test_every_example_brings_a_task_file():
    for example in (ROOT / "examples").iterdir():
        if example.is_dir():
            assert (example / "task.py").is_file(), example.name


def test_no_rule_of_the_library_is_keyed_to_a_bundled_examples_settings():
    """The names an example's task gives its data arguments and its own knobs (``num_samples``, ``train_split``,
    ``bidirectional``, ``modulus``) appear in no library rule: what one example needs lives in its task file."""
    import ast

    words: set[str] = set()
    for task in (ROOT / "examples").glob("*/task.py"):
        tree = ast.parse(task.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Knob" and node.args:
                leaf = node.args[0].value.split(".")[-1]
                words |= {leaf} | {w for w in leaf.split("_") if len(w) >= 6}
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DATA_ARGS" for t in node.targets) \
                    and isinstance(node.value, ast.Dict):
                words |= {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
    words |= {"num_samples", "final_seq_length"}  # the mnist1d package's own data arguments
    generic = {"layers", "width", "heads", "dropout", "channels", "stride", "padding", "classes", "length",
               "hidden", "activation", "sequence", "kernel", "sizes", "readout", "size", "seed", "operation",
               "num_classes", "hidden_size"}  # words every model has (torch's own argument names); the rest is one
    # example's
    words = {w for w in words - generic if len(w) > 2}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b", re.IGNORECASE)
    hits = [f"{path.relative_to(ROOT)}:{i}: {line.strip()}" for path in sorted((ROOT / "reprokit").rglob("*.py"))
            for i, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert words and hits == []
