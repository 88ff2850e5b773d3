"""Tables from LaTeXML HTML: a faithful cell grid (spans expanded), values split from their ± spread."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from reprokit.text import parse_number

STRONG_HPARAM = re.compile(r"hyper-?param|training details|implementation details|training configuration",
                           re.IGNORECASE)
HPARAM_CAPTION = re.compile(r"settings?\b|configuration", re.IGNORECASE)
DATASET_ROWS = re.compile(r"#\s*(samples|examples|images|classes)|\b(train(ing)? (set|size|samples)|test (set|size)|"
                          r"classes|vocabulary)\b", re.IGNORECASE)
HPARAM_KNOBS = re.compile(
    # (and as a table's header writes them short: "lr | batch | epoch | decay", a new user's BERT distillation paper)
    r"learning rate|\blr\b|batch size|epochs?|steps|optimi[sz]er|weight decay|momentum|warm-?up|dropout|"
    r"schedule|iterations|betas?|hidden|layers|\bbatch\b|\bbsz\b|\bwd\b|\bdecay\b",
    re.IGNORECASE,
)
DATASET_CAPTION = re.compile(r"statistic|#\s*(samples|examples|images)|number of (samples|examples|images|classes)"
                             r"|dataset (sizes|details|summary)", re.IGNORECASE)
# a table that says which model, checkpoint or weights each variant uses ("Model specification. ... we specify the
# timm model that we use"): read a row at a time, like a statistics table, but its cells are names
SPEC_CAPTION = re.compile(r"\bspecifications?\b|\bcheckpoints?\b|\bpre-?trained (?:models|weights)\b", re.IGNORECASE)
RESULTS_FIRST = re.compile(r"\s*(?:Table\s*\d+\s*[:.]?\s*)?results?\b", re.IGNORECASE)  # (its first sentence naming
# no setting: "Comparison of training settings of ViT and DeiT." is a settings table)
STUDY_FIRST = re.compile(r"\s*(?:Table\s*\d+\s*[:.]?\s*)?(?:[\w-]+\s+){0,2}(?:analysis|sensitivity|ablations?|study)\b",
                         re.IGNORECASE)
RESULTS_CAPTION = re.compile(
    r"accuracy|result|performance|error|score|compar|f1|bleu|rouge|auc|top-?1|reward|perplexity|win rate|"
    r"success|return|mse|mae|evaluat\w*|efficiency|ablation|probabilit\w*|(?<!learning )rate\b",
    re.IGNORECASE,
)
_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)"  # 0.912 or, as tables often print it, .912
_SPREAD = re.compile(
    rf"^\s*(?P<value>[-+\u2212]?{_NUM})\s*(?P<pct>%)?\s*(?:(?:\u00b1|\+/-|\+-|\\pm)\s*(?P<std>{_NUM})"
    rf"|\(\s*(?P<paren>{_NUM})\s*\))?\s*%?\s*$"
)


LATEX_MARK = re.compile(r"\\(mathbf|textbf|bm|boldsymbol|underline|uline|mathrm|textrm|text|mathit|textit|emph"
                        r"|bf|bfseries|it|itshape|rm)(?![A-Za-z])\s*")
ARROW = re.compile(r"\\(?:uparrow|downarrow)(?![A-Za-z])|[\u2191\u2193]")  # "22.2% ↓": which way is better
# a colour's specification (\color[rgb]{0,0.45,0.81}, \textcolor{blue}, \cellcolor{gray!20}): not the cell's text
LATEX_COLOR = re.compile(r"\\(?:color|textcolor|cellcolor|colorbox|rowcolor)\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}")
# a script on an empty base beside a number (${}^{\dagger}$, ${}_{(-0.06)}$): a mark or a delta, unless a spread
EMPTY_BASE_SCRIPT = re.compile(r"\{\}\s*[_^]\s*\{(?:(?!\\pm)[^{}])*\}")


# a table rule LaTeXML left as text where its package was missing ("\\hdashlineASR-ROB": arydshln's dashed rule)
RULE_MACRO = re.compile(r"\\(?:hdashline|hlineB|hline|toprule|midrule|bottomrule|Xhline|cdashline|cline|cmidrule|specialrule|"
                        r"rowcolor)(?![a-z])(?:\s*(?:\[[^\]]*\]|\([^)]*\)|\{[^}]*\}))*")

def split_value(text: str) -> tuple[float | None, float | None]:
    """``"94.2 ± 0.3"`` -> (94.2, 0.3); ``"94"`` -> (94.0, None); non-numbers -> (None, None)."""
    clean = ARROW.sub(" ", LATEX_MARK.sub("", EMPTY_BASE_SCRIPT.sub("", LATEX_COLOR.sub("", text))))
    clean = clean.replace("$", "").replace("_{", " ").replace("^{", " ").replace("}", " ").replace("{", " ")
    clean = clean.replace("\\%", "%").replace("\\pm", "\u00b1").replace("\\,", "").strip()
    match = _SPREAD.match(clean)
    if not match:
        value = parse_number(clean, percent="points")
        return value, None
    value = float(match.group("value").replace("\u2212", "-"))
    spread = match.group("std") or match.group("paren")
    return value, (float(spread) if spread else None)


def _cell_marks(cell: etree._Element, text: str) -> tuple[bool, bool]:
    classes = " ".join((el.get("class") or "") for el in cell.iter() if isinstance(el.tag, str))
    bold = "ltx_font_bold" in classes or cell.find(".//b") is not None or cell.find(".//strong") is not None \
        or bool(re.search(r"\\(mathbf|textbf|bm|boldsymbol|bf|bfseries)\b", text))
    underline = "ltx_framed_underline" in classes or "ltx_font_underline" in classes or cell.find(".//u") is not None \
        or bool(re.search(r"\\(underline|uline)\b", text))
    return bold, underline


def _without_superscripts(cell: etree._Element) -> etree._Element | None:
    """A copy of the cell with its superscripts emptied (``53.5<sup>c</sup>``: a footnote mark; ``128<sup>↑67</sup>``:
    a delta), or None when it has none."""
    if not cell.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_sup ')]"):
        return None
    bare = copy.deepcopy(cell)
    for sup in bare.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_sup ')]"):
        sup[:] = []
        sup.text = None  # its tail, the text after it, stays
    return bare


def _rows(table: etree._Element) -> list[tuple[etree._Element, bool]]:
    rows = []
    for tr in table.iter("tr"):
        if tr.xpath("ancestor::table[1]")[0] is not table:
            continue  # a row of a nested table
        in_head = bool(tr.xpath("ancestor::thead")) and tr.xpath("ancestor::thead/ancestor::table[1]")[0] is table
        rows.append((tr, in_head))
    return rows


def columns_name_settings(header: list[dict[str, Any]]) -> bool:
    """Do at least half the value columns of this header row name a setting? (a column per setting, a row per
    what it is set for: "LM Tuning Technique | Learning Rate")"""
    return len(header) > 1 and sum(bool(HPARAM_KNOBS.search(c["text"])) for c in header[1:]) * 2 >= len(header) - 1


def classify(caption: str, rows: list[list[dict[str, Any]]]) -> str:
    """hyperparameters, results, dataset statistics, specifications or other, by caption and content together: row
    labels that name settings, a caption that says what the table is, a body of measured numbers (spreads, bold
    best), a body of names."""
    labels = [r[0]["text"] for r in rows[1:] if r and r[0]["text"]]
    header = " ".join(c["text"] for c in rows[0]) if rows else ""
    body = [c for r in rows[1:] for c in r[1:]]
    numeric = sum(1 for c in body if c["value"] is not None)
    # (a label that sets a value, "Fixed KL, $\beta=0.3$", names the condition its row measures, not a setting the
    # row's cells give: a new user's RL paper)
    knob_labels = sum(1 for label in labels if HPARAM_KNOBS.search(label)
                      and not re.search(r"=\s*[-\d.]", re.sub(r"\([^()]*\)", "", label)))  # ("Batch size ($B=1024$)": a setting)
    first = re.split(r"\.\s", caption)[0]  # the caption's first sentence
    scores = {
        "hyperparameters": 3 * bool(STRONG_HPARAM.search(caption) or STRONG_HPARAM.search(header))
        + bool(HPARAM_CAPTION.search(caption)) + (2 if labels and knob_labels / len(labels) >= 0.5 else knob_labels >= 2)
        + 2 * bool(rows and columns_name_settings(rows[0])),
        "dataset statistics": 2 * bool(DATASET_CAPTION.search(caption)) + bool(DATASET_ROWS.search(" ".join(labels))),
        "results": 2 * bool(RESULTS_CAPTION.search(caption) or RESULTS_CAPTION.search(header))
        + bool(body and numeric / len(body) >= 0.5) + any(c["std"] is not None or c["bold"] for c in body)
        # a caption that opens with what it reports ("Results from continuous control benchmark. Average normalized
        # scores ... for each algorithm / hyperparameter setting", a new user's RL paper) is a results table
        + 2 * bool(RESULTS_FIRST.match(caption) and not STRONG_HPARAM.search(first)
                   and not HPARAM_CAPTION.search(first))
        # ... and one that opens with the study it reports ("Hyperparameter analysis of different adaptation approaches
        # ... Performance is measured in validation accuracy", a new user's LoRA paper)
        + 2 * bool(STUDY_FIRST.match(caption) and RESULTS_CAPTION.search(caption) and not HPARAM_CAPTION.search(caption)),
    }
    kind, score = max(scores.items(), key=lambda item: item[1])  # ties: the order above
    if kind == "results" and score >= 1 or score >= 2:
        return kind
    named = sum(1 for c in body if c["text"] and c["value"] is None)
    if SPEC_CAPTION.search(caption) and body and named / len(body) >= 0.8 and len(rows[0]) >= 2:
        return "specifications"  # one row per model, one column per what it is built from
    return "other"


def parse_table(table: etree._Element, *, table_id: str, number: str, caption: str, section: str | None,
                text_of: Callable[[etree._Element], str]) -> dict[str, Any]:
    """One ``ltx_tabular`` as a grid: ``rows[r][c]`` with spans expanded (spanned copies say ``span_of``)."""
    grid: dict[tuple[int, int], dict[str, Any]] = {}
    head_rows = 0
    raw_rows = _rows(table)
    rule_above: set[int] = set()  # rows with a horizontal rule right above them (\hline, \midrule)
    for r, (tr, in_head) in enumerate(raw_rows):
        c = 0
        all_header = True
        classes = [cell.get("class") or "" for cell in tr if isinstance(cell.tag, str)]
        if classes and all("ltx_border_t" in cls or "ltx_border_tt" in cls for cls in classes):
            rule_above.add(r)
        if classes and all(re.search(r"ltx_border_bb?\b", cls) for cls in classes):
            rule_above.add(r + 1)
        for cell in tr:
            if not isinstance(cell.tag, str) or etree.QName(cell).localname not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            colspan = int(cell.get("colspan") or 1)
            rowspan = int(cell.get("rowspan") or 1)
            text = RULE_MACRO.sub("", text_of(cell)).strip()
            value, std = split_value(text)
            if value is None and (bare := _without_superscripts(cell)) is not None:
                value, std = split_value(text_of(bare))  # the number beside a superscript mark or delta
            bold, underline = _cell_marks(cell, text)
            cls = cell.get("class") or ""
            is_header = in_head or etree.QName(cell).localname == "th" or "ltx_th_column" in cls
            all_header = all_header and is_header
            entry = {"text": text, "value": value, "std": std, "bold": bold, "underline": underline,
                     "header": is_header, "colspan": colspan, "rowspan": rowspan}
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr == 0 and dc == 0:
                        grid[(r, c)] = entry
                    else:
                        grid[(r + dr, c + dc)] = {**entry, "span_of": [r, c]}
            c += colspan
        if all_header and r == head_rows:
            head_rows += 1
    n_rows = max((k[0] for k in grid), default=-1) + 1
    n_cols = max((k[1] for k in grid), default=-1) + 1
    empty = {"text": "", "value": None, "std": None, "bold": False, "underline": False, "header": False,
             "colspan": 1, "rowspan": 1}
    rows = [[grid.get((r, c), dict(empty)) for c in range(n_cols)] for r in range(n_rows)]
    if head_rows == 0:
        # LaTeX tables rarely mark headers: leading rows with no numbers past the first column are headers, up
        # to a full-width rule above a row that has its own label ("Optimizer | Adam" under "Name | Value")
        while head_rows < min(4, len(rows) - 1) and all(c["value"] is None for c in rows[head_rows][1:]) \
                and any(c["text"] for c in rows[head_rows]):
            first = rows[head_rows][0]
            if head_rows > 0 and head_rows in rule_above and first["text"] and "span_of" not in first:
                break
            last = rows[head_rows][-1]
            if head_rows > 0 and len(rows[head_rows]) > 2 and last.get("span_of") and last["span_of"][0] == head_rows \
                    and last["span_of"][1] >= 1 and rows[head_rows][last["span_of"][1]]["colspan"] >= 2:
                break  # one cell across every value column: a value all columns share ("Optimizer | AdamW" under the
                # tasks of a new user's LoRA table) or a divider ("Training"), not a row of column names
            head_rows += 1
    return {
        "id": table_id,
        "number": number,
        "caption": caption,
        "section": section,
        "header_rows": head_rows,
        "rows": rows,
        "kind": classify(caption, rows),
    }


def column_headers(table: dict[str, Any]) -> list[str]:
    """Each column's header: the texts of its header rows, joined."""
    rows = table["rows"]
    head = table.get("header_rows", 1) or 0
    return [" ".join(rows[r][c]["text"] for r in range(head)) for c in range(len(rows[0]) if rows else 0)]


def _label_key(text: str) -> str:
    """A label as it is matched: case and spacing ignored, markup left out ("**MLP**", "$\\text{MLP}$", "MSE ↓")."""
    text = ARROW.sub(" ", LATEX_MARK.sub("", LATEX_COLOR.sub("", text)))
    text = re.sub(r"[*_$`{}]|\\[a-zA-Z]+", " ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def match_label(wanted: str, labels: list[str]) -> list[int]:
    """The indices of ``labels`` that ``wanted`` names: the labels equal to it (case, spacing and markup
    ignored); if none, those that hold it as whole words ("Test MSE" names "Test MSE (x1e-3)"). One rule for
    ``paper_row`` and ``metric_column``, rows and columns alike."""
    key = _label_key(wanted)
    if not key:
        return []
    keys = [_label_key(label) for label in labels]
    exact = [i for i, k in enumerate(keys) if k == key]
    if exact:
        return exact
    pattern = re.compile(rf"(?<![\w]){re.escape(key)}(?![\w])")
    return [i for i, k in enumerate(keys) if pattern.search(k)]


def label_columns(table: dict[str, Any]) -> int:
    """How many leading columns label the rows: the first, and the next ones (up to three in all) that hold no
    number in any row, while a column with numbers follows ("Dataset | Method | Accuracy ...": a row is "MNIST
    Proposed")."""
    head = table.get("header_rows", 1) or 0
    body = [row for row in table["rows"][head:] if row]
    width = min((len(row) for row in body), default=0)
    count = 1
    while count < min(3, width - 1) and all(row[count]["value"] is None for row in body) \
            and any(row[count]["text"].strip() for row in body):
        count += 1
    return count


def row_labels(table: dict[str, Any]) -> list[str]:
    head, count = table.get("header_rows", 1) or 0, label_columns(table)
    return [" ".join(c["text"] for c in row[:count] if c["text"].strip()) if row else "" for row in table["rows"][head:]]


BUDGET = re.compile(r"(?i)(?:(?<![\w.])(?P<n1>\d[\d,]*(?:\.\d+)?\s*[kKM]?)\s*(?P<u1>epochs?|steps?|iterations?|iters?|"
                    r"updates?)\b|\b(?P<u2>epochs?|steps?|iterations?|iters?)\s*(?P<n2>\d[\d,]*(?:\.\d+)?\s*[kKM]?)(?![\w.]))")


def budget_of(label: str) -> tuple[float, str] | None:
    """The training budget a label names: "10 epochs" -> (10, "epochs"), "Step 1k" -> (1000, "steps"); else None."""
    match = BUDGET.search(label)
    if not match:
        return None
    number = parse_number((match.group("n1") or match.group("n2")).replace(" ", ""))
    unit = (match.group("u1") or match.group("u2")).lower()
    return (number, "epochs" if unit.startswith("epoch") else "steps") if number is not None else None


def find_cells(table: dict[str, Any], model_label: str, metric_label: str | None
               ) -> tuple[list[tuple[dict[str, Any], str, tuple[float, str] | None]], str]:
    """The cells of ``model_label`` and ``metric_label`` in a results table with its models as rows (the metric
    a column) or as columns (the metric a row): one cell, or one per training budget when the metric's label
    names several that each carry a budget ("Acc. 10 epochs", "Acc. 50 epochs"); each with where it is ("row
    'MLP', column 'Test MSE'") and its budget. None found: an empty list and why, naming the candidates."""
    head, first = table.get("header_rows", 1) or 0, label_columns(table)
    body = table["rows"][head:]
    rows, columns = row_labels(table), column_headers(table)
    name = f"Table {table['number'] or '?'}"
    as_row = match_label(model_label, rows)
    as_column = [c + first for c in match_label(model_label, columns[first:])]
    if len(as_row) > 1 or (not as_row and len(as_column) > 1):
        found = [rows[r] for r in as_row] if as_row else [columns[c] for c in as_column]
        return [], f"{model_label!r} names {len(found)} labels of {name} ({'; '.join(found)})"
    # the model's line (its row, or its column) as (label on the other side, cell): one path for both orientations
    if as_row:
        r = as_row[0]
        line = [(columns[c], body[r][c]) for c in range(first, min(len(body[r]), len(columns)))]
        other, where = "column", lambda label: f"row {rows[r]!r}, column {label!r}"
    elif as_column:
        c = as_column[0]
        line = [(rows[r], body[r][c]) for r in range(len(body)) if c < len(body[r])]
        other, where = "row", lambda label: f"column {columns[c]!r}, row {label!r}"
    else:
        return [], f"{model_label!r} is neither a row label nor a column header of {name}"
    with_value = [i for i, (_, cell) in enumerate(line) if cell["value"] is not None]
    wanted = match_label(metric_label, [label for label, _ in line]) if metric_label else with_value[:1]
    cells = [line[i] for i in wanted if i in with_value]
    if len(cells) == 1:
        label, cell = cells[0]
        return [(cell, f"{name}, {where(label)}", budget_of(label))], ""
    if not cells:
        return [], (f"metric_column {metric_label!r} names no {other} with a value for {model_label!r} in {name} "
                    f"(its {other}s with a value: {'; '.join(line[i][0] for i in with_value) or 'none'})")
    budgets = [budget_of(label) for label, _ in cells]
    if all(budgets) and len(set(budgets)) == len(budgets) and len({u for _, u in budgets}) == 1:
        return [(cell, f"{name}, {where(label)}", budget) for (label, cell), budget in zip(cells, budgets)], ""
    return [], (f"metric_column {metric_label!r} names {len(cells)} {other}s with a value for {model_label!r} in {name} "
                f"({'; '.join(where(label) for label, _ in cells)})")
