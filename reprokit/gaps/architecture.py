"""Stage 3's check of the official code's named layer sizes against the sizes the paper states (its statements:
the one reading of the paper), shown in stage 2's inventory.md and read by the upstream route; the inventory is
given it by its rule, so the code stage never imports the gap analysis."""

from __future__ import annotations

import re
from typing import Any

from reprokit.code.inventory import code_place, image_widths
from reprokit.gaps.statements import extract_statements
from reprokit.text import model_words

ARCH_KINDS = [  # (kind, paper words, code parameter names)
    ("width", r"hidden units|units|neurons|hidden (?:size|dimension|width)|width|dimensions?|embedding (?:size|dimension)",
     r"hidden(_size|_dim|_units|_width)?|out_features|in_features|d_model|width|units|embed(ding)?_dim|dim|"
     # (the word language models' short names: pytorch/examples' and salesforce/awd-lstm-lm's nhid, emsize, ninp;
     # GPT-2's n_embd)
     r"n_?hid(den)?|hid(den)?_?dim|emsize|emb(ed(ding)?)?_?(size|dim)|ninp|n_?embd?"),
    ("channels", r"channels|filters", r"(out_|in_)?channels|filters|n_filters"),
    ("layers", r"layers", r"(num_|n_?)layers?|layers|depth|n_?blocks|num_blocks"),
    ("heads", r"heads", r"(num_|n_?)heads?|heads|nhead"),
    ("kernel", r"kernel size|kernel", r"kernel(_size)?"),
]


# the part of a model a size is of: "the decoder has 8 blocks and a width of 512" is not the encoder's embed_dim=1024
# (a new user's MAE paper and repository: a false "the paper states width 512, not 1024"), nor a GAN's generator's
# channels its discriminator's
PART = re.compile(r"(?<![a-z])(encoder|decoder|generator|discriminator|critic|actor|teacher|student)s?(?![a-z])", re.IGNORECASE)
CODE_PART = re.compile(r"^(enc|encoder|dec|decoder|gen|generator|disc|discriminator|critic|actor|teacher|student)_(.+)$",
                       re.IGNORECASE)
PART_OF = {"enc": "encoder", "dec": "decoder", "gen": "generator", "disc": "discriminator"}


def _paper_parts(sentence: str, titles: str, at: tuple[int, int] = (0, 0)) -> frozenset[str]:
    """The model part a size (at ``at`` in its sentence) is stated for: the part its sentence names last before it
    ("the generator has 64 channels and the discriminator 128"), else first after it, else those its section's
    titles name."""
    start = max([sentence.rfind(mark, 0, at[0]) + 1 for mark in ",;:("] + [at[0] - 40, 0])
    ends = [i for i in (sentence.find(mark, at[1]) for mark in ",;:)") if i >= 0]
    end = min(ends + [at[1] + 30, len(sentence)])  # (the value's own clause: "ResNet-50 as the base encoder, and a
    # 2-layer MLP projection head" states no encoder's layers)
    before = [m.group(1).lower() for m in PART.finditer(sentence, start, at[0])]
    after = [m.group(1).lower() for m in PART.finditer(sentence, at[1], end)]
    return frozenset(before[-1:] or after[:1]) or frozenset(m.lower() for m in PART.findall(titles))


def _code_part(name: str, scope: str) -> tuple[str, frozenset[str]]:
    """A code parameter's name without its part (``decoder_embed_dim`` -> ``embed_dim``) and the parts it or its
    class is of ({decoder}; a ``Generator`` class's ``channels``: {generator})."""
    match = CODE_PART.match(name)
    if match:
        part = match.group(1).lower()
        return match.group(2), frozenset({PART_OF.get(part, part)})
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", scope)
    return name, frozenset(m.lower() for m in PART.findall(spaced))


def _arch_kind(words: str, code: bool) -> str | None:
    for kind, paper_words, code_names in ARCH_KINDS:
        if re.fullmatch(code_names, words, re.IGNORECASE) if code else re.search(paper_words, words, re.IGNORECASE):
            return kind
    return None


def architecture_check(paper: dict[str, Any], hparams: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Named layer sizes in the code (``hidden_size=128``, ``out_channels=32``, ``num_layers=2``) against the
    sizes the paper names for the same thing ("128 hidden units", "32 filters"); a size the paper states for a
    named model only against code that names that model (the GRU's 6 hidden units are neither the MLP's width
    nor a settings dictionary's); unnamed positional sizes are not compared, a bag of numbers proves nothing."""
    stated: dict[tuple[str, int, frozenset[str]], tuple[str, frozenset[str]]] = {}
    by_id = {s["id"]: s for s in paper.get("sections", []) if s.get("id")}
    for statement in extract_statements(paper) if paper.get("sections") else []:
        kind = _arch_kind(statement["name"], code=False)
        if kind is None or statement["kind"] not in ("setting", "sweep"):
            continue  # (not a margin, "beating the state of the art by approximately 1 unit", nor cited work's sizes)
        titles, up = [], by_id.get(statement["section"] or "")
        while up is not None:  # (a paragraph heading's part, "Decoder design.", and its section's)
            titles.append(up.get("title") or "")
            up = by_id.get(up.get("parent") or "")
        if any(re.search(r"related|introduction|reference|background|prior work", t, re.IGNORECASE) for t in titles):
            continue  # (others' sizes: "found shallow LSTMs of one or two layers worked best", a related-work section)
        if statement.get("from") == "caption" or statement.get("where", "").startswith("Table"):
            titles.append(next((t.get("caption") or "" for t in paper.get("tables", [])
                                if f"Table {t.get('number')}" == statement.get("where")), ""))
        quote, raw = statement["quote"], statement.get("raw") or ""
        at = quote.find(raw) if raw else -1
        parts = _paper_parts(f"{statement['name']} {quote}" if at < 0 else quote, " ".join(titles),
                             (at, at + len(raw)) if at >= 0 else (len(statement["name"]), len(statement["name"])))
        values = statement["value"] if isinstance(statement["value"], list) else [statement["value"]]
        for value in values:
            if isinstance(value, float) and value.is_integer() and value > 1:
                key = (kind, int(value), parts)
                where, words = stated.get(key, (statement["where"], frozenset()))
                stated[key] = (where, words | model_words(f"{statement['name']} {statement.get('scope') or ''} {quote}"))
    named_models = frozenset().union(*(words for _, words in stated.values()))
    images = {id(h) for h in image_widths(hparams)}  # (an image's width is no layer's)
    out = []
    matched: set[tuple[str, int, frozenset[str]]] = set()
    for h in hparams:
        name, parts = _code_part(str(h["name"]).split(".")[-1], str(h.get("scope", "")))
        kind = _arch_kind(name, code=True)
        values = h["value"] if isinstance(h["value"], list) else [h["value"]]
        ints = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v > 1]
        if not kind or not ints or id(h) in images:
            continue
        mine = model_words(f"{h.get('scope', '')} {h['name']}") or (named_models if len(named_models) == 1 else frozenset())
        # a size the paper states for a named model compares with that model's code only, and one stated for a part
        # (the decoder) with that part's only; where the paper sizes one kind of model only (a three-layer LSTM), a
        # setting that names none (awd-lstm-lm's --nhid) is that model's
        same_model = {key[:2]: where for key, (where, words) in stated.items()
                      if (not words or words & mine) and (key[2] & parts if key[2] or parts else True)}
        found = [(kind, v) for v in ints if (kind, v) in same_model]
        matched.update(key for key in stated if key[:2] in found and (key[2] & parts if key[2] or parts else True))
        missing = [v for v in ints if (kind, v) not in same_model]
        same_kind = sorted(v for k, v in same_model if k == kind)
        status = (f"matches the paper ({', '.join(same_model[f] for f in found)})" if not missing else
                  f"the paper states {kind} {', '.join(map(str, same_kind))}, not {', '.join(map(str, missing))}"
                  if same_kind else f"the paper states no {kind}" + (f" for the {'/'.join(sorted(mine)).upper()}" if mine
                                                                     else f" for the {'/'.join(sorted(parts))}" if parts
                                                                     else ""))
        out.append({"where": code_place(h), "code": f"{h['name']}={h['value']!r}", "status": status,
                    "models": sorted(mine)})
    for (kind, value, parts), (where, _) in sorted(stated.items(), key=lambda kv: (kv[0][0], kv[0][1], sorted(kv[0][2]))):
        if (kind, value, parts) not in matched:
            of = f" of the {'/'.join(sorted(parts))}" if parts else ""
            out.append({"where": f"paper {where}", "code": "-",
                        "status": f"the paper states {kind} {value}{of}; no named layer argument in the code has it"})
    return out
