"""Which experiment one run follows when a paper states several training setups (stage 3).

The issue's "every value the paper states ... from the right experiment": a run takes its training values from
one setup, chosen in the config (`experiment:`, a section number or a name the paper scopes values by), else the
sibling section that states most of them; another setup's values are listed, never mixed in.
"""

import pytest

from reprokit.errors import UserError
from reprokit.gaps.ledger import build_ledger, render_ledger
from tests.conftest import SHARED_PAPERS, require_shared
from tests.unit.test_statements import paper_with


def two_setups(image_optimizer: bool = True) -> dict:
    # the shape of lbcs (5.2 / 5.4) and of new users' DDS (A.2 / A.4) and Flamingo: sibling sections, each a recipe
    paper = paper_with("We use Adam with a learning rate of 0.001 and train for 20 epochs.", number="5.2",
                       title="Translation")
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
    assert got["schedule.epochs"] == (20, "paper")
    assert got["batch.batch_size"][1] != "paper" and got["schedule.warmup_steps"][1] != "paper"  # 5.3's, not the run's
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
    auto = build_ledger(paper, [], {})
    assert auto["experiment"]["label"].startswith("§5.2") and auto["experiment"]["chosen_by"] == "auto"
    assert all(e["where"].split()[0] != "§5.4" for e in auto["entries"] if e["tag"] == "paper")
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
    # DDS A.4: the batch size is CIFAR-10's, the warm-up ImageNet's; the run cannot tell, so gaps_filled.md says so
    ledger = build_ledger(appendix_recipes(), [], {}, experiment="A.4")
    assert [m["scope"] for m in ledger["scopes_mixed"]] == ["CIFAR-10", "ImageNet"]
    assert "set `experiment: 'CIFAR-10'`" in render_ledger(ledger, 0.3)
    assert build_ledger(appendix_recipes(), [], {}, experiment="CIFAR-10")["scopes_mixed"] == []


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
    assert values(ledger)["batch.batch_size"] == (64, "paper") and ledger["scopes_mixed"] == []
