"""The real fetching code against a real HTTP server on 127.0.0.1."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reprokit.errors import UserError
from reprokit.fetch import USER_AGENT, fetch_paper, http_get
from tests.conftest import EXAMPLE_HTML

BODY = EXAMPLE_HTML.read_bytes()


class Handler(BaseHTTPRequestHandler):
    script: dict = {}
    hits: dict = {}
    agents: list = []

    def log_message(self, *args):  # keep the test output quiet
        pass

    def do_GET(self):
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        Handler.agents.append(self.headers.get("User-Agent"))
        plan = Handler.script.get(self.path, [(200, {}, BODY)])
        status, headers, body = plan[min(Handler.hits[self.path], len(plan)) - 1]
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def server():
    Handler.script, Handler.hits, Handler.agents = {}, {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_downloads_and_records_where_from(server, tmp_path):
    meta = fetch_paper(f"{server}/html/2011.14439", tmp_path / "paper.html", tmp_path / "fetch.json")
    assert (tmp_path / "paper.html").read_bytes() == BODY
    assert json.loads((tmp_path / "fetch.json").read_text())["sha256"] == meta["sha256"]
    assert Handler.agents == [USER_AGENT]


def test_retries_429_honouring_retry_after(server, tmp_path):
    Handler.script["/p"] = [(429, {"Retry-After": "0"}, b"slow down"), (200, {}, BODY)]
    fetch_paper(f"{server}/p", tmp_path / "paper.html", tmp_path / "fetch.json")
    assert Handler.hits["/p"] == 2


def test_gives_up_after_repeated_500_naming_url_and_status(server):
    Handler.script["/down"] = [(500, {}, b"oops")]
    with pytest.raises(UserError, match=r"/down failed after 3 tries \(HTTP 500\)"):
        http_get(f"{server}/down", retries=2, backoff=0.01)
    assert Handler.hits["/down"] == 3


def test_404_is_not_retried(server):
    Handler.script["/missing"] = [(404, {}, b"no")]
    with pytest.raises(UserError, match="answered HTTP 404"):
        http_get(f"{server}/missing", retries=3, backoff=0.01)
    assert Handler.hits["/missing"] == 1


def test_truncated_body_is_retried(server):
    Handler.script["/cut"] = [(200, {"Content-Length": str(len(BODY) + 50)}, BODY), (200, {}, BODY)]
    assert http_get(f"{server}/cut", retries=2, backoff=0.01).content == BODY


def test_timeout_then_clear_error(tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts, never answers
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
    try:
        with pytest.raises(UserError, match="ReadTimeout"):
            http_get(url, retries=1, backoff=0.01, timeout=0.3)
    finally:
        listener.close()


def test_non_latexml_page_is_refused_and_nothing_written(server, tmp_path):
    Handler.script["/plain"] = [(200, {}, b"<html><body>hello</body></html>")]
    with pytest.raises(UserError, match="not LaTeXML HTML"):
        fetch_paper(f"{server}/plain", tmp_path / "paper.html", tmp_path / "fetch.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("source", ["", "   ", "no/such/file.html"])
def test_bad_sources_are_refused(tmp_path, source):
    with pytest.raises(UserError, match="source"):
        fetch_paper(source, tmp_path / "paper.html", tmp_path / "fetch.json")
