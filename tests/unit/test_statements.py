"""Stage 3's general extractor: every written form of a value, scoping, pairing, conflicts, verification,
and (on the shared corpus) recall and precision against the hand-checked truth."""

from __future__ import annotations

import copy
import importlib.util

import pytest

from reprokit.gaps.ledger import build_ledger, verify_claims
from reprokit.gaps.statements import extract_statements, parse_value
from tests.conftest import ROOT, SHARED_PAPERS, require_shared


@pytest.mark.parametrize(
    ("raw", "values"),
    [("3e-4", [3e-4]), ("3 \\times 10^{-4}", [3e-4]), ("$10^{-5}$", [1e-5]), ("0.0003", [3e-4]), ("1M", [1e6]),
     ("100k", [1e5]), ("5\\%", [5.0]), ("1,000", [1000]), ("100,000", [100000]), ("0.2, 0.3, and 0.4", [0.2, 0.3, 0.4]),
     ("200 and 400", [200, 400]), ("1e-6 / 1e-5", [1e-6, 1e-5]), ("$1e^{-4}$", [1e-4]), ("LeNet", ["LeNet"])],
)
def test_value_parser_reads_every_written_form(raw, values):
    got = parse_value(raw)
    assert len(got) == len(values)
    for g, v in zip(got, values):
        assert g == pytest.approx(v) if isinstance(v, (int, float)) else g == v


def paper_with(*sentences: str, number: str = "4.1", title: str = "Implementation Details") -> dict:
    return {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
            "sections": [{"id": "S4.SS1", "number": number, "title": title, "kind": "section", "parent": None,
                          "paragraphs": [" ".join(sentences)]}]}


def section_of(sid: str, number: str, title: str, parent: str | None, *sentences: str) -> dict:
    """One section of a hand-built paper, its sentences one paragraph."""
    return {"id": sid, "number": number, "title": title, "kind": "section", "parent": parent,
            "paragraphs": [" ".join(sentences)] if sentences else []}


def by_name(entries):
    return {e["name"]: e for e in entries}


def test_prose_forms_scopes_and_pairs():
    paper = paper_with("For CIFAR-10, an SGD optimizer is exploited with an initial learning rate of 0.1 and a cosine "
                       "rate scheduler.", "200 epochs are set totally.",
                       "The parameters $\\epsilon$ and $T$ are set to 0.2 and 500.",
                       "The compromise varies in 0.2, 0.3, and 0.4.",
                       "We use a learning rate of $10^{-5}$ for BART and $10^{-4}$ for T5.",
                       "During training, we assign a smaller weight ($\\alpha$=0.1) to positive pairs.")
    got = extract_statements(paper)
    names = by_name(got)
    assert names["optimizer"]["value"] == "SGD" and names["optimizer"]["scope"] == "CIFAR-10"
    assert names["initial learning rate"]["value"] == 0.1 and names["initial learning rate"]["where"] == "§4.1"
    assert names["lr schedule"]["value"] == "cosine"
    assert names["epochs"]["value"] == 200
    assert names["parameters $\\epsilon$"]["value"] == 0.2 and names["$T$"]["value"] == 500
    assert names["compromise"]["value"] == [0.2, 0.3, 0.4]
    assert sorted(e["value"] for e in got if e["name"] == "learning rate") == [1e-5, 1e-4]
    assert names["$\\alpha$"]["value"] == 0.1
    assert names["epochs"]["scope"] == ""
    assert {e["scope"] for e in got if e["name"] == "learning rate"} == {"BART", "T5"}


def test_results_and_discussion_sentences_are_not_settings():
    paper = paper_with("Table 2 shows that our method outperforms the baseline by 3.2 points after 100 epochs.",
                       "With a batch size of 4 it adapts faster.")
    assert extract_statements(paper) == []


def test_introduction_and_limitations_are_read_only_for_the_papers_own_training_and_never_as_the_run():
    """An introduction, conclusion or limitations section is read where it tells the paper's own training (muse's
    introduction: "We have trained a sequence of Muse models, ranging in size from 632M parameters to 3B
    parameters"; rice's limitations appendix, a negative control: "we train a target agent using Proximal Policy
    Optimization (PPO) for 1 million steps"): listed as an overview's, never the run's value. The rest of those
    sections (claims, summaries) is not read."""
    assert extract_statements(paper_with("Our method converges within 90 epochs.", "It needs a batch size of 8.",
                                         number="1", title="Introduction")) == []
    limitation = section_of("S5", "E", "Limitation", None,
                            "We use the Mountain Car environment as a negative control task.",
                            "In this experiment, we train a target agent using PPO for 1 million steps.")
    setup = section_of("S4", "4", "Experimental Setup", None, "We use a learning rate of 0.001 and a batch size of 64.")
    intro = section_of("S1", "1", "Introduction", None,
                       "We have trained a sequence of models, ranging in size from 632M parameters to 3B parameters.")
    paper = {**paper_with(), "sections": [intro, setup, limitation]}
    entries = extract_statements(paper)
    told = {(e["name"], e["value"], e["kind"]) for e in entries if e["section"] in ("S1", "S5")}
    assert told == {("steps", 1e6, "overview"), ("parameters", 632e6, "overview"), ("parameters", 3e9, "overview")}
    knobs = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert knobs["optimizer.lr"]["value"] == 0.001 and knobs["batch.batch_size"]["value"] == 64
    assert knobs["schedule.total_steps"]["tag"] != "paper"


def test_prose_vs_prose_conflict_in_the_same_scope_is_reported():
    paper = paper_with("The batch size is set to 64.", "Later the batch size is set to 128.")
    ledger = build_ledger(paper, [], {})
    batch = [e for e in ledger["stated"] if e["name"] == "batch size"]
    assert {e["value"] for e in batch} == {64, 128}
    assert all(e["conflicts"] for e in batch)


def test_verification_finds_claims_again_and_flags_the_rest(example_paper):
    ledger = build_ledger(example_paper, [], {})
    assert ledger["verification"] and all(v["ok"] for v in ledger["verification"])
    wrong = copy.deepcopy([e for e in ledger["entries"] if e["name"] == "optimizer.lr"][0])
    wrong["value"] = 0.5
    (result,) = verify_claims(example_paper, [wrong])
    assert result["ok"] is False and result["where"] == "Table 1"


def test_stated_but_unused_lists_settings_no_run_value_uses(example_paper):
    from reprokit.task import load_task
    from tests.conftest import EXAMPLE_TASK

    unused = build_ledger(example_paper, [], {}, load_task(str(EXAMPLE_TASK)).knobs)["stated_but_unused"]
    # settings only: no result number, no "6" of an activation's name ("ReLU6"), no statistic or hardware
    assert [(u["name"], u["value"], u["where"]) for u in unused] == [("examples", 5000.0, "§2"),
                                                                      ("training runs", 1.0, "§5")]
    paper = copy.deepcopy(example_paper)
    paper["sections"][-1]["paragraphs"].append("The MLP with ReLU6 activations reaches 97.5% accuracy. We use a "
                                                "dropout of 0.37.")
    unused = {u["value"] for u in build_ledger(paper, [], {}, load_task(str(EXAMPLE_TASK)).knobs)["stated_but_unused"]}
    assert 0.37 in unused and not unused & {6.0, 97.5}


def test_strict_mode_fails_on_an_unverified_claim(tmp_path, example_paper, monkeypatch):
    import json

    import reprokit.gaps.ledger as ledger_module
    from reprokit.errors import UserError

    (tmp_path / "p.json").write_text(json.dumps(example_paper))
    (tmp_path / "c.json").write_text(json.dumps({"hparams": [], "facts": []}))
    out = (str(tmp_path / "g.md"), str(tmp_path / "g.json"))
    monkeypatch.setattr(ledger_module, "verify_claims",
                        lambda paper, entries: [{"name": "optimizer.lr", "value": 0.5, "where": "§3.2", "ok": False}])
    ledger_module.fill_gaps(str(tmp_path / "p.json"), str(tmp_path / "c.json"), {}, 0.9, False, *out)
    assert "NOT FOUND: optimizer.lr = `0.5` in §3.2" in (tmp_path / "g.md").read_text()
    (tmp_path / "g.md").unlink()
    (tmp_path / "g.json").unlink()
    with pytest.raises(UserError, match=r"1 \[paper\] value\(s\) are not in the section they cite"):
        ledger_module.fill_gaps(str(tmp_path / "p.json"), str(tmp_path / "c.json"), {}, 0.9, False, *out,
                                strict=True)
    assert not (tmp_path / "g.md").exists() and not (tmp_path / "g.json").exists()


def _benchmark():
    spec = importlib.util.spec_from_file_location("ledger_recall", ROOT / "benchmarks" / "ledger_recall.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_every_corpus_paper_goes_through_stages_1_and_3_in_both_formats():
    require_shared()
    from reprokit.paper.extract import parse_any

    files = sorted(p for folder in SHARED_PAPERS.iterdir() if folder.is_dir()
                   for p in (folder / "paper.html", folder / "paper.md") if p.is_file())
    assert len(files) >= 20
    for path in files:  # the held-out papers too: run, never read
        ledger = build_ledger(parse_any(path), [], {})
        assert ledger["entries"] and all(e["tag"] for e in ledger["entries"]), path


def test_the_run_ledger_takes_every_core_knob_the_truth_states_and_no_value_it_does_not():
    """For each development paper that trains a model, each core knob its truth states (optimizer, learning rate,
    betas, weight decay, momentum, batch size, epochs or steps, schedule, warm-up, clipping) comes out of the run
    ledger with that value and a [paper §...] tag; a knob its truth marks as not stated is never [paper]."""
    require_shared()
    bench = _benchmark()
    failed, trap_hits, checked = [], [], 0
    for folder in sorted(SHARED_PAPERS.glob("*/truth.json")):
        knobs = bench.measure(folder.parent)["knobs"]
        checked += len(knobs["right"]) + len(knobs["failed"])
        failed += [(folder.parent.name, knob, bench.shown(entry)) for knob, _, entry in knobs["failed"]]
        trap_hits += [(folder.parent.name, knob) for knob, _ in knobs["trap_hits"]]
    # (33: advantage-alignment's run follows IPD's table; the Commons Harvest Open steps and the Negotiation Game's
    # gradient clipping it had taken are another recipe's, not checked)
    assert checked >= 33 and failed == [] and trap_hits == []


# Measured on the ten development papers (benchmarks/ledger_recall.py prints them; its goals are 90% / 85%):
# a floor under each figure catches a change that loses values or invents them, without claiming the goals.
# (2026-12-05: newer precision 0.80 -> 0.79 as the one number grammar read "3B parameters" (muse), "a $10,000$-layer
# FFNN" (tanh-init) and whole count lists: true values, checked by hand, that the truth does not list; 2026-12-06:
# back to 0.80 with the benchmark's fairer matching and fewer misreadings)
FLOORS = {"older": (0.93, 0.80), "newer": (0.88, 0.80)}


def test_recall_and_precision_do_not_fall_below_the_measured_floors():
    require_shared()
    bench = _benchmark()
    for group, papers in (("older", bench.OLDER), ("newer", bench.NEWER)):
        results = [bench.measure(SHARED_PAPERS / name) for name in papers]
        stated = sum(len(r["stated"]) for r in results)
        recall = sum(len(r["found"]) for r in results) / stated
        precision = sum(sum(r["good"]) for r in results) / sum(len(r["entries"]) for r in results)
        assert recall >= FLOORS[group][0] and precision >= FLOORS[group][1], (group, recall, precision)
        assert sum(len(r["hit_traps"]) for r in results) == 0


def test_the_benchmark_confirms_a_setting_restated_elsewhere_and_nothing_else():
    """Precision's matching (benchmarks/ledger_recall.py): the same setting in another section is confirmed by a
    main word of its name in the truth's name or value and its value; a name up to its word endings; never a
    value alone or a name alone."""
    bench = _benchmark()
    truth = {"name": "replay mini-batch / interval", "value": "8 examples every 10 training steps",
             "evidence": {"section": "4.2 Compared Methods"}, "stated_in_paper": True}
    symbol = {"name": "L2 (blocks processing queries), ViT-L", "value": "4", "evidence": {"section": "4.1 Setup"},
              "stated_in_paper": True}
    flips = {"name": "augmentation", "value": "random horizontal flip, random scale jitter",
             "evidence": {"section": "A.2 Training"}, "stated_in_paper": True}
    assert bench.correct({"name": "examples", "value": 8.0}, "D.2", [truth])
    assert bench.correct({"name": "$L_{2}$", "value": 4.0}, "A.1", [symbol])
    assert bench.correct({"name": "augmentation", "value": ["random horizontal flipping"]}, "A.2", [flips])
    assert not bench.correct({"name": "epochs", "value": 8.0}, "D.2", [truth])  # the value alone
    assert not bench.correct({"name": "examples", "value": 16.0}, "D.2", [truth])  # the name alone
    assert not bench.correct({"name": "augmentation", "value": ["random crop"]}, "A.2", [flips])
    # a review's collisions: one shared word, or any number of the truth's value, confirms nothing
    other = {"evidence": {"section": "4 Setup"}, "stated_in_paper": True}
    assert not bench.correct({"name": "hidden size", "value": 64.0}, "D", [{**other, "name": "batch size", "value": "64"}])
    assert not bench.correct({"name": "weight decay", "value": 0.9}, "D", [
        {**other, "name": "optimizer", "value": "AdamW, weight decay 0.05, betas (0.9, 0.999)"}])
    assert not bench.correct({"name": "training epochs", "value": 10.0}, "D.2", [truth])
    assert not bench.correct({"name": "model", "value": "GPT-4"}, "4", [{**other, "name": "model", "value": "GPT-4o"}])
    # in the truth's section, a named value the truth's name holds (eomt's "polynomial learning rate decay factor",
    # "timm weights (ViT-L, EVA-02)"); numbers with a suffix (muse's "460M text-image pairs"); a list restated
    # elsewhere is the truth's list (lbcs's coreset sizes)
    decay = {**other, "name": "polynomial learning rate decay factor", "value": "0.9"}
    assert bench.correct({"name": "lr schedule", "value": "polynomial"}, "4", [decay])
    assert not bench.correct({"name": "lr schedule", "value": "cosine"}, "4", [decay])
    assert not bench.correct({"name": "lr schedule", "value": "polynomial"}, "5", [decay])
    assert bench.correct({"name": "text-image pairs", "value": 460e6}, "4", [
        {**other, "name": "training dataset", "value": "Imagen dataset, 460M text-image pairs"}])
    sizes = {"name": "predefined coreset sizes k (main)", "value": "1000, 2000, 3000, 4000",
             "evidence": {"section": "5.2 (Table 1)"}, "stated_in_paper": True}
    assert bench.correct({"name": "predefined coreset size $k$", "value": [1000.0, 2000.0, 4000.0]}, "5.3", [sizes])
    assert not bench.correct({"name": "predefined coreset size $k$", "value": [1000.0, 5000.0]}, "5.3", [sizes])
    # 2026-12-07: numbers a truth writes with a scale word or in a remark ("PPO, 1 million steps", "frozen T5-XXL (4.6B
    # parameters)"), either end of a range ("632M to 3B parameters"), the truth's name inside ours ("backbone" for
    # "source model backbone for all experiments"), the truth's symbol ("K = 30", "k (main) = 1000, 2000, ...") and a
    # symbol's value after its verb ("P_mask starts at 1.0")
    assert bench.correct({"name": "steps", "value": 1e6}, "E", [{**other, "evidence": {"section": "Appendix E"},
                                                               "name": "target agent training", "value": "PPO, 1 million steps"}])
    assert bench.correct({"name": "parameters", "value": 4.6e9}, "3", [
        {**other, "name": "text encoder", "value": "frozen T5-XXL (4.6B parameters), 4096-dim embeddings"}])
    assert bench.correct({"name": "model size", "value": 3e9}, "A.1", [
        {**other, "name": "base model sizes", "value": "632M to 3B parameters (image decoder)"}])
    assert not bench.correct({"name": "model size", "value": 1e9}, "A.1", [
        {**other, "name": "base model sizes", "value": "632M to 3B parameters (image decoder)"}])
    assert bench.correct({"name": "source model backbone for all experiments", "value": "ViT-Base"}, "B.2", [
        {**other, "name": "backbone", "value": "ViT-Base (ImageNet-1K trained)"}])
    assert not bench.correct({"name": "source model backbone", "value": "ResNet-50"}, "B.2", [
        {**other, "name": "backbone", "value": "ViT-Base (ImageNet-1K trained)"}])
    assert bench.correct({"name": "K", "value": 30.0}, "A", [{**other, "name": "held-goal steps", "value": "K = 30"}])
    assert bench.correct({"name": "$k$", "value": 3000.0}, "E.5", [sizes])
    assert not bench.correct({"name": "$K$", "value": 3000.0}, "E.5", [sizes])  # (another symbol)
    assert not bench.correct({"name": "k", "value": 30.0}, "A", [{**other, "name": "held-goal steps", "value": "K = 30"}])
    assert bench.matches({**other, "name": "mask annealing", "value": "P_mask starts at 1.0 and decays to 0.0"},
                         {"name": "initial $P_{mask}$", "value": 1.0}, "4")
    # a technique and where it applies (eomt's "color jittering = ADE20K and Cityscapes only"): the technique's
    # statement with that scope, in the same section; not another scope, technique or section
    jitter = {**other, "evidence": {"section": "A.2 Training"}, "name": "color jittering", "value": "ADE20K and Cityscapes only"}
    said = {"name": "augmentation", "value": "Random color jittering", "scope": "ADE20K and Cityscapes"}
    assert bench.found_by(jitter, said, "A.2") and bench.correct(said, "A.2", [jitter])
    assert not bench.found_by(jitter, {**said, "scope": "ADE20K"}, "A.2")
    assert not bench.found_by(jitter, {**said, "scope": "ADE20K, Cityscapes and COCO"}, "A.2")
    assert not bench.found_by(jitter, {**said, "value": "random crop"}, "A.2")
    assert not bench.found_by(jitter, said, "4.1")


def test_sweeps_and_per_column_values_are_not_conflicts():
    from reprokit.gaps.ledger import stated_entries

    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    paper = {"sections": [{"id": "S4", "number": "4", "title": "Experiments", "parent": None, "kind": "section",
                           "paragraphs": ["The performance is low when $p=0$ or $p=1$ in all games.",
                                          "We set the learning rate to 0.001."]},
                          {"id": "S5", "number": "5", "title": "Setup details", "parent": None, "kind": "section",
                           "paragraphs": ["We set the learning rate to 0.01."]}],
             "tables": [{"number": "3", "kind": "hyperparameters", "section": "S4", "header_rows": 1,
                         "caption": "Hyper-parameters per game.",
                         "rows": [[cell("Hyper-parameter"), cell("Hopper"), cell("Reacher")],
                                  [cell("$q$"), cell("0.25", 0.25), cell("0.50", 0.5)]]}],
             "algorithms": []}
    stated = stated_entries(paper)
    p_values = [e for e in stated if e["name"] == "p"]
    # a results discussion of a sweep: never a setting, never a conflict
    assert {e["kind"] for e in p_values} <= {"sweep"} and not any(e["conflicts"] for e in p_values)
    q_values = {e["value"]: e["scope"] for e in stated if e["name"] == "$q$"}
    assert q_values == {0.25: "Hopper", 0.5: "Reacher"}
    assert not any(e["conflicts"] for e in stated if e["name"] == "$q$")
    lr = [e for e in stated if e["name"] == "learning rate"]
    assert len(lr) == 2 and all(e["conflicts"] for e in lr)  # the same setting, same scope, two values: real


def test_names_are_whole_words_and_a_symbol_before_an_equation_reference():
    from reprokit.gaps.statements import extract_statements

    paper = {"sections": [{"id": "S4", "number": "4", "title": "Setup", "parent": None, "kind": "section",
                           "paragraphs": ["The $\\lambda$ in Eqn. (3) is set to 0.4 on all sets. We repeat each "
                                          "run 5 times."]}], "tables": []}
    got = {(e["name"], e["value"]) for e in extract_statements(paper)}
    assert ("$\\lambda$", 0.4) in got and not any(name.startswith("(") for name, _ in got)
    assert ("repetitions", 5.0) in got and not any(name == "times" for name, _ in got)


def test_each_statement_has_a_kind_and_only_settings_are_settings():
    from reprokit.gaps.statements import extract_statements

    paper = {"sections": [{"id": "S4", "number": "4", "title": "Setup", "parent": None, "kind": "section",
                           "paragraphs": ["We set the learning rate to 0.001. The training split contains 600 examples. "
                                          "Our method reaches an accuracy of 91.5%. We vary the dropout "
                                          "from 0.1 to 0.5."]}], "tables": []}
    kinds = {e["name"]: e["kind"] for e in extract_statements(paper)}
    assert kinds.get("learning rate") == "setting"
    assert kinds.get("examples") == "dataset statistic"
    assert all(kind != "setting" for name, kind in kinds.items() if "accuracy" in name or "dropout" in name)


def test_values_for_several_scopes_in_one_sentence_are_scoped_not_a_sweep():
    from reprokit.gaps.statements import extract_statements

    paper = {"sections": [{"id": "S4", "number": "4", "title": "Setup", "parent": None, "kind": "section",
                           "paragraphs": ["The temperature is set to 0.4 on ImageNet-C, and 0.2 on ImageNet-R."]}],
             "tables": []}
    got = {(e["value"], e["scope"], e["kind"]) for e in extract_statements(paper) if e["name"] == "temperature"}
    assert got == {(0.4, "ImageNet-C", "setting"), (0.2, "ImageNet-R", "setting")}


def test_non_numeric_settings_count_too():
    from reprokit.gaps.statements import extract_statements

    paper = {"sections": [{"id": "S4", "number": "4", "title": "Setup", "parent": None, "kind": "section",
                           "paragraphs": ["We train with mixed precision (bf16) on 8 NVIDIA A100 GPUs. Neighbours are "
                                          "found with the cosine distance."]}], "tables": []}
    got = {(e["name"], e["value"], e["kind"]) for e in extract_statements(paper)}
    assert ("numeric precision", "bf16", "setting") in got and ("GPU", "NVIDIA A100", "hardware") in got
    # no rule reads a distance metric: its only sentence was in a paper without truth (never read for rules)
    assert not any(name == "distance metric" for name, _, _ in got)
    assert not any(name == "numeric precision" and value != "bf16" for name, value, _ in got)


def test_a_prose_value_against_a_table_row_of_the_same_symbol_is_a_real_conflict():
    from reprokit.gaps.ledger import stated_entries

    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    paper = {"sections": [{"id": "C3", "number": "C.3", "title": "Details", "parent": None, "kind": "appendix",
                           "paragraphs": ["For all applications, we choose the coefficient of the intrinsic reward "
                                          "$\\alpha$ as 0.01. We vary $\\alpha$ from $\\{0.01,0.001,0.0001\\}$."]}],
             "tables": [{"number": "3", "kind": "hyperparameters", "section": "C3", "header_rows": 1,
                         "caption": "Hyper-parameter choices.",
                         "rows": [[cell("Hyper-parameter"), cell("Hopper"), cell("Walker")],
                                  [cell("$\\alpha$"), cell("0.0001", 0.0001), cell("0.0001", 0.0001)]]}],
             "algorithms": []}
    prose = next(e for e in stated_entries(paper) if e["value"] == 0.01 and e["kind"] == "setting")
    assert [c["value"] for c in prose["conflicts"]] == [0.0001] and "[paper Table 3]" in prose["conflicts"][0]["tag"]
    # the row's one value is stated for each column (rice's Table 3 gives most settings for every environment),
    # and the conflict is listed once
    assert sorted(e["scope"] for e in stated_entries(paper) if e["value"] == 0.0001) == ["Hopper", "Walker"]


def test_scopes_from_a_leading_for_and_from_a_named_subsection_and_exceptions_are_not_conflicts():
    from reprokit.gaps.ledger import stated_entries

    def section(sid, number, title, parent, *paragraphs):
        return {"id": sid, "number": number, "title": title, "parent": parent, "kind": "section",
                "paragraphs": list(paragraphs)}

    paper = {"sections": [section("S4", "4", "Experimental setup", None, "We use a batch size of 64.",
                                  "For single-sample adaptation, the batch size is set to 1.",
                                  "The coreset size is set to 200 and 400 respectively.",
                                  "The target for the critic uses $n$-step returns (here $n = 3$)."),
                          section("S5", "5", "More experiments", None, "The coreset size is set to 1000 and 2000 "
                                  "respectively.", "We run $N = 24576$ environments."),
                          section("B", "B", "Architectures", None),
                          section("B1", "B.1", "Shadow Hand", "B", "We use hidden sizes of 512, 512 and 256."),
                          section("B2", "B.2", "Allegro Hand", "B", "We use hidden sizes of 512, 256 and 128.")],
             "tables": [], "algorithms": []}
    stated = stated_entries(paper)
    by = {(e["name"], repr(e["value"])): e for e in stated}
    assert by[("batch size", "1.0")]["scope"] == "single-sample adaptation"
    assert by[("hidden sizes", "[512.0, 512.0, 256.0]")]["scope"] == "Shadow Hand"  # a subsection named for a task
    assert {e["kind"] for e in stated if e["name"] == "coreset size"} == {"sweep"}  # one value per run
    assert not any(e["conflicts"] for e in stated), [e for e in stated if e["conflicts"]]


def test_a_hyperparameter_table_row_keeps_its_whole_label():
    from reprokit.gaps.statements import extract_statements

    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    table = {"number": "2", "kind": "hyperparameters", "section": "S1", "header_rows": 1, "caption": "Training.",
             "rows": [[cell("Hyperparameter"), cell("Value")], [cell("Entropy coefficient"), cell("0", 0.0)],
                      [cell("Bounds loss coefficient"), cell("0.0001", 0.0001)], [cell("T"), cell("0.95", 0.95)]]}
    paper = {"sections": [{"id": "S1", "number": "1", "title": "Setup", "parent": None, "kind": "section",
                           "paragraphs": []}], "tables": [table], "algorithms": []}
    assert [(e["name"], e["value"]) for e in extract_statements(paper)] == [
        ("Entropy coefficient", 0.0), ("Bounds loss coefficient", 0.0001), ("T", 0.95)]


def statements_of(*sentences: str, title: str = "Setup") -> list[dict]:
    from reprokit.gaps.statements import extract_statements

    return extract_statements({"sections": [{"id": "S4", "number": "4", "title": title, "parent": None,
                                              "kind": "section", "paragraphs": [" ".join(sentences)]}],
                               "tables": [], "algorithms": []})


def named(statements: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in statements}


def test_a_hyperparameter_noun_next_to_its_value_in_any_of_the_ways_papers_write_it():
    # "X V", "X (V)", "X: V", "X, $s$, of V": eomt, muse, tanh-init, lbcs, test-time-model-adaptation write these
    got = named(statements_of("We train with the AdamW optimizer (learning rate $10^{-4}$, weight decay 0.05).",
                              "The first layer has kernel size 5 and stride 2.",
                              "Trajectories are discounted with a discount factor, $\\gamma$, of 0.99.",
                              "Momentum: 0.9."))
    assert got["optimizer"] == "AdamW" and got["learning rate"] == 1e-4 and got["weight decay"] == 0.05
    assert got["kernel size"] == 5 and got["stride"] == 2 and got["discount factor"] == 0.99
    assert got["Momentum"] == 0.9


def test_a_count_takes_the_noun_phrase_it_counts_and_numbers_written_as_words():
    # "100,000 optimization steps", "two hidden layers", "a five-layer MLP": muse, tanh-init, tabdiff, sapg
    got = named(statements_of("It has two hidden layers and 4 attention heads.", "We train for 100,000 optimization "
                              "steps with 500 warm-up steps.", "The denoiser is a five-layer MLP.",
                              "Training uses 1M steps in total."))
    assert got["hidden layers"] == 2 and got["attention heads"] == 4 and got["optimization steps"] == 100000
    assert got["warm-up steps"] == 500 and got["MLP layers"] == 5
    assert got["steps"] == 1e6


def test_several_names_set_to_several_values_respectively_are_one_statement_each():
    # lbcs ("$\\epsilon$ and $T$ are set to ..."), tabdiff (a shared head noun), eomt (three loss weights)
    got = statements_of("The training and evaluation batch sizes are set to 1,024 and 4,096, respectively.",
                        "The weights $\\lambda_{a}$, $\\lambda_{b}$, and $\\lambda_{c}$ are set to 5.0, 5.0, and 2.0.")
    values = {(e["name"], e["value"], e["kind"]) for e in got}
    assert ("training batch sizes", 1024, "setting") in values and ("evaluation batch sizes", 4096, "setting") in values
    assert {e["value"] for e in got if e["name"].startswith("$\\lambda")} == {5.0, 2.0}


def test_a_value_before_its_name_and_sizes_written_as_products():
    # eomt ("a 640x640 input size"), sapg (layer sizes 512x256x128 in math)
    got = named(statements_of("Unless stated otherwise we use a $640\\times 640$ input size.",
                              "The policy has hidden layer dimensions $512\\times 256\\times 128$."))
    assert got["input size"] == [640, 640] and got["hidden layer dimensions"] == [512, 256, 128]


def test_cited_work_inference_and_ablation_values_are_not_the_methods_settings():
    # the kinds a run never takes: another work's training, decoding settings, an ablation section
    cited = statements_of("Smith et al. trained their model for 300 epochs.")
    assert [(e["name"], e["kind"]) for e in cited] == [("epochs", "cited")]
    assert {e["kind"] for e in statements_of("At sampling time we use top-k sampling with $k=3$ and a guidance "
                                             "scale of 4.")} == {"inference"}
    assert {e["kind"] for e in statements_of("We set the batch size to 64.", title="Ablation study")} == {"ablation"}
    assert {e["kind"] for e in statements_of("We set the batch size to 64.")} == {"setting"}


def test_captions_of_tables_and_figures_state_settings_cited_by_their_table_or_figure(tmp_path):
    # tanh-init and advantage-alignment state epochs and seeds in captions ("averaged over 10 seeds")
    from reprokit.paper import parse_html

    page = tmp_path / "p.html"
    page.write_text("""<html><body><article class="ltx_document"><h1 class="ltx_title">T</h1>
<section id="S4" class="ltx_section"><h2 class="ltx_title"><span class="ltx_tag">4 </span>Experiments</h2>
<div class="ltx_para"><p class="ltx_p">We compare initialisations.</p></div>
<figure id="S4.F2" class="ltx_figure"><img src="x.png"/><figcaption class="ltx_caption">Figure 2: Training curves
averaged over 10 random seeds.</figcaption></figure>
<figure id="S4.T1" class="ltx_table"><figcaption class="ltx_caption">Table 1: Accuracy. All models were trained
for 20 epochs.</figcaption><table class="ltx_tabular"><tr><td>Model</td><td>Acc</td></tr>
<tr><td>A</td><td>91.0</td></tr></table></figure></section></article></body></html>""")
    paper = parse_html(page)
    got = {(e["name"], e["value"], e["where"]) for e in extract_statements(paper)}
    assert ("random seeds", 10.0, "Figure 2") in got and ("epochs", 20.0, "Table 1") in got


def test_an_appositive_symbol_and_a_description_are_read_as_the_paper_means_them():
    # lbcs ("the ratio, i.e., $k/n$, to 70% and 80%"); advantage-alignment and sapg describe setups with counts
    got = statements_of("We set the predefined ratio, i.e., $k/n$, to 70% and 80% respectively.",
                        "Consider two agents playing a game.", "We sample 100 examples per task.",
                        "Both methods use 20 times fewer steps.")
    values = {(e["name"], repr(e["value"])) for e in got}
    assert ("predefined ratio $k/n$", "[70.0, 80.0]") in values
    assert not any(e["name"] == "agents" for e in got) and ("examples per task", "100.0") in values
    assert not any(e["name"] == "repetitions" for e in got)


def test_what_a_model_or_an_optimizer_is_used_as_in_either_voice():
    # test-time-model-adaptation ("we use SGD as the update rule", "we use ViT-Base as the source model backbone"),
    # what-will-my-model-forget ("we use ... as ..."); the passive voice is the same frame
    got = named(statements_of("We use ViT-Base as the backbone.", "SGD is used as the optimizer."))
    assert got["backbone"] == "ViT-Base" and got["optimizer"] == "SGD"


def test_the_datasets_a_paper_evaluates_on_are_a_statement():
    # tanh-init ("experiments on the A, B, C and D datasets"), tabdiff (a dash list), eomt ("benchmarks ...: A and B")
    got = named(statements_of("We conduct experiments on the MNIST, Fashion MNIST, CIFAR-10 and CIFAR-100 datasets."))
    assert got["datasets"] == ["MNIST", "Fashion MNIST", "CIFAR-10", "CIFAR-100"]
    assert named(statements_of("We use two benchmarks for segmentation: COCO and ADE20K."))["datasets"] == ["COCO", "ADE20K"]


def test_figure_source_in_a_paragraph_is_not_read_as_settings():
    # LaTeXML leaves TikZ code of a figure in the text (eomt): key=value lists are code, not prose
    assert statements_of("(plus) [circle, draw, below=0.35cm of group, font=, align=center, inner sep=1pt] "
                         "[thick, draw=gray!50!white, fill=white, text depth=0]") == []


def test_warm_up_as_a_share_of_training_and_decay_in_numbers():
    got = statements_of("The learning rate follows a linear warm-up over the first 5% of the training steps and is "
                        "then divided by 10 at epochs 30, 60 and 80.")
    values = named(got)
    assert values["warm-up share"] == 5.0 and values["lr decay factor"] == 0.1
    assert values["lr milestones in epochs"] == [30, 60, 80]


def test_a_paragraph_heading_scopes_its_statements():
    # test-time-model-adaptation (a baseline per paragraph heading), sapg (a subsection per task)
    from reprokit.gaps.ledger import stated_entries

    def section(sid, title, parent, *paragraphs):
        return {"id": sid, "number": "B.2" if parent is None else "", "title": title, "parent": parent,
                "kind": "section", "paragraphs": list(paragraphs)}

    paper = {"sections": [section("B2", "Baselines", None),
                          section("B2.rh1", "TENT (Wang et al., 2021)", "B2", "We use SGD with a learning rate of 0.001."),
                          section("B2.rh2", "CoTTA (Wang et al., 2022)", "B2", "We use SGD with a learning rate of 0.05.")],
             "tables": [], "algorithms": []}
    stated = stated_entries(paper)
    scopes = {e["value"]: e["scope"] for e in stated if e["name"] == "learning rate"}
    assert scopes == {0.001: "TENT", 0.05: "CoTTA"}
    assert not any(e["conflicts"] for e in stated)
    # a heading that cites another work (or a "Baselines" section) holds that method's values, never the run's
    assert {e["kind"] for e in stated} == {"baseline"}
    paper["sections"].append(section("S4", "Our method", None, "We use SGD as the optimizer with a learning rate of 0.1."))
    paper["sections"][-1]["number"] = "4"
    lr = next(e for e in build_ledger(paper, [], {})["entries"] if e["name"] == "optimizer.lr")
    assert (lr["value"], lr["tag"]) == (0.1, "paper")


def test_a_count_of_tasks_or_examples_spelled_in_words_describes_the_study():
    # rice ("We select eight representative environments"), sapg ("the above three tasks"), what-will-my-model-forget
    # ("two examples"): counted in words these describe the paper; digits and a model's parts stay settings
    got = named(statements_of("We select eight representative environments to show the method.",
                              "The agent in the above three tasks is measured by successes.",
                              "We sample 100 examples per task.", "The critic is a two-layer MLP."))
    assert "representative environments" not in got and "tasks" not in got
    assert got["examples per task"] == 100 and got["MLP layers"] == 2


def test_a_case_a_sentence_discusses_is_not_a_setting():
    # rice ("When $p=0$, refining starts ..."), advantage-alignment ("With a value of $\\beta=1$, ..."), tanh-init
    # ("the cases where $\\sigma_{z}=0.3$"); "... with $\\alpha=0.085$" (tanh-init) is the value used
    got = statements_of("When $p=0$, refining starts from the default initial states.",
                        "With a low value of the weight ($\\beta=0.5$), most runs converge.",
                        "Please refer to the figure for the cases where $\\sigma_{z}=0.3$.",
                        "The noise is set to $\\alpha/\\sqrt{N}$ with $\\alpha=0.085$.")
    assert [(e["name"], e["value"]) for e in got if e["pattern"] == "math"] == [("\\alpha", 0.085)]


def test_a_value_a_result_is_reported_under_is_a_compared_value_listed_as_a_sweep():
    # the same frame in six development papers: lbcs ("competitive when $k=1000$ on F-MNIST and $k=4000$ ..."),
    # rice ("a mixture probability of $p=0.25$ or $p=0.5$ is a better choice"), sapg ("$\\sigma = 0$ works best"),
    # tabdiff ("performs better with $\\omega=0.6$ compared to $\\omega=0.0$", "achieves ... with as few as 50
    # discretization steps ($T=50$)"), test-time-model-adaptation ("(i.e., $\\beta=1.0$) ... achieves"), eomt
    # ("The model with $L_{2}=4$ achieves the best PQ"): listed, and never a run's setting
    got = statements_of("The model consistently performs better with $\\omega=0.6$ compared to $\\omega=0.0$.",
                        "When $k=1000$ on F-MNIST, our performance is competitive (80.3 vs. 79.7).",
                        "When $p=0$, refining starts from the default initial states.",
                        # ... but the result itself is no value of a setting (a new user's adapter paper)
                        "The adapter achieves $R_{J}=1.000$ and the highest utility ($U_{T}=0.800$, vs. 0.732 for filter).")
    compared = sorted((e["name"], e["value"], e["kind"]) for e in got if e["pattern"] == "math")
    assert compared == [("\\omega", 0.0, "sweep"), ("\\omega", 0.6, "sweep"), ("k", 1000.0, "sweep")]
    # ... and the setting a later sentence states with the same value is the setting (a review)
    later = statements_of("Training is more stable with $\\beta_{2}=0.95$ compared to $\\beta_{2}=0.999$.",
                          "We use AdamW with $\\beta_{1}=0.9$, $\\beta_{2}=0.95$ and a weight decay of 0.1.")
    assert {e["kind"] for e in later if e["name"] == "\\beta_{2}" and e["value"] == 0.95} == {"setting"}


def test_a_new_users_detr_recipe_one_set_of_several_items_a_model_named_faster_and_the_fields_habit():
    # a new user's DETR paper: weight decay, 500 epochs, the drop at 400 and the clipping had been framework defaults
    got = statements_of("We train DETR with AdamW setting the initial transformer\u2019s learning rate to $10^{-4}$, "
                        "the backbone\u2019s to $10^{-5}$, and weight decay to $10^{-4}$.",
                        "For the longer schedule used to compare with Faster R-CNN we train for 500 epochs with "
                        "learning rate drop after 400 epochs.",
                        "We also apply gradient clipping, with a maximal gradient norm of 0.1.",
                        "Transformers are typically trained with Adam or Adagrad optimizers.",
                        "We set the learning rate to 0.1, and it is reduced to 0.01 later.")
    settings = {(e["name"], e["value"]) for e in got if e["kind"] == "setting"}
    assert {("initial transformer\u2019s learning rate", 1e-4), ("backbone\u2019s learning rate", 1e-5),
            ("weight decay", 1e-4), ("epochs", 500.0), ("maximal gradient norm", 0.1)} <= settings
    assert not any("it is" in e["name"] for e in got)  # another clause, not the set's next item
    # (a review: a pair "respectively", an item's unit, symbols as names; a number in the field's habit is the paper's)
    more = named(statements_of("We set the learning rate to 0.1 and the momentum and weight decay to 0.9 and 5e-4, "
                               "respectively.", "We set the batch size to 4096, and the warmup to 40 epochs.",
                               "We set $\\beta_1$ to 0.9 and $\\beta_2$ to 0.95."))
    assert more["weight decay"] == 5e-4 and more["warm-up epochs"] == 40 and more["$\\beta_2$"] == 0.95
    assert {e["kind"] for e in statements_of("Networks are usually trained for 200 epochs with SGD.")} == {"setting"}
    assert {e["kind"] for e in got if e["name"] == "optimizer" and e["value"] == "Adam"} == {"cited"}
    ledger = build_ledger({"sections": [{"id": "S4", "number": "4", "title": "Experiments", "parent": None,
                                         "kind": "section", "paragraphs": [" ".join(e["quote"] for e in got[:1]) + " "
                                                                           "We also apply gradient clipping, with a "
                                                                           "maximal gradient norm of 0.1."]}],
                           "tables": [], "algorithms": []}, [], {})
    run = {e["name"]: e["value"] for e in ledger["entries"] if e["tag"] == "paper"}
    assert run["optimizer.weight_decay"] == 1e-4 and run["tricks.grad_clip"] == 0.1 and run["optimizer.lr"] == 1e-4


def test_a_warm_up_ratio_of_a_budget_in_epochs_is_warm_up_epochs_and_two_lora_misreadings():
    # a new user's LoRA paper: "Warmup Ratio | 0.06" of 80 epochs had left the run without warm-up; "peaks at $r=16$
    # for validation loss" had been 16 test examples, "35MB if stored in FP16" the training's precision
    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    table = {"number": "9", "kind": "hyperparameters", "section": "S4", "header_rows": 1, "caption": "Hyperparameters.",
             "rows": [[cell("Setting"), cell("Value")], [cell("Warmup Ratio"), cell("0.06", 0.06)],
                      [cell("# Epochs"), cell("80", 80.0)], [cell("LR Schedule"), cell("Linear")]]}
    paper = {"sections": [{"id": "S4", "number": "4", "title": "Experiments", "parent": None, "kind": "section",
                           "paragraphs": ["Here the performance peaks at $r=16$ for validation loss and $r=4$ for BLEU. "
                                          "We set a parameter budget of 18M (roughly 35MB if stored in FP16)."]}],
             "tables": [table], "algorithms": []}
    entries = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    warmup = entries["schedule.warmup_epochs"]
    assert (warmup["value"], warmup["tag"], warmup["computed"]) == (4.8, "paper", True)
    assert "schedule.warmup_steps" not in entries or entries["schedule.warmup_steps"]["tag"] != "framework default"
    assert entries.get("data.test_size", {}).get("tag") != "paper" and entries["tricks.precision"]["tag"] != "paper"
    # a ratio stated for another stage than the epochs' is not a share of them (a review)
    other = {"sections": [{"id": "S4", "number": "4", "title": "Experiments", "parent": None, "kind": "section",
                           "paragraphs": ["We pre-train the model for 300 epochs with a batch size of 4096. For "
                                          "fine-tuning on GLUE, we use a warmup ratio of 0.06."]}], "tables": [],
             "algorithms": []}
    assert "schedule.warmup_epochs" not in {e["name"] for e in build_ledger(other, [], {})["entries"]}


def test_a_figure_caption_that_repeats_the_prose_is_one_statement_a_table_caption_is_its_own(tmp_path):
    # tanh-init and advantage-alignment repeat the prose's setting under each plot of that run
    from reprokit.paper import parse_html

    page = tmp_path / "p.html"
    page.write_text("""<html><body><article class="ltx_document"><h1 class="ltx_title">T</h1>
<section id="S4" class="ltx_section"><h2 class="ltx_title"><span class="ltx_tag">4 </span>Experiments</h2>
<div class="ltx_para"><p class="ltx_p">All models were trained for 20 epochs.</p></div>
<figure id="S4.F2" class="ltx_figure"><img src="x.png"/><figcaption class="ltx_caption">Figure 2: Loss over 20
epochs, averaged over 10 seeds.</figcaption></figure>
<figure id="S4.T1" class="ltx_table"><figcaption class="ltx_caption">Table 1: Accuracy. Each model trained for 20 epochs.</figcaption>
<table class="ltx_tabular"><tr><td>Model</td><td>Acc</td></tr><tr><td>A</td><td>91.0</td></tr></table></figure>
</section></article></body></html>""")
    got = [(e["name"], e["value"], e["where"]) for e in extract_statements(parse_html(page))]
    assert [w for n, v, w in got if n == "epochs"] == ["§4", "Table 1"]
    assert ("seeds", 10.0, "Figure 2") in got


def test_a_dataset_statistics_table_is_read_with_one_row_per_dataset(tmp_path):
    # the other orientation of a table (tabdiff's Table 6): the column names the statistic, the row the dataset
    from reprokit.paper import parse_html

    page = tmp_path / "p.html"
    page.write_text("""<html><body><article class="ltx_document"><h1 class="ltx_title">T</h1>
<section id="A1" class="ltx_appendix"><h2 class="ltx_title"><span class="ltx_tag">Appendix A </span>Datasets</h2>
<figure id="A1.T6" class="ltx_table"><figcaption class="ltx_caption">Table 6: Statistics of datasets.</figcaption>
<table class="ltx_tabular"><tr><td>Dataset</td><td># Train</td><td># Test</td><td>Task</td></tr>
<tr><td>Adult</td><td>28,943</td><td>16,281</td><td>Classification</td></tr>
<tr><td>Magic</td><td>15,215</td><td>1,902</td><td>Classification</td></tr></table></figure>
</section></article></body></html>""")
    paper = parse_html(page)
    assert [t["kind"] for t in paper["tables"]] == ["dataset statistics"]
    got = {(e["name"], e["value"], e["scope"], e["kind"]) for e in extract_statements(paper)}
    assert got == {("# Train", 28943.0, "Adult", "dataset statistic"), ("# Test", 16281.0, "Adult", "dataset statistic"),
                   ("# Train", 15215.0, "Magic", "dataset statistic"), ("# Test", 1902.0, "Magic", "dataset statistic")}


def test_a_specifications_table_gives_each_model_its_named_parts_scoped_by_its_row(tmp_path):
    # the per-row orientation with names in the cells (eomt's Table A: the checkpoint each backbone loads); a row
    # label that repeats is told apart by the next column, and a citation key is no part of a name (the rule under
    # the header, LaTeXML's ltx_border_t, ends the header: every row is text)
    from reprokit.paper import parse_html

    page = tmp_path / "p.html"
    page.write_text("""<html><body><article class="ltx_document"><h1 class="ltx_title">T</h1>
<section id="A1" class="ltx_appendix"><h2 class="ltx_title"><span class="ltx_tag">Appendix A </span>Models</h2>
<figure id="A1.T1" class="ltx_table"><figcaption class="ltx_caption">Table A: Model specification. The timm
model we use for each backbone.</figcaption>
<table class="ltx_tabular"><tr><td>Model</td><td>Pre-training</td><td>timm model</td></tr>
<tr><td class="ltx_td ltx_border_t">ViT-g</td><td class="ltx_td ltx_border_t">DINOv2 oquab2023dinov2</td>
<td class="ltx_td ltx_border_t">vit_giant_patch14_reg4_dinov2</td></tr>
<tr><td>ViT-L</td><td>DINOv2 oquab2023dinov2</td><td>vit_large_patch14_reg4_dinov2</td></tr>
<tr><td>ViT-L</td><td>DeiT-III (ImageNet-1K) touvron2022deit</td><td>deit3_large_patch16_384.fb_in1k</td></tr>
</table></figure></section></article></body></html>""")
    paper = parse_html(page)
    assert [t["kind"] for t in paper["tables"]] == ["specifications"]
    got = {(e["name"], e["value"], e["scope"], e["kind"]) for e in extract_statements(paper)}
    assert ("timm model", "vit_giant_patch14_reg4_dinov2", "ViT-g", "setting") in got
    assert ("timm model", "vit_large_patch14_reg4_dinov2", "ViT-L, DINOv2", "setting") in got
    assert ("timm model", "deit3_large_patch16_384.fb_in1k", "ViT-L, DeiT-III (ImageNet-1K)", "setting") in got
    assert ("Pre-training", "DeiT-III", "ViT-L, DeiT-III (ImageNet-1K)", "setting") in got
    assert ("Pre-training", "DINOv2", "ViT-L, DINOv2", "setting") in got  # each row its own, though ViT-g's is the same
    assert len(got) == 6
    # the same caption over a table of measured numbers is no specifications table
    page.write_text(page.read_text().replace("vit_giant_patch14_reg4_dinov2", "81.2").replace(
        "vit_large_patch14_reg4_dinov2", "84.0").replace("deit3_large_patch16_384.fb_in1k", "83.1").replace(
        "DINOv2 oquab2023dinov2", "12.5").replace("DeiT-III (ImageNet-1K) touvron2022deit", "13.0"))
    assert [t["kind"] for t in parse_html(page)["tables"]] != ["specifications"]


def test_a_share_written_out_in_words_is_a_percentage():
    # tanh-init ("Fifteen percent of the dataset is allocated for validation"); the one number grammar reads the
    # word "percent" as it reads "%"
    got = {(repr(e["value"]), e["unit"]) for e in statements_of("Fifteen percent of the dataset is allocated for validation.",
                                                               "We hold out 10 percent of the training images.")}
    assert ("15.0", "%") in got and ("10.0", "%") in got


def test_the_activation_function_is_a_setting_named_before_what_it_is():
    # lbcs ("ReLU activation"), sapg ("ELU activation"), advantage-alignment ("an MLP with relu non-linearities",
    # "a $\\tanh$ activation"), tanh-init ("tanh FFNNs"); "the output of this MLP is used as the mean of a normal
    # distribution" says what the MLP's output is, not which model is used
    got = {(e["name"], e["value"]) for e in statements_of(
        "The output of the encoder is passed to an MLP with relu non-linearities and the output of this MLP is "
        "used as the mean of a normal distribution.", "The MLP output goes through a $\\tanh$ activation.",
        "We evaluate the method on tanh FFNNs of varying width.", "Each block uses an ELU activation.")}
    assert got == {("activation", "relu"), ("activation", "tanh"), ("activation", "ELU")}


def test_a_count_of_any_plural_noun_after_a_word_that_introduces_a_quantity():
    # "V X" beyond the listed units: advantage-alignment ("a parallelized environment with 6 copies of ..."),
    # test-time-model-adaptation ("full precision with 32 bits"), rice ("a cheetah with 8 joints"); a number
    # after a reference or before a verb is no count ("Equation 8 depends on", "Theorem 2 proves")
    got = {(e["name"], e["value"]) for e in statements_of(
        "We use a parallelized environment with 6 copies of Commons Harvest Open.",
        "All models are full precision with 32 bits.", "Equation 8 depends only on the log probabilities.",
        "Theorem 2 proves the claim.", "Our method uses 20 times fewer steps.")}
    assert got == {("copies", 6.0), ("bits", 32.0)}


def test_the_checkpoint_kept_is_a_model_selection_setting():
    # tabdiff ("we select the checkpoint with the lowest training loss"), advantage-alignment ("we select the
    # checkpoint that corresponds to the best achieved return for the agent")
    got = {(e["name"], e["value"]) for e in statements_of(
        "During inference, we select the checkpoint with the lowest training loss.",
        "In our experiments we select the checkpoint that corresponds to the best achieved return for the agent.",
        "We checkpoint every 5000 steps.")}
    assert {("model selection", "checkpoint with the lowest training loss"),
            ("model selection", "checkpoint with the best achieved return")} <= got
    assert not any(name == "model selection" for name, _ in got - {
        ("model selection", "checkpoint with the lowest training loss"),
        ("model selection", "checkpoint with the best achieved return")})


def test_choosing_the_best_of_several_runs_is_a_protocol_not_a_results_discussion():
    # advantage-alignment ("we select the best agent out of 10 seeds and evaluate it 100 times", "We select the best
    # of 10 seeds for each value of $\\beta$"), sapg ("choosing the best seed"); tabdiff's "the best-validated
    # models" is a selection too. "achieves the best PQ with 4 blocks" stays a discussion.
    got = {(e["name"], e["value"]) for e in statements_of(
        "Following the protocol of the contest, we select the best agent out of 10 seeds and evaluate it 100 times.",
        "The model with 4 blocks achieves the best PQ.", "Our method is the best with 8 heads.")}
    assert {("seeds", 10.0), ("repetitions", 100.0)} <= got
    assert not any(value in (4.0, 8.0) for _, value in got)


def test_a_textual_citation_inside_a_setting_is_read_past_and_the_verb_may_take_any_tense():
    # textual citations "Zhou et al. (2022)" (lbcs), "Uchendu et al. (2023)" (rice); a new user's NLP paper:
    # "we utilized the AdamW Loshchilov and Hutter (2017) optimizer" lost its optimizer (the ledger guessed Adam),
    # "optimizer" after "et al." read as what the cited work did
    got = statements_of("For optimization, we utilized the AdamW Smith et al. (2017) optimizer with the AMSGrad "
                        "variant set to True Jones et al. (2019b).", "We used Adafactor with a learning rate of 0.001.",
                        "Brown et al. (2019) trained with SGD for 90 epochs.")
    kinds = {(e["name"], e["value"]): e["kind"] for e in got}
    assert kinds[("optimizer", "AdamW")] == "setting" and kinds[("optimizer", "Adafactor")] == "setting"
    assert kinds[("epochs", 90.0)] == "cited"


def test_a_count_per_what_was_counted_before_it_is_no_total():
    # "a network with $50$ hidden layers, each containing $64$ nodes" (tanh-init), "three test sets, each containing
    # 10,000 new images" (test-time-model-adaptation); a new user's offline-RL paper: "40 epochs, each of which
    # consists of 2500 steps" became a 2500-step budget, and "one checkpoint per 8 training steps" an 8-step one
    got = named(statements_of(
        "We train the models for 40 epochs, each of which consists of 2500 steps.",
        "We evaluate on a network with $50$ hidden layers, each containing $64$ nodes.",
        "We construct four tanh FFNNs, each with $64$ units per hidden layer.",
        "We save 140 checkpoints (one checkpoint per 8 training steps)."))
    assert got["epochs"] == 40.0 and got["steps per epoch"] == 2500.0 and got["nodes per hidden layer"] == 64.0
    assert got["units per hidden layer"] == 64.0 and got["every steps"] == 8.0
    assert "steps" not in got and "training steps" not in got
    # ... and a count per what follows it: "$64$ nodes per hidden layer" (tanh-init), "1/10 images per class"
    # (lbcs), "2 residual blocks in each resolution" (muse); "128 training examples for each unique label" (a new
    # user's NLP paper: read as the training set's size, it made the ledger's epochs twice the paper's)
    got = named(statements_of("We randomly select 128 training examples for each unique label within the dataset.",
                              "We apply 2 residual blocks in each resolution.", "We select the best of 10 seeds for "
                              "each value of $\\beta$."))
    assert got == {"training examples per label": 128.0, "residual blocks per resolution": 2.0, "seeds": 10.0}


def test_this_work_is_the_papers_own_voice_beside_a_cited_one():
    # "this paper" / "this work" as advantage-alignment and eomt write it; a new user's offline-RL paper: "gradient
    # clipping is used in the previous work and this study (the maximum norm is $0.25$)" was read as cited work's
    kinds = {(e["name"], e["value"]): e["kind"] for e in statements_of(
        "Because gradient clipping is used in the previous work and this study (the maximum norm is $0.25$), we "
        "compute the clipped gradients.", "Their original implementation uses a batch size of 128.")}
    assert kinds[("maximum norm", 0.25)] == "setting" and kinds[("batch size", 128.0)] == "cited"


def test_a_table_with_a_column_per_setting_and_a_row_per_technique_scopes_each_value_by_its_row():
    # a new user's NLP paper, Table 7 "Learning rates used per Language Model (LM) tuning technique.": read as a
    # results table ("Learning Rate" as a rate), its six learning rates were lost
    from reprokit.gaps.statements import extract_statements
    from reprokit.paper.tables import classify

    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    rows = [[cell("LM Tuning Technique"), cell("Learning Rate")], [cell("GS"), cell("No rate")],
            [cell("AllTune"), cell("0.00001")], [cell("LoRA"), cell("0.0001")], [cell("SpTune"), cell("0.001")]]
    caption = "Learning rates used per Language Model (LM) tuning technique."
    assert classify(caption, rows) == "hyperparameters"
    table = {"number": "7", "kind": "hyperparameters", "section": "S4", "header_rows": 1, "caption": caption,
             "rows": rows}
    got = extract_statements({"sections": [{"id": "S4", "number": "B", "title": "Setup", "parent": None,
                                            "kind": "section", "paragraphs": []}], "tables": [table], "algorithms": []})
    assert {(e["name"], e["value"], e["scope"]) for e in got if e["where"] == "Table 7"} == {
        ("Learning Rate", 1e-05, "AllTune"), ("Learning Rate", 0.0001, "LoRA"), ("Learning Rate", 0.001, "SpTune")}


def test_an_expression_is_no_count_and_a_product_no_name_and_a_swept_name_ends_before_its_verb():
    # a new user's NLP paper: "across the $M+1$ values" gave "values = 1", "the learning rate was fine-tuned from the
    # set {...}" named its sweep "learning rate was fine-tuned"; an offline-RL paper: "$50\\times 50=2500$" a name
    got = named(statements_of("We average the prediction scores across the $M+1$ values.",
                              "The bar plot is the minimum of the $50\\times 50=2500$ cosine similarities.",
                              "The tuned learning rate was fine-tuned from the set \\{0.5, 0.3, 0.1\\} on SST2.",
                              "The diffusion coefficient is set to $\\nu=0.01$."))
    assert got == {"learning rate": [0.5, 0.3, 0.1], "\\nu": 0.01}


def test_a_model_name_with_its_size_or_version_in_lower_case():
    # "ViT-small" (lbcs), "Hopper-v3" (rice), "TPU-v4" (muse); a new user's NLP paper: "we use the RoBERTa-large
    # model", "we employ a T5-base model" gave no model at all
    got = {(e["name"], e["value"]) for e in statements_of(
        "For the downstream tasks, we use the RoBERTa-large model as the language model.",
        "As the paraphrase generator, we employ a T5-base model pre-trained on paraphrase data.")}
    assert {("model", "RoBERTa-large"), ("model", "T5-base")} <= got


def test_a_scope_may_be_a_name_that_starts_in_lower_case():
    # names as "kNN" (test-time-model-adaptation), "cPINNs" (tanh-init), "mIoU" (eomt) write them; a new user's
    # offline-RL paper: "12 for GPT2 ... and 24 for iGPT" gave both values GPT2's scope and called them a sweep
    got = {(e["value"], e["scope"], e["kind"]) for e in statements_of(
        "The number of layers is 12 for GPT2 and randomly initialized model and 24 for iGPT.")}
    assert got == {(12.0, "GPT2", "setting"), (24.0, "iGPT", "setting")}


def test_a_part_of_a_whole_and_which_ones_are_no_counts_and_seeds_never_conflict():
    # a new user's offline-RL paper (no development paper writes these; flagged as trial-only in the closing note):
    # "24 of 34 layers are layer norm modules", "the first two parameters ... are much larger", "Pre-trained models
    # are from the Transformers library", and its seeds "(seed = 666)" and "(seed = 666 & 42)" shown as conflicts
    from reprokit.gaps.ledger import stated_entries

    got = statements_of("We observe that 24 of 34 layers are layer norm modules.",
                        "We notice that the first two parameters are much larger than the rest.",
                        "Pre-trained models are from the Transformers library.",
                        "The GRU network consists of first two Linear Layers with a relu in between.",
                        "Table 4 is the result of one random seed (seed = 666).", "Table 5 uses two seeds (seed = 42).")
    assert {(e["name"], e["value"]) for e in got if e["name"] not in ("activation", "seed", "seeds")} == {("Linear Layers", 2.0)}
    assert [e["conflicts"] for e in stated_entries(got) if e["name"] == "seed"] == [[], []]


def test_what_a_figure_draws_or_a_symbol_stands_for_is_no_setting_and_a_name_ends_before_its_verb():
    # tanh-init ("The color bar ranges from 0 to 0.05"), tabdiff ("where $s$ and $t$ are two arbitrary
    # timesteps"), muse ("directly predicting $512\\times 512$ resolution leads the model to ...")
    got = {(e["name"], repr(e["value"])) for e in statements_of(
        "The color bar ranges from $0$ to $0.05$, with values outside this range shown in white.",
        "Here $s$ and $t$ are sampled, where $s$ and $t$ are two arbitrary timesteps that $0<s<t<1$.",
        "We found that directly predicting $512\\times 512$ resolution leads the model to focus on details.",
        "The middle left of 6 demonstrates its ability to generate many styles.",  # (muse: a figure's number)
        "The bottom left of 6 demonstrates that Muse uses the entirety of a text prompt.")}
    assert got == {("resolution", "[512.0, 512.0]")}


def test_a_drawing_a_definition_a_fraction_and_a_comparison_are_no_settings():
    # sapg ("$M = 3$ in figure"), test-time-model-adaptation ("$\\beta=1.0$ equals to without using EMA"), lbcs
    # ("1/10 images per class"), tanh-init ("less widely employed compared to ReLU networks", "compared to those
    # using Xavier initialization"); the settings beside them stay
    got = {(e["name"], repr(e["value"])) for e in statements_of(
        "There is one leader and followers ($M = 3$ in figure).", "$\\beta=1.0$ equals to without using EMA.",
        "Distillation synthesizes few points (e.g., 1/10 images per class).",
        "Tanh networks are less widely employed compared to ReLU networks.",
        "It predicts with lower error compared to those using Xavier initialization.",
        "We use $\\beta=0.9$ for the EMA and train on 500 images with a tanh activation.")}
    assert got == {("\\beta", "0.9"), ("images", "500.0"), ("activation", "'tanh'"),
                   ("activation", "'Tanh'")}  # the sentence's own Tanh networks


def test_a_size_of_something_is_named_by_what_it_sizes():
    # muse ("a quantized codebook of size $8192$"), lbcs ("streaming them in batches of size 125")
    got = {(e["name"], e["value"]) for e in statements_of(
        "We use a quantized codebook of size $8192$ for the tokenization.", "We stream them in batches of size 125.")}
    assert got == {("codebook size", 8192.0), ("batch size", 125.0)}


def test_stated_but_unused_shows_a_value_as_the_paper_words_it_but_never_its_latex():
    from reprokit.gaps.ledger import stated_but_unused

    stated = [{"name": "regularization weight", "value": 0.0005, "raw": "$5\\times 10^{-4}$", "kind": "setting",
               "where": "§4.1", "quote": "a regularization weight of $5\\times 10^{-4}$"},
              {"name": "fundamental steps", "value": 3.0, "raw": "three", "kind": "setting", "where": "§2",
               "quote": "three fundamental steps"}]
    assert [u["raw"] for u in stated_but_unused([], stated)] == ["0.0005", "three"]


def test_as_meaning_because_names_no_model():
    # test-time-model-adaptation ("we adopt CMA as it is one of the most successful ... algorithms") against
    # "We use ViT-Base as the source model backbone" (the same paper) and "SGD is used as the optimizer" (lbcs)
    got = {(e["name"], e["value"]) for e in statements_of(
        "Here, we adopt CMA as it is one of the most successful evolutionary algorithms.",
        "We use ViT-Base as the source model backbone for all experiments.")}
    assert got == {("source model backbone for all experiments", "ViT-Base")}


def test_the_compute_a_run_takes_is_a_hardware_statement_with_its_unit():
    # advantage-alignment ("experiments run in 50 minutes in a nvidia A100 gpu", "last 24 hours on an nvidia L40s
    # gpu"), sapg ("experiments take about 48-60 hours on a single GPU")
    got = {(e["name"], repr(e["value"]), e["unit"], e["kind"]) for e in statements_of(
        "All of our experiments run in 50 minutes in a nvidia A100 gpu.",
        "Experiments take about 48-60 hours on a single GPU.", "Our runs last 24 hours on an nvidia L40s gpu.")}
    assert ("compute time", "50.0", "minutes", "hardware") in got and ("GPU", "'nvidia A100'", "", "hardware") in got
    assert ("compute time", "[48.0, 60.0]", "hours", "hardware") in got and ("GPU", "'nvidia L40s'", "", "hardware") in got


def test_a_technique_named_by_its_kind_is_a_setting_with_its_abbreviation():
    # eomt ("We use a two-stage linear learning rate warm-up", "we use padded inference", "we apply windowed
    # inference", "by using bicubic interpolation"), tanh-init ("use full-batch training"), advantage-alignment
    # ("We used generalized advantage estimation (GAE)")
    got = {(e["name"], repr(e["value"])) for e in statements_of(
        "We use a two-stage linear learning rate warm-up for all models.",
        "For semantic segmentation, we apply windowed inference, resizing the shorter side.",
        "All experiments use full-batch training with a learning rate of 0.001.",
        "We used generalized advantage estimation (GAE) to compute the advantages.",
        "Positional embeddings are resized by using bicubic interpolation.",
        "We compare against the proposed initialization of prior work.")}
    assert ("warm-up", "'two-stage linear'") in got and ("inference", "'windowed'") in got
    assert ("training", "'full-batch'") in got and ("interpolation", "'bicubic'") in got
    assert ("estimation", "['generalized advantage', 'GAE']") in got
    assert not any(name == "initialization" for name, _ in got)  # "the proposed ..." names no technique


def test_the_gpu_is_named_with_its_maker_as_written():
    # eomt ("We use an NVIDIA H100 GPU"), tabdiff ("on an Nvidia RTX A4000 GPU"), lbcs ("NVIDIA GTX3090 GPUs")
    got = {(e["name"], e["value"], e["kind"]) for e in statements_of(
        "We use an NVIDIA H100 GPU for evaluation.", "We perform our experiment on an Nvidia RTX A4000 GPU.",
        "We benchmarked Muse-3B internally on TPUv4 accelerators.")}
    assert {("GPU", "NVIDIA H100", "hardware"), ("GPU", "Nvidia RTX A4000", "hardware")} <= got
    assert ("TPU", "TPUv4", "hardware") in got  # (muse: a TPU is no GPU)


def test_two_values_of_one_set_are_two_statements_and_a_weight_decay_is_no_learning_rates_end():
    """"We set the learning rate to 3e-4 and the weight decay to 0.01": the second half was read by the "decay to"
    frame as a final learning rate of 0.01, and the weight decay was lost (a run would have used the default)."""
    found = {(e["name"], e["value"], e["pattern"]) for e in extract_statements(paper_with(
        "We set the learning rate to 3e-4 and the weight decay to 0.01."))}
    assert found == {("learning rate", 3e-4, "we set"), ("weight decay", 0.01, "we set")}
    ledger = build_ledger(paper_with("We train with AdamW. We set the learning rate to 3e-4 and the weight decay to "
                                     "0.01."), [], {})
    by_name = {e["name"]: e for e in ledger["entries"]}
    assert by_name["optimizer.weight_decay"]["value"] == 0.01 and by_name["optimizer.weight_decay"]["tag"] == "paper"
    assert by_name["schedule.final_lr"]["tag"] != "paper"
    decayed = extract_statements(paper_with("The learning rate decays to 1e-5 by the end of training."))
    assert [(e["name"], e["value"]) for e in decayed] == [("final learning rate", 1e-5)]


def test_the_readings_a_new_user_checked_first_warm_up_betas_a_techniques_factor_and_we_use_adam():
    """Sentences of the commonest forms, each lost or misread before: "warmed up ... for the first 2,000 steps"
    became the run's total steps; betas in parentheses, "label smoothing with a factor of 0.1" and "EMA with a
    decay of 0.9999" were lost; "we use Adam with ..." was read as a model."""
    ledger = build_ledger(paper_with(
        "We use Adam with betas of (0.9, 0.98) and train for 100 epochs.",
        "The learning rate is warmed up linearly for the first 2,000 steps.",
        "We employ label smoothing with a factor of 0.1, and EMA with a decay of 0.9999 is used."), [], {})
    paper = {e["name"]: (e["value"], e["tag"]) for e in ledger["entries"]}
    assert paper["optimizer.name"] == ("adam", "paper")
    assert paper["optimizer.beta1"] == (0.9, "paper") and paper["optimizer.beta2"] == (0.98, "paper")
    assert paper["schedule.warmup_steps"] == (2000, "paper") and paper["schedule.epochs"] == (100, "paper")
    assert "schedule.total_steps" not in paper or paper["schedule.total_steps"][1] != "paper"
    assert paper["loss.label_smoothing"] == (0.1, "paper") and paper["tricks.ema_decay"] == (0.9999, "paper")
    models = [e for e in extract_statements(paper_with("We use Adam with a learning rate of 0.001.")) if e["pattern"] == "model"]
    assert models == []


def test_rewards_sizes_before_a_noun_the_library_and_the_kind_of_network():
    """Frames each right in two development papers (benchmarks/ledger_recall.py --rules): a reward or penalty
    with its sign (advantage-alignment's Coin Game, RICE's malware mutation); a size written before what it sizes
    (advantage-alignment's "3x3 grid world", muse's "256 $\\times$ 256 pixel images"); the library an
    implementation is built on (RICE's "based on Stable-Baselines3", EoMT's "the implementation of Huggingface
    Transformers"); the kind of network a name is used as (advantage-alignment's "GTrXL transformer", "MLP layer")."""
    got = {(e["name"], repr(e["value"]), e["pattern"]) for e in extract_statements(paper_with(
        "Agents receive a reward of +1 for collecting any coin but incur a penalty of -3 otherwise.",
        "The Coin Game is a 3x3 grid world environment.",
        "We train on 256 $\\times$ 256 pixel images.",
        "We implement our method in four MuJoCo games based on Stable-Baselines3 (Raffin et al., 2021).",
        "For the decoder, we use the implementation of Huggingface Transformers.",
        "We train a GTrXL transformer for 34k steps."))}
    assert ("reward", "1.0", "knob of") in got and ("penalty", "-3.0", "knob of") in got
    assert ("grid world environment", "[3.0, 3.0]", "size of") in got
    assert ("pixel images", "[256.0, 256.0]", "size of") in got
    assert ("library", "'Stable-Baselines3'", "library") in got
    assert ("library", "'Huggingface Transformers'", "library") in got
    assert ("transformer", "'GTrXL'", "model") in got
    # a method's capitalised name is not the kind of network: "Proximal Policy Optimization" is no policy
    names = {e["value"] for e in extract_statements(paper_with("We utilize the Proximal Policy Optimization algorithm."))}
    assert "Proximal" not in names


def test_a_setting_taken_from_another_work_by_name():
    """"We follow the X of Y": the setting X is Y's, a name the reproduction must look up (advantage-alignment's
    "evaluation protocol of LOQA", "architecture used in POLA" and "protocol of the Melting Pot contest"; eomt's
    "approach of ViTDet" and "same design as M2F"; RICE's "following the implementation of DI-drive" is the library).
    A work cited only by its reference leaves no name, notation is no setting, and what other models follow is not
    the paper's."""
    got = {(e["name"], repr(e["value"]), e["pattern"]) for e in extract_statements(paper_with(
        "We follow the evaluation protocol of LOQA (aghajohari2024loqa), where the fixed policy is evaluated zero-shot.",
        "In this experiment we follow the architecture used in POLA (zhao2022proximal) (for details see appendix B.1).",
        "Here, we follow the same design as M2F cheng2022mask2former, passing the query tokens through a linear layer.",
        "Following the protocol of the Melting Pot contest, we select the best agent out of 10 seeds.",
        "We train the agent by the PPO algorithm following the implementation of DI-drive (drive Contributors, 2021).",
        "For Mask2Former, we use the implementation of Huggingface Transformers wolf-etal-2020-transformers."))}
    assert ("evaluation protocol", "'LOQA'", "follows") in got and ("architecture", "'POLA'", "follows") in got
    assert ("design", "'M2F'", "follows") in got and ("protocol", "'Melting Pot contest'", "follows") in got
    assert ("library", "'DI-drive'", "library") in got  # (whole: not "DI")
    assert ("library", "'Huggingface Transformers'", "library") in got  # (the whole citation key taken out)
    # "the same X as Y" after a verb of using or training (eomt's augmentation and loss function, muse's dataset);
    # the augmentation is then no unnamed "same data augmentation techniques"
    got = {(e["name"], repr(e["value"]), e["pattern"]) for e in extract_statements(paper_with(
        "During training, we apply the same data augmentation techniques as used by Mask2Former cheng2022mask2former.",
        "To supervise our models, we adopt the same loss function as Mask2Former cheng2022mask2former.",
        "The COCO results are zero-shot, using a model trained on the same dataset as Imagen (Saharia et al., 2022).",
        "We feed the image to a Conv layer to generate prompts with the same size as the image.",
        "Our method achieves almost the same efficiency as NoAdapt while outperforming T3A."))}
    assert got == {("data augmentation techniques", "'Mask2Former'", "follows"),
                   ("loss function", "'Mask2Former'", "follows"), ("dataset", "'Imagen'", "follows")}
    assert [e for e in extract_statements(paper_with(
        "For datasets other than Diabetes, we follow the exact same split as zhang2024mixedtype.",
        "For streaming, we follow the implementation in (Borsos et al., 2020).",
        "We follow the notation of Agarwal et al., let $\\tau$ denote a trajectory.",
        "State-of-the-art models follow the Mask Transformer framework."))
        if e["pattern"] in ("follows", "library")] == []


def test_misreadings_a_hand_audit_found():
    """A hand audit of the statements the truth does not confirm (2026-12-05: 7 misread of 673) found these:
    "64x64 tokens" read as 64 tokens (muse); "$5 \\mathrm { { e } - 3 }$" read as 5 (sapg, as MinerU writes
    it); "the Public Pool of Prompts" cut at "of" (what-will-my-model-forget); "mixed precision is not supported
    for X" read as the precision used (eomt)."""
    got = {(e["name"], repr(e["value"])) for e in extract_statements(paper_with(
        "The second model upsamples to a latent map of 64x64 tokens.",
        "The variant with coefficient $5 \\mathrm { { e } - 3 }$ is compared.",
        "We evaluate forgetting over tasks from the training split of the Public Pool of Prompts.",
        "Mixed precision is not supported for OneFormer, thus we use fp32."))}
    assert ("tokens", "64.0") not in got and ("tokens", "[64.0, 64.0]") in got
    assert ("variant coefficient", "0.005") in got
    assert ("training set", "'Public Pool of Prompts'") in got
    assert ("numeric precision", "'fp32'") in got and ("numeric precision", "'Mixed precision'") not in got


def test_one_dataset_named_with_the_word_dataset_is_a_statement():
    """Right in three development papers (muse's "We train on the Imagen dataset", tanh-init's "trained for 20
    epochs on the CIFAR-10 dataset", tabdiff's "training process ... on the Adult dataset")."""
    got = {(e["name"], e["value"]) for e in extract_statements(paper_with(
        "We train on the Imagen dataset consisting of 460M text-image pairs.",
        "All models were trained for 20 epochs on the Fashion MNIST dataset."))}
    assert ("dataset", "Imagen") in got and ("dataset", "Fashion MNIST") in got


def test_what_a_named_method_is_used_for_names_it():
    """"We adopt PTQ4ViT for 8-bit model quantization" named PTQ4ViT the model (test-time-model-adaptation); the
    process it is used for names it, never a scope ("for all experiments")."""
    got = {(e["name"], e["value"]) for e in extract_statements(paper_with(
        "We adopt PTQ4ViT for 8-bit and 6-bit model quantization with 32 samples.",
        "We use ResNet-50 for all experiments."))}
    assert ("8-bit and 6-bit model quantization", "PTQ4ViT") in got and ("model", "ResNet-50") in got


def test_a_cited_works_clause_and_the_number_of_a_count_as_a_name():
    """"Following Smith et al., who trained for 300 epochs, we train for 40 epochs": both values were one sweep
    and the run got no epochs; "The number of training epochs is 50" was not read (eomt, lbcs and
    test-time-model-adaptation name settings "the number of X")."""
    ledger = build_ledger(paper_with("Following Smith et al., who trained for 300 epochs, we train for 40 epochs."),
                          [], {})
    assert {e["name"]: e["value"] for e in ledger["entries"] if e["tag"] == "paper"}["schedule.epochs"] == 40
    kinds = {(e["value"], e["kind"]) for e in extract_statements(paper_with(
        "Following Smith et al., who trained for 300 epochs, we train for 40 epochs."))}
    assert kinds == {(300.0, "cited"), (40.0, "setting")}
    ledger = build_ledger(paper_with("The number of training epochs is 50."), [], {})
    assert {e["name"]: e["value"] for e in ledger["entries"] if e["tag"] == "paper"}["schedule.epochs"] == 50
    # the written name stays whole: an episode's "maximum allowed number of steps" is no training length
    ledger = build_ledger(paper_with("The maximum allowed number of steps is 10."), [], {})
    assert all(e["tag"] != "paper" for e in ledger["entries"] if e["name"] == "schedule.total_steps")


def test_a_reviews_sentences_each_misread_before():
    """A review of this change found these read wrongly: a citation without a comma marked the paper's own
    settings as cited; an episode's maximum number of steps and a result in parentheses became run lengths;
    "based on Equation 3" and "based on CLIP features" became libraries; another work's dataset and "the Full
    dataset" became the run's; "4 x 100 steps" became a size; "we do not use mixed precision" became the precision;
    two all-caps names made the name pattern backtrack for seconds."""
    def paper_knobs(sentence):
        return {e["name"]: e["value"] for e in build_ledger(paper_with(sentence), [], {})["entries"] if e["tag"] == "paper"}

    knobs = paper_knobs("Following Chen et al. (2020) we use a batch size of 256 and train for 100 epochs.")
    assert knobs["batch.batch_size"] == 256 and knobs["schedule.epochs"] == 100
    assert "schedule.total_steps" not in paper_knobs("In each episode, the maximum number of steps is 500.")
    assert "schedule.epochs" not in paper_knobs("We report the number of epochs (100) needed to converge.")
    got = {(e["name"], repr(e["value"])) for e in extract_statements(paper_with(
        "We implement the reward based on Equation 3.", "We build a kNN classifier based on CLIP features.",
        "Unlike models trained on the LAION dataset, ours is small.", "Training on the Full dataset takes long.",
        "We take 4 x 100 steps of warm-up.", "We do not use mixed precision."))}
    assert not {name for name, _ in got} & {"library", "dataset", "numeric precision", "steps"}, got
    # (no timing asserted here: before, this sentence kept the name pattern backtracking for minutes;
    # benchmarks/ledger_recall.py --all-corpus times every paper)
    assert extract_statements(paper_with("We evaluate on the REALTOXICITYPROMPTSABCDEFGH TOXIGENABCDEFGHIJKLMN splits."
                                         )) is not None


def test_betas_written_together_and_a_cited_work_with_its_year():
    """The issue's unseen-paper misses, as general forms: two betas "set to A and B respectively" after "Adam with"
    (the second became torch's default; Greek letters as written were no name at all); several assignments in one
    formula, as LaTeXML writes them (muse: "$\\beta_{1}{=}0.9,\\beta_{2}{=}0.96$"; advantage-alignment:
    "$v_{a}=5,v_{b}=1$"); a cited work's clause with its year in parentheses ("Smith et al. (2020), who trained
    for 300 epochs"), whose value made the run's a sweep."""
    def paper_knobs(*sentences):
        return {e["name"]: e["value"] for e in build_ledger(paper_with(*sentences), [], {})["entries"]
                if e["tag"] == "paper"}

    for sentence in ("We use Adam with $\\beta_1$ and $\\beta_2$ set to 0.9 and 0.95, respectively.",
                     "We use Adam with β1 and β2 set to 0.9 and 0.95 respectively.",
                     "We use Adam ($\\beta_{1}{=}0.9,\\beta_{2}{=}0.95$)."):
        knobs = paper_knobs(sentence)
        assert (knobs["optimizer.beta1"], knobs["optimizer.beta2"]) == (0.9, 0.95), sentence
    got = [(e["name"], e["value"]) for e in extract_statements(paper_with(
        "There are two combinations of values: $v_{a}=5,v_{b}=1$ or $v_{a}=1,v_{b}=5$."))]
    assert got == [("v_{a}", 5.0), ("v_{b}", 1.0), ("v_{a}", 1.0), ("v_{b}", 5.0)]
    # a formula that is not only assignments is no setting: an iteration, an index range
    assert not extract_statements(paper_with("We iterate $x_{n+1}=\\phi_{a}(x_{n}),\\quad n=0,1,2$."))
    assert paper_knobs("Following Smith et al. (2020), who trained for 300 epochs, we train for 40 epochs.")[
        "schedule.epochs"] == 40
    # (a review's negatives) a citation that only leads the paper's own sentence does not make it cited work's
    knobs = paper_knobs("Following He et al. (2016), models are trained for 90 epochs with a learning rate of 0.1.")
    assert (knobs["schedule.epochs"], knobs["optimizer.lr"]) == (90, 0.1)
    assert {e["kind"] for e in extract_statements(paper_with(
        "Following Chen et al. (2020a), ours uses a temperature of 0.1."))} == {"setting"}
    # a value for another dataset belongs to the setting set last, not to one set before it (FOA, as a new user)
    got = {(e["name"], e["value"]) for e in extract_statements(paper_with(
        "The population size $K$ is set to 28 and $\\lambda$ is set to 0.4 on ImageNet-C, and 0.2 on ImageNet-R."))}
    assert got == {("population size $K$", 28.0), ("$\\lambda$", 0.4), ("$\\lambda$", 0.2)}
    got = [(e["name"], e["value"]) for e in extract_statements(paper_with(
        "We utilize severity level 5 for evaluation. We use 4000 for training."))]
    assert got == [("severity level", 5.0), ("examples for training", 4000.0)]  # a level's value is no count
    knobs = paper_knobs("We use Adam ($\\epsilon=10^{-8}, \\beta_{2}=0.95$).")  # a power of ten in the formula
    assert (knobs["optimizer.eps"], knobs["optimizer.beta2"]) == (1e-8, 0.95)


def test_a_decay_is_the_learning_rates_only_where_the_sentence_is_about_it():
    """tabdiff's "linear decay $\\lambda_{num}$ from 1.0 to 0.0" schedules a loss weight: it was the run's lr schedule
    (the skip compared the frame's fixed name, "lr schedule", never the word the paper wrote)."""
    weight = statements_of("For the loss weightings, we fix $\\lambda_{cat}$ to 1.0 and linear decay "
                           "$\\lambda_{num}$ from $1.0$ to $0.0$ as training proceeds.")
    assert "lr schedule" not in named(weight)
    for sentence in ("We use cosine decay for the learning rate.", "We use a cosine annealing schedule.",
                     "We train with linear decay after a warm-up of 500 steps."):
        assert named(statements_of(sentence)).get("lr schedule") in ("cosine", "linear"), sentence


def test_both_ends_of_a_count_written_between_two_numbers():
    """"hidden layers alternated between 16 and 4 nodes" (tanh-init) is one statement of both; "a width of 128 and
    4 attention heads" stays two settings."""
    assert named(statements_of("Hidden layers alternated between 16 and 4 nodes.")) == {"nodes": [16.0, 4.0]}
    assert named(statements_of("We use a width of 128 and 4 attention heads.")) == {"width": 128.0,
                                                                                   "attention heads": 4.0}


def test_a_layer_count_written_before_its_network_is_named_by_that_network():
    """tabdiff: "a two-layer transformer" and "a five-layer MLP" were both 'layers', a false conflict in
    gaps_filled.md; eomt ("a two-layer multi-layer perceptron") and advantage-alignment ("a two-layer MLP") write
    the same way."""
    from reprokit.gaps.statements import extract_statements

    paper = {"sections": [{"id": "S1", "number": "4", "title": "Architecture", "kind": "body", "parent": None,
                           "paragraphs": ["We then process these vectors with a two-layer transformer. They are passed "
                                          "through a five-layer MLP conditioned on the time embedding. Each block "
                                          "applies a two-layer multi-layer perceptron (MLP). We stack 3-layer blocks."]}],
             "tables": [], "figures": []}
    got = {(e["name"], e["value"]) for e in extract_statements(paper) if e["pattern"] == "sized"}
    assert got == {("transformer layers", 2.0), ("MLP layers", 5.0), ("MLP layers", 2.0), ("layers", 3.0)}


def test_a_value_of_an_efficiency_or_robustness_study_is_that_studys_not_the_runs():
    """tabdiff's run validated every 200 epochs, read from "F.1 Efficiency › Training Time" (a timing comparison of
    all methods); rice, eomt, lbcs, test-time-model-adaptation and what-will-my-model-forget have such sections. A
    metric named "Machine Learning Efficiency" is no such study."""
    from reprokit.gaps.statements import extract_statements

    def kinds(title: str) -> set[str]:
        paper = {"sections": [{"id": "S1", "number": "F.1", "title": title, "kind": "body", "parent": None,
                               "paragraphs": ["We train for 100 epochs and validate once every 200 epochs."]}],
                 "tables": [], "figures": []}
        return {e["kind"] for e in extract_statements(paper)}

    assert kinds("Efficiency") == {"study"} and kinds("Robustness to noise") == {"study"}
    assert kinds("Machine Learning Efficiency") == {"setting"} and kinds("Training details") == {"setting"}


def test_a_named_model_or_tool_is_read_in_the_past_tense_too():
    """muse: "we used PartiPrompts, a collection of 1650 text prompts" (the prompt set, missed: the frame knew only
    "we use"); the frame's present tense is right in five development papers."""
    got = named(statements_of("For the prompts shown to raters, we used PartiPrompts, a collection of 1650 text prompts.",
                              "We employed ResNet-18 as the backbone.", "We trained a GTrXL transformer."))
    assert "PartiPrompts" in got.values() and "ResNet-18" in got.values() and "GTrXL" in got.values()


def test_a_width_written_before_what_it_is_the_width_of():
    # muse ("a sequence of 4096 dimensional language embedding vectors"), tanh-init ("mapping to a 64-dimensional
    # latent space"); a "1-dimensional" curve is a shape, and a range of widths ("$30k-50k$ dimensional") no value
    got = {(e["name"], e["value"]) for e in statements_of(
        "We pass it through the frozen encoder, resulting in a sequence of 4096 dimensional language embedding vectors.",
        "The encoder maps the input to a 64-dimensional latent space.",
        "We provide 1-dimensional kernel density estimation curves.",
        "We remove the huge $30k-50k$ dimensional vocabulary space from the kernel.")
        if e["pattern"] == "dimensional"}
    assert got == {("language embedding vector dimension", 4096.0), ("latent space dimension", 64.0)}


def test_a_list_of_values_never_ends_inside_a_number():
    # "hidden layers of 512, 256 and 128 units": a list never stops at "12" of "128" (it read [512, 256, 12])
    got = named(statements_of("We use hidden layers of 512, 256 and 128 units."))
    assert 12.0 not in got["hidden layers"] and got["units"] == [512.0, 256.0, 128.0]


def test_a_schedule_is_the_learning_rates_only_where_the_sentence_speaks_of_it():
    # muse ("a variable masking rate based on a Cosine scheduling", "a cosine schedule that chooses ... tokens"),
    # tabdiff ("the log-linear categorical schedule"), lbcs ("an initial learning rate of 0.1 and a cosine rate
    # scheduler"); a new user's diffusion paper had lr_schedule = linear [paper] from its noise schedule
    got = [(e["name"], e["value"]) for e in statements_of(
        "We train with a variable masking rate based on a Cosine scheduling.",
        "Decoding is performed based on a cosine schedule that chooses the masked tokens.",
        "We design the power mean numerical schedule and the log-linear categorical schedule.",
        "When using the linear noise schedule, we interpolate the variances.",
        "SGD is used with an initial learning rate of 0.1 and a cosine rate scheduler.") if e["pattern"] == "schedule"]
    assert got == [("schedule", "Cosine"), ("schedule", "cosine"), ("noise schedule", "linear"),
                   ("lr schedule", "cosine")]
    assert named(statements_of("We use a polynomial scheduler."))["lr schedule"] == "polynomial"
    ledger = build_ledger(paper_with("A model trained with the linear schedule does not get much worse.",
                                     "Our cosine schedule is designed to have a linear drop-off."), [], {})
    schedule = next(e for e in ledger["entries"] if e["name"] == "schedule.lr_schedule")
    assert not schedule["tag_text"].startswith("[paper"), schedule


def test_a_lead_scope_ends_at_its_verb_and_holds_until_the_next_scope_phrase():
    # eomt ("For ViT-S and ViT-B we use $L_{2}=3$, for ViT-L we use $L_{2}=4$, and for ViT-g we use $L_{2}=5$"
    # gave all three the scope "ViT-S and ViT-B we use ..."), muse ("Training is performed for 1M steps, with a batch
    # size of 512": the run's batch size was scoped "1M"); a new user's diffusion paper ("For CIFAR-10 we used 200K
    # and 500K training iterations, and for ImageNet-64 we used 500K and 1500K")
    got = {(e["name"], e["value"], e["scope"]) for e in statements_of(
        "For ViT-S and ViT-B we use $L_{2}=3$, for ViT-L we use $L_{2}=4$, and for ViT-g we use $L_{2}=5$.",
        "Training is performed for 1M steps, with a batch size of 512.",
        "For CIFAR-10 we used 500K training iterations, and for ImageNet-64 we used 1500K training iterations.")}
    assert got == {("L_{2}", 3.0, "ViT-S and ViT-B"), ("L_{2}", 4.0, "ViT-L"), ("L_{2}", 5.0, "ViT-g"),
                   ("steps", 1e6, ""), ("batch size", 512.0, ""),
                   ("training iterations", 5e5, "CIFAR-10"), ("training iterations", 1.5e6, "ImageNet-64")}


def test_a_training_sentence_in_a_section_about_sampling_states_training_settings():
    # eomt's and muse's inference sections state inference values; a new user's paper trained its LSUN models in
    # "Fast Sampling on LSUN" ("We train two models: one with batch size 64 ...")
    kinds = {(e["name"], e["kind"]) for e in statements_of(
        "We train the model with batch size 64 and learning rate 0.0001.", "We sample with a guidance scale of 4.",
        "Throughput is measured with a batch size of 32.", title="Fast Sampling on LSUN")}
    assert kinds == {("batch size", "setting"), ("learning rate", "setting"), ("guidance scale", "inference"),
                     ("batch size", "inference")}


def test_whole_counts_listed_before_what_they_count_are_one_statement():
    # tanh-init ("datasets containing $10$, $20$, $30$, $50$, and $100$ samples", "layers of 512, 256, and 128
    # units"), what-will-my-model-forget ("with 400M, 780M and 3B parameters"), a new user's diffusion paper ("either
    # 64, 96, 128, or 192 channels", "200K and 500K training iterations"): only the last value was read
    got = named(statements_of(
        "We evaluate on datasets containing $10$, $20$, $30$, $50$, and $100$ samples.",
        "The encoder compresses the input through layers of 512, 256, and 128 units.",
        "We scale our models such that the first layer has either 64, 96, 128, or 192 channels.",
        "We used 200K and 500K training iterations.",
        "We use a batch size of 64 and 100 epochs."))
    assert got == {"samples": [10.0, 20.0, 30.0, 50.0, 100.0], "units": [512.0, 256.0, 128.0],
                   "channels": [64.0, 96.0, 128.0, 192.0], "training iterations": [2e5, 5e5],
                   "batch size": 64.0, "epochs": 100.0}  # (the batch size's "of 64" is not an epoch count)


def test_sizes_written_with_math_numbers_read_with_the_one_number_grammar():
    # tanh-init ("a $10,000$-layer tanh FFNN"), muse ("3B parameters"), test-time-model-adaptation ("0.4$\\times BS/64$
    # on ImageNet-C, and 0.2$\\times BS/64$ on ImageNet-R"); a new user's speech paper ("an $8$-block Conformer encoder
    # ($256$-dim output, ...)", "(bottleneck dimension: $32$, $4$ attention heads, ...)" read [32, 4])
    got = {(e["name"], repr(e["value"])) for e in statements_of(
        "It propagates samples through a $10,000$-layer tanh FFNN.", "Our largest model has 3B parameters.",
        "The $\\lambda$ is set to 0.4$\\times BS/64$ on ImageNet-C, and 0.2$\\times BS/64$ on ImageNet-R.",
        "We use an $8$-block Conformer encoder ($256$-dim output).",
        "The head has (bottleneck dimension: $32$, $4$ attention heads).")}
    assert got >= {("FFNN layers", "10000.0"), ("parameters", "3000000000.0"), ("$\\lambda$", "0.4"),
                   ("$\\lambda$", "0.2"), ("encoder blocks", "8.0"), ("output dimension", "256.0"),
                   ("bottleneck dimension", "32.0"), ("attention heads", "4.0")}, got


def test_a_bulleted_item_is_a_sentence_scoped_by_its_label():
    # sapg ("• Regrasping - The object must be ... held near a goal position for $K = 30$ steps"), a new user's
    # speech paper ("• Base-ASR: Standard ASR ... • ASR-BN: ... (bottleneck dimension: $32$, ...)": every value
    # quoted the first item, and none had the item's model as its scope)
    got = {(e["name"], e["value"], e["scope"], e["quote"][:12]) for e in statements_of(
        "• Base-ASR: Standard ASR without auxiliary tasks. • ASR-BN: A joint model with a bottleneck encoder "
        "(bottleneck dimension: $32$, $4$ attention heads, $0.1$ dropout). • Regrasping - The object must be held for "
        "$K = 30$ steps.")}
    assert got == {("bottleneck dimension", 32.0, "ASR-BN", "• ASR-BN: A "), ("dropout", 0.1, "ASR-BN", "• ASR-BN: A "),
                   ("attention heads", 4.0, "ASR-BN", "• ASR-BN: A "),
                   ("K", 30.0, "Regrasping", "• Regrasping"), ("steps", 30.0, "Regrasping", "• Regrasping")}


def test_a_new_users_speech_paper_states_its_optimizer_weight_decay_warm_up_and_augmentation():
    # one sentence gave the run only its learning rate: the optimizer was a guess, the weight decay and the warm-up
    # framework defaults, the augmentation "none". No development paper writes these forms: the list's next item
    # sharing the article, "Adam optimization", a "V-step warmup", the speech augmentations by name
    from reprokit.gaps.ledger import build_ledger

    paper = paper_with("Adam optimization is used with a $0.002$ learning rate, $1\\times 10^{-6}$ weight decay, and a "
                       "$1.5\\times 10^{4}$-step warmup.", "Data augmentation includes $3$-way speed perturbation and "
                       "SpecAugment (time warping, frequency masking up to $27$ bins).",
                       "A paired T-test at a $95\\%$ confidence interval confirms it ($t=-7.2334$, $p=0.0002$).")
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert {knob: (ledger[knob]["value"], ledger[knob]["tag_text"]) for knob in (
        "optimizer.name", "optimizer.lr", "optimizer.weight_decay", "schedule.warmup_steps")} == {
        "optimizer.name": ("adam", "[paper §4.1]"), "optimizer.lr": (0.002, "[paper §4.1]"),
        "optimizer.weight_decay": (1e-06, "[paper §4.1]"), "schedule.warmup_steps": (15000, "[paper §4.1]")}
    assert ledger["augmentation.pipeline"]["tag_text"] == "[paper §4.1]"
    kinds = {e["name"]: e["kind"] for e in extract_statements(paper)}
    assert kinds["t"] == kinds["p"] == "result"  # a significance test's statistics, no sweep


def test_a_size_before_models_or_samples_is_the_image_resolution_and_a_verb_ends_a_name():
    # a new user's diffusion paper ("our best ImageNet $64\\times 64$ models", "LSUN $256\\times 256$ bedroom model",
    # "ImageNet $64\\times 64$ samples generated ...": named 'models', 'bedroom model', 'samples generated'); eomt
    # ("a $16\\times 16$ patch size results in ...": named 'patch size results'); muse's images and tokens stay theirs
    got = {(e["name"], repr(e["value"])) for e in statements_of(
        "We also trained our best ImageNet $64\\times 64$ models for longer.",
        "Class-conditional ImageNet $64\\times 64$ samples generated with few steps look sharp.",
        "A model that processes $640\\times 640$ images with a $16\\times 16$ patch size results in 1600 tokens.",
        "The first latent space being that of $16\\times 16$ tokens.") if e["pattern"] == "size of"}
    assert got == {("image resolution", "[64.0, 64.0]"), ("images", "[640.0, 640.0]"), ("patch size", "[16.0, 16.0]"),
                   ("tokens", "[16.0, 16.0]")}


def test_a_lead_that_says_most_or_all_experiments_is_no_scope():
    # a new user's diffusion paper: "For most experiments, we use a batch size of 128" scoped the run's batch size
    # "most experiments"; "For all experiments, ..." was already no scope
    assert {e["scope"] for e in statements_of("For most experiments, we use a batch size of 128.",
                                              "For all experiments, the learning rate is 0.001.")} == {""}


def test_a_fraction_one_over_n_is_one_value_and_a_result_share_no_setting():
    # a new user's diffusion paper ("the pixel bin size $1/127.5$" read [1, 127.5]); tabdiff's "0.6/0.2/0.2" stays
    # three values; muse ("Muse was chosen as better aligned ... for $70.6\\%$ of the prompts") and the diffusion
    # paper ("does not get much worse when we skip up to 20% of the reverse diffusion process") state results
    from reprokit.gaps.statements import parse_value

    assert parse_value("$1/127.5$") == [1 / 127.5] and parse_value("0.6/0.2/0.2") == [0.6, 0.2, 0.2]
    assert statements_of("We found that Muse was chosen as better aligned for $70.6\\%$ of the prompts.",
                         "A model does not get much worse when we skip up to 20% of the reverse process.") == []


def test_a_dataset_named_with_words_between_or_after_use_of():
    # what-will-my-model-forget ("we use tasks from the test split of the P3 dataset"); new users' papers ("We use a
    # subset of the RESPIN dataset", "on the ImageNet 1000-class competition dataset", "on the LSUN bedroom dataset")
    got = [e["value"] for e in statements_of(
        "For BART0, we use tasks from the test split of the P3 dataset.", "We use a subset of the RESPIN dataset.",
        "We pretrain our convolutional layers on the ImageNet 1000-class competition dataset.",
        "We train two models on the LSUN bedroom dataset.") if e["name"] == "dataset"]
    assert got == ["P3", "RESPIN", "ImageNet", "LSUN"]


def test_the_head_of_a_over_b_names_its_rate():
    # Improved DDPM: "an exponential moving average (EMA) over model parameters with a rate of 0.9999" was named
    # "model parameters rate", so the run's ema_decay stayed a framework default; "label smoothing with a factor of
    # 0.1" keeps its own name
    from reprokit.gaps.ledger import build_ledger

    got = named(statements_of("We use an exponential moving average (EMA) over model parameters with a rate of 0.9999.",
                              "We keep an EMA of the model weights with a decay of 0.999.",
                              "We use label smoothing with a factor of 0.1."))
    assert {k: got.get(k) for k in ("EMA rate", "EMA decay", "label smoothing factor")} == {
        "EMA rate": 0.9999, "EMA decay": 0.999, "label smoothing factor": 0.1}
    ledger = {e["name"]: e for e in build_ledger(paper_with(
        "We use an exponential moving average (EMA) over model parameters with a rate of 0.9999."), [], {})["entries"]}
    assert (ledger["tricks.ema_decay"]["value"], ledger["tricks.ema_decay"]["tag_text"]) == (0.9999, "[paper §4.1]")


def test_a_procedures_steps_spelled_in_words_are_no_run_length():
    # rice ("we fix the bugs in the reward design with two simple steps: (1) ..."), advantage-alignment ("After one
    # iteration of the algorithm the agent changes ..."): a procedure's steps; a run's steps stay settings, in words too
    got = named(statements_of("We fix the bugs in the reward design with two simple steps: (1) we rescale it.",
                              "After one iteration of the algorithm the agent changes its policy.",
                              "Each update takes two gradient steps.", "We train for 100 steps."))
    assert "simple steps" not in got and not any("iteration" in name for name in got)
    assert got["gradient steps"] == 2 and got["steps"] == 100


def test_adam_with_decoupled_weight_decay_is_adamw_as_written_and_as_the_run_reads_it():
    # AdamW's own definition (Loshchilov & Hutter): a new user's CLIP paper writes "the Adam optimizer [73] with
    # decoupled weight decay [86]"; the run trained plain Adam with an L2 penalty before
    paper = paper_with("We use the Adam optimizer [73] with decoupled weight decay [86] and a weight decay of 0.2.")
    optimizer = next(e for e in extract_statements(paper) if e["name"] == "optimizer")
    assert (optimizer["value"], optimizer["raw"]) == ("AdamW", "Adam")  # the value, and the words the paper wrote
    ledger = build_ledger(paper, [], {})
    entry = next(e for e in ledger["entries"] if e["name"] == "optimizer.name")
    assert (entry["value"], entry["tag"]) == ("adamw", "paper")
    assert all(v["ok"] for v in ledger["verification"])
    plain = build_ledger(paper_with("We use the Adam optimizer with a weight decay of 0.2."), [], {})
    assert next(e for e in plain["entries"] if e["name"] == "optimizer.name")["value"] == "adam"


def test_a_comma_after_et_al_ends_the_cited_name():
    # "the recipe ... from Radford et al. [104], training models from scratch with a contrastive objective" (a new
    # user's CLIP paper): the participle's subject is the paper; "Smith et al., who trained ..." stays cited
    own = statements_of("We follow the recipe of Radford et al. [104], training models with a contrastive objective.")
    assert [(e["value"], e["kind"]) for e in own if e["name"] == "loss"] == [("contrastive", "setting")]
    cited = statements_of("Unlike Smith et al., who trained with a contrastive objective, we use a hinge loss.")
    assert {e["value"]: e["kind"] for e in cited if e["name"] == "loss"}["contrastive"] == "cited"


def test_a_table_captioned_with_what_its_hyperparameters_are_for_scopes_them():
    # advantage-alignment: "IPD Hyperparameters", "Coin Game Hyperparameters", ... one table per environment: their
    # values are scoped, not conflicts of one another; "Training hyperparameters" names no owner
    from reprokit.gaps.scopes import table_scope

    def table(caption):
        return {"rows": [[{"text": "Batch Size"}, {"text": "512"}]], "caption": caption}

    assert table_scope(table("IPD Hyperparameters"), 1) == "IPD"
    assert table_scope(table("Coin Game Hyperparameters"), 1) == "Coin Game"
    assert table_scope(table("Training hyperparameters"), 1) == ""
    assert table_scope(table("Training hyperparameters for Shadow Hand"), 1) == "Shadow Hand"
    require_shared()
    folder = SHARED_PAPERS / "advantage-alignment"
    from reprokit.gaps.ledger import stated_entries
    from reprokit.paper.extract import parse_any

    stated = stated_entries(parse_any(folder / "paper.html"))
    batch = {e["where"]: (e["value"], e["scope"], len(e["conflicts"])) for e in stated if e["name"] == "Batch Size"}
    assert batch["Table 1"] == (2048.0, "IPD", 0) and batch["Table 2"] == (512.0, "Coin Game", 0)


def test_a_quantity_moved_from_one_value_to_another_is_read_with_both_ends():
    # tabdiff ("linear decay $\lambda_{num}$ from $1.0$ to $0.0$ as training proceeds"), sapg ("This tolerance is
    # decreased in a curriculum from 7.5 cm to 1 cm"): lowered, the quantity is its start and its end the final one;
    # raised (a new user's Flamingo paper), its end, and the span it rises over is the learning rate's warm-up
    got = named(statements_of("For the loss weightings, we linear decay $\\lambda_{num}$ from $1.0$ to $0.0$ as training "
                              "proceeds.", "This tolerance is decreased in a curriculum from 7.5 cm to 1 cm."))
    assert (got["$\\lambda_{num}$"], got["final $\\lambda_{num}$"]) == (1.0, 0.0)
    assert (got["tolerance"], got["final tolerance"]) == (7.5, 1.0)
    markdown = statements_of("This tolerance is decreased in a curriculum from $7.5 \\mathrm { c m }$ to "
                             "$1 \\mathrm { c m }$ , decremented by $10 \\%$ each time.")  # sapg, as MinerU writes it
    assert [(e["name"], e["value"], e["raw"]) for e in markdown if e["pattern"] == "from to"] == [
        ("tolerance", 7.5, "7.5"), ("final tolerance", 1.0, "1")]
    warm = statements_of("The learning rate is increased linearly from $0$ to $10^{-4}$ up over the first 5000 steps "
                         "then held constant for the duration of training.")
    # (the start of a learning rate's warm-up is no second learning rate: Flamingo's run had a false conflict, 1e-4 or 0)
    assert named(warm) == {"learning rate": 1e-4, "warm-up initial learning rate": 0.0, "warm-up steps": 5000}
    lowered = named(statements_of("The learning rate is decayed linearly from $10^{-3}$ to zero."))  # Flamingo B.1.3
    assert lowered == {"learning rate": 1e-3, "final learning rate": 0.0, "lr schedule": "linear"}
    assert not named(statements_of("Removing the adapter reduces the PQ only slightly, from 57.1 to 56.0."))
    # beside a frame that states no number ("without weight decay"): both read, no IndexError (a review found it)
    both = named(statements_of("The learning rate is increased linearly from 0 to 1e-3 over the first 500 steps, and "
                               "we train without weight decay."))
    assert (both["learning rate"], both["warm-up steps"], both["weight decay"]) == (1e-3, 500, 0.0)
    ledger = build_ledger(paper_with("The learning rate is increased linearly from 0 to 3e-4 over the first 2,000 "
                                     "iterations."), [], {})
    values = {e["name"]: (e["value"], e["tag"]) for e in ledger["entries"]}
    assert values["optimizer.lr"] == (3e-4, "paper") and values["schedule.warmup_steps"] == (2000, "paper")
    assert all(v["ok"] for v in ledger["verification"])
    assert not next(e for e in ledger["entries"] if e["name"] == "optimizer.lr")["conflicts"]


def test_a_count_in_millions_is_one_number():
    # a new user's Flamingo paper: "It is trained for $1.2$ million parameter update steps" (the math-wrapped mantissa
    # had left no number) and "consists of 312 million images" (also read as 312 "million images")
    steps = build_ledger(paper_with("It is trained for $1.2$ million parameter update steps."), [], {})
    assert {e["name"]: e["value"] for e in steps["entries"]}["schedule.total_steps"] == 1_200_000
    # a new user's SimPLe paper: "we trained the world model for $225$K steps"; "trained ... with Adam" six words apart
    simple = named(statements_of("We trained the world model for $225$K steps with Adam."))
    assert simple == {"steps": 225e3, "optimizer": "Adam"}
    images = statements_of("The dataset consists of 312 million images.")
    assert [(e["name"], e["value"]) for e in images] == [("images", 312e6)]


def test_a_scope_phrase_after_a_comma_is_the_next_clauses():
    # test-time-model-adaptation B.2: "the value of k chosen from {1, 5, 10, 20}, and ... observed on ImageNet-C" is
    # LAME's k (its paragraph heading), not ImageNet-C's; a new user's Flamingo paper: "the AdamW optimizer with global
    # norm clipping of 1, no weight decay for the Perceiver Resampler and ..." is every model's optimizer
    got = statements_of("We use the value of k chosen from {1, 5, 10, 20}, and we set it to 5 based on the accuracy "
                        "observed on ImageNet-C.",
                        "All models are trained using the AdamW optimizer with global norm clipping of 1, no weight "
                        "decay for the Perceiver Resampler and a learning rate of 0.1 for CIFAR-10.")
    scopes = {e["name"]: e["scope"] for e in got}
    assert scopes["value of k"] == "" and scopes["optimizer"] == "" and scopes["global norm clipping"] == ""
    assert scopes["learning rate"] == "CIFAR-10"  # a scope phrase in the value's own clause still holds


def test_a_range_written_with_ranging_is_a_sweep():
    # muse ("models at different parameter sizes, ranging from 600M to 3B parameters"), what-will-my-model-forget
    # ("ranging from 67.4% to 85%"): "ranging" is "ranges" ("range[sd]? from" was already a sweep)
    got = statements_of("We train a number of base Transformer models at different parameter sizes, ranging from 600M "
                        "to 3B parameters.")
    assert {e["kind"] for e in got if e["name"] == "parameters"} == {"sweep"}


def test_a_value_after_than_is_the_one_compared_with():
    # as "compared to ReLU networks" is not the activation (tanh-init): a new user's Flamingo paper, "higher than the
    # $288\times 288$ resolution used for the contrastive pretraining", states 320 x 320 as its own
    got = statements_of("We use a $320\\times 320$ resolution, higher than the $288\\times 288$ resolution used for "
                        "pretraining.")
    assert [e["value"] for e in got if e["name"] == "resolution"] == [[320.0, 320.0]]


def test_values_listed_respectively_for_several_scopes_are_one_per_scope():
    # the issue's "X and Y ... V1 and V2 respectively" with scopes for names (a new user's data-selection paper, DDS;
    # RIFF's learning rates per model): one value per dataset or model, in order, not a sweep of one setting
    got = statements_of("The batch sizes for CIFAR-10 and for ImageNet are $128$ and $4096$, running for 200K steps "
                        "and 40K steps, respectively.", "We use learning rates of 1e-5 and 1e-4 for BART0 and FLAN-T5, "
                        "respectively.")
    scoped = {(e["name"], e["scope"]): (e["value"], e["kind"]) for e in got}
    assert scoped[("batch sizes", "CIFAR-10")] == (128.0, "setting")
    assert scoped[("batch sizes", "ImageNet")] == (4096.0, "setting")
    assert scoped[("steps", "CIFAR-10")] == (200000.0, "setting") and scoped[("steps", "ImageNet")] == (40000.0, "setting")
    assert scoped[("learning rates", "BART0")] == (1e-5, "setting")
    assert scoped[("learning rates", "FLAN-T5")] == (1e-4, "setting")
    slashed = statements_of("We use learning rates of 1e-5/1e-4 for BART0 and FLAN-T5, respectively.")
    assert {e["scope"]: e["value"] for e in slashed if e["name"] == "learning rates"} == {"BART0": 1e-5, "FLAN-T5": 1e-4}
    # with no scope for each, "respectively" values of one setting stay a sweep (one per run)
    assert {e["kind"] for e in statements_of("The learning rates are set to 0.1 and 0.01, respectively.")} == {"sweep"}


def test_training_without_learning_rate_decay_is_a_constant_schedule():
    # "We train all models for 20 epochs without any learning rate decay" (DDS): stated, so no framework default
    ledger = build_ledger(paper_with("We train all models for 20 epochs without any learning rate decay."), [], {})
    schedule = next(e for e in ledger["entries"] if e["name"] == "schedule.lr_schedule")
    assert (schedule["value"], schedule["tag"]) == ("constant", "paper")


def test_the_run_knob_check_leaves_out_a_scoped_truth_only_where_the_ledger_says_it_is_another_recipe():
    """A truth of one dataset ("lr schedule (CIFAR-10) = cosine") is not the run's knob when the ledger lists that
    value beside the knob as CIFAR-10's and not the run's setup; without that listing it is checked."""
    bench = _benchmark()
    truth = {"name": "lr schedule (CIFAR-10)", "value": "cosine", "evidence": {"section": "5.2 Setup"},
             "stated_in_paper": True}
    entry = {"name": "schedule.lr_schedule", "value": "constant", "tag": "framework default", "other_scopes": [
        {"value": "cosine", "scope": "CIFAR-10, not the run's setup", "tag": "[paper §5.2]"}]}
    left_out = bench.check_knobs([truth], {"entries": [entry], "experiment": None})
    assert left_out["failed"] == [] and left_out["elsewhere"] == {"schedule.lr_schedule": "for CIFAR-10"}
    listed = {**entry, "other_scopes": [{"value": "cosine", "scope": "CIFAR-10", "tag": "[paper §5.2]"}]}
    assert bench.check_knobs([truth], {"entries": [listed], "experiment": None})["failed"]
    unscoped = {**truth, "name": "lr schedule"}
    assert bench.check_knobs([unscoped], {"entries": [entry], "experiment": None})["failed"]


def test_values_for_training_and_for_evaluation_are_two_settings_and_no_split():
    """From a new user's NER paper (trial-only phrasing, said so in the closing note): "a mini-batch size of 10 for
    training and 6 for evaluation" is the batch size and an evaluation batch size (as tabdiff's "training and
    sampling batch sizes"), not a sweep, nor a split of 10 and 6 examples; "gradients were clipped to 1.0" is
    the clipping threshold in any tense; "the training set it drops to 21.38%" sets nothing."""
    paper = paper_with("The models were trained for 10 epochs with a mini-batch size of 10 for training and 6 for "
                       "evaluation.", "The gradients were clipped to 1.0 to mitigate exploding gradients.",
                       "27.70% of the forms remain unseen while for the other training set it drops to 21.38%.",
                       "We use 4000 examples for training and 1000 for testing.")
    got = {(e["name"], e["value"], e["kind"]) for e in extract_statements(paper)}
    assert ("mini-batch size", 10.0, "setting") in got and ("evaluation mini-batch size", 6.0, "setting") in got
    assert ("gradient clipping", 1.0, "setting") in got
    assert not any(name.startswith("examples for") and value in (10.0, 6.0) for name, value, _ in got)
    assert ("examples for training", 4000.0, "setting") in got and ("examples for testing", 1000.0, "setting") in got
    assert not any("drops" in name for name, _, _ in got)
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["batch.batch_size"]["value"] == 10 and ledger["tricks.grad_clip"]["value"] == 1.0


def test_a_baselines_clause_gives_baseline_values_and_a_named_augmentation_is_no_none():
    """From a new user's optimizer paper (trial-only phrasing, said so in the closing note): the issue's "a value
    stated about a baseline is never a run knob" for a sentence whose subject is the baseline ("The ImageNet baseline
    is SGD with a learning rate of 0.1") or that says it is for the baselines, up to "while our method ..."; and a
    guessed "none" augmentation says where the paper speaks of augmentation without naming it."""
    paper = paper_with("The ImageNet baseline is SGD with a learning rate of 0.1 and no learning rate decay schedule.",
                       "Adam and SGD baselines used a batch size of 128.",
                       "For the baselines, we use a weight decay of 0.01, while our method uses a weight decay of 0.1.",
                       "We train on CIFAR-10 with standard data augmentation and a batch size of 256.")
    kinds = {(e["name"], e["value"]): e["kind"] for e in extract_statements(paper)}
    assert kinds[("learning rate", 0.1)] == "baseline" and kinds[("batch size", 128.0)] == "baseline"
    assert kinds[("weight decay", 0.01)] == "baseline" and kinds[("weight decay", 0.1)] == "setting"
    assert kinds[("batch size", 256.0)] == "setting"
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["optimizer.lr"]["tag"] != "paper" and ledger["batch.batch_size"]["value"] == 256
    assert kinds[("augmentation", "standard data augmentation")] == "setting"  # a statement, read once with the rest
    assert ledger["augmentation.pipeline"]["tag"] == "guess"
    assert "with standard data augmentation" in ledger["augmentation.pipeline"]["quote"]
    plain = {e["name"]: e for e in build_ledger(paper_with("We train with a batch size of 256."), [], {})["entries"]}
    assert plain["augmentation.pipeline"]["quote"] == "the paper describes no train-time augmentation anywhere"


def test_augmentation_without_its_transforms_is_one_statement_the_ledger_reads():
    """eomt's "we apply the same data augmentation techniques as used by Mask2Former" and a new user's optimizer
    paper's "with standard data augmentation" state augmentation without its transforms: a statement (the ledger
    reads statements, never the prose again), which no transform list takes; a sentence naming the transforms
    gives those only, and a related-work mention is none."""
    def augmentation(*sentences):
        return [(e["value"], e["pattern"]) for e in extract_statements(paper_with(*sentences)) if e["name"] == "augmentation"]

    assert augmentation("During training, we apply the same data augmentation techniques as used by Mask2Former.") == []
    guessed = {e["name"]: e for e in build_ledger(paper_with(  # (named by the "follows" statement instead)
        "During training, we apply the same data augmentation techniques as used by Mask2Former."), [], {})["entries"]}
    assert "takes its augmentation from Mask2Former" in guessed["augmentation.pipeline"]["quote"]
    assert augmentation("We use standard data augmentation (random cropping and horizontal flipping).") \
        == [(["random cropping", "horizontal flipping"], "augmentation")]
    assert augmentation("We train without data augmentation.") == [("none", "no augmentation")]
    ledger = {e["name"]: e for e in build_ledger(paper_with(
        "During training, we apply the same data augmentation techniques as used by Mask2Former.",
        "Specifically, training images undergo random horizontal flipping."), [], {})["entries"]}
    assert ledger["augmentation.pipeline"]["value"] == "random horizontal flipping"


def test_a_loss_is_a_setting_where_the_paper_uses_it():
    """eomt's "we use the cross-entropy (CE) loss", muse's "a cross-entropy loss is applied", what-will-my-model-
    forget's "We optimize binary cross-entropy loss" are the losses used; lbcs's notation "to denote the cross-entropy
    loss" names one, as a derivation or a claim does (a new user's optimizer paper: "When l is set to cross-entropy
    loss", "Cross-entropy loss has been found to be superior"); "All experiments use square loss except ImageNet
    which used cross-entropy loss" is square loss (the except-clause is trial-only, said so in the closing note)."""
    def losses(*sentences):
        return [e["value"] for e in extract_statements(paper_with(*sentences)) if e["name"] == "loss"]

    assert losses("Specifically, we use the cross-entropy (CE) loss for the class logits.") == ["cross-entropy"]
    assert losses("An MLP gives logits and a cross-entropy loss is applied with the ground truth.") == ["cross-entropy"]
    assert losses("We optimize binary cross-entropy loss to learn the encoding function.") == ["binary cross-entropy"]
    assert losses("We use $\\ell(\\cdot)$ to denote the cross-entropy loss if there is no confusion.") == []
    assert losses("When $\\ell$ is set to cross-entropy loss, the bound holds.") == []
    assert losses("Cross-entropy loss has been found to be superior to square loss for many classes.") == []
    assert losses("All experiments use square loss except ImageNet which used cross-entropy loss.") == ["square"]
    ledger = build_ledger(paper_with("All experiments use square loss except ImageNet which used cross-entropy loss."),
                          [], {})
    assert next(e for e in ledger["entries"] if e["name"] == "loss.name")["value"] == "mse"


def test_a_vit_recipe_paragraph_as_a_new_user_converted_it():
    """A new user's ViT paper, converted from LaTeX without its .bib (trial-only phrasings, said so in the closing
    note): an unresolved citation key ("AdamW [loshchilov2019decoupled]") is no text; "10 epochs of linear warmup" is
    the warm-up's length, not the training's; "$(\\beta_{1},\\beta_{2})=(0.9,0.999)$" the two betas; "gradient
    clipping at norm $1.0$" the clipping threshold, once."""
    paper = paper_with("Models are trained from scratch on ImageNet-100 at resolution $224\\times 224$ for 300 epochs.",
                       "We use AdamW [loshchilov2019decoupled] with base learning rate $10^{-3}$, weight decay $0.05$, "
                       "and $(\\beta_{1},\\beta_{2})=(0.9,0.999)$.",
                       "The learning rate follows a cosine schedule with 10 epochs of linear warmup from $10^{-6}$.",
                       "We apply label smoothing with factor $0.1$, gradient clipping at norm $1.0$, and automatic "
                       "mixed precision.", title="Training: Classification")
    got = {(e["name"], str(e["value"])) for e in extract_statements(paper)}
    assert ("optimizer", "AdamW") in got and ("warm-up epochs", "10.0") in got and ("epochs", "10.0") not in got
    assert ("gradient clipping", "1.0") in got and not any(name == "norm" for name, _ in got)
    ledger = {e["name"]: (e["value"], e["tag"]) for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["optimizer.name"] == ("adamw", "paper") and ledger["schedule.epochs"] == (300, "paper")
    assert ledger["optimizer.beta1"] == (0.9, "paper") and ledger["optimizer.beta2"] == (0.999, "paper")
    assert ledger["tricks.grad_clip"] == (1.0, "paper")
    # the warm-up is the run's in epochs, not a "framework default" of no warm-up in steps
    assert ledger["schedule.warmup_epochs"] == (10.0, "paper") and "schedule.warmup_steps" not in ledger


def test_a_gnn_papers_per_dataset_values_and_grouped_hyperparameter_table():
    """A new user's GNN paper (trial-only, said so in the closing note): a value's own "on <dataset>" right after it
    is its scope over the sentence's lead ("For GNN-only ... hybrids, we train for 20 epochs on Devign ... and for 40
    epochs on Java250"; as eomt's "12 on COCO, 31 on ADE20K"); a hyperparameter table whose first column groups rows
    (a cell spanning rows) names each setting by its second column; "Learning-rate schedule" is the lr schedule."""
    def cell(text, span_of=None):
        return {"text": text, "value": None, "std": None, "bold": False, "span_of": span_of}

    paper = paper_with("For GNN-only and PLM hybrids, we train for 20 epochs on Devign with batch size 24 and for 40 "
                       "epochs on Java250 with batch size 32.")
    paper["tables"] = [{"number": "1", "kind": "hyperparameters", "section": "S4.SS1", "header_rows": 1, "caption": "",
                        "rows": [[cell("Category"), cell("Hyperparameter"), cell("Values or range")],
                                 [cell("Training"), cell("Dropout rate"), cell("uniform in [0.00, 0.10]")],
                                 [cell("Training", [1, 0]), cell("Learning-rate schedule"),
                                  cell("One-Cycle cosine schedule")]]}]
    epochs = {e["value"]: e["scope"] for e in extract_statements(paper) if e["name"] == "epochs"}
    assert epochs == {20.0: "Devign", 40.0: "Java250"}
    assert not any(e["name"] in ("Training", "Category") for e in extract_statements(paper))
    for dataset, batch, length in (("Devign", 24, 20), ("Java250", 32, 40)):
        ledger = {e["name"]: e["value"] for e in build_ledger(paper, [], {}, experiment=dataset)["entries"]}
        assert (ledger["batch.batch_size"], ledger["schedule.epochs"]) == (batch, length)
        assert ledger["schedule.lr_schedule"] == "one_cycle"


def test_a_hyperparameter_search_sections_values_are_the_searchs():
    """A new user's GNN paper (trial-only, said so in the closing note): a "Hyperparameter tuning." paragraph's
    "a minimum of 3 epochs before a trial becomes eligible for pruning" is the search's, never the run's length."""
    paper = paper_with("Hyperband is configured with a maximum budget of 12 epochs per trial, and a minimum of 3 epochs "
                       "before a trial becomes eligible for pruning.", title="Hyperparameter tuning.")
    assert {e["kind"] for e in extract_statements(paper)} == {"sweep"}
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["schedule.total_steps"]["tag"] != "paper" and "schedule.epochs" not in ledger \
        or ledger["schedule.epochs"]["tag"] != "paper"


def test_a_symbol_is_named_by_the_noun_before_it_and_a_participle_sets_a_value():
    """muse's "downsampling ratio $f=16$", tanh-init's "a viscosity coefficient of $\\nu=0.01$", rice's "a mixture
    probability of $p=0.25$": the symbol with its noun (new users' "LoRA with rank $r=16$", "hidden dimension $d=192$"
    alike); "with the batch size set to $16$" (a new user's forecasting paper, trial-only) sets the batch size; a
    section on "Datasets and Baselines" holds the paper's own datasets, so its values are not all baselines'."""
    names = {e["name"] for e in extract_statements(paper_with(
        "We train two VQGAN models: one with downsampling ratio $f=16$ and the other with downsampling ratio $f=8$.",
        "For the Burgers' equation, a viscosity coefficient of $\\nu=0.01$ is employed.",
        "We fine-tune using LoRA with rank $r=16$."))}
    assert {"downsampling ratio $f$", "viscosity coefficient $\\nu$", "rank $r$"} <= names
    got = [(e["name"], e["value"], e["kind"]) for e in extract_statements(paper_with(
        "Independent runs are conducted on a single GPU with the batch size set to $16$.", title="Datasets and Baselines"))]
    assert got == [("batch size", 16.0, "setting")]
    assert [e["kind"] for e in extract_statements(paper_with("We use a batch size of 32.", title="Baselines"))] == ["baseline"]


def test_a_review_of_the_new_frames_cases_they_must_leave_alone():
    """A review's counter-examples to this stop's frames: our values beside a baseline's, a purpose "for comparison
    with baselines", a training phase, hardware after a value, "squared Euclidean distance", a fine-tuning loss."""
    def kinds(sentence):
        return {(e["name"], e["value"]): e["kind"] for e in extract_statements(paper_with(sentence))}

    assert kinds("Our model is trained with a batch size of 64 while the baselines use 32.")[("batch size", 64.0)] \
        == "setting"
    assert set(kinds("Both our method and the baselines are trained with a learning rate of 0.001.").values()) == {"setting"}
    assert set(kinds("For comparison with baselines, we train our model with a learning rate of 0.001.").values()) \
        == {"setting"}
    assert ("EMA decay", 0.999) in kinds("We set the EMA decay to 0.999 during training.")
    scopes = {e["name"]: e["scope"] for e in extract_statements(paper_with(
        "For ImageNet, we train for 90 epochs on TPUs with a batch size of 1024."))}
    assert scopes == {"epochs": "ImageNet", "batch size": "ImageNet"}
    assert not [e for e in extract_statements(paper_with("The network is optimized by minimizing the squared "
                                                         "Euclidean distance.")) if e["name"] == "loss"]
    assert [e["value"] for e in extract_statements(paper_with("Models are fine-tuned with a cross-entropy loss."))
            if e["name"] == "loss"] == ["cross-entropy"]
    # the one-recipe rule does not hang on the knobs' order: CIFAR-10's 200 epochs contradict the paper-wide 100, so
    # its learning rate is not the run's either
    ledger = {e["name"]: e for e in build_ledger(paper_with(
        "We train all models for 100 epochs with a batch size of 64.",
        "For CIFAR-10, we use a learning rate of 0.1 and train for 200 epochs."), [], {})["entries"]}
    assert ledger["optimizer.lr"]["tag"] != "paper" and ledger["schedule.epochs"]["value"] == 100
    # "for Adam" in a paper that trains with AdamW is the run's (one family)
    ledger = {e["name"]: e for e in build_ledger(paper_with("We use the AdamW optimizer.",
                                                            "The learning rate is 0.001 for Adam."), [], {})["entries"]}
    assert (ledger["optimizer.lr"]["value"], ledger["optimizer.lr"]["tag"]) == (0.001, "paper")


def test_a_distillation_papers_two_setups_step_schedule_and_ablation_table():
    """A new user's distillation paper (TFD): "4.1 Experiments on CIFAR-100" and "4.2 Experiments on ImageNet" each
    hold an "Implementation" paragraph; the same heading tells no setup apart, so each value takes its numbered
    section's name (CIFAR-100, ImageNet), not one shared scope and a conflict. "decaying by 0.1 at 150, 180 and 210
    epochs" is the decay factor and the milestones (the milestones frame, its number first), which make the schedule a
    step schedule where none is named; "whose training epochs are 100" is the training length. A caption is read as
    its section's prose: a table in "Ablation Study" holds ablations (advantage-alignment's Figure 8, test-time-model-
    adaptation's Table 13), so "TFD equipped with ... AutoAugment" is no augmentation the run applies."""
    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "sections": [
        section_of("S4", "4", "Experiments", None),
        section_of("S4.SS1", "4.1", "Experiments on CIFAR-100", "S4"),
        section_of("S4.SS1.rh1", "", "Implementation", "S4.SS1",
                "We use a mini-batch size of 64 and a standard SGD optimizer with a weight decay of 0.0005.",
                "The multi-step learning rate is initialized to 0.05, decaying by 0.1 at 150, 180 and 210 epochs."),
        section_of("S4.SS2", "4.2", "Experiments on ImageNet", "S4"),
        section_of("S4.SS2.rh1", "", "Implementation", "S4.SS2",
                "For ResNet18, we adopt the same training setting with most distillation methods, whose training "
                "epochs are 100.",
                "The multi-step learning rate is initialized to 0.1, decaying by 0.1 at 30, 60, and 90 epochs."),
        section_of("S4.SS3", "4.3", "Ablation Study", "S4", "We run each setting three times.")],
        "tables": [{"id": "S4.T5", "number": "5", "section": "S4.SS3", "kind": "results", "header_rows": 1,
                    "caption": "Top-1 accuracy (%) of TFD equipped with other training techniques (e.g., Cutout and "
                               "AutoAugment) for ResNet32 on CIFAR-100.",
                    "rows": [[{"text": "Method"}, {"text": "Top-1"}], [{"text": "+ AutoAugment"}, {"text": "73.17"}]]}]}
    got = extract_statements(paper)
    lrs = {e["scope"]: e["value"] for e in got if e["name"] == "multi-step learning rate"}
    assert lrs == {"CIFAR-100": 0.05, "ImageNet": 0.1}
    milestones = {e["scope"]: e["value"] for e in got if e["name"] == "lr milestones in epochs"}
    assert milestones == {"CIFAR-100": [150.0, 180.0, 210.0], "ImageNet": [30.0, 60.0, 90.0]}
    assert {e["value"] for e in got if e["name"] == "lr decay factor"} == {0.1}
    assert [(e["value"], e["scope"]) for e in got if e["name"] == "training epochs"] == [(100.0, "ResNet18")]
    assert all(e["kind"] == "ablation" for e in got if e["name"] == "augmentation")
    ledger = build_ledger(paper, [], {})
    entries = {e["name"]: e for e in ledger["entries"]}
    assert entries["optimizer.lr"]["value"] == 0.05 and not entries["optimizer.lr"]["conflicts"]
    assert entries["schedule.lr_schedule"]["value"] == "step" and entries["schedule.lr_schedule"]["tag"] == "paper"
    assert entries["schedule.milestones"]["value"] == [150.0, 180.0, 210.0] and entries["schedule.gamma"]["value"] == 0.1
    assert entries["augmentation.pipeline"]["tag"] == "guess"
    assert [c for c in ledger["verification"] if not c["ok"]] == []
    imagenet = {e["name"]: e for e in build_ledger(paper, [], {}, experiment="ImageNet")["entries"]}
    assert imagenet["optimizer.lr"]["value"] == 0.1 and imagenet["schedule.epochs"]["value"] == 100
    assert imagenet["schedule.milestones"]["value"] == [30.0, 60.0, 90.0]


def test_a_review_of_the_distillation_frames_cases_they_must_leave_alone():
    """A review of the step-schedule, warm-up-in-epochs, unnamed-augmentation and caption frames with counter-examples:
    only the learning rate's decay "by N at A, B and C" gives milestones (not a temperature's, nor "results at 30, 60
    and 90 epochs"); a factor over 1 divides ("by a factor of 5" is 0.2, "by 90%" leaves 0.1); the learning rate may
    stand between the verb and "by"; "a linear warm-up of 5 epochs" is 5 warm-up epochs and no 5-step warm-up; two
    paragraph headings in one numbered section keep their own names; a caption in "Main Results and Ablations" states
    the run's setting; "Standard data augmentation is used" names augmentation without its transforms."""
    def got(*sentences, **kw):
        return [(e["name"], e["value"], e["kind"]) for e in extract_statements(paper_with(*sentences, **kw))]

    def ledger(*sentences):
        return {e["name"]: (e["value"], e["tag"]) for e in build_ledger(paper_with(*sentences), [], {})["entries"]}

    assert not any(n.startswith("lr milestones") for n, _, _ in got("The temperature is decayed by 0.5 at 10, 20 and 30 "
                                                                     "epochs."))
    assert not any(n.startswith("lr milestones") for n, _, _ in got(
        "The learning rate is decayed by 0.1 every 30 epochs, and we report results at 30, 60 and 90 epochs."))
    assert ("lr decay factor", 0.2, "setting") in got("The learning rate is reduced by a factor of 5 at 60, 120 and 160 "
                                                      "epochs.")
    assert ("lr decay factor", 0.1, "setting") in got("The learning rate is reduced by 90% at 50 and 75 epochs.")
    assert not any(n == "factor" for n, _, _ in got("The learning rate is reduced by a factor of 5 at 60 and 120 epochs."))
    step = ledger("We train for 200 epochs, dividing the learning rate by 10 at 100 and 150 epochs.")
    assert step["schedule.milestones"] == ([100.0, 150.0], "paper") and step["schedule.gamma"] == (0.1, "paper")
    assert step["schedule.lr_schedule"] == ("step", "paper")
    warm = ledger("We train for 100 epochs with a linear warm-up of 5 epochs.")
    assert warm["schedule.warmup_epochs"] == (5.0, "paper") and "schedule.warmup_steps" not in warm
    assert ("augmentation", "Standard data augmentation", "setting") in got("Standard data augmentation is used for all "
                                                                            "CIFAR experiments.")
    two = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [], "sections": [
        {"id": "S4", "number": "4", "title": "Experiments", "kind": "section", "parent": None, "paragraphs": []},
        {"id": "S4.SS1", "number": "4.1", "title": "Image classification", "kind": "section", "parent": "S4",
         "paragraphs": []},
        {"id": "S4.SS1.rh1", "number": "", "title": "Pre-training setup", "kind": "section", "parent": "S4.SS1",
         "paragraphs": ["We use a learning rate of 0.1."]},
        {"id": "S4.SS1.rh2", "number": "", "title": "Fine-tuning setup", "kind": "section", "parent": "S4.SS1",
         "paragraphs": ["We use a learning rate of 0.01."]},
        {"id": "S4.SS2", "number": "4.2", "title": "Training setup", "kind": "section", "parent": "S4",
         "paragraphs": ["We use a learning rate of 0.001."]}]}
    scopes = {e["value"]: e["scope"] for e in extract_statements(two) if e["name"] == "learning rate"}
    assert scopes == {0.1: "Pre-training setup", 0.01: "Fine-tuning setup", 0.001: "Training setup"}
    results = paper_with("We compare with prior work.", title="Main Results and Ablations")
    results["tables"] = [{"id": "S4.T1", "number": "1", "section": "S4.SS1", "kind": "results", "header_rows": 1,
                          "caption": "Results on ImageNet. All models are trained for 300 epochs with a batch size of 1024.",
                          "rows": [[{"text": "Method"}, {"text": "Top-1"}], [{"text": "Ours"}, {"text": "80.1"}]]}]
    run = {e["name"]: (e["value"], e["tag"]) for e in build_ledger(results, [], {})["entries"]}
    assert run["schedule.epochs"] == (300, "paper") and run["batch.batch_size"] == (1024, "paper")


def test_an_evaluation_chapter_holds_the_training_recipe_and_the_objective_is_named_where_it_is_stated():
    """A new user's detection paper titles its experiments chapter "4 Evaluation" (as rice does): its "4.2
    Implementation details" state the training (Adam, 2e-5, batch size 4), not inference settings; "4.1 Datasets and
    metrics" holds no inference either, while a subsection titled "Evaluation setup" does. A loss "is calculated" as
    it is "computed". A guessed loss says where the paper states its objective without a loss the harness applies
    (a speech paper's "2.3 Objective Function")."""
    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
             "sections": [
                 section_of("S2", "2", "Method", None),
                 section_of("S2.SS3", "2.3", "Objective Function", "S2", "The total loss is $L = L_{ctc} + L_{att}$."),
                 section_of("S4", "4", "Evaluation", None),
                 section_of("S4.SS1", "4.1", "Datasets and metrics", "S4", "We report results over 3 runs."),
                 section_of("S4.SS2", "4.2", "Implementation details", "S4",
                         "We use Adam with a learning rate of $2\\times 10^{-5}$ and a batch size of 4."),
                 section_of("S4.SS3", "4.3", "Evaluation setup", "S4", "At test time we use a batch size of 32.")]}
    kinds = {(e["name"], e["value"]): e["kind"] for e in extract_statements(paper)}
    assert kinds[("learning rate", 2e-5)] == "setting" and kinds[("batch size", 4.0)] == "setting"
    assert kinds[("runs", 3.0)] != "inference" and kinds[("batch size", 32.0)] == "inference"
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert (ledger["optimizer.name"]["value"], ledger["optimizer.lr"]["value"], ledger["batch.batch_size"]["value"]) \
        == ("adam", 2e-5, 4)
    assert ledger["loss.name"]["tag"] == "guess" and '§2.3 "Objective Function"' in ledger["loss.name"]["quote"]
    used = paper_with("The binary cross entropy loss is calculated between the combined score and the ground truth.")
    assert [e["value"] for e in extract_statements(used) if e["name"] == "loss"] == ["binary cross entropy"]


def test_a_dimension_written_dim_is_verified_in_its_sentence():
    """A new user's speech paper: "an 8-block Conformer encoder (256-dim output, 4 heads, 1024-dim feedforward)" states
    the output and feedforward dimensions; the round trip finds them there (it had reported them NOT FOUND, which
    stops stage 3 under `strict`)."""
    paper = paper_with("The model comprises an $8$-block Conformer encoder ($256$-dim output, $4$ heads, $1024$-dim "
                       "feedforward).", title="Experimental Setup")
    ledger = build_ledger(paper, [], {})
    assert {s["name"] for s in ledger["stated"]} >= {"output dimension", "feedforward dimension"}
    assert [c for c in ledger["verification"] if not c["ok"]] == []


def test_a_language_models_batch_counted_in_sequences_and_a_finding_with_epochs():
    """A new user's GPT-2 stylometry paper: "Each training epoch consists of 40 batches, each containing 16 sequences
    of 1024 tokens" is a batch of 16 sequences (40 counts the batches, no batch size); "the t-tests yielded p-values
    below 0.001 after just one or two epochs" is a finding, no training length; "Figure 2B shows ..." discusses a
    figure as "Figure 2 shows" does."""
    paper = paper_with("We train with the AdamW optimizer and a learning rate of $5\\times 10^{-5}$.",
                       "Each training epoch consists of 40 batches, each containing 16 sequences of 1024 tokens.",
                       "For all authors except Twain, the t-tests yielded p-values below 0.001 after just one or two epochs.",
                       "Figure 2B shows the average t-values as a function of the number of training epochs (final epoch: "
                       "$t(9)=13.196$).", title="Training")
    got = {(e["name"], e["value"]) for e in extract_statements(paper)}
    assert ("sequences per batch", 16.0) in got and ("number of batches", 40.0) in got
    assert not any(name.endswith("epochs") for name, _ in got)
    ledger = {e["name"]: (e["value"], e["tag"]) for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["batch.batch_size"] == (16, "paper") and ledger.get("schedule.epochs", (0, ""))[1] != "paper"


def test_a_second_review_where_inference_ablations_and_schedules_are():
    """A second review's counter-examples: an explicit evaluation, testing or inference title above a section makes it
    inference ("5 Testing > 5.1 Test Settings", "C Evaluation Details > C.1 Zero-shot", "5 Inference > 5.1 Setup"),
    only a bare "Evaluation" chapter does not; a caption under "Ablation Studies > 4.4.1 Effect of data augmentation"
    or in "Ablations and Analysis" is an ablation's, one in "4.2 Baselines" a baseline's; "decreased by a factor of
    5" is 0.2 and "reduced by half" 0.5, both with milestones; "a linear warm-up of 1 epoch" is one warm-up epoch."""
    def kind_of(parent_title, title, sentence, number="5"):
        paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
                 "sections": [{"id": "P", "number": number, "title": parent_title, "kind": "section", "parent": None,
                               "paragraphs": []},
                              {"id": "C", "number": f"{number}.1", "title": title, "kind": "section", "parent": "P",
                               "paragraphs": [sentence]}]}
        return {e["name"]: e["kind"] for e in extract_statements(paper)}

    assert kind_of("Testing", "Test Settings", "We use a batch size of 1.")["batch size"] == "inference"
    assert kind_of("Evaluation Details", "Zero-shot classification", "We use a batch size of 1024.", "C")["batch size"] \
        == "inference"
    assert kind_of("Inference", "Setup", "We use a batch size of 64.")["batch size"] == "inference"
    assert kind_of("Evaluation", "Implementation details", "We use a batch size of 64.")["batch size"] == "setting"

    def caption_kind(parent_title, title):
        paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [],
                 "sections": [{"id": "P", "number": "4", "title": parent_title, "kind": "section", "parent": None,
                               "paragraphs": []},
                              {"id": "C", "number": "4.1", "title": title, "kind": "section", "parent": "P",
                               "paragraphs": []}],
                 "tables": [{"id": "T1", "number": "1", "section": "C", "kind": "results", "header_rows": 1,
                             "caption": "Models trained for 300 epochs with a batch size of 256.",
                             "rows": [[{"text": "Method"}, {"text": "Top-1"}]]}]}
        return {e["name"]: e["kind"] for e in extract_statements(paper)}["batch size"]

    assert caption_kind("Ablation Studies", "Effect of data augmentation") == "ablation"
    assert caption_kind("Experiments", "Ablations and Analysis") == "ablation"
    assert caption_kind("Experiments", "Main Results and Ablations") == "setting"
    assert caption_kind("Experiments", "Baselines") == "baseline"
    assert caption_kind("Experiments", "Comparison with Baselines") == "setting"

    def values(sentence):
        return {e["name"]: e["value"] for e in extract_statements(paper_with(sentence))}

    assert values("The learning rate is decreased by a factor of 5 at 60, 120 and 160 epochs.") \
        == {"lr milestones in epochs": [60.0, 120.0, 160.0], "lr decay factor": 0.2}
    assert values("The learning rate is reduced by half at 100 and 150 epochs.")["lr decay factor"] == 0.5
    assert values("We use a linear warm-up of 1 epoch.")["warm-up epoch"] == 1.0
    ledger = {e["name"]: (e["value"], e["tag"]) for e in build_ledger(paper_with(
        "The learning rate is warmed up for 1 epoch and then follows a cosine schedule over 300 epochs."), [], {})["entries"]}
    assert ledger["schedule.warmup_epochs"] == (1.0, "paper") and ledger["schedule.epochs"] == (300, "paper")


def test_a_recommendation_papers_recipe_per_dataset_paragraph():
    """A new user's recommendation paper (DIN) states one recipe per dataset under paragraph headings of one numbered
    section ("6.1 ... › Amazon Dataset": SGD, a learning rate that "starts at 1", "decay rate is set to 0.1", batch 32;
    "› Alibaba Dataset": "we set the mini-batch size to be 5000 and use Adam as the optimizer", starting at 0.001):
    each heading's values are its own; `experiment: Alibaba` follows that paragraph, not "6.6 Result from model
    comparison on Alibaba Dataset", which states no training value. eomt's "$P_{mask}$, which starts at 1.0" is its
    initial value. "The negative and positive sample ratio is set as 5" keeps its name."""
    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
             "sections": [
                 section_of("S6", "6", "Experiments", None),
                 section_of("S6.SS1", "6.1", "Datasets and Experimental Setup", "S6"),
                 section_of("S6.SS1.rh1", "", "Amazon Dataset", "S6.SS1",
                         "For all models, we use SGD as the optimizer with exponential decay, in which learning rate "
                         "starts at 1 and decay rate is set to 0.1.", "The mini-batch size is set to be $32$."),
                 section_of("S6.SS1.rh2", "", "Alibaba Dataset", "S6.SS1",
                         "Due to the huge size of data, we set the mini-batch size to be 5000 and use Adam as the "
                         "optimizer.", "We apply exponential decay, in which learning rate starts at 0.001 and decay "
                         "rate is set to 0.9.", "The negative and positive sample ratio is set as 5."),
                 section_of("S6.SS6", "6.6", "Result from model comparison on Alibaba Dataset", "S6",
                         "Table 5 shows the experimental results on Alibaba dataset.")]}
    got = {(e["name"], str(e["value"]), e["scope"]) for e in extract_statements(paper)}
    assert ("optimizer", "SGD", "Amazon Dataset") in got and ("optimizer", "Adam", "Alibaba Dataset") in got
    assert ("initial learning rate", "1.0", "Amazon Dataset") in got and ("decay rate", "0.9", "Alibaba Dataset") in got
    assert ("negative and positive sample ratio", "5.0", "") in got

    def run(experiment=None):
        ledger = build_ledger(paper, [], {}, experiment=experiment)
        return {e["name"]: e["value"] for e in ledger["entries"]}

    assert [run()[k] for k in ("optimizer.name", "optimizer.lr", "batch.batch_size", "schedule.gamma")] == \
        ["sgd", 1.0, 32, 0.1]
    assert [run("Alibaba")[k] for k in ("optimizer.name", "optimizer.lr", "batch.batch_size", "schedule.gamma")] == \
        ["adam", 0.001, 5000, 0.9]
    eomt = paper_with("We apply the mask for each query with a probability $P_{\\textrm{mask}}$, which starts at 1.0 and "
                      "decays block by block to 0.0 throughout the training.")
    assert [(e["name"], e["value"]) for e in extract_statements(eomt) if e["pattern"] == "starts at"] == \
        [("initial $P_{\\textrm{mask}}$", 1.0)]


def test_a_set_one_symbol_ranges_over_sweeps_that_symbol_alone():
    """A new user's segmentation paper: "a full 5-seed benchmark ($S\\in\\{7,42,99,1337,2024\\}$) trained for 200 epochs
    each": the seeds are swept, the 200 epochs are the run's (the set had made every value of the sentence a sweep)."""
    paper = paper_with("We conduct a full 5-seed benchmark ($S\\in\\{7,42,99,1337,2024\\}$) trained for 200 epochs each "
                       "under identical conditions.")
    kinds = {e["name"]: e["kind"] for e in extract_statements(paper)}
    assert kinds["epochs"] == "setting"
    ledger = {e["name"]: (e["value"], e["tag"]) for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["schedule.epochs"] == (200, "paper")


def test_a_converted_decay_factor_is_verified_by_what_the_paper_writes():
    """"decreased by a factor of 5" is a decay factor of 0.2 and "reduced by half" one of 0.5: the round trip checks
    the number (or word) the paper writes, with a decay verb beside it, and the run's value says it was computed; the
    milestones are named by every decay verb the decay frame reads ("decreased", "lowered" as well as "divided").
    (The stop that added the conversion left these NOT FOUND, which stops stage 3 under --strict.)"""
    cases = {
        "We train with SGD with a learning rate of 0.05 for 90 epochs; the learning rate is decreased by a factor of 5 "
        "at epochs 30 and 60.": (0.2, [30.0, 60.0]),
        "We use SGD with a learning rate of 0.05 for 200 epochs, and the learning rate is reduced by half at 100 and "
        "150 epochs.": (0.5, [100.0, 150.0]),
        "We use Adam with a learning rate of 0.001 for 50 epochs, and the learning rate is lowered by 90% at 30 and "
        "40 epochs.": (0.1, [30.0, 40.0]),
        "We use Adam with a learning rate of 0.001 for 50 epochs, dividing the learning rate by 10 at 30 and 40 "
        "epochs.": (0.1, [30.0, 40.0]),
    }
    for sentence, (gamma, milestones) in cases.items():
        paper = paper_with(sentence)
        ledger = build_ledger(paper, [], {})
        entries = by_name(ledger["entries"])
        assert (entries["schedule.gamma"]["value"], entries["schedule.gamma"]["tag"]) == (gamma, "paper"), sentence
        assert entries["schedule.milestones"]["value"] == milestones, sentence
        assert entries["schedule.gamma"]["tag_text"].endswith("(computed)"), sentence  # 5 -> 0.2, half, 90%, 10 -> 0.1
        assert [c["name"] for c in verify_claims(paper, ledger["entries"]) if not c["ok"]] == [], sentence
    written = build_ledger(paper_with("The learning rate is decayed by 0.1 at 30 and 60 epochs."), [], {})["entries"]
    assert by_name(written)["schedule.gamma"]["tag_text"] == "[paper §4.1]"  # as written: nothing computed
    # a factor the sentence does not write is still caught: the round trip is not a pass for every computed value
    paper = paper_with("We use SGD with a learning rate of 0.05 for 200 epochs; the learning rate is decreased by a "
                       "factor of 5 at 100 and 150 epochs.")
    gamma = by_name(build_ledger(paper, [], {})["entries"])["schedule.gamma"]
    assert not verify_claims(paper, [{**gamma, "raw": "4"}])[0]["ok"]


def test_a_step_decay_every_n_epochs_or_at_one_epoch_reaches_the_run():
    """The common ImageNet recipe "decayed by 0.1 every 30 epochs" is a step schedule whose milestones the run
    computes from the budget (30 and 60 of 90 epochs), and "divided by 10 at epoch 150" is one milestone; before, both
    read the decay factor and left the schedule constant, so the run never decayed and said nothing. A decay factor
    with no word of when the rate drops says so in the schedule's evidence. (Seen in a new user's distillation paper
    and the ResNet recipe; no development paper states a step schedule.)"""
    def run(sentence):
        paper = paper_with(sentence)
        ledger = build_ledger(paper, [], {})
        return by_name(ledger["entries"]), [c["name"] for c in verify_claims(paper, ledger["entries"]) if not c["ok"]]

    every, failed = run("We use SGD with a learning rate of 0.1 for 90 epochs and decay the learning rate by 0.1 every "
                        "30 epochs.")
    assert every["schedule.milestones"]["value"] == [30.0, 60.0] and every["schedule.milestones"]["computed"]
    assert (every["schedule.lr_schedule"]["value"], every["schedule.gamma"]["value"]) == ("step", 0.1)
    assert "every 30 epochs of 90" in every["schedule.milestones"]["quote"] and failed == []
    reversed_, failed = run("We train for 100 epochs with SGD, a learning rate of 0.1, and the learning rate is divided "
                            "every 25 epochs by 10.")
    assert reversed_["schedule.milestones"]["value"] == [25.0, 50.0, 75.0] and failed == []
    one, failed = run("We use SGD with a learning rate of 0.1 for 200 epochs, and the learning rate is divided by 10 at "
                      "epoch 150.")
    assert (one["schedule.milestones"]["value"], one["schedule.lr_schedule"]["value"]) == ([150.0], "step")
    assert failed == []
    first, failed = run("We use SGD with a learning rate of 0.1 for 200 epochs, and the learning rate is divided by 10 "
                        "after 150 epochs.")
    assert first["schedule.milestones"]["value"] == [150.0] and failed == []
    # an interval in steps beside a budget in epochs gives no milestones (the harness counts them in the budget's unit)
    steps, _ = run("We train for 90 epochs with SGD and a learning rate of 0.1, decaying the learning rate by 0.1 every 1000 steps.")
    assert steps["schedule.milestones"]["tag"] != "paper" and steps["schedule.lr_schedule"]["value"] == "constant"
    assert "states a decay factor" in steps["schedule.lr_schedule"]["quote"]
    # "every" of another thing, or a single epoch not after a decay, is no milestone
    other, _ = run("We train for 90 epochs with SGD and a learning rate of 0.1, evaluating every 30 epochs.")
    assert other["schedule.milestones"]["value"] == [] and other["schedule.lr_schedule"]["value"] == "constant"
    assert "states a decay factor" not in other["schedule.lr_schedule"]["quote"]
    late, _ = run("We train for 90 epochs with SGD and a learning rate of 0.1 and report the accuracy at epoch 60.")
    assert late["schedule.milestones"]["value"] == []


def test_an_exponential_decay_takes_its_stated_rate_or_asks_for_one():
    """A new user's recommendation paper (DIN) states "exponential decay, in which learning rate starts at 0.001 and
    decay rate is set to 0.9": the run's schedule is exponential with gamma 0.9 (the harness multiplies the rate by it
    each epoch). Named without its rate, gamma is not MultiStepLR's 0.1 default but none, with what to set."""
    stated = by_name(build_ledger(paper_with("We use Adam and apply exponential decay, in which learning rate starts at "
                                             "0.001 and decay rate is set to 0.9."), [], {})["entries"])
    assert (stated["schedule.lr_schedule"]["value"], stated["schedule.gamma"]["value"]) == ("exponential", 0.9)
    assert stated["schedule.gamma"]["tag"] == "paper"
    unstated = by_name(build_ledger(paper_with("We use SGD with a learning rate of 0.1 and an exponential learning rate "
                                               "decay."), [], {})["entries"])
    assert unstated["schedule.lr_schedule"]["value"] == "exponential"
    assert unstated["schedule.gamma"]["value"] is None and "set schedule.gamma" in unstated["schedule.gamma"]["quote"]


def test_a_learning_rate_decay_stated_as_a_number_is_its_factor():
    """A new user's graph CNN paper (ChebNet): "initial learning rate of 0.03, learning rate decay of 0.95, momentum of
    0.9". The number is the decay factor (gamma), not a schedule name the schedule knob drops; with no word of when the
    rate drops, the schedule's evidence says what to set. Its "11,314 for training and 7,532 for testing" of "18,846
    text documents" verify (the split's name is its use, not "examples")."""
    paper = paper_with("We use an initial learning rate of 0.03, learning rate decay of 0.95, momentum of 0.9 and a "
                       "batch size of 100 for 20 epochs.",
                       "The dataset consists of 18,846 (11,314 for training and 7,532 for testing) text documents.")
    ledger = build_ledger(paper, [], {})
    entries = by_name(ledger["entries"])
    assert (entries["schedule.gamma"]["value"], entries["schedule.gamma"]["tag"]) == (0.95, "paper")
    assert entries["schedule.lr_schedule"]["value"] == "constant"
    assert "decay factor of 0.95" in entries["schedule.lr_schedule"]["quote"]
    assert (entries["data.train_size"]["value"], entries["data.test_size"]["value"]) == (11314, 7532)
    assert [c["name"] for c in verify_claims(paper, ledger["entries"]) if not c["ok"]] == []
    named = by_name(build_ledger(paper_with("We use a cosine learning rate decay."), [], {})["entries"])
    assert named["schedule.lr_schedule"]["value"] == "cosine" and named["schedule.gamma"]["tag"] != "paper"


def test_a_column_per_setting_written_short_and_a_row_per_task_is_read_by_column():
    """A new user's BERT distillation paper (MoEBERT), "Hyper-parameters for distilling BERT-base": a row per GLUE task
    under the header "| lr | batch | epoch | decay | $\\lambda_{distill}$". The short headers ("batch", "decay") did not
    count as settings, so the row label was read as the name ("RTE = 1e-05", scope "lr") and the run took no learning
    rate; now each value is the column's setting, scoped by its row's task, and a run following RTE takes them.
    (Seen in one new user's paper; the column-per-setting reading itself is the issue's general frame.)"""
    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    rows = [[cell(""), cell("lr"), cell("batch"), cell("epoch"), cell("decay"), cell("$\\lambda_{distill}$")],
            [cell("RTE"), cell("$1\\times 10^{-5}$"), cell("8"), cell("10"), cell("0.01"), cell("1.0")],
            [cell("MNLI"), cell("$5\\times 10^{-5}$"), cell("64"), cell("5"), cell("0.0"), cell("5.0")]]
    table = {"number": "7", "kind": "hyperparameters", "section": "S4", "header_rows": 1, "rows": rows,
             "caption": "Hyper-parameters for distilling BERT-base."}
    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "tables": [table],
             "sections": [{"id": "S4", "number": "B", "title": "Training details", "parent": None, "kind": "section",
                           "paragraphs": ["We use Adam as the optimizer, and we do not use learning rate warm-up."]}]}
    got = {(e["name"], e["value"], e["scope"]) for e in extract_statements(paper) if e["where"] == "Table 7"}
    assert {("lr", 1e-05, "RTE"), ("batch", 8.0, "RTE"), ("epoch", 10.0, "RTE"), ("decay", 0.01, "RTE"),
            ("$\\lambda_{distill}$", 1.0, "RTE"), ("lr", 5e-05, "MNLI")} <= got
    assert not any(name in ("RTE", "MNLI") for name, _, _ in got)
    rte = by_name(build_ledger(paper, [], {}, experiment="RTE")["entries"])
    assert (rte["optimizer.lr"]["value"], rte["batch.batch_size"]["value"], rte["schedule.epochs"]["value"]) == \
        (1e-05, 8, 10)
    assert rte["optimizer.lr"]["tag_text"] == "[paper Table 7]"
    # "we do not use learning rate warm-up" is no warm-up, stated (it had been a "learning rate" technique of warm-up)
    assert (rte["schedule.warmup_steps"]["value"], rte["schedule.warmup_steps"]["tag"]) == (0, "paper")


def test_a_table_per_suite_of_optimizer_named_settings_gives_the_run_its_optimizer_lr_and_scope():
    """A new user's RL paper (PPO) gives one table per environment suite: "PPO hyperparameters used for the Mujoco 1
    million timestep benchmark." with "Adam stepsize | 3e-4", "PPO hyperparameters used in Atari experiments." with
    "Adam stepsize | 2.5e-4". The learning rate is the row the optimizer names ("Adam stepsize"), and so is the optimizer
    (it had been guessed, Adam at 1e-3); each table is its suite's ("Mujoco", "Atari": the Atari one had no scope and
    its values were conflicts, the Mujoco one "Mujoco 1"); "one million timesteps" is 1e6 (it had been 1)."""
    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    def table(number, caption, rows):
        return {"number": number, "kind": "hyperparameters", "section": "A", "header_rows": 1, "caption": caption,
                "rows": [[cell("Hyperparameter"), cell("Value")]] + [[cell(a), cell(b)] for a, b in rows]}

    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [],
             "sections": [{"id": "A", "number": "A", "title": "Hyperparameters", "parent": None, "kind": "section",
                           "paragraphs": ["We do one million timesteps of training on each one."]}],
             "tables": [table("3", "PPO hyperparameters used for the Mujoco 1 million timestep benchmark.",
                              [("Horizon (T)", "2048"), ("Adam stepsize", "$3\\times 10^{-4}$"), ("Minibatch size", "64")]),
                        table("5", "PPO hyperparameters used in Atari experiments.",
                              [("Horizon (T)", "128"), ("Adam stepsize", "$2.5\\times 10^{-4}$"),
                               ("Minibatch size", "$32\\times 8$"), ("Number of actors", "$4\\times 2$")])]}
    statements = extract_statements(paper)
    scopes = {(e["name"], e["value"]): e["scope"] for e in statements if e["from"] == "table"}
    assert scopes[("Adam stepsize", 3e-4)] == "Mujoco" and scopes[("Adam stepsize", 2.5e-4)] == "Atari"
    assert ("training timesteps", 1e6) in {(e["name"], e["value"]) for e in statements}
    atari = by_name(build_ledger(paper, [], {}, experiment="Atari")["entries"])
    assert (atari["optimizer.lr"]["value"], atari["optimizer.lr"]["tag_text"]) == (2.5e-4, "[paper Table 5]")
    assert (atari["optimizer.name"]["value"], atari["optimizer.name"]["tag"]) == ("adam", "paper")
    assert atari["batch.batch_size"]["value"] == 256 and not atari["optimizer.lr"]["conflicts"]
    assert atari["batch.batch_size"]["tag_text"] == "[paper Table 5] (computed)"  # "$32\\times 8$", the batch in all
    mujoco = by_name(build_ledger(paper, [], {}, experiment="Mujoco")["entries"])
    assert (mujoco["optimizer.lr"]["value"], mujoco["batch.batch_size"]["value"]) == (3e-4, 64)
    assert not any(e["name"] == "Number of actors" and e["value"] == 8.0 for e in statements)  # a product of a batch only
    # the table as the paper prints it: "$2.5\\times 10^{-4}\\times\\alpha$" with "$\\alpha$ is linearly annealed from 1 to 0
    # over the course of learning." (the optimizer, its learning rate and the schedule had all been [guess] or default);
    # "Log stdev. of action distribution | LinearAnneal($-0.7$, $-1.6$)" is one setting as written (it had been -1.6);
    # the run's length in timesteps is its budget; "optimize the KL-penalized objective" names a penalty, no loss
    annealed = {**paper, "sections": [{**paper["sections"][0], "paragraphs": [
        "We do one million timesteps of training on each one.",
        "Using several epochs of minibatch SGD, optimize the KL-penalized objective."]}],
        "tables": [table("5", "PPO hyperparameters used in Atari experiments. $\\alpha$ is linearly annealed from 1 to 0 "
                              "over the course of learning.",
                         [("Adam stepsize", "$2.5\\times 10^{-4}\\times\\alpha$"), ("Minibatch size", "$32\\times 8$"),
                          ("Clipping parameter $\\epsilon$", "$0.1\\times\\alpha$"),
                          ("Log stdev. of action distribution", "LinearAnneal($-0.7$, $-1.6$)")])]}
    got = by_name(build_ledger(annealed, [], {}, experiment="Atari")["entries"])
    assert (got["optimizer.name"]["value"], got["optimizer.lr"]["value"], got["optimizer.lr"]["tag"]) == ("adam", 2.5e-4, "paper")
    assert (got["schedule.lr_schedule"]["value"], got["schedule.lr_schedule"]["tag"]) == ("linear", "paper")
    assert (got["schedule.final_lr"]["value"], got["schedule.total_steps"]["value"]) == (0.0, 1_000_000)
    assert got["loss.name"]["tag"] != "paper"
    stated = {(e["name"], e["value"]) for e in extract_statements(annealed)}
    assert {("Clipping parameter $\\epsilon$", 0.1), ("final Clipping parameter $\\epsilon$", 0.0),
            ("Log stdev. of action distribution", "LinearAnneal(-0.7, -1.6)")} <= stated
    assert ("Log stdev. of action distribution", -1.6) not in stated
    # a step size no optimizer names ("The step size $\\gamma$ in Eqn. (7)", test-time-model-adaptation) is no lr
    plain = by_name(build_ledger(paper_with("The step size $\\gamma$ in Eqn. (7) is set to 1.0."), [], {})["entries"])
    assert plain["optimizer.lr"]["tag"] == "guess"


def test_a_caption_that_opens_with_results_is_a_results_table_though_it_names_a_hyperparameter_setting():
    """A new user's RL paper (PPO), Table 1: "Results from continuous control benchmark. Average normalized scores (over
    21 runs of the algorithm, on 7 environments) for each algorithm / hyperparameter setting." with rows "Clipping,
    $\\epsilon=0.2$ | 0.82": its scores had been read as settings ("Clipping, eps=0.1" = 0.76)."""
    from reprokit.paper.tables import classify

    def cell(text, value=None, bold=False):
        return {"text": text, "value": value, "std": None, "bold": bold}

    rows = [[cell("algorithm"), cell("avg. normalized score")], [cell("No clipping or penalty"), cell("-0.39", -0.39)],
            [cell("Clipping, $\\epsilon=0.2$"), cell("0.82", 0.82, bold=True)],
            [cell("Adaptive KL $d_{targ}=0.003$"), cell("0.68", 0.68)], [cell("Fixed KL, $\\beta=0.3$"), cell("0.62", 0.62)],
            [cell("Fixed KL, $\\beta=1.$"), cell("0.71", 0.71)]]
    caption = ("Results from continuous control benchmark. Average normalized scores (over 21 runs of the algorithm, "
               "on 7 environments) for each algorithm / hyperparameter setting. $\\beta$ was initialized at 1.")
    assert classify(caption, rows) == "results"
    # the paper's whole table, no cell bold: its labels that set a value ("Fixed KL, $\beta=3.$") are the conditions the
    # rows measure, not settings (four "beta" rows had tied it with a settings table, 2026-12-07)
    whole = rows[:2] + [[cell(f"Fixed KL, $\\beta={b}$"), cell(v, float(v))] for b, v in
                        (("0.3", "0.62"), ("1.", "0.71"), ("3.", "0.72"), ("10.", "0.69"))] + [
        [cell("Clipping, $\\epsilon=0.2$"), cell("0.82", 0.82)]]
    assert classify(caption, whole) == "results"
    assert classify("PPO hyperparameters used in Atari experiments.", [[cell("Hyperparameter"), cell("Value")],
                                                                       [cell("Horizon (T)"), cell("128", 128.0)],
                                                                       [cell("Num. epochs"), cell("3", 3.0)]]) \
        == "hyperparameters"


def test_a_review_of_the_step_decay_table_and_number_rules_cases_they_must_handle():
    """A review of this stop's rules with counter-examples: a result that decreases or drops "by" a number is no decay
    factor ("the error decreases by 0.5 points", "accuracy drops by 2%"), nor is a loss that decreased every 10 epochs
    a schedule; "at epoch 100 and epoch 150" is two milestones, and "decayed at epoch 150" (no factor) verifies;
    "decay the learning rate at epoch 100 by a factor of 10" is gamma 0.1; "learning rate decay of 0.5 every 50
    epochs" an interval; milestones come from a stated budget only; a Keras-style "learning rate decay of 1e-4" is no
    factor; "ten thousand iterations" and "two hundred thousand steps" are whole budgets; a settings table whose caption
    opens with "Comparison" keeps its settings; "hyperparameters used in Section 4" has no scope "Section"."""
    def run(sentence):
        paper = paper_with(sentence)
        ledger = build_ledger(paper, [], {})
        return by_name(ledger["entries"]), [c["name"] for c in verify_claims(paper, ledger["entries"]) if not c["ok"]]

    for result in ("With a learning rate of 0.1, the error decreases by 0.5 points.",
                   "When the learning rate is 0.001, accuracy drops by 2%.",
                   "Using a learning rate of 0.1, the loss is reduced by 0.3 after 20 epochs.",
                   "We train for 90 epochs with a learning rate of 0.1, and the validation loss decreased every 10 "
                   "epochs."):
        got, _ = run(result)
        assert got["schedule.gamma"]["tag"] != "paper" and got["schedule.lr_schedule"]["value"] == "constant", result
    two, failed = run("We train for 200 epochs with SGD and the learning rate is multiplied by 0.1 at epoch 100 and "
                      "epoch 150.")
    assert two["schedule.milestones"]["value"] == [100.0, 150.0] and failed == []
    bare, failed = run("We train for 200 epochs with SGD and the learning rate is decayed at epoch 150.")
    assert bare["schedule.milestones"]["value"] == [150.0] and failed == []
    late, failed = run("We train for 200 epochs with SGD and decay the learning rate at epoch 100 by a factor of 10.")
    assert (late["schedule.gamma"]["value"], late["schedule.milestones"]["value"]) == (0.1, [100.0]) and failed == []
    noun, failed = run("We train for 200 epochs with SGD and a learning rate decay of 0.5 every 50 epochs.")
    assert noun["schedule.milestones"]["value"] == [50.0, 100.0, 150.0] and failed == []
    guessed, _ = run("The learning rate is decayed by 0.1 every 300 iterations.")
    assert guessed["schedule.milestones"]["tag"] != "paper"  # (the budget is a guess: no milestones from it)
    keras, _ = run("We use Adam with a learning rate of 0.001 and a learning rate decay of 1e-4.")
    assert keras["schedule.gamma"]["tag"] != "paper"
    for sentence, steps in (("We train for ten thousand iterations.", 10000),
                            ("We train the model for two hundred thousand gradient steps.", 200000)):
        assert by_name(build_ledger(paper_with(sentence), [], {})["entries"])["schedule.total_steps"]["value"] == steps

    from reprokit.gaps.scopes import table_scope
    from reprokit.paper.tables import classify

    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    rows = [[cell("Methods"), cell("ViT-B"), cell("DeiT-B")], [cell("Epochs"), cell("300", 300.0), cell("300", 300.0)],
            [cell("Batch size"), cell("4096", 4096.0), cell("1024", 1024.0)],
            [cell("Learning rate"), cell("0.003", 0.003), cell("0.0005", 0.0005)]]
    assert classify("Comparison of training settings of ViT and DeiT.", rows) == "hyperparameters"
    one = {"caption": "PPO hyperparameters used in Section 4.", "header_rows": 1,
           "rows": [[cell("Hyperparameter"), cell("Value")], [cell("Horizon"), cell("128")]]}
    assert table_scope(one, 1) != "Section"


def test_a_none_cell_of_a_setting_that_can_be_off_is_off_stated():
    """A new user's ConvNeXt recipe table: "gradient clip | None" and "exp. mov. avg. (EMA) | None" say the run uses
    none, stated (0 [paper Table 5], not a framework default that happens to agree); a "None" learning rate is no value."""
    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    rows = [[cell("config"), cell("value")], [cell("gradient clip"), cell("None")], [cell("exp. mov. avg. (EMA)"),
                                                                                    cell("None")],
            [cell("base learning rate"), cell("None")], [cell("weight decay"), cell("0.05")]]
    table = {"number": "5", "kind": "hyperparameters", "section": "A", "header_rows": 1, "rows": rows,
             "caption": "ImageNet-1K training settings."}
    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "tables": [table],
             "sections": [{"id": "A", "number": "A", "title": "Training settings", "kind": "section", "parent": None,
                           "paragraphs": []}]}
    ledger = build_ledger(paper, [], {})
    got = by_name(ledger["entries"])
    assert (got["tricks.grad_clip"]["value"], got["tricks.grad_clip"]["tag_text"]) == (0.0, "[paper Table 5]")
    assert (got["tricks.ema_decay"]["value"], got["tricks.ema_decay"]["tag_text"]) == (0.0, "[paper Table 5]")
    assert got["optimizer.lr"]["tag"] == "guess"
    assert [c["name"] for c in verify_claims(paper, ledger["entries"]) if not c["ok"]] == []


def test_a_speed_an_idiom_and_a_verb_are_no_settings_or_scopes():
    """A new user's diffusion paper: "trains at 21 steps per second" is a measured training speed (a rate the run
    sets, "resampled to 16000 samples per second", is a setting), "On the other hand, ..." no scope (tabdiff's "On
    the other hand, TabDDPM fails ... on News and Diabetes" is scoped by its datasets), and "a batch of 256 images
    takes 17 seconds" names images, not "images takes"."""
    got = {(e["name"], e["value"], e["kind"], e["scope"]) for e in statements_of(
        "Our model trains at 21 steps per second at batch size 128, and sampling a batch of 256 images takes 17 seconds.",
        "All audio is resampled to 16000 samples per second.",
        "On the other hand, after 1000 diffusion steps, source information is lost.")}
    assert ("steps per second", 21.0, "result", "") in got and ("batch size", 128.0, "setting", "") in got
    assert {kind for name, _, kind, _ in got if name == "samples per second"} == {"setting"}
    assert not any(name == "images takes" for name, *_ in got)
    assert not any(scope for *_, scope in got)


def test_a_list_of_datasets_each_with_its_budget_and_a_model_named_by_its_dataset_are_scoped():
    """A new user's diffusion paper: "on CelebA-HQ for 0.5M steps, LSUN Bedroom for 2.4M steps, ..." had all four
    budgets scoped CelebA-HQ and called a sweep; "Our CIFAR model trains at ... batch size 128" and "The larger LSUN
    Bedroom model was trained for 1.15M steps" were paper-wide. A model named by nothing the paper scopes values to
    (the method's own name) stays paper-wide."""
    got = {(e["name"], e["value"], e["scope"], e["kind"]) for e in statements_of(
        "We used random horizontal flips during training for CIFAR10.",
        "We trained on CelebA-HQ for 0.5M steps, LSUN Bedroom for 2.4M steps, and LSUN Church for 1.2M steps.",
        "Our CIFAR model trains at batch size 128.",
        "The larger LSUN Bedroom model was trained for 1.15M steps.",
        "Our Transformer model uses a learning rate of 0.001.")}
    assert {g for g in got if g[0] in ("steps", "batch size", "learning rate")} == {
        ("steps", 5e5, "CelebA-HQ", "setting"), ("steps", 2.4e6, "LSUN Bedroom", "setting"),
        ("steps", 1.2e6, "LSUN Church", "setting"), ("batch size", 128.0, "CIFAR10", "setting"),
        ("steps", 1.15e6, "LSUN Bedroom", "setting"), ("learning rate", 0.001, "", "setting")}


def test_zero_in_words_a_set_values_own_dataset_and_a_value_a_sweep_chose_are_settings():
    """A new user's diffusion paper: "We set dropout rate on the other datasets to zero without sweeping" was not
    read at all and "We set the dropout rate on CIFAR10 to 0.1 by sweeping over the values {...}" was named "dropout
    rate on CIFAR10" and called a sweep; a named dataset a "set X on Y" is for is its scope, a part it is set for stays
    in its name ("learning rate for the encoder" had become "encoder", the decoder's had no name; "the batch size for
    each GPU" is no run's batch size), and another clause is no part ("the same batch size for all tasks and use a
    sequence length of 128": the 128 is the sequence length's)."""
    got = {(e["name"], e["value"], e["scope"], e["kind"]) for e in statements_of(
        "We set the dropout rate on CIFAR10 to 0.1 by sweeping over the values $\\{0.1,0.2,0.3,0.4\\}$.",
        "We set dropout rate on the other datasets to zero without sweeping.",
        "The weight decay is set to zero.",
        "We set the learning rate for the encoder to 0.0001 and for the decoder to 0.001.",
        "We set the batch size for each GPU to 32.",
        "First, we use the same batch size for all tasks and use a sequence length of 128.")}
    assert got == {("dropout rate", 0.1, "CIFAR10", "setting"), ("dropout rate on other datasets", 0.0, "", "setting"),
                   ("weight decay", 0.0, "", "setting"), ("learning rate for encoder", 0.0001, "", "setting"),
                   ("learning rate for decoder", 0.001, "", "setting"), ("batch size for each GPU", 32.0, "", "hardware"),
                   ("sequence length", 128.0, "", "setting")}


def test_a_sets_next_item_for_a_part_takes_the_first_items_name_whatever_it_is():
    """'... and for the decoder to 0.2' after a first item SET_FOR cannot split ("the Adam learning rate for the
    encoder", a symbol, a scope with its own clause) had stopped stage 3 with an AttributeError."""
    got = {(e["name"], e["value"]) for e in statements_of(
        "We set the Adam learning rate for the encoder to 0.1 and for the decoder to 0.2.",
        "We set $\\lambda$ to 0.1 and for the decoder to 0.2.")}
    assert {("Adam learning rate for decoder", 0.2), ("$\\lambda$ for decoder", 0.2)} <= got


def test_a_paper_with_one_settings_table_per_phase_runs_one_phase_with_its_rates_scaled_by_the_batch():
    """A new user's MAE paper: "Pre-training setting.", "End-to-end fine-tuning setting." and "Linear probing setting."
    are three tables in one section, and "Supervised training ViT from scratch." a baseline's in the next. The run had
    mixed them (the optimizer and rate of pre-training, the momentum and 90 epochs of linear probing, the label
    smoothing of fine-tuning). Each caption now names its table's setup; a run without a configured experiment follows
    the first and takes nothing another setup alone states; "100 (B), 50 (L/H)" is a value per model, not the value
    "H"; "lr = base_lr x batchsize/256" makes the run's rate the base rate scaled by its batch; "Our loss function
    computes the mean squared error" is the loss."""
    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    def table(number, caption, section, rows):
        return {"number": number, "kind": "hyperparameters", "section": section, "header_rows": 1, "caption": caption,
                "rows": [[cell("config"), cell("value")]] + [[cell(a), cell(b)] for a, b in rows]}

    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "figures": [],
             "sections": [{"id": "S3", "number": "3", "title": "Approach", "parent": None, "kind": "section",
                           "paragraphs": ["Our loss function computes the mean squared error (MSE) between the "
                                          "reconstructed and original images in the pixel space."]},
                          {"id": "A", "number": "A", "title": "Implementation Details", "parent": None,
                           "kind": "appendix", "paragraphs": []},
                          {"id": "A1", "number": "A.1", "title": "ImageNet Experiments", "parent": "A", "kind": "appendix",
                           "paragraphs": ["We use the linear $lr$ scaling rule [20]: $lr=base\\_lr\\times batchsize/256$.",
                                          "We do not use color jittering, drop path, or gradient clip.",
                                          "Surprisingly, our MAE behaves decently even if using no data augmentation.",
                                          "Our MAE works well using cropping-only augmentation (both having random "
                                          "horizontal flipping)."]},
                          {"id": "A2", "number": "A.2", "title": "Supervised Training from Scratch", "parent": "A",
                           "kind": "appendix", "paragraphs": ["Our recipe is stronger."]}],
             "tables": [table("8", "Pre-training setting.", "A1",
                              [("optimizer", "AdamW"), ("base learning rate", "1.5e-4"), ("batch size", "4096"),
                               ("warmup epochs", "40"), ("augmentation", "random resized crop")]),
                        table("9", "End-to-end fine-tuning setting.", "A1",
                              [("optimizer", "AdamW"), ("base learning rate", "1e-3"), ("batch size", "1024"),
                               ("augmentation", "RandAugment"),
                               ("training epochs", "100 (B), 50 (L/H)"), ("label smoothing", "0.1")]),
                        table("10", "Linear probing setting. We use LARS with a large batch.", "A1",
                              [("optimizer", "LARS"), ("base learning rate", "0.1"), ("optimizer momentum", "0.9"),
                               ("batch size", "16384"), ("training epochs", "90")]),
                        table("11", "Supervised training ViT from scratch.", "A2",
                              [("optimizer", "AdamW"), ("base learning rate", "1e-4"), ("batch size", "4096"),
                               ("label smoothing", "0.1")])]}
    stated = {(e["name"], e["value"], e["scope"]) for e in extract_statements(paper)}
    assert ("training epochs", 100.0, "End-to-end fine-tuning, B") in stated
    assert ("training epochs", 50.0, "End-to-end fine-tuning, L/H") in stated
    assert not any(value == "H" for _, value, _ in stated)
    assert ("base learning rate", 1e-4, "Supervised training ViT from scratch") in stated
    run = by_name(build_ledger(paper, [], {})["entries"])
    assert (run["optimizer.name"]["value"], run["batch.batch_size"]["value"]) == ("adamw", 4096)
    assert run["optimizer.lr"]["value"] == pytest.approx(1.5e-4 * 4096 / 256) and run["optimizer.lr"]["tag"] == "paper"
    assert run["optimizer.lr"]["tag_text"] == "[paper Table 8] (computed)"
    assert run["optimizer.momentum"]["tag"] != "paper" and run["loss.label_smoothing"]["tag"] != "paper"
    assert run["loss.name"]["value"] == "mse"
    # what the paper does without ("We do not use color jittering") or a finding's case ("even if using no data
    # augmentation") is no augmentation of the run; each setup's list is its own, with the paper-wide items in it
    assert run["augmentation.pipeline"]["value"] == "random resized crop, random horizontal flipping"
    assert not any(e["name"] == "augmentation" and e["value"] in ("color jittering", "none")
                   for e in extract_statements(paper))
    probe = by_name(build_ledger(paper, [], {}, experiment="Linear probing")["entries"])
    assert (probe["optimizer.name"]["value"], probe["schedule.epochs"]["value"]) == ("lars", 90)
    assert probe["optimizer.lr"]["value"] == pytest.approx(0.1 * 16384 / 256)
    assert probe["loss.label_smoothing"]["tag"] != "paper"  # (fine-tuning's, another setup's)
    tuned = by_name(build_ledger(paper, [], {}, experiment="End-to-end fine-tuning")["entries"])
    assert (tuned["schedule.epochs"]["value"], tuned["loss.label_smoothing"]["value"]) == (100, 0.1)
    assert tuned["augmentation.pipeline"]["value"] == "randaugment, random horizontal flipping"
    # no rule, no scaling: a base rate stays as stated
    plain = {**paper, "sections": [*paper["sections"][:2], {**paper["sections"][2], "paragraphs": ["We train."]},
                                   paper["sections"][3]]}
    assert by_name(build_ledger(plain, [], {})["entries"])["optimizer.lr"]["value"] == 1.5e-4


def test_an_augmentation_list_is_the_one_stated_where_the_run_is_described():
    """A new user's SimCLR paper: "Default setting" lists crop, flip and blur; §3's analysis names cutout and the
    appendix's comparison AutoAugment. The run applies the default list; the others are offered beside it (as
    conflicts a reader weighs), never joined to it. Items stated in two training places are still one list."""
    base = [section_of("S2", "2.3", "Default setting", None,
                       "Unless otherwise specified, for data augmentation we use random crop and resize (with random "
                       "flip), color distortions, and Gaussian blur."),
            section_of("S3", "3", "Data augmentation for contrastive learning", None,
                       "One type of augmentation involves spatial transformation of data, such as horizontal flipping "
                       "and cutout."),
            section_of("C", "C", "Comparison with other augmentation policies", None,
                       "We also try AutoAugment, a sophisticated augmentation policy.")]
    paper = {**paper_with("We train."), "sections": base}
    run = by_name(build_ledger(paper, [], {})["entries"])["augmentation.pipeline"]
    assert run["value"] == "random crop, random flip, color distortions, gaussian blur"
    assert run["tag_text"] == "[paper §2.3]"
    offered = " ".join(c["value"] for c in run["conflicts"])
    assert "cutout" in offered and "autoaugment" in offered and "random crop," not in offered
    # two training sections' items are one list (the recipe may be told in two places)
    both = {**paper, "sections": [section_of("T1", "4.1", "Training details", None,
                                             "For data augmentation we use random crops and horizontal flips."),
                                  section_of("T2", "B", "Training hyperparameters", None,
                                             "We also apply mixup as data augmentation."), *base]}
    assert by_name(build_ledger(both, [], {})["entries"])["augmentation.pipeline"]["value"] == \
        "random crops, horizontal flips, mixup"


def test_a_review_of_the_ppo_and_mae_rules_cases_they_must_handle():
    """An adversarial review of this stop's rules (2026-12-07) with counter-examples, each of which a run would have
    trained with: timesteps that are no run length (a diffusion's, a window's, an episode's); a scaling rule with its
    own number beside a stated rate, or one the paper does not adopt; generic captions ("Experimental settings.") as
    scopes; "0.9 (beta1), 0.999 (beta2)" as two betas, "256 (per GPU), 2048 (total)" as the whole batch; a loss that is
    an auxiliary's or "L2-normalized"; "Batch size ($B = 1024$)" rows; what a setting follows as an augmentation; a
    part's annealed rate as the run's; "$0.1\\times T$" as 0.1; a Unicode alpha."""
    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    def tables(*specs, paragraphs=()):
        return {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "figures": [],
                "sections": [{"id": "A", "number": "A", "title": "Hyperparameters", "parent": None, "kind": "section",
                              "paragraphs": list(paragraphs)}],
                "tables": [{"number": str(i + 5), "kind": "hyperparameters", "section": "A", "header_rows": 1,
                            "caption": caption, "rows": [[cell("config"), cell("value")]] + [[cell(a), cell(b)]
                                                                                             for a, b in rows]}
                           for i, (caption, rows) in enumerate(specs)]}

    def run(paper, **kw):
        return by_name(build_ledger(paper, [], {}, **kw)["entries"])

    for sentence in ("We train the diffusion model with 1000 timesteps and a linear noise schedule.",
                     "We train the LSTM on input windows of 96 timesteps.", "Each training episode lasts 1000 timesteps."):
        assert run(paper_with(sentence))["schedule.total_steps"]["tag"] == "guess", sentence
    assert run(paper_with("We train the agent for 10M environment steps."))["schedule.total_steps"]["value"] == 10_000_000
    for rule in ("For linear probing, we instead follow the rule lr = 0.1 × BatchSize/256.",
                 "Goyal et al. scale the learning rate linearly, lr = 0.1 × batchsize/256, which we do not adopt."):
        got = run(paper_with("We train with a learning rate of 0.05 and a batch size of 1024.", rule))
        assert (got["optimizer.lr"]["value"], got["optimizer.lr"].get("computed", False)) == (0.05, False), rule
    blr = run(paper_with("We use a base learning rate of 1.5e-4 and a batch size of 4096.",
                         "The effective learning rate is lr = blr × bs / 256."))
    assert blr["optimizer.lr"]["value"] == pytest.approx(2.4e-3)
    assert run(paper_with("We use a learning rate of 1e-3 and a batch size of 256.",
                          "The rule is lr = 0.1 × bs/0."))["optimizer.lr"]["value"] == 1e-3  # (no division by zero)
    generic = tables(("Experimental settings.", [("Optimizer", "SGD"), ("Batch size", "128"), ("Epochs", "200")]),
                     paragraphs=["For CIFAR-100, we use a learning rate of 0.05 instead."])
    assert all(e["scope"] in ("", "CIFAR-100") for e in extract_statements(generic))
    got = run(generic, experiment="CIFAR-100")
    assert (got["optimizer.name"]["value"], got["batch.batch_size"]["value"], got["schedule.epochs"]["value"]) == (
        "sgd", 128, 200)
    parts = run(tables(("Fine-tuning hyperparameters.", [("Adam betas", "0.9 (beta1), 0.999 (beta2)"),
                                                          ("Batch size", "256 (per GPU), 2048 (total)")])))
    assert (parts["optimizer.beta1"]["value"], parts["optimizer.beta2"]["value"]) == (0.9, 0.999)
    assert parts["batch.batch_size"]["value"] == 2048
    for sentence in ("We train with cross-entropy. The auxiliary loss is a KL divergence between the two heads.",
                     "The loss is L2-normalized before being averaged across devices.",
                     "We train with L2 regularization of 1e-4.", "We optimize the KL divergence-penalized objective."):
        assert run(paper_with(sentence))["loss.name"]["value"] not in ("kl_divergence", "kl", "l2"), sentence
    from reprokit.paper.tables import classify
    recipe = [[cell("config"), cell("value")], [cell("Batch size ($B = 1024$)"), cell("1024")],
              [cell("Learning rate ($\\eta_{min}=10^{-6}$)"), cell("1e-3")], [cell("Epochs"), cell("300")]]
    assert classify("Training recipe.", recipe) == "hyperparameters"
    follows = [(e["name"], e["value"]) for e in extract_statements(paper_with(
        "Instead of following the protocol of LOQA, we evaluate against fixed opponents.",
        "We follow the settings of Table 3 for all runs.", "We follow the evaluation protocol of Zhang et al. [12].",
        "Prior methods following the evaluation protocol of ImageNet-C report mCE.",
        "We follow the pre-processing of CLIP ViT-B/16.")) if e["pattern"] == "follows"]
    assert follows == [("pre-processing", "CLIP ViT-B/16")]
    crops = run(paper_with("Rather than following the augmentations of SimCLR, we only use random crops.",
                           "We follow the data augmentation of MAE and use only random resized cropping."))
    assert "simclr" not in crops["augmentation.pipeline"]["value"].lower()
    assert "mae" not in crops["augmentation.pipeline"]["value"].lower().split(", ")
    sac = run(tables(("SAC hyperparameters. $\\alpha$ is linearly annealed from 1 to 0 over training.",
                      [("Learning rate", "3e-4"), ("Critic learning rate", "$1\\times 10^{-3}\\times\\alpha$")])))
    assert (sac["optimizer.lr"]["value"], sac["schedule.lr_schedule"]["tag"]) == (3e-4, "framework default")
    after = run(tables(("PPO hyperparameters. $\\alpha$ is annealed from 1 to 0 linearly over the course of learning.",
                        [("Adam stepsize", "$2.5\\times 10^{-4}\\times\\alpha$")])))
    assert after["schedule.lr_schedule"]["value"] == "linear"
    unicode = run(tables(("PPO hyperparameters. α is linearly annealed from 1 to 0 over the course of learning.",
                          [("Adam stepsize", "2.5e-4 × α")])))
    assert unicode["optimizer.lr"]["value"] == 2.5e-4
    share = extract_statements(tables(("Training hyperparameters.", [("Warmup steps", "$0.1\\times T$")])))
    assert not any(e["name"] == "Warmup steps" for e in share)


def test_two_more_new_users_papers_gat_and_simclr():
    """A new user's GAT paper: "using the Adam SGD optimizer ... with an initial learning rate of 0.01 for Pubmed, and
    0.005 for all other datasets" is Adam at 0.005 for the run (it had been SGD, the rates a sweep, and the optimizer and
    loss Pubmed's); "with a patience of 100 epochs" is no budget of 100 epochs; "$L_{2}$ regularization with
    $\\lambda=0.0005$" is the weight decay. A new user's SimCLR paper: its recipe is in "2.3 Evaluation Protocol >
    Default setting." (read as evaluation settings, none of them the run's); "three simple augmentations" is no
    transform."""
    gat = by_name(build_ledger(paper_with(
        "Both models are initialized using Glorot initialization and trained to minimize cross-entropy on the training "
        "nodes using the Adam SGD optimizer (Kingma & Ba, 2014) with an initial learning rate of 0.01 for Pubmed, and "
        "0.005 for all other datasets.",
        "In both cases we use an early stopping strategy on the validation nodes, with a patience of 100 epochs.",
        "During training, we apply $L_{2}$ regularization with $\\lambda=0.0005$.",
        "For Pubmed, we strengthened the $L_{2}$ regularization to $\\lambda=0.001$."), [], {})["entries"])
    assert (gat["optimizer.name"]["value"], gat["optimizer.lr"]["value"], gat["optimizer.lr"]["tag"]) == ("adam", 0.005, "paper")
    assert gat["optimizer.weight_decay"]["value"] == 0.0005 and gat["loss.name"]["stated_scope"] == ""
    assert 0.001 not in [c["value"] for c in gat["optimizer.weight_decay"]["conflicts"]]  # (Pubmed's, scoped)
    assert "schedule.epochs" not in gat or gat["schedule.epochs"]["tag"] != "paper"
    simclr = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [], "figures": [], "tables": [],
              "sections": [{"id": "S2", "number": "2", "title": "Method", "parent": None, "kind": "section",
                            "paragraphs": ["We sequentially apply three simple augmentations: random cropping, random "
                                           "color distortions, and random Gaussian blur."]},
                           {"id": "S2.3", "number": "2.3", "title": "Evaluation Protocol", "parent": "S2", "kind": "section",
                            "paragraphs": ["We evaluate with the linear evaluation protocol."]},
                           {"id": "S2.3.p", "number": "", "title": "Default setting.", "parent": "S2.3", "kind": "section",
                            "paragraphs": ["As the loss, we use NT-Xent, optimized using LARS with learning rate of 4.8 "
                                           "(= 0.3 × BatchSize/256) and weight decay of 10^-6.",
                                           "We train at batch size 4096 for 100 epochs.",
                                           "Furthermore, we use linear warmup for the first 10 epochs, and decay the "
                                           "learning rate with the cosine decay schedule without restarts."]}]}
    run = by_name(build_ledger(simclr, [], {})["entries"])
    assert (run["optimizer.name"]["value"], run["optimizer.lr"]["value"], run["batch.batch_size"]["value"]) == ("lars", 4.8, 4096)
    assert (run["schedule.lr_schedule"]["value"], run["schedule.warmup_epochs"]["value"]) == ("cosine", 10)
    assert "three" not in run["augmentation.pipeline"]["value"]
    assert run["optimizer.weight_decay"]["value"] == 1e-6  # ("10^-6" as text writes it: it had been 10)


def test_names_a_using_verb_lists_are_one_statement_each_with_its_subscript():
    """lbcs's "We employ Fashion-MNIST (abbreviated as F-MNIST) (...), SVHN (...), and CIFAR-10 (...) to evaluate our
    method" states three datasets, not the first; what-will-my-model-forget's "We experiment with BART0${}_{\\textrm{
    Large}}$ (...), FLAN-T5${}_{\\textrm{Large}}$, FLAN-T5${}_{\\textrm{3B}}$ (...) models" three models, each with its
    size. An optimizer after the name is no model, and a role ends at the next clause ("ViT-B as the backbone and Adam
    as the optimizer" names the backbone)."""
    got = {(e["name"], repr(e["value"])) for e in extract_statements(paper_with(
        "We employ Fashion-MNIST (abbreviated as F-MNIST) (Xiao et al., 2017), SVHN (Netzer et al., 2011), and CIFAR-10 "
        "(Krizhevsky et al., 2009) to evaluate our method.",
        "We experiment with BART0${}_{\\textrm{Large}}$ (Lewis et al., 2019; Lin et al., 2022a), FLAN-T5${}_{\\textrm{Large}}$, "
        "FLAN-T5${}_{\\textrm{3B}}$ (Chung et al., 2022) models with 400M, 780M, and 3B parameters respectively.",
        "We use ViT-B as the backbone and Adam as the optimizer.",
        "We use ResNet-50, and SGD with momentum."))}
    assert ("dataset", "['Fashion-MNIST', 'SVHN', 'CIFAR-10']") in got
    assert ("model", "['BART0_Large', 'FLAN-T5_Large', 'FLAN-T5_3B']") in got
    assert ("backbone", "'ViT-B'") in got and ("optimizer", "'Adam'") in got and ("optimizer", "'ViT-B'") not in got
    assert ("model", "'ResNet-50'") in got
    # a model per dataset, as the numbers' "1e-5 for A and 1e-4 for B" (lbcs): three models, each with its dataset;
    # optimizers stay the optimizer frame's
    per = {(e["name"], e["value"], e["scope"]) for e in extract_statements(paper_with(
        "For training on the constructed coreset, we utilize a LeNet (LeCun et al., 1998) for F-MNIST, a CNN for SVHN, "
        "and a ResNet-18 network for CIFAR-10 respectively.", "We use Adam for CIFAR-10, and SGD for ImageNet."))}
    assert {("model", "LeNet", "F-MNIST"), ("model", "CNN", "SVHN"), ("model", "ResNet-18", "CIFAR-10")} <= per
    assert not any(value == "SGD" and name == "model" for name, value, _ in per)
    paper = paper_with("We experiment with BART0${}_{\\textrm{Large}}$ (Lewis et al., 2019), FLAN-T5${}_{\\textrm{Large}}$ "
                       "and FLAN-T5${}_{\\textrm{3B}}$ models.")
    listed = [{**e, "tag": "paper"} for e in extract_statements(paper) if e["name"] == "model"]
    assert listed[0]["value"] == ["BART0_Large", "FLAN-T5_Large", "FLAN-T5_3B"]
    assert all(check["ok"] for check in verify_claims(paper, listed))  # (the round trip reads the subscripts too)


def test_a_gan_papers_initialisation_and_activations():
    """From a new user's GAN paper (DCGAN; trial-only, said so in the closing note): the standard deviation weights
    are drawn with is a setting, a spread of results is not; "LeakyReLU" written as one word is an activation; a
    sentence led by a quantity ("On 150 samples, ...") has no scope."""
    got = {(e["name"], repr(e["value"]), e["scope"]) for e in extract_statements(paper_with(
        "All weights were initialized from a zero-centered Normal distribution with a standard deviation of 0.02.",
        "We report the mean accuracy with a standard deviation of 0.4 over 5 runs.",
        "Use LeakyReLU activation in the discriminator for all layers.",
        "On 150 samples, 52 window bounding boxes were drawn manually.",
        "For 1% labeled data, we fine-tune for 60 epochs."))}
    assert ("standard deviation", "0.02", "") in got and not any(v == "0.4" for _, v, _ in got)
    assert ("activation", "'LeakyReLU'", "") in got
    assert ("samples", "150.0", "") in got and ("epochs", "60.0", "1% labeled data") in got


def test_a_language_model_papers_recipe_reaches_the_run():
    """From a new user's LSTM language-model paper (AWD-LSTM; trial-only, said so in the closing note; its text was
    rebuilt from memory, so only general forms are kept): "AR and TAR values of 2 and 1 respectively" are two settings
    (the issue's "X and Y ... V1 and V2 respectively"; "AR values" is not read inside "TAR values"); "the NT-ASGD
    algorithm" is the optimizer, which torch has no class for, so no Adam default stands in for its betas; "an
    initial learning rate of 30" is the run's (SGD on LSTMs runs that high), and a rate beyond the plausible range is
    said on the guess, never dropped silently; "Unlike our work, they use ... Adam with beta1 = 0" is cited work; a
    margin ("by approximately 1 unit on PTB and 0.1 units on WT2") is a result; "occurs 161 times" is no repetition;
    a run-in heading "WT2:" scopes and labels without its colon."""
    paper = paper_with(
        "For all experiments, we use AR and TAR values of 2 and 1 respectively, and tie the embedding and softmax weights.",
        "For training the models, we use the NT-ASGD algorithm discussed in the previous section for 750 epochs.",
        "We carry out gradient clipping with maximum norm 0.25 and use an initial learning rate of 30 for all experiments.",
        "Unlike our work, they use a modified LSTM and use Adam with $\\beta_{1}=0$ rather than SGD or ASGD.",
        "We improve the state-of-the-art, beating it by approximately 1 unit on PTB and 0.1 units on WT2.",
        "The second best improvement is for Meridian, yet this word only occurs 161 times.")
    got = {(e["name"], repr(e["value"])): e["kind"] for e in extract_statements(paper)}
    assert got[("AR values", "2.0")] == "setting" and got[("TAR values", "1.0")] == "setting"
    assert ("TAR values", "2.0") not in got
    assert got[("optimizer", "'NT-ASGD'")] == "setting" and got[("\\beta_{1}", "0.0")] == "cited"
    assert got[("units", "0.1")] == "result" and ("occurrences", "161.0") in got and ("repetitions", "161.0") not in got
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["optimizer.name"]["value"] == "ntasgd" and ledger["optimizer.lr"]["value"] == 30.0
    assert ledger["optimizer.beta1"]["value"] is None and "ntasgd, is no torch optimizer" in ledger["optimizer.beta1"]["quote"]
    assert ledger["tricks.grad_clip"]["value"] == 0.25 and ledger["schedule.epochs"]["value"] == 750
    beyond = {e["name"]: e for e in build_ledger(paper_with("We use Adam with a learning rate of 500."), [], {})["entries"]}
    assert beyond["optimizer.lr"]["tag"] == "guess" and "the paper states 500" in beyond["optimizer.lr"]["quote"]
    # ... but only a value of the knob's own setting: PPO's clipping "epsilon = 0.2" is no Adam epsilon beyond its
    # range (a new user's PPO paper had the notice on optimizer.eps)
    clipped = {e["name"]: e for e in build_ledger(paper_with(
        "For PPO, we used the hyperparameters from the previous section, with $\\epsilon=0.2$.",
        "We use Adam with a stepsize of 3e-4."), [], {})["entries"]}
    assert "0.2" not in clipped["optimizer.eps"]["quote"]
    heading = paper_with("We use a batch size of 80.", title="WT2:")
    heading["sections"][0].update(number="", parent="S0")
    heading["sections"].insert(0, {"id": "S0", "number": "5", "title": "Experiment Details", "parent": None,
                                   "kind": "section", "paragraphs": []})
    (batch,) = [e for e in extract_statements(heading) if e["name"] == "batch size"]
    assert batch["scope"] == "WT2" and batch["where"] == "§5 › WT2"


def test_a_review_of_the_follows_list_and_run_rules_cases_they_must_handle():
    """An adversarial review of this stop's rules (2026-12-07) found these; each was read wrongly, lost or slow."""
    def kinds(*sentences):
        return {(e["name"], repr(e["value"])): e["kind"] for e in extract_statements(paper_with(*sentences))}

    # (a margin's numbers in a long list had taken minutes to read: scopes._margin reads them in one pass now;
    # benchmarks/ledger_recall.py --all-corpus times every paper)
    # "Unlike our work, they ..." is cited up to the clause that is ours again
    got = kinds("Unlike our work, they train with Adam, whereas our model is trained with SGD and a learning rate of 0.1.",
                "Unlike our work, they use Adam with $\\beta_{1}=0$, while we use a momentum of 0.9.")
    assert got[("learning rate", "0.1")] == "setting" and got[("\\beta_{1}", "0.0")] == "cited"
    assert got[("momentum", "0.9")] == "setting"
    # an unnamed augmentation "as in" a cited work stays one; only "the same X as Y" is what it follows
    assert kinds("We train on CIFAR-10 with standard data augmentation as in He et al. (2016).")[
        ("augmentation", "'standard data augmentation'")] == "setting"
    # full-batch training the paper does not do, and a scaling rule of cited work, give the run nothing
    ledger = {e["name"]: e for e in build_ledger(paper_with(
        "Unlike GCN, which uses full-batch training, we train with Adam.",
        "MAE (He et al., 2022) uses lr = base_lr x batchsize / 256. We use a base learning rate of 1e-3 and a batch "
        "size of 512."), [], {})["entries"]}
    assert "full-batch" not in ledger["batch.batch_size"]["quote"] and ledger["optimizer.lr"]["value"] == 1e-3
    assert ("batch mode", "'full-batch'") not in kinds("We do not use full-batch training; instead we use a batch size "
                                                       "of 128.", "Full-batch gradient descent is too expensive here.")
    # the rule's own base is the base: "lr = 1.5e-4 x batchsize / 256" with a batch of 1024 is 6e-4
    ledger = {e["name"]: e for e in build_ledger(paper_with(
        "We use a batch size of 1024 and lr = 1.5e-4 x batchsize / 256."), [], {})["entries"]}
    assert abs(ledger["optimizer.lr"]["value"] - 6e-4) < 1e-12
    # a formula for something else is no learning-rate formula
    assert not any(name == "learning rate formula" for name, _ in kinds(
        "We use a learning rate of 1e-3 and compute the loss as the equation above."))
    # a quantity before a setup's name keeps the setup: "For 256 x 256 images", "For 16 shots"
    scopes = {e["name"]: e["scope"] for e in extract_statements(paper_with(
        "For 16 shots, we use a learning rate of 0.01.", "On 150 samples, 52 bounding boxes were drawn manually."))}
    assert scopes["learning rate"] == "16 shots" and scopes["samples"] == ""
    # a spread of results beside noise, or drawn from runs, is no standard deviation of a setting
    got = kinds("Under Gaussian noise with a standard deviation of 0.1, our model reaches 80.2% accuracy, with a "
                "standard deviation of 1.3 across seeds.",
                "Our model outperforms the baseline by 2.1 points, with a standard deviation of 0.3 drawn from 5 runs.")
    assert ("standard deviation", "0.1") in got and ("standard deviation", "1.3") not in got
    assert ("standard deviation", "0.3") not in got
    # "the same X as Y": a name of several words; no section; not another work's or a baseline's training
    got = kinds("We adopt the same backbone as Mask R-CNN.", "We use the same tokenizer as LLaMA 2 for all models.",
                "We use the same schedule as Stage 1.", "MoCo is trained on the same data as SimCLR [5].",
                "The baseline model is pre-trained on the same corpus as GPT-2.", "We applied the same preprocessing as BERT.")
    assert ("backbone", "'Mask R-CNN'") in got and ("tokenizer", "'LLaMA 2'") in got and ("preprocessing", "'BERT'") in got
    assert not any(name in ("schedule", "data", "corpus") for name, _ in got)
    # a list ends before the next clause's subject and before a name of several words
    got = kinds("We use GPT-2, and LLaMA-7B is used as the teacher.", "We used ResNet-50, and NVIDIA V100 GPUs.")
    assert ("model", "'GPT-2'") in got and ("model", "'ResNet-50'") in got
    # a rate the paper rejects is not said on the guess
    beyond = {e["name"]: e for e in build_ledger(paper_with("As shown in Figure 3, a learning rate of 1000 diverges."),
                                                  [], {})["entries"]}
    assert "1000" not in beyond["optimizer.lr"]["quote"]


def test_a_segmentation_papers_recipe_reaches_the_run():
    """From a new user's segmentation paper (U-Net; trial-only, said so in the closing note): "a high momentum (0.99)"
    is the momentum knob (it had been torch's 0, a stated knob as a framework default); SGD "implementation of Caffe"
    names the framework; "a soft-max ... combined with the cross entropy loss function" is the loss; "random elastic
    deformations" are an augmentation, but not another pipeline's ("InfiMNIST, a ... pipeline which uses translations
    and elastic deformations", a GAN paper's comparison)."""
    paper = paper_with(
        "The input images and their corresponding segmentation maps are used to train the network with the stochastic "
        "gradient descent implementation of Caffe.",
        "Accordingly we use a high momentum (0.99) such that a large number of the previously seen training samples "
        "determine the update in the current optimization step.",
        "The energy function is computed by a pixel-wise soft-max over the final feature map combined with the cross "
        "entropy loss function.",
        "Especially random elastic deformations of the training samples seem to be the key concept to train a "
        "segmentation network with very few annotated images.")
    got = {(e["name"], repr(e["value"])) for e in extract_statements(paper)}
    assert ("framework", "'Caffe'") in got and ("loss", "'cross entropy'") in got
    assert ("augmentation", "'random elastic deformations'") in got
    ledger = {e["name"]: e for e in build_ledger(paper, [], {})["entries"]}
    assert ledger["optimizer.momentum"]["value"] == 0.99 and ledger["optimizer.momentum"]["tag"] == "paper"
    assert ledger["optimizer.name"]["value"] == "sgd" and ledger["loss.name"]["tag"] == "paper"
    assert not [e for e in extract_statements(paper_with(
        "At one million samples per class, the DCGAN model outperforms InfiMNIST (Loosli et al., 2007), a hand developed "
        "data augmentation pipeline which uses translations and elastic deformations of training examples."))
        if e["name"] == "augmentation"]


def test_a_wide_resnet_papers_recipe_reaches_the_run():
    """From a new user's wide-ResNet paper (trial-only, said so in the closing note): "The initial learning rate is set
    to 0.1, weight decay to 0.0005, dampening to 0, momentum to 0.9 and minibatch size to 128" sets five settings (the
    passive "set to" goes on like "we set"; weight decay and momentum had been torch's defaults); "On CIFAR learning
    rate dropped by 0.2 at 60, 120 and 160 epochs" is CIFAR's, without a comma after the name; "For data
    augmentation we do horizontal flips and take random crops" lists both transforms and scopes nothing; "Time
    column measures one training epoch" is no budget; "leaving out Gaussian blur" uses none, and "we did not apply
    data augmentation" states no unnamed augmentation."""
    paper = paper_with(
        "In all our experiments we use SGD with Nesterov momentum and cross-entropy loss.",
        "The initial learning rate is set to 0.1, weight decay to 0.0005, dampening to 0, momentum to 0.9 and minibatch "
        "size to 128.",
        "On CIFAR learning rate dropped by 0.2 at 60, 120 and 160 epochs and we train for total 200 epochs.",
        "On SVHN initial learning rate is set to 0.01 and we drop it at 80 and 120 epochs by 0.1.",
        "For data augmentation we do horizontal flips and take random crops from image padded by 4 pixels on each side.",
        "Time column measures one training epoch.")
    got = {(e["name"], repr(e["value"])): e["scope"] for e in extract_statements(paper)}
    assert got[("epochs", "200.0")] == "CIFAR" and got[("initial learning rate", "0.01")] == "SVHN"
    assert got[("augmentation", "['horizontal flips', 'random crops']")] == ""
    assert not any(value == "1.0" for _, value in got)
    ledger = {e["name"]: e["value"] for e in build_ledger(paper, [], {})["entries"]}
    assert (ledger["optimizer.lr"], ledger["optimizer.weight_decay"], ledger["optimizer.momentum"]) == (0.1, 0.0005, 0.9)
    assert ledger["batch.batch_size"] == 128 and ledger["schedule.epochs"] == 200 and ledger["optimizer.nesterov"] is True
    assert ledger["schedule.milestones"] == [60.0, 120.0, 160.0] and ledger["schedule.gamma"] == 0.2
    assert ledger["augmentation.pipeline"] == "horizontal flips, random crops"
    none = {(e["name"], repr(e["value"])) for e in extract_statements(paper_with(
        "For data augmentation, we use the same Inception crop as ImageNet, and color distortion, leaving out Gaussian blur.",
        "We used L-BFGS to optimize the softmax cross-entropy objective and we did not apply data augmentation."))}
    assert ("augmentation", "'Gaussian blur'") not in none and ("augmentation", "'data augmentation'") not in none


def test_a_review_of_the_unet_and_wide_resnet_rules_cases_they_must_handle():
    """A second adversarial review (2026-12-07) of the U-Net and Wide ResNet rules found these."""
    def got(*sentences):
        return {(e["name"], repr(e["value"])): (e["kind"], e["scope"]) for e in extract_statements(paper_with(*sentences))}

    # a loss "combined with" in a cited clause is not the run's; the paper's own "energy function is computed by ..."
    assert ("loss", "'focal'") in got("Unlike [10], where softmax is combined with the cross entropy loss, we use focal loss.")
    assert not [k for k in got("Unlike [10], where softmax is combined with the cross entropy loss, we use focal loss.")
                if k[1] == "'cross entropy'"]
    # a named transform the paper does without makes no "none" of the run's pipeline
    assert ("augmentation", "'none'") not in got("We do not apply mixup augmentation, only random crops.")
    # "and for CIFAR to 0.05" is CIFAR's, and the first value stays the lead's setting
    lr = got("For ImageNet, the learning rate is set to 0.1, and for CIFAR to 0.05.")
    assert lr[("learning rate", "0.1")] == ("setting", "ImageNet") and lr[("learning rate", "0.05")] == ("setting", "CIFAR")
    # transforms of another clause, scope or baseline stay apart
    assert ("augmentation", "['cutmix', 'random erasing']") in got("The baseline applies mixup, whereas we use cutmix and "
                                                                   "random erasing.")
    assert ("augmentation", "['random crops', 'horizontal flips']") in got(
        "We use random crops and horizontal flips for CIFAR-10, and mixup for ImageNet.")
    # "omit" and "exclude" negate only what they name
    assert ("augmentation", "['random crops', 'horizontal flips']") in got("We omit weight decay and use random crops and "
                                                                           "horizontal flips.")
    assert ("augmentation", "'standard data augmentation'") in got("Without bells and whistles, we use standard data "
                                                                   "augmentation.")
    assert ("augmentation", "['random crops', 'horizontal flips']") in got("We use a pipeline which uses random crops and "
                                                                           "horizontal flips.")
    # a chained "set to" stops at a result or a comparison, and reads "dropout to 0.4"
    assert set(got("The batch size was set to 64, and the model converges to 0.95 accuracy.")) == {("batch size", "64.0")}
    assert set(got("The dropout rate is set to 0.1, similar to 0.2 in BERT.")) == {("dropout rate", "0.1")}
    assert ("dropout", "0.4") in got("The learning rate is set to 0.01, weight decay to 5e-4 and dropout to 0.4.")
    # the lead's cut to its name is only for a lead that runs into the setting (no comma after the name)
    scopes = {e["name"]: e["scope"] for e in extract_statements(paper_with(
        "For SGD with momentum, we use a learning rate of 0.1.", "For BERT fine-tuning the batch size is 32, and we "
        "train for 3 epochs."))}
    assert scopes["learning rate"] == "SGD with momentum" and scopes["batch size"] == "BERT fine-tuning"
    # "In [12], ..." is cited work, every item of it
    assert {kind for kind, _ in got("In [12], the learning rate is set to 0.1, weight decay to 1e-4 and momentum to "
                                    "0.9.").values()} == {"cited"}
    # a batch-norm momentum is no optimizer momentum
    ledger = {e["name"]: e for e in build_ledger(paper_with("We use a small momentum of 0.1 for batch normalization."),
                                                  [], {})["entries"]}
    assert ledger["optimizer.momentum"]["tag"] != "paper"


def test_a_value_in_the_relative_clause_after_a_contrasted_work_is_that_works():
    """A new user's MAE paper: "This behavior is in contrast with BERT, whose typical masking ratio is 15%" gave the
    paper's own setting "whose typical masking ratio" = 15. The form, a contrast led by "unlike" / "in contrast
    with|to" and a relative clause (which, whose, that) saying what the contrasted work does, is in
    test-time-model-adaptation ("Unlike prior TTA methods that update model weights using backpropagation, we aim
    ..."), rice ("In contrast to goal-conditional RL (...), which typically involve ..."), muse ("In contrast with
    autoregressive approaches, which learn ...") and tabdiff ("Unlike image data, which comprises ...")."""
    got = extract_statements(paper_with(
        "This behavior is in contrast with BERT, whose typical masking ratio is 15%.",
        "Unlike prior methods that train for 300 epochs, we train for 90 epochs.",
        "In contrast to ResNets (He et al., 2016; Xie et al., 2017), which use a batch size of 256, our model uses a "
        "batch size of 64.",
        "Unlike BERT, we mask 75% of the patches.",
        "The learning rate is 0.1, unlike the baseline, while the dropout that we use is 0.3."))
    kinds = {(e["name"], e["value"]): e["kind"] for e in got}
    assert kinds[("typical masking ratio", 15.0)] == "cited"
    assert kinds[("epochs", 300.0)] == "cited" and kinds[("epochs", 90.0)] == "setting"
    assert kinds[("batch size", 256.0)] == "cited" and kinds[("batch size", 64.0)] == "setting"
    assert all(kind == "setting" for (name, value), kind in kinds.items() if value in (75.0, 0.1, 0.3))
