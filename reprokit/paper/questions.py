"""Open questions: what a paper's text leaves unstated, each pointing at the sentence that raised it.

Each rule is general (no paper's text is special-cased): a *trigger* says the paper relies on a knob,
an *answer* pattern says the paper settles it. A trigger with no answer anywhere in the text is a
question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from reprokit.text import sentences


@dataclass(frozen=True)
class Rule:
    knob: str
    question: str
    trigger: re.Pattern[str]
    answer: re.Pattern[str]
    window: bool = False  # answer must sit in the triggering sentence or the next one (per-model knobs)


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


RULES = (
    Rule("optimizer.betas", "Adam's beta1/beta2 and epsilon are not given.",
         _re(r"\bAdam(W)?\b"), _re(r"\\beta|β|beta_?1|betas?\s*(=|of|\()|epsilon|\\epsilon\s*=")),
    Rule("optimizer.momentum", "The SGD momentum (and Nesterov or not) is not given.",
         _re(r"\bSGD\b|stochastic gradient descent"), _re(r"momentum")),
    Rule("optimizer.weight_decay", "Weight decay (or its absence) is not stated.",
         _re(r"\b(Adam(W)?|SGD|RMSprop|Adagrad|LAMB|LARS|optimi[sz]er)\b"),
         _re(r"weight[- ]decay|(?:L2|\$L_\{?2\}?\$) (penalty|regulari)")),  # ("$L_{2}$ regularization", GAT's)
    Rule("schedule.lr_schedule", "The learning-rate schedule (constant, warm-up, decay) is not stated.",
         _re(r"learning rate"), _re(r"schedul|warm-?up|cosine|decay(ed)? (the learning rate|by|every)|"
                                    r"learning rate (is |was )?(dropped|decreased|reduced|divided|multiplied) by|"
                                    r"constant learning rate|learning rate (is|was) (kept )?constant|annealing|step decay")),
    Rule("init", "The initialisation scheme of the model parameters is not stated.",
         _re(r"\binitiali[sz]e|\b(layers?|network|model)\b.{0,60}\b(train|optimi[sz])"),
         _re(r"xavier|glorot|kaiming|he (et al\.|initiali)|orthogonal|truncated normal|initiali[sz]ed (from|with|to|by)|"
             r"pre-?trained|checkpoint")),
    Rule("architecture.width", "The width (number of hidden units) of the hidden layers is not given.",
         _re(r"hidden layers?"), _re(r"\d+\s*(hidden )?(units|neurons)|hidden (size|dimension|width)s? (of )?\$?\d+|"
                                    r"width (of )?\$?\d+|\d+-dimensional hidden|hidden layers? (of|with) \$?\d+"),
         window=True),
    Rule("architecture.padding", "The convolution padding is not stated, so the feature-map sizes are ambiguous.",
         _re(r"convolution(al)? layers?|conv\d?\b|kernel size"), _re(r"padding|zero-pad|[\"'`]same[\"'`]|[\"'`]valid[\"'`]")),
    Rule("seeds", "The number of seeds or runs behind each reported number is not stated.",
         _re(r"\b(accuracy|results?|error|score|performance)\b"),
         _re(r"\bseeds?\b|\bruns?\b.{0,30}\b(average|mean)|averaged over|mean (and|±|\\pm)|standard (deviation|error)|"
             r"\d+ (independent )?(runs|trials|repetitions)|single (training )?run")),
    Rule("batch.batch_size", "The batch size is not given.",
         _re(r"\btrain(ed|ing)?\b"), _re(r"batch size|mini-?batch(es)? of|batches of")),
    Rule("schedule.total_steps", "How long training runs (epochs or steps) is not stated.",
         _re(r"\btrain(ed|ing)?\b"),
         _re(r"\bepochs?\b|\biterations\b|\btraining steps\b|\d+\s*[kKM]?\s*(gradient |update |training )?steps\b|"
             r"\bupdates\b")),
    Rule("optimizer.lr", "The learning rate is not given.",
         _re(r"\b(Adam(W)?|SGD|RMSprop|Adagrad|optimi[sz]er|fine-?tun\w+|train(ed|ing))\b"),
         _re(r"learning[- ]rates?|\blr\b|step[- ]?size")),  # ("Adam stepsize", PPO's table)
    Rule("hardware", "The hardware (GPU type and count) and the training time are not stated.",
         _re(r"\btrain(ed|ing)?\b|\bexperiments?\b"), _re(r"\bGPUs?\b|\bTPUs?\b|A100|V100|H100|RTX|\bCPUs?\b|hardware")),
    Rule("evaluation.model_selection", "How the reported checkpoint is chosen (validation split, early stopping or "
         "the last step) is not stated.", _re(r"\b(test|validation) (set|accuracy|split|performance)\b"),
         _re(r"validation (set|split|data|accuracy)|held[- ]out|early stopping|model selection|\bdev set|"
             r"(end|last step|final step) of training|best checkpoint")),
    Rule("tricks.precision", "The numerical precision of training (fp32, fp16/bf16 mixed precision) is not stated.",
         _re(r"\btrain(ed|ing)?\b"), _re(r"\bfp(16|32)\b|\bbf16\b|bfloat16|float(16|32)|mixed[- ]precision|"
                                          r"half[- ]precision|full precision|\bAMP\b")),
    Rule("software", "The versions of the framework and libraries used are not stated.",
         _re(r"\btrain(ed|ing)?\b|\bimplement(ed|ation)\b"),
         _re(r"(PyTorch|TensorFlow|JAX|CUDA|transformers)\s*(v(ersion)?\.?\s*)?\d+\.\d+|torch==")),
    Rule("augmentation", "Whether training uses data augmentation (and in which order) is not stated.",
         _re(r"\btrain(ed|ing)? (set|data|examples)\b|training examples"),
         _re(r"augment|random (crop|flip)|mixup|cutmix|no augmentation")),
)

APPENDIX_REF = re.compile(r"\b(Appendix|Supplementary Material|Supplement)\s*([A-Z](?:\.\d+)?)?", re.IGNORECASE)


# a sentence that describes how training is set up: where a question about a missing setting points
SETUP_CUES = re.compile(r"\b(?:batch size|epochs?|iterations|optimi[sz]er|learning rate|hyper-?parameters?|"
                        r"fine-?tun\w*|train\w*)\b", re.IGNORECASE)


def _setup_cues(item: tuple[str, str]) -> int:
    """How much a sentence in the paper's own voice says about how training is set up ("We train all models using
    the default fine-tuning parameters ..., except that we use a batch size of 24"): the distinct cues it names; a
    cited work's "LMs are trained on ..." says nothing of the paper's."""
    sentence = item[1]
    if not re.search(r"\b(?:we|our)\b", sentence, re.IGNORECASE):
        return 0
    return len({m.group(0).lower()[:5] for m in SETUP_CUES.finditer(sentence)})


BACKGROUND = re.compile(r"introduction|related|background|conclusion|impact|limitation|acknowledg", re.IGNORECASE)


def _all_sentences(paper: dict[str, Any]) -> list[tuple[str, str]]:
    """Every sentence with its section id; background sections last, so a question points at the
    experimental sentence that raised it when there is one."""
    out: list[tuple[str, str]] = []
    background: list[tuple[str, str]] = []
    for section in paper["sections"]:
        target = background if BACKGROUND.search(section["title"] or "") or section["kind"] == "front" else out
        for paragraph in section["paragraphs"]:
            target.extend((section["id"], s) for s in sentences(paragraph))
    for table in paper.get("tables", []):
        out.append((table.get("section") or "", table.get("caption", "")))
        out.extend((table.get("section") or "", " ".join(c["text"] for c in row)) for row in table["rows"])
    for algorithm in paper.get("algorithms", []):
        out.extend((algorithm.get("section") or "", line) for line in algorithm["lines"])
    for note in paper.get("footnotes", []):
        out.append(("footnotes", note["text"]))
    return out + background


def find_open_questions(paper: dict[str, Any]) -> list[dict[str, str]]:
    """Questions for what the text leaves unstated, each with the sentence and section that raised it."""
    corpus = _all_sentences(paper)
    text = " ".join(s for _, s in corpus)
    questions = []
    for rule in RULES:
        if rule.window:
            raised = next(((sid, s) for i, (sid, s) in enumerate(corpus) if rule.trigger.search(s)
                           and not rule.answer.search(" ".join(t for _, t in corpus[i:i + 2]))), None)
        elif rule.answer.search(text):
            continue
        else:  # the sentence that says most about how training is set up, else the first that triggers
            triggered = [(sid, s) for sid, s in corpus if rule.trigger.search(s)]
            raised = max(triggered, key=_setup_cues, default=None)
        if raised is None:
            continue
        questions.append({"knob": rule.knob, "question": rule.question, "section": raised[0],
                          "sentence": raised[1]})
    has_appendix = any(s["kind"] == "appendix" for s in paper["sections"])
    if not has_appendix:
        for sid, sentence in corpus:
            if APPENDIX_REF.search(sentence) and not sentence.lower().startswith("appendix"):
                questions.append({"knob": "appendix", "section": sid, "sentence": sentence,
                                  "question": "The text refers to an appendix that the document does not contain."})
                break
    return questions
