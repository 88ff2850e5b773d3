"""Stage 3's one reading of a paper: every value it states, wherever it states it, as a statement.

A statement is ``{name, value, raw, unit, scope, kind, section, where, quote, from, pattern}``: the name as
the paper writes it (a noun phrase, a symbol, a table row's label), the value in every written form (3e-4,
3 x 10^-4, $10^{-5}$, 1M, 5%, lists, sets, words), the dataset, model or task it is stated for, its kind
(a setting, a sweep, a result, a dataset statistic, hardware, an inference setting, a value of cited work,
a baseline's, an ablation's, another study's: an efficiency or robustness study; an overview's: the paper's own
training told in its introduction, conclusion or limitations), its section path and its
sentence. Everything later (the run's knobs, conflicts, verification) is a lookup over statements; nothing
reads the prose a second time.

The frames are the ways English states a setting, none of them one paper's phrase (each pattern's name in
brackets; `benchmarks/ledger_recall.py --rules` prints the development papers each one is right in):
  "X is set to / fixed at / chosen as V", "we set X to V", "set X to V"       (set to, we set)
  "X and Y are set to A and B respectively", "A and B batch sizes are ..."  (set to: one statement each)
  "X of V", "X = V", "X: V", "X (V)", "X V", "X, $s$, of V" for a hyperparameter noun X  (knob of)
  "V X": "10 epochs", "4 attention heads", "two hidden layers", "a five-layer MLP", "a 640x640 input size"
                                                                             (count, sized, value first)
  "V% of X", "V for training"                                               (percent of, split)
  "X varies in / ranges over / is chosen from {...}", "we vary X in {...}"    (varies in, chosen from, we vary)
  "$x = V$" in math, in prose and in table cells ("$\\beta_1=0.9, \\beta_2=0.96$")   (math)
  a learning-rate schedule in numbers: "divided by 10 at epochs 30 and 60", "decays to 1e-5", warm-up as a share
  of training, gradients "clipped at V"                                       (decay by, milestones, ...)
  the rows of hyperparameter tables, one statement per value column           (table row)
  the captions of tables and figures, cited as the table or figure
  non-numeric settings: optimizer, schedule, loss, precision, augmentation, the model or backbone and what it is
  used as, the datasets and splits, the framework, the hardware (with its maker: "NVIDIA H100").
  a technique named by its kind: "we use a two-stage linear (learning rate) warm-up", "we apply windowed inference",
  "use full-batch training", "generalized advantage estimation (GAE)" (with its abbreviation)    (technique)
  how the batch or the rate is given without a number: full-batch training, a rate by a formula, the linear scaling
  rule "lr = base_lr x batchsize / 256" (its formula as written)         (full batch, lr formula, lr scaling)

The frames' words and patterns are in ``frames.py``; what a statement is stated for and its kind, in ``scopes.py``;
this module reads sentences and tables with them, names and values what it finds, and drops what is no setting.
"""

from __future__ import annotations

import re
from typing import Any

from reprokit import optimizers
from reprokit.gaps.frames import (
    CITATION,
    COUNT_UNITS,
    DECAY_BY,
    DECAY_VERB,
    DISCUSSION,
    FIXED_NAMES,
    FULL_BATCH,
    HEAD,
    LIST,
    LR_FORMULA,
    LR_SCALING,
    MATH_ASSIGN,
    MODEL,
    MODIFIER,
    NOT_OURS,
    NUM,
    ONE_PER_SENTENCE,
    OPTIMIZERS,
    PATTERNS,
    RAMP,
    SIZES,
    SKIP_SECTION,
    STOP,
)
from reprokit.gaps.scopes import (
    ABLATION_TITLE,
    BASELINE_TITLE,
    CITED,
    CITED_TITLE,
    GENERIC_TITLE,
    INFERENCE_TITLE,
    RESULT_NAME,
    RESULT_SENTENCE,
    SEARCH_TITLE,
    STUDY_TITLE,
    _kind,
    _scope,
    section_scope,
    table_scope,
)
from reprokit.paper.structure import section_label
from reprokit.paper.tables import HPARAM_KNOBS, columns_name_settings
from reprokit.text import WORD_NUMBER, normalise_space, parse_number, sentences


def parse_value(raw: str) -> list[float | str]:
    """Every value in a written value: "0.2, 0.3, and 0.4" -> [0.2, 0.3, 0.4]; "$10^{-5}$" -> [1e-05]."""
    text = raw.replace("\\%", "%").replace("$", " ").replace("−", "-")
    if re.fullmatch(r"\s*n\s*/\s*a\.?\s*", text, re.IGNORECASE):
        return []  # "N/A": no value (not the names "N" and "A")
    call = re.fullmatch(r"\s*([A-Za-z][\w.]*)\s*\(([^()]*\d[^()]*)\)\s*", text)
    if call:  # "LinearAnneal(-0.7, -1.6)" (a new user's RL paper): one setting as written, not its last argument alone
        return [f"{call.group(1)}({', '.join(a.strip() for a in call.group(2).split(','))})"]
    one_over = re.fullmatch(r"\s*1\s*/\s*(\d+(?:\.\d+)?)\s*", text)
    if one_over and float(one_over.group(1)) > 0:  # "1/127.5": one value, a fraction, not the list "0.6/0.2/0.2"
        return [1 / float(one_over.group(1))]
    # a comma splits unless it groups thousands (1,000,000); "{0,0.25,0.5}" is three values
    # (a model's name keeps its patch size: "ViT-B/16", "CLIP ViT-L/14")
    text = re.sub(r"(?<=[A-Za-z]-[A-Za-z])/(?=\d+\b)|(?<=\b[A-Z]-[A-Z])/(?=\d)", "\u2044", text)
    parts = [p.replace("\u2044", "/") for p in re.split(
        r"\s*,\s+(?:and\s+|or\s+)?|\s*,(?=\s*\D)|,(?!\d{3}(?:\D|$))|\s+and\s+|\s+or\s+|\s*/\s*", text.strip())]
    values: list[float | str] = []
    # a remark the split cut into pieces: "100 (B), 50 (L/H)" gives no value "H" (a new user's MAE paper); the pieces of
    # a list in parentheses, "(0.9, 0.999)", are values
    cut = any(p.count("(") != p.count(")") and re.search(r"[A-Za-z]", p) for p in parts)
    for part in parts:
        if cut and part.count("(") != part.count(")"):
            continue
        part = part.strip().strip("{}()")
        if not part:
            continue
        span = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[-–]\s*(\d+(?:\.\d+)?)", part)
        if span:  # a range: "48-60 hours"
            values += [float(span.group(1)), float(span.group(2))]
            continue
        compact = re.sub(r"\s+", "", part)
        compact = re.sub(r"^(\d+(?:\.\d+)?)e\^?\{?(-?\d+)\}?$", r"\1e\2", compact)
        number = parse_number(compact.replace("×", "x").replace("\\times", "x").replace("^{", "^").replace("}", ""),
                              percent="points")
        if number is None and re.fullmatch(r"(?:\d+(?:\.\d+)?|[a-z]+)(?:\s+(?:hundred|thousand|million|billion))+",
                                           part.strip()):
            number = parse_number(part.strip(), percent="points")
        if number is not None:
            values.append(number)
        elif re.fullmatch(MODEL, part) or re.fullmatch(r"[A-Za-z][\w. -]{1,40}(?:/\d+)?", part):
            values.append(part.rstrip("."))  # "... COCO and ADE20K." ends a sentence, not a name
    return values


def _unit(raw: str, after: str) -> str:
    if "%" in raw:
        return "%"
    match = re.match(rf"\s*({COUNT_UNITS}|(?:GPU[- ])?(?:hours?|minutes?|days?))\b", after)
    return match.group(1) if match else ""


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+in Eqn?\.?.*$|\s+\(.*$|~?\\cite\S*", "", name.strip())
    name = re.sub(r"^.*\b(?:the|a|an|our|its|their|this|these)\s+(?=\S)", "", name, flags=re.IGNORECASE)
    name = re.sub(r"^(?:(?:the|a|an|our|its|their|we|and|then|also|both|all|each|whose)\s+)+", "", name, flags=re.IGNORECASE)
    return normalise_space(name)[:80]  # ("whose typical masking ratio is 15%": the masking ratio)


PATTERN = dict(PATTERNS)  # a frame by its name (of the names used once)
# the learning rate's decay, said with its verb: "the learning rate ... decaying", "dividing the learning rate"
# (the learning rate is the verb's subject: no comma between them but before the verb itself, ", decaying by 0.1 at
# ..."; "with a learning rate of 0.1, the error decreases by 0.5" is a result, no decay)
LR_DECAY = (rf"(?:(?:learning[- ]rate|\blr)\b(?:[^.;,]|\.\d|,(?=\s*(?:and\s+|then\s+)?{DECAY_VERB})){{0,60}}?{DECAY_VERB}"
            rf"|{DECAY_VERB}\s+(?:the\s+)?(?:learning[- ]rate|lr))")
# ... and the decay frame's verb with the learning rate as its subject, however far ("The learning rate follows a linear
# warm-up over the first 5% of the training steps and is then divided by 10"), unless a result is the subject between
LR_SUBJECT = (rf"(?:learning[- ]rate|\blr)\b(?:(?!\b(?:error|loss|accuracy|score|performance|reward|return|perplexity)\b)"
              rf"(?:[^.;,]|\.\d|,(?=\s*(?:and\s+|then\s+)?{DECAY_VERB}))){{0,160}}?{DECAY_VERB}$")
# the learning rate as "it", right after it is set: "We start with a learning rate of 0.1, divide it by 10 at 32k and 48k
# iterations" (a new user's ResNet paper); not "a learning rate of 1e-3 and a teacher forcing ratio of 1.0, and
# decrease it by 0.1"
LR_IT = rf"(?:learning[- ]rate|\blr)\b(?:\s+(?:of|to|at|=|is|was)\s+\S+?)?,?\s+(?:(?:and|then)\s+)*{DECAY_VERB}\s+it"
LR_CONTEXT = re.compile(r"learning[- ]rate|\blr\b|\\eta\b", re.IGNORECASE)

# an EMA just named, not negated, in the clause before a decay factor
EMA_BEFORE = re.compile(r"(?<!not use )(?<!\bno )(?<!without )\b(?:EMA|exponential moving average)\b[^.;,]{0,60}$")


def _emit(out: list[dict[str, Any]], *, name: str, raw: str, sentence: str, section: dict[str, Any],
          paper: dict[str, Any], origin: str, pattern: str, after: str = "", span: tuple[int, int] = (0, 0),
          where: str = "", scope: str | None = None, kind: str = "", written: str = "", compared: bool = False) -> None:
    """One statement; ``written`` is the value as the paper writes it where the frame read more into it ("Adam"
    for the AdamW of "Adam with decoupled weight decay"); a ``compared`` value, one a result is reported under, is a
    sweep where it would be a setting."""
    values = parse_value(raw)
    if pattern in ("count", "sized", "split") and not values:
        values = [v for v in [parse_number(raw)] if v is not None]
    if not values or not name or (len(name) < 2 and pattern not in ("math", "symbol assign", "table row")):
        return
    at = sentence.find(name, span[0]) if sentence.find(name, span[0]) >= 0 else sentence.find(name)
    if at > 0 and sentence[at - 1].isalpha() and not re.search(rf"(?<!\w){re.escape(name.split()[0])}(?!\w)", sentence):
        # the pattern started inside a word: take the whole word (a name written whole elsewhere, or made of the
        # sentence's words, "AR values" of "AR and TAR values", stays)
        start = at
        while start > 0 and sentence[start - 1].isalpha():
            start -= 1
        name = sentence[start:at] + name
    if not re.search(r"[^\W\d_]", name):  # "$\\lambda$ in Eqn. (7) is set to": the symbol before is the name
        symbol = re.search(r"(\$[^$]{1,20}\$)[^$]*$", sentence[:max(at, 0)])
        if not symbol:
            return
        name = symbol.group(1)
    if re.fullmatch(r"\$?\\?[ijt]\$?", name.strip()) and values in ([0.0], [1.0]):
        return  # an index ("start time $t=0$", "we choose $i = 1$ to be the leader"), not a setting
    if isinstance(values[0], str) and values[0].lower() in ("the", "we", "this", "our", "each", "a", "an", "it"):
        return
    if all(isinstance(v, float) for v in values) and re.search(r"(Table|Figure|Fig\.|Eq\.|Section|Appendix)\s*~?$",
                                                              sentence[:max(0, span[0])]):
        return
    clean = normalise_space(name)[:80] if pattern == "table row" else _clean_name(name)
    if not clean:
        return
    if re.fullmatch(r"decay (?:factor|rate)", clean, re.IGNORECASE) and EMA_BEFORE.search(sentence[:max(0, span[0])]):
        clean = f"EMA {clean}"  # "perform EMA offline on the checkpointed weights with a decay factor of 0.7" (muse),
        # "We used EMA on model parameters with a decay factor of 0.9999" (a new user's diffusion paper)
    # a number the frame computed from what is written ("by a factor of 5": 0.2) says so; the round trip checks the
    # written one
    computed = bool(written) and all(isinstance(v, float) for v in values) and parse_value(written) != values
    entry = {"name": clean, "value": values[0] if len(values) == 1 else values, "raw": normalise_space(written or raw),
             **({"computed": True} if computed else {}),
             "unit": _unit(raw, after),
             "scope": (_scope(sentence, span) or section_scope(section)) if scope is None else scope,
             "section": section["id"], "where": where or section_label(paper, section["id"]), "quote": sentence,
             "from": origin, "pattern": pattern,
             "kind": kind or _kind(clean, pattern, sentence, raw, section, span)}
    if compared and entry["kind"] == "setting":
        entry["kind"] = "sweep"
    key = _key(entry)
    same = next((i for i, e in enumerate(out) if _key(e) == key), None)
    if same is None:
        out.append(entry)
    elif out[same]["kind"] != "setting" and entry["kind"] == "setting" and out[same]["pattern"] == "math" \
            and out[same]["quote"] != entry["quote"] and DISCUSSION.search(out[same]["quote"]):
        out[same] = entry  # the setting a later sentence states, not the compared value before it ("more stable with
        # $\beta_{2}=0.95$ compared to ... We use ... $\beta_{2}=0.95$")


def _key(entry: dict[str, Any]) -> tuple[str, str, str]:
    """One statement per name, value and place: a section's prose and its figures' captions are one place (a
    series of figures repeats "trained for 20 epochs" under each); a table is its own, and each of its value columns
    or rows is too (the same learning rate for Hopper and for Walker2d is two statements)."""
    place = entry["where"] if entry["where"].startswith("Table") else entry["section"]
    if entry["from"] == "table":
        place += " / " + entry["scope"]
    return _same_name(entry["name"]), repr(entry["value"]), place


def _same_name(name: str) -> str:
    """A name as it is compared for duplicates: "$\\lambda$", "$\\lambda" and "lambda" are one."""
    return re.sub(r"[$\\{}\s]", "", name).lower()


GENERIC_HEADS = ("factor", "rate", "ratio", "coefficient", "weight", "scale", "decay", "strength")


# what a "we set" is set for, after its name: "We set the dropout rate on CIFAR10 to 0.1" (a new user's diffusion
# paper), "we set the learning rate for the encoder to 1e-4"; not another clause ("we use the same batch size for all
# tasks and use a sequence length of 128")
SET_FOR = re.compile(r"(?:the\s+)?(?P<head>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+(?P<prep>on|for)\s+(?:the\s+)?"
                     r"(?!.*\b(?:and|or|use[sd]?|with)\b)(?P<scope>\S+(?:\s+\S+){0,3})")


def _set_for_name(head: str, prep: str, scope: str) -> str:
    """A named dataset or model it is set for is the statement's scope, found in the sentence ("dropout rate" on
    CIFAR10); a part, a phase or a stage stays in the name ("learning rate for the encoder", "batch size for each GPU",
    "number of iterations for the inner loop", "dropout rate on the other datasets"), so no run knob takes a part's
    value for the whole run's (the name had been cut to "encoder")."""
    return head if re.match(r"[A-Z]", scope) else f"{head} {prep} {scope}"


PER_DEVICE = re.compile(r"\s*(?:per|on\s+each|for\s+each)\s+(?:GPU|device|TPU(?:\s+core)?|accelerator|worker|replica)s?\b",
                        re.IGNORECASE)


def _name_of(pattern_name: str, match: re.Match[str], sentence: str) -> str:
    """The name a frame gives its value: the noun phrase the paper writes, or the frame's fixed name."""
    groups = match.groupdict()
    name = groups.get("name") or groups.get("name2") or groups.get("name3") or ""
    after = sentence[match.end():]
    if pattern_name == "set to" and (lead := re.match(r"(?:On|For|In)\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+)+(?=[a-z])", name)):
        name = name[lead.end():]  # "On SVHN initial learning rate is set to 0.01": the lead is the scope's, not the name's
    if pattern_name == "we set" and (scoped := SET_FOR.fullmatch(name)):
        name = _set_for_name(scoped.group("head"), scoped.group("prep"), scoped.group("scope"))
    if pattern_name in ("knob of", "set to", "we set") and PER_DEVICE.match(after) and re.search(r"batch", name, re.IGNORECASE):
        return f"{name} per GPU"  # "a batch size of 512 per GPU on 8 GPUs": a device's share, not the run's batch
    if pattern_name == "starts at":  # "learning rate starts at 1": its initial value
        return name if re.match(r"(?:initial|starting|start)\b", name, re.IGNORECASE) else f"initial {name}"
    if pattern_name == "set to" and " and " in name and re.match(r"\s+(?:is|was)\b", sentence[match.end("name"):]) \
            and re.search(r"\d|\b(?:is|are|was|were|starts?|started|begins?|set|uses?|use)\b", name.rsplit(" and ", 1)[0]):
        # one setting "is set to": the last of what the clause joins ("learning rate starts at 1 and decay rate is
        # set to 0.1", "the learning rate is 0.001 and decay rate is set to 0.9")
        name = name.rsplit(" and ", 1)[1]
    if pattern_name in ("size of", "count") and re.match(r"\s+(?:the|an?|our|its|this|these|their|that|how)\b", after,
                                                         re.IGNORECASE) \
            or pattern_name == "size of" and " " in name.strip() and re.search(r"\b(?:results|leads|amounts)$", name) \
            and re.match(r"\s+(?:in|to)\b", after):
        # a verb (and its object) follow the name: "512x512 resolution leads the model", "the middle left of 6
        # demonstrates its ability" (muse, a figure number without its "Figure"), "a $16\times 16$ patch size results
        # in ..." (eomt): the name ends before the verb
        return name.rsplit(None, 1)[0] if " " in name.strip() else ""
    if pattern_name == "count" and re.search(r"\bpatience\s+(?:of\s+)?$", sentence[:match.start("value")], re.IGNORECASE):
        return f"early stopping patience ({name})"  # "with a patience of 100 epochs" (a new user's GAT paper): no budget
    if pattern_name == "count" and re.fullmatch(r"time-?steps|environment steps|env steps", name, re.IGNORECASE) and (
            re.match(r"\s+of\s+training\b", after, re.IGNORECASE)
            or re.search(r"\btrain\w*\b[^.,;]{0,40}\bfor\s+$", sentence[:match.start("value")], re.IGNORECASE)):
        return f"training {name}"  # "We do one million timesteps of training" (a new user's RL paper), "We train the
        # agent for 10M environment steps": the run's length (not a diffusion's, a window's or an episode's timesteps)
    if pattern_name == "count":
        before = sentence[max(0, match.start("value") - 80):match.start("value")]  # (with a frame's lead word)
        clause = re.split(r"[.;,]", before)[-1]
        if re.search(r"(?<![\w-])(?:mini-?)?batch(?:es)?\s+of\s*$", clause, re.IGNORECASE) and not re.search(
                r"sampl|generat|infer|evaluat|test|decod|valid|replay|memory|buffer|comput|extract|encod|embed|feature",
                clause, re.IGNORECASE) and re.search(r"\btrain|gradient|optimi[sz]|\bupdates?\b|\bSGD\b|\bAdam",
                                                     sentence, re.IGNORECASE):
            per = _per_what(after)
            return f"batch size per {per}" if per else "batch size"
            # "We used batches of 128 sequences for the gradient" (a new user's sequence-to-sequence paper): how large
            # a training batch is ("... of 32 images per GPU": per GPU); "sampling a batch of 256 images", "we replay a
            # mini-batch of 8 examples" (what-will-my-model-forget), "features computed in batches of 500 images", "a
            # meta-batch of 4 tasks" stay a count of what is sampled, replayed or computed
        if re.fullmatch(r"(?:steps|iterations|updates|epochs?)", name.strip(), re.IGNORECASE) and re.match(
                r"\s+(?:of|for)\s+(?:a\s+|the\s+)?(?:linear\s+|gradual\s+|learning[- ]rate\s+)?warm-?up\b", after,
                re.IGNORECASE):
            return f"warm-up {name.strip().lower()}"  # "a cosine schedule with 10 epochs of linear warmup" (a new user's
            # ViT paper): the warm-up's length, not the training's
        if re.search(r"warm(?:ed|ing|s)?[- ]?up(?:(?!\b(?:and|then)\b|(?<![\w-])train).)*$", clause, re.IGNORECASE) \
                and re.search(r"steps|iterations|updates|epochs?", name):
            return f"warm-up {name.split()[-1]}"
        if re.search(r"\b(?:every|per)\s*$", clause, re.IGNORECASE):
            if _after_lr_decay(sentence[:match.start()], "every") and re.fullmatch(
                    r"epochs|steps|iterations|updates", name.strip(), re.IGNORECASE):
                return f"lr decay interval in {name.strip().lower()}"  # "decayed by 0.1 every 30 epochs": a step schedule
            return f"every {name.split()[-1]}"  # an interval ("one checkpoint per 8 training steps"), not a length
        per = _per_what(after)
        each = re.search(r"(?P<owner>(?:[A-Za-z][\w-]*\s+)?[A-Za-z][\w-]*s)\s*,\s*each(?:\s+of\s+which|\s+one)?\s+"
                         r"(?:consist\w*|contain\w*|compris\w*|with|ha[sv]e?)\s+(?:of\s+)?$", before, re.IGNORECASE)
        if each:  # "$50$ hidden layers, each containing $64$ nodes" (tanh-init), "three test sets, each containing
            # 10,000 new images" (test-time-model-adaptation), "40 epochs, each of which consists of 2500 steps": a
            # count per what was counted before it, not a total
            return f"{name} per {per or _singular(each.group('owner').lower())}"
        if per:  # "$64$ nodes per hidden layer" (tanh-init), "1/10 images per class" (lbcs), "128 training examples
            # for each unique label": a count per unit, not a total
            return f"{name} per {per}"
        if re.search(r"\b(?:first|last|final)\s*$", clause, re.IGNORECASE) and re.search(
                r"\b(?:steps|iterations|epochs|updates|episodes|timesteps)$", name, re.IGNORECASE):
            return f"{clause.split()[-1].lower()} {name}"  # "for the first 2000 iterations": a window of training
        if re.fullmatch(r"epochs?|steps?|iterations?", name.strip(), re.IGNORECASE) \
                and _after_lr_decay(sentence[:match.start()], "at|after"):
            return f"lr milestones in {_plural(name.strip().lower())}"  # "decaying by 0.1 at 150, 180 and 210 epochs",
            # "divided by 10 after 150 epochs": the "at epochs 30, 60 and 80" of the milestones frame, its number first
        if re.search(r"\b(?:terminat|stop|end|finish|halt)\w*\s+(?:the\s+)?(?:training\s+)?at\s*$|\bto\s+(?:completion|"
                     r"convergence)\s+at\s*$", clause, re.IGNORECASE):
            return name  # where training ends is its length: "terminate training at 64k iterations", "to train to
            # completion at 800k steps" (new users' ResNet and diffusion papers)
        if re.search(r"\b(?:after|at|until|before)\s*$|\b(?:samples?|checkpoints?|snapshots?|images?)\s+from\s*$",
                     clause, re.IGNORECASE):
            return f"after {name}"  # a point in training ("after 500 iterations"; "We show samples from one epoch of
            # training", a new user's GAN paper), not its length
        if re.fullmatch(r"(?:mini-?)?batches", name.strip(), re.IGNORECASE):
            return "number of batches"  # "an epoch consists of 40 batches": how many, not how large
        if name.lower() == "times" and re.search(r"\b(?:occur|appear|show)(?:s|red|ed)?\s+(?:only\s+)?$", clause,
                                                  re.IGNORECASE):
            return "occurrences"  # "this word only occurs 161 times": how often, no repetition of the run
        return "repetitions" if name.lower() == "times" else name
    if pattern_name == "we vary":  # "the learning rate was fine-tuned from the set {...}": the subject, not its verb
        name = re.split(r"\s+(?:was|were|is|are|has been|have been)\b", name, maxsplit=1)[0]
    if pattern_name == "knob of" and re.fullmatch(r"\s*sizes?\s*", name, re.IGNORECASE):
        return _sized(sentence[:match.start("name")]) or name
    if pattern_name == "size of" and re.search(r"\b(?:models?|samples?|experiments?|ablations?|datasets?|results?|"
                                               r"FIDs?|settings?|benchmarks?|tasks?|runs?|variants?)(?:\s+[a-z]+ed)?$",
                                               name, re.IGNORECASE):
        return "image resolution"  # "ImageNet $64\times 64$ models", "LSUN $256\times 256$ bedroom model": what it is
        # the size of is the images, not the models
    if pattern_name == "sized" and re.match(r"step|iteration|epoch", name, re.IGNORECASE):
        return f"warm-up {name.lower()}s"  # "a $1.5\times 10^{4}$-step warmup"
    if pattern_name == "sized":  # "a two-layer transformer" and "a five-layer MLP" are two networks' layer counts
        network = re.match(rf"(?:\s+[\w-]+){{0,2}}?\s+(?P<net>{NETWORK_NOUN})\b", sentence[match.end():], re.IGNORECASE)
        if network:
            noun = network.group("net")
            noun = "MLP" if re.fullmatch(r"perceptrons?", noun, re.IGNORECASE) else noun if noun.isupper() else noun.lower()
            return f"{noun} {name.lower()}s"
        return f"{name.lower()}s"
    if pattern_name == "split":
        # "severity level 5 for evaluation": the value of the noun before it, not a count of examples
        noun = re.search(r"(?:\b[a-z]+\s+)?\b(?:level|severity|seed|version|stage|step|epoch|layer|order|degree|rank|"
                         r"factor|rate|type|mode)\s*$", sentence[:match.start()], re.IGNORECASE)
        return noun.group(0).strip() if noun else f"examples for {name.lower()}"
    if pattern_name == "percent of" and name.lower().startswith("of "):
        return "share " + re.sub(r"^of\s+(?:the\s+)?", "of ", name)
    if pattern_name == "dimensional":  # "4096 dimensional language embedding vectors": the vectors' dimension
        return _singular(name.strip()) + " dimension"
    if pattern_name == "symbol assign":
        return f"${name}$"
    if pattern_name == "schedule":
        # the learning rate's only where the sentence speaks of it; "the linear schedule" of a diffusion paper is
        # its noise schedule, muse's "Cosine scheduling" its masking rate's
        # (a "cosine annealing" or "linear decay" the skip kept is in a sentence about a schedule or warm-up: the lr's)
        if re.search(r"learning|\blr\b|scheduler|^\S+\s+(?:decay|annealing)$", match.group(0), re.IGNORECASE) \
                or LR_CONTEXT.search(sentence):
            return "lr schedule"
        return f"{groups['what'].lower()} schedule" if groups.get("what") else "schedule"
    if pattern_name == "milestones":
        return f"lr milestones in {name.lower().rstrip('s')}s"
    if pattern_name == "split of":
        return f"{name.lower()} set"
    if pattern_name == "model" and groups.get("name3"):  # "we train a GTrXL transformer": what kind of network
        return groups["name3"]
    if pattern_name == "model":  # "we use ViT-B as the backbone": the role it is used as, else "model"
        role = re.match(r"\s*(?:the\s+|an?\s+)?([\w -]{2,50}?)\s*(?:[,.;(]|$|(?=\s(?:and|with|while|whereas)\s))",
                        sentence[match.end():])  # ("ViT-B as the backbone and Adam as the optimizer": the backbone)
        if re.search(r"\bto (?:evaluate|test|benchmark)\b|\bdatasets?\b|\bbenchmarks?\b", sentence[match.end():],
                     re.IGNORECASE):
            return "dataset"  # "we employ Fashion-MNIST, SVHN and CIFAR-10 to evaluate our method"
        if "for" in (groups.get("name"), groups.get("name2")):  # "we adopt PTQ4ViT for 8-bit model quantization"
            purpose = re.match(r"\s*((?:[\w-]+\s+){0,5}?[a-z]+(?:ation|ing|ment|sion))"
                               r"\s*(?:[,.;(]|$|(?=\s(?:with|using|on|in|via|by)\b))", sentence[match.end():])
            # a process the method serves, not the task the model solves ("for image classification"), a budget
            # ("for 100 epochs of training") or a scope ("for all experiments")
            if purpose and not re.match(r"(?:all|each|every|our|the|this|these)\b", purpose.group(1), re.IGNORECASE) \
                    and not re.search(r"\b\d[\d,.]*\s|\bof\b", purpose.group(1)) and not re.search(
                        r"(?:classification|detection|segmentation|generation|recognition|training|evaluation|"
                        r"fine-?tuning|pre-?training|initiali[sz]ation|acceleration|prediction|inference)$",
                        purpose.group(1), re.IGNORECASE):
                return purpose.group(1)
        return f"{role.group(1)}" if "as" in (groups.get("name"), groups.get("name2")) and role else "model"
    if pattern_name == "knob of" and name.lower() in GENERIC_HEADS:
        # "label smoothing with a factor of 0.1", "EMA with a decay of 0.9999": the technique the factor is of
        lead = re.search(rf"\b((?:{MODIFIER}){{0,2}}(?!{STOP}\b)[A-Za-z][\w-]*)\s+(?:with|using)\s+(?:an?\s+|the\s+)?$",
                         sentence[:match.start()], re.IGNORECASE)
        # the head of "A over B" or "A of B" is A: "an exponential moving average (EMA) over model parameters with a
        # rate of 0.9999" is the EMA's rate, by its abbreviation when it has one
        head = lead and re.search(rf"(?<![\w-])((?:{MODIFIER}){{0,3}}(?!{STOP}\b)[A-Za-z][\w-]*)\s*"
                                  rf"(?:\((?P<abbr>[A-Z][A-Za-z]{{1,8}})\)\s*)?\s(?:over|of)\s+(?:the\s+|its\s+|all\s+)?$",
                                  sentence[:lead.start(1)])
        if head:
            return f"{head.group('abbr') or head.group(1).strip()} {name}"
        if lead:
            return f"{lead.group(1).strip()} {name}"
    if pattern_name == "knob of" and sentence[:match.start()].rstrip().endswith("("):
        # "layer-wise learning rate decay (LLRD) (factor 0.8)": the noun phrase before the parentheses
        before = re.sub(r"\s*\([^()]*\)\s*", " ", sentence[:match.start()].rstrip()[:-1])
        phrase = re.search(rf"(?<![\w-])((?:{MODIFIER}){{0,5}}[\w-]+)\s*$", before + " ")
        if phrase and not re.search(HEAD + r"\s*$", name.split()[0] if " " in name else "", re.IGNORECASE):
            return f"{phrase.group(1).strip()} {name}" if name.lower() in ("factor", "rate", "ratio", "coefficient",
                                                                             "weight", "scale") else name
    if pattern_name == "hardware" and re.match(r"TPU", match.group("value"), re.IGNORECASE):
        return "TPU"  # "on TPUv4 accelerators" (muse): no GPU
    return FIXED_NAMES.get(pattern_name, name)


# the noun a symbol is written after: "downsampling ratio $f=16$", "a diffusion coefficient of $\nu=0.01$"
SYMBOL_NOUN = re.compile(r"(?<![\w-])(?P<noun>(?:\$[^$]{1,12}\$\s+)?"  # ("$L_{2}$ regularization with $\lambda=0.0005$")
                         r"(?:(?!(?:the|an?|with|of|and|or|our|we|using|use[sd]?|to|for|in|on|at|by|"
                         r"employ\w*|appl(?:y|ied|ies)|adopt\w*)\b)"
                         r"[a-z][\w-]*\s+){0,2}(?:rank|ratio|rate|coefficient|factor|probability|"
                         r"dropout|temperature|weight|scale|dimension|width|depth|length|followers|leaders|steps|"
                         r"threshold|margin|budget|horizon|iterations|layers|heads|tokens|samples|penalty|smoothing|"
                         r"decay|momentum|regulari[sz]ation))\s+(?:(?:of|with|to)\s+(?:value\s+)?)?$",
                         re.IGNORECASE)


def _sized(before: str) -> str:
    """What a bare "size" sizes, from the words before "of size": "a quantized codebook of size 8192" (muse),
    "streamed in batches of size 125" (lbcs), "Mini-batches are of size $S=100$": codebook size, batch size,
    Mini-batch size; "" when no noun comes before."""
    owner = re.search(r"\b([A-Za-z][\w-]+)\s+(?:(?:is|are|was|were)\s+)?of\s+$", before)
    if not owner or re.fullmatch(STOP, owner.group(1), re.IGNORECASE):
        return ""
    return _singular(owner.group(1)) + " size"


def _per_what(after: str) -> str:
    """What a count is per, written right after it: "per hidden layer", "for each unique label" -> "label"."""
    per = re.match(r"\s+(?:per|for each|for every|from each|in each)\s+(?:unique\s+|single\s+)?"
                   r"(?!(?:value|setting|case|configuration|combination)s?\b)"  # "10 seeds for each value of beta"
                   r"((?:[a-z][\w-]*\s+(?!(?:from|in|of|and|or|the|with|for|to|on|at|within|across|is|are|was|were)\b))?"
                   r"[a-z][\w-]*)", after, re.IGNORECASE)
    return per.group(1).lower() if per else ""


def _after_lr_decay(before: str, when: str) -> bool:
    """Does the text end with the learning rate's decay, by how much (or not), and the word that says when ("decaying by
    0.1 at", "divided by 10 every", "decayed every", "reduced by a factor of 5 after"); ``when`` "" for the decay
    alone ("divided by 10" before "at epoch 150")?"""
    link = rf"\s+(?:{when})" if when else ""
    return bool(re.search(rf"(?:(?:{LR_DECAY}|{LR_IT})(?:\s+by\s+(?:a\s+factor\s+of\s+)?(?:{NUM}|half)\s*(?:x|×|\\?%)?)?"
                          # ... or the decay as a noun with its factor: "a learning rate decay of 0.5 every 50 epochs"
                          rf"|(?:learning[- ]rate|\blr)\s+decay\s+(?:factor\s+|rate\s+)?of\s+{NUM}){link}\s*$",
                          before, re.IGNORECASE))


def _plural(unit: str) -> str:
    """"epoch" -> "epochs" (a unit as the milestones are named: "lr milestones in epochs")."""
    return unit if unit.endswith("s") else unit + "s"


def _singular(noun: str) -> str:
    """"batches" -> "batch", "vectors" -> "vector"; "loss" and "bus" stay."""
    return re.sub(r"((?:[sc]h|ss|x|z))es$|(?<![su])s$", r"\1", noun)


def _value_group(match: re.Match[str]) -> str | None:
    """The group that holds a frame's value in this match (a frame writes its value in up to four places)."""
    groups = match.groupdict()
    return next((g for g in ("value", "value2", "value3", "value4") if groups.get(g)), None)


def _as_written(pattern_name: str, match: re.Match[str]) -> str:
    """The value as the paper writes it, where the frame reads more into it: "Adam" for the AdamW of "Adam with
    decoupled weight decay"; "5", "half" or "90%" for the decay factor (0.2, 0.5, 0.1) of "reduced by a factor of 5"."""
    group = _value_group(match)
    if not group or pattern_name not in ("optimizer", "decay by"):
        return ""
    if pattern_name == "optimizer" and optimizers.spelled(match.group(group)):
        return _named_optimizer(match.group(group), match.string)
    percent = re.match(r"\s*\\?%", match.string[match.end(group):]) if pattern_name == "decay by" else None
    return match.group(group) + ("%" if percent else "")


SUBSCRIPT = re.compile(r"\$\{?\}?_\{?(?:\\text(?:rm)?\{)?(?P<sub>[\w.-]{1,12})\}*\$")
NAME_REMARKS = r"(?:\s*\([^()]{0,80}\))*"  # "(abbreviated as F-MNIST)", "(Xiao et al., 2017)"
NEXT_NAME = re.compile(rf"{NAME_REMARKS}(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?(?P<item>{MODEL})(?![\w-])")


def _named_list(sentence: str, end: int, first: str) -> list[str]:
    """The names a using-verb lists, each with its subscript: "We employ Fashion-MNIST (abbreviated as F-MNIST),
    SVHN, and CIFAR-10 to evaluate our method" (lbcs), "We experiment with BART0${}_{\textrm{Large}}$ (...),
    FLAN-T5${}_{\textrm{Large}}$, FLAN-T5${}_{\textrm{3B}}$ models" (what-will-my-model-forget); one name stays one."""
    names, name = [], first
    while True:
        sub = SUBSCRIPT.match(sentence, end)
        names.append(f"{name}_{sub.group('sub')}" if sub else name)
        more = NEXT_NAME.match(sentence, sub.end() if sub else end)
        if not more or optimizers.spelled(more.group("item")) or re.fullmatch(OPTIMIZERS, more.group("item")) \
                or re.fullmatch(r"The|This|These|Those|Our|We|It|Its|In|For|On|With|All|Each|NVIDIA|Nvidia|Google",
                                more.group("item")) \
                or re.match(r"\s+(?:(?:is|are|was|were|has|have)\b|[A-Z0-9])", sentence[more.end():]):
            return list(dict.fromkeys(names))  # (not the next clause's subject, "and LLaMA-7B is used as the teacher",
            # nor a name of several words, "NVIDIA V100 GPUs")
        name, end = more.group("item"), more.end()


def _named_optimizer(spelled: str, sentence: str) -> str:
    """An optimizer written out in words, or the one the sentence names beside it: "with stochastic gradient descent
    using Adam" is Adam (a review's counter-example); "stochastic gradient descent (SGD)" stays as written."""
    named = [m.group(0) for m in re.finditer(rf"(?<![\w-]){OPTIMIZERS}(?![\w-])", sentence)
             if optimizers.canonical(m.group(0)) != "sgd"]
    return named[0] if named else spelled


def _value_of(pattern_name: str, match: re.Match[str]) -> str:
    groups = match.groupdict()
    written = _value_group(match)
    value = match.group(written) if written else ""
    if pattern_name == "varies in":
        return re.sub(r"\s+to\s+", ", ", value)
    if pattern_name == "milestones":  # "100 and epoch 150", "30 and again at epoch 60": the numbers
        return re.sub(r"\b(?:again|at|epochs?|steps?|iterations?)\s+", "", value)
    if pattern_name == "count" and re.search(r"\s(?:and|or)\s", value) and (re.search(
            rf"\b{HEAD}\s*(?:\([^)]*\)\s*)?(?:of|=|:|is|was|are|were)\s*$", match.string[:match.start()], re.IGNORECASE)
            or any(v != int(v) for v in parse_value(value) if isinstance(v, float))):
        return re.split(r"\s(?:and|or)\s", value)[-1]  # "a batch size of 64 and 100 epochs": 64 is the batch size's
    if re.fullmatch(SIZES, value.strip()):
        return re.sub(r"\s*(?:\\times|×|x)\s*", ", ", value.strip().strip("$"))
    if pattern_name == "decay by":  # the factor the rate is multiplied by: "divided by 10", "decayed by 0.1",
        # "reduced by 90%", "reduced by a factor of 5" (a factor over 1 divides, except "multiplied by")
        number, verb = (0.5 if value.lower() == "half" else parse_number(value)), (groups.get("name") or "").lower()
        if number is None or number <= 0:
            return value
        if "%" in value or re.match(r"\s*\\?%", match.string[match.end():]):
            share = number if "%" in value else number / 100  # (the number grammar reads "90%" as 0.9)
            return f"{share:.12g}" if verb.startswith("multipl") else f"{1 - share:.12g}"
        return f"{1 / number:.12g}" if number > 1 and not verb.startswith("multipl") else f"{number:.12g}"
    if pattern_name == "optimizer":
        if optimizers.spelled(value):
            value = _named_optimizer(value, match.string)
        return optimizers.as_stated(value, match.string)
    if pattern_name == "no augmentation":
        return "none"
    if pattern_name == "model" and written == "value":
        return ", ".join(_named_list(match.string, match.end(written), value))
    if pattern_name == "not used":  # (a learning rate without decay is a constant one)
        return "constant" if re.search(r"learning", groups.get("name") or groups.get("name2") or "", re.IGNORECASE) else "0"
    if pattern_name == "model selection":  # the checkpoint kept, by its criterion
        return f"checkpoint with the {value}"
    if pattern_name == "shuffle":
        return "shuffled"
    if pattern_name == "technique":  # "generalized advantage estimation (GAE)": the name and its abbreviation
        short = re.match(r"\s*\(([A-Z][A-Za-z0-9-]{1,7})\)", match.string[match.end():])
        return f"{value.strip()}, {short.group(1)}" if short else value
    return value


def _names(name: str) -> list[str]:
    """The names of a "respectively" statement: "X, Y and Z" are three; in "training and sampling batch sizes"
    the head noun is shared: "training batch sizes", "sampling batch sizes"."""
    name = re.sub(r"^(?:the|a|an|our)\s+", "", name.strip(), flags=re.IGNORECASE)
    # "Adam with beta1 and beta2 set" (to 0.9 and 0.95): the names are beta1 and beta2
    name = re.sub(r"\s+(?:(?:is|are|was|were)\s+)?(?:all\s+)?(?:set|fixed|chosen|kept)$", "", name, flags=re.IGNORECASE)
    if re.search(r"\sand\s", name):
        name = re.sub(r"^[^,;]*?\bwith\s+(?:the\s+|its\s+)?", "", name, flags=re.IGNORECASE)
    names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", name)
    head = names[-1].split()
    if len(names) > 1 and len(head) > 1 and all(len(n.split()) == 1 and "$" not in n for n in names[:-1]) \
            and "$" not in head[0]:
        names = [f"{n} {' '.join(head[1:])}" for n in names[:-1]] + [names[-1]]
    return names


# things a paper counts: a count of them is a setting only where the paper uses, samples or splits that many
# what a "two-layer" or "4-head" sizes: a network or its part
NETWORK_NOUN = (r"MLPs?|FFNNs?|CNNs?|RNNs?|LSTMs?|GRUs?|ViTs?|perceptrons?|transformers?|encoders?|decoders?|networks?|"
                r"convnets?|resnets?|classifiers?|projectors?|predictors?|critics?|actors?|towers?|u-?nets?|attention")
ENTITY = re.compile(r"\b(?:agents|tasks|environments|examples|samples|images|prompts|pairs|points|tokens|queries|"
                    r"trajectories|episodes|frames|transitions|demonstrations|raters|annotators|channels)$", re.IGNORECASE)
SETUP_CLAUSE = re.compile(r"\b(?:we|use[sd]?|using|sampl\w*|select\w*|generat\w*|draws?|drawn|drew|collect\w*|run|ran|"
                          r"train\w*|evaluat\w*|split\w*|contain\w*|consist\w*|compris\w*|total|includ\w*|"
                          r"on|over|across|of|from|with)\b", re.IGNORECASE)


# what introduces a case a sentence discusses rather than the value it uses
CONDITION = re.compile(r"\b(?:when|whenever|if|cases?\s+where|with\s+(?:an?\s+|the\s+)?(?:\w+\s+)?values?\s+of"
                       r"(?:\s+the\s+\w+)?)\s*\(?\s*$", re.IGNORECASE)


def _around(sentence: str, match: re.Match[str]) -> str:
    """The clause a value is stated in: from the last comma, semicolon or colon before it (at most 100
    characters back) to 40 characters after it ("..., resulting in the loss (2), where a, b are set to 5, 2")."""
    start = max(match.start() - 100, 0)
    cut = max(sentence.rfind(mark, start, match.start()) for mark in (", ", ";", ": "))
    return sentence[max(start, cut):match.end() + 40]


def _clause(sentence: str, at: int) -> str:
    """The words before a position back to the last punctuation, at most 60 characters."""
    return re.split(r"[.;,:()]", sentence[max(0, at - 60):at])[-1]


LOSS_USED_BEFORE = re.compile(r"\b(?:use[sd]?|using|adopt\w*|employ\w*|optimi[sz]\w*|minimi[sz]\w*|"
                              r"train\w*(?:\s+[\w-]+){0,3}?\s+(?:with|using|on)|appl(?:y|ies|ied)|choose|chose|select\w*|"
                              r"fine-?tun\w*|supervis\w*|learn\w*|rel(?:y|ies|ied)\s+on|"
                              r"(?:objective|loss|criterion)(?:\s+function)?\s+(?:is|was))\b[^.;:]{0,40}$", re.IGNORECASE)
# the paper's own objective computed with it: "The energy function is computed by a pixel-wise soft-max over the final
# feature map combined with the cross entropy loss function" (a new user's segmentation paper)
LOSS_COMPUTED = re.compile(r"\b(?:our|the)\s+(?:energy|objective|loss|cost|training)\s+(?:function\s+)?(?:is|was)\s+"
                           r"(?:computed|calculated|defined|given)\b[^.;:]{0,100}\bcombined\s+with\s+(?:the\s+|a\s+)?$",
                           re.IGNORECASE)
LOSS_USED_AFTER = re.compile(r"^[^.;:]{0,30}?\b(?:is|are|was|were)\s+(?:then\s+)?(?:used|applied|adopted|employed|minimi[sz]ed|"
                             r"optimi[sz]ed|computed|calculated)\b", re.IGNORECASE)


NEGATED = re.compile(r"\b(?:(?:do|does|did)\s+not|don't|didn't|never|without|disabl\w*|no\s+longer)\b", re.IGNORECASE)
# a transform named as left out, right before it: "..., leaving out Gaussian blur" (a new user's SimCLR paper)
LEFT_OUT = re.compile(r"\b(?:leav(?:e|es|ing)\s+out|omit(?:s|ted|ting)?|exclud(?:e|es|ed|ing))\s+(?:the\s+|any\s+)?$",
                      re.IGNORECASE)


def _one_clause(text: str, first: re.Match[str], second: re.Match[str]) -> bool:
    """Are two matches in one clause for one scope: no "whereas", "while", "but", baseline, ";" or "for <Name>" between?"""
    return not re.search(r"[;]|\b(?:whereas|while|but|baselines?)\b|\b(?:for|on)\s+(?-i:[A-Z])|,\s*(?:and\s+)?(?:for|on)\b",
                         text[first.end():second.start()], re.IGNORECASE)


def _loss_used(sentence: str, match: re.Match[str]) -> bool:
    """Does the sentence use the loss it names ("we use the cross-entropy (CE) loss", "We optimize binary
    cross-entropy loss", "a cross-entropy loss is applied"), rather than name it in a notation ("to denote the
    cross-entropy loss"), a derivation ("When l is set to cross-entropy loss") or a claim about it?"""
    if match.group("value2"):
        return True  # the frame's own verb: "optimize binary cross-entropy", "trained with square loss"
    before = sentence[:match.start()]
    if re.search(r"\b(?:denot\w*|stands? for|refers? to|represents?)\s+(?:the\s+|an?\s+)?$", before, re.IGNORECASE):
        return False  # a notation: "$\ell$ to denote the cross-entropy loss"
    return bool(LOSS_USED_BEFORE.search(before) or LOSS_COMPUTED.search(before)
                or LOSS_USED_AFTER.search(sentence[match.end():]))


PHASE = re.compile(r"\s+(?:for|during|at)\s+(?:the\s+)?(?P<phase>evaluation|testing|inference|validation|sampling)\b",
                   re.IGNORECASE)


def _phase(name: str, after: str, pattern_name: str) -> str:
    """A value followed by the phase it is for names it with the phase: "a mini-batch size of 10 for training and 6
    for evaluation" is the training mini-batch size 10 and the evaluation mini-batch size 6 (as tabdiff's "the
    training and sampling batch sizes"), not one setting's two values."""
    phase = PHASE.match(after) if pattern_name in ("knob of", "set to", "we set") else None
    if phase is None or re.search(rf"{phase.group('phase')}|\b(?:set|split|data(?:set)?)\b", name, re.IGNORECASE) \
            or re.fullmatch(r"\s*sizes?\s*", name, re.IGNORECASE):
        return name
    return f"{phase.group('phase').lower()} {name}"


def _skip(pattern_name: str, name: str, sentence: str, match: re.Match[str]) -> bool:
    """Frames that do not state a setting in this sentence: results discussions, a result named as a setting,
    a schedule's numbers in a sentence about something else."""
    if pattern_name == "follows" and match.group("value2") and re.search(
            r"\b(?:(?:which|that|who)|(?-i:[A-Z][\w-]*)|baselines?(?:\s+\w+)?)\s+(?:is|are|was|were)\s+$|"
            r"\b(?:unlike|in\s+contrast\s+to)\b", sentence[:match.start()], re.IGNORECASE):
        return True  # another work's or a baseline's data: "MoCo is trained on the same data as SimCLR", "The baseline
        # model is pre-trained on the same corpus as GPT-2", "Unlike prior work, which is trained on ..."
    if pattern_name == "follows" and re.search(r"\b(?:rather\s+than|instead\s+of|unlike|in\s+contrast\s+to|not)\s+$",
                                               sentence[max(0, match.start() - 20):match.start()] + " ", re.IGNORECASE):
        return True  # "Instead of following the protocol of LOQA", "Rather than following ...": not the paper's
    if pattern_name == "augmentation unnamed" and re.match(r"same\b", match.group("value") or "", re.IGNORECASE) \
            and re.match(r"\s+as\s+(?:(?:used|proposed|described|adopted)\s+)?(?:by|in)?\s*(?:the\s+)?[A-Z]",
                         sentence[match.end():]):
        return True  # "the same data augmentation techniques as used by Mask2Former": what it follows (the "follows"
        # frame), not an unnamed augmentation ("standard data augmentation as in He et al." stays one)
    if pattern_name == "no augmentation" and re.search(r"\b(?:if|when|even|minimal\s+or|little\s+or)\s+(?:\w+\s+){0,2}$",
                                                      sentence[max(0, match.start() - 40):match.start()], re.IGNORECASE):
        return True  # a case a finding is about: "behaves decently even if using no data augmentation", "works with
        # minimal or no augmentation" (a new user's MAE paper), not the run's setting
    if pattern_name == "augmentation unnamed" and re.search(r"\b(?:not|never|no)\s+(?:\w+\s+){0,2}$",
                                                            sentence[max(0, match.start() - 40):match.start()], re.IGNORECASE):
        return True  # "we did not apply data augmentation" (a new user's SimCLR paper's transfer appendix)
    if pattern_name == "augmentation" and (
            LEFT_OUT.search(sentence[:match.start()])
            or NEGATED.search(re.split(r"[;:]|\b(?:but|while|whereas)\b", sentence[:match.start()])[-1])
            or re.search(r"\b(?:(?:do|does|did)\s+not|don't|didn't|never)\s+(?:use|apply)\s+(?:it|them)\b",
                         sentence[match.end():], re.IGNORECASE)):
        return True  # what the paper does without: "We do not use color jittering, drop path, or gradient clip",
        # "Adding color jittering degrades the results and so we do not use it" (a new user's MAE paper)
    if pattern_name in ("augmentation", "augmentation unnamed") and not re.match(r"\s*(?:we|our)\b", sentence, re.IGNORECASE) \
            and re.search(r"\b(?:which|that)\s+(?:uses?|applies|employs|relies\s+on)\b(?![^,;]*\b(?:we|our)\b)",
                          re.split(r"[,;(]", sentence[:match.start()])[-1], re.IGNORECASE):
        return True  # another pipeline's: "(InfiMNIST), a hand developed data augmentation pipeline which uses
        # translations and elastic deformations" (a new user's GAN paper)
    if pattern_name == "model" and re.fullmatch(rf"(?:{OPTIMIZERS})", match.groupdict().get("value") or ""):
        return True  # "we use Adam with ...": the optimizer frame's
    if pattern_name in ("knob of", "we set", "set to") and re.search(r"warm-?up$", name.strip(), re.IGNORECASE) \
            and re.match(r"\s*\$?\s*epochs?\b", match.string[match.end():], re.IGNORECASE):
        return True  # "a linear warm-up of 5 epochs": the count frame's "warm-up epochs", no warm-up of 5 steps
    if pattern_name == "knob of" and re.fullmatch(r"factor", name.strip(), re.IGNORECASE) \
            and re.search(rf"{DECAY_VERB}{DECAY_BY}\s+an?\s*$", sentence[:match.start()], re.IGNORECASE):
        return True  # "reduced by a factor of 5": the decay frame's
    if pattern_name == "augmentation unnamed" and any(PATTERN[kind].search(sentence)
                                                     for kind in ("augmentation", "no augmentation")):
        return True  # "standard data augmentation (random crops and flips)": the transforms' frame names them
    if pattern_name == "model" and match.group("value2") and re.search(r"\bof\s+(?:the|this|that|an?|each)?\s*$",
                                                                    sentence[:match.start("value2")], re.IGNORECASE):
        return True  # "the output of this MLP is used as the mean": the MLP's output is, not the MLP
    if pattern_name in ("knob of", "we set") and re.fullmatch(r"(?:(?:max(?:imum)?|global)\s+)?(?:norm|value|threshold)",
                                                              name.strip(), re.IGNORECASE) \
            and re.search(r"clip\w*(?:\s+[\w-]+){0,4}\s*$", sentence[:match.start()], re.IGNORECASE):
        return True  # "gradient clipping at norm 1.0": the clipping threshold, read by its own frame
    if pattern_name == "we set" and re.match(r"set\b", match.group(0), re.IGNORECASE) and re.search(
            r"\b(?:training|train|test|testing|validation|dev|development|evaluation|data|held-out|the|an?|each|this|that|"
            r"our|whole|full|entire)\s+$", sentence[:match.start()], re.IGNORECASE):
        return True  # "for the DISTANT-CTO training set it drops to 21.38%": the noun "set", no setting
    if pattern_name == "split" and not re.search(r"\b(?:set|split|data(?:set)?)\s+sizes?\b", sentence[:match.start()],
                                                 re.IGNORECASE) \
            and re.search(rf"\b(?:sizes?|rates?|epochs|steps|iterations|length|width|depth)\b"
                                             rf"(?:\s+[a-z]+){{0,2}}?\s*(?:of|is|are|was|were|to|at|=|:)\s*"
                                             rf"(?:{NUM}\s+for\s+[a-z]+\s*,?\s*(?:and\s+)?)?$",
                                             sentence[:match.start()], re.IGNORECASE):
        return True  # "a mini-batch size of 10 for training and 6 for evaluation": the setting's values, no split
    if pattern_name == "size of" and re.search(rf"\b(?:{COUNT_UNITS}|hours?|minutes?|days?|GPUs?)$", name, re.IGNORECASE) \
            and not re.search(r"\b(?:images?|tokens|pixels?|patches|frames)$", name, re.IGNORECASE):
        return True  # "4 x 100 steps", "2 x 24 hours", "2 x 8 GPUs": a product of counts, not a shape
    if pattern_name == "library":
        value, after = match.group("value") or match.group("value2") or "", sentence[match.end():]
        if re.match(r"(?:Equations?|Eqs?|Sections?|Secs?|Appendix|Tables?|Figures?|Figs?|Algorithms?|Alg|Theorem|"
                    r"Lemma|Definition)\b", value) or re.match(r"\s*(?:et al\b|[a-z]|\d|\()(?!\s*(?:et al|\d{4}))",
                                                                after) and not re.match(r"\s*\(", after):
            return True  # "based on Equation 3", "based on CLIP features", "based on Smith et al.": no library
    if pattern_name == "dataset" and (re.search(r"\b(?:unlike|baselines?|prior|previous|existing|compared)\b", sentence,
                                                re.IGNORECASE) or CITED.search(sentence) or re.fullmatch(
            r"(?:Full|Whole|Entire|Original|Same|Complete|Training|Test|Validation|Synthetic|Real|Public|Private|"
            r"Large|Small|New|Final|Clean)", match.group("value"))):
        return True  # another work's dataset ("unlike models trained on the LAION dataset"), or no name ("the Full")
    if pattern_name == "precision" and re.search(r"\b(?:not|no|without|never)\b[^.,;]{0,25}$", sentence[:match.start()],
                                                 re.IGNORECASE):
        return True  # "we do not use mixed precision"
    if pattern_name == "precision" and re.search(r"\b(?:stor(?:e|ed|ing|age)|saved?|saving|checkpoints?)\b[^.,;]{0,20}$",
                                                 sentence[:match.start()], re.IGNORECASE) \
            and not re.search(r"\b(?:during|for|in)\s+(?:the\s+)?training\b", sentence, re.IGNORECASE):
        return True  # "roughly 35MB if stored in FP16" (a new user's LoRA paper): a checkpoint's size, not training's
    if pattern_name == "knob of" and re.search(r"\bnumber of\b", name) and (
            re.search(r"\b(?:max(?:imum)?|min(?:imum)?|per|each|inner|outer)\b", name, re.IGNORECASE)
            or re.search(r"\(\s*$", sentence[match.start("name"):match.start("value")])):
        return True  # an episode's "maximum number of steps", "the number of epochs (100) needed": no run length
    if pattern_name in ("count", "knob of", "value first", "set to", "we set", "model", "arch is", "split", "datasets",
                        "percent of") \
            and DISCUSSION.search(_around(sentence, match)):
        return True
    if pattern_name == "datasets" and not re.search(r"\bdatasets?\b|\bbenchmarks?\b|\bexperiments?\s+on\b", sentence,
                                                    re.IGNORECASE):
        return True  # "Evaluation of MLE: AUC and RMSE": names after a colon are datasets only where the text says so
    if pattern_name in ("set to", "we set", "varies in", "chosen from") and re.search(
            r"\b(results?|accuracy|performance|shown|reported|improves?|outperforms?)\b", name, re.IGNORECASE):
        return True
    if pattern_name == "milestones" and len(parse_value(match.group("value"))) == 1 \
            and not _after_lr_decay(sentence[:match.start()], ""):
        return True  # "we report the accuracy at epoch 60": one epoch is a milestone only right after the decay
    if pattern_name in ("decay by", "decay to", "milestones") and not re.search(
            rf"learning[- ]rate|\blr\b|{DECAY_VERB}", sentence, re.IGNORECASE):
        return True
    if pattern_name in ("decay by", "decay to") and not LR_CONTEXT.search(sentence):
        return True
    if pattern_name == "decay by" and re.match(r"\S*\s+it\b", sentence[match.start("name"):]) \
            and not re.search(rf"{LR_IT}$", sentence[:match.end("name") + 3], re.IGNORECASE):
        return True  # "... a teacher forcing ratio of 1.0, and decrease it by 0.1": "it" is not the learning rate
    if pattern_name == "decay by" and not re.search(LR_SUBJECT, sentence[:match.end("name")], re.IGNORECASE) \
            and not re.match(r"\s+(?:the\s+)?(?:learning[- ]rates?|lr)\b", sentence[match.end("name"):], re.IGNORECASE):
        return True  # "With a learning rate of 0.1, the error decreases by 0.5 points": the error's, a result
    if pattern_name == "schedule" and (match.group("name") or "").lower() in ("decay", "annealing") and not re.search(
            r"learning[- ]rate|\blr\b|schedul|warm-?up", sentence, re.IGNORECASE):
        # "linear decay of $\lambda_{num}$ from 1.0 to 0.0": a loss weight's schedule (tabdiff), not the lr's
        return True
    if pattern_name == "framework" and not re.search(r"implement|built|written|using|based on|code", sentence,
                                                     re.IGNORECASE):
        return True
    if pattern_name == "nesterov" and not re.search(r"momentum|SGD|optimi", sentence, re.IGNORECASE):
        return True
    if pattern_name == "activation" and re.search(r"\b(?:than|to|unlike|instead of|over)\s+$",
                                                  sentence[max(0, match.start() - 20):match.start()]) \
            or pattern_name == "technique" and re.search(r"\b(?:not|never|without)\s+$|n't\s+$",
                                                         sentence[max(0, match.start() - 20):match.start()]) \
            or pattern_name == "technique" and re.search(r"\b(?:than|compared (?:to|with)|unlike|instead of)\s+"
                                                         r"(?:(?:those|the ones|ones|networks|models)\s+)?$",
                                                         sentence[max(0, match.start() - 40):match.start()]):
        return True  # "less widely employed compared to ReLU networks" (tanh-init), "compared to those using Xavier
        # initialization" (tanh-init): the one it is compared with
    written = _value_group(match)
    value_at = match.start(written) if written else -1
    if value_at > 0 and re.search(r"\bthan\s+(?:the\s+|a\s+|an\s+)?$", sentence[max(0, value_at - 30):value_at]):
        return True  # "higher than the $288\times 288$ resolution used for the contrastive pretraining": the one it is
        # compared with (as "compared to ReLU networks" above)
    if re.search(r"\b(?:colou?r ?bar|[xy]-?axis|axes|legend|colormap|colou?r map|plots?|curves?|panels?)$", name,
                 re.IGNORECASE):
        return True  # what a figure draws ("the color bar ranges from 0 to 0.05"), not a setting
    if pattern_name == "count" and re.search(r"\bwhere\s+\$[^$]{1,20}\$(?:\s*(?:,|and)\s*\$[^$]{1,20}\$)*\s+(?:is|are)\s+$",
                                             sentence[max(0, match.start() - 80):match.start()]):
        return True  # "where $s$ and $t$ are two arbitrary timesteps": what a symbol stands for
    if pattern_name == "count" and (
            re.match(r"\s*(?:fewer|more|less|larger|smaller|faster|slower|higher|lower)\b", sentence[match.end():])
            or re.search(r"\b(?:fewer|more|less|larger|smaller)\b", name, re.IGNORECASE)):
        return True  # "20 times fewer steps" (after the count or inside its name): a comparison, not a count
    if pattern_name == "count" and (re.search(r"\b\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+)?$",
                                             sentence[:match.start("value")])
                                   or re.fullmatch(WORD_NUMBER, match.group("value"), re.IGNORECASE) and re.search(
                r"\bthe\s+(?:first|last|top|bottom|remaining|other)\s+$", sentence[:match.start("value")], re.IGNORECASE)):
        return True  # "24 of 34 layers are layer norm modules": a part of a whole; "the first two parameters": which
    if pattern_name == "count" and re.search(r"\b(?:measures?|measured\s+(?:over|for|on)|time\s+(?:of|for|per))\s+$",
                                             sentence[:match.start("value")], re.IGNORECASE):
        return True  # a unit a measure is taken over: "Time column measures one training epoch" (a new user's ResNet
        # paper's caption), no training length
    if pattern_name == "count" and re.fullmatch(WORD_NUMBER, match.group("value"), re.IGNORECASE) \
            and not re.search(r"hundred|thousand|million|billion", match.group("value"), re.IGNORECASE) \
            and re.search(r"\b(?:steps?|iterations?)$", name, re.IGNORECASE) and not re.search(
                r"gradient|train|optimi|update|descent|SGD|Adam|inner|outer|sampl|denois|diffusion|warm", name, re.IGNORECASE):
        return True  # "we fix the bugs ... with two simple steps: (1) ..." (rice), "After one iteration of the
        # algorithm the agent changes ..." (advantage-alignment): a procedure's steps spelled out, not a run's length
    if pattern_name == "value first" and match.group(0).startswith(","):
        # a list's next item shares the article only where the item before it states a value too
        before = re.split(r"[,(;:]", sentence[:match.start()])[-1]
        if not re.search(r"\d", before) or re.search(r"\b(?:Table|Figure|Fig|Section|Sec|Eq|Appendix)\b", before):
            return True
    if re.search(r"\b(?:deviation|std)$", name, re.IGNORECASE) and not re.search(
            r"initiali[sz]|\bnormal\b|gaussian|noise|\bweights?\b", re.split(r"[,;]", sentence[:match.start()])[-1],
            re.IGNORECASE):
        return True  # a spread of results ("accuracy with a standard deviation of 0.4 over 5 runs"), not the standard
        # deviation a weight initialisation or noise is drawn with ("from a zero-centered Normal distribution with a
        # standard deviation of 0.02", a new user's GAN paper)
    if pattern_name == "we set" and re.match(r"(?:the\s+)?(?:best|worst|top)\b", name, re.IGNORECASE):
        return True  # "we select the best of 10 seeds"
    if pattern_name == "we set" and re.match(r"(?:to|as|at|of)\s", name, re.IGNORECASE):
        return True  # "K is set to 28 and lambda is set to 0.4": the passive "set to", read by its own frame
    if pattern_name == "count" and ENTITY.search(name) and not SETUP_CLAUSE.search(_clause(sentence, match.start())) \
            and not re.match(r"\s*(?:per|in total|each|every)\b", sentence[match.end():]) \
            and not (re.search(r"channels$", name, re.IGNORECASE) and re.search(
                rf"\b(?:{NETWORK_NOUN}|layers?|blocks?|stages?)\s+(?:\S+\s+){{0,3}}?(?:has|have|had)\s+$",
                _clause(sentence, match.start()), re.IGNORECASE)):
        return True  # "two agents playing", "the four hard tasks": a description, not a setting (a network's
        # channels are its size: "The CNN has 25 channels", the second example's own wording)
    if pattern_name == "count" and ENTITY.search(name) and re.fullmatch(WORD_NUMBER, match.group("value"),
                                                                         re.IGNORECASE):
        return True  # "eight representative environments", "the above three tasks", "two examples": a count
        # spelled in words describes the study; the number of samples or tasks a run uses is given in digits
    return pattern_name == "shuffle" and not re.search(r"batch|epoch|training (?:set|data)|data ?loader|order", sentence,
                                                       re.IGNORECASE)


def _outside_asides(text: str, at: int) -> str:
    """The sentence without the parenthetical remarks that do not hold position ``at``: "using Adam with
    $\beta_{1}=0.9$ ... (Appendix D.1 shows that ... Adam works slightly better than SGD)" (a new user's ViT paper)
    compares optimizers in its aside, not the betas it sets."""
    return re.sub(r"\([^()]*\)", lambda m: m.group(0) if m.start() <= at < m.end() else " " * len(m.group(0)), text)


def _sentence_statements(sentence: str, section: dict[str, Any], paper: dict[str, Any], origin: str,
                         out: list[dict[str, Any]], where: str = "") -> None:
    if len(re.findall(r"(?<![$=<>!])\b\w+=(?!=)", re.sub(r"\$[^$]*\$", "", sentence))) >= 3 or "!" in re.sub(
            r"\$[^$]*\$", "", sentence).rstrip("!"):
        return  # figure source or code (key=value lists, TikZ colours), not a sentence of prose
    cited = bool(CITED.search(sentence))
    text = CITATION.sub("", sentence) if not cited else sentence
    text = re.sub(r",\s*(?:i\.e\.|\\ie|that is),?\s*(\$[^$]{1,30}\$),", r" \1", text)  # "the ratio, i.e., $k/n$, to"
    text = plain_numbers(text)
    distributed: list[tuple[int, int]] = []  # values already given one per name ("X, Y and Z are set to ...")
    first = len(out)
    ramped = _ramps(text, section, paper, origin, out, where)
    _run_rules(text, section, paper, origin, out, where)
    for pattern_name, pattern in PATTERNS:
        matches = list(pattern.finditer(text))
        if pattern_name == "loss":  # a loss the paper uses, not one a derivation, a notation or a claim names
            matches = [m for m in matches if _loss_used(text, m)]
            general = [m for m in matches if not re.search(r"\bexcept\b", text[:m.start()], re.IGNORECASE)]
            matches = general or matches  # "All experiments use square loss except ImageNet which used cross-entropy"
        if pattern_name == "augmentation":  # (the transforms the paper uses, not those it does without)
            matches = [m for m in matches if not _skip(pattern_name, "augmentation", text, m)]
        every = matches
        if pattern_name in ONE_PER_SENTENCE and matches:  # one per sentence, the most specific
            matches = [max(matches, key=lambda m: (bool(re.search(r"\d", m.group(0))), len(m.group(0))))]
        for match in matches:
            name = _name_of(pattern_name, match, text)
            value = _value_of(pattern_name, match)
            if _skip(pattern_name, name, text, match):
                continue
            if pattern_name == "augmentation" and not DISCUSSION.search(text):  # the clause's other transforms too: "we
                # do horizontal flips and take random crops from image padded by 4 pixels" (a new user's ResNet paper),
                # not another clause's, scope's or baseline's ("..., whereas we use cutmix", "... for CIFAR-10, and mixup
                # for ImageNet")
                value = ", ".join(dict.fromkeys(
                    [_value_of(pattern_name, m) for m in every if m.start() < match.start() and _one_clause(text, m, match)]
                    + [value] + [_value_of(pattern_name, m) for m in every
                                 if m.start() > match.start() and _one_clause(text, match, m)]))
            at = match.start("value") if "value" in match.re.groupindex else -1  # ("not used" states no number)
            if any(a <= at < b for a, b in ramped):
                continue  # a ramp's own numbers ("over the first 5000 steps" is its length, read with it)
            if pattern_name == "we set" and name.lower() in ("it", "them", "this", "that"):
                noun = re.search(r"(?:is|are)\s+(?:an?|the)\s+([\w -]{3,50}?)\s+(?:and|,)\s*$", text[:match.start()])
                name = noun.group(1) if noun else name
            names = _names(name)
            values = re.split(r"\s*,\s+(?:and\s+)?|\s+and\s+|,(?!\d{3}\b)", value.strip())
            # "X and Y are set to A and B (respectively)": one statement each
            if pattern_name in ("set to", "we set") and any(a < match.end("value") and match.start("value") < b
                                                            for a, b in distributed):
                continue
            if pattern_name in ("set to", "we set") and len(names) > 1 and len(names) == len(values):
                distributed.append(match.span("value"))
                for one_name, one_value in zip(names, values):
                    _emit(out, name=one_name, raw=one_value, sentence=text, section=section, paper=paper,
                          origin=origin, pattern=pattern_name, span=match.span(), where=where)
                continue
            first_name = _phase(name, text[match.end():], pattern_name)
            prep = re.match(r"\s+(?P<prep>for|on)\b", text[match.end():]) \
                if pattern_name in ("knob of", "set to", "we set") and first_name == name else None
            own_part = prep and EXTRA_PART.match(text, match.end() + prep.end())
            if own_part and re.match(rf"(?:,\s*(?:and\s+)?|\s+and\s+){NUM}", text[own_part.end():]):
                # "a learning rate of 1e-4 for the generator and 4e-4 for the discriminator" (a review's counter-example):
                # the first value is its part's too, as the next one is (below), not the whole run's
                first_name = _set_for_name(first_name, prep.group("prep"), own_part.group("part"))
            _emit(out, name=first_name, raw=value, sentence=text, section=section,
                  paper=paper, origin=origin, pattern=pattern_name, span=match.span(), where=where,
                  after=match.group("name") if pattern_name == "compute time" else text[match.end():match.end() + 30],
                  written=_as_written(pattern_name, match))
            if pattern_name in ("knob of", "set to", "we set"):  # "... 1e-5 for A and 1e-4 for B", "... on A, and 0.2 on B"
                # (up to the next setting the sentence sets: "K is set to 28 and lambda is set to 0.4 on A, and 0.2
                # on B" gives K no 0.2)
                rest = re.split(r"\b(?:is|are|was|were)\s+(?:set|fixed|chosen|kept|selected|initiali[sz]ed)\b|\bset\b",
                                text[match.end():], maxsplit=1)[0]
                for extra in re.finditer(rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<v>{NUM})"
                                         rf"(?:\s*\$[^$]{{0,30}}\$|(?<=\$)[^$]{{0,30}}\$)?\s+(?P<prep>for|on)\b",
                                         rest):
                    at = (match.end() + extra.end(), match.end() + extra.end())
                    extra_name, extra_scope = _phase(name, text[match.end() + extra.end("v"):], pattern_name), None
                    if re.match(r"\s*(?:all\s+)?(?:the\s+)?(?:other|remaining|rest)\b", rest[extra.end():], re.IGNORECASE):
                        extra_scope = ""  # "0.01 for Pubmed, and 0.005 for all other datasets" (a new user's GAT paper):
                        # the value of every case the sentence does not name, the paper's own
                    part = EXTRA_PART.match(rest, extra.end())
                    if part and extra_name == name:  # "128 for CIFAR10 and 64 for larger images" (a new user's
                        # diffusion paper): a value for what no scope names is for a part, as in "we set"
                        # (_set_for_name); the sentence's lead scope, not the first value's, is its scope
                        extra_name = _set_for_name(extra_name, extra.group("prep"), part.group("part"))
                        extra_scope = _scope(text[:match.start()], (0, 0)) or section_scope(section)
                    _emit(out, name=extra_name, raw=extra.group("v"), sentence=text, section=section, paper=paper,
                          origin=origin, pattern=pattern_name, span=at, where=where, scope=extra_scope)
            if pattern_name in ("we set", "set to"):  # (and "The initial learning rate is set to 0.1, weight decay to
                # 0.0005, dampening to 0, momentum to 0.9 and minibatch size to 128", a new user's ResNet paper)
                _next_set_items(name, match.end(), text, section, paper, origin, out, where)
            if pattern_name == "model" and (match.groupdict().get("name") or "") == "for":
                _next_model_items(name, match.end(), text, section, paper, origin, out, where)
    for match in MATH_ASSIGN.finditer(text):
        name = match.group("name").strip().replace("\\_", "_")  # "$warmup\_steps=4000$": LaTeX's escaped underscore
        if re.search(r"_\{?[ijnt]\}?$", name) and match.group("value") in ("0", "1"):
            continue
        # a value a result is reported under ("performs better with $\omega=0.6$ compared to $\omega=0.0$", "our
        # performance is competitive when $k=1000$"): a compared value, listed as a sweep, never a run's setting
        compared = bool(DISCUSSION.search(_outside_asides(text, match.start())))
        if compared and (re.search(rf"{RESULT_SENTENCE.pattern}\s+(?:an?\s+)?$", text[max(0, match.start() - 30):match.start()],
                                   re.IGNORECASE) or re.match(r"\s*,?\s*(?:vs\.|versus)", text[match.end():])):
            continue  # "achieves $R_{J}=1.000$", "($U_{T}=0.800$, vs. 0.732 for filter)": the result itself
        if name.count("{") > name.count("}"):  # "= " inside a subscript: $\{m^t\}_{t=0}^{T}$ is an index range
            continue
        if re.fullmatch(r"[xyz]", name) or "^" in name or re.fullmatch(r"[\d\s.,{}]+(?:\\times|\\cdot|[x*×])[\d\s.,{}]+", name):
            # a point ($x=0$, $x^{*}=0$) or a product ($50\times 50=2500$), not a setting
            continue
        if CONDITION.search(text[max(0, match.start() - 60):match.start()]) and not compared:
            continue  # "When $p=0$, ...", "with a low value of the weight ($\\beta=0.5$)": a case discussed
        if re.match(r"\s*(?:\)?\s*in\s+(?:the\s+)?fig|(?:equals?|means|is equivalent|corresponds)\b)",
                    text[match.end():], re.IGNORECASE):
            continue  # "$M = 3$ in figure": a drawing's; "$\\beta=1.0$ equals to without using EMA": a definition
        size = re.search(r"\bsizes?\s*$", text[:match.start()], re.IGNORECASE)
        noun = SYMBOL_NOUN.search(text[:match.start()])
        if size and (owner := _sized(text[:size.start()])):  # "Mini-batches are of size $S=100$": a size's symbol
            name = owner
        named = ""
        if not size and noun:  # "downsampling ratio $f=16$" (muse), "diffusion coefficient of $\nu=0.01$" (tanh-init),
            # "followers $M = 3$" (sapg), "LoRA with rank $r=16$": the symbol's noun named with it
            named = f"{noun.group('noun').lower()} ${name}$"
        if re.fullmatch(r"[\\A-Za-z_{}^0-9 -]{1,25}", name) and not re.search(r"\\(sum|frac|int|mathcal)", name):
            _emit(out, name=named or name, raw=match.group("value").split("\\times")[0], sentence=text, section=section,
                  paper=paper, origin=origin, pattern="math", span=match.span(), where=where, compared=compared)
    for match in re.finditer(r"\$([^$]{3,160})\$", text):  # several in one formula: "$\\beta_{1}{=}0.9,\\beta_{2}{=}0.96$"
        parts = _math_assignments(match.group(1))
        if len(parts) < 2 or DISCUSSION.search(text) or CONDITION.search(text[max(0, match.start() - 60):match.start()]):
            continue
        for name, value in parts:
            _emit(out, name=name, raw=value, sentence=text, section=section, paper=paper, origin=origin,
                  pattern="math", span=match.span(), where=where)
    _suggested_and_replaced(text, section, paper, origin, out, where, first)


# a value others suggest that the paper found wanting and replaced (a new user's GAN paper: "We found the suggested
# learning rate of 0.001, to be too high, using 0.0002 instead"; "leaving the momentum term $\beta_1$ at the suggested
# value of 0.9 resulted in training oscillation and instability while reducing it to 0.5 helped stabilize training")
SUGGESTED = re.compile(rf"(?:(?P<name>\$[^$]{{1,25}}\$)\s+at\s+)?(?:the|its)\s+(?P<how>suggested|recommended|default|"
                       rf"original|standard)\s+(?P<what>value|(?:[\w-]+\s+){{0,2}}?[\w-]+)\s+(?:of\s+)?(?P<value>{NUM})",
                       re.IGNORECASE)
REJECTED = re.compile(r"\btoo\s+(?:high|low|large|small)\b|\binstabilit\w*|\bunstable\b|\boscillat\w*|\bdiverg\w*",
                      re.IGNORECASE)
REPLACED = re.compile(rf"\b(?:using|use[sd]?|(?:reduc|lower|increas|rais|chang|sett?)\w*\s+it\s+to)\s+(?P<value>{NUM})"
                      rf"(?:\s+instead\b)?", re.IGNORECASE)


def _suggested_and_replaced(text: str, section: dict[str, Any], paper: dict[str, Any], origin: str,
                            out: list[dict[str, Any]], where: str, first: int) -> None:
    """A suggested (recommended, default) value the sentence rejects is the suggestion's, not the run's; the value it
    replaces it with is the setting, under the suggestion's name."""
    suggested = SUGGESTED.search(text)
    replaced = REPLACED.search(text, suggested.end()) if suggested else None
    # (rejected in words, or replaced "instead": not "the default weight decay of 0.01 instead of tuning it")
    if not replaced or not (REJECTED.search(text) or replaced.group(0).lower().endswith("instead")):
        return
    name = suggested.group("name") or (None if suggested.group("what").lower() == "value" else suggested.group("what"))
    if name is None:
        return
    value = parse_number(suggested.group("value"))
    read = [e for e in out[first:] if e["value"] == value]  # the suggestion as a frame read it ("suggested learning
    for entry in read:  # rate = 0.001")
        entry["kind"] = "cited"
    if not read:
        _emit(out, name=name, raw=suggested.group("value"), sentence=text, section=section, paper=paper, origin=origin,
              pattern="suggested", span=suggested.span(), where=where, kind="cited")
    _emit(out, name=name, raw=replaced.group("value"), sentence=text, section=section, paper=paper, origin=origin,
          pattern="suggested", span=replaced.span(), where=where)


# the next item of one "set ... to": ", the backbone's to $10^{-5}$", "and weight decay to $10^{-4}$", "and the warmup to
# 40 epochs" (its unit kept); not a list of values ("... to 0.9 and 5e-4, respectively")
SET_ITEM = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:the\s+|its\s+)?(?P<name>(?:\$[^$]{{1,25}}\$|[A-Za-z])[^,.;]{{0,60}}?)"
                      rf"\s+to\s+(?P<value>{LIST})(?P<unit>\s+(?:epochs?|steps|iterations|updates))?(?!\w|\.\d)")
# a clause of its own, not the set's next item: "and is decayed to 0", "and we increase it to 10", "and anneal the
# learning rate to 0"
OWN_CLAUSE = re.compile(r"\b(?:is|are|was|were|we|it|they|from)\b|^(?:anneal|decay|increase|decrease|reduce|raise|lower|"
                        r"scale|drop|warm|ramp|change|multiply|divide|clip|cut|bring|set|fix|initiali[sz]e)(?:s|es|d|ed|"
                        r"ped|ping|ing)?\b|"
                        # (a result or a comparison, not a next setting: "the model converges to 0.95", "similar to 0.2 in
                        # BERT", "up to 1e-3 for larger models", "the baseline's learning rate to 0.01", "in [5] to 0.01")
                        r"\b(?:converg\w*|ris(?:e|es|ing)|rose|goes|go|went|climb\w*|fall\w*|fell|similar|close|equivalent|"
                        r"compared|comparable|identical|up|truncat\w*|baselines?(?:['\u2019]s)?|in)\b|"
                        r"\b(?:increas|decreas|reduc|rais|anneal|lower)(?:e|es|ed|ing)\b|\bdecay(?:s|ed|ing)\b",
                        re.IGNORECASE)


# the lower-case part a list's next value is for ("and 64 for larger images"), up to the next clause
EXTRA_PART = re.compile(r"\s+(?:the\s+)?(?!(?:all|both|every|any|each|other|others|remaining|rest|simplicity|stability|"
                        r"convenience|fairness|comparison|efficiency|training|train|evaluation|eval|testing|test|inference|validation|"
                        r"fine-?tuning|pre-?training)\b)"
                        r"(?P<part>(?-i:[a-z][a-z-]*)(?:\s+(?!(?:and|or|with|respectively|while|but)\b)"
                        r"(?-i:[a-z][a-z-]*)){0,3})(?![\w-])(?=\s*(?:[,.;)]|\band\b|\bor\b|$))")


def _next_set_items(first: str, end: int, text: str, section: dict[str, Any], paper: dict[str, Any], origin: str,
                    out: list[dict[str, Any]], where: str) -> None:
    """The settings one "set" goes on to ("setting the initial transformer's learning rate to $10^{-4}$, the
    backbone's to $10^{-5}$, and weight decay to $10^{-4}$", a new user's DETR paper): each item "X to V" right after
    the one before; an item named by a possessive alone ("the backbone's") has the first one's setting."""
    while (item := SET_ITEM.match(text, end)) is not None:
        name = item.group("name").strip()
        if OWN_CLAUSE.search(name):
            return
        scope = None
        if part := re.fullmatch(r"(?P<prep>for|on)\s+(?:the\s+)?(?P<scope>[\w-]+(?:\s+[\w-]+){0,3})", name):
            # "... for the encoder to 1e-4 and for the decoder to 1e-3": the first item's setting, for the decoder
            # (whatever the first's name: "the Adam learning rate", "$\lambda$"); "and for CIFAR to 0.05", CIFAR's
            name = _set_for_name(re.split(r" (?:for|on) ", first)[0], part.group("prep"), part.group("scope"))
            scope = part.group("scope") if re.match(r"[A-Z]", part.group("scope")) else None
        elif re.fullmatch(r"[\w-]+['\u2019]s", name):  # "the backbone's": the first item's setting, for the backbone
            head = re.split(r"['\u2019]s\s+", first)
            name = f"{name} {head[-1] if len(head) > 1 else first.split()[-1]}"
        unit = (item.group("unit") or "").strip().lower()
        if unit and not re.search(rf"\b{unit[:4]}", name, re.IGNORECASE):
            name = f"{name} {unit}"  # "the warmup to 40 epochs": the warm-up's epochs
        names = _names(name)
        values = re.split(r"\s*,\s+(?:and\s+)?|\s+and\s+|\s+or\s+|,(?!\d{3}\b)", item.group("value").strip())
        if len(names) != len(values):
            return  # ("the momentum and weight decay to 0.9 and 5e-4, respectively": one each; else not read)
        for one_name, one_value in zip(names, values):
            _emit(out, name=one_name, raw=one_value, sentence=text, section=section, paper=paper, origin=origin,
                  pattern="we set", span=item.span(), where=where, scope=scope)
        end = item.end()


FOR_SCOPE = re.compile(rf"\s+(?:the\s+)?{MODEL}")
NEXT_MODEL_FOR = re.compile(rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:an?\s+|the\s+)?(?P<item>{MODEL})"
                            rf"(?:\s+(?:network|model|architecture|backbone)s?)?(?:\s*\([^()]{{0,80}}\))?\s+for\s+(?:the\s+)?"
                            rf"(?P<scope>{MODEL})")


def _next_model_items(name: str, end: int, text: str, section: dict[str, Any], paper: dict[str, Any], origin: str,
                      out: list[dict[str, Any]], where: str) -> None:
    """The models a using-verb gives one per dataset, as a value "for A" and the next ones "for B" (the numbers' form,
    "1e-5 for A and 1e-4 for B"): "we utilize a LeNet for F-MNIST, a CNN for SVHN, and a ResNet-18 network for
    CIFAR-10 respectively" (lbcs) is three models, each with its dataset."""
    first = FOR_SCOPE.match(text, end)
    at = first.end() if first else -1
    while first is not None and (more := NEXT_MODEL_FOR.match(text, at)):
        if not re.fullmatch(OPTIMIZERS, more.group("item")):
            _emit(out, name=name, raw=more.group("item"), sentence=text, section=section, paper=paper, origin=origin,
                  pattern="model", span=more.span(), where=where, scope=more.group("scope"))
        at = more.end()


def _ramps(text: str, section: dict[str, Any], paper: dict[str, Any], origin: str, out: list[dict[str, Any]],
           where: str) -> list[tuple[int, int]]:
    """A quantity moved from one value to another ("the learning rate is increased linearly from 0 to 1e-4 over the
    first 5000 steps"): raised, it is its end (its start the "initial" one) and the span it rises over is a learning
    rate's warm-up; lowered, it is its start (its end the "final" one). The spans read, so no other frame reads them."""
    spans: list[tuple[int, int]] = []
    if not re.search(r"\bfrom\s+\$?\s*[-\d]", text):
        return spans  # (no "from <number>": the frame's scan is the costly part)
    for match in RAMP.finditer(text):
        name = re.sub(r"^(?:the|this|our)\s+", "", (match.group("name2") or match.group("name") or "").strip(),
                      flags=re.IGNORECASE)
        if not name or DISCUSSION.search(_around(text, match)) or RESULT_NAME.search(name):
            continue  # "removing them reduces the PQ only slightly, from 57.1 to 56.0": a result
        raised = match.group("verb").lower() in ("increas", "rais", "ramp", "warm")
        kept, other = ("value", "start") if raised else ("start", "value")
        lr = re.search(r"learning[- ]rate|\blr\b", name, re.IGNORECASE)
        # (a learning rate raised from 0 starts its warm-up there: no second learning rate)
        start = f"warm-up initial {name}" if raised and lr else f"{'initial' if raised else 'final'} {name}"
        for one_name, group in ((name, kept), (start, other)):
            raw = match.group(group).strip()
            raw = raw.strip("$ ") if raw.count("$") % 2 else raw  # "$7.5 \mathrm{cm}$": the number without its unit
            raw = "0" if raw.lower() == "zero" else raw
            _emit(out, name=one_name, raw=raw, sentence=text, section=section, paper=paper, origin=origin,
                  pattern="from to", span=match.span(), where=where, after=text[match.end(group):match.end(group) + 30])
        if not raised and lr and re.search(r"\blinearly\b", match.group(0), re.IGNORECASE):
            _emit(out, name="lr schedule", raw="linear", sentence=text, section=section, paper=paper, origin=origin,
                  pattern="from to", span=match.span(), where=where)  # "decayed linearly from 1e-3 to zero"
        if raised and match.group("span") and lr:
            _emit(out, name=f"warm-up {match.group('unit').lower()}", raw=match.group("span"), sentence=text,
                  section=section, paper=paper, origin=origin, pattern="from to", span=match.span(), where=where)
        spans.append(match.span())
    return spans


def _run_rules(text: str, section: dict[str, Any], paper: dict[str, Any], origin: str, out: list[dict[str, Any]],
               where: str) -> None:
    """How the run's batch or learning rate is given where no number is (frames.FULL_BATCH, LR_FORMULA, LR_SCALING):
    full-batch training, a rate given by a formula, the linear scaling rule (its formula as written, which the
    ledger computes the run's rate from). A scaling rule the paper does not follow ("instead of", "we do not") is
    none."""
    common = {"sentence": text, "section": section, "paper": paper, "origin": origin, "where": where}
    if (said := FULL_BATCH.search(text)) and not NOT_OURS.search(text):  # ("Unlike GCN, which uses full-batch ...")
        _emit(out, name="batch mode", raw="full-batch", written=said.group(0), pattern="full batch", span=said.span(),
              **common)
    if said := LR_FORMULA.search(text):
        _emit(out, name="learning rate formula", raw="given by a formula", written=said.group(0), pattern="lr formula",
              span=said.span(), **common)
    # (LaTeX's words unwrapped: "$\text{lr} = \text{base\_lr} \times \text{batch\_size}/256$")
    rule = LR_SCALING.search(re.sub(r"\\(?:text|mathrm|textrm|mathit)\s*\{([^{}]*)\}", r"\1", text).replace("$", ""))
    if rule and not NOT_OURS.search(text):
        _emit(out, name="learning rate scaling rule", raw="linear scaling", written=rule.group(0), pattern="lr scaling",
              **common)


def plain_numbers(text: str) -> str:
    """Numbers as the extractor reads them: 1\\mathrm{e}{-3} (and, as PDF converters write it, 5 \\mathrm { { e } - 3 })
    is 1e-3; "256 $\\times$ 256" is 256 × 256; "fifteen percent" is 15%."""
    text = re.sub(r"(?<=\d)\s*\\mathrm\s*\{\s*\{?\s*e\s*\}\s*\{?\s*([-\u2212]?)\s*(\d+)\s*\}?\s*\}?", r"e\1\2", text)
    # a share written out: "Fifteen percent of the dataset", "10 percent" is 15%, 10%
    text = re.sub(rf"(?<![\w.])(\d+(?:\.\d+)?|{WORD_NUMBER})\s+percent\b",
                  lambda m: f"{parse_number(m.group(1)):g}%", text, flags=re.IGNORECASE)
    return re.sub(r"(?<=\d)\s*\$\s*\\times\s*\$\s*(?=\d)", " × ", text)


def _math_assignments(formula: str) -> list[tuple[str, str]]:
    """The (symbol, number) pairs of a formula that is only assignments separated by commas ("v_{a}=5,v_{b}=1");
    none when any part is something else (an index range, an equation)."""
    formula = formula.replace("{=}", "=")
    paired = re.fullmatch(r"\s*\((?P<names>[^()=]{1,80})\)\s*=\s*\((?P<values>[^()=]{1,80})\)\s*", formula)
    if paired:  # "(\beta_{1},\beta_{2})=(0.9,0.999)": the names and the values in order (the math form of "X and Y are
        # A and B respectively")
        names, values = (re.split(r",(?![^{]*\})", paired.group(g)) for g in ("names", "values"))
        if len(names) == len(values) > 1:
            formula = ",".join(f"{n.strip()}={v.strip()}" for n, v in zip(names, values))
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(formula + ","):
        depth += (ch == "{") - (ch == "}")
        if ch == "," and depth == 0:
            parts.append(formula[start:i])
            start = i + 1
    out = []
    for part in parts:
        one = re.fullmatch(r"\s*(?:\\(?:quad|;|,)\s*|~\s*)*(?P<name>[\\A-Za-z_{}0-9 ]{1,25}?)\s*=\s*"
                           r"(?P<value>[-−]?\d+(?:\.\d+)?(?:[eE][-−]?\d+|\s*\\times\s*10\^\{?[-−]?\d+\}?)?"
                           r"|10\^\{?[-−]?\d+\}?)\s*(?:\\(?:quad|;|,)\s*|~\s*)*", part)
        if not one or re.search(r"\\(?:sum|frac|int|mathcal)", one.group("name")) \
                or re.fullmatch(r"[xyz]|.*_\{?[ijnt]\}?", one.group("name").strip()):
            return []
        out.append((one.group("name").strip(), one.group("value")))
    return out


def section_chain(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A section and its parents, nearest first (at most 10)."""
    chain = [section]
    while chain[-1].get("parent") in by_id and len(chain) < 10:
        chain.append(by_id[chain[-1]["parent"]])
    return chain


def own_sections(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A section and its parents up to the numbered section it is, or lies in (a paragraph heading and its "5.2"),
    nearest first: its own headings, not a chapter's above them."""
    chain = section_chain(section, by_id)
    at = next((i for i, s in enumerate(chain) if s.get("number")), len(chain) - 1)
    return chain[:at + 1]


def numbered_section(section: dict[str, Any] | None, by_id: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The numbered section a section is, or lies in (a paragraph heading's "5.2"); None for none."""
    return next((s for s in section_chain(section, by_id) if s.get("number")), None) if section else None


# the experiments chapter a paper may title "Evaluation" (rice, a new user's detection paper)
EVALUATION_CHAPTER = re.compile(r"evaluation\.?", re.IGNORECASE)


def _inference_only(chain: list[dict[str, Any]]) -> bool:
    """Is a section about evaluation, testing or inference alone (not "Training and evaluation")? A title in its
    chain says so ("5 Inference > 5.1 Setup", "C Evaluation Details > C.1 Zero-shot"), except a bare "Evaluation"
    above a numbered subsection: that is the experiments chapter ("4 Evaluation > 4.2 Implementation details" holds
    the training recipe)."""
    if any(re.search(r"train", s.get("title") or "", re.IGNORECASE) for s in chain):
        return False
    numbered_below = False
    for section in chain:  # nearest first
        title = normalise_space(section.get("title") or "")
        if INFERENCE_TITLE.search(title) and not (numbered_below and EVALUATION_CHAPTER.fullmatch(title)):
            return True
        if SETUP_HEADING.match(title):
            return False  # a heading for the setup below an evaluation section: "2.3 Evaluation Protocol > Default
            # setting." (a new user's SimCLR paper) holds the training recipe
        numbered_below = numbered_below or bool(section.get("number"))
    return False


SETUP_HEADING = re.compile(r"(?:default|training|implementation|optimi[sz]ation|experimental)\s+(?:settings?|set-?ups?|"
                           r"details|hyper-?parameters?)\.?$|(?:hyper-?parameters?|optimi[sz]ation)\.?$", re.IGNORECASE)


def _reading_context(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A section as its sentences are read: whether it (or a parent) reports ablations, a study, a search, a
    baseline or inference alone."""
    chain = section_chain(section, by_id)
    titles = " ".join(s.get("title") or "" for s in chain)
    baselines = any(BASELINE_TITLE.search(s.get("title") or "") for s in chain)
    context = {**section, "ablation": bool(ABLATION_TITLE.search(titles)), "study": bool(STUDY_TITLE.search(titles)),
               "search": bool(SEARCH_TITLE.search(titles)),
               # a section about another work's method: "Baselines", or a heading that cites it ("TENT (Wang et
               # al., 2021)"); its values are that method's, never the run's
               "baseline": baselines or any(CITED_TITLE.search(s.get("title") or "") for s in chain),
               "inference": _inference_only(chain)}
    if baselines and not section_scope(section):
        context["lead_scope"] = "baselines"
    return context


# a section about ablations first ("Ablation Study", "Ablations and Analysis", "Sensitivity"), not one that reports the
# main results and ablations together ("Main Results and Ablations", "Experiments and Ablations")
ABLATIONS_FIRST = re.compile(r"^(?!.*\band\s+(?:\w+\s+)?(?:ablations?|sensitivity)\b)(?=.*(?:\bablations?\b|\bsensitivity\b))",
                             re.IGNORECASE)
# a section about the baselines themselves ("4.2 Baselines", "Baseline details", "Compared methods"), not a comparison
# with them ("Comparison with Baselines", whose captions state the compared runs' shared setting)
BASELINES_SECTION = re.compile(r"(?:the\s+)?(?:baselines?|baseline\s+(?:methods|models|details|settings|implementations?)|"
                               r"compared\s+methods)\.?", re.IGNORECASE)


def _caption_context(section: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A caption is read as its section's prose, but for what its table or figure itself is: an ablation's in a
    section about ablations ("4.3 Ablation Study": "TFD equipped with ... AutoAugment"), a baseline's in a section
    about the baselines or headed by a cited work; not a results table's in "Main Results and Ablations",
    "Comparison with Baselines" or a robustness study ("All models are trained for 300 epochs" is the run's)."""
    chain = section_chain(section, by_id)
    context = {**_reading_context(section, by_id), "study": False}
    context["ablation"] = any(ABLATIONS_FIRST.search(s.get("title") or "") for s in chain)
    context["baseline"] = any(BASELINES_SECTION.fullmatch(normalise_space(s.get("title") or ""))
                              or CITED_TITLE.search(s.get("title") or "") for s in chain)
    if context.get("lead_scope") == "baselines" and not context["baseline"]:
        del context["lead_scope"]
    return context


# an introduction, conclusion or limitations section is read only where it tells the paper's own training ("We have
# trained a sequence of ... models, ranging in size from 632M parameters to 3B parameters"; a limitations appendix's
# negative control: "we train a target agent using PPO for 1 million steps"), and what it tells is an overview's,
# never the run's recipe
OVERVIEW_SECTION = re.compile(r"^(?:introduction|conclusion|limitation)", re.IGNORECASE)
OWN_TRAINING = re.compile(r"\bwe\s+(?:have\s+)?(?:pre-?|fine-?)?(?:train|trained|tune|tuned)\b", re.IGNORECASE)


def extract_statements(paper: dict[str, Any]) -> list[dict[str, Any]]:
    """All values the paper states in its experimental prose, footnotes, captions and hyperparameter tables."""
    out: list[dict[str, Any]] = []
    by_id = {s["id"]: s for s in paper["sections"]}
    for section in paper["sections"]:
        chain = section_chain(section, by_id)
        titles = [s.get("title") or "" for s in chain]
        if any(s.get("kind") == "front" for s in chain) or any(
                SKIP_SECTION.match(t) and not OVERVIEW_SECTION.match(t) for t in titles):
            continue
        overview = any(OVERVIEW_SECTION.match(t) for t in titles)
        context = {**_reading_context(section, by_id), "overview": overview}
        for paragraph in section["paragraphs"]:
            for sentence in sentences(paragraph):
                if not overview or OWN_TRAINING.search(sentence):
                    _sentence_statements(sentence, context, paper, "prose", out)
    for table in paper.get("tables", []):
        section = by_id.get(table.get("section") or "", {"id": table.get("section") or "", "number": "", "title": ""})
        if table["kind"] == "hyperparameters":
            _table_statements(table, section, paper, out)
        elif table["kind"] in ("dataset statistics", "specifications"):
            _row_statements(table, section, paper, out)
        # (a caption is read as its section's prose, as far as the table itself goes: _caption_context)
        context = _caption_context(section, by_id)
        for sentence in sentences(table.get("caption") or ""):  # "All models were trained for 20 epochs."
            _sentence_statements(sentence, context, paper, "caption", out, where=f"Table {table['number'] or '?'}")
    for figure in paper.get("figures", []):
        section = by_id.get(figure.get("section") or "", {"id": figure.get("section") or "", "number": "", "title": ""})
        context = _caption_context(section, by_id)
        for sentence in sentences(figure["caption"]):
            _sentence_statements(sentence, context, paper, "caption", out, where=f"Figure {figure['number'] or '?'}")
    _distribute_over_scopes(out)
    _mark_sweeps(out)
    _scope_sibling_setups(out, by_id)
    _scope_by_titles(out, by_id)
    _scope_by_subject(out)
    _scope_fine_tuning(out, paper, by_id)
    return _without_restatements(_without_run_on_names(out))


def _model_name_like(text: str) -> bool:
    """A model's or dataset's name ("RoBERTa base LoRA", "GPT-2 M"): a capital after its first letter, or a digit."""
    return bool(re.search(r"\w[A-Z]|\d", text))


def _scope_by_titles(out: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    """A setting stated without a scope in a section titled with a name the paper scopes values to elsewhere is
    that name's: advantage-alignment's "5.4 Melting Pot's Commons Harvest Open" trains "for 34k steps", the steps of
    the game its Table 4 ("Commons Harvest Open Hyperparameters") is for, not of every game's run."""
    names = {e["scope"] for e in out if e["kind"] == "setting" and e["from"] == "table"
             and e["scope"] not in ("", "paper-wide") and _name_like_scope(e["scope"])}  # (a table's recipe per name)
    for entry in out:
        if entry["kind"] != "setting" or entry["scope"] in names or entry["section"] not in by_id:
            continue
        for section in own_sections(by_id[entry["section"]], by_id):  # (up to the numbered section it is in)
            title = normalise_space(section.get("title") or "")
            named = [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", title)]
            # (unscoped, or scoped by that title itself: "Melting Pot's Negotiation Game" is the table's "Negotiation
            # Game")
            if len(named) == 1 and (not entry["scope"] or entry["scope"] in title):
                entry["scope"] = named[0]
                break


# a sentence about one model by its dataset: "Our CIFAR model trains at ... batch size 128", "The larger LSUN Bedroom
# model was trained for 1.15M steps" (a new user's diffusion paper)
SUBJECT_MODEL = re.compile(r"(?:•\s*)?(?:Our|The)\s+(?:[a-z]+\s+)?(?P<name>[A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,2}"
                           r"(?:/[A-Z][\w.-]*)*)(?:\s*\([^)]*\))?\s+models?\b")


def _scope_by_subject(out: list[dict[str, Any]]) -> None:
    """An unscoped setting of a sentence whose subject is a model named by a dataset the paper scopes values to
    elsewhere is that dataset's ("Our CIFAR model" for "CIFAR10", named in "random horizontal flips ... for
    CIFAR10"); a name the paper scopes nothing to (the method's own, "Our Transformer model") leaves it unscoped."""
    names = {e["scope"] for e in out if e["kind"] == "setting" and _name_like_scope(e["scope"])}
    for entry in out:
        subject = SUBJECT_MODEL.match(entry["quote"])
        if entry["kind"] != "setting" or entry["scope"] or entry["from"] != "prose" or not subject:
            continue
        parts = subject.group("name").split("/")  # "Our CelebA-HQ/LSUN models" (a new user's diffusion paper): both
        found = [[n for n in names if n == part] or [n for n in names if re.match(rf"{re.escape(part)}[-\s]?\d", n)]
                 or ([part] if len(parts) > 1 and any(n.startswith(part + " ") for n in names) else [])
                 for part in parts]  # ("CIFAR": "CIFAR10"; "LSUN" of "LSUN Bedroom" and "LSUN Cat")
        if all(len(named) == 1 for named in found):
            entry["scope"] = "/".join(named[0] for named in found)


def _name_like_scope(scope: str) -> bool:
    """A scope that is a name (a dataset, model, task or environment: "Commons Harvest Open", "CIFAR-10"), not a
    phrase of common words."""
    return bool(re.fullmatch(r"[A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,3}", scope)) and not GENERIC_TITLE.search(scope)


FINE_TUNING = re.compile(r"\bfine-?\s?tun\w*", re.IGNORECASE)


def _scope_fine_tuning(out: list[dict[str, Any]], paper: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> None:
    """A dataset trained on and then fine-tuned on is two setups: "Training on ImageNet-1K" (a learning rate of
    4e-3, batch 4096) and "Fine-tuning on ImageNet-1K" (5e-5, batch 512), a pre-training and a fine-tuning recipe
    table whose columns are both headed "ImageNet-1K" (a new user's ConvNeXt paper). Where one scope has a setting
    stated with other values for its fine-tuning than otherwise, those stated for its fine-tuning (in a sentence,
    heading or table caption that says so) are scoped "<scope> fine-tuning": no false conflict, and `experiment:`
    can name either."""
    captions = {f"Table {t['number'] or '?'}": sentences(t.get("caption") or "")[:1] for t in paper.get("tables", [])}

    def fine_tuning(entry: dict[str, Any]) -> bool:
        if entry["from"] == "table":
            return any(FINE_TUNING.search(c) for c in captions.get(entry["where"], []))
        # (its own headings up to its numbered section: not a parent "Pre-training and Fine-tuning Details")
        titles = [s.get("title") or "" for s in own_sections(by_id[entry["section"]], by_id)] \
            if entry["section"] in by_id else []
        return bool(FINE_TUNING.search(entry["quote"]) or any(FINE_TUNING.search(t) for t in titles))

    settings = [e for e in out if e["kind"] == "setting" and e["scope"] not in ("", "paper-wide")
                and not FINE_TUNING.search(e["scope"])]
    stages: dict[str, list[tuple[dict[str, Any], bool]]] = {}
    for entry in settings:
        stages.setdefault(entry["scope"], []).append((entry, fine_tuning(entry)))
    for scope, members in stages.items():
        values: dict[tuple[str, bool], set[str]] = {}
        for entry, tuned in members:
            values.setdefault((_same_name(entry["name"]), tuned), set()).add(repr(entry["value"]))
        if any(values.get((name, True), set()) - values.get((name, False), set()) and (name, False) in values
               for name, _ in values):  # (one setting stated differently for the two: a recipe per stage)
            for entry, tuned in members:
                if tuned:
                    entry["scope"] = f"{scope} fine-tuning"


def _scope_sibling_setups(out: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> None:
    """One setting stated with different values in sibling sections is one per section, not a conflict: §2.1
    "Pretraining the base model" and §2.2 "Finetuning the pipelines" each state an optimizer and a learning rate;
    rice's D.1 and D.2 case studies train for 30 and 100 epochs; tanh-init's depth, width and PINN studies use
    100, 20 and 80 hidden layers. Each such statement without a scope takes its section's title (its paragraph
    heading, else its numbered section's)."""
    def title(section: dict[str, Any]) -> str:
        return normalise_space(section.get("title") or "").rstrip(".")

    # the unscoped settings of the prose, each with its numbered section
    unscoped = [(entry, numbered) for entry in out
                if entry["kind"] == "setting" and not entry["scope"] and entry["from"] == "prose"
                and (numbered := numbered_section(by_id.get(entry["section"]), by_id)) is not None]
    groups: dict[tuple[str, str], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for entry, numbered in unscoped:
        if numbered.get("parent"):
            groups.setdefault((_same_name(entry["name"]), numbered["parent"]), []).append((entry, numbered))
    for members in groups.values():
        if len({n["id"] for _, n in members}) < 2 or len({repr(e["value"]) for e, _ in members}) < 2:
            continue
        own = {e["section"]: title(by_id.get(e["section"], n)) or title(n) for e, n in members}
        numbered_of = {e["section"]: n for e, n in members}
        for entry, numbered in members:
            # one paragraph heading in two numbered sections ("4.1 Experiments on CIFAR-100 › Implementation", "4.2
            # Experiments on ImageNet › Implementation", a new user's distillation paper): the numbered sections'
            # names tell the setups apart
            mine = own[entry["section"]]
            shared = any(own[s].lower() == mine.lower() and numbered_of[s]["id"] != numbered["id"] for s in own)
            generic = not re.sub(rf"{GENERIC_TITLE.pattern}|\b(?:and|of|the)\b|\W", "", mine, flags=re.IGNORECASE)
            # (a heading that names no setup, "Implementation" beside "Training details", takes its numbered section's
            # name where that names one: "Experiments on ImageNet")
            entry["scope"] = (section_scope(numbered) or title(numbered)) if shared else \
                (section_scope(numbered) or mine) if generic else mine
    # ... and paragraph headings inside one numbered section: "6.1 Datasets and Experimental Setup › Amazon Dataset"
    # (SGD, a learning rate of 1, batch 32) and "› Alibaba Dataset" (Adam, 0.001, batch 5000), a new user's
    # recommendation paper: each heading's values are its own
    headed: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for entry, numbered in unscoped:
        if not entry["scope"] and entry["section"] != numbered["id"] and by_id.get(entry["section"], {}).get("title"):
            headed.setdefault((_same_name(entry["name"]), numbered["id"]), []).append(entry)
    for members in headed.values():
        if len({e["section"] for e in members}) > 1 and len({repr(e["value"]) for e in members}) > 1:
            for entry in members:
                entry["scope"] = title(by_id[entry["section"]])


def _without_run_on_names(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One value read twice from one sentence, once under its name and once under a run-on of it ("referencing the
    optimal setting in edm, and $\\delta$ are set to 1e-3" gives $\\delta$ and "optimal setting in edm, and
    $\\delta$"): the run-on goes."""
    def key(entry: dict[str, Any]) -> tuple[str, str]:
        return entry["quote"], repr(entry["value"])

    names: dict[tuple[str, str], set[str]] = {}
    for entry in out:
        names.setdefault(key(entry), set()).add(entry["name"])
    return [e for e in out if not any(other != e["name"] and re.search(rf"(?:,|\band)\s+{re.escape(other)}$", e["name"])
                                      for other in names[key(e)])]


def _without_restatements(out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A figure's caption that repeats a value the prose or a table states ("30 hidden layers, 32 nodes each"
    under a plot of that run) is the same statement again: the prose's (or the table's) is kept, with its
    section. A table's caption is the table's own statement ("Table 1: all models trained for 20 epochs")."""
    stated = {(_same_name(e["name"]), repr(e["value"])) for e in out if e["from"] != "caption"}
    return [e for e in out if not e["where"].startswith("Figure")
            or (_same_name(e["name"]), repr(e["value"])) not in stated]


# symbols and their values listed on each side of one "=": "$\beta_{1},\beta_{2}{=}0.9,0.999$" (a new user's ConvNeXt
# table), as prose writes "$(\beta_{1},\beta_{2})=(0.9,0.999)$"
_SYMBOL = r"\\?[A-Za-z]+(?:_\{?\w+\}?)?"
JOINT_ASSIGN = re.compile(rf"\(?(?P<names>{_SYMBOL}(?:\s*,\s*{_SYMBOL})+)\)?\s*\{{?=\}}?\s*"
                          rf"\(?(?P<values>{NUM}(?:\s*,\s*{NUM})+)\)?")
CELL_ASSIGN = re.compile(rf"(?P<name>\\?[A-Za-z]+(?:_\{{?\w+\}}?)?)\s*\{{?=\}}?\s*(?P<value>{NUM})")


def _table_statements(table: dict[str, Any], section: dict[str, Any], paper: dict[str, Any],
                      out: list[dict[str, Any]]) -> None:
    """A hyperparameter table: one statement per row and value column, named by the row's label and scoped by
    the column's header (or the caption); a cell of assignments ("beta_1=0.9, beta_2=0.96") is one statement
    per symbol; a number with its unit ("10 updates") keeps the unit."""
    where = f"Table {table['number'] or '?'}"
    rows = table["rows"]
    data = rows[table.get("header_rows", 1):]
    if rows and len(rows[0]) >= 3 and any(row and row[0].get("span_of") for row in data) \
            and sum(len(r) > 1 and bool(HPARAM_KNOBS.search(r[1]["text"])) for r in data) \
            > sum(bool(r and HPARAM_KNOBS.search(r[0]["text"])) for r in data):
        # a first column of groups spanning rows ("Training" over "Dropout rate", "Weight decay", ...; a new user's
        # GNN paper), the settings in the second: the setting's name is the second column's; a group that names a
        # model ("RoBERTa base LoRA" over its rows, "RoBERTa large LoRA" over the next, a new user's LoRA paper) is
        # part of each value's scope
        groups = [normalise_space(row[0]["text"]) if row else "" for row in rows]
        table = {**table, "rows": [row[1:] for row in rows],
                 "groups": groups if len({g for g in groups[table.get("header_rows", 1):] if _model_name_like(g)}) > 1 else []}
    body = table["rows"][table.get("header_rows", 1):]
    header = table["rows"][table.get("header_rows", 1) - 1] if table.get("header_rows", 1) else []
    # a column per setting and a row per what it is set for ("LM Tuning Technique | Learning Rate", "LoRA | 0.0001"):
    # the setting is the column's, the scope the row's
    by_column = columns_name_settings(header) \
        and sum(bool(row and HPARAM_KNOBS.search(row[0]["text"])) for row in body) * 2 < max(1, len(body))
    for at, row in enumerate(body, table.get("header_rows", 1)):
        if len(row) < 2 or not row[0]["text"] or not row[1]["text"]:
            continue
        label = CITATION.sub("", row[0]["text"]).strip()
        quote = " | ".join(c["text"] for c in row)
        for column, cell in enumerate(row[1:], 1):
            if cell.get("span_of") and cell["span_of"][0] != at:
                continue  # (a cell across columns is each column's value: "Optimizer | AdamW" under eight tasks; one
                # down rows is read in its first row)
            text = CITATION.sub("", cell["text"]).strip()
            scope = table_scope(table, column)
            if table.get("groups") and _model_name_like(table["groups"][at]):
                scope = f"{table['groups'][at]}, {scope}" if scope else table["groups"][at]
            setting = header[column]["text"] if by_column and column < len(header) else label
            total = _batch_product(setting, text)
            if total:  # "Minibatch size | $32\times 8$": the batch in all, computed from what the cell writes
                _emit(out, name=normalise_space(setting), raw=total, sentence=quote, section=section, paper=paper,
                      origin="table", pattern="table row", where=where, scope=label if by_column else scope,
                      written=text)
                continue
            if by_column:
                # (a column headed by a symbol is a setting too: "$\lambda_{distill}$")
                if column < len(header) and (HPARAM_KNOBS.search(header[column]["text"])
                                             or re.fullmatch(r"\$[^$]{1,40}\$", header[column]["text"].strip())) \
                        and parse_value(text) \
                        and not re.match(r"(?:no|none|n/?a)\b|[-–—]\s*$", text, re.IGNORECASE):  # "GS | No rate"
                    _emit(out, name=normalise_space(header[column]["text"]), raw=text, sentence=quote, section=section,
                          paper=paper, origin="table", pattern="table row", where=where, scope=label)
                continue
            joint = JOINT_ASSIGN.fullmatch(text.replace("$", "").strip())
            symbols = re.split(r"\s*,\s*", joint.group("names")) if joint else []
            numbers = re.split(r"\s*,\s*", joint.group("values")) if joint else []
            if joint and len(symbols) == len(numbers):  # "$\beta_{1},\beta_{2}{=}0.9,0.999$": one statement each
                for symbol, number in zip(symbols, numbers):
                    _emit(out, name=f"{label} ${symbol}$", raw=number, sentence=quote, section=section, paper=paper,
                          origin="table", pattern="table row", where=where, scope=scope)
                continue
            assigned = list(CELL_ASSIGN.finditer(text.replace("$", "")))
            if assigned and sum(len(m.group(0)) for m in assigned) >= 0.6 * len(text.replace("$", "").replace(",", "")):
                for match in assigned:
                    _emit(out, name=f"{label} ${match.group('name')}$", raw=match.group("value"), sentence=quote,
                          section=section, paper=paper, origin="table", pattern="table row", where=where, scope=scope)
                continue
            parts = list(PART_VALUE.finditer(text))
            if len(parts) >= 2 and not re.sub(r"[\s,;/$]|\band\b", "", PART_VALUE.sub("", text)):
                # a value per part: "32 (locomotion), 128 (flagrun)" (a new user's RL paper), "100 (B), 50 (L/H)" and
                # "0.1 (B/L) 0.2 (H)" (a new user's MAE paper): each value scoped by its part
                for part in parts:
                    what = part.group("part").strip()
                    if PART_IS_NAME.fullmatch(what):  # "0.9 (beta1), 0.999 (beta2)": what each value is, not whose
                        _emit(out, name=f"{label} {what}", raw=part.group("v"), sentence=quote, section=section,
                              paper=paper, origin="table", pattern="table row", where=where, scope=scope)
                        continue
                    whole = PART_IS_WHOLE.fullmatch(what)
                    if whole or PART_IS_SHARE.fullmatch(what):
                        # "256 (per GPU), 2048 (total)": the whole is the setting, a device's share is named so
                        _emit(out, name=label if whole else f"{label} {what}",
                              raw=part.group("v"), sentence=quote, section=section, paper=paper, origin="table",
                              pattern="table row", where=where, scope=scope)
                        continue
                    _emit(out, name=label, raw=part.group("v"), sentence=quote, section=section, paper=paper,
                          origin="table", pattern="table row", where=where, scope=f"{scope}, {what}" if scope else what)
                continue
            if _symbol_factor(label, text, table, section, paper, quote, where, scope, out):
                continue
            raw, unit = text, ""
            lead = re.match(rf"\s*(?P<v>{NUM})\s*(?P<u>[A-Za-z][\w-]*)", raw)
            if not parse_value(raw) and lead:  # "10 updates", "250 steps": the number and its unit
                raw, unit = lead.group("v"), lead.group("u")
            _emit(out, name=label, raw=raw, sentence=quote, section=section, paper=paper, origin="table",
                  pattern="table row", where=where, scope=scope, after=unit)


PART_IS_NAME = re.compile(r"\$?\\?(?:beta|β|alpha|α|gamma|γ|epsilon|eps|ε|lambda|λ|tau|τ)\s*_?\{?\d?\}?\$?|"
                          r"(?:initial|final|peak|min|max|start|end)", re.IGNORECASE)
PART_IS_WHOLE = re.compile(r"total|in total|overall|global|effective", re.IGNORECASE)
PART_IS_SHARE = re.compile(r"per (?:GPU|device|TPU|core|node|worker|replica|chip)", re.IGNORECASE)
PART_VALUE = re.compile(rf"\$?(?P<v>{NUM})\$?\s*\((?P<part>[^()]{{1,40}})\)")
# a value written times a factor the paper schedules: "Adam stepsize | $2.5\times 10^{-4}\times\alpha$" with "$\alpha$ is
# linearly annealed from 1 to 0 over the course of learning" in the caption (a new user's RL paper, PPO's Atari table)
# (a Greek factor: "$0.1\times T$" is a share of the training length T, no annealed value)
LATEX_GREEK = (r"alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|kappa|lambda|mu|nu|xi|rho|sigma|tau|phi|varphi|chi|psi|"
         r"omega")
SYMBOL_FACTOR = re.compile(rf"\$?\s*(?P<v>[^$×]*?\d[^$]*?)\s*(?:\\times|×|\\cdot|\*|·)\s*\$?\s*"
                           rf"(?P<s>\\(?:{LATEX_GREEK})\b|[α-ω])\s*\$?")


def _symbol_factor(label: str, text: str, table: dict[str, Any], section: dict[str, Any], paper: dict[str, Any],
                   quote: str, where: str, scope: str, out: list[dict[str, Any]]) -> bool:
    """A cell "V × s" (s a symbol): the setting starts at V; where the caption moves s from A to B, it ends at V·B
    ("final ..."), and a learning rate moved linearly has a linear schedule. False for any other cell."""
    factor = SYMBOL_FACTOR.fullmatch(text.strip())
    written = factor.group("v").strip() if factor else ""
    value = parse_number(written) if factor else None
    if value is None:
        return False
    symbol = re.escape(factor.group("s"))
    ramp = re.search(rf"\$?{symbol}\$?\s+(?:is|was)\s+(?P<how>linearly\s+)?(?:annealed|decayed|decreased|reduced|"
                     rf"lowered|increased|raised)\s+(?:linearly\s+)?from\s+\$?(?P<a>{NUM})\$?\s+to\s+\$?(?P<b>{NUM})\$?"
                     rf"(?P<after>\s+linearly\b)?", table.get("caption") or "")
    start, end = (parse_number(ramp.group("a")), parse_number(ramp.group("b"))) if ramp else (None, None)
    if start is None or end is None:
        _emit(out, name=label, raw=written, sentence=quote, section=section, paper=paper, origin="table",
              pattern="table row", where=where, scope=scope)
        return True
    # the setting starts at V times the factor's start and ends at V times its end ("0.5 x beta", beta raised from 0)
    _emit(out, name=label, raw=f"{value * start:.12g}", sentence=quote, section=section, paper=paper, origin="table",
          pattern="table row", where=where, scope=scope, written=written if start == 1 else f"{written} × {ramp.group('a')}")
    # the run's own rate ("Adam stepsize", "Learning rate"), not a part's ("Critic learning rate", a SAC table)
    lr = re.fullmatch(rf"(?:(?:{OPTIMIZERS})\s+)?(?:learning[- ]rate|lr|step ?size)(?:\s*\(.*\))?", label.strip(), re.IGNORECASE)
    _emit(out, name="final learning rate" if lr else f"final {label}", raw=f"{value * end:.12g}", sentence=quote,
          section=section, paper=paper, origin="table", pattern="table row", where=where, scope=scope,
          written=f"{written} × {ramp.group('b')}")
    if ramp.group("how") or ramp.group("after") or re.search(r"\blinearly\b", ramp.group(0)):
        _emit(out, name="lr schedule" if lr else f"{label} annealing", raw="linear", sentence=quote, section=section,
              paper=paper, origin="table", pattern="table row", where=where, scope=scope)
    return True


def _batch_product(setting: str, text: str) -> str:
    """A batch written as a product in a hyperparameter table ("$32\times 8$" in a new user's RL paper, "$8\times 8$" per
    GPU in a BERT distillation paper's "batch" column) is the batch in all: the product, or "" for any other cell."""
    if not re.search(r"batch|\bbsz\b", setting, re.IGNORECASE) or not re.fullmatch(SIZES, text.strip()):
        return ""
    factors = [parse_number(f) for f in re.split(r"\s*(?:\\times|×|x)\s*", text.strip().strip("$"))]
    if len(factors) != 2 or any(f is None or f < 1 for f in factors):
        return ""
    return f"{factors[0] * factors[1]:g}"


def _row_statements(table: dict[str, Any], section: dict[str, Any], paper: dict[str, Any],
                    out: list[dict[str, Any]]) -> None:
    """A table of one row per dataset or model and one column per what is stated of it: a dataset statistics table
    ("# Train", "# Test": each numeric cell a dataset statistic) or a specifications table ("Pre-training", "timm
    model": each cell a name, a setting). A cell is named by its column and scoped by its row's label."""
    where = f"Table {table['number'] or '?'}"
    header_rows = table.get("header_rows", 1)
    names = table["kind"] == "specifications"
    if not header_rows:
        return
    header = table["rows"][header_rows - 1]
    body = [row for row in table["rows"][header_rows:] if len(row) >= 2 and row[0]["text"]]
    labels = [CITATION.sub("", row[0]["text"]).strip() for row in body]
    for row, label in zip(body, labels):
        # a label that names several rows ("ViT-L" with three pre-trainings) is told apart by the next column
        scope = label if labels.count(label) == 1 else f"{label}, {CITATION.sub('', row[1]['text']).strip(' ;,')}"
        quote = " | ".join(c["text"] for c in row)
        for column, cell in enumerate(row[1:], 1):
            name = normalise_space(header[column]["text"]) if column < len(header) else ""
            text = CITATION.sub("", cell["text"]).strip(" ;,")
            if cell.get("span_of") or not name or not text:
                continue
            if names:  # a name as the table writes it; a qualifier in brackets is part of the row's scope
                if re.fullmatch(r"[A-Za-z][\w.+-]*(?:\s+[\w.+-]+){0,3}(?:\s*\([^()]{1,40}\))?", text):
                    _emit(out, name=name, raw=text.split("(")[0].strip(), sentence=quote, section=section, paper=paper,
                          origin="table", pattern="specification row", where=where, scope=scope, kind="setting")
                continue
            if not all(isinstance(v, float) for v in parse_value(cell["text"])):
                continue
            # a count of one cell is one number, however its commas fall (tabdiff's Table 6 prints "2,0353")
            raw = re.sub(r"(?<=\d),(?=\d)", "", cell["text"]) if re.fullmatch(r"\$?\s*\d[\d,]*\s*\$?", cell["text"].strip()) \
                else cell["text"]
            _emit(out, name=name, raw=raw, sentence=quote, section=section, paper=paper, origin="table",
                  pattern="statistics row", where=where, scope=scope, kind="dataset statistic")


def _distribute_over_scopes(out: list[dict[str, Any]]) -> None:
    """"learning rates of 1e-5 and 1e-4 for BART0 and FLAN-T5, respectively", "the batch sizes for CIFAR-10 and for
    ImageNet are 128 and 4096, running for 200K steps and 40K steps, respectively": one value per scope, in order (as
    "X and Y are set to A and B respectively" gives one per name), not a sweep."""
    def scopes_of(entry: dict[str, Any]) -> list[str]:
        return [s for s in re.split(r"\s*,\s*(?:and\s+|or\s+)?(?:for\s+)?|\s+(?:and|or)\s+(?:for\s+)?", entry["scope"] or "")
                if s]

    for entry in list(out):
        listed = entry["value"] if isinstance(entry["value"], list) else []
        scopes = scopes_of(entry)
        if len(listed) > 1 and len(scopes) == len(listed) and re.search(r"\brespectively\b", entry["quote"]) \
                and entry["kind"] == "setting" and entry["from"] != "table":
            raws = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", entry["raw"])
            raws = raws if len(raws) == len(listed) else [f"{v:g}" if isinstance(v, float) else str(v) for v in listed]
            at = out.index(entry)
            out[at:at + 1] = [{**entry, "value": value, "raw": normalise_space(raw), "scope": scope}
                              for value, raw, scope in zip(listed, raws, scopes)]
    # the same name stated once per scope: "running for 200K steps and 40K steps, respectively"
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for entry in out:
        if not isinstance(entry["value"], list) and entry["from"] != "table" and re.search(r"\brespectively\b",
                                                                                            entry["quote"]):
            groups.setdefault((entry["quote"], entry["name"], entry["scope"]), []).append(entry)
    for entries in groups.values():
        scopes = scopes_of(entries[0])
        if 1 < len(entries) == len(scopes):
            for entry, scope in zip(entries, scopes):
                entry["scope"] = scope


def _mark_sweeps(out: list[dict[str, Any]]) -> None:
    """One sentence giving one name several values for one scope ("low when p=0 or p=1") is a sweep, not a
    setting; so is a "respectively" list of one name's values (one per run or dataset)."""
    values: dict[tuple[str, str, str], set[str]] = {}

    def key(entry: dict[str, Any]) -> tuple[str, str, str]:
        return entry["quote"], entry["name"].strip("$\\ ").lower(), entry["scope"]

    def numeric(entry: dict[str, Any]) -> bool:
        return entry["from"] != "table" and all(isinstance(v, float) for v in (
            entry["value"] if isinstance(entry["value"], list) else [entry["value"]]))

    for entry in filter(numeric, out):  # (a cited work's value beside ours is no second value of ours)
        if entry["kind"] in ("setting", "sweep"):
            values.setdefault(key(entry), set()).add(repr(entry["value"]))
    for entry in filter(numeric, out):
        if len(values.get(key(entry), ())) > 1 and entry["kind"] == "setting":
            entry["kind"] = "sweep"
        listed = entry["value"] if isinstance(entry["value"], list) else []
        if len(set(listed)) > 1 and re.search(r"\brespectively\b", entry["quote"]) and entry["kind"] == "setting":
            entry["kind"] = "sweep"
