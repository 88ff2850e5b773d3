"""Small text helpers shared by the stages: sentence splitting and number parsing."""

from __future__ import annotations

import re

_ABBREVIATIONS = (
    "e.g.", "i.e.", "et al.", "etc.", "Fig.", "Figs.", "Eqn.", "Eqns.", "Eq.", "Eqs.", "Sec.", "Secs.", "Tab.", "vs.",
    "cf.", "resp.", "approx.", "No.", "Ref.", "Refs.", "Appx.", "App.", "Alg.", "Thm.", "Def.", "Prop.",
)
_PLACEHOLDER = "\u0000"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[$\"'])")


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
    \s*(?P<suffix>[kKmMbB%]|thousand|million|billion)?\s*$""",
    re.VERBOSE,
)


def parse_number(raw: str, percent: str = "fraction") -> float | None:
    """The one number grammar of every stage: 3e-4, 3 x 10^-4, 3\\times10^{-4}, 10^{-5}, 1M, 100k, 1 million,
    1,000, 5%.

    ``percent`` says what a percent sign means to the caller: ``"fraction"`` (a setting: "dropout of 10%" is
    0.1) or ``"points"`` (a statement or a table cell: "5%" is 5.0, in the unit %)."""
    text = raw.strip().strip("$").replace("\\times", "x").replace("\\,", "").replace("{,}", ",")
    text = text.replace("\u2009", "").replace("~", "")
    power_only = re.fullmatch(r"\s*10\s*\^\s*\{?\s*([-+\u2212]?\d+)\s*\}?\s*", text)
    if power_only:
        return 10.0 ** int(power_only.group(1).replace("\u2212", "-"))
    match = _NUMBER.match(text)
    if not match:
        return None
    mant = match.group("mant").replace(",", "")
    value = float(mant)
    if match.group("e"):
        value *= 10.0 ** int(match.group("e")[1:].replace("\u2212", "-"))
    if match.group("pow"):
        value *= 10.0 ** int(match.group("pow").replace("\u2212", "-"))
    suffix = match.group("suffix")
    if suffix:
        value *= {"k": 1e3, "m": 1e6, "b": 1e9, "thousand": 1e3, "million": 1e6, "billion": 1e9,
                  "%": 1e-2 if percent == "fraction" else 1.0}[suffix.lower()]
    if match.group("sign") in ("-", "\u2212"):
        value = -value
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
