"""Every hyperparameter value a paper states, wherever it states it, with its scope and its sentence.

General patterns only (no paper's text is special-cased): "<name> is set to <value>", "we set <name> to
<value>", "<knob> of <value>", "<value> epochs", "<name> varies in <values>", "chosen from {...}",
"repeated <n> times", optimizer and schedule names, "we use <Model> as/for ...", symbol assignments in
math ("$k=100$"), and the rows of hyperparameter tables. Values keep every written form: 3e-4,
3 x 10^-4, $10^{-5}$, 0.0003, 1M / 100k, 5%, lists and sweeps. A value's scope is the dataset or model
the sentence states it for ("for CIFAR-10, ...").
"""

from __future__ import annotations

import re
from typing import Any

from reprokit.paper.structure import section_label
from reprokit.text import normalise_space, parse_number, sentences

NUM = (r"(?:\$?\s*\d+(?:,\d{3})*(?:\.\d+)?\s*(?:[x×]|\\times)\s*10\s*\^\s*\{?\s*[-−]?\d+(?:\s*\})?(?:\s*\$)?"
       r"|\$?\s*10\s*\^\s*\{\s*[-−]?\d+\s*\}(?:\s*\$)?"
       r"|\$?\s*\d+(?:,\d{3})*(?:\.\d+)?(?:\s*[eE]\s*\^?\s*\{?[-−]?\d+\}?)?"
       r"(?:\s*(?:\\?%|[kKM]\b)|\s+(?:thousand|million|billion)\b)?(?:\s*\$)?"
       r"|\$?\d*\.\d+(?:\s*\$)?)")
LIST = rf"{NUM}(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)\s*{NUM})*"
MODEL = r"[A-Z][A-Za-z]*(?:-?[A-Z0-9][\w.]*)*(?:-\d+[A-Za-z]?)?"
KNOBS = (r"learning[- ]rates?|base learning rate|initial learning rate|batch[- ]sizes?|mini-?batch size|momentum|"
         r"weight[- ]decay|dropout(?: rate)?|temperature|warm-?up(?: steps| epochs)?|label smoothing|"
         r"step[- ]size|population size|memory size|decay rate|EMA (?:factor|decay)|moving average factor|"
         r"threshold|ratio|probability|coefficient|margin|rank|beta\d?|epsilon|gamma|lambda|alpha|"
         r"number of [a-z ]{3,30}|hidden (?:size|dimension)|embedding (?:size|dimension)|kernel size|"
         r"(?:imbalanced?|noise|mask|group|coreset) (?:ratio|rate|size)")
COUNT_UNITS = (r"epochs?|iterations?|(?:training |update |gradient |optimization |environment )?steps|times|runs|seeds|"
               r"layers|heads|examples|samples|augmentations|tasks|rounds|trials|GPUs|neighbors|clusters|prompts|"
               r"parameters|timesteps|time steps|trajectories|episodes|frames|transitions|(?:hidden )?units|neurons|"
               r"channels|filters")
DISCUSSION = re.compile(r"\b(Figure|Fig\.|Table|outperform\w*|improve\w*|achiev\w*|compared to|results? (show|in)|"
                        r"result(?:ing|ed) in|performance (?:is|was|drops|increases)|"
                        r"as (?:we )?(?:introduced|described|mentioned|shown) in|in contrast|the best|faster|slower|"
                        r"better|worse|leads? to|gets?|yields?)\b", re.IGNORECASE)
CHOICE = re.compile(r"\bworks? (?:best|better) (?:for|on|in)\b|\bis chosen for\b", re.IGNORECASE)
OPTIMIZERS = r"AdamW|Adam|SGD|RMSprop|Adagrad|Adafactor|LAMB|LARS|Lion|CMA-ES"
SKIP_SECTION = re.compile(r"^(introduction|related|references|bibliography|acknowledg|conclusion|impact|limitation)",
                          re.IGNORECASE)
MATH_ASSIGN = re.compile(r"\$(?P<name>[^$=]{1,30}?)\s*=\s*(?P<value>[-−]?\d+(?:\.\d+)?(?:\s*\\?%)?"
                         r"(?:\s*,\s*[-−]?\d+(?:\.\d+)?(?:\s*\\?%)?)*(?:\s*\\times[^$]*)?)\s*\$")
SCOPE = re.compile(r"\b(?i:for|on)\s+(?:the\s+)?(?P<scope>(?:[A-Z][\w-]*(?:\s*[-/]\s*[\w-]+)*(?:\s+[A-Z0-9][\w-]*)*)"
                   r"(?:\s*(?:,|and|/)\s*[A-Z][\w-]*(?:\s*[-/]\s*[\w-]+)*(?:\s+[A-Z0-9][\w-]*)*)*)")


def parse_value(raw: str) -> list[float | str]:
    """Every value in a written value: "0.2, 0.3, and 0.4" -> [0.2, 0.3, 0.4]; "$10^{-5}$" -> [1e-05]."""
    text = raw.replace("\\%", "%").replace("$", " ").replace("−", "-")
    # a comma splits unless it groups thousands (1,000,000); "{0,0.25,0.5}" is three values
    parts = re.split(r"\s*,\s+(?:and\s+|or\s+)?|\s*,(?=\s*\D)|,(?!\d{3}(?:\D|$))|\s+and\s+|\s+or\s+|\s*/\s*",
                     text.strip())
    values: list[float | str] = []
    for part in parts:
        part = part.strip().strip("{}()")
        if not part:
            continue
        compact = re.sub(r"\s+", "", part)
        compact = re.sub(r"^(\d+(?:\.\d+)?)e\^?\{?(-?\d+)\}?$", r"\1e\2", compact)
        number = parse_number(compact.replace("×", "x").replace("\\times", "x").replace("^{", "^").replace("}", ""),
                              percent="points")
        if number is not None:
            values.append(number)
        elif re.fullmatch(MODEL, part) or re.fullmatch(r"[A-Za-z][\w. -]{1,40}", part):
            values.append(part)
    return values


def _unit(raw: str, after: str) -> str:
    if "%" in raw:
        return "%"
    match = re.match(rf"\s*({COUNT_UNITS})\b", after)
    return match.group(1) if match else ""


LEAD_SCOPE = re.compile(r"^(?:For|On)\s+(?:the\s+)?(?P<scope>[^,]{3,120}?),\s")
GENERIC_TITLE = re.compile(r"\b(details?|implementation|hyper-?parameters?|settings?|setup|experiments?|results?|"
                           r"training|evaluation|method|model|architecture|analysis|ablations?|additional|more|"
                           r"baselines?|datasets?|protocols?|choices|introduction|discussion|overview)\b", re.IGNORECASE)


RUN_IN = re.compile(r"^(?P<lead>[A-Z][\w+\-]*(?:\s+[A-Z0-9][\w+\-]*){0,3}|[A-Z][\w+\-]*(?:\s+[A-Z0-9][\w+\-]*){0,3}"
                    r"\s+\([^)]{2,60}\))\.\s+(?=[A-Z])")


def section_scope(section: dict[str, Any]) -> str:
    """A scope a paragraph's run-in heading ("TENT (Wang et al., 2021). We ...") or a section's title gives its
    statements: "Evaluations on ImageNet-1k" (a for/on phrase), or a subsection named after one environment,
    task or dataset ("Shadow Hand", "Reacher")."""
    if section.get("lead_scope"):
        return re.sub(r"\s+\([^)]*\)$", "", section["lead_scope"])
    title = normalise_space(section.get("title") or "")
    on = [m.group("scope") for m in SCOPE.finditer(title)]
    if on:
        return on[-1].strip(" ,")
    words = title.split()
    if section.get("parent") and 0 < len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words) \
            and not GENERIC_TITLE.search(title):
        return title
    return ""


def _scope(sentence: str, name_span: tuple[int, int]) -> str:
    lead = LEAD_SCOPE.match(sentence)
    if lead and not re.match(r"(this|that|these|those|each|all|example|instance|simplicity|comparison|fairness|a |an )",
                             lead.group("scope"), re.IGNORECASE):
        return lead.group("scope").strip()
    found = [m for m in SCOPE.finditer(sentence) if not re.match(r"(The|This|We|Our|In|Eq|Table|Figure|Fig)\b",
                                                                 m.group("scope"))]
    if not found:
        return ""
    # the scope phrase nearest the value wins ("For CIFAR-10, ..." at the start counts for the whole sentence)
    return min(found, key=lambda m: abs(m.start() - name_span[0])).group("scope").strip(" ,")


def _clean_name(name: str) -> str:
    knob = re.search(KNOBS, name, re.IGNORECASE)
    if knob and knob.start() > 0 and "$" not in name:
        name = name[knob.start():]  # "Later the batch size" -> "batch size"
    name = re.sub(r"^(?:the|a|an|our|its|their|we|and|then|also)\s+", "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"\s+in Eqn?\.?.*$|\s+\(.*$|~?\\cite\S*", "", name)
    return normalise_space(name)[:80]


PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("set to", re.compile(rf"(?P<name>[^,.;:]{{2,80}}?)\s+(?:is|are|was|were)\s+(?:all\s+)?(?:set|fixed|chosen|"
                          rf"initiali[sz]ed|kept)\s+(?:to|as|at)\s+(?:be\s+)?(?P<value>{LIST}|{MODEL})", re.I)),
    ("we set", re.compile(rf"\bwe\s+(?:set|fix|choose|use|adopt|select)\s+(?:the\s+)?(?P<name>[^,.;]{{2,90}}?)\s+"
                          rf"(?:to|as|of|=)\s+(?P<value>{LIST})", re.I)),
    ("knob of", re.compile(rf"(?P<name>{KNOBS})\s*(?:\([^)]{{0,20}}\)\s*)?(?:of|=|is|was|:|equal to)\s+"
                           rf"(?P<value>{LIST})", re.I)),
    ("varies in", re.compile(rf"(?P<name>[^,.;]{{2,60}}?)\s+(?:varies|vary|ranges?)\s+(?:in|from|over|among)\s+"
                             rf"\{{?(?P<value>{LIST})\}}?", re.I)),
    ("chosen from", re.compile(rf"(?P<name>[^,.;]{{2,60}}?)\s+(?:is\s+|are\s+)?(?:chosen|selected|searched|tuned)\s+"
                               rf"(?:from|in|over|among)\s+\$?\\?\{{(?P<value>{LIST})\\?\}}", re.I)),
    ("we vary", re.compile(rf"\b(?:vary|varied|varying|sweep|swept|tune|tuned|search|searched)\s+(?:the\s+)?"
                           rf"(?P<name>[^,.;{{}}]{{1,40}}?)(?:\s+by\s+[^,.;{{}}]{{0,40}}?)?\s+(?:from|in|over|among|within|"
                           rf"across)\s+(?:(?:a|the)\s+(?:small\s+|following\s+)?(?:set|range|grid)\s+(?:of\s+)?)?"
                           rf"\$?\s*\\?\{{\s*(?P<value>{LIST})\s*\\?\}}", re.I)),
    ("dimension in", re.compile(r"(?i:dimension|dim\.?|size)[^.;]{0,60}?\$(?P<name>\\?[A-Za-z][^$]{0,25}?)\s*\\in\s*"
                                r"\\mathbb\s*\{?\s*R\s*\}?\s*\^\s*\{?\s*(?P<value>\d+)\s*\}?")),
    ("layer sizes", re.compile(r"(?P<name>hidden (?:layer )?(?:dimensions?|sizes?|units)|hidden layers? (?:dimensions?|"
                               r"sizes?))\s*(?:of\s+)?\$?\s*(?P<value>\d+(?:\s*(?:\\times|×)\s*\d+)+)", re.I)),
    ("in set", re.compile(rf"(?P<name>\$?\\?[A-Za-z][A-Za-z_]{{0,15}})\s*\$?\s*(?:\\in|∈)\s*\$?\s*\\?\{{\s*"
                          rf"(?P<value>{LIST})\s*\\?\}}")),
    ("repeated", re.compile(rf"(?P<name>repeated|averaged over|run)\s+(?P<value>{NUM})\s+(?:times|runs|seeds)", re.I)),
    ("count", re.compile(rf"(?<![\w.])(?P<value>{NUM})\s+(?P<name>{COUNT_UNITS})\b", re.I)),
    ("optimizer", re.compile(rf"(?:an?\s+|the\s+)?(?P<value>{OPTIMIZERS})\s+(?P<name>optimi[sz]er|as the update rule)"
                             rf"|(?P<name2>optimi[sz]ed|trained|updated)\s+(?:by|with|using)\s+(?P<value2>{OPTIMIZERS})\b")),
    ("schedule", re.compile(r"(?P<value>cosine|linear|step|exponential|polynomial|constant)\s+(?:learning[- ])?"
                            r"(?P<name>rate scheduler|(?:lr |learning rate )?schedul(?:e|er)|decay|annealing)", re.I)),
    ("model", re.compile(rf"\b(?i:we)\s+(?i:employ|use|utili[sz]e|adopt|experiment with)\s+(?:an?\s+|the\s+)?"
                         rf"(?P<value>{MODEL})(?:\$[^$]{{0,30}}\$)?(?:\s*\([^)]{{0,60}}\))?"
                         rf"(?:\s+(?P<name>for|as)\b|(?=\s*[,.;])|(?=\s+(?:followed by|and an?)\b))")),
    ("split of", re.compile(rf"(?:the\s+)?(?P<name>validation|training|test|dev)\s+(?:set|split)\s+of\s+(?P<value>{MODEL})")),
    ("we use values", re.compile(rf"(?P<name>[^,.;]{{3,60}}),\s+we\s+(?:use|adopt|set)\s+"
                                 rf"(?P<value>{NUM}(?:\s+and\s+{NUM})+)\s*[.;]", re.I)),
    ("arch is", re.compile(rf"(?P<name>[^,.;]{{2,60}}?(?:network|backbone|architecture|encoder|model)s?[^,.;]{{0,100}}?)"
                           rf"\s+(?:is|are|was|were)\s+(?P<value>{MODEL})\b")),
    ("level", re.compile(rf"(?P<name>(?:severity|noise|corruption|difficulty|compression) level)\s+(?P<value>{NUM})", re.I)),
    ("percent of", re.compile(rf"(?P<value>{NUM}\s*\\?%)\s+(?P<name>(?:[a-z-]+\s+){{0,2}}(?:noise|dropout|masking|"
                              rf"sparsity|pruning|corruption|of the (?:data|training set|examples)))", re.I)),
    ("initialised with", re.compile(r"initiali[sz]e[sd]?\s+(?P<name>[\w ]{1,30}?)\s+(?:with|using|from)\s+(?:an?\s+|the\s+)?"
                                    r"(?P<value>[A-Za-z-]+)\s+initiali[sz]ation", re.I)),
    ("subset", re.compile(r"(?:the\s+)?(?P<value>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)\s+(?P<name>subset|split|variant|version)\b")),
    ("symbol assign", re.compile(rf"\$(?P<name>\\?[A-Za-z][A-Za-z_{{}}\\]{{0,15}})\$\s*=\s*(?P<value>{NUM})")),
    ("sized", re.compile(r"(?<![\w.])(?P<value>\d+)-(?P<name>layer|block|head|stage)s?\b", re.I)),
    ("gpu count", re.compile(r"(?<![\w.])(?P<value>\d+)\s+(?:x\s+|×\s*)?(?:NVIDIA\s+|Tesla\s+)?(?:A100|V100|H100|A6000|"
                             r"A40|P100|T4|RTX\s?\d{4}\w*|TITAN\s?\w+)(?:\s+\d+\s*GB)?\s+GPUs?\b")),
    # a library option written as code: algorithm='ball_tree', metric=euclidean, \texttt{solver=lbfgs}
    ("code option", re.compile(r"(?<![\w$\\])(?P<name>[a-z][a-z0-9]*(?:_[a-z0-9]+)*)\s*=\s*[\"'`]?"
                               r"(?P<value>[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]{3,20})[\"'`]?(?![\w(])")),
    # non-numeric settings: numeric precision, a distance metric, the hardware
    ("precision", re.compile(r"(?P<value>\b(?:fp16|bf16|fp32|float16|bfloat16|mixed[- ]precision|half[- ]precision)\b)",
                             re.I)),
    ("distance", re.compile(r"(?P<value>\b(?:euclidean|cosine|manhattan|chebyshev|hamming|mahalanobis)\b)\s+"
                            r"(?:distance|similarity|metric)", re.I)),
    ("hardware", re.compile(r"(?:NVIDIA\s+)?(?P<value>\b(?:A100|V100|H100|A6000|A40|P100|T4|RTX\s?\d{4}\w*|TITAN\s?\w+|"
                            r"TPU\s?v\d)\b)")),
]


SWEEP = re.compile(r"\b(vary|varies|varied|varying|sweep\w*|grid|search\w*|tun(e|ed|ing)|range[sd]? (from|over|in)|"
                   r"chosen from|select\w* from|among|from a (small )?set|ablat\w*)\b|\\in\s*\\\{", re.IGNORECASE)


RESULT_NAME = re.compile(r"accuracy|\bacc\b|error|f1|bleu|rouge|\bauc\b|score|reward|return|success rate|"
                         r"perplexity|win rate|probabilit|\bem\b|exact match|precision|recall", re.IGNORECASE)
RESULT_SENTENCE = re.compile(r"\b(achiev\w*|reach\w*|obtain\w*|outperform\w*|improv\w*|drops?|gains?|results? in)\b",
                             re.IGNORECASE)
STATISTIC_NAME = re.compile(r"^(examples|samples|images|instances|classes|tasks|tokens|sentences|documents|users|"
                            r"items|pairs|videos|episodes)$", re.IGNORECASE)
HARDWARE = re.compile(r"\b(GPUs?|A100|V100|H100|RTX|TPUs?|CPUs?)\b")
DATASET_SENTENCE = re.compile(r"\b(contain\w*|consist\w*|compris\w*|dataset|split|training set|test set|"
                              r"validation set|in total)\b", re.IGNORECASE)


def _kind(name: str, pattern: str, sentence: str, raw: str) -> str:
    """setting, sweep, result, dataset statistic or hardware (only settings can conflict or be run values)."""
    if pattern in ("varies in", "chosen from") or SWEEP.search(sentence):
        return "sweep"
    if RESULT_NAME.search(name) and ("%" in raw or RESULT_SENTENCE.search(sentence) or DISCUSSION.search(sentence)):
        return "result"
    if pattern == "count" and STATISTIC_NAME.match(name.strip()) and DATASET_SENTENCE.search(sentence):
        return "dataset statistic"
    if HARDWARE.search(name) or pattern == "hardware":
        return "hardware"
    return "setting"


def table_scope(table: dict[str, Any], column: int) -> str:
    """What a hyperparameter table's value column is for: its header when the table has several value columns
    (one per environment, dataset or model), else what the caption says it is for ("for Shadow Hand")."""
    rows = table["rows"]
    if rows and len(rows[0]) > 2 and table.get("header_rows", 1) >= 1:
        return normalise_space(rows[table.get("header_rows", 1) - 1][column]["text"])
    return _scope(table.get("caption", ""), (0, 0))


def _emit(out: list[dict[str, Any]], *, name: str, raw: str, sentence: str, section: dict[str, Any],
          paper: dict[str, Any], origin: str, pattern: str, after: str = "", span: tuple[int, int] = (0, 0),
          where: str = "", scope: str | None = None) -> None:
    values = parse_value(raw)
    if not values or not name or (len(name) < 2 and pattern not in ("math", "symbol assign", "table row")):
        return
    at = sentence.find(name, span[0]) if sentence.find(name, span[0]) >= 0 else sentence.find(name)
    if at > 0 and sentence[at - 1].isalpha():  # the pattern started inside a word: take the whole word
        start = at
        while start > 0 and sentence[start - 1].isalpha():
            start -= 1
        name = sentence[start:at] + name
    if not re.search(r"[A-Za-z]", name):  # "$\\lambda$ in Eqn. (7) is set to": the symbol before is the name
        symbol = re.search(r"(\$[^$]{1,20}\$)[^$]*$", sentence[:max(at, 0)])
        if not symbol:
            return
        name = symbol.group(1)
    if re.fullmatch(r"\$?\\?[ijt]\$?", name.strip()) and values in ([0.0], [1.0]):
        return  # an index ("start time $t=0$", "we choose $i = 1$ to be the leader"), not a setting
    if pattern == "count" and name.lower() == "times":
        name = "repetitions"
    if isinstance(values[0], str) and values[0].lower() in ("the", "we", "this", "our", "each", "a", "an", "it"):
        return
    if all(isinstance(v, float) for v in values) and re.search(r"(Table|Figure|Fig\.|Eq\.|Section|Appendix)\s*~?$",
                                                              sentence[:max(0, span[0])]):
        return
    entry = {"name": normalise_space(name)[:80] if pattern == "table row" else _clean_name(name),
             "value": values[0] if len(values) == 1 else values, "raw": normalise_space(raw),
             "unit": _unit(raw, after),
             "scope": (_scope(sentence, span) or section_scope(section)) if scope is None else scope,
             "section": section["id"], "where": where or section_label(paper, section["id"]), "quote": sentence,
             "from": origin, "pattern": pattern,
             "kind": _kind(name, pattern, sentence, raw)}
    key = (_same_name(entry["name"]), repr(entry["value"]), entry["section"])
    if not any((_same_name(e["name"]), repr(e["value"]), e["section"]) == key for e in out):
        out.append(entry)


def _same_name(name: str) -> str:
    """A name as it is compared for duplicates: "$\\lambda$", "$\\lambda" and "lambda" are one."""
    return re.sub(r"[$\\{}\s]", "", name).lower()


def _sentence_statements(sentence: str, section: dict[str, Any], paper: dict[str, Any], origin: str,
                         out: list[dict[str, Any]]) -> None:
    for pattern_name, pattern in PATTERNS:
        matches = list(pattern.finditer(sentence))
        if pattern_name in ("precision", "distance", "hardware") and matches:  # one per sentence, the most specific
            matches = [max(matches, key=lambda m: bool(re.search(r"\d", m.group(0))))]
        for match in matches:
            groups = match.groupdict()
            name = groups.get("name") or groups.get("name2") or ""
            value = groups.get("value") or groups.get("value2") or ""
            if pattern_name == "count":
                name = f"{groups['name']}"
            elif pattern_name == "repeated":
                name = "repetitions"
            elif pattern_name == "optimizer":
                name = "optimizer"
            elif pattern_name == "layer sizes":
                value = re.sub(r"\s*(?:\\times|×)\s*", ", ", value)
            elif pattern_name == "dimension in":
                name = f"dimension of {name}"
            elif pattern_name == "sized":
                name = f"{name.lower()}s"
            elif pattern_name == "gpu count":
                name = "number of GPUs"
            elif pattern_name in ("precision", "distance", "hardware"):
                name = {"precision": "numeric precision", "distance": "distance metric", "hardware": "GPU"}[pattern_name]
            elif pattern_name == "schedule":
                name = "lr schedule"
            elif pattern_name == "model":
                after = sentence[match.end():match.end() + 60]
                name = f"uses {groups.get('name') or ''} {after.split(',')[0].split('.')[0]}".strip()
            elif pattern_name in ("subset", "initialised with"):
                name = f"{name} ({pattern_name})"
            if pattern_name in ("count", "knob of", "set to", "model", "arch is") and DISCUSSION.search(sentence):
                continue
            if pattern_name in ("set to", "we set", "varies in", "chosen from") and re.search(
                    r"\b(results?|accuracy|performance|shown|reported|improves?|outperforms?)\b", name, re.IGNORECASE):
                continue
            if pattern_name == "we set" and name.lower() in ("it", "them", "this", "that"):
                before = sentence[:match.start()]
                noun = re.search(r"(?:is|are)\s+(?:an?|the)\s+([\w -]{3,50}?)\s+(?:and|,)\s*$", before)
                name = noun.group(1) if noun else name
            names = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", name)
            values = parse_value(value)
            if pattern_name in ("set to", "we set") and len(names) > 1 and len(names) == len(values):
                for one_name, one_value in zip(names, re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", value.strip())):
                    _emit(out, name=one_name, raw=one_value, sentence=sentence, section=section, paper=paper,
                          origin=origin, pattern=pattern_name, span=match.span())
                continue
            _emit(out, name=name, raw=value, sentence=sentence, section=section, paper=paper, origin=origin,
                  pattern=pattern_name, after=sentence[match.end():match.end() + 30], span=match.span())
            if pattern_name in ("knob of", "set to", "we set"):  # "... 1e-5 for A and 1e-4 for B", "... on A, and 0.2 on B"
                for extra in re.finditer(rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?P<v>{NUM})(?:\s*\$[^$]{{0,30}}\$)?\s+(?:for|on)\b",
                                         sentence[match.end():]):
                    where = (match.end() + extra.end(), match.end() + extra.end())
                    _emit(out, name=name, raw=extra.group("v"), sentence=sentence, section=section, paper=paper,
                          origin=origin, pattern=pattern_name, span=where)
    chosen = CHOICE.search(sentence)  # "we find that $\sigma = 0$ works best for ...": the value chosen
    for match in MATH_ASSIGN.finditer(sentence):
        name = match.group("name").strip()
        if (DISCUSSION.search(sentence) and not chosen) or (re.search(r"_\{?[ijnt]\}?$", name)
                                                              and match.group("value") in ("0", "1")):
            continue
        if name.count("{") > name.count("}"):  # "= " inside a subscript: $\{m^t\}_{t=0}^{T}$ is an index range
            continue
        if re.fullmatch(r"[\\A-Za-z_{}^0-9 ]{1,25}", name) and not re.search(r"\\(sum|frac|int|mathcal)", name):
            _emit(out, name=name, raw=match.group("value").split("\\times")[0], sentence=sentence, section=section,
                  paper=paper, origin=origin, pattern="math", span=match.span())


def extract_statements(paper: dict[str, Any]) -> list[dict[str, Any]]:
    """All values the paper states in its experimental prose, footnotes, captions and hyperparameter tables."""
    out: list[dict[str, Any]] = []
    skipped = {s["id"] for s in paper["sections"] if SKIP_SECTION.match(s["title"] or "") or s["kind"] == "front"}
    for section in paper["sections"]:
        if section["id"] in skipped or section.get("parent") in skipped:
            continue
        for paragraph in section["paragraphs"]:
            lead = RUN_IN.match(paragraph)  # "TENT (Wang et al., 2021). ...": the paragraph is about TENT
            where = {**section, "lead_scope": lead.group("lead")} if lead and not GENERIC_TITLE.search(
                lead.group("lead")) else section
            for sentence in sentences(paragraph):
                _sentence_statements(sentence, where, paper, "prose", out)
    by_id = {s["id"]: s for s in paper["sections"]}
    for table in paper.get("tables", []):
        section = by_id.get(table.get("section") or "", {"id": table.get("section") or "", "number": "", "title": ""})
        if table["kind"] == "hyperparameters":
            for row in table["rows"][table.get("header_rows", 1):]:
                if len(row) >= 2 and row[0]["text"] and row[1]["text"]:
                    for column, cell in enumerate(row[1:], 1):
                        if cell.get("span_of"):
                            continue
                        _emit(out, name=row[0]["text"], raw=cell["text"], sentence=" | ".join(c["text"] for c in row),
                              section=section, paper=paper, origin="table", pattern="table row",
                              where=f"Table {table['number'] or '?'}", scope=table_scope(table, column))
        if table.get("caption") and table["kind"] == "hyperparameters":
            _sentence_statements(table["caption"], section, paper, "caption", out)
    # one sentence giving one name several values for one scope ("low when p=0 or p=1") is a sweep, not a setting
    values: dict[tuple[str, str, str], set[str]] = {}

    def key(entry: dict[str, Any]) -> tuple[str, str, str]:
        return entry["quote"], entry["name"].strip("$\\ ").lower(), entry["scope"]

    def numeric(entry: dict[str, Any]) -> bool:
        return entry["from"] != "table" and all(isinstance(v, float) for v in (
            entry["value"] if isinstance(entry["value"], list) else [entry["value"]]))

    for entry in filter(numeric, out):
        values.setdefault(key(entry), set()).add(repr(entry["value"]))
    for entry in filter(numeric, out):  # several numbers for one name and one scope in one sentence
        if len(values[key(entry)]) > 1:
            entry["kind"] = "sweep"
        # "set to 1000, 2000, 3000 and 4000 respectively": one value per run or dataset, not one setting
        listed = entry["value"] if isinstance(entry["value"], list) else []
        if len(set(listed)) > 1 and re.search(r"\brespectively\b", entry["quote"]):
            entry["kind"] = "sweep"
    return out
