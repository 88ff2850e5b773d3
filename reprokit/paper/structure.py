"""The parts of a paper extract every input format derives the same way (links, venue, caveats, open
questions), and how a section is cited. Imported by the HTML and the Markdown/PDF parsers alike."""

from __future__ import annotations

import re
from typing import Any

from reprokit.paper.questions import find_open_questions
from reprokit.text import sentences

CODE_HOSTS = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/[^\s\"'<>)\]}]+")
URL = re.compile(r"https?://[^\s\"'<>)\]}]+")
CAVEAT_MARKERS = re.compile(
    r"\b(we found|we find|we observed|we observe|in our experiments|in practice|note that|we noticed|"
    r"surprisingly|unstable|did not converge|we were unable|sensitive to)\b",
    re.IGNORECASE,
)
LIMITS_TITLE = re.compile(r"limitation|discussion|failure|caveat|future work|broader impact", re.IGNORECASE)
CHECKLIST = re.compile(r"checklist|\bAnswer:\s*\[|\bJustification:|\bGuidelines:|\[(Yes|No|N/A)\]", re.IGNORECASE)
RESULT_CLAIM = re.compile(r"\b(outperform\w*|surpass\w*|achiev\w*|state-of-the-art|improv\w* (over|by|upon)|"
                          r"better than|significantly|consistently)\b", re.IGNORECASE)
VENUES = re.compile(
    r"\b(ICML|NeurIPS|NIPS|ICLR|CVPR|ICCV|ECCV|AAAI|IJCAI|ACL|EMNLP|NAACL|COLT|AISTATS|UAI|KDD|TMLR|JMLR|CoRL|"
    r"International Conference on Machine Learning|Neural Information Processing Systems|"
    r"International Conference on Learning Representations)\b[^.;]{0,40}?\b((?:19|20)\d\d)\b"
)
VENUE_SHORT = {
    "International Conference on Machine Learning": "ICML",
    "Neural Information Processing Systems": "NeurIPS",
    "International Conference on Learning Representations": "ICLR",
    "NIPS": "NeurIPS",
}
ARXIV_ID = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5}(?:v\d+)?)", re.IGNORECASE)



def venue_in(text: str) -> str:
    """``"published at ICML 2024"`` -> ``"ICML 2024"``; empty when the text names no venue and year."""
    match = VENUES.search(text or "")
    return f"{VENUE_SHORT.get(match.group(1), match.group(1))} {match.group(2)}" if match else ""


AUTHOR_DEBRIS = re.compile(r"(?:\s*(?:\\+|[*†‡§¶#∗⋆✉]|\^?\{?[\d,]+\}?|&|and)\s*)+$")


def clean_authors(authors: list[str]) -> list[str]:
    """Each author once, in order, without footnote marks, affiliation numbers or line-break debris."""
    out: list[str] = []
    for name in authors:
        name = AUTHOR_DEBRIS.sub("", re.sub(r"^\s*(?:and\s+)", "", str(name))).strip(" ,;")
        if name and re.search(r"[A-Za-z]", name) and name not in out:
            out.append(name)
    return out


def find_caveats(paper: dict[str, Any]) -> list[dict[str, str]]:
    """What the authors say can go wrong: the Limitations / Discussion sections first (every sentence), then
    sentences elsewhere that report a practical observation ("we found", "unstable", "sensitive to"); never a
    checklist's boilerplate or a claim about results."""
    titles = {s["id"]: s["title"] or "" for s in paper["sections"]}
    parent = {s["id"]: s.get("parent") for s in paper["sections"]}

    def titled(section_id: str | None, pattern: re.Pattern[str]) -> bool:
        while section_id:
            if pattern.search(titles.get(section_id, "")):
                return True
            section_id = parent.get(section_id)
        return False

    limits, observed = [], []
    for section in paper["sections"]:
        if titled(section["id"], CHECKLIST):
            continue
        in_limits = titled(section["id"], LIMITS_TITLE)
        for paragraph in section["paragraphs"]:
            for sentence in sentences(paragraph):
                if CHECKLIST.search(sentence):
                    continue
                if in_limits:
                    limits.append({"section": section["id"], "text": sentence})
                elif CAVEAT_MARKERS.search(sentence) and not RESULT_CLAIM.search(sentence):
                    observed.append({"section": section["id"], "text": sentence})
    return limits + observed


def complete(paper: dict[str, Any], hrefs: list[str] | None = None) -> dict[str, Any]:
    """The fields every input format derives the same way: code links, venue, arXiv id, caveats and
    open questions (so HTML, Markdown and PDF inputs produce the same JSON shape)."""
    notes = [*paper.get("author_notes", []), *(f["text"] for f in paper.get("footnotes", []))]
    all_text = " ".join([paper["title"], paper["abstract"], *notes]
                        + [p for s in paper["sections"] for p in s["paragraphs"]])
    links: list[str] = []
    for link in [*(hrefs or []), *URL.findall(all_text)]:
        link = link.rstrip(".,;")
        if link.startswith(("http://", "https://")) and link not in links:
            links.append(link)
    code_links: list[str] = []
    for link in [*(hrefs or []), *CODE_HOSTS.findall(all_text)]:
        link = link.rstrip(".,;")
        if CODE_HOSTS.match(link) and link not in code_links:
            code_links.append(link)
    venue = next((v for v in map(venue_in, [*notes, paper["abstract"], paper["title"]]) if v), "")
    arxiv = ""
    for text in notes:
        match = ARXIV_ID.search(text)
        if match:
            arxiv = match.group(1)
            break
    caveats = find_caveats(paper)
    paper["authors"] = clean_authors(paper.get("authors", []))
    paper.setdefault("author_notes", [])
    paper.setdefault("license", "")
    paper.update({"venue": venue, "venue_source": "text" if venue else "", "arxiv_id": arxiv,
                  "code_links": code_links, "links": links, "caveats": caveats})
    paper["open_questions"] = find_open_questions(paper)
    return paper


def section_label(paper: dict[str, Any], section_id: str | None) -> str:
    """How a section is cited: ``§4.2``; a section without a number (a ``\\paragraph`` or a run-in heading) by its
    nearest numbered ancestor and the titles on the way down, ``§4.1 › Models and training``, or by its
    titles alone when no ancestor has a number."""
    by_id = {s["id"]: s for s in paper["sections"]}
    section = by_id.get(section_id) if section_id else None
    if section is None:
        return "§?"
    titles: list[str] = []
    while section is not None and not section.get("number"):
        titles.insert(0, (section["title"] or "").strip().rstrip(".:").strip())
        section = by_id.get(section.get("parent") or "")
    numbered = [section["number"]] if section is not None else []
    return "§" + " › ".join(part for part in numbered + titles if part)
