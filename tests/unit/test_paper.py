import json
import math

import pytest

from reprokit.errors import UserError
from reprokit.paper import extract, parse_html, render_markdown
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
    extract(EXAMPLE_HTML, tmp_path / "paper.md", tmp_path / "paper.json")
    data = json.loads((tmp_path / "paper.json").read_text())
    assert data["title"] in (tmp_path / "paper.md").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.json", "paper.md"]


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
    path.write_text(SPANNED)
    (table,) = parse_html(path)["tables"]
    rows = table["rows"]
    assert table["header_rows"] == 2 and table["kind"] == "results"
    assert rows[0][2]["span_of"] == [0, 1] and rows[1][0]["span_of"] == [0, 0]
    ours = rows[2]
    assert (ours[1]["value"], ours[1]["std"], ours[1]["bold"]) == (95.1, 0.2, True)
    assert (ours[2]["value"], ours[2]["std"]) == (78.0, 0.4)
    assert (rows[3][2]["value"], rows[3][2]["std"]) == (77.5, 0.3)


@pytest.mark.parametrize(
    ("content", "phrase"),
    [(None, "does not exist"), ("", "is empty"), ("<html><body><p>plain page</p></body></html>", "not LaTeXML HTML")],
)
def test_bad_inputs_name_the_file_and_the_fix(tmp_path, content, phrase):
    path = tmp_path / "paper.html"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UserError, match=phrase) as err:
        extract(path, tmp_path / "paper.md", tmp_path / "paper.json")
    assert str(path) in str(err.value)
    assert not (tmp_path / "paper.md").exists() and not (tmp_path / "paper.json").exists()


def test_every_shared_html_paper_parses():
    require_shared()
    papers = [p / "paper.html" for p in shared_papers() if (p / "paper.html").is_file()]
    assert papers, f"no paper.html under {SHARED_PAPERS}"
    for path in papers:
        paper = parse_html(path)
        assert paper["title"], path
        assert len(paper["sections"]) >= 3, path
        assert paper["tables"], path
        assert len(paper["open_questions"]) >= 1, path


def test_truth_results_values_appear_in_tables():
    """Each results value in a truth.json appears in some table cell (value within rounding)."""
    require_shared()
    checked = 0
    for folder in shared_papers():
        truth_path, html = folder / "truth.json", folder / "paper.html"
        if not (truth_path.is_file() and html.is_file()):
            continue
        truth = json.loads(truth_path.read_text())
        cells = [c["value"] for t in parse_html(html)["tables"] for r in t["rows"] for c in r if c["value"] is not None]
        values = [r["value"] for r in truth.get("results", []) if isinstance(r.get("value"), (int, float))]
        found = sum(1 for v in values if any(math.isclose(v, c, abs_tol=0.051) for c in cells))
        assert found >= 0.9 * len(values), f"{folder.name}: {found}/{len(values)} truth values found in tables"
        checked += 1
    assert checked, "no paper with truth.json and paper.html"
