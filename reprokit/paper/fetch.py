"""Stage 1, first half: get the paper into the workspace's ``source/`` folder with a record of where it
came from, so later runs work offline and a re-fetch happens only when asked.

For an arXiv id the routes are tried in order, stopping at the first that works: arXiv's HTML (a stub
page or a failed LaTeXML conversion is detected and skipped), ar5iv's rendering, the Hugging Face paper
page's Markdown, then the PDF. The arXiv API (title, version, comments, journal reference) and the Hub's
paper data (GitHub repo, project page, linked models, datasets and spaces) are recorded in every case.
Requests to arXiv are spaced (3 s by default, across processes), carry a descriptive User-Agent and are
retried with exponential backoff on 429/5xx/timeouts (urllib3's Retry), honouring Retry-After up to a cap,
under an overall deadline per request, and a body is accepted only when whole.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
from lxml import etree
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

from reprokit import __version__, atomic
from reprokit.errors import UserError
from reprokit.paper.paperid import PaperRef, parse_reference

USER_AGENT = f"reprokit/{__version__} (paper-reproduction workflow; +https://github.com/reprokit/reprokit)"
RETRY_STATUS = {429, 500, 502, 503, 504}
ARXIV_HOSTS = ("arxiv.org", "export.arxiv.org", "ar5iv.labs.arxiv.org", "ar5iv.org")


def endpoint(name: str) -> str:
    """Service base URLs; environment variables point them elsewhere (tests use 127.0.0.1)."""
    defaults = {"arxiv": ("REPROKIT_ARXIV_URL", "https://arxiv.org"),
                "ar5iv": ("REPROKIT_AR5IV_URL", "https://ar5iv.labs.arxiv.org"),
                "arxiv_api": ("REPROKIT_ARXIV_API_URL", "https://export.arxiv.org/api/query"),
                "openreview_api": ("REPROKIT_OPENREVIEW_API_URL", "https://api2.openreview.net"),
                "openreview": ("REPROKIT_OPENREVIEW_URL", "https://openreview.net"),
                "hf": ("HF_ENDPOINT", "https://huggingface.co")}
    variable, default = defaults[name]
    return os.environ.get(variable, default).rstrip("/")


def _arxiv_interval() -> float:
    return float(os.environ.get("REPROKIT_ARXIV_INTERVAL_S", "3"))


def _polite_wait(url: str, *, answered: bool = False) -> None:
    """Space requests to arXiv's hosts (and whatever stands in for them) across processes: wait until the interval
    has passed since the last request was sent and answered (``answered``: only note that an answer came now, so
    the next request is spaced from the server's side too, however long this one took to reach it)."""
    host = urlparse(url).netloc
    arxiv_like = {urlparse(endpoint(n)).netloc for n in ("arxiv", "ar5iv", "arxiv_api")} | set(ARXIV_HOSTS)
    if host not in arxiv_like:
        return
    cache = Path(os.environ.get("REPROKIT_CACHE", Path.home() / ".cache" / "reprokit"))
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "arxiv-rate.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read().strip()
        last = float(text) if re.fullmatch(r"\d+(\.\d+)?", text) else 0.0
        wait = last + _arxiv_interval() - time.time()
        if wait > 0 and not answered:
            time.sleep(wait)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{max(time.time(), last):.6f}")


def _setting(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def http_session(retries: int, backoff: float, statuses: set[int] = RETRY_STATUS,
                 retry_after: bool = True) -> requests.Session:
    """A session whose adapter retries (urllib3's Retry): 429 and 5xx answers, connection and read errors, with
    exponential backoff; a Retry-After header is honoured up to a cap; redirect loops stop after 10 hops."""
    retry = Retry(total=retries, connect=retries, read=retries, status=retries, other=0, redirect=10,
                  backoff_factor=backoff, backoff_max=60, status_forcelist=sorted(statuses),
                  allowed_methods=frozenset({"GET"}), respect_retry_after_header=retry_after,
                  retry_after_max=int(_setting("REPROKIT_HTTP_RETRY_AFTER_MAX_S", 60)), raise_on_status=False)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    for scheme in ("http://", "https://"):
        session.mount(scheme, HTTPAdapter(max_retries=retry))
    return session


def body_problem(body: bytes) -> str | None:
    """Why a body sent without Content-Length is cut short (None when it looks whole): a PDF ends with %%EOF,
    an HTML page closes its html element."""
    if body.startswith(b"%PDF") and b"%%EOF" not in body[-2048:]:
        return "truncated body (a PDF without %%EOF)"
    if b"<html" in body[:2048].lower() and b"</html>" not in body[-4096:].lower():
        return "truncated body (HTML without </html>)"
    return None


def _reason(err: Exception, timeout: float) -> str:
    text = str(err)
    if isinstance(err, requests.ConnectTimeout) or "ConnectTimeout" in text:
        return f"ConnectTimeout: no connection within {timeout:g} s"
    if isinstance(err, requests.ReadTimeout) or "Read timed out" in text:
        return f"ReadTimeout: no answer within {timeout:g} s"
    return f"{type(err).__name__}: {text[:160]}"


def http_get(url: str, *, retries: int | None = None, backoff: float | None = None, timeout: float | None = None,
             session: requests.Session | None = None) -> requests.Response:
    """GET with a descriptive User-Agent, retries (see ``http_session``), a per-read socket timeout and an
    overall deadline for the whole body, and a check that the body arrived whole (Content-Length, or the
    format's own end for bodies sent without one; a cut body is fetched once more).

    Raises UserError naming the URL and what went wrong: the last status once the retries are spent, an
    invalid URL, a redirect loop, a timeout, the deadline.
    """
    retries = int(_setting("REPROKIT_HTTP_RETRIES", 4)) if retries is None else retries
    backoff = _setting("REPROKIT_HTTP_BACKOFF_S", 1) if backoff is None else backoff
    timeout = _setting("REPROKIT_HTTP_TIMEOUT_S", 30) if timeout is None else timeout
    deadline_s = _setting("REPROKIT_HTTP_DEADLINE_S", 300)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c.isspace() for c in url):
        raise UserError(f"{url!r} is not a valid http(s) URL; fix it in the config (e.g. https://arxiv.org/abs/2106.09685).")
    session = session or http_session(retries, backoff)
    problem = "no answer"
    for _ in range(2):  # a body that arrived cut short is fetched once more
        _polite_wait(url)
        deadline = time.monotonic() + deadline_s
        try:
            response = session.get(url, timeout=timeout, stream=True)
            _polite_wait(url, answered=True)
            if response.status_code in RETRY_STATUS:
                raise UserError(f"{url} failed after {retries + 1} tries (HTTP {response.status_code}); try again later "
                                "or point `source` at a local file.")
            if response.status_code != 200:
                raise UserError(f"{url} answered HTTP {response.status_code}; check the paper's `source` in the config.")
            chunks = []
            # read whatever has arrived (not a fixed amount), so a slow sender still meets the deadline
            while chunk := response.raw.read1(65536, decode_content=True):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    response.close()
                    raise UserError(f"{url} did not send its whole answer within {deadline_s:g} s (REPROKIT_HTTP_"
                                    "DEADLINE_S); try again later or point `source` at a local file.")
        except requests.TooManyRedirects:
            raise UserError(f"{url} redirects in a loop (more than 10 hops); check the URL in the config.") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as err:
            raise UserError(f"{url!r} is not a valid URL ({str(err)[:120]}); fix it in the config.") from None
        except (requests.exceptions.ChunkedEncodingError, ProtocolError):
            problem = "truncated body"
            continue
        except ReadTimeoutError:
            raise UserError(f"{url} stopped sending (no data within {timeout:g} s); try again later or point `source` "
                            "at a local file.") from None
        except requests.exceptions.InvalidHeader as err:
            raise UserError(f"{url} answered with an invalid header ({str(err)[:120]}); try again later or point "
                            "`source` at a local file.") from None
        except (requests.Timeout, requests.ConnectionError) as err:
            raise UserError(f"{url} failed after {retries + 1} tries ({_reason(err, timeout)}); try again later or "
                            "point `source` at a local file.") from None
        body = b"".join(chunks)
        expected = response.headers.get("Content-Length")
        if expected is not None and expected.isdigit():
            problem = (f"truncated body ({len(body)} of {expected} bytes)" if int(expected) != len(body)
                       and "Content-Encoding" not in response.headers else None)
        else:
            problem = body_problem(body)
        if problem is None:
            response._content = body
            return response
    raise UserError(f"{url} failed after 2 downloads ({problem}); try again later or point `source` at a local file.")


def html_problem(body: bytes) -> str | None:
    """Why an HTML answer is not a usable LaTeXML paper (None when it is)."""
    if b"ltx_document" not in body:
        return "no LaTeXML document in the page (arXiv's 'HTML not available' stub or another page)"
    paragraphs = body.count(b"ltx_para")
    if b"Conversion to HTML had a Fatal error" in body or b"ltx_conversion_failed" in body:
        return "the LaTeXML conversion failed (fatal error reported in the page)"
    if paragraphs < 3:
        return f"the LaTeXML conversion failed (only {paragraphs} paragraphs)"
    if body.count(b"ltx_ERROR") > max(200, paragraphs * 2):
        return "the LaTeXML conversion failed (more errors than paragraphs)"
    return None


def arxiv_metadata(arxiv_id: str, version: str) -> dict[str, Any]:
    """Title, latest version, comments and journal reference from the arXiv API (Atom)."""
    url = f"{endpoint('arxiv_api')}?id_list={arxiv_id}{version}"
    try:
        body = http_get(url, retries=2).content
        root = etree.fromstring(body)
    except (UserError, etree.XMLSyntaxError) as err:
        return {"error": str(err), "url": url}
    ns = {"a": "http://www.w3.org/2005/Atom", "x": "http://arxiv.org/schemas/atom"}
    entry = root.find("a:entry", ns)
    if entry is None:
        return {"error": "the arXiv API knows no such id", "url": url}

    def text(path: str) -> str:
        found = entry.find(path, ns)
        return re.sub(r"\s+", " ", found.text or "").strip() if found is not None else ""

    entry_id = text("a:id")
    match = re.search(r"v(\d+)$", entry_id)
    return {"url": url, "title": text("a:title"), "summary": text("a:summary"), "comment": text("x:comment"),
            "journal_ref": text("x:journal_ref"), "version": f"v{match.group(1)}" if match else "",
            "authors": [re.sub(r"\s+", " ", a.text or "").strip() for a in entry.findall("a:author/a:name", ns)],
            "published": text("a:published"), "updated": text("a:updated")}


def hub_paper(arxiv_id: str) -> dict[str, Any]:
    """The Hugging Face paper page's data: repo, project page, linked models, datasets and spaces."""
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError

    try:
        info = HfApi(endpoint=endpoint("hf"), library_name="reprokit", library_version=__version__).paper_info(arxiv_id)
    except HfHubHTTPError as err:
        status = getattr(getattr(err, "response", None), "status_code", None)
        return {"error": "not on the Hub" if status == 404 else f"HTTP {status}"}
    except (requests.RequestException, OSError, ValueError) as err:
        return {"error": type(err).__name__}
    return {"title": info.title or "", "summary": info.summary or "", "github_repo": info.github_repo or "",
            "project_page": info.project_page or "",
            "authors": [a.name for a in info.authors or [] if getattr(a, "name", None)],
            "linked_models": [m.id for m in info.linked_models or []],
            "linked_datasets": [d.id for d in info.linked_datasets or []],
            "linked_spaces": [s.id for s in info.linked_spaces or []]}


def _openreview_note(forum_id: str) -> dict[str, Any]:
    url = f"{endpoint('openreview_api')}/notes?id={forum_id}"
    try:
        notes = http_get(url).json().get("notes") or []
    except ValueError:
        raise UserError(f"OpenReview's answer for {forum_id} ({url}) is not JSON; try again later or give the PDF "
                        "as `source`.") from None
    if not notes:
        raise UserError(f"OpenReview has no note {forum_id}; check the forum URL in `source`.")
    content = notes[0].get("content", {})
    flat = {k: (v.get("value") if isinstance(v, dict) else v) for k, v in content.items()}
    return flat


def _try(route: str, url: str, attempts: list[dict[str, str]], check=None) -> bytes | None:
    try:
        body = http_get(url).content
    except UserError as err:
        attempts.append({"route": route, "url": url, "result": str(err)})
        return None
    problem = check(body) if check else (None if body.strip() else "empty body")
    attempts.append({"route": route, "url": url, "result": problem or "ok"})
    return None if problem else body


def _pdf_problem(body: bytes) -> str | None:
    return None if body.startswith(b"%PDF") else "not a PDF"


def fetch_arxiv(ref: PaperRef, attempts: list[dict[str, str]]) -> tuple[str, bytes, str]:
    """(file kind, body, URL) from the first route that works."""
    ident = f"{ref.arxiv_id}{ref.version}"
    routes = [("arxiv-html", f"{endpoint('arxiv')}/html/{ident}", "html", html_problem),
              ("ar5iv", f"{endpoint('ar5iv')}/html/{ident}", "html", html_problem),
              ("hf-markdown", f"{endpoint('hf')}/papers/{ref.arxiv_id}.md", "md", None),
              ("arxiv-pdf", f"{endpoint('arxiv')}/pdf/{ident}", "pdf", _pdf_problem)]
    for route, url, kind, check in routes:
        body = _try(route, url, attempts, check)
        if body is not None:
            return kind, body, url
    tried = "; ".join(f"{a['route']}: {a['result']}" for a in attempts)
    raise UserError(f"no route gave a usable copy of arXiv {ident} ({tried}); give a local .html, .md or .pdf as `source`.")


def fetch_paper(source: str, out_dir: str | Path, base_dir: str | Path = ".") -> dict[str, Any]:
    """Stage 1's fetch rule: ``out_dir/paper.{html,md,pdf}`` and ``out_dir/fetch.json``, built in a staging
    folder and moved into place only when complete."""
    ref = parse_reference(source, base_dir)
    attempts: list[dict[str, str]] = []
    meta: dict[str, Any] = {"source": source, "kind": ref.kind, "arxiv_id": ref.arxiv_id,
                            "requested_version": ref.version}
    if ref.kind == "openreview":
        note = _openreview_note(ref.openreview_id)
        meta["openreview"] = {"id": ref.openreview_id, "title": note.get("title", ""), "venue": note.get("venue", "")}
        found = re.search(r"(\d{4}\.\d{4,5})(v\d+)?", " ".join(str(v) for v in note.values()))
        if found:
            ref = PaperRef("arxiv", source, found.group(1), found.group(2) or "", ref.openreview_id)
            meta["arxiv_id"] = ref.arxiv_id
    if ref.kind == "arxiv":
        kind, body, url = fetch_arxiv(ref, attempts)
    elif ref.kind == "openreview":
        url = f"{endpoint('openreview')}/pdf?id={ref.openreview_id}"
        body = _try("openreview-pdf", url, attempts, _pdf_problem)
        if body is None:
            raise UserError(f"OpenReview gave no PDF for {ref.openreview_id} ({attempts[-1]['result']}); give a local file.")
        kind = "pdf"
    elif ref.kind in ("url_html", "url_pdf"):
        url = ref.value
        body = http_get(url).content
        kind = "pdf" if body.startswith(b"%PDF") else "html"
        problem = html_problem(body) if kind == "html" else None
        if problem:
            raise UserError(f"{url} is not usable LaTeXML HTML: {problem}; give an arXiv HTML page, a PDF or a local file.")
        attempts.append({"route": "url", "url": url, "result": "ok"})
    else:
        path = Path(ref.value)
        body = path.read_bytes()
        kind = ref.kind.split("_", 1)[1]
        url = path.resolve().as_uri()
        if not body.strip():
            raise UserError(f"paper file {ref.value} is empty; give a file with the paper in it.")
        if kind == "html" and b"ltx_document" not in body:
            raise UserError(f"{ref.value} is not LaTeXML HTML (no ltx_document element); give an arXiv HTML page or a "
                            "file made with `latexmlc --format=html5`.")
    if ref.arxiv_id:
        meta["arxiv"] = arxiv_metadata(ref.arxiv_id, ref.version)
        meta["hf"] = hub_paper(ref.arxiv_id)
    meta.update({"url": url, "file": f"paper.{kind}", "format": kind, "attempts": attempts,
                 "version": ref.version or meta.get("arxiv", {}).get("version", ""),
                 "sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body),
                 "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), "fetcher": USER_AGENT})
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        (staging / meta["file"]).write_bytes(body)
        atomic.write_json(staging / "fetch.json", meta)
        atomic.replace_dir(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return meta
