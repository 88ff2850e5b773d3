"""Stage 2, discovery: where is the paper's official code? Candidates ranked, each with its evidence.

Sources: the ``code:`` config value (always wins), the Hugging Face paper data (``github_repo``, linked
models and spaces), code links in the paper's text and footnotes, and the GitHub search API (arXiv id
and title; a README that cites the id or the title is a back-reference). GitHub's rate limits are
honoured; a token is read from ``GITHUB_TOKEN`` and never written anywhere. "No code found" is a valid
outcome.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

import requests

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.paper.fetch import USER_AGENT, http_session
from reprokit.text import sentences

MIN_SCORE = 50


def github_api() -> str:
    return os.environ.get("REPROKIT_GITHUB_API_URL", "https://api.github.com").rstrip("/")


def normalise_repo(url: str) -> str | None:
    """``https://github.com/Owner/Repo/tree/main/x`` -> ``https://github.com/Owner/Repo``; None for non-repos."""
    match = re.match(r"^https?://(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org)/([\w.-]+)/([\w.-]+)", url.strip())
    if not match or match.group(2).lower() in ("orgs", "topics", "features", "sponsors", "about", "settings"):
        return None
    repo = re.sub(r"\.git$", "", match.group(3))
    return f"https://{match.group(1)}/{match.group(2)}/{repo}"


def _github_get(session: requests.Session, url: str, params: dict[str, str] | None = None,
                raw: bool = False) -> requests.Response | None:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/vnd.github.raw" if raw else "application/vnd.github+json"}
    token = os.environ.get("GITHUB_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    for _ in range(2):
        response = session.get(url, params=params, headers=headers, timeout=20)
        limited = response.status_code in (403, 429) and (response.headers.get("X-RateLimit-Remaining") == "0"
                                                          or "Retry-After" in response.headers)
        if not limited:
            return response
        reset = response.headers.get("Retry-After") or str(
            max(0, int(response.headers.get("X-RateLimit-Reset", "0") or 0) - int(time.time())))
        wait = float(reset) if reset.replace(".", "", 1).isdigit() else 60.0
        if wait > float(os.environ.get("REPROKIT_GITHUB_MAX_WAIT_S", "60")):
            raise RuntimeError(f"GitHub rate limit: retry in {wait:.0f} s")
        time.sleep(wait)
    raise RuntimeError("GitHub rate limit persists")


def github_search(title: str, arxiv_id: str, *, max_repos: int = 5) -> tuple[list[dict[str, Any]], list[str]]:
    """Repositories that mention the arXiv id or the title, checked for a README back-reference."""
    # 5xx and connection errors are retried by the session; GitHub's rate limit (403/429) by _github_get
    session = http_session(retries=2, backoff=1.0, statuses={500, 502, 504}, retry_after=False)
    queries = [f'"{arxiv_id}"'] if arxiv_id else []
    fragment = " ".join(re.findall(r"[A-Za-z0-9-]+", title)[:8])
    if fragment:
        queries.append(f'"{fragment}" in:readme,description')
    found: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    answered = 0
    for query in queries:
        try:
            response = _github_get(session, f"{github_api()}/search/repositories", {"q": query, "per_page": "10"})
        except (RuntimeError, requests.RequestException) as err:
            notes.append(f"GitHub search {query!r}: {err}")
            continue
        if response.status_code != 200:
            notes.append(f"GitHub search {query!r}: HTTP {response.status_code}")
            continue
        try:
            items = response.json().get("items", [])
        except ValueError:
            notes.append(f"GitHub search {query!r}: the answer is not JSON")
            continue
        answered += 1
        for item in items[:max_repos]:
            url = normalise_repo(item.get("html_url", ""))
            if url and url not in found:
                found[url] = {"url": url, "full_name": item.get("full_name", ""), "stars": item.get("stargazers_count", 0),
                              "query": query, "back_reference": ""}
    if queries and not answered:  # offline or refused: not the same as "no code exists"
        raise UserError(f"the GitHub search for the paper's code failed ({notes[-1]}), so stage 2 cannot tell whether "
                        "official code exists; rerun when the GitHub API is reachable, or set the paper's `code:` to "
                        "the repository URL (or to `none` to go on without code).")
    for repo in list(found.values())[:max_repos]:
        try:
            response = _github_get(session, f"{github_api()}/repos/{repo['full_name']}/readme", raw=True)
        except (RuntimeError, requests.RequestException) as err:
            notes.append(f"README of {repo['full_name']}: {err}")
            continue
        if response.status_code == 200:
            readme = response.text
            if arxiv_id and arxiv_id in readme:
                repo["back_reference"] = f"README cites arXiv {arxiv_id}"
            elif title and title.lower()[:60] in readme.lower():
                repo["back_reference"] = "README cites the paper's title"
        else:
            notes.append(f"README of {repo['full_name']}: HTTP {response.status_code}")
    return list(found.values()), notes


OWN = re.compile(r"\b(our|my)\s+(source\s+)?(code|implementation|codebase|repository|project page)\b|\bwe\s+(release|"
                 r"open[- ]source|publish|make|have made)\b.*\b(code|implementation|public|available)\b|\bwe\s+(propose|present|"
                 r"introduce)\b|^\W*(code|source code|project page|github|implementation)\s*(:|is at|at)\s", re.IGNORECASE)
AVAILABLE = re.compile(r"\b(code|implementation|repository|codebase)\b.*\b(is|are|can be|will be|has been)\s+(publicly\s+|"
                       r"made\s+|now\s+)?(available|released|found|open[- ]sourced)\b", re.IGNORECASE)
OTHERS = re.compile(r"\bbaselines?\b|\bwe\s+(use|used|adopt|adopted|employ|employed|follow|followed)\b|\b(borrowed|taken|"
                    r"obtained)\s+from\b|\b(provided|released)\s+by\b|\btheir\s+(released\s+|official\s+)?(code|"
                    r"implementation|open-sourced)|\bimplementation\s+(of|from|by)\b|\b(dataset|benchmark|library|toolkit|"
                    r"framework|package|pretrained|checkpoints?|model zoo)\b|\b(based|built)\s+(on|upon)\b|"
                    r"\([A-Z][\w-]+( et al\.| and [A-Z][\w-]+)?,? \d{4}[a-z]?\)", re.IGNORECASE)
PLACE_BONUS = {"abstract": 10, "title": 10, "authors": 10}


def claim_of(sentence: str) -> tuple[str, str]:
    """What a sentence says about the link in it: ``own`` (the paper's code), ``available`` (code is out, whose
    is not said), ``other`` (a baseline's, a dataset's, a tool's: the cue is returned) or ``none``."""
    if OWN.search(sentence):
        return "own", ""
    other = OTHERS.search(sentence)
    if other:
        return "other", other.group(0)
    return ("available", "") if AVAILABLE.search(sentence) else ("none", "")


def _named_like_the_paper(url: str, title: str) -> bool:
    """The repository's name is a word of the title (a method name such as RICE), not a common word."""
    name = re.sub(r"[^a-z0-9]", "", url.rstrip("/").rsplit("/", 1)[-1].lower())
    words = {re.sub(r"[^a-z0-9]", "", w.lower()) for w in re.findall(r"[A-Za-z][\w-]{2,}", title)}
    return len(name) >= 3 and name in words and name.upper() in title.upper().replace("-", "")


def candidates_from_paper(paper: dict[str, Any]) -> list[dict[str, Any]]:
    """Code links scored by what the text claims about them: the paper's own code is chosen; a link cited for a
    baseline, a dataset or a tool is listed, rejected with its reason; a bare link is listed, not chosen."""
    out: dict[str, dict[str, Any]] = {}
    hub = paper.get("hub") or {}
    if hub.get("github_repo") and normalise_repo(hub["github_repo"]):
        url = normalise_repo(hub["github_repo"])
        out[url] = {"url": url, "kind": "git", "score": 90, "evidence": ["Hugging Face paper page links it as the repo"]}
    places = [("abstract", paper.get("abstract", "")), *(("authors", t) for t in paper.get("author_notes", []))]
    places += [(f.get("context") if f.get("context") in PLACE_BONUS else "", f"{f['text']} {f.get('context', '')}")
               for f in paper.get("footnotes", [])]
    places += [("", p) for sec in paper.get("sections", []) for p in sec.get("paragraphs", [])]
    for link in paper.get("code_links", []):
        url = normalise_repo(link)
        if not url:
            continue
        said = [(place, s) for place, text in places for s in sentences(text) if link.rstrip("/") in s or url in s]
        judged = [(place, s, *claim_of(s)) for place, s in said] or [("", "", "none", "")]
        rank = {"own": 0, "available": 1, "other": 2, "none": 3}
        place, claim_sentence, claim, cue = min(judged, key=lambda j: (rank[j[2]], -PLACE_BONUS.get(j[0], 0)))
        score = {"own": 80, "available": 65, "other": 15, "none": 40}[claim]
        evidence = [f"linked in the paper: \"{claim_sentence[:160]}\"" if claim_sentence else "linked in the paper"]
        if claim == "other":
            evidence.append(f"rejected: the sentence cites someone else's work or a tool (\"{cue}\")")
        else:
            score += PLACE_BONUS.get(place, 0)
            if place:
                evidence.append(f"stated in the {place if place != 'authors' else 'author notes'}")
            if _named_like_the_paper(url, paper.get("title", "")):
                score += 10
                evidence.append("the repository is named like the paper's method")
            if claim == "none":
                evidence.append("nothing says it is the paper's own code")
        entry = out.setdefault(url, {"url": url, "kind": "git", "score": score, "evidence": []})
        entry["score"] = max(entry["score"], score)
        entry["evidence"].extend(evidence)
    for model in hub.get("linked_models") or []:
        out[f"hf:{model}"] = {"url": f"https://huggingface.co/{model}", "kind": "hf-model", "score": 20,
                              "evidence": ["Hugging Face model linked to the paper (a checkpoint, not training code)"]}
    for space in hub.get("linked_spaces") or []:
        out[f"hf-space:{space}"] = {"url": f"https://huggingface.co/spaces/{space}", "kind": "hf-space", "score": 15,
                                    "evidence": ["Hugging Face space linked to the paper (a demo)"]}
    return list(out.values())


def discover(paper: dict[str, Any], code_setting: str, *, search: bool = True) -> dict[str, Any]:
    """Ranked candidates and the chosen code source (``none`` when nothing qualifies)."""
    candidates = candidates_from_paper(paper)
    notes: list[str] = []
    setting = (code_setting or "auto").strip()
    if setting not in ("auto", ""):
        candidates.insert(0, {"url": setting, "kind": "config", "score": 100, "evidence": ["set by `code:` in the config"]})
    elif search:
        hits, notes = github_search(paper.get("title", ""), paper.get("arxiv_id", ""))
        known = {c["url"]: c for c in candidates}
        for hit in hits:
            score = 70 if hit["back_reference"] else 30
            evidence = f"GitHub search {hit['query']} ({hit['stars']} stars)" + (
                f"; {hit['back_reference']}" if hit["back_reference"] else "; no back-reference in its README")
            if hit["url"] in known:
                known[hit["url"]]["score"] += 10 if hit["back_reference"] else 0
                known[hit["url"]]["evidence"].append(evidence)
            else:
                candidates.append({"url": hit["url"], "kind": "git", "score": score, "evidence": [evidence]})
    candidates.sort(key=lambda c: -c["score"])
    chosen = next((c for c in candidates if c["kind"] in ("config", "git") and c["score"] >= MIN_SCORE), None)
    return {"chosen": chosen["url"] if chosen else "none",
            "reason": (chosen["evidence"][0] if chosen else "no candidate with enough evidence: no code found"),
            "candidates": candidates, "notes": notes, "searched": bool(search and setting in ("auto", ""))}


def write_candidates(paper_json: str, code_setting: str, search: bool, out_json: str) -> dict[str, Any]:
    """Stage 2's discovery rule: ``code_candidates.json``."""
    paper = atomic.read_json(paper_json, "paper extract")
    result = discover(paper, code_setting, search=search)
    atomic.write_json(out_json, result)
    return result


def write_candidates_without_search(paper_json: str, code_setting: str, out_json: str,
                                    search_failure: UserError) -> dict[str, Any]:
    """When the GitHub search could not be done (and no earlier result of the same job is kept): the paper's
    own link still decides, with the failed search as a note; without one, the failure stands."""
    paper = atomic.read_json(paper_json, "paper extract")
    result = discover(paper, code_setting, search=False)
    if result["chosen"] == "none":
        raise search_failure
    result["notes"].append(f"GitHub search not done ({str(search_failure).split(', so stage 2')[0]})")
    atomic.write_json(out_json, result)
    return result
