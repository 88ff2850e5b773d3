"""Small text helpers shared by the stages: sentence splitting and number parsing."""

from __future__ import annotations

import math
import re

_ABBREVIATIONS = (
    "e.g.", "i.e.", "et al.", "etc.", "Fig.", "Figs.", "Eqn.", "Eqns.", "Eq.", "Eqs.", "Sec.", "Secs.", "Tab.", "vs.",
    "cf.", "resp.", "approx.", "No.", "Ref.", "Refs.", "Appx.", "App.", "Alg.", "Thm.", "Def.", "Prop.",
)
_PLACEHOLDER = "\u0000"
# (an item of a bulleted list is a sentence of its own: "• Base-ASR: ... • ASR-BN: ...")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[$\"'])|\s+(?=•\s)")


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations such as "e.g." and "et al." intact."""
    protected = text
    for abbr in _ABBREVIATIONS:
        protected = protected.replace(abbr, abbr.replace(".", _PLACEHOLDER))
    # decimals and dotted numbers ("0.01", "Table 3.2") never end a sentence: they have no space after
    parts = _SENTENCE_END.split(protected)
    return [p.replace(_PLACEHOLDER, ".").strip() for p in parts if p.strip()]


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_NUMBER = re.compile(
    r"""^\s*(?P<sign>[-+\u2212])?\s*
    (?P<mant>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)
    \s*(?:(?P<e>[eE][-+\u2212]?\d+)|(?:[x\u00d7\*]\s*10\s*\^?\s*\{?\s*(?P<pow>[-+\u2212]?\d+)\s*\}?))?
    \s*(?P<suffix>[kKmMbB%]|thousand|million|billion|percent)?\s*$""",
    re.VERBOSE,
)
# a number as it is written in running text or math (a space is part of it only after a "$", so that a list of
# numbers has one way to match; a match never ends inside a number, "12" of "128", nor before its closing "$"):
# 3e-4, 3 x 10^-4, $10^{-5}$, 1,000, 1M, $225$K, 3B, 1 million, $1.2$ million, 5%, .5 (".912": a leading dot only; a digit
# before it is the third case: one way to read "0.1")
NUMBER = (r"(?:(?:\$\s*)?\d+(?:,\d{3})*(?:\.\d+)?\s*(?:[x\u00d7\u00b7]|\\times|\\cdot)\s*10\s*\^\s*\{?\s*[-\u2212]?\d+"
          r"(?:\s*\})?(?:\s*\$)?"
          r"|(?:\$\s*)?10\s*\^\s*(?:\{\s*[-\u2212]?\d+\s*\}|[-\u2212]?\d+)(?:\s*\$)?"  # (and "10^-6" as text writes it)
          r"|(?:\$\s*)?\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[eE]\s*\^?\s*\{?[-\u2212]?\d+\}?)?"
          r"(?:\s*(?:\\?%|[kKMB]\b)|\s*\$[kKMB](?![\w=-])|(?:\s*\$)?\s+(?:thousand|million|billion|percent)\b)?(?:\s*\$)?"
          r"|\$?\.\d+(?:\s*\$)?)(?!\.?\d)(?!\$)")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "single": 1, "zero": 0}
SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
# a number in words, with its scale: "ten", "one million", "two hundred" (a new user's RL paper: "We do one million
# timesteps of training on each one" had read 1 "million timesteps")
WORD_NUMBER = r"(?:" + "|".join(NUMBER_WORDS) + r")(?:\s+(?:" + "|".join(SCALE_WORDS) + r")\b)*"
_MAX_EXPONENT = 300  # beyond a float's range: "1e999" is not a value anyone trains with


def parse_number(raw: str, percent: str = "fraction") -> float | None:
    """The one number grammar of every stage: 3e-4, 3 x 10^-4, 3\\times10^{-4}, 8\\cdot 10^{-4}, 10^{-5}, 1M, 100k, 1 million,
    1,000, 5%, 5 percent, and the words one to twenty and the tens. None for anything else; it never raises.

    ``percent`` says what a percent sign means to the caller: ``"fraction"`` (a setting: "dropout of 10%" is
    0.1) or ``"points"`` (a statement or a table cell: "5%" is 5.0, in the unit %)."""
    text = raw.strip().strip("$").replace("$", "").replace("\\times", "x").replace("\\cdot", "x").replace("\u00b7", "x")
    text = text.replace("\\,", "").replace("{,}", ",")
    text = text.replace("\u2009", "").replace("~", "").replace("\\%", "%").replace("\u2212", "-")
    if text.lower() in NUMBER_WORDS:
        return float(NUMBER_WORDS[text.lower()])
    words = text.lower().split()
    if len(words) > 1 and words[0] in NUMBER_WORDS and all(w in SCALE_WORDS for w in words[1:]):
        return float(NUMBER_WORDS[words[0]] * math.prod(SCALE_WORDS[w] for w in words[1:]))  # "two hundred thousand"
    power_only = re.fullmatch(r"\s*10\s*\^\s*\{?\s*([-+]?\d+)\s*\}?\s*", text)
    if power_only:
        exponent = int(power_only.group(1))
        return 10.0 ** exponent if abs(exponent) <= _MAX_EXPONENT else None
    match = _NUMBER.match(text)
    if not match:
        return None
    exponent = sum(int(match.group(g).lstrip("eE").replace("\u2212", "-")) for g in ("e", "pow") if match.group(g))
    if abs(exponent) > _MAX_EXPONENT:
        return None
    value = float(match.group("mant").replace(",", "")) * 10.0 ** exponent
    suffix = match.group("suffix")
    if suffix:
        value *= {"k": 1e3, "m": 1e6, "b": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9,
                  "%": 1e-2 if percent == "fraction" else 1.0,
                  "percent": 1e-2 if percent == "fraction" else 1.0}[suffix.lower()]
    if match.group("sign") in ("-", "\u2212"):
        value = -value
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return float(f"{value:.12g}")


MATH_SPAN = re.compile(r"\$[^$\n]{1,400}\$")


def unspace_math_numbers(text: str) -> str:
    """PDF converters (MinerU) space out the digits of inline math: ``$N = 2 4 5 7 6$``, ``$0 . 0 0 5$``.
    Inside each ``$...$`` span, digits separated by single spaces (and a spaced decimal point) are joined."""

    def join(match: re.Match[str]) -> str:
        span = re.sub(r"(?<=\d) \. (?=\d)", ".", match.group(0))
        span = re.sub(r"(?<=\d) (?=\d)", "", span)
        # "2 \mathrm { e } 1 0" is 2e10
        return re.sub(r"(?<=\d)\s*\\mathrm\s*\{\s*e\s*\}\s*(?=[-\u2212]?\d)", "e", span)

    return MATH_SPAN.sub(join, text)


# the model a size or a value is stated for or set in: "the GRU has 6 hidden units", class MLPBase(...)
# ("linear" names the linear model, not "an exponential linear unit", "linear warm-up", "linear probing" or "a linear
# layer" of another network)
MODEL_WORD = re.compile(r"(?<![a-z])(mlp|cnn|conv|gru|lstm|rnn|transformer|resnet|vit|linear(?![\s-]+(?:units?|layers?|"
                        r"warm-?up|decay|schedul\w*|scaling|prob\w*|projections?|interpolation|combinations?|"
                        r"transform\w*|rate))|logistic)", re.IGNORECASE)


def model_words(text: str) -> frozenset[str]:
    """The model kinds a sentence, a code scope or a model's name names ("MLPBase" -> {mlp}, "ConvBase" ->
    {cnn}, "Logistic regression" -> {linear})."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    words = {m.group(1).lower() for m in MODEL_WORD.finditer(spaced)}
    return frozenset({"cnn" if w == "conv" else "linear" if w == "logistic" else w for w in words})
