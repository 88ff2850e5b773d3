import json
import math
import os
import re

import pytest

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.paper import extract, parse_any, parse_html, render_markdown
from reprokit.paper.fetch import fetch_paper
from reprokit.paper.markdown import parse_markdown
from tests.conftest import EXAMPLE_HTML, SHARED_PAPERS, require_shared, shared_papers


def test_header_fields(example_paper):
    assert example_paper["title"] == "A Restatement of the MNIST-1D Benchmark Experiment"
    assert example_paper["authors"] == ["The reprokit project"]
    assert example_paper["venue"] == "ICML 2024"
    assert example_paper["arxiv_id"] == "2011.14439"
    assert example_paper["code_links"] == ["https://github.com/greydanus/mnist1d"]
    assert example_paper["abstract"].startswith("MNIST-1D is a procedurally generated")


def test_sections_have_numbers_titles_and_stable_ids(example_paper):
    got = [(s["id"], s["number"], s["title"]) for s in example_paper["sections"]]
    assert ("S3.SS1", "3.1", "Models") in got
    assert ("S3.SS2", "3.2", "Training") in got
    training = next(s for s in example_paper["sections"] if s["id"] == "S3.SS2")
    assert training["parent"] == "S3"
    assert any("learning rate of 0.01" in p for p in training["paragraphs"])


def test_tables_are_classified_with_a_faithful_grid(example_paper):
    kinds = {t["number"]: t["kind"] for t in example_paper["tables"]}
    assert kinds == {"1": "hyperparameters", "2": "results"}
    results = next(t for t in example_paper["tables"] if t["kind"] == "results")
    assert results["header_rows"] == 1
    assert [r[0]["text"] for r in results["rows"][1:]] == ["Logistic regression", "MLP", "CNN", "GRU"]
    assert [r[1]["value"] for r in results["rows"][1:]] == [32, 68, 94, 91]


def test_equations_algorithms_caveats(example_paper):
    (eq,) = example_paper["equations"]
    assert eq["numbers"] == ["1"] and eq["latex"].startswith("\\mathcal{L}(\\theta)")
    assert "%" not in eq["latex"]
    (alg,) = example_paper["algorithms"]
    assert alg["lines"][0].startswith("initialise the model parameters")
    assert len(alg["lines"]) == 9
    caveats = [c["text"] for c in example_paper["caveats"]]
    assert any(c.startswith("In our experiments") for c in caveats)
    assert any(c.startswith("We found") for c in caveats)


def test_open_questions_point_at_the_sentence_that_raised_them(example_paper):
    questions = example_paper["open_questions"]
    knobs = {q["knob"] for q in questions}
    assert {"optimizer.betas", "optimizer.weight_decay", "architecture.width", "init"} <= knobs
    assert len(questions) >= 3
    width = next(q for q in questions if q["knob"] == "architecture.width")
    assert "two hidden layers" in width["sentence"] and width["section"] == "S3.SS1"


def test_markdown_has_the_seed_sections(example_paper):
    md = render_markdown(example_paper)
    for heading in ("## Method", "## Hyperparameter tables", "## Algorithm boxes", "## Loss formulation",
                    "## Results tables", "## Caveats", "# Open questions"):
        assert heading in md


def test_extract_writes_twins_atomically(tmp_path):
    fetch_paper(str(EXAMPLE_HTML), tmp_path / "source")
    extract(tmp_path / "source", tmp_path / "paper.md", tmp_path / "paper.json")
    data = json.loads((tmp_path / "paper.json").read_text())
    assert data["title"] in (tmp_path / "paper.md").read_text()
    assert data["source"]["route"] == "file_html" and data["source"]["format"] == "html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.json", "paper.md", "source"]
    # readable as any file the user writes (a new user found gaps_filled.md private: mkstemp's 0600)
    mask = os.umask(0o022)
    os.umask(mask)
    new = tmp_path / "new.md"
    atomic.write_text(new, "x")
    assert new.stat().st_mode & 0o777 == 0o666 & ~mask
    new.chmod(0o600)  # (a workspace written before: rewritten readable)
    atomic.write_text(new, "y")
    assert new.stat().st_mode & 0o777 == 0o666 & ~mask and new.read_text() == "y"


SPANNED = """<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">T</h1>
<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section"><span class="ltx_tag ltx_tag_section">1 </span>Results</h2>
<figure id="S1.T1" class="ltx_table"><figcaption class="ltx_caption">Table 1: Accuracy of methods.</figcaption>
<table class="ltx_tabular"><thead><tr><th class="ltx_td ltx_th" rowspan="2">Method</th><th class="ltx_td ltx_th" colspan="2">CIFAR</th></tr>
<tr><th class="ltx_td ltx_th">10</th><th class="ltx_td ltx_th">100</th></tr></thead>
<tbody><tr><td class="ltx_td">Ours</td><td class="ltx_td"><span class="ltx_text ltx_font_bold">95.1 ± 0.2</span></td><td class="ltx_td">78.0 (0.4)</td></tr>
<tr><td class="ltx_td">Base</td><td class="ltx_td">94.0</td><td class="ltx_td"><math alttext="77.5_{\\pm 0.3}"></math></td></tr></tbody></table></figure>
</section></article></body></html>"""


def test_spans_bold_and_spread_are_kept_apart(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(SPANNED.replace('<td class="ltx_td">Base</td>',  # a rule whose package LaTeXML lacked (arydshln)
                                    '<td class="ltx_td"><span class="ltx_ERROR undefined">\\hdashline</span>Base</td>')
                    .replace('<td class="ltx_td">94.0</td>', '<td class="ltx_td">\\hdashline[2pt/2pt]94.0</td>'))
    (table,) = parse_html(path)["tables"]
    assert [row[0]["text"] for row in table["rows"]][2:] == ["Ours", "Base"]
    rows = table["rows"]
    assert table["header_rows"] == 2 and table["kind"] == "results"
    assert rows[0][2]["span_of"] == [0, 1] and rows[1][0]["span_of"] == [0, 0]
    ours = rows[2]
    assert (ours[1]["value"], ours[1]["std"], ours[1]["bold"]) == (95.1, 0.2, True)
    assert (ours[2]["value"], ours[2]["std"]) == (78.0, 0.4)
    assert (rows[3][2]["value"], rows[3][2]["std"]) == (77.5, 0.3) and rows[3][1]["value"] == 94.0


MARKED_CELLS = r"""<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">T</h1>
<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section"><span class="ltx_tag ltx_tag_section">1 </span>Results</h2>
<figure id="S1.T1" class="ltx_table"><figcaption class="ltx_caption">Table 1: Accuracy of methods.</figcaption>
<table class="ltx_tabular"><tr class="ltx_tr"><td class="ltx_td">Method</td><td class="ltx_td">A</td><td class="ltx_td">B</td>
<td class="ltx_td">C</td></tr>
<tr class="ltx_tr"><td class="ltx_td">Ours</td>
<td class="ltx_td"><p class="ltx_p"><span class="ltx_text ltx_phantom"><span style="visibility:hidden"><sup class="ltx_sup">c
</sup></span></span><span class="ltx_text">53.5</span><sup class="ltx_sup"><span class="ltx_text">c</span></sup></p></td>
<td class="ltx_td"><span class="ltx_text ltx_phantom"><span style="visibility:hidden"><sup class="ltx_sup"><math
class="ltx_Math" alttext="\uparrow"><mo>↑</mo></math>67</sup></span></span><span class="ltx_text">128</span><sup
class="ltx_sup"><math class="ltx_Math" alttext="\uparrow"><mo>↑</mo></math><span class="ltx_text">67</span></sup></td>
<td class="ltx_td"><math class="ltx_Math" alttext="\bf{{\color[rgb]{0.0,0.45,0.81}.912}}"></math><math class="ltx_Math"
alttext="\bf{{\color[rgb]{0.0,0.45,0.81}\pm.002}}"></math></td></tr>
<tr class="ltx_tr"><td class="ltx_td">Base</td><td class="ltx_td">85.11<math class="ltx_Math" alttext="{}_{(-0.06)}"></math></td>
<td class="ltx_td"><math class="ltx_Math" alttext="{22.2\%\downarrow}"></math></td>
<td class="ltx_td"><math class="ltx_Math" alttext="{.909}"></math><math class="ltx_Math" alttext="{\pm.001}"></math></td>
</tr></table></figure>
</section></article></body></html>"""


@pytest.fixture
def marked_rows(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(MARKED_CELLS)
    (table,) = parse_html(path)["tables"]
    return table["rows"]


def test_a_phantom_is_not_shown(marked_rows):
    """``\\phantom{^c}53.5^c`` (alignment space the width of a mark) leaves no stray mark before the number."""
    assert marked_rows[1][1]["text"] == "53.5c" and marked_rows[1][2]["text"] == "128$\\uparrow$67"


def test_a_superscript_mark_or_delta_beside_a_number_leaves_the_number(marked_rows):
    assert [c["value"] for c in marked_rows[1][1:3]] == [53.5, 128]


def test_colour_and_old_style_font_macros_leave_the_number_and_its_bold(marked_rows):
    cell = marked_rows[1][3]
    assert (cell["value"], cell["std"], cell["bold"]) == (0.912, 0.002, True)


def test_a_number_without_its_leading_zero_is_a_number(marked_rows):
    assert (marked_rows[2][3]["value"], marked_rows[2][3]["std"]) == (0.909, 0.001)


def test_a_delta_on_an_empty_base_and_a_direction_arrow_leave_the_number(marked_rows):
    assert [(c["value"], c["std"]) for c in marked_rows[2][1:3]] == [(85.11, None), (22.2, None)]


@pytest.mark.parametrize(
    ("content", "phrase"),
    [(None, "does not exist"), ("", "is empty"), ("<html><body><p>plain page</p></body></html>", "not LaTeXML HTML")],
)
def test_bad_inputs_name_the_file_and_the_fix(tmp_path, content, phrase):
    path = tmp_path / "paper.html"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UserError, match=phrase) as err:
        parse_any(path)
    assert str(path) in str(err.value)
    assert not (tmp_path / "paper.md").exists() and not (tmp_path / "paper.json").exists()


def test_every_shared_paper_parses_in_both_formats_with_the_same_shape():
    require_shared()
    html_papers = [p / "paper.html" for p in shared_papers() if (p / "paper.html").is_file()]
    md_papers = [p / "paper.md" for p in shared_papers() if (p / "paper.md").is_file()]
    assert len(html_papers) >= 8 and len(md_papers) >= 10, f"corpus incomplete under {SHARED_PAPERS}"
    shape = None
    for path in html_papers + md_papers:
        paper = parse_html(path) if path.suffix == ".html" else parse_markdown(path)
        assert paper["title"], path
        assert len(paper["sections"]) >= 3, path
        assert paper["tables"], path
        assert len(paper["open_questions"]) >= 3, path
        assert any(s["kind"] == "appendix" for s in paper["sections"]) or path.parent.name in (
            "self-expansion", "what-will-my-model-forget"), path
        shape = shape or set(paper)
        assert set(paper) == shape, (path, set(paper) ^ shape)


def test_truth_results_values_appear_in_tables_with_the_right_row_and_column():
    """Every results value in a truth.json sits in paper.json's matching table, in a cell whose row names the
    method and whose row, column or caption names the dataset or metric (90% or more per paper; misses printed)."""
    require_shared()
    checked = 0
    for folder in shared_papers():
        truth_path, html = folder / "truth.json", folder / "paper.html"
        if not (truth_path.is_file() and html.is_file()):
            continue
        truth = json.loads(truth_path.read_text())
        tables = parse_html(html)["tables"]
        # a result the paper states only in prose or a figure caption (truth: "table": "none: ...") is in no table
        results = [r for r in truth.get("results", []) if _number(r.get("value")) is not None
                   and not str(r.get("table", "")).startswith("none")]
        misses = [r for r in results if not found_in_row_and_column(tables, r)]
        assert len(misses) <= 0.1 * len(results), f"{folder.name}: {len(misses)}/{len(results)} missed: {misses[:5]}"
        checked += len(results)
    assert checked >= 100, f"only {checked} truth results checked"


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def _keys(text: str) -> list[str]:
    parts = [p for p in re.split(r"[,;/()]| average | over ", str(text)) if _norm(p)]
    return [_norm(p)[:8] for p in parts[:2]]


def _leading_words(text: str) -> list[str]:
    """The method's first words, as many as its 8-letter key spans: a truth method may name its row by the label
    and another label column ("EoMT ViT-L" for the row "EoMT (Ours) | ViT-L | ..."), so each word is looked for."""
    words: list[str] = []
    for word in re.split(r"[,;/()]", str(text))[0].split():
        if sum(map(len, words)) >= 8:
            break
        words += [_norm(word)] if _norm(word) else []
    return words


def found_in_row_and_column(tables, result) -> bool:
    value, std = _number(result["value"]), _number(result.get("std"))
    words = set(re.findall(r"[a-z0-9]+", str(result.get("table", "")).split(":", 2)[-1].lower()))
    in_caption = str(result.get("table", "")).rstrip().endswith("(caption)")  # the table's caption states it
    for table in tables:
        overlap = len(words & set(re.findall(r"[a-z0-9]+", table["caption"].lower()))) / max(1, len(words))
        if words and overlap < 0.5:
            continue
        if in_caption:
            if any(math.isclose(float(n), value, abs_tol=0.051) for n in re.findall(r"\d*\.?\d+", table["caption"])):
                return True
            continue
        head = table.get("header_rows", 1) or 1
        rows = table["rows"]
        for r, row in enumerate(rows):
            parent = rows[r - 1][0]["text"] if r > head else ""  # a sub-row ("w/o Prior") under its parent label
            row_text = _norm(parent + " ".join(c["text"] for c in row if c["value"] is None or c is row[0]))
            for c, cell in enumerate(row):
                if cell["value"] is None or not math.isclose(cell["value"], value, abs_tol=0.051):
                    continue
                if std is not None and cell["std"] is not None and not math.isclose(cell["std"], std, abs_tol=0.051):
                    continue
                column = _norm(" ".join(rows[h][c]["text"] for h in range(min(head, r)))
                               + " ".join(rows[rr][c]["text"] for rr in range(r) if rows[rr][c]["value"] is None))
                context = row_text + column + _norm(table["caption"])
                method = _keys(result.get("method", ""))[:1]
                other = _keys(result.get("dataset", "")) + _keys(result.get("metric", ""))
                headers = _norm(" ".join(cell["text"] for row_ in rows[:head] for cell in row_))
                # the method's key is in the row or column text, or the cell's own column label is one of the
                # method's words (a grouped header: "Random" under "Fix Refine; Vary Explanation Methods")
                leaf = _norm(next((rows[h][c]["text"] for h in range(min(head, r) - 1, -1, -1)
                                   if rows[h][c]["text"].strip()), ""))
                method_words = {_norm(w) for w in re.findall(r"[A-Za-z0-9]+", str(result.get("method", "")))}
                named = all(k in row_text + column + headers for k in method) or (len(leaf) >= 3 and leaf in method_words) \
                    or all(w in row_text for w in _leading_words(result.get("method", "")))
                if named and (not other or any(k in context for k in other)):
                    return True
    return False


def test_a_page_above_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    from reprokit.paper.extract import parse_any

    monkeypatch.setenv("REPROKIT_MAX_PAGE_MB", "0.5")
    page = tmp_path / "paper.html"
    page.write_bytes(b"<html>" + b"x" * 600_000 + b"</html>")
    with pytest.raises(UserError, match=r"is 0.6 MB, above the 0.5 MB cap on what is parsed"):
        parse_any(page)


NOTED = """<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">FOO<span class="ltx_note
ltx_role_footnote"><sup class="ltx_note_mark">1</sup><span class="ltx_note_outer"><span class="ltx_note_content">Code:
https://github.com/me/foo</span></span></span></h1>
<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section">1 Setup</h2>
<div class="ltx_para"><p class="ltx_p">We train with Adam. We compare with TENT<span class="ltx_note ltx_role_footnote"><sup
class="ltx_note_mark">2</sup><span class="ltx_note_outer"><span class="ltx_note_content"><sup class="ltx_note_mark">2</sup>
https://github.com/other/tent</span></span></span> (Wang et al., 2021) on ImageNet. Then we stop.</p></div>
</section></article></body></html>"""


def test_a_footnote_knows_the_sentence_or_the_title_it_is_attached_to(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(NOTED)
    notes = {n["text"]: n["context"] for n in parse_html(path)["footnotes"]}
    assert notes["Code: https://github.com/me/foo"] == "title"
    assert notes["https://github.com/other/tent"] == "We compare with TENT (Wang et al., 2021) on ImageNet."


def test_the_method_is_chosen_by_structure_whatever_its_titles():
    from reprokit.paper.extract import method_sections

    def section(sid, number, title, parent=None, kind="section"):
        return {"id": sid, "number": number, "title": title, "parent": parent, "kind": kind, "paragraphs": ["x"]}

    paper = {"sections": [
        section("S0", "", "Front matter", kind="front"), section("S1", "1", "Introduction"),
        section("S2", "2", "Related Work"), section("S3", "3", "Split and Aggregate"),
        section("S3.1", "3.1", "Symmetric aggregation", "S3"), section("S3.2", "3.2", "Technique Detail", "S3"),
        section("S4", "4", "Evaluation"), section("S4.1", "4.1", "Experiment Setup", "S4"),
        section("S4.2", "4.2", "Results on ImageNet", "S4"), section("S5", "5", "Conclusion"),
        section("A", "A", "Training hyperparameters", kind="appendix"), section("B", "B", "Proofs", kind="appendix")]}
    assert method_sections(paper) == {"S3", "S3.1", "S3.2", "S4.1", "A"}
    # related work after the experiments (advantage-alignment, what-will-my-model-forget, a new user's NLP paper)
    # is no lead-in: the method is still what comes between the introduction and the experiments
    paper = {"sections": [
        section("S1", "1", "Introduction"), section("S2", "2", "Problem Formulation"),
        section("S2.1", "2.1", "Paraphrase Search", "S2"), section("S3", "3", "Experiments"),
        section("S3.1", "3.1", "Setup", "S3"), section("S4", "4", "Related Works"), section("S5", "5", "Conclusion")]}
    assert method_sections(paper) == {"S2", "S2.1", "S3", "S3.1"}


def test_caveats_come_from_the_limitations_first_never_from_a_checklist_or_a_result_claim():
    from reprokit.paper.structure import find_caveats

    def section(sid, title, text, parent=None):
        return {"id": sid, "title": title, "parent": parent, "paragraphs": [text]}

    paper = {"sections": [
        section("S3", "Method", "We found training unstable without warmup. We found that ours outperforms all "
                                "baselines."),
        section("S6", "Limitations", "Our method needs a simulator. It is slow on large graphs."),
        section("A", "NeurIPS Paper Checklist", "Note that we found nothing. Answer: [Yes]"),
        section("S3.1", "Details", "Justification: we note that in practice it works. In practice the loss is "
                                   "sensitive to the seed.", parent="S3")]}
    texts = [c["text"] for c in find_caveats(paper)]
    assert texts == ["Our method needs a simulator.", "It is slow on large graphs.",
                     "We found training unstable without warmup.", "In practice the loss is sensitive to the seed."]


def test_every_author_once_without_marks_and_a_part_heading_is_not_the_title(tmp_path):
    from reprokit.paper.structure import clean_authors

    assert clean_authors(["Jayesh Singla \\\\", "Ann Lee1,2", "Bo Li*", "and Chen Wu†", "Ann Lee1,2", "Jayesh Singla"]) \
        == ["Jayesh Singla", "Ann Lee", "Bo Li", "Chen Wu"]
    path = tmp_path / "p.html"
    path.write_text("<html><head><title>Grokking at the Edge [2401.00001] | arXiv</title></head><body>"
                    '<article class="ltx_document"><h1 class="ltx_title ltx_title_document">Part I</h1>'
                    '<section id="S1" class="ltx_section"><h2 class="ltx_title ltx_title_section">1 Intro</h2>'
                    '<div class="ltx_para"><p class="ltx_p">Text.</p></div></section></article></body></html>')
    assert parse_html(path)["title"].startswith("Grokking at the Edge")
    # one \author{} holding a tabular per author, name then affiliation (a new user's TMLR paper): every author
    grid = "".join(f'<span class="ltx_tabular"><span class="ltx_tbody"><span class="ltx_tr"><span class="ltx_td">{name}'
                   f'</span></span><span class="ltx_tr"><span class="ltx_td">{where}</span></span></span></span>'
                   for name, where in [("Ann Lee$^{\\star}$", "MIT"), ("Bo Li", "U. Oxford"), ("Chen Wu", "Caltech")])
    path.write_text('<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">T</h1>'
                    '<div class="ltx_authors"><span class="ltx_creator ltx_role_author"><span class="ltx_personname">'
                    f'{grid}</span></span></div><section id="S1" class="ltx_section"><h2 class="ltx_title '
                    'ltx_title_section">1 Intro</h2><div class="ltx_para"><p class="ltx_p">Text.</p></div></section>'
                    '</article></body></html>')
    assert parse_html(path)["authors"] == ["Ann Lee", "Bo Li", "Chen Wu"]
    # one \author{} naming everyone, marks after each name, over two lines, then the affiliations (eomt, tabdiff,
    # tanh-init); a tabular's "&" left between names (a new user's Flamingo HTML)
    block = ('Tommie Kerssies<sup class="ltx_sup">1</sup> \u2003\u2003Daan de Geus<sup class="ltx_sup">1,3</sup>'
             '<br class="ltx_break">Juntong Shi<math alttext="{}^{2}"><mn>2</mn></math>, Minkai Xu &amp;&amp;Jeff Donahue*'
             '<br class="ltx_break"><sup class="ltx_sup">1</sup>Eindhoven University of Technology \u2003'
             '<sup class="ltx_sup">2</sup>Stanford')
    path.write_text('<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">T</h1>'
                    '<div class="ltx_authors"><span class="ltx_creator ltx_role_author"><span class="ltx_personname">'
                    f'{block}</span></span></div><section id="S1" class="ltx_section"><h2 class="ltx_title '
                    'ltx_title_section">1 Intro</h2><div class="ltx_para"><p class="ltx_p">Text.</p></div></section>'
                    '</article></body></html>')
    assert parse_html(path)["authors"] == ["Tommie Kerssies", "Daan de Geus", "Juntong Shi", "Minkai Xu", "Jeff Donahue"]
    # ... and "..., and Jeremy R. Manning" on the next line (a new user's stylometry paper)
    path.write_text(path.read_text().replace(block, 'Harrison F. Stropkay, Jiayi Chen,<br class="ltx_break">Daniel N. '
                                             'Rockmore, and Jeremy R. Manning<br class="ltx_break">Dartmouth College'))
    assert parse_html(path)["authors"] == ["Harrison F. Stropkay", "Jiayi Chen", "Daniel N. Rockmore", "Jeremy R. Manning"]
    # a review's: "Jr." stays with its name, an elided particle and a name with its script in brackets are names, an
    # acronym is an affiliation
    path.write_text(path.read_text().replace(
        'Harrison F. Stropkay, Jiayi Chen,<br class="ltx_break">Daniel N. Rockmore, and Jeremy R. Manning',
        'Martin L. King, Jr.<sup>1</sup>, Stéphane d’Ascoli<sup>2</sup>, Jie Zhang (张杰)<sup>1</sup>, MIT'))
    assert parse_html(path)["authors"] == ["Martin L. King, Jr.", "Stéphane d’Ascoli", "Jie Zhang"]


def test_tables_are_classified_by_caption_and_content_together():
    from reprokit.paper.tables import classify

    def cell(text, value=None, std=None, bold=False):
        return {"text": text, "value": value, "std": std, "bold": bold}

    results = [[cell("Refine Setting"), cell("Test Setting"), cell("Evasion")],
               [cell("Original agent"), cell("default"), cell("33.8%", 33.8)],
               [cell("Ours"), cell("default"), cell("50.1%", 50.1, bold=True)]]
    assert classify("Case study: we evaluate the evasion probability under different settings.", results) == "results"
    knobs = [[cell("Name"), cell("Value")], [cell("Learning rate"), cell("3e-4", 3e-4)],
             [cell("Batch size"), cell("256", 256.0)], [cell("Discount"), cell("0.99", 0.99)]]
    assert classify("Settings of the agents.", knobs) == "hyperparameters"
    assert classify("Hyper-parameter choices in Experiments I-V.", results) == "hyperparameters"
    assert classify("Action set of the environment.", [[cell("Index"), cell("Meaning")], [cell("0"), cell("pad")]]) \
        == "other"


def test_the_loss_formulation_lists_objectives_not_proof_steps(example_paper):
    from reprokit.paper.extract import objectives

    paper = {**example_paper, "sections": [*example_paper["sections"],
                                           {"id": "P", "number": "A", "title": "Proof of Theorem 1", "parent": None,
                                            "kind": "appendix", "paragraphs": []}],
             "equations": [*example_paper["equations"],
                           {"id": "e9", "numbers": ["9"], "latex": "\\|a-b\\| \\leq \\|a\\| + \\|b\\|", "section": "P",
                            "context": "Hence the loss is bounded:"}]}
    found = objectives(paper)
    assert [o["label"] for o in found if o["label"] != "inline"] == ["Eq. (1)"]
    assert found[0]["latex"].startswith("\\mathcal{L}(\\theta)")


RUN_IN = """<html><body><article class="ltx_document"><h1 class="ltx_title ltx_title_document">T</h1>
<section id="S4" class="ltx_section"><h2 class="ltx_title ltx_title_section"><span class="ltx_tag ltx_tag_section">4 </span>Experiments</h2>
<section id="S4.SS1" class="ltx_subsection"><h3 class="ltx_title ltx_title_subsection"><span class="ltx_tag ltx_tag_subsection">4.1 </span>Experimental Setup</h3>
<div id="S4.SS1.p1" class="ltx_para ltx_noindent"><p class="ltx_p">We follow prior work.
<span class="ltx_text ltx_font_bold">Datasets. </span> We use CIFAR-10 with <span class="ltx_text ltx_font_bold">Standard Augmentation.</span> Images are
32 pixels. <span class="ltx_text ltx_font_bold">Models and training. </span>
We train a ResNet-18 with a learning rate of 0.1.</p></div>
<div id="S4.SS1.p2" class="ltx_para"><p class="ltx_p">The batch size is 128.</p></div>
<div id="S4.SS1.p3" class="ltx_para"><p class="ltx_p"><span class="ltx_text ltx_font_bold">Evaluation</span>. We report top-1 accuracy.</p></div>
<section id="S4.SS1.SSS0.Px1" class="ltx_paragraph"><h4 class="ltx_title ltx_title_paragraph">On scaling parameters.</h4>
<div id="S4.SS1.SSS0.Px1.p1" class="ltx_para"><p class="ltx_p">Wider is better.
<span class="ltx_text ltx_font_bold">Sweep. </span>We try widths 64 and 128.</p></div>
</section></section>
<section id="S4.SS2" class="ltx_subsection"><h3 class="ltx_title ltx_title_subsection"><span class="ltx_tag ltx_tag_subsection">4.2 </span>Results</h3>
<div id="S4.SS2.p1" class="ltx_para"><p class="ltx_p">Ours is best.</p></div>
</section></section>
<section id="S5" class="ltx_section"><h2 class="ltx_title ltx_title_section">Analysis setup.</h2>
<div id="S5.p1" class="ltx_para"><p class="ltx_p">We analyse the setup.</p></div>
</section></article></body></html>"""


def test_bold_run_in_headings_become_sub_sections_of_their_section(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(RUN_IN)
    paper = parse_html(path)
    sections = {s["id"]: s for s in paper["sections"]}
    assert [s["id"] for s in paper["sections"]] == [
        "S4", "S4.SS1", "S4.SS1.rh1", "S4.SS1.rh2", "S4.SS1.rh3", "S4.SS1.SSS0.Px1", "S4.SS1.SSS0.Px1.rh1", "S4.SS2", "S5"]
    assert {frozenset(s) for s in paper["sections"]} == {frozenset(sections["S4"])}
    assert sections["S4.SS1"]["paragraphs"] == ["We follow prior work."]
    got = [(s["title"], s["number"], s["parent"], s["kind"], s["paragraphs"]) for s in paper["sections"] if ".rh" in s["id"]]
    assert got == [
        ("Datasets", "", "S4.SS1", "section", ["We use CIFAR-10 with Standard Augmentation. Images are 32 pixels."]),
        ("Models and training", "", "S4.SS1", "section",
         ["We train a ResNet-18 with a learning rate of 0.1.", "The batch size is 128."]),
        ("Evaluation", "", "S4.SS1", "section", ["We report top-1 accuracy."]),
        ("Sweep", "", "S4.SS1.SSS0.Px1", "section", ["We try widths 64 and 128."]),
    ]
    assert sections["S4.SS1.SSS0.Px1"]["paragraphs"] == ["Wider is better."]


def test_a_section_without_a_number_is_cited_under_its_nearest_numbered_ancestor(tmp_path):
    from reprokit.paper import section_label

    path = tmp_path / "t.html"
    path.write_text(RUN_IN)
    paper = parse_html(path)
    labels = {sid: section_label(paper, sid) for sid in
              ("S4.SS2", "S4.SS1.rh2", "S4.SS1.SSS0.Px1", "S4.SS1.SSS0.Px1.rh1", "S5", "nowhere")}
    assert labels == {"S4.SS2": "§4.2", "S4.SS1.rh2": "§4.1 › Models and training",
                      "S4.SS1.SSS0.Px1": "§4.1 › On scaling parameters",
                      "S4.SS1.SSS0.Px1.rh1": "§4.1 › On scaling parameters › Sweep", "S5": "§Analysis setup",
                      "nowhere": "§?"}


def test_paper_md_shows_each_section_title_once(tmp_path):
    path = tmp_path / "t.html"
    path.write_text(RUN_IN)
    paper = parse_html(path)
    md = render_markdown(paper)
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    assert "### §4.1 › Models and training" in headings
    assert "### §4.1 › On scaling parameters" in headings and "### §Analysis setup" in headings
    for line in headings:
        for section in paper["sections"]:
            assert line.count(section["title"].rstrip(".")) <= 1, line
    assert "    - Models and training (`S4.SS1.rh2`, 2 paragraphs)" in md


def test_bold_run_in_headings_of_a_markdown_paper_become_sub_sections():
    from reprokit.paper.markdown import parse_markdown_text
    from reprokit.paper.structure import section_label

    paper = parse_markdown_text("# T\n\n# 4 Experiments\n\n## 4.1 Setup\n\nWe follow prior work.\n\n**Datasets.** We use "
                                "CIFAR-10.\n\nImages are 32 pixels.\n\n**Models and training**. We train a ResNet-18."
                                "\n\n## 4.2 Results\n\nOurs is **Best.** Really.\n")
    got = [(s["id"], s["number"], s["title"], s["parent"], s["paragraphs"]) for s in paper["sections"]]
    assert got == [("S1", "4", "Experiments", None, []),
                   ("S2", "4.1", "Setup", "S1", ["We follow prior work."]),
                   ("S2.rh1", "", "Datasets", "S2", ["We use CIFAR-10.", "Images are 32 pixels."]),
                   ("S2.rh2", "", "Models and training", "S2", ["We train a ResNet-18."]),
                   ("S3", "4.2", "Results", "S1", ["Ours is **Best.** Really."])]
    assert section_label(paper, "S2.rh2") == "§4.1 › Models and training"


MD_PAPER = """# Small Regressors Compared

Ada Lovelace, Alan Turing and Grace Hopper

## Abstract

We compare two regressors on synthetic data.

## 2 Setup

We train with Adam:

- learning rate: 0.001
- batch size: 64

$$
L = \\frac{1}{n} \\sum_i (y_i - f(x_i))^2 \\tag{3}
$$

## 3 Results

Table A: Model specification.

| Model | timm model |
|:--|:--|
| ViT-S | vit_small_patch14 |

Table 2: Test error (MSE, lower is better) over three seeds.

| Dataset | Linear | MLP |
|:--|--:|--:|
| Sines | 0.0 | **0.012 $\\pm$ 0.003** |
| Steps | 0.41 | 0.05 |
"""


def test_a_markdown_paper_with_pipe_tables_lists_and_math():
    from reprokit.paper.markdown import parse_markdown_text

    paper = parse_markdown_text(MD_PAPER)
    assert paper["title"] == "Small Regressors Compared"
    assert paper["authors"] == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]
    assert paper["abstract"] == "We compare two regressors on synthetic data."
    setup = next(s for s in paper["sections"] if s["number"] == "2")
    assert setup["paragraphs"] == ["We train with Adam:", "learning rate: 0.001", "batch size: 64"]
    assert paper["equations"][0]["numbers"] == ["3"] and "\\frac" in paper["equations"][0]["latex"]
    spec, table = paper["tables"]
    assert spec["number"] == "A" and spec["caption"] == "Model specification."  # an appendix's lettered table
    assert (table["number"], table["kind"]) == ("2", "results")
    assert table["caption"].startswith("Test error (MSE, lower is better)")
    assert [c["text"] for c in table["rows"][0]] == ["Dataset", "Linear", "MLP"]
    cell = table["rows"][1][2]
    assert (cell["value"], cell["std"], cell["bold"]) == (0.012, 0.003, True) and table["rows"][1][1]["value"] == 0.0


def test_a_markdown_papers_first_paragraph_is_not_taken_for_its_authors():
    from reprokit.paper.markdown import parse_markdown_text

    paper = parse_markdown_text("# A Title\n\nA fixture written for the tests: a tiny network denoises images.\n\n"
                                "## 1 Introduction\n\nText.\n")
    assert paper["authors"] == []


def appendix_table_page(path, appendix: str, title: str, caption: str, rows: str):
    """A LaTeXML page of one appendix holding one table (``rows``: its <tr> markup), written to ``path``."""
    path.write_text('<html><body><article class="ltx_document"><section class="ltx_appendix" id="A1"><h2 class="ltx_title '
                    f'ltx_title_appendix"><span class="ltx_tag ltx_tag_appendix">Appendix {appendix}</span>{title}</h2>'
                    f'<figure class="ltx_table" id="A1.T1"><figcaption class="ltx_caption">{caption}</figcaption>'
                    f'<table class="ltx_tabular">{rows}</table></figure></section></article></body></html>')
    return path


def test_an_appendix_table_lettered_a_keeps_its_letter_in_html(tmp_path):
    # eomt's appendix tables are "Table A" to "Table E"; before, their number was lost and "Table A:" stayed
    # in the caption
    path = appendix_table_page(tmp_path / "paper.html", "A", "Models", "Table A: Model specification.",
                               "<tr><td>Model</td><td>timm model</td></tr><tr><td>ViT-S</td><td>vit_small_patch14</td></tr>")
    (table,) = parse_html(path)["tables"]
    assert (table["number"], table["caption"]) == ("A", "Model specification.")


def test_a_row_with_one_value_across_the_columns_is_no_header(tmp_path):
    # a new user's LoRA tables: "Dataset | E2E | WebNLG | DART" over "Optimizer | AdamW" (one cell across the task
    # columns) had made "AdamW" every column's name, and a "Training" divider the scope of every value
    path = appendix_table_page(tmp_path / "paper.html", "D", "Hyperparameters",
                               "Table 11: The hyperparameters for GPT-2 on E2E, WebNLG and DART.",
                               '<tr><td>Dataset</td><td>E2E</td><td>WebNLG</td><td>DART</td></tr>'
                               '<tr><td></td><td colspan="3">Training</td></tr>'
                               '<tr><td>Optimizer</td><td colspan="3">AdamW</td></tr>'
                               '<tr><td>Batch Size</td><td>8</td><td>8</td><td>8</td></tr>')
    paper = parse_html(path)
    (table,) = paper["tables"]
    assert table["header_rows"] == 1
    from reprokit.gaps.statements import extract_statements

    scopes = {(e["name"], e["scope"]) for e in extract_statements(paper)}
    assert {("Optimizer", "E2E"), ("Optimizer", "DART"), ("Batch Size", "WebNLG")} <= scopes
    from reprokit.paper.tables import classify

    def rows(*labels):
        return [[{"text": "Setting", "value": None, "std": None, "bold": False}, {"text": "Value", "value": None,
                                                                                  "std": None, "bold": False}]] + [
            [{"text": a, "value": None, "std": None, "bold": False}, {"text": b, "value": float(b), "std": None,
                                                                     "bold": False}] for a, b in labels]

    # a study's results over hyperparameters (LoRA's Table 15) is results; a study's settings table is settings (a review)
    assert classify("Ablation settings. Default configuration used in all ablation experiments; we report top-1 "
                    "accuracy.", rows(("learning rate", "0.1"), ("batch size", "256"))) == "hyperparameters"


def test_the_title_is_the_documents_title_not_its_last_run_in_heading():
    """A loop over run-in headings reused the name `title`: eomt's title came out as "Number of blocks that process
    queries", advantage-alignment's as "Theorem 1" (7 of the 10 HTML papers)."""
    from lxml import html as lxml_html

    require_shared()
    checked = 0
    for folder in shared_papers():
        page = folder / "paper.html"
        if not page.is_file():
            continue
        root = lxml_html.fromstring(page.read_bytes())
        heading = root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_title_document ')]")
        if heading:
            written = re.sub(r"\s+", " ", heading[0].text_content()).strip()
            got = parse_html(page)["title"]
            assert written.startswith(got[:40]), (folder.name, got)
            checked += 1
    assert checked >= 10


def test_a_question_yields_to_the_forms_the_run_ledger_reads():
    """Two new users' papers: GAT's "we apply $L_{2}$ regularization with $\\lambda=0.0005$" and Wide ResNet's "learning
    rate dropped by 0.2 at 60, 120 and 160 epochs" gave the run its weight decay and step schedule, while paper.md and
    inventory.md still said "Weight decay (or its absence) is not stated" and "The learning-rate schedule ... is not
    stated"."""
    from reprokit.paper.questions import find_open_questions

    def knobs(*sentences: str) -> set[str]:
        paper = {"sections": [{"id": "S4", "title": "Experiments", "kind": "body", "paragraphs": [" ".join(sentences)]}],
                 "tables": [], "algorithms": [], "footnotes": []}
        return {q["knob"] for q in find_open_questions(paper)}

    assert {"optimizer.weight_decay", "schedule.lr_schedule"} <= knobs(
        "We train with SGD at a learning rate of 0.1 for 200 epochs.")
    assert "optimizer.weight_decay" not in knobs("We train with Adam.",
                                                 "During training, we apply $L_{2}$ regularization with $\\lambda=0.0005$.")
    assert "schedule.lr_schedule" not in knobs("We train with SGD at a learning rate of 0.1.",
                                               "On CIFAR learning rate dropped by 0.2 at 60, 120 and 160 epochs.")


def test_a_question_about_a_missing_setting_points_at_the_sentence_that_sets_up_training():
    # a new user's paper (Donahue et al. 2020): "The learning rate is not given" pointed at "Then, we define a
    # procedure for automatically generating suitable training examples", the first sentence that said "training"
    from reprokit.paper.questions import find_open_questions

    paper = {"sections": [{"id": "S3", "title": "Method", "kind": "body", "paragraphs": [
                 "Then, we define a procedure for generating suitable training examples. Prior LMs are trained on "
                 "concatenations of both."]},
             {"id": "S5", "title": "Experiments", "kind": "body", "paragraphs": [
                 "We train all models using the default fine-tuning parameters of the library, except that we use a "
                 "batch size of 24 for 2 epochs."]}], "tables": [], "algorithms": [], "footnotes": []}
    lr = next(q for q in find_open_questions(paper) if q["knob"] == "optimizer.lr")
    assert lr["section"] == "S5" and lr["sentence"].startswith("We train all models")
    # a learning rate written as the optimizer's step size in one word ("Adam stepsize | 3e-4", a new user's PPO paper,
    # whose run ledger took it) answers the question
    stated = {**paper, "tables": [{"section": "S5", "caption": "Hyperparameters.",
                                   "rows": [[{"text": "Adam stepsize"}, {"text": "3e-4"}]]}]}
    assert not any(q["knob"] == "optimizer.lr" for q in find_open_questions(stated))
