"""Stage 1, first half: get the paper's HTML into the workspace (``source/paper.html``) with a record
of where it came from, so every later run works offline and a re-fetch happens only when asked."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from reprokit import __version__, atomic
from reprokit.errors import UserError

USER_AGENT = f"reprokit/{__version__} (paper-reproduction workflow; +https://github.com/reprokit)"
RETRY_STATUS = {429, 500, 502, 503, 504}


def http_get(url: str, *, retries: int = 4, backoff: float = 1.0, timeout: float = 30.0,
             session: requests.Session | None = None) -> requests.Response:
    """GET with a descriptive User-Agent and exponential backoff on 429/5xx/timeouts (Retry-After honoured).

    Raises UserError naming the URL and the last status once the retries are spent.
    """
    session = session or requests.Session()
    last = "no answer"
    for attempt in range(retries + 1):
        try:
            response = session.get(url, headers={"User-Agent": USER_AGENT}, timeout=timeout)
        except requests.exceptions.ChunkedEncodingError:
            last = "truncated body"
            wait = backoff * 2**attempt
        except (requests.Timeout, requests.ConnectionError) as err:
            last = type(err).__name__
            wait = backoff * 2**attempt
        else:
            if response.status_code == 200:
                expected = response.headers.get("Content-Length")
                if expected is not None and expected.isdigit() and int(expected) != len(response.content):
                    last = f"truncated body ({len(response.content)} of {expected} bytes)"
                    wait = backoff * 2**attempt
                else:
                    return response
            elif response.status_code not in RETRY_STATUS:
                raise UserError(f"{url} answered HTTP {response.status_code}; check the paper's `source` in the config.")
            else:
                last = f"HTTP {response.status_code}"
                retry_after = response.headers.get("Retry-After", "")
                wait = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else backoff * 2**attempt
        if attempt < retries:
            time.sleep(min(wait, 120.0))
    raise UserError(f"{url} failed after {retries + 1} tries ({last}); try again later or point `source` at a local file.")


def fetch_paper(source: str, out_html: str | Path, out_meta: str | Path) -> dict[str, Any]:
    """Copy a local LaTeXML HTML file, or download an http(s) one, into the workspace."""
    if not source or not str(source).strip():
        raise UserError("the paper `source` is empty; set it to a local .html file or an http(s) URL in config/config.yaml.")
    source = str(source).strip()
    if source.startswith(("http://", "https://")):
        response = http_get(source)
        body = response.content
        url = response.url
    else:
        path = Path(source)
        if not path.is_file():
            raise UserError(f"paper source {source} is neither an existing file nor an http(s) URL; fix `source` in the config.")
        body = path.read_bytes()
        url = path.resolve().as_uri()
    if b"ltx_document" not in body:
        raise UserError(f"{source} is not LaTeXML HTML (no ltx_document element); give an arXiv HTML page or a "
                        "file made with `latexmlc --format=html5`.")
    meta = {
        "source": source,
        "url": url,
        "sha256": hashlib.sha256(body).hexdigest(),
        "bytes": len(body),
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "fetcher": USER_AGENT,
    }
    atomic.write_bytes(out_html, body)
    atomic.write_json(out_meta, meta)
    return meta
