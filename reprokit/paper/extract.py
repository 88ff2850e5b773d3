"""Stage 1's extract rule: parse the fetched paper (HTML, Markdown or PDF) and write ``paper.md`` (read by
a person) and ``paper.json`` (read by later stages) from the same dictionary, atomically."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.paper.html import parse_html
from reprokit.paper.markdown import parse_markdown, parse_pdf
from reprokit.paper.structure import section_label, venue_in
from reprokit.text import sentences


def _md_table(table: dict[str, Any]) -> list[str]:
    rows = table["rows"]
    if not rows:
        return ["(empty table)"]
    width = max(len(r) for r in rows)

    def cell_text(cell: dict[str, Any]) -> str:
        text = cell["text"].replace("|", "\\|")
        if cell.get("bold"):
            text = f"**{text}**"
        return text

    out = []
    for i, row in enumerate(rows):
        cells = [cell_text(c) for c in row] + [""] * (width - len(row))
        out.append("| " + " | ".join(cells) + " |")
        if i == max(table.get("header_rows", 1), 1) - 1:
            out.append("|" + "---|" * width)
    return out


METHOD_TITLE = re.compile(r"method|approach|model|training|setup|experiment|implementation|data|algorithm|"
                          r"architecture|hyper-?param", re.IGNORECASE)
LEAD_IN = re.compile(r"^(introduction|related|background|motivation|overview)", re.IGNORECASE)
LEAD_OUT = re.compile(r"experiment|evaluation|results|empirical|conclusion|discussion|limitation", re.IGNORECASE)


def method_sections(paper: dict[str, Any]) -> set[str]:
    """The sections that hold the method, chosen by structure: every body section after the introduction and
    related work and before the experiments (whatever its title), with its subsections; and, anywhere
    (experiments, appendix), a section whose own or parent title names a method, model, training, setup,
    implementation, data, algorithm, architecture or hyperparameters."""
    sections = paper["sections"]
    parent = {s["id"]: s.get("parent") for s in sections}

    def top(section_id: str) -> str:
        while parent.get(section_id):
            section_id = parent[section_id]
        return section_id

    tops = [s for s in sections if not s.get("parent") and s["kind"] == "section"]
    # (the lead-in before the first experiments section: a "Related Work" after the experiments is no lead-in)
    first_out = next((i for i, s in enumerate(tops) if i > 0 and LEAD_OUT.search(s["title"] or "")), len(tops))
    start = max((i + 1 for i, s in enumerate(tops) if i < first_out and LEAD_IN.match(s["title"] or "")), default=0)
    stop = next((i for i, s in enumerate(tops) if i >= start and LEAD_OUT.search(s["title"] or "")), len(tops))
    core = {s["id"] for s in tops[start:stop]} if start else set()
    titles = {s["id"]: s["title"] for s in sections}
    chosen = {s["id"] for s in sections if top(s["id"]) in core or METHOD_TITLE.search(s["title"] or "")
              or METHOD_TITLE.search(titles.get(s.get("parent") or "", ""))}
    for s in sections:  # a part without a number (a \paragraph, a run-in heading) goes with its parent
        if not s["number"] and s.get("parent") in chosen:
            chosen.add(s["id"])
    return chosen


OBJECTIVE_TEX = re.compile(r"\\mathcal\{[LJR]\}|(?<![A-Za-z\\])(L|J)\s*(_\{?[^=]{0,30}\}?)?\s*(\(|=)|\\ell\b|"
                           r"\\(arg)?\s*(min|max)\b|\\nabla|\\leftarrow|\\gets\b|loss|objective", re.IGNORECASE)
OBJECTIVE_WORDS = re.compile(r"\b(loss|objective|minimi[sz]e|maximi[sz]e|update rule|updated? (as|by|with)|"
                             r"optimi[sz]ation problem|reward|regulari[sz]\w*)\b", re.IGNORECASE)
PROOF_TITLE = re.compile(r"proof|theorem|lemma|derivation|convergence", re.IGNORECASE)
INLINE_MATH = re.compile(r"\$([^$]{3,200})\$")


def objectives(paper: dict[str, Any]) -> list[dict[str, str]]:
    """Equations that define a loss, an objective or an update: display equations whose formula or lead-in
    sentence says so, and inline ones (``$\\mathcal{L} = ...$``) in the method's sentences about a loss or
    an update; never a proof's steps."""
    titles = {s["id"]: s["title"] or "" for s in paper["sections"]}
    parent = {s["id"]: s.get("parent") for s in paper["sections"]}

    def in_proof(section_id: str | None) -> bool:
        while section_id:
            if PROOF_TITLE.search(titles.get(section_id, "")):
                return True
            section_id = parent.get(section_id)
        return False

    out = []
    for eq in paper.get("equations", []):
        if in_proof(eq.get("section")):
            continue
        if OBJECTIVE_TEX.search(eq["latex"]) or OBJECTIVE_WORDS.search(eq.get("context", "")):
            number = ", ".join(f"({n})" for n in eq["numbers"]) or "(unnumbered)"
            out.append({"label": f"Eq. {number}", "section": eq.get("section") or "", "latex": eq["latex"]})
    method = method_sections(paper)
    for section in paper["sections"]:
        if section["id"] not in method or in_proof(section["id"]):
            continue
        for paragraph in section["paragraphs"]:
            for sentence in sentences(paragraph):
                if not OBJECTIVE_WORDS.search(sentence):
                    continue
                for match in INLINE_MATH.finditer(sentence):
                    tex = match.group(1)
                    seen = {re.sub(r"\s+", "", o["latex"]) for o in out}
                    if "=" in tex and OBJECTIVE_TEX.search(tex) and re.sub(r"\s+", "", tex) not in seen:
                        out.append({"label": "inline", "section": section["id"], "latex": tex.strip()})
    return out


def render_markdown(paper: dict[str, Any]) -> str:
    """The ``paper.md`` a person reads, in the seed's layout."""
    lines = [f"# {paper['title'] or '(untitled)'}", ""]
    lines.append(f"- **Authors:** {', '.join(paper['authors']) or 'not found'}")
    lines.append(f"- **Venue:** {paper['venue'] or 'not found'}")
    if paper.get("arxiv_id"):
        lines.append(f"- **arXiv:** {paper['arxiv_id']}{paper.get('arxiv_version', '')}")
    if paper.get("license"):
        lines.append(f"- **License:** {paper['license']}")
    lines.append(f"- **Code:** {', '.join(paper['code_links']) or 'no code link in the text'}")
    if paper.get("project_page"):
        lines.append(f"- **Project page:** {paper['project_page']}")
    source = paper.get("source") or {}
    if source:
        lines.append(f"- **Source:** {source.get('url', '')} via {source.get('route', '')} ({source.get('format', '')}, "
                     f"sha256 {source.get('sha256', '')[:12]}, fetched {source.get('fetched_at', '')})")
    hub = paper.get("hub") or {}
    if hub and "error" not in hub:
        lines.append(f"- **Hugging Face:** repo {hub.get('github_repo') or '-'}; models "
                     f"{', '.join(hub.get('linked_models') or []) or '-'}; datasets "
                     f"{', '.join(hub.get('linked_datasets') or []) or '-'}; "
                     f"spaces {', '.join(hub.get('linked_spaces') or []) or '-'}")
    elif hub:
        lines.append(f"- **Hugging Face:** {hub['error']}")
    lines += ["", "## Abstract", "", paper["abstract"] or "(no abstract found)", ""]

    lines += ["## Sections", ""]
    depth: dict[str, int] = {}
    for s in paper["sections"]:
        if s["kind"] == "front":
            continue
        # a numbered section is indented by its number, one without a number one step below its parent
        depth[s["id"]] = s["number"].count(".") if s["number"] else depth.get(s.get("parent") or "", -1) + 1
        name = " ".join(part for part in (s["number"], s["title"]) if part)
        lines.append(f"{'  ' * depth[s['id']]}- {name} (`{s['id']}`, {len(s['paragraphs'])} paragraphs)")
    lines.append("")

    lines += ["## Method", ""]
    method_ids = method_sections(paper)
    method = [s for s in paper["sections"] if s["id"] in method_ids]
    for s in method:
        if not s["paragraphs"]:
            continue
        # an unnumbered section's label already ends with its title ("§4.1 › Models and training")
        heading = f"{section_label(paper, s['id'])} {s['title']}" if s["number"] else section_label(paper, s["id"])
        lines += [f"### {heading}", ""]
        for paragraph in s["paragraphs"]:
            lines += [paragraph, ""]
    if not method:
        lines += ["(no section titled as a method, model, training or experiment section)", ""]

    def tables_of(kind: str, heading: str) -> None:
        lines.extend([f"## {heading}", ""])
        chosen = [t for t in paper["tables"] if t["kind"] == kind]
        for t in chosen:
            lines.extend([f"**Table {t['number'] or '?'}** (`{t['id']}`, {section_label(paper, t['section'])}): "
                          f"{t['caption']}", ""])
            lines.extend(_md_table(t))
            lines.append("")
        if not chosen:
            lines.extend([f"(no {heading.lower()} found)", ""])

    tables_of("hyperparameters", "Hyperparameter tables")

    lines += ["## Algorithm boxes", ""]
    for a in paper["algorithms"]:
        lines += [f"**{a['caption'] or a['id']}**", ""]
        lines += [f"{i}. {line}" for i, line in enumerate(a["lines"], 1)] + [""]
    if not paper["algorithms"]:
        lines += ["(no algorithm boxes found)", ""]

    lines += ["## Loss formulation", ""]
    found = objectives(paper)
    for eq in found:
        lines.append(f"- {eq['label']} {section_label(paper, eq['section'])}: `{eq['latex']}`")
    if not found:
        lines.append(f"(no equation defines a loss, objective or update; {len(paper['equations'])} equations in all)")
    lines.append("")

    tables_of("results", "Results tables")
    other = [t for t in paper["tables"] if t["kind"] not in ("results", "hyperparameters")]
    if other:
        lines += ["## Other tables", ""]
        for t in other:
            lines += [f"- Table {t['number'] or '?'} ({t['kind']}): {t['caption']}"]
        lines.append("")

    lines += ["## Caveats", ""]
    for c in paper["caveats"]:
        lines.append(f"- {section_label(paper, c['section'])}: \"{c['text']}\"")
    if not paper["caveats"]:
        lines.append("(no caveat sentences found)")
    lines.append("")

    lines += ["## Footnotes", ""]
    lines += [f"- {f['text']}" for f in paper.get("footnotes", [])] or ["(none)"]
    lines += ["", f"## Bibliography ({len(paper.get('bibliography', []))} entries)", ""]
    lines += [f"- {entry}" for entry in paper.get("bibliography", [])[:200]] or ["(none found)"]
    lines.append("")

    lines += ["# Open questions", ""]
    for i, q in enumerate(paper["open_questions"], 1):
        lines.append(f"{i}. **{q['question']}** ({q['knob']}) Raised by {section_label(paper, q['section'])}: "
                     f"\"{q['sentence']}\"")
    if not paper["open_questions"]:
        lines.append("(none found)")
    lines.append("")
    return "\n".join(lines)


def merge_fetch_record(paper: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Add where the paper came from, the arXiv API's and the Hub's data, and fill header gaps from them."""
    arxiv = meta.get("arxiv") or {}
    hub = meta.get("hf") or {}
    ok = [a for a in meta.get("attempts", []) if a.get("result") == "ok"]
    paper["source"] = {"url": meta.get("url", ""), "route": ok[-1]["route"] if ok else meta.get("kind", ""),
                       "format": meta.get("format", ""), "version": meta.get("version", ""),
                       "sha256": meta.get("sha256", ""), "fetched_at": meta.get("fetched_at", ""),
                       "attempts": meta.get("attempts", [])}
    if meta.get("arxiv_id"):
        paper["arxiv_id"] = meta["arxiv_id"]
    paper["arxiv_version"] = meta.get("version", "")
    if (not paper["title"] or len(paper["title"]) < 8) and (arxiv.get("title") or hub.get("title")):
        paper["title"] = arxiv.get("title") or hub.get("title")
    if not paper["authors"] and (arxiv.get("authors") or hub.get("authors")):
        paper["authors"] = arxiv.get("authors") or hub.get("authors")
    if not paper["abstract"] and (arxiv.get("summary") or hub.get("summary")):
        paper["abstract"] = arxiv.get("summary") or hub.get("summary")
    if not paper["venue"]:
        for origin, text in (("arXiv journal-ref", arxiv.get("journal_ref", "")), ("arXiv comments", arxiv.get("comment", "")),
                             ("OpenReview", (meta.get("openreview") or {}).get("venue", ""))):
            if venue_in(text):
                paper["venue"], paper["venue_source"] = venue_in(text), origin
                break
    paper["arxiv_metadata"] = {k: arxiv.get(k, "") for k in ("comment", "journal_ref", "published", "updated")} \
        if arxiv and "error" not in arxiv else {}
    paper["hub"] = {k: hub.get(k) for k in ("github_repo", "project_page", "linked_models", "linked_datasets",
                                            "linked_spaces")} if hub and "error" not in hub else \
        {"error": hub.get("error", "not checked (no arXiv id)")}
    if hub.get("github_repo") and hub["github_repo"] not in paper["code_links"]:
        paper["code_links"].append(hub["github_repo"])
    front = " ".join([paper.get("abstract", ""), *paper.get("author_notes", [])])
    paper["project_page"] = hub.get("project_page") or next(
        (link for link in paper.get("links", []) if link in front
         and re.fullmatch(r"https?://[\w-]+\.github\.io(/[\w.-]+)?/?", link)), "")
    return paper


def max_page_mb() -> float:
    """Largest paper file parsed (REPROKIT_MAX_PAGE_MB, default 25 MB: the largest arXiv LaTeXML pages with inline
    images are a few MB; parsing takes about 0.7 s per MB on 2 cores)."""
    return float(os.environ.get("REPROKIT_MAX_PAGE_MB", "25"))


def parse_any(path: str | Path) -> dict[str, Any]:
    """Parse an HTML, Markdown or PDF paper by its file type; a file above the size cap is refused unread."""
    suffix = Path(path).suffix.lower()
    size_mb = Path(path).stat().st_size / 1e6 if Path(path).is_file() else 0.0
    if size_mb > max_page_mb():
        raise UserError(f"paper file {path} is {size_mb:.3g} MB, above the {max_page_mb():.3g} MB cap on what is "
                        "parsed; give the paper's arXiv HTML or PDF, or raise REPROKIT_MAX_PAGE_MB.")
    if suffix in (".html", ".htm"):
        return parse_html(path)
    if suffix == ".md":
        return parse_markdown(path)
    if suffix == ".pdf":
        return parse_pdf(path)
    raise UserError(f"{path} is not an .html, .md or .pdf paper; fetch the paper again.")


def extract(source_dir: str | Path, md_path: str | Path, json_path: str | Path) -> dict[str, Any]:
    """Stage 1's extract rule: parse the fetched paper and write ``paper.md`` and ``paper.json`` atomically."""
    source_dir = Path(source_dir)
    meta = atomic.read_json(source_dir / "fetch.json", "fetch record")
    paper = merge_fetch_record(parse_any(source_dir / meta["file"]), meta)
    atomic.write_json(json_path, paper)
    atomic.write_text(md_path, render_markdown(paper))
    return paper
