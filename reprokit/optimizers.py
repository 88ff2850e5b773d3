"""The one vocabulary of optimizer names, as papers and code write them (stage 2 finds their calls in code,
stage 3 their names in prose and tables; what the harness can run is its own, smaller list)."""

from __future__ import annotations

import re

NAMES = ("AdamW", "Adam", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adafactor", "LAMB", "LARS", "Lion", "L-BFGS",
         "LBFGS", "Muon", "ASGD", "NT-ASGD")  # (averaged SGD and its non-monotonically triggered variant: an LSTM paper's)
# a name written out in words, and the name it is ("We used stochastic gradient descent without momentum": a new
# user's sequence-to-sequence paper; "mini-batch stochastic gradient descent (SGD)": a new user's GAN paper)
SPELLED = {"stochastic gradient descent": "SGD"}
# the classes torch.optim has under these names (the key is the ledger's lower-case name)
TORCH = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop", "adagrad": "Adagrad", "asgd": "ASGD",
         "adafactor": "Adafactor", "adadelta": "Adadelta", "lbfgs": "LBFGS"}


# "Adam with decoupled weight decay" is AdamW: the name its authors gave it (Loshchilov & Hutter)
DECOUPLED = re.compile(r"\bAdam\s*(?:optimi[sz]er\s*)?(?:\[[\d,\s]+\]\s*)?with\s+decoupled\s+weight\s+decay\b",
                       re.IGNORECASE)


def as_stated(name: str, sentence: str) -> str:
    """The optimizer a sentence names, read with the words that qualify it: "Adam" in "the Adam optimizer with
    decoupled weight decay" is "AdamW"; any other name as written."""
    return "AdamW" if name.lower() == "adam" and DECOUPLED.search(sentence) else name


def pattern(any_case: bool = True) -> str:
    """A regex alternation of the names, longest first; in prose any case ("AdaFactor" is Adafactor), in code
    as the class is spelled."""
    names = "|".join(re.escape(n) for n in sorted((*NAMES, *(SPELLED if any_case else ())), key=len, reverse=True))
    return f"(?i:{names})" if any_case else f"(?:{names})"


def spelled(written: str) -> bool:
    """Is this an optimizer written out in words ("stochastic gradient descent"), not by its name ("SGD")?"""
    return re.sub(r"\s+", " ", str(written).strip().lower()) in SPELLED


def canonical(written: str) -> str | None:
    """"AdamW" -> "adamw", "L-BFGS" -> "lbfgs"; None for a word that is no optimizer's name."""
    match = re.search(rf"(?<![\w-]){pattern()}(?![\w-])", written)
    if not match:
        return None
    name = re.sub(r"\s+", " ", match.group(0).lower())
    return SPELLED.get(name, name).lower().replace("-", "")


def family(class_name: str) -> str | None:
    """The optimizer a class in code is: its own name ("AdamW" -> "adamw"), or the name it ends with, for a
    repository's own variant ("CustomAdamW", "FusedAdam" -> "adamw", "adam"); None otherwise."""
    exact = canonical(class_name)
    if exact:
        return exact
    match = re.search(rf"{pattern(any_case=False)}$", class_name)
    return match.group(0).lower().replace("-", "") if match else None
