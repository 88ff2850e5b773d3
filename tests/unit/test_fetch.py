"""Stage 1 fetching: the real code against a local HTTP server on 127.0.0.1 that answers like arXiv,
ar5iv, the arXiv API, the Hugging Face Hub (HF_ENDPOINT) and OpenReview, including stubs, failed
conversions, 404, 429 with Retry-After, 500, timeouts and truncated bodies."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reprokit.errors import UserError
from reprokit.paper import extract
from reprokit.paper.fetch import USER_AGENT, fetch_paper, html_problem, http_get
from reprokit.paper.paperid import parse_reference
from tests.conftest import EXAMPLE_HTML, ROOT

HTML = EXAMPLE_HTML.read_bytes()
PDF = (ROOT / "tests" / "fixtures" / "mnist1d-example.pdf").read_bytes()
STUB = b"<html><body><h1>No HTML for '2106.09685'</h1><p>HTML is not available for the source.</p></body></html>"
FAILED = (b'<html><body><article class="ltx_document"><div class="ltx_para"><p>Conversion to HTML had a Fatal error '
          b"and exited abruptly.</p></div></article></body></html>")
MARKDOWN = b"""# Low-Rank Adapters Restated

Ada Lovelace, Alan Turing

# Abstract

We adapt large models with low-rank updates.

# 1 Method

We train with AdamW and a learning rate of 2e-4 for 3 epochs. In our experiments the rank mattered little.

# 2 Results

Table 1: Accuracy on the test set.

<table><tr><td>Method</td><td>Accuracy</td></tr><tr><td>LoRA</td><td><b>91.2 \xc2\xb1 0.3</b></td></tr></table>
"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2106.09685v2</id><title>LoRA: Low-Rank
 Adaptation</title><summary>Abstract text.</summary><author><name>Edward Hu</name></author>
<published>2021-06-17T17:37:18Z</published><updated>2021-10-16T18:40:34Z</updated>
<arxiv:comment>Accepted at ICLR 2022; code at github</arxiv:comment><arxiv:journal_ref></arxiv:journal_ref></entry></feed>"""
HUB = json.dumps({"id": "2106.09685", "title": "LoRA", "summary": "s", "authors": [{"name": "Edward Hu"}],
                  "githubRepo": "https://github.com/microsoft/LoRA", "projectPage": "https://lora.github.io",
                  "linkedModels": [{"id": "org/lora-model"}], "linkedDatasets": [{"id": "org/glue"}],
                  "linkedSpaces": [{"id": "org/demo"}]}).encode()


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Handler.hits.append((self.path, time.time(), self.headers.get("User-Agent")))
        plan = Handler.routes.get(self.path, [(404, {}, b"not found")])
        count = sum(1 for p, _, _ in Handler.hits if p == self.path)
        status, headers, body = plan[min(count, len(plan)) - 1]
        self.send_response(status)
        drip = float(headers.get("X-Drip-S", 0))
        for key, value in headers.items():
            if value is not None:
                self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not drip:
            self.wfile.write(body)
            return
        for i in range(len(body)):  # one byte at a time, slowly
            try:
                self.wfile.write(body[i:i + 1])
                self.wfile.flush()
            except OSError:
                return
            time.sleep(drip)


@pytest.fixture()
def server(monkeypatch, tmp_path):
    Handler.routes, Handler.hits = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for name, value in {"REPROKIT_ARXIV_URL": base, "REPROKIT_AR5IV_URL": f"{base}/ar5iv",
                        "REPROKIT_ARXIV_API_URL": f"{base}/api/query", "HF_ENDPOINT": f"{base}/hf",
                        "REPROKIT_OPENREVIEW_API_URL": f"{base}/or-api", "REPROKIT_OPENREVIEW_URL": f"{base}/or",
                        "REPROKIT_ARXIV_INTERVAL_S": "0", "REPROKIT_HTTP_RETRIES": "2",
                        "REPROKIT_HTTP_BACKOFF_S": "0.01", "REPROKIT_CACHE": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(name, value)
    yield base
    httpd.shutdown()


def ok(body, **headers):
    return [(200, headers, body)]


def arxiv_routes(html=None, ar5iv=None, markdown=None, pdf=None, hub=HUB):
    routes = {"/api/query?id_list=2106.09685v2": ok(ATOM), "/hf/api/papers/2106.09685": ok(hub) if hub else
              [(404, {}, b'{"error": "not found"}')]}
    for path, body in (("/html/2106.09685v2", html), ("/ar5iv/html/2106.09685v2", ar5iv),
                       ("/hf/papers/2106.09685.md", markdown), ("/pdf/2106.09685v2", pdf)):
        if body is not None:
            routes[path] = ok(body) if isinstance(body, bytes) else body
    Handler.routes.update(routes)


def test_arxiv_html_route_records_version_metadata_and_hub_data(server, tmp_path):
    arxiv_routes(html=HTML)
    meta = fetch_paper("2106.09685v2", tmp_path / "source")
    assert meta["file"] == "paper.html" and (tmp_path / "source" / "paper.html").read_bytes() == HTML
    assert [a["route"] for a in meta["attempts"]] == ["arxiv-html"]
    assert meta["version"] == "v2" and meta["arxiv"]["comment"].startswith("Accepted at ICLR 2022")
    assert meta["hf"]["github_repo"] == "https://github.com/microsoft/LoRA"
    assert meta["hf"]["linked_models"] == ["org/lora-model"] and meta["hf"]["linked_spaces"] == ["org/demo"]
    assert {ua for path, _, ua in Handler.hits if not path.startswith("/hf/api")} == {USER_AGENT}
    paper = extract(tmp_path / "source", tmp_path / "paper.md", tmp_path / "paper.json")
    assert paper["source"]["route"] == "arxiv-html" and paper["arxiv_version"] == "v2"
    assert "https://github.com/microsoft/LoRA" in paper["code_links"]
    assert paper["project_page"] == "https://lora.github.io"
    assert "org/glue" in (tmp_path / "paper.md").read_text()


def test_stub_page_moves_on_to_ar5iv(server, tmp_path):
    arxiv_routes(html=STUB, ar5iv=HTML)
    meta = fetch_paper("https://arxiv.org/abs/2106.09685v2", tmp_path / "source")
    assert [a["route"] for a in meta["attempts"]] == ["arxiv-html", "ar5iv"]
    assert "stub" in meta["attempts"][0]["result"] and meta["attempts"][1]["result"] == "ok"


def test_failed_conversion_and_missing_ar5iv_fall_back_to_hub_markdown(server, tmp_path):
    arxiv_routes(html=FAILED, ar5iv=[(404, {}, b"")], markdown=MARKDOWN)
    meta = fetch_paper("2106.09685v2", tmp_path / "source")
    assert [a["result"][:40] for a in meta["attempts"]][0].startswith("the LaTeXML conversion failed")
    assert meta["file"] == "paper.md"
    paper = extract(tmp_path / "source", tmp_path / "paper.md", tmp_path / "paper.json")
    assert paper["format"] == "md" and paper["venue"] == "ICLR 2022" and paper["venue_source"] == "arXiv comments"
    (table,) = paper["tables"]
    assert table["number"] == "1" and table["kind"] == "results"
    assert (table["rows"][1][1]["value"], table["rows"][1][1]["std"], table["rows"][1][1]["bold"]) == (91.2, 0.3, True)


def test_pdf_is_the_last_resort(server, tmp_path):
    arxiv_routes(html=STUB, ar5iv=STUB, pdf=PDF)
    meta = fetch_paper("2106.09685v2", tmp_path / "source")
    assert meta["file"] == "paper.pdf"
    paper = extract(tmp_path / "source", tmp_path / "paper.md", tmp_path / "paper.json")
    assert paper["format"] == "pdf"
    assert [(s["number"], s["title"]) for s in paper["sections"]][:3] == [("1", "Introduction"), ("2", "Data"),
                                                                          ("3", "Method")]
    assert len(paper["open_questions"]) >= 3


def test_no_route_works_names_every_attempt_and_leaves_nothing(server, tmp_path):
    arxiv_routes(html=STUB, ar5iv=[(500, {}, b"")], pdf=[(404, {}, b"")])
    with pytest.raises(UserError, match=r"arxiv-html: no LaTeXML.*ar5iv: .*HTTP 500.*hf-markdown: .*404.*arxiv-pdf"):
        fetch_paper("2106.09685v2", tmp_path / "source")
    assert not (tmp_path / "source").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]


def test_429_with_retry_after_is_honoured(server, tmp_path):
    arxiv_routes(html=[(429, {"Retry-After": "1"}, b"slow down"), (200, {}, HTML)])
    fetch_paper("2106.09685v2", tmp_path / "source")
    times = [t for path, t, _ in Handler.hits if path == "/html/2106.09685v2"]
    assert len(times) == 2 and times[1] - times[0] >= 0.9


def test_arxiv_requests_are_spaced(server, tmp_path, monkeypatch):
    monkeypatch.setenv("REPROKIT_ARXIV_INTERVAL_S", "0.4")
    arxiv_routes(html=HTML)
    fetch_paper("2106.09685v2", tmp_path / "source")
    arxiv = [t for path, t, _ in Handler.hits if not path.startswith("/hf")]
    assert len(arxiv) == 2 and arxiv[1] - arxiv[0] >= 0.38


def test_paper_missing_from_the_hub_is_recorded(server, tmp_path):
    arxiv_routes(html=HTML, hub=None)
    meta = fetch_paper("2106.09685v2", tmp_path / "source")
    assert meta["hf"] == {"error": "not on the Hub"}


def test_openreview_resolves_the_arxiv_id(server, tmp_path):
    note = {"notes": [{"id": "Abc123xy", "content": {"title": {"value": "LoRA"}, "venue": {"value": "ICLR 2022"},
                                                     "TLDR": {"value": "see https://arxiv.org/abs/2106.09685v2"}}}]}
    Handler.routes["/or-api/notes?id=Abc123xy"] = ok(json.dumps(note).encode())
    arxiv_routes(html=HTML)
    meta = fetch_paper("https://openreview.net/forum?id=Abc123xy", tmp_path / "source")
    assert meta["arxiv_id"] == "2106.09685" and meta["attempts"][0]["route"] == "arxiv-html"
    assert meta["openreview"]["venue"] == "ICLR 2022"


def test_openreview_without_arxiv_downloads_its_pdf(server, tmp_path):
    note = {"notes": [{"id": "Zz99yyxx", "content": {"title": {"value": "T"}}}]}
    Handler.routes["/or-api/notes?id=Zz99yyxx"] = ok(json.dumps(note).encode())
    Handler.routes["/or/pdf?id=Zz99yyxx"] = ok(PDF)
    meta = fetch_paper("https://openreview.net/forum?id=Zz99yyxx", tmp_path / "source")
    assert meta["file"] == "paper.pdf" and meta["attempts"] == [
        {"route": "openreview-pdf", "url": f"{server}/or/pdf?id=Zz99yyxx", "result": "ok"}]


def test_direct_pdf_url_and_local_files(server, tmp_path):
    Handler.routes["/papers/x.pdf"] = ok(PDF)
    assert fetch_paper(f"{server}/papers/x.pdf", tmp_path / "a")["file"] == "paper.pdf"
    md = tmp_path / "paper.md"
    md.write_bytes(MARKDOWN)
    assert fetch_paper(str(md), tmp_path / "b")["file"] == "paper.md"
    assert fetch_paper(str(EXAMPLE_HTML), tmp_path / "c")["file"] == "paper.html"


def test_rerun_works_offline(server, tmp_path):
    arxiv_routes(html=HTML)
    fetch_paper("2106.09685v2", tmp_path / "source")
    Handler.routes.clear()  # every later request would fail
    paper = extract(tmp_path / "source", tmp_path / "paper.md", tmp_path / "paper.json")
    assert paper["title"].startswith("A Restatement")


def test_gives_up_after_repeated_500_naming_url_and_status(server):
    Handler.routes["/down"] = [(500, {}, b"oops")]
    with pytest.raises(UserError, match=r"/down failed after 3 tries \(HTTP 500\)"):
        http_get(f"{server}/down")
    assert sum(1 for p, _, _ in Handler.hits if p == "/down") == 3


def test_404_is_not_retried(server):
    with pytest.raises(UserError, match="answered HTTP 404"):
        http_get(f"{server}/missing")
    assert len(Handler.hits) == 1


def test_truncated_body_is_retried(server):
    Handler.routes["/cut"] = [(200, {"Content-Length": str(len(HTML) + 50)}, HTML), (200, {}, HTML)]
    assert http_get(f"{server}/cut").content == HTML


def test_timeout_then_clear_error():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    try:
        with pytest.raises(UserError, match="ReadTimeout"):
            http_get(f"http://127.0.0.1:{listener.getsockname()[1]}/slow", retries=1, backoff=0.01, timeout=0.3)
    finally:
        listener.close()


def test_non_latexml_html_url_is_refused(server, tmp_path):
    Handler.routes["/plain"] = ok(b"<html><body>hello</body></html>")
    with pytest.raises(UserError, match="not usable LaTeXML HTML"):
        fetch_paper(f"{server}/plain", tmp_path / "source")
    assert not (tmp_path / "source").exists()


def test_html_problem_detects_stubs_and_failed_conversions():
    assert html_problem(HTML) is None
    assert "stub" in html_problem(STUB)
    assert "failed" in html_problem(FAILED)


@pytest.mark.parametrize(
    ("value", "kind", "arxiv_id", "version", "workspace"),
    [("2106.09685", "arxiv", "2106.09685", "", "2106.09685"), ("2106.09685v2", "arxiv", "2106.09685", "v2", "2106.09685"),
     ("hep-th/9901001", "arxiv", "hep-th/9901001", "", "hep-th_9901001"),
     ("https://arxiv.org/abs/2106.09685v3", "arxiv", "2106.09685", "v3", "2106.09685"),
     ("https://arxiv.org/html/2106.09685", "arxiv", "2106.09685", "", "2106.09685"),
     ("https://arxiv.org/pdf/2106.09685v1.pdf", "arxiv", "2106.09685", "v1", "2106.09685"),
     ("https://openreview.net/forum?id=nZeVKeeFYf9", "openreview", "", "", "openreview-nZeVKeeFYf9"),
     ("https://example.org/files/paper.pdf", "url_pdf", "", "", "paper")],
)
def test_accepted_references(value, kind, arxiv_id, version, workspace):
    ref = parse_reference(value)
    assert (ref.kind, ref.arxiv_id, ref.version, ref.workspace_id) == (kind, arxiv_id, version, workspace)


@pytest.mark.parametrize("value", ["abc", "../../etc/passwd", "", "   ", "2106.09685; rm -rf /", "$(reboot).html",
                                   "no/such/file.html", "ftp://example.org/x.pdf"])
def test_everything_else_is_refused_with_the_accepted_forms(value):
    with pytest.raises(UserError, match="arXiv id|does not exist"):
        parse_reference(value)


def test_openreview_answer_that_is_not_json_is_one_sentence(server, tmp_path):
    Handler.routes["/or-api/notes?id=Bad12345"] = ok(b"<html>maintenance</html>")
    with pytest.raises(UserError, match="OpenReview's answer for Bad12345 .* is not JSON"):
        fetch_paper("https://openreview.net/forum?id=Bad12345", tmp_path / "source")
    assert not (tmp_path / "source").exists()


def test_retry_after_is_capped(server, monkeypatch):
    monkeypatch.setenv("REPROKIT_HTTP_RETRY_AFTER_MAX_S", "1")
    Handler.routes["/busy"] = [(503, {"Retry-After": "100000"}, b"busy"), (200, {}, HTML)]
    started = time.time()
    assert http_get(f"{server}/busy").content == HTML
    assert time.time() - started < 5


def test_a_body_without_length_cut_short_is_fetched_again(server):
    whole = b"<html><body>" + b"x" * 500 + b"</body></html>"
    Handler.routes["/nolen"] = [(200, {"Content-Length": None}, whole[:200]), (200, {"Content-Length": None}, whole)]
    assert http_get(f"{server}/nolen").content == whole
    Handler.routes["/pdfcut"] = [(200, {"Content-Length": None}, b"%PDF-1.5 partial")]
    with pytest.raises(UserError, match=r"/pdfcut failed after 2 downloads \(truncated body \(a PDF without %%EOF\)\)"):
        http_get(f"{server}/pdfcut")


def test_a_server_dripping_bytes_hits_the_deadline(server, monkeypatch):
    monkeypatch.setenv("REPROKIT_HTTP_DEADLINE_S", "1")
    Handler.routes["/drip"] = [(200, {"X-Drip-S": "0.2"}, b"<html>" + b"y" * 100)]
    started = time.time()
    with pytest.raises(UserError, match=r"/drip did not send its whole answer within 1 s"):
        http_get(f"{server}/drip")
    assert time.time() - started < 5


def test_a_redirect_loop_and_invalid_urls_are_one_sentence(server):
    Handler.routes["/loop"] = [(302, {"Location": "/loop"}, b"")]
    with pytest.raises(UserError, match="redirects in a loop"):
        http_get(f"{server}/loop")
    for bad in ("http://", "ftp://example.org/x", "https://exa mple.org/"):
        with pytest.raises(UserError, match="is not a valid http"):
            http_get(bad)


def test_a_live_file_corrupted_in_place_leaves_the_last_good_copy_whole(tmp_path):
    from reprokit.lastgood import job_key, kept_path, or_last_good

    out = tmp_path / "repro" / "p" / "source"

    def fetch_ok():
        out.mkdir(parents=True, exist_ok=True)
        (out / "paper.html").write_text("good")

    or_last_good([out], fetch_ok, key=job_key([], {}), refresh="fetching")
    with open(out / "paper.html", "w"):  # a shell `>` redirect: truncated in place
        pass
    assert (kept_path(out) / "paper.html").read_text() == "good"


def test_the_last_good_copy_comes_back_only_for_the_same_job(tmp_path, capsys):
    from reprokit.lastgood import job_key, or_last_good

    out = tmp_path / "repro" / "p" / "source"

    def fetch_ok():
        out.mkdir(parents=True, exist_ok=True)
        (out / "paper.html").write_text("good")

    def offline():
        raise UserError("the server is unreachable")

    same = job_key([], {"source": "https://a/1"})
    or_last_good([out], fetch_ok, key=same, refresh="fetching")
    (out / "paper.html").unlink()  # Snakemake removes a job's outputs before it runs
    out.rmdir()
    assert or_last_good([out], offline, key=same, refresh="re-fetching") is None
    assert (out / "paper.html").read_text() == "good"
    assert "kept the previous copy" in capsys.readouterr().err
    changed = job_key([], {"source": "https://a/2"})  # a new source must not get the old paper
    with pytest.raises(UserError, match=r"unreachable; the previous copy, made with other settings, is kept in "
                                        r".*\.last-good/"):
        or_last_good([out], offline, key=changed, refresh="re-fetching")
