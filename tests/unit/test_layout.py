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
