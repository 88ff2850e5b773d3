"""What a statement is stated for and what kind of value it is: its scope (a dataset, model, task or
experiment, from the sentence, the section title or the table) and its kind (a setting, a sweep, a result,
a dataset statistic, hardware, an inference setting, a cited work's, a baseline's, an ablation's or
another study's, or an overview's: the introduction's or limitations')."""

from __future__ import annotations

import re
from typing import Any

from reprokit.gaps.frames import DISCUSSION, SCOPE
from reprokit.text import normalise_space

KNOB_WORDS = re.compile(r"\b(?:learning\s+rate|lr|batch|epochs?|momentum|weight\s+decay|dropout|warm-?up|optimi[sz]er|"
                        r"dropped|decay\w*|set|initial)\b", re.IGNORECASE)
LEAD_SCOPE = re.compile(r"^(?:For|On)\s+(?:the\s+)?(?P<scope>[^,]{3,120}?),\s")
GENERIC_TITLE = re.compile(r"\b(details?|implementation|hyper-?parameters?|settings?|set-?ups?|experiments?|results?|"
                           r"training|evaluation|method|model|architecture|analysis|ablations?|additional|more|"
                           r"baselines?|datasets?|protocols?|choices|introduction|discussion|overview|models|"
                           r"optimi[sz]ation|libraries|augmentation|loss|function)\b", re.IGNORECASE)
# ("Datasets and Baselines", lbcs's "Descriptions of Baselines and Network Structures": the section also holds the
# paper's own datasets or networks; a sentence there is a baseline's by its own words)
BASELINE_TITLE = re.compile(r"^(?!.*\b(?:datasets?|metrics?|setups?)\s+and\s+baselines?\b)"
                            r"(?!.*\bbaselines?\s+and\s+(?:datasets?|metrics?|setups?|network))"
                            r".*?(?:\bbaselines?\b|\bcompared methods\b)", re.IGNORECASE)
CITED_TITLE = re.compile(r"\([^()]*\bet al\.?,?\s*\(?(?:19|20)\d\d[a-z]?\)?[^()]*\)|\b[a-z][a-z-]*(?:19|20)\d\d[a-z0-9]*\b")
ABLATION_TITLE = re.compile(r"\bablations?\b|\bsensitivity\b", re.IGNORECASE)
# a section about searching the settings (a new user's GNN paper: "Hyperparameter tuning." with Optuna's "a maximum budget
# of 12 epochs per trial, and a minimum of 3 epochs before a trial becomes eligible for pruning"): its values are the
# search's, not a run's
SEARCH_TITLE = re.compile(r"\bhyper-?parameter\s+(?:tuning|search|optimi[sz]ation|sweeps?)\b", re.IGNORECASE)
# a study of the method beside its main runs: its efficiency, speed, cost or robustness (tabdiff's "F.1 Efficiency ›
# Training Time" validates every 200 epochs for a timing comparison; rice, eomt, lbcs, test-time-model-adaptation and
# what-will-my-model-forget have such sections); not "Machine Learning Efficiency", a metric's name
STUDY_TITLE = re.compile(r"(?<!learning )\befficiency\b|\brobustness\b|\bspeed\b|\brun-?time\b|\btraining time\b|"
                         r"\bcomplexity\b", re.IGNORECASE)


def section_scope(section: dict[str, Any]) -> str:
    """A scope a section's title gives its statements: "Evaluations on ImageNet-1k" (a for/on phrase), the
    experiment a section reports ("Setups and Results of Streaming"), or a
    subsection or paragraph heading named after one method, environment, task or dataset ("TENT (Wang et al.,
    2021)" is TENT, "Shadow Hand", "Reacher")."""
    if section.get("lead_scope"):
        return re.sub(r"\s+\([^)]*\)$", "", section["lead_scope"])
    title = re.sub(r"\s*\([^)]*\)$", "", normalise_space(section.get("title") or "").rstrip(".:"))
    on = [m.group("scope") for m in SCOPE.finditer(title)]
    if on:
        return on[-1].strip(" ,")
    # another experiment's section: "Setups and Results of Streaming with Constructed Coresets" (lbcs E.6, E.7),
    # "Results of SparseWalker2d" (rice), "Results of Fixing Single Errors Separately" (what-will-my-model-forget)
    other = re.match(r"(?:\w+\s+)?(?:setups?|results?)(?:\s+and\s+(?:setups?|results?))?\s+of\s+(?:the\s+)?(?P<scope>[A-Z].+)$",
                     title, re.IGNORECASE)
    if other:
        return other.group("scope")
    words = title.split()
    if section.get("parent") and 0 < len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words) \
            and not GENERIC_TITLE.search(title):
        return title
    return ""


# the label of a bulleted item, a run-in heading for its sentence: "• Regrasping - The object must be ..." (sapg),
# "• ASR-BN: A joint ASR-DID that ... (bottleneck dimension: $32$ ...)"
BULLET_LABEL = re.compile(r"•\s*(?P<scope>(?!(?:We|Our|This|The|In|§)\b)[A-Z][\w.+/-]*(?:\s+[A-Z0-9(][\w.+/()-]*){0,3}?)"
                          r"(?:\s*\[[\d,\s]+\])?(?:\s*:\s|\s+[-–—]\s+)")


# a list item's own name before the value's "for" (a new user's diffusion paper: "We trained on CelebA-HQ for 0.5M steps,
# LSUN Bedroom for 2.4M steps, LSUN Cat for 1.8M steps, and LSUN Church for 1.2M steps")
NAMED_BEFORE = re.compile(r"(?:\b(?:on|for)\s+(?:the\s+)?|[,;]\s*(?:and\s+)?)"
                          r"(?P<scope>(?!(?:The|This|We|Our|In|It|They)\b)[A-Z][\w-]*(?:\s+[A-Z0-9][\w-]*){0,3})\s+for\s+$")


def _scope(sentence: str, name_span: tuple[int, int]) -> str:
    bullet = BULLET_LABEL.match(sentence)
    if bullet and bullet.end() <= name_span[0]:
        return bullet.group("scope").strip()
    found = [m for m in SCOPE.finditer(sentence) if not re.match(r"(The|This|We|Our|In|Eq|Table|Figure|Fig)\b",
                                                                 m.group("scope"))
             and not HARDWARE.search(m.group("scope"))  # ("90 epochs on TPUs": where it ran, no dataset)
             # a scope phrase after a comma that follows the value is the next clause's: "the AdamW optimizer with
             # global norm clipping of 1, no weight decay for the Perceiver Resampler and ..."
             and not (m.start() >= name_span[1] > name_span[0] and re.search(r"[,;]", sentence[name_span[1]:m.start()]))
             # ... and one right after another value is that value's: "using the Adam optimizer with an initial learning
             # rate of 0.01 for Pubmed" (a new user's GAT paper) scopes the rate, not the optimizer
             and not (m.start() >= name_span[1] and re.search(r"\d\$?\s*%?\s*$", sentence[name_span[1]:m.start()])
                      and re.search(r"\b(?:of|to|is|be|at)\s+\$?[-\d.]", sentence[name_span[1]:m.start()]))]
    own = [m for m in found if name_span[1] > name_span[0] and 0 <= m.start() - name_span[1] <= 2]
    if own:  # the value's own "on <dataset>" right after it: "for 20 epochs on Devign ... and for 40 epochs on Java250"
        # (a new user's GNN paper), as eomt's "12 on COCO, 31 on ADE20K"
        return own[0].group("scope").strip(" ,")
    named = NAMED_BEFORE.search(sentence[:name_span[0]]) if name_span[1] > name_span[0] else None
    if named:  # ... or its own name right before its "for": "on CelebA-HQ for 0.5M steps, LSUN Bedroom for 2.4M steps"
        return named.group("scope")
    lead = LEAD_SCOPE.match(sentence)
    # (a quantity leads no scope: "On 150 samples, 52 window bounding boxes were drawn")
    if lead and not re.match(r"(\$?\d[\d,.]*\$?\s+(?:samples|examples|images|GPUs|TPUs|devices|runs|seeds|trials|episodes|"
                             r"iterations|steps|epochs|instances|points)\b|this|that|these|those|each|all|most|many|some|"
                             r"both|every|our |example|instance|simplicity|"
                             r"comparison|fairness|a |an |(?:the )?(?:training|optimi[sz]ation|(?:data )?augmentation|"
                             r"pre-?processing|regulari[sz]ation)\b|(?:the )?(?:other|one) hand\b|"
                             r"(?:the )?contrary\b|average\b)",
                             lead.group("scope"), re.IGNORECASE):
        # "For CIFAR-10 we used 200K and 500K training iterations, and for ImageNet-64 we used 500K and 1500K": the
        # lead ends before its clause's verb, and counts for the sentence up to the next scope phrase
        scope = re.split(r"\s+(?:we|our|they|it|is|are|was|were|used?|trained?)\b", lead.group("scope"), maxsplit=1)[0]
        named = re.match(r"(?:[A-Z][\w.-]*|\d[\w.-]*)(?:\s+(?:[A-Z][\w.-]*|\d[\w.-]*|and|&))*"
                         r"(?:\s+(?:fine-?tuning|pre-?training))?(?=\s+[a-z])", scope)
        if named and KNOB_WORDS.search(scope[named.end():]) and (scope != lead.group("scope")
                                                                  or re.search(r"\d", scope[named.end():])):
            scope = named.group(0)  # no comma after the name: "On CIFAR learning rate dropped by 0.2 at 60, 120 and 160
            # epochs", "On SVHN initial learning rate is set to 0.01" (a new user's ResNet paper) are CIFAR's, SVHN's
        between = [m for m in found if len(scope) + 4 < m.start() and m.end() <= name_span[0]]
        if not between:
            return scope.strip()
        return between[-1].group("scope").strip(" ,")
    if not found:
        return ""
    # the scope phrase nearest the value wins ("For CIFAR-10, ..." at the start counts for the whole sentence)
    return min(found, key=lambda m: abs(m.start() - name_span[0])).group("scope").strip(" ,")


SWEEP = re.compile(r"\b(vary|varies|varied|varying|sweep\w*|grid[- ]search\w*|(?:a|the) grid of|(?<!beam )search\w*|"
                   r"(?<!fine-)(?<!fine )tun(e|ed|ing)|"
                   r"(?:range[sd]?|ranging) (from|over|in|between)|chosen from|select\w* from|among|from a (small )?set|"
                   r"(?:log-?)?uniform(?:ly)? (?:in|over|on|from)|"
                   r"ablat\w*)\b", re.IGNORECASE)
# a value chosen without one is no sweep: "We set the learning rate to $2 \times 10^{-4}$ without any sweeping",
# "We set $T = 1000$ without a sweep" (a new user's diffusion paper); nor is an optimizer used "with tuned
# hyperparameters" (a new user's GAN paper)
NOT_SWEPT = re.compile(r"\b(?:without|no|not|never|instead\s+of)\s+(?:any\s+|a\s+|further\s+|hyper-?parameter\s+)*"
                       r"(?:sweep\w*|search\w*|tun(?:e|ed|ing)\b)|\bwith\s+tuned\s+(?:hyper-?)?parameters\b", re.IGNORECASE)
CHOSEN_BY = re.compile(r"\b(?:by|via|through|after|using)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?"
                       r"(?:sweep\w*|search\w*|tun(?:e|ed|ing)\b).*$", re.IGNORECASE)
# (a set a symbol ranges over, "$S\in\{7,42,99\}$", is its own sweep, read by the "in set" frame: the sentence's other
# values are not swept: "5 seeds ($S\in\{...\}$) trained for 200 epochs each", a new user's segmentation paper)
RESULT_NAME = re.compile(r"accuracy|\bacc\b|error|f1|bleu|rouge|\bauc\b|score|reward|return|success rate|"
                         r"perplexity|win rate|probabilit|\bem\b|exact match|precision|recall|fid\b|clip score",
                         re.IGNORECASE)
RESULT_SENTENCE = re.compile(r"\b(achiev\w*|reach\w*|obtain\w*|outperform\w*|improv\w*|drops?|gains?|results? in)\b",
                             re.IGNORECASE)
STATISTIC_NAME = re.compile(r"^(?:[\w-]+\s+){0,2}(examples|samples|images|instances|classes|tasks|tokens|sentences|"
                            r"documents|users|items|pairs|videos|episodes|points)(?:\s+per\s+[\w -]+)?$", re.IGNORECASE)
HARDWARE = re.compile(r"\b(GPUs?|A100|V100|H100|RTX|TPUs?|CPUs?)\b")
DATASET_SENTENCE = re.compile(r"\b(contain\w*|consist\w*|compris\w*|dataset|split|training set|test set|"
                              r"validation set|in total)\b", re.IGNORECASE)
# decoding and sampling settings: their own block, never a training knob
INFERENCE_NAME = re.compile(r"top-?[kp]\b|nucleus|new tokens|max(?:imum)? (?:generation|output|new) (?:length|tokens)|"
                            r"samples? per (?:prompt|input|question)|guidance(?: scale| strength| weight)?|beam (?:size|width)|"
                            r"beams\b|length penalty|decoding steps|sampling steps|temperature", re.IGNORECASE)
INFERENCE_SENTENCE = re.compile(r"\b(sampl\w*|decod\w*|generat\w*|inference|at test time|guidance)\b", re.IGNORECASE)
# the paper's own voice, also "this work" / "this paper" (advantage-alignment, eomt): "gradient clipping is used in
# the previous work and this study (the maximum norm is 0.25)" is the paper's own setting too
WE = r"(?:we|our|ours|us|this (?:study|work|paper)|the present (?:study|work|paper))"
# what a field usually does, not what the paper does: "Transformers are typically trained with Adam or Adagrad
# optimizers" (a new user's DETR paper; a sentence stating a number, "networks are usually trained for 200 epochs",
# is the paper's own)
COMMON_PRACTICE = re.compile(r"\b(?:are|is|were|was)\s+(?:typically|usually|commonly|traditionally|conventionally|"
                             r"often|generally)\s+(?:\w+\s+)?(?:trained|used|optimi[sz]ed|fine-?tuned|set)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(rf"\b{WE}\b", re.IGNORECASE)
# a sentence about another work's setting: "Smith et al. trained for 300 epochs", "their model uses ..."
# (a comma after "et al." ends the cited name, unless a year or "who/which" follows: "the recipe of Radford et al.,
# training models from scratch with a contrastive objective" is the paper's own training)
CITED = re.compile(r"\bet al\.?(?:,?\s*\(?\d{4}[a-z]?\)?)?(?:\s*\[[\d,\s]+\])?(?:,\s*(?=(?i:who|which|whose)\b)|\s+)"
                   rf"(?:(?!(?i:{WE})\b)\w+\s+){{0,2}}?"
                   r"(?:train|use|fine-?tun|"
                   r"pre-?train|report|set|adopt|employ|optimi[sz](?!er))\w*|\b(?:their|prior|previous|original)\s+"
                   r"(?:work|paper|model|setup|setting|implementation|training)s?\b", re.IGNORECASE)
THROUGHPUT = re.compile(r"throughput|latency|images per second|\bFPS\b|inference|at test time", re.IGNORECASE)
# a sentence about training, in a section about sampling ("Fast Sampling on LSUN": "We train two models: one with
# batch size 64 ...", "All models were trained with 153.6M examples"): its values are training settings
TRAINING_SENTENCE = re.compile(r"\b(?:we|models?|networks?|it|they)\s+(?:(?:were|was|are|is)\s+)?train(?:ed)?\b|"
                               r"\btraining\s+(?:iterations|steps|epochs|examples|runs?)\b", re.IGNORECASE)
INFERENCE_TITLE = re.compile(r"\b(?:inference|sampling|decoding|generation)\b|^(?:evaluation|"
                             r"test(?:ing)?)(?: setups?| details| settings?| protocols?)?\.?$",
                             re.IGNORECASE)


# a sentence about another work set against the paper's: "Unlike our work, they use a modified LSTM ..."
OTHERS_LEAD = re.compile(r"\s*(?:unlike|in\s+contrast\s+to|different\s+from|contrary\s+to)\s+(?:us|ours|our\s+(?:own\s+)?"
                         r"(?:work|paper|method|approach|model|setup|setting)s?)\s*,\s*(?:they|the\s+authors|these\s+works?|"
                         r"it|their)\b", re.IGNORECASE)
# "by approximately 1 unit (on PTB and 0.1 units ...)": what a result is better or worse by (``_margin``)
MARGIN_BY = re.compile(r"\bby\s+(?:approximately\s+|about\s+|roughly\s+|around\s+|nearly\s+|over\s+|up\s+to\s+)?\$?\d",
                       re.IGNORECASE)
# the end of a cited clause after "Unlike our work, they ...": "..., while we use", "; our model"
OTHERS_END = re.compile(r"[;]|\b(?:whereas|while|but)\b|,\s*(?:and\s+)?(?:we|our|ours|us)\b", re.IGNORECASE)


# "In contrast with BERT, whose typical masking ratio is 15%" (a new user's MAE paper), "Unlike prior TTA methods that
# update model weights ..." (test-time-model-adaptation), "In contrast to goal-conditional RL (...), which typically
# involve ..." (rice), "In contrast with autoregressive approaches, which learn ..." (muse), "Unlike image data,
# which comprises ..." (tabdiff): the relative clause says what the contrasted work or thing does
CONTRASTED = re.compile(r"\b(?:unlike|in\s+contrast\s+(?:with|to)|contrary\s+to|different\s+from)\s+(?!(?:us|ours|our)\b)"
                        r"(?:[^,;()]|\([^)]*\)){1,120}?,?\s*\b(?:which|whose|that|who)\b", re.IGNORECASE)


def _contrasted_clause(sentence: str, at: int) -> bool:
    """Is the value at ``at`` in the relative clause after a contrasted work ("in contrast with BERT, whose ...")?
    The clause ends at our own ("..., we"), at "while"/"whereas"/"but", and, where the contrast leads the sentence,
    at the comma before the sentence's own clause."""
    for match in CONTRASTED.finditer(sentence):
        if at < match.end() - len(re.search(r"\w+$", match.group(0)).group(0)):
            continue  # (the clause starts at its pronoun: "whose typical masking ratio is 15%")
        end = OTHERS_END.search(sentence, match.end())
        stop = end.start() if end else len(sentence)
        if not sentence[:match.start()].strip():
            comma = re.search(r",(?![^(]*\))", sentence[match.end():])
            stop = min(stop, match.end() + comma.start()) if comma else stop
        if at < stop:
            return True
    return False


def _margin(sentence: str, at: int) -> bool:
    """Is the number at ``at`` a margin: after "by (approximately) N" with only numbers, units and "on X" between?"""
    last = None
    for match in MARGIN_BY.finditer(sentence, 0, at + 1):
        last = match
    between = sentence[last.end() - 1:at] if last else ""
    return last is not None and len(between) <= 80 and not re.search(
        r"\b(?:we|our|is|are|was|were|use[sd]?|using|train\w*|with|for)\b", between, re.IGNORECASE)


def _others_clause(sentence: str, at: int) -> bool:
    """Is the value at ``at`` in the clause a sentence led by "Unlike our work, they ..." gives to the others?"""
    lead = OTHERS_LEAD.match(sentence)
    if lead is None:
        return False
    end = OTHERS_END.search(sentence, lead.end())
    return at < (end.start() if end else len(sentence))


def _in_cited_clause(sentence: str, span: tuple[int, int]) -> bool:
    """Whether a value sits in the clause that says what cited work did: "Following Smith et al., who trained for
    300 epochs, we train for 40" (the 300, up to the next comma), while the sentence's own setting is the 40."""
    for cited in CITED.finditer(sentence):
        end = re.search(rf"[,;:]|\b{WE}\b|$", sentence[cited.end():], re.IGNORECASE)
        if cited.start() <= span[0] <= cited.end() + (end.start() if end else 0):
            return True
    return False


# a clause about a baseline: "The ImageNet baseline is SGD with a learning rate of 0.1", "For the baselines, we use
# ...", "Adam and SGD baselines used the PyTorch default initialisation" (up to "while our method ...")
BASELINE_CLAUSE = re.compile(r"\bfor\s+(?:the\s+|all\s+|each\s+|every\s+)?(?:(?!(?:with|to|against|and|our|of)\b)[\w-]+\s+)"
                             r"{0,2}?baselines?\b(?!\s+and\s+(?:our|the proposed|ours)\b)|"
                             r"\bbaselines?\s+(?:(?:is|are|was|were)\b|(?:use[sd]?|employ(?:s|ed)?|adopt(?:s|ed)?|"
                             r"train(?:s|ed)?|run|ran)\b)", re.IGNORECASE)
CLAUSE_END = re.compile(r"[;]|\b(?:while|whereas|but)\b", re.IGNORECASE)
SUBJECT_END = re.compile(rf"[;]|\b(?:while|whereas|but)\b|,\s*(?:and\s+)?(?:{WE})\b", re.IGNORECASE)
# where a baseline subject's clause starts: after a comma, a semicolon or a conjunction before it ("Our model is
# trained with a batch size of 64 while the baselines use 32": the 64 is ours)
SUBJECT_START = re.compile(r"[,;]|\b(?:while|whereas|but|and|since|because|as|although|though)\b", re.IGNORECASE)
SHARED = re.compile(r"\b(?:our|ours|the proposed|both)\b", re.IGNORECASE)


def _in_baseline_clause(sentence: str, span: tuple[int, int]) -> bool:
    for clause in BASELINE_CLAUSE.finditer(sentence):
        subject = clause.group(0).lower().startswith("baseline")  # (the adjunct "For the baselines, we use ..." reaches
        # past its comma)
        end = (SUBJECT_END if subject else CLAUSE_END).search(sentence, clause.end())
        if subject:
            starts = [m.end() for m in SUBJECT_START.finditer(sentence, 0, clause.start())]
            start = starts[-1] if starts else 0
            commas = [m.end() for m in re.finditer(r"[,;]", sentence[:clause.start()])]
            if SHARED.search(sentence, commas[-1] if commas else 0, clause.start()):
                continue  # "Both our method and the baselines are trained with ...": shared values, ours too
        else:
            start = clause.start()
        if start <= span[0] <= (end.start() if end else len(sentence)):
            return True
    return False


def _kind(name: str, pattern: str, sentence: str, raw: str, section: dict[str, Any],
          span: tuple[int, int] = (0, 0)) -> str:
    """setting, sweep, result, dataset statistic, hardware, inference, cited, baseline, overview, ablation or study
    (only settings are run values and only settings conflict)."""
    if section.get("overview"):
        return "overview"  # the paper's own training told in its introduction or limitations, not the run's recipe
        # (nor its data: "Unlike methods that need the full dataset of 1.28 million training images, we train ...")
    if re.fullmatch(r"[tpz]", re.sub(r"[$\\{}\s]", "", name)) and re.search(
            r"\$?t\$?-test|significan\w*|\$?p\$?-values?|confidence", sentence, re.IGNORECASE):
        return "result"  # "a paired t-test ... ($t=-7.2334$, $p=0.0002$)": a test's statistics
    if re.fullmatch(r"(?:training\s+)?(?:steps|iterations|updates|it)\s+per\s+(?:second|sec|minute|hour)", name, re.IGNORECASE):
        return "result"  # a training speed: "Our CIFAR model trains at 21 steps per second" (a new user's diffusion
        # paper); not a rate the run sets ("resampled to 16000 samples per second", "subsampled at 2 frames per second")
    swept = NOT_SWEPT.sub(" ", sentence)
    if pattern in ("we set", "set to") and not re.search(r",|\b(?:or|and)\b", raw) and not re.match(
            r"\s*(?:,\s*(?:or\s+|and\s+)?|or\s+|and\s+)\$?\d", sentence[span[1]:]):  # the one value a sweep chose is
        # set: "We set the dropout rate on CIFAR10 to 0.1 by sweeping over the values {0.1, 0.2, 0.3, 0.4}" (its
        # candidates are the sweep; "set to 16 or 32 via grid search" is one)
        swept = CHOSEN_BY.sub(" ", swept)
    if pattern in ("varies in", "chosen from", "we vary", "in set") or SWEEP.search(swept) and pattern != "not used":
        return "sweep"  # (what the paper does not use is no sweep: "... is chosen from {...}, and we do not use warm-up")
    if RESULT_NAME.search(name) and ("%" in raw or RESULT_SENTENCE.search(sentence) or DISCUSSION.search(sentence)):
        return "result"
    if pattern in ("count", "split") and STATISTIC_NAME.match(name.strip()) and DATASET_SENTENCE.search(sentence):
        return "dataset statistic"
    if HARDWARE.search(name) or pattern in ("hardware", "compute time"):
        return "hardware"
    if name == "occurrences":
        return "dataset statistic"  # "this word only occurs 161 times"
    if re.match(r"\s*(?:In|As\s+in)\s*(?:\[[\d,\s\u2013-]+\]\s*)?,", sentence) and not FIRST_PERSON.search(sentence):
        return "cited"  # "In [12], the learning rate is set to 0.1, weight decay to 1e-4 and momentum to 0.9" (the
        # reference taken out of the sentence leaves "In, ...")
    if _others_clause(sentence, span[0]) or _contrasted_clause(sentence, span[0]):
        return "cited"  # "Unlike our work, they use ... Adam with $\beta_1=0$" (a new user's language-model paper), up
        # to "while we ..."
    if pattern == "count" and DISCUSSION.search(sentence) and _margin(sentence, span[0]):
        return "result"  # a margin: "beating the state of the art by approximately 1 unit on PTB and 0.1 units on WT2"
    if CITED.search(sentence) and (not FIRST_PERSON.search(sentence) or _in_cited_clause(sentence, span)) \
            or COMMON_PRACTICE.search(sentence) and not FIRST_PERSON.search(sentence) and not re.search(r"\d", sentence):
        return "cited"
    if _in_baseline_clause(sentence, span):
        return "baseline"
    if INFERENCE_NAME.search(name) and (not re.search(r"temperature", name, re.IGNORECASE)
                                        or INFERENCE_SENTENCE.search(sentence)):
        return "inference"
    if len(re.sub(r"[$\\{}\s]", "", name)) <= 2 and INFERENCE_NAME.search(sentence) and INFERENCE_SENTENCE.search(sentence):
        return "inference"  # "top-k sampling with $k=3$"
    if pattern == "technique" and re.fullmatch(r"inference|sampling|sampler", name, re.IGNORECASE):
        return "inference"  # "we apply windowed inference", "top-k sampling": how outputs are produced
    if section.get("ablation"):
        return "ablation"
    if section.get("study"):
        return "study"
    if section.get("search") and not re.search(r"\b(?:fixed|kept|set)\b", sentence, re.IGNORECASE):
        return "sweep"  # (a value it says is fixed, "Core GNN capacity is fixed to 8 message-passing layers", is set)
    if section.get("baseline"):
        return "baseline"
    if section.get("inference") and not TRAINING_SENTENCE.search(sentence) \
            or (re.search(r"batch", name, re.IGNORECASE) and THROUGHPUT.search(sentence)):
        return "inference"
    return "setting"


def table_scope(table: dict[str, Any], column: int) -> str:
    """What a hyperparameter table's value column is for: its header when the table has several value columns
    (one per environment, dataset or model), else what the caption says it is for ("for Shadow Hand")."""
    rows = table["rows"]
    if rows and len(rows[0]) > 2 and table.get("header_rows", 1) >= 1:
        return normalise_space(rows[table.get("header_rows", 1) - 1][column]["text"])
    caption = normalise_space(table.get("caption", ""))
    first = re.split(r"(?<=\.)\s", caption)[0]  # (the caption's first sentence)
    named = OWNED_CAPTION.match(caption) or OWNED_CAPTION.match(first) or USED_FOR_CAPTION.search(caption)
    if named and not GENERIC_OWNER.fullmatch(named.group("scope")):
        return named.group("scope")
    scoped = _scope(table.get("caption", ""), (0, 0))
    title = NAMED_CAPTION.fullmatch(first)
    if not scoped and title and not GENERIC_OWNER.fullmatch(title.group("scope")) \
            and not re.search(r"hyper-?param|setting|config|detail|value|architecture|recipe|comparison|ablation|same|"
                              r"\b(?:we|our|and)\b", title.group("scope"), re.IGNORECASE) \
            and (PHASE_WORD.search(title.group("scope")) or NAMED_WORD.search(title.group("scope").split(None, 1)[-1])):
        return title.group("scope")
    return scoped


PHASE_WORD = re.compile(r"pre-?train\w*|fine-?tun\w*|prob(?:e|ing)|distill\w*|from scratch|supervised|transfer", re.IGNORECASE)
NAMED_WORD = re.compile(r"(?<![\w-])(?=[\w-]*(?:\d|[a-z][A-Z]|[A-Z]{2}))[\w-]+")  # "ViT", "ResNet-50", "COCO"
# a settings table's caption that only names what it is for: "Supervised training ViT from scratch." beside
# "Pre-training setting." (a new user's MAE paper): a title with no verb, its setup's name
NAMED_CAPTION = re.compile(r"(?:Table\s*\d+[:.]?\s*)?(?P<scope>[A-Z][\w/'-]*(?:\s+(?!(?:is|are|was|were|shows?|lists?|"
                           r"reports?|summari[sz]es|gives?|provides?|compares?|uses?|used)\b)[\w/'-]+){1,7})\.?")


# a caption that is "<what> Hyperparameters", the compound form of "Hyperparameters for <what>" (advantage-alignment's
# "IPD Hyperparameters", "Coin Game Hyperparameters": one table per environment)
OWNED_CAPTION = re.compile(r"^(?:Table\s*\d+[:.]?\s*)?(?P<scope>[A-Z][\w'-]*(?:\s+[\w'-]+){0,4}?)\s+"
                           r"(?:training\s+)?(?:hyper-?parameters?(?:\s+settings?)?|settings?|configurations?)\.?$",
                           re.IGNORECASE)
# (... or "<what> setting.", its first sentence: a new user's MAE paper's "Pre-training setting.", "End-to-end
# fine-tuning setting.", "Linear probing setting. We use LARS ...": one table per phase, in one section)
# ... and "Hyperparameters for <what>" with the name the paper gives it (sapg's "Training hyperparameters for AllegroKuka
# tasks", muse's "... hyperparameters for VQGAN."; a new user's RL paper: "PPO hyperparameters used for the Mujoco 1
# million timestep benchmark", "... used in Atari experiments"): the capitalised name, not the words after it
USED_FOR_CAPTION = re.compile(r"hyper-?parameters?\s+(?:settings?\s+)?(?:used|adopted|chosen)\s+(?:for|in|on)\s+"
                              r"(?:the\s+)?(?!(?:Section|Sec|Table|Figure|Fig|Appendix|Eq)\b)"
                              r"(?P<scope>[A-Z][\w/'.-]*(?:\s+(?:and\s+)?[A-Z][\w/'.-]*)*)")
GENERIC_OWNER = re.compile(r"(?:(?:the|our|all|main|default|common|shared|model|training|other|additional|detailed|"
                           r"experimental|experiments?|hyper-?parameters?|optimi[sz]ation|optimi[sz]er|implementation|general|"
                           r"basic|overall|global|base|standard|typical|recommended|values?|of|for|in|"
                           r"important|key|full|final|best|optimal|chosen|selected|used)\s*)+", re.IGNORECASE)
