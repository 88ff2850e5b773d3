"""Which experiment one run follows when a paper states several training setups (stage 3).

The issue's "every value the paper states ... from the right experiment": a run takes its training values from
one setup, chosen in the config (`experiment:`, a section number or a name the paper scopes values by), else the
sibling section that states most of them; another setup's values are listed, never mixed in.
"""

import re

import pytest

from reprokit.errors import UserError
from reprokit.gaps.experiments import names
from reprokit.gaps.ledger import build_ledger, render_ledger
from tests.conftest import SHARED_PAPERS, require_shared
from tests.unit.test_statements import paper_with


def two_setups(image_optimizer: bool = True) -> dict:
    # the shape of lbcs (5.2 / 5.4) and of new users' DDS (A.2 / A.4) and Flamingo: sibling sections, each a recipe
    paper = paper_with("We use Adam with a learning rate of 0.001 and train for 20 epochs.",
                       "The batch size is 32.", number="5.2", title="Translation")
    paper["sections"][0]["parent"] = "S5"
    paper["sections"][:0] = [{"id": "S5", "number": "5", "title": "Experiments", "parent": None, "kind": "section",
                              "paragraphs": []}]
    paper["sections"].append({"id": "S5.3", "number": "5.3", "title": "Image classification", "parent": "S5",
                              "kind": "section", "paragraphs": ["We use SGD with a learning rate of 0.1. " * image_optimizer
                                                                + "The batch size is 128 and we warm up for 2000 steps."]})
    return paper


def values(ledger: dict) -> dict:
    return {e["name"]: (e["value"], e["tag"]) for e in ledger["entries"]}


def test_without_a_choice_the_run_follows_the_setup_that_states_most_and_mixes_in_no_other():
    ledger = build_ledger(two_setups(image_optimizer=False), [], {})
    got = values(ledger)
    assert got["optimizer.name"] == ("adam", "paper") and got["optimizer.lr"] == (0.001, "paper")
    assert got["schedule.epochs"] == (20, "paper") and got["batch.batch_size"] == (32, "paper")  # not 5.3's 128
    assert got["schedule.warmup_steps"][1] != "paper"  # 5.3's, not the run's
    assert ledger["experiment"]["label"] == "§5.2 Translation" and ledger["experiment"]["chosen_by"] == "auto"
    assert [s["where"] for s in ledger["experiment"]["others"]] == ["§5.3 Image classification"]
    text = render_ledger(ledger, 0.3)
    assert "the run follows §5.2 Translation" in text and "experiment: '5.3'" in text


def test_a_configured_section_number_is_followed():
    ledger = build_ledger(two_setups(), [], {}, experiment="5.3")
    got = values(ledger)
    assert got["optimizer.name"] == ("sgd", "paper") and got["optimizer.lr"] == (0.1, "paper")
    assert got["batch.batch_size"] == (128, "paper") and got["schedule.warmup_steps"] == (2000, "paper")
    assert got.get("schedule.epochs", (0, ""))[1] != "paper"  # 5.2's 20 epochs belong to the translation runs
    assert ledger["experiment"]["chosen_by"] == "config" and ledger["sibling_setups"] == []
    assert "(config `experiment`)" in render_ledger(ledger, 0.3)


def test_a_configured_scope_name_wins_over_paper_wide_values_and_drops_other_scopes():
    # lbcs 5.2's form: "for F-MNIST and SVHN, an Adam optimizer ... For CIFAR-10, an SGD optimizer ..."
    paper = paper_with("For F-MNIST and SVHN, an Adam optimizer is used with a learning rate of 0.001 and 100 epochs.",
                       "For CIFAR-10, an SGD optimizer is exploited with an initial learning rate of 0.1.",
                       "We use a batch size of 64.")
    got = values(build_ledger(paper, [], {}, experiment="CIFAR-10"))
    assert got["optimizer.name"] == ("sgd", "paper") and got["optimizer.lr"] == (0.1, "paper")
    assert got["batch.batch_size"] == (64, "paper")  # paper-wide: every experiment's
    assert got.get("schedule.epochs", (0, ""))[1] != "paper"  # F-MNIST and SVHN's
    svhn = values(build_ledger(paper, [], {}, experiment="SVHN"))
    assert svhn["optimizer.name"] == ("adam", "paper") and svhn["schedule.epochs"] == (100, "paper")


def test_a_section_title_names_its_section():
    got = values(build_ledger(two_setups(), [], {}, experiment="image classification"))
    assert got["batch.batch_size"] == (128, "paper") and got["optimizer.name"] == ("sgd", "paper")


def test_an_experiment_the_paper_does_not_have_is_one_sentence_naming_the_key_and_the_choices():
    with pytest.raises(UserError) as raised:
        build_ledger(two_setups(), [], {}, experiment="7.1")
    message = str(raised.value)
    assert "experiment" in message and "'7.1'" in message and "5.2" in message and "5.3" in message


def test_sibling_sections_that_state_different_knobs_are_one_setups_parts():
    # "B.1 Model details" with the batch size and "B.2 Optimization" with the optimizer: no two recipes (two setups
    # state some knob twice, with different values: 5.2's batch size of 32 and 5.3's 128)
    paper = two_setups(image_optimizer=False)
    paper["sections"][1]["paragraphs"] = ["We use Adam with a learning rate of 0.001 and train for 20 epochs."]
    ledger = build_ledger(paper, [], {})
    got = values(ledger)
    assert ledger["experiment"] is None and ledger["sibling_setups"] == []
    assert got["batch.batch_size"] == (128, "paper") and got["optimizer.lr"] == (0.001, "paper")


def test_one_setup_needs_no_choice():
    ledger = build_ledger(paper_with("We use Adam with a learning rate of 0.001 and a batch size of 128."), [], {})
    assert ledger["experiment"] is None and "run follows" not in render_ledger(ledger, 0.3)
    # a method section and the experiments section (top-level siblings) are one setup, as is an appendix
    paper = paper_with("We use Adam with a learning rate of 0.001.", number="3", title="Method")
    paper["sections"].append({"id": "S4", "number": "4", "title": "Experiments", "parent": None, "kind": "section",
                              "paragraphs": ["The batch size is 128 and we train for 20 epochs."]})
    both = build_ledger(paper, [], {})
    assert both["experiment"] is None and values(both)["batch.batch_size"] == (128, "paper")
    assert values(both)["optimizer.lr"] == (0.001, "paper")


def test_lbcs_follows_one_experiment():
    # lbcs states its competitors' training in 5.2 and its ImageNet-1k training in 5.4: the run had Adam from one and
    # the batch size and weight decay of the other
    require_shared()
    from reprokit.paper.extract import parse_any

    paper = parse_any(SHARED_PAPERS / "lbcs" / "paper.html")
    auto = build_ledger(paper, [], {})  # the run's values came mostly from 5.2 (the main comparison)
    assert auto["experiment"]["label"].startswith("§5.2") and auto["experiment"]["chosen_by"] == "auto"
    assert [o["number"] for o in auto["experiment"]["others"]] == ["5.4"]
    assert all(e["where"].split()[0] != "§5.4" for e in auto["entries"] if e["tag"] == "paper")
    competitors = values(auto)
    assert competitors["optimizer.name"] == ("adam", "paper") and competitors["batch.batch_size"][1] != "paper"
    imagenet = values(build_ledger(paper, [], {}, experiment="5.4"))
    assert imagenet["optimizer.name"] == ("sgd", "paper") and imagenet["optimizer.lr"] == (0.01, "paper")
    assert imagenet["batch.batch_size"] == (256, "paper") and imagenet["optimizer.weight_decay"] == (0.001, "paper")
    assert imagenet["optimizer.momentum"] == (0.9, "paper") and imagenet["schedule.epochs"] == (100, "paper")


def appendix_recipes() -> dict:
    # the shape of a new user's DDS: "A.2 Hyperparameters for multilingual NMT" and "A.4 Hyperparameters for image
    # classification", the second with values per dataset
    sections = [{"id": "A1", "number": "A", "title": "Appendix", "parent": None, "kind": "appendix", "paragraphs": []},
                {"id": "A1.SS1", "number": "A.1", "title": "Derivation", "parent": "A1", "kind": "section",
                 "paragraphs": ["In general, for Adam, we usually use $\\beta_2 = 0.98$."]},
                {"id": "A1.SS2", "number": "A.2", "title": "Hyperparameters for multilingual NMT", "parent": "A1",
                 "kind": "section", "paragraphs": ["For the NMT model, we use Adam optimizer with learning rate of "
                                                   "0.001. We train all models for 20 epochs without any learning rate "
                                                   "decay."]},
                {"id": "A1.SS4", "number": "A.4", "title": "Hyperparameters for image classification", "parent": "A1",
                 "kind": "section", "paragraphs": ["We use the cosine learning rate decay schedule. The batch sizes for "
                                                   "CIFAR-10 and for ImageNet are $128$ and $4096$, respectively. For "
                                                   "ImageNet, we warm up for 2000 steps."]}]
    return {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
            "sections": sections}


def test_a_dataset_name_follows_the_sections_stating_its_values_and_leaves_their_siblings_out():
    # DDS: `experiment: CIFAR-10` had taken its epochs and constant schedule from the NMT recipe's A.2
    got = values(build_ledger(appendix_recipes(), [], {}, experiment="CIFAR-10"))
    assert got["batch.batch_size"] == (128, "paper") and got["schedule.lr_schedule"] == ("cosine", "paper")
    assert got.get("schedule.epochs", (0, ""))[1] != "paper" and got["schedule.warmup_steps"][1] != "paper"
    assert got["optimizer.name"][1] != "paper"  # the NMT model's Adam


def test_a_value_stated_for_the_runs_optimizer_is_the_optimizers_in_any_setup():
    # DDS: "for Adam, we usually use beta2 = 0.999" (A.1) was shown as another setup's while the run used Adam
    got = values(build_ledger(appendix_recipes(), [], {}, experiment="A.2"))
    assert got["optimizer.name"] == ("adam", "paper") and got["optimizer.beta2"] == (0.98, "paper")


def test_a_title_word_of_several_sections_is_refused_with_their_numbers():
    with pytest.raises(UserError, match=r"'Hyperparameters' is in the titles of several sections \(A.2, A.4\)"):
        build_ledger(appendix_recipes(), [], {}, experiment="Hyperparameters")
    got = values(build_ledger(appendix_recipes(), [], {}, experiment="image classification"))
    assert got["batch.batch_size"] == (128, "paper")


def test_values_of_two_datasets_in_the_followed_section_are_said():
    # DDS A.4: a batch size for CIFAR-10 and one for ImageNet, a warm-up for ImageNet; the run takes CIFAR-10's batch
    # size and so not ImageNet's warm-up (ImageNet's recipe contradicts the run's), and gaps_filled.md says so
    ledger = build_ledger(appendix_recipes(), [], {}, experiment="A.4")
    assert [(m["scope"], m["taken"]) for m in ledger["per_scope"]] == [("CIFAR-10", ["batch.batch_size"]), ("ImageNet", [])]
    assert values(ledger)["schedule.warmup_steps"][1] != "paper"
    text = render_ledger(ledger, 0.3)
    assert "The run took CIFAR-10's batch.batch_size;" in text
    assert "set `experiment: 'CIFAR-10'`" in text
    assert build_ledger(appendix_recipes(), [], {}, experiment="CIFAR-10")["per_scope"] == []


def test_a_constant_schedule_stated_as_no_decay_passes_the_round_trip():
    ledger = build_ledger(appendix_recipes(), [], {}, experiment="A.2")
    schedule = next(v for v in ledger["verification"] if v["name"] == "schedule.lr_schedule")
    assert values(ledger)["schedule.lr_schedule"] == ("constant", "paper") and schedule["ok"]


def test_a_procedures_two_update_steps_are_no_training_length():
    # DDS §3.1: "We have two gradient update steps, one for the model parameter ... and the other for the scorer"
    got = values(build_ledger(paper_with("We have two gradient update steps, one for the model parameter and the "
                                         "other for the scorer parameter."), [], {}))
    assert got["schedule.total_steps"][1] != "paper"


def flamingo_like() -> dict:
    # a new user's Flamingo paper: appendix B holds "B.1.2 Training details", "B.1.3 Contrastive model details" and
    # "B.2.2 Fine-tuning", the last two levels apart; following B.2.2 had mixed in B.1.2's and B.1.3's values
    def section(id_, number, title, parent, *text):
        return {"id": id_, "number": number, "title": title, "parent": parent, "kind": "section",
                "paragraphs": [" ".join(text)] if text else []}

    return {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
            "sections": [section("B", "B", "Experiment details", None), section("B1", "B.1", "Training", "B"),
                         section("B12", "B.1.2", "Training details for the models", "B1",
                                 "We use the AdamW optimizer with a learning rate of $10^{-4}$ and train for 500k steps."),
                         section("B12p", "", "Loss and optimisation.", "B12",
                                 "The batch size is 64 and the weight decay is 0.1."),
                         section("B13", "B.1.3", "Contrastive model details", "B1",
                                 "We use Adam with a learning rate of 0.001 and a batch size of 16,384."),
                         section("B2", "B.2", "Fine-tuning", "B"),
                         section("B22", "B.2.2", "Fine-tuning on a task", "B2",
                                 "We fine-tune with a batch size of 8.")]}


def test_a_configured_section_leaves_out_every_setup_under_the_same_top_level_section():
    ledger = build_ledger(flamingo_like(), [], {}, experiment="B.2.2")
    got = values(ledger)
    assert got["batch.batch_size"] == (8, "paper")
    assert got["optimizer.name"][1] != "paper" and got["optimizer.lr"][1] != "paper"  # B.1.2's and B.1.3's
    assert got["schedule.total_steps"][1] != "paper"
    assert [o["number"] for o in ledger["experiment"]["others"]] == ["B.1.2", "B.1.3"]


def test_a_paragraph_heading_is_no_scope_of_an_experiment():
    # Flamingo: "Several scopes" named "Loss and optimisation" (a paragraph heading) as an experiment to follow
    ledger = build_ledger(flamingo_like(), [], {}, experiment="B.1.2")
    assert values(ledger)["batch.batch_size"] == (64, "paper") and ledger["per_scope"] == []


def sections_paper(*sections) -> dict:
    """A paper of (id, number, title, parent, text) sections."""
    return {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "tables": [], "algorithms": [],
            "sections": [{"id": i, "number": n, "title": t, "parent": p, "kind": "section",
                          "paragraphs": [x] if x else []} for i, n, t, p, x in sections]}


def test_a_name_only_a_dataset_description_states_follows_no_section():
    # a review: "4.1 Datasets" names CIFAR-10, "4.2 Training details" trains with no dataset named; following
    # CIFAR-10 had left 4.2 out and guessed every training knob
    paper = sections_paper(("S4", "4", "Experiments", None, ""),
                           ("S41", "4.1", "Datasets", "S4", "We use CIFAR-10, which contains 50,000 training images."),
                           ("S42", "4.2", "Training details", "S4",
                            "We use Adam with a learning rate of 0.001 and a batch size of 64."))
    got = values(build_ledger(paper, [], {}, experiment="CIFAR-10"))
    assert got["optimizer.lr"] == (0.001, "paper") and got["batch.batch_size"] == (64, "paper")


def test_a_section_of_settings_shared_by_every_setup_is_kept():
    # a review: "5.1 Setup" states what every experiment shares; 5.2 and 5.3 are the setups (their learning rates
    # and epochs differ)
    paper = sections_paper(("S5", "5", "Experiments", None, ""),
                           ("S51", "5.1", "Setup", "S5", "We use Adam with a weight decay of 0.0001 and a batch size of 64."),
                           ("S52", "5.2", "Classification", "S5", "The learning rate is 0.1 and we train for 100 epochs."),
                           ("S53", "5.3", "Detection", "S5", "The learning rate is 0.01 and we train for 50 epochs."))
    for experiment in ("5.2", None):
        ledger = build_ledger(paper, [], {}, experiment=experiment)
        got = values(ledger)
        assert got["optimizer.lr"] == (0.1, "paper") and got["schedule.epochs"] == (100, "paper")
        assert got["optimizer.name"] == ("adam", "paper") and got["batch.batch_size"] == (64, "paper")
        assert [o["number"] for o in ledger["experiment"]["others"]] == ["5.3"]
    with pytest.raises(UserError, match=r"'5' holds several setups .*\(§5.2 and §5.3\)"):
        build_ledger(paper, [], {}, experiment="5")


def test_two_datasets_under_paragraph_headings_are_said():
    # a review: "CIFAR-10." and "ImageNet." paragraph headings under one section; the run took CIFAR-10's learning
    # rate and ImageNet's batch size, and nothing said so
    paper = sections_paper(("S4", "4", "Experiments", None, ""),
                           ("S4p1", "", "CIFAR-10.", "S4", "We use SGD with a learning rate of 0.1 for 200 epochs."),
                           ("S4p2", "", "ImageNet.", "S4", "The learning rate is 0.4 and the batch size is 1024."))
    ledger = build_ledger(paper, [], {})
    assert {m["scope"] for m in ledger["per_scope"]} == {"CIFAR-10", "ImageNet"}


def test_a_setup_under_another_top_level_section_is_no_other_setup():
    # the main text's "3.2 Scaling" states a batch size too, but only appendix B's sections are B.2.2's siblings
    paper = flamingo_like()
    paper["sections"][:0] = [{"id": "S3", "number": "3", "title": "Approach", "parent": None, "kind": "section",
                              "paragraphs": []},
                             {"id": "S32", "number": "3.2", "title": "Scaling", "parent": "S3", "kind": "section",
                              "paragraphs": ["We use gradient clipping of 1.0 and a batch size of 16."]}]
    ledger = build_ledger(paper, [], {}, experiment="B.2.2")
    assert [o["number"] for o in ledger["experiment"]["others"]] == ["B.1.2", "B.1.3"]
    assert values(ledger)["tricks.grad_clip"] == (1.0, "paper")


def test_a_name_followed_keeps_the_values_its_section_scopes_by_its_own_heading():
    # a new user's RELAX paper: "The Inverted Pendulum experiments were run for 1,000,000 frames" in "E.3 Continuous
    # RL", whose Adam is scoped by that heading; following "Inverted Pendulum" had guessed the optimizer
    paper = sections_paper(("SE", "E", "Experimental details", None, ""),
                           ("SE2", "E.2", "Discrete RL", "SE", "We use RMSProp with a learning rate of 0.003."),
                           ("SE3", "E.3", "Continuous RL", "SE", "We use Adam with a learning rate of 0.0003. The "
                                                                  "Inverted Pendulum experiments were run for 1,000,000 "
                                                                  "frames."))
    got = values(build_ledger(paper, [], {}, experiment="Inverted Pendulum"))
    assert got["optimizer.name"] == ("adam", "paper") and got["optimizer.lr"] == (0.0003, "paper")


def test_an_experiment_the_extracted_paper_does_not_contain_is_refused_before_any_job():
    # a new user's RELAX trial: 'E.7' was refused only inside stage 3, after Snakemake had removed the good
    # gaps_filled.md; the Snakefile's onstart check reads paper.json (rules/common.smk)
    from reprokit.gaps.experiments import unknown_experiment

    paper = appendix_recipes()
    assert unknown_experiment(paper, "A.4") is None and unknown_experiment(paper, "§a.2") is None
    assert unknown_experiment(paper, "ImageNet") is None and unknown_experiment(paper, None) is None
    problem = unknown_experiment(paper, "E.7")
    assert problem.startswith("config key `experiment`: 'E.7' is neither a section number of the paper nor a name it "
                              "writes; use one of") and "'A.4'" in problem


def test_values_per_dataset_in_the_followed_section_are_said_even_where_the_run_took_paper_wide_ones():
    # lbcs 5.2: Adam at 1e-3 for F-MNIST and SVHN, SGD at 0.1 for CIFAR-10; the run took the paper-wide Adam and
    # CIFAR-10's schedule
    paper = paper_with("For F-MNIST and SVHN, an Adam optimizer is used with a learning rate of 0.001.",
                       "For CIFAR-10, an SGD optimizer is used with a learning rate of 0.1 and a cosine schedule.",
                       "We use Adam with a learning rate of 0.001 for the inner loop.")
    ledger = build_ledger(paper, [], {})
    assert [m["scope"] for m in ledger["per_scope"]] == ["F-MNIST and SVHN", "CIFAR-10"]
    assert "set `experiment: 'F-MNIST and SVHN'`" in render_ledger(ledger, 0.3)
    one = build_ledger(paper_with("For CIFAR-10, we use SGD with a learning rate of 0.1."), [], {})
    assert one["per_scope"] == []


def test_a_name_the_paper_states_no_training_value_for_is_said():
    # a new user's SimPLe paper: `experiment: Pong` was accepted and changed nothing, without a word
    paper = sections_paper(("S5", "5", "Experiments", None, "We evaluate on Pong and Breakout. We use Adam with a "
                                                              "learning rate of 0.001."))
    ledger = build_ledger(paper, [], {}, experiment="Pong")
    assert values(ledger)["optimizer.lr"] == (0.001, "paper") and ledger["experiment_unstated"] == "Pong"
    assert "states no training value for it, so the run is read as with no experiment" in render_ledger(ledger, 0.3)
    # ... and read as with none: two setups are still not mixed (a review: "ResNet" named only in a comparison had
    # made the run follow whichever setup stated values for no name)
    setups = two_setups()
    setups["sections"][1]["paragraphs"].append("We compare ResNet and ViT.")
    assert build_ledger(setups, [], {}, experiment="ResNet")["experiment"]["chosen_by"] == "auto"


def test_a_name_two_setups_write_or_a_common_word_is_refused():
    # a review: "ResNet-50" trained in 5.2 and fine-tuned in 5.3 had mixed both; "batch", "the" or "0.1" (any word
    # of a sentence) had been taken as a name
    paper = two_setups()
    paper["sections"][1]["paragraphs"] = ["We train ResNet-50 with Adam with a learning rate of 0.001 for 20 epochs."]
    paper["sections"][2]["paragraphs"] = ["We fine-tune ResNet-50 with SGD with a learning rate of 0.1 and a batch "
                                          "size of 128."]
    with pytest.raises(UserError, match=r"'ResNet-50' is named in several setups .*\(§5.2 and §5.3\)"):
        build_ledger(paper, [], {}, experiment="ResNet-50")
    for word in ("batch", "the", "0.1", "5.1"):
        with pytest.raises(UserError, match="neither a section number of the paper nor a name it writes"):
            build_ledger(two_setups(), [], {}, experiment=word)
    from reprokit.gaps.experiments import unknown_experiment

    assert "the paper has no numbered section" in unknown_experiment({"sections": []}, "x")


def test_a_dataset_trained_on_and_then_fine_tuned_on_with_other_values_is_two_setups_each_followed_by_name():
    # a new user's ConvNeXt paper: "Training on ImageNet-1K" (4e-3, batch 4096) and "Fine-tuning on ImageNet-1K"
    # (5e-5, batch 512), and a pre-training and a fine-tuning recipe table with columns headed "ImageNet-1K": no
    # conflict, `experiment: 'ImageNet-1K'` had been refused ("named in several setups") and no name chose the other
    paper = sections_paper(("S5", "5", "Experiments", None, ""),
                           ("S5.1", "5.1", "Training on ImageNet-1K", "S5",
                            "We use Adam with a learning rate of 0.001 and train for 20 epochs."),
                           ("S5.2", "5.2", "Fine-tuning on ImageNet-1K", "S5",
                            "We use SGD with a learning rate of 0.1 and a batch size of 128."))
    stated = build_ledger(paper, [], {})["stated"]
    assert {(e["name"], e["scope"]) for e in stated if e["name"] == "learning rate"} == {
        ("learning rate", "ImageNet-1K"), ("learning rate", "ImageNet-1K fine-tuning")}
    assert not any(e["conflicts"] for e in stated)
    trained = values(build_ledger(paper, [], {}, experiment="ImageNet-1K"))
    assert trained["optimizer.name"] == ("adam", "paper") and trained["optimizer.lr"] == (0.001, "paper")
    assert trained["batch.batch_size"][1] != "paper"  # the fine-tuning's 128 is not this run's
    tuned = values(build_ledger(paper, [], {}, experiment="ImageNet-1K fine-tuning"))
    assert tuned["optimizer.name"] == ("sgd", "paper") and tuned["optimizer.lr"] == (0.1, "paper")
    assert tuned["batch.batch_size"] == (128, "paper") and tuned.get("schedule.epochs", (0, ""))[1] != "paper"
    # a paper that fine-tunes with the values it trains with (or only fine-tunes) keeps its plain names
    same = sections_paper(("S5", "5", "Experiments", None, ""),
                          ("S5.1", "5.1", "Training on ImageNet-1K", "S5", "We use a learning rate of 0.001."),
                          ("S5.2", "5.2", "Fine-tuning on ImageNet-1K", "S5", "We use a learning rate of 0.001."))
    assert {e["scope"] for e in build_ledger(same, [], {})["stated"]} == {"ImageNet-1K"}
    # (a review) a parent heading that names both stages makes no training value a fine-tuning one; a name whose two
    # sections train it differently is still refused
    parent = sections_paper(("SA", "A", "Pre-training and Fine-tuning Details", None, ""),
                            ("SA1", "A.1", "ImageNet-1K training", "SA", "For ImageNet-1K, we use a weight decay of 0.05."),
                            ("SA2", "A.2", "ImageNet-1K fine-tuning", "SA", "For ImageNet-1K, we use a weight decay of 1e-8."))
    assert {(e["value"], e["scope"]) for e in build_ledger(parent, [], {})["stated"]} == {
        (0.05, "ImageNet-1K"), (1e-8, "ImageNet-1K fine-tuning")}
    twice = sections_paper(("S5", "5", "Experiments", None, ""),
                           ("S52", "5.2", "Image classification on CIFAR-10", "S5", "For ResNet-50, we use SGD with a "
                            "learning rate of 0.1. We train for 200 epochs with a batch size of 128."),
                           ("S53", "5.3", "Image classification on ImageNet", "S5", "For ResNet-50, we use SGD with a "
                            "learning rate of 0.1. We train for 90 epochs with a batch size of 256."))
    with pytest.raises(UserError, match=r"'ResNet-50' is named in several setups"):
        build_ledger(twice, [], {}, experiment="ResNet-50")


def test_a_value_in_a_section_titled_by_another_tables_recipe_and_its_tricks_are_that_recipes():
    # advantage-alignment: Table 1 "IPD Hyperparameters" (the run's), Table 3 "Negotiation Game Hyperparameters" with
    # a gradient clipping norm, and "5.4 Melting Pot's Negotiation Game" training "for 34k steps": the IPD run had
    # taken the Negotiation Game's steps and clipping, silently
    def cell(text, value=None):
        return {"text": text, "value": value, "std": None, "bold": False}

    def table(number, caption, rows):
        return {"number": number, "kind": "hyperparameters", "section": "SB", "header_rows": 1, "caption": caption,
                "rows": [[cell("Hyperparameter"), cell("Value")]] + [[cell(a), cell(b, float(b))] for a, b in rows]}

    paper = sections_paper(("S5", "5", "Experiments", None, ""),
                           ("S54", "5.4", "Melting Pot's Negotiation Game", "S5", "We train the agents for 34k steps."),
                           ("SB", "B", "Experimental details", None, ""))
    paper["tables"] = [table("1", "IPD Hyperparameters", [("Learning Rate", "0.001"), ("Batch Size", "2048")]),
                       table("3", "Negotiation Game Hyperparameters",
                             [("Learning Rate", "0.005"), ("Batch Size", "16384"), ("Gradient Clipping Norm", "1.0")])]
    ledger = build_ledger(paper, [], {})
    got = values(ledger)
    assert got["optimizer.lr"] == (0.001, "paper") and got["batch.batch_size"] == (2048, "paper")
    assert got["schedule.total_steps"][1] != "paper" and got["tricks.grad_clip"] == (0.0, "framework default")
    steps = next(e for e in ledger["stated"] if e["name"] == "steps")
    assert steps["scope"] == "Negotiation Game"
    clip = next(e for e in ledger["entries"] if e["name"] == "tricks.grad_clip")
    assert {o["scope"] for o in clip["other_scopes"]} == {"Negotiation Game, not the run's setup"}
    tuned = values(build_ledger(paper, [], {}, experiment="Negotiation Game"))
    assert tuned["schedule.total_steps"] == (34000, "paper") and tuned["tricks.grad_clip"] == (1.0, "paper")


def test_a_table_of_model_groups_over_task_columns_scopes_each_value_by_both():
    # a new user's LoRA paper: "RoBERTa base LoRA" and "RoBERTa large LoRA" groups of rows, a column per GLUE task;
    # both groups' values had been one scope per task (false conflicts, and no way to follow one)
    def cell(text, value=None, span=None):
        return {"text": text, "value": value, "std": None, "bold": False, **({"span_of": span} if span else {})}

    rows = [[cell("Method"), cell("Setting"), cell("MNLI"), cell("RTE")],
            [cell("RoBERTa base LoRA"), cell("Batch Size"), cell("16", 16.0), cell("32", 32.0)],
            [cell("RoBERTa base LoRA", span=[1, 0]), cell("Learning Rate"), cell("5E-04", 5e-4), cell("5E-04", 5e-4)],
            [cell("RoBERTa large LoRA"), cell("Batch Size"), cell("4", 4.0), cell("8", 8.0)],
            [cell("RoBERTa large LoRA", span=[3, 0]), cell("Learning Rate"), cell("3E-04", 3e-4), cell("4E-04", 4e-4)]]
    paper = sections_paper(("SD", "D", "Hyperparameters", None, "We use AdamW."))
    paper["tables"] = [{"number": "9", "kind": "hyperparameters", "section": "SD", "header_rows": 1,
                        "caption": "The hyperparameters we used for RoBERTa on the GLUE benchmark.", "rows": rows}]
    ledger = build_ledger(paper, [], {})
    scopes = {(e["name"], e["value"], e["scope"]) for e in ledger["stated"] if e["from"] == "table"}
    assert ("Batch Size", 8.0, "RoBERTa large LoRA, RTE") in scopes and ("Batch Size", 32.0, "RoBERTa base LoRA, RTE") in scopes
    assert not any(e["conflicts"] for e in ledger["stated"])
    got = values(build_ledger(paper, [], {}, experiment="RoBERTa large LoRA, RTE"))
    assert got["batch.batch_size"] == (8, "paper") and got["optimizer.lr"] == (4e-4, "paper")


@pytest.mark.parametrize(("text", "named"), [
    ("trained on Fashion MNIST", False),      # a longer name: tanh-init's "Fashion MNIST" beside its "MNIST"
    ("the Fashion MNIST dataset", False),
    ("Fashion-MNIST and SVHN", False),
    ("For MNIST, we use 10 epochs", True),    # a capital at the start of a sentence is not part of the name
    ("results on MNIST and CIFAR-10", True),
    ("on Fashion MNIST and MNIST", True),
    ("5 epochs. MNIST uses 20", True),
])
def test_a_name_inside_a_longer_name_is_not_named(text, named):
    assert names("MNIST", text) is named


def test_a_dataset_whose_recipe_contradicts_the_run_gives_it_no_value():
    # lbcs 5.2: a paper-wide Adam, and "For CIFAR-10, an SGD optimizer ... and a cosine rate scheduler": a run with
    # Adam takes no cosine schedule from CIFAR-10's recipe (muse's VQGAN rows of Table 5 beside Table 4 alike)
    paper = paper_with("An Adam optimizer is used with a learning rate of 0.001.", "We train for 200 epochs.",
                       "For CIFAR-10, an SGD optimizer is exploited with an initial learning rate of 0.1 and a cosine "
                       "rate scheduler.")
    ledger = build_ledger(paper, [], {})
    got = values(ledger)
    assert got["optimizer.name"] == ("adam", "paper") and got["optimizer.lr"] == (0.001, "paper")
    assert got["schedule.lr_schedule"][1] != "paper"
    schedule = next(e for e in ledger["entries"] if e["name"] == "schedule.lr_schedule")
    assert [(o["value"], o["scope"]) for o in schedule["other_scopes"]] == [("cosine", "CIFAR-10, not the run's setup")]
    # following CIFAR-10 takes its whole recipe
    got = values(build_ledger(paper, [], {}, experiment="CIFAR-10"))
    assert got["optimizer.name"] == ("sgd", "paper") and got["schedule.lr_schedule"] == ("cosine", "paper")


def test_a_dataset_that_only_adds_values_is_not_another_recipe():
    paper = paper_with("An Adam optimizer is used with a learning rate of 0.001.",
                       "For CIFAR-10, we use a cosine rate scheduler.")
    assert values(build_ledger(paper, [], {}))["schedule.lr_schedule"] == ("cosine", "paper")


def test_a_section_the_config_names_that_states_no_training_value_is_said():
    # a new user's ViT paper: `experiment: 'Detection'` is "2.3 Detection Results", a results section; the run is
    # read as with no experiment, and gaps_filled.md says so instead of claiming to follow it
    paper = two_setups()
    paper["sections"].append({"id": "S5.4", "number": "5.4", "title": "Detection Results", "parent": "S5",
                              "kind": "section", "paragraphs": ["Our model reaches 41.2 AP on COCO."]})
    ledger = build_ledger(paper, [], {}, experiment="Detection")
    assert ledger["experiment_unstated"] == "§5.4 Detection Results"
    assert ledger["experiment"]["chosen_by"] == "auto"  # the setup most values come from, as without a choice
    assert "names §5.4 Detection Results, which states no training value" in render_ledger(ledger, 0.3)


def test_a_titles_function_word_is_no_part_of_a_name():
    assert names("CIFAR-10", "Training Details For CIFAR-10") and names("MNIST", "Experiments With MNIST")


def test_the_experiment_gaps_filled_advises_is_one_the_config_accepts():
    """muse's gaps_filled.md advised `experiment: 'VQGAN'` and sapg's `experiment: 'AllegroKuka'`, and both were refused
    ("is in the titles of several sections (2.2, A.2)"). A name in several titles that values are stated for (its
    table "Training hyperparameters for VQGAN.") is followed by those values; a name still refused is not advised (a
    new user's ConvNeXt paper advised 'ImageNet-1K', named in two setups of different values)."""
    def cell(text):
        return {"text": text, "value": None, "std": None, "bold": False}

    def table(number, section, what, lr, batch):
        return {"number": number, "kind": "hyperparameters", "section": section, "header_rows": 1,
                "caption": f"Training hyperparameters for {what}.",
                "rows": [[cell("Hyperparameter"), cell("Value")], [cell("Learning rate"), cell(lr)],
                         [cell("Batch size"), cell(batch)]]}

    paper = {"title": "T", "abstract": "", "author_notes": [], "footnotes": [], "algorithms": [],
             "sections": [{"id": "S2", "number": "2.2", "title": "VQGAN", "kind": "section", "parent": None,
                           "paragraphs": ["We train a VQGAN tokenizer on the images."]},
                          {"id": "A2", "number": "A.2", "title": "VQGAN Configurations", "kind": "section",
                           "parent": None, "paragraphs": []},
                          {"id": "A3", "number": "A.3", "title": "Super-Resolution Configurations", "kind": "section",
                           "parent": None, "paragraphs": []}],
             "tables": [table("5", "A2", "VQGAN", "1e-4", "256"), table("6", "A3", "the Super-Resolution Model",
                                                                          "2e-4", "512")]}
    ledger = build_ledger(paper, [], {})
    advised = re.search(r"set `experiment: '([^']+)'`", render_ledger(ledger, 0.3)).group(1)
    assert advised in ("VQGAN", "Super-Resolution Model")
    got = values(build_ledger(paper, [], {}, experiment=advised))
    assert got["optimizer.lr"] == ((1e-4, "paper") if advised == "VQGAN" else (2e-4, "paper"))
    vqgan = values(build_ledger(paper, [], {}, experiment="VQGAN"))
    assert vqgan["optimizer.lr"] == (1e-4, "paper") and vqgan["batch.batch_size"] == (256, "paper")


def test_a_configured_paragraph_heading_is_followed_and_its_sibling_headings_are_other_setups():
    """tanh-init's B.2 has an "Autoencoder" and an "FFNN" paragraph; test-time-model-adaptation's B.2 a "FOA (Ours)"
    and a "T3A (...)" one. Configured by such a heading, the run had followed it as a mere word: tanh-init's
    "Autoencoder" run took the FFNN paragraph's 100 epochs and §4.1's batch of 64, not its own 256. A new user's GAT
    paper heads a "Transductive learning" and an "Inductive learning" paragraph in each of three sections; one title
    is one setup."""
    paper = sections_paper(("S4", "4", "Experiments", None, "We train with Adam at a learning rate of 0.001."),
                           ("SB", "B.2", "Further architectures", None, ""),
                           ("SB1", "", "Autoencoder", "SB", "The autoencoder is trained with a batch size of 256."),
                           ("SB2", "", "FFNN", "SB", "The FFNN is trained for 100 epochs with a batch size of 32."))
    got = values(build_ledger(paper, [], {}, experiment="Autoencoder"))
    assert got["batch.batch_size"] == (256, "paper") and got.get("schedule.epochs", (None, ""))[1] != "paper"
    assert got["optimizer.lr"] == (0.001, "paper")  # the paper-wide recipe stays
    ledger = build_ledger(paper, [], {}, experiment="FFNN")
    assert values(ledger)["schedule.epochs"] == (100, "paper") and values(ledger)["batch.batch_size"] == (32, "paper")
    assert [o["where"] for o in ledger["experiment"]["others"]] == ["§B.2 › Autoencoder"]
    gat = sections_paper(("S31", "3.1", "Datasets", None, ""),
                         ("S31a", "", "Transductive learning", "S31", "We use three citation networks."),
                         ("S31b", "", "Inductive learning", "S31", "We use a protein-protein interaction dataset."),
                         ("S33", "3.3", "Experimental setup", None, ""),
                         ("S33a", "", "Transductive learning", "S33", "We apply L2 regularization with a weight decay "
                                                                       "of 0.0005."),
                         ("S33b", "", "Inductive learning", "S33", "We use a batch size of 2 graphs during training."))
    transductive = build_ledger(gat, [], {}, experiment="Transductive learning")
    assert values(transductive)["optimizer.weight_decay"] == (0.0005, "paper")
    assert values(transductive)["batch.batch_size"][1] != "paper"
    assert [o["where"] for o in transductive["experiment"]["others"]] == ["§3.3 › Inductive learning"]  # (3.1's
    # states no setting)
    assert "set `experiment: 'Inductive learning'`" in render_ledger(transductive, 0.3)  # (not '3.3', all of 3.3)
    inductive = values(build_ledger(gat, [], {}, experiment="Inductive learning"))
    assert inductive["batch.batch_size"] == (2, "paper") and inductive["optimizer.weight_decay"][1] != "paper"


def test_a_run_that_takes_values_from_sibling_paragraphs_says_so_and_how_to_follow_one():
    """A new user's GAT paper, with no experiment configured, took its batch of 2 graphs from "Inductive learning"
    and its weight decay from "Transductive learning", silently. It is said now (the run is not changed: only the
    paper tells setups from parts of one)."""
    paper = sections_paper(("S33", "3.3", "Experimental setup", None, ""),
                           ("S33a", "", "Transductive learning", "S33", "We apply L2 regularization with a weight decay "
                                                                         "of 0.0005."),
                           ("S33b", "", "Inductive learning", "S33", "We use a batch size of 2 graphs during training."))
    ledger = build_ledger(paper, [], {})
    assert ledger["sibling_paragraphs"] == [["§3.3 › Inductive learning", "§3.3 › Transductive learning"]]
    assert "follow one: set `experiment: 'Inductive learning'`" in render_ledger(ledger, 0.3)
    assert build_ledger(paper, [], {}, experiment="Inductive learning")["sibling_paragraphs"] == []
    one = sections_paper(("S4", "4", "Setup", None, ""), ("S4a", "", "Training", "S4", "We use a batch size of 2."))
    assert build_ledger(one, [], {})["sibling_paragraphs"] == []
