"""The library holds nothing of a particular paper, and the folders tell the stages."""

import ast
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
               "num_classes", "hidden_size", "train_split"}
    # words every model has (torch's own argument names) and the task contract's own (train_split: the name of the
    # split a task trains on, not mnist1d's fraction); the rest is one example's
    words = {w for w in words - generic if len(w) > 2}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b", re.IGNORECASE)
    hits = [f"{path.relative_to(ROOT)}:{i}: {line.strip()}" for path in sorted((ROOT / "reprokit").rglob("*.py"))
            for i, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert words and hits == []


def _library_imports() -> dict[str, set[str]]:
    """Which library parts (subpackages and top-level modules) each part imports, at any depth of the code
    (an import inside a function counts: it is still a dependency)."""
    import ast

    library = ROOT / "reprokit"
    parts = {p.stem for p in library.glob("*.py")} | {p.name for p in library.iterdir() if (p / "__init__.py").is_file()}
    parts.discard("__init__")
    graph: dict[str, set[str]] = {}
    for path in library.rglob("*.py"):
        rel = path.relative_to(library).parts
        source = rel[0] if len(rel) > 1 else path.stem
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reprokit":
                names = [a.name for a in node.names] if node.module == "reprokit" else [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("reprokit.")]
            graph.setdefault(source, set()).update(n for n in names if n in parts and n != source)
    return graph


def test_the_library_parts_import_each_other_without_a_cycle():
    graph = _library_imports()
    assert {"gaps", "task", "harness", "smoke", "upstream", "code"} <= set(graph)

    def cycle_from(start: str, node: str, path: list[str]) -> list[str] | None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == start:
                return path + [nxt]
            if nxt not in path:
                found = cycle_from(start, nxt, path + [nxt])
                if found:
                    return found
        return None

    cycles = [c for c in (cycle_from(part, part, [part]) for part in sorted(graph)) if c]
    assert cycles == [], " ; ".join(" -> ".join(c) for c in cycles)
    # the stage ledger knows knobs, not tasks; the smoke tiers work on the harness's trainer, not its module
    assert "task" not in graph["gaps"] and "harness" not in graph["smoke"]


def test_each_library_part_imports_alone():
    import subprocess
    import sys

    parts = sorted(p for p in (ROOT / "reprokit").iterdir() if (p / "__init__.py").is_file())
    # each subpackage with all its modules, in a fresh interpreter: nothing else of the library imported first
    code = {part.name: "; ".join(f"import reprokit.{part.name}.{m.stem}" for m in sorted(part.glob("*.py"))
                                 if m.stem != "__init__") or f"import reprokit.{part.name}" for part in parts}
    started = {name: subprocess.Popen([sys.executable, "-c", text], cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for name, text in code.items()}
    failed = {part: proc.communicate()[1][-500:] for part, proc in started.items() if proc.wait() != 0}
    assert failed == {}


def test_the_rules_checked_for_a_slurm_account_are_the_rules_not_run_locally():
    """The SLURM account check reads the run's settings for SUBMITTED_RULES, not Snakemake's job graph: that list is
    every rule without `localrule: True`."""
    import ast

    remote = set()
    for path in (ROOT / "rules").glob("*.smk"):
        for block in re.split(r"\n(?=(?:rule|checkpoint) \w+:)", path.read_text()):
            head = re.match(r"(?:rule|checkpoint) (\w+):", block)
            if head and "localrule: True" not in block:
                remote.add(head.group(1))
    listed = re.search(r"^SUBMITTED_RULES = (\(.*?\))$", (ROOT / "rules" / "common.smk").read_text(), re.M | re.S)
    assert remote and set(ast.literal_eval(listed.group(1))) == remote
    assert not re.search(r"workflow\.dag\b", "".join(p.read_text() for p in (ROOT / "rules").glob("*.smk")))


def test_the_run_ledger_reads_the_paper_only_through_statements_and_its_round_trip():
    """Issue 19's "one extractor": the ledger maps statements to knobs and never reads the prose a second time. Its
    only sentence reading is the round trip (``_units``: a [paper §X] value must be stated in §X); how a run's batch
    or rate is given without a number (full-batch, a formula, the scaling rule) is a statement too."""
    tree = ast.parse((ROOT / "reprokit/gaps/ledger.py").read_text())
    readers = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
               for call in ast.walk(node) if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "sentences"}
    assert readers <= {"_units"}, f"the ledger reads sentences in {sorted(readers - {'_units'})}"
