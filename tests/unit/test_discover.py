"""Stage 2 discovery against a local HTTP server speaking GitHub's REST API, and the clone of the choice."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from reprokit.code.discover import discover, normalise_repo, write_candidates
from reprokit.code.inventory import build_inventory
from reprokit.code.source import acquire_chosen
from reprokit.errors import UserError
from tests.conftest import git_available
from tests.unit.test_code_stage import RESEARCH_REPO, make_git_repo

PAPER = {"title": "Refined Coreset Selection Towards Minimal Coreset Size", "arxiv_id": "2311.08675",
         "abstract": "", "author_notes": [], "footnotes": [], "sections": [], "tables": [], "code_links": [],
         "hub": {}}


class GitHub(BaseHTTPRequestHandler):
    search: dict = {}
    readmes: dict = {}
    limited: list = []
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        GitHub.seen.append((url.path, parse_qs(url.query), self.headers.get("Authorization")))
        if GitHub.limited:
            status, headers = GitHub.limited.pop(0)
            return self.answer(status, b'{"message": "API rate limit exceeded"}', headers)
        if url.path == "/search/repositories":
            query = parse_qs(url.query)["q"][0]
            items = next((v for k, v in GitHub.search.items() if k in query), [])
            return self.answer(200, json.dumps({"total_count": len(items), "items": items}).encode())
        if url.path.endswith("/readme"):
            name = url.path.split("/repos/")[1].rsplit("/readme", 1)[0]
            if name in GitHub.readmes:
                return self.answer(200, GitHub.readmes[name].encode())
        return self.answer(404, b'{"message": "Not Found"}')

    def answer(self, status, body, headers=None):
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def github(monkeypatch):
    GitHub.search, GitHub.readmes, GitHub.limited, GitHub.seen = {}, {}, [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), GitHub)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("REPROKIT_GITHUB_API_URL", f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    yield GitHub
    httpd.shutdown()


def repo(name, stars=3):
    return {"full_name": name, "html_url": f"https://github.com/{name}", "stargazers_count": stars}


def test_config_value_always_wins_and_nothing_is_searched(github):
    paper = {**PAPER, "hub": {"github_repo": "https://github.com/a/b"}}
    result = discover(paper, "package:mnist1d")
    assert result["chosen"] == "package:mnist1d" and not result["searched"]
    assert github.seen == []
    assert [c["url"] for c in result["candidates"]][:2] == ["package:mnist1d", "https://github.com/a/b"]


def test_hub_repo_and_paper_links_are_ranked_with_evidence(github):
    paper = {**PAPER, "code_links": ["https://github.com/xia/LBCS", "https://github.com/facebookresearch/vissl/tree/main"],
             "footnotes": [{"id": "f1", "text": "Our code is available at https://github.com/xia/LBCS."}],
             "hub": {"github_repo": "https://github.com/xia/LBCS", "linked_models": ["xia/lbcs-resnet"]}}
    result = discover(paper, "auto", search=False)
    ranked = [(c["url"], c["score"]) for c in result["candidates"]]
    assert ranked[0] == ("https://github.com/xia/LBCS", 90)
    assert ("https://github.com/facebookresearch/vissl", 40) in ranked  # a bare link: listed, never chosen
    assert result["chosen"] == "https://github.com/xia/LBCS"
    assert any(c["kind"] == "hf-model" and c["score"] < 50 for c in result["candidates"])


@pytest.mark.parametrize(("sentence", "claim"), [
    ("Our code is available at https://github.com/a/b.", "own"),
    ("We release the implementation at https://github.com/a/b.", "own"),
    ("Code: https://github.com/a/b.", "own"),
    ("In this work, we propose RICE, a refining scheme.", "own"),
    ("The implementation is publicly available at https://github.com/a/b.", "available"),
    ("We use the official implementation of TENT (Wang et al., 2021).", "other"),
    ("As for StateMask, we use their released open-sourced code from https://github.com/a/b.", "other"),
    ("The weights are obtained from the timm library.", "other"),
    ("LAME (Boudiaf et al., 2022).", "other"),
    ("https://github.com/a/b", "none"),
])
def test_what_a_sentence_claims_about_a_link(sentence, claim):
    from reprokit.code.discover import claim_of

    assert claim_of(sentence)[0] == claim


def test_the_papers_own_link_wins_over_baselines_and_tools(github):
    paper = {**PAPER, "title": "FOO: Fast Optimisation Of Objectives",
             "code_links": ["https://github.com/other/tent", "https://github.com/me/FOO", "https://github.com/x/timm"],
             "footnotes": [{"id": "f1", "text": "https://github.com/other/tent", "context": "TENT (Wang et al., 2021)."},
                           {"id": "f2", "text": "https://github.com/x/timm",
                            "context": "Weights are taken from the timm library."},
                           {"id": "f3", "text": "https://github.com/me/FOO", "context": "In this work we propose FOO."}]}
    result = discover(paper, "auto", search=False)
    by_url = {c["url"]: c for c in result["candidates"]}
    assert result["chosen"] == "https://github.com/me/FOO"
    assert "the repository is named like the paper's method" in by_url["https://github.com/me/FOO"]["evidence"]
    for baseline in ("https://github.com/other/tent", "https://github.com/x/timm"):
        assert by_url[baseline]["score"] < 50 and any(e.startswith("rejected:") for e in by_url[baseline]["evidence"])
    only_baselines = {**paper, "code_links": paper["code_links"][::2], "footnotes": paper["footnotes"][:2]}
    assert discover(only_baselines, "auto", search=False)["chosen"] == "none"


@pytest.mark.skipif(not git_available(), reason="git is not installed")
def test_an_unreachable_candidate_is_recorded_and_the_next_one_cloned(tmp_path):
    from reprokit.code.source import Unreachable

    origin = make_git_repo(tmp_path / "origin", RESEARCH_REPO)
    gone = (tmp_path / "gone").as_uri()
    candidates = tmp_path / "code_candidates.json"
    candidates.write_text(json.dumps({"chosen": gone, "reason": "linked", "candidates": [
        {"url": gone, "kind": "git", "score": 80, "evidence": ["linked"]},
        {"url": origin.as_uri(), "kind": "git", "score": 65, "evidence": ["linked second"]}]}))
    info = acquire_chosen(str(candidates), tmp_path / "upstream", tmp_path / "upstream.json")
    assert info["url"] == origin.as_uri() and info["unreachable"][0].startswith(f"{gone}: ")
    assert json.loads((tmp_path / "upstream.json").read_text())["unreachable"] == info["unreachable"]
    candidates.write_text(json.dumps({"chosen": gone, "reason": "linked", "candidates": [
        {"url": gone, "kind": "git", "score": 80, "evidence": ["linked"]}]}))
    with pytest.raises(Unreachable, match=r"^no code could be reached \(file://"):
        acquire_chosen(str(candidates), tmp_path / "upstream2", tmp_path / "upstream2.json")
    candidates.write_text(json.dumps({"chosen": gone, "reason": "set by `code:`", "candidates": [
        {"url": gone, "kind": "config", "score": 100, "evidence": ["set by `code:` in the config"]}]}))
    with pytest.raises(UserError) as refused:  # the user's own choice stops, naming it
        acquire_chosen(str(candidates), tmp_path / "upstream3", tmp_path / "upstream3.json")
    assert not isinstance(refused.value, Unreachable)


def test_github_search_needs_a_readme_back_reference(github):
    github.search = {'"2311.08675"': [repo("someone/unrelated", 900), repo("xia/lbcs-official", 12)]}
    github.readmes = {"xia/lbcs-official": "Code for arXiv 2311.08675 (ICML 2024)", "someone/unrelated": "hello"}
    result = discover(PAPER, "auto")
    assert result["chosen"] == "https://github.com/xia/lbcs-official"
    scores = {c["url"]: c["score"] for c in result["candidates"]}
    assert scores == {"https://github.com/xia/lbcs-official": 70, "https://github.com/someone/unrelated": 30}


def test_rate_limit_is_waited_out(github):
    github.limited = [(403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 2)})]
    github.search = {'"2311.08675"': [repo("xia/lbcs-official")]}
    github.readmes = {"xia/lbcs-official": "2311.08675"}
    started = time.time()
    result = discover(PAPER, "auto")
    assert time.time() - started >= 0.9 and result["chosen"] == "https://github.com/xia/lbcs-official"


def test_a_search_that_gets_no_answer_is_an_error_not_no_code(github, monkeypatch, tmp_path):
    monkeypatch.setenv("REPROKIT_GITHUB_MAX_WAIT_S", "1")
    github.limited = [(429, {"Retry-After": "3600"})] * 4
    with pytest.raises(UserError, match=r"GitHub search for the paper's code failed \(.*rate limit.*\), so stage 2 "
                                        r"cannot tell whether official code exists"):
        discover(PAPER, "auto")


def test_a_search_that_answers_with_nothing_means_no_code(github):
    github.search = {}
    result = discover(PAPER, "auto")
    assert result["chosen"] == "none" and "no code found" in result["reason"] and result["searched"]


def test_token_is_sent_but_never_written(github, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secret_token_123")
    (tmp_path / "paper.json").write_text(json.dumps(PAPER))
    write_candidates(str(tmp_path / "paper.json"), "auto", True, str(tmp_path / "code_candidates.json"))
    assert {auth for _, _, auth in github.seen} == {"Bearer ghp_secret_token_123"}
    assert "ghp_secret" not in (tmp_path / "code_candidates.json").read_text()


@pytest.mark.skipif(not git_available(), reason="git is not installed")
def test_chosen_repo_is_cloned_pinned_and_inventoried(github, tmp_path):
    origin = make_git_repo(tmp_path / "origin", RESEARCH_REPO)
    candidates = tmp_path / "code_candidates.json"
    candidates.write_text(json.dumps({"chosen": origin.as_uri(), "reason": "test", "candidates": []}))
    info = acquire_chosen(str(candidates), tmp_path / "upstream", tmp_path / "upstream.json")
    assert len(info["commit"]) == 40 and info["chosen_because"] == "test"
    inv, _ = build_inventory(tmp_path / "upstream", info, {"open_questions": [], "sections": [], "tables": []}, [])
    assert inv["checklist"]["score"] == 5
    assert not list(tmp_path.rglob("EXECUTED_*"))


@pytest.mark.skipif(not git_available(), reason="git is not installed")
def test_missing_repo_is_a_clear_error(tmp_path):
    candidates = tmp_path / "c.json"
    candidates.write_text(json.dumps({"chosen": (tmp_path / "nope").as_uri(), "reason": "", "candidates": []}))
    with pytest.raises(UserError, match="git could not clone") as caught:
        acquire_chosen(str(candidates), tmp_path / "upstream", tmp_path / "upstream.json")
    assert "does not appear to be a git repository" in str(caught.value)  # git's reason, not only its last line
    assert "Could not read from remote" in str(caught.value)
    assert not (tmp_path / "upstream").exists()


@pytest.mark.skipif(not git_available(), reason="git is not installed")
def test_a_clone_above_the_cap_names_both_sizes(tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    (origin / "big.bin").write_bytes(b"x" * 30_000)
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "big"]):
        subprocess.run(["git", "-C", str(origin), *args], check=True)
    candidates = tmp_path / "c.json"
    candidates.write_text(json.dumps({"chosen": origin.as_uri(), "reason": "", "candidates": []}))
    from reprokit.code import source

    with pytest.raises(UserError, match=r"is 0.03 MB, above the 0.01 MB cap; raise `clone_max_mb`"):
        source._from_git(origin.as_uri(), tmp_path / "clone", 60, 0.01)


def test_no_code_found_gives_an_empty_inventory(tmp_path):
    candidates = tmp_path / "c.json"
    candidates.write_text(json.dumps({"chosen": "none", "reason": "no candidate: no code found", "candidates": []}))
    info = acquire_chosen(str(candidates), tmp_path / "upstream", tmp_path / "upstream.json")
    assert info["kind"] == "none" and list((tmp_path / "upstream").iterdir()) == []


@pytest.mark.parametrize(("url", "repo_url"), [("https://github.com/a/b/tree/main/src", "https://github.com/a/b"),
                                               ("https://github.com/a/b.git", "https://github.com/a/b"),
                                               ("https://github.com/orgs/x", None), ("https://example.org/a/b", None)])
def test_normalise_repo(url, repo_url):
    assert normalise_repo(url) == repo_url


def test_a_search_answer_that_is_not_json_is_named(github, monkeypatch):
    monkeypatch.setattr(GitHub, "search", {'"2311.08675"': None})
    original = GitHub.answer

    def html_search(self, status, body, headers=None):
        if self.path.startswith("/search/"):
            body = b"<html>down</html>"
        return original(self, status, body, headers)

    monkeypatch.setattr(GitHub, "answer", html_search)
    with pytest.raises(UserError, match="the answer is not JSON"):
        discover(PAPER, "auto")


def test_a_failed_search_is_only_a_note_when_the_paper_names_its_own_code(github, monkeypatch, tmp_path):
    from reprokit.code.discover import write_candidates_without_search

    monkeypatch.setenv("REPROKIT_GITHUB_MAX_WAIT_S", "1")
    github.limited = [(429, {"Retry-After": "3600"})] * 4
    paper = {**PAPER, "abstract": "Code: https://github.com/xia/LBCS.", "code_links": ["https://github.com/xia/LBCS"]}
    (tmp_path / "paper.json").write_text(json.dumps(paper))
    with pytest.raises(UserError) as failed:
        write_candidates(str(tmp_path / "paper.json"), "auto", True, str(tmp_path / "c.json"))
    result = write_candidates_without_search(str(tmp_path / "paper.json"), "auto", str(tmp_path / "c.json"),
                                             failed.value)
    assert result["chosen"] == "https://github.com/xia/LBCS"
    assert result["notes"][-1].startswith("GitHub search not done (the GitHub search for the paper's code failed")
    (tmp_path / "paper.json").write_text(json.dumps(PAPER))  # no link of its own: the failure stands
    with pytest.raises(UserError, match="cannot tell whether official code exists"):
        write_candidates_without_search(str(tmp_path / "paper.json"), "auto", str(tmp_path / "c.json"), failed.value)
