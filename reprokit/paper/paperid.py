"""What a paper reference names, and the safe workspace id derived from it.

Accepted: arXiv ids, new and old style, with or without a version (2106.09685, 2106.09685v2,
hep-th/9901001); arXiv /abs/, /html/ and /pdf/ URLs (arxiv.org, export.arxiv.org, ar5iv); OpenReview
forum or pdf URLs; a direct http(s) URL to a PDF or to LaTeXML HTML; a local .html, .md or .pdf file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reprokit.errors import UserError

NEW_ID = r"\d{4}\.\d{4,5}"
OLD_ID = r"[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID = re.compile(rf"^(?P<id>{NEW_ID}|{OLD_ID})(?P<version>v\d+)?$")
ARXIV_URL = re.compile(
    rf"^https?://(?:www\.|export\.)?(?:arxiv\.org|ar5iv\.labs\.arxiv\.org|ar5iv\.org)/(?P<page>abs|html|pdf)/"
    rf"(?P<id>{NEW_ID}|{OLD_ID})(?P<version>v\d+)?(?:\.pdf)?/?$"
)
OPENREVIEW_URL = re.compile(r"^https://openreview\.net/(?:forum|pdf)\?id=(?P<id>[A-Za-z0-9_-]{4,40})(?:&[\w=&-]*)?$")
HTTP_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*)?$")
ACCEPTED = ("an arXiv id (2106.09685, 2106.09685v2, hep-th/9901001), an arXiv /abs/, /html/ or /pdf/ URL, an "
            "OpenReview forum URL, an http(s) URL to a PDF or LaTeXML HTML page, or a local .html, .md or .pdf file")
LOCAL_SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".pdf": "pdf"}


@dataclass(frozen=True)
class PaperRef:
    kind: str  # arxiv | openreview | url_pdf | url_html | file_html | file_md | file_pdf
    value: str
    arxiv_id: str = ""
    version: str = ""
    openreview_id: str = ""

    @property
    def workspace_id(self) -> str:
        if self.arxiv_id:
            return safe_id(self.arxiv_id.replace("/", "_"))
        if self.openreview_id:
            return safe_id(f"openreview-{self.openreview_id}")
        if self.kind.startswith("file_"):
            return safe_id(Path(self.value).stem)
        return safe_id(re.sub(r"^https?://", "", self.value).rsplit("/", 1)[-1].rsplit(".", 1)[0] or "paper")


def safe_id(text: str) -> str:
    """Letters, digits, dot, dash and underscore only; never empty, never starting with a dot."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "paper"
    return cleaned[:80]


def parse_reference(value: str, base_dir: str | Path = ".") -> PaperRef:
    """Classify a paper reference; anything else is refused with one sentence naming the accepted forms."""
    text = (value or "").strip()
    if not text:
        raise UserError(f"the paper reference is empty; give {ACCEPTED}.")
    match = ARXIV_ID.match(text)
    if match:
        return PaperRef("arxiv", text, match.group("id"), match.group("version") or "")
    match = ARXIV_URL.match(text)
    if match:
        return PaperRef("arxiv", text, match.group("id"), match.group("version") or "")
    match = OPENREVIEW_URL.match(text)
    if match:
        return PaperRef("openreview", text, openreview_id=match.group("id"))
    if HTTP_URL.match(text):
        return PaperRef("url_pdf" if text.lower().split("?")[0].endswith(".pdf") else "url_html", text)
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if scheme:
        raise UserError(f"paper reference {text!r} uses {scheme.group(1)}://, which is not fetched; give {ACCEPTED}.")
    suffix = Path(text).suffix.lower()
    if suffix in LOCAL_SUFFIXES and not re.search(r"[\x00-\x1f;|&`$<>]", text):
        path = Path(text) if Path(text).is_absolute() else Path(base_dir) / text
        if path.is_file():
            return PaperRef(f"file_{LOCAL_SUFFIXES[suffix]}", str(path))
        raise UserError(f"paper file {text} does not exist; fix the path or give {ACCEPTED}.")
    raise UserError(f"paper reference {text!r} is not recognised; give {ACCEPTED}.")
