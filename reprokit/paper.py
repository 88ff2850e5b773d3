"""Stage 1: turn a LaTeXML (arXiv-style) HTML paper into a structured extract.

``parse_html`` builds one dictionary (the ``paper.json`` shape); ``render_markdown`` writes the
``paper.md`` a person reads from the same dictionary; ``extract`` does both, atomically.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree, html

from reprokit import atomic
from reprokit.errors import UserError
from reprokit.questions import find_open_questions
from reprokit.tables import parse_table
from reprokit.text import normalise_space, sentences

SECTION_CLASSES = ("ltx_section", "ltx_subsection", "ltx_subsubsection", "ltx_appendix", "ltx_paragraph")
CODE_HOSTS = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/[^\s\"'<>)\]}]+")
URL = re.compile(r"https?://[^\s\"'<>)\]}]+")
CAVEAT_MARKERS = re.compile(
    r"\b(we found|we find|we observed|we observe|in our experiments|in practice|note that|we noticed|"
    r"surprisingly|unstable|did not converge|we were unable|sensitive to)\b",
    re.IGNORECASE,
)
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


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _has_class(el: etree._Element, *names: str) -> bool:
    return bool(_classes(el) & set(names))


def text_of(el: etree._Element, *, skip_notes: bool = True) -> str:
    """Visible text of an element; math becomes ``$alttext$``, footnotes are left out."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        cls = _classes(node)
        tag = etree.QName(node).localname
        if skip_notes and ("ltx_note" in cls or "ltx_note_mark" in cls):
            pass
        elif tag == "math":
            alt = re.sub(r"%\s*\n\s*", "", node.get("alttext") or "")
            parts.append(f"${alt}$" if alt else "".join(node.itertext()))
        elif "ltx_tag" in cls and ("ltx_tag_note" in cls):
            pass
        else:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
        if node.tail:
            parts.append(node.tail)

    if el.text:
        parts.append(el.text)
    for child in el:
        walk(child)
    return normalise_space("".join(parts))


def _title_without_tag(heading: etree._Element) -> tuple[str, str]:
    tag = next((span for span in heading.iter() if _has_class(span, "ltx_tag")), None)
    number = normalise_space("".join(tag.itertext())) if tag is not None else ""
    full = text_of(heading)
    if number and full.startswith(number):
        full = full[len(number):].strip()
    number = number.rstrip(".").strip()
    number = re.sub(r"^(Appendix|Section)\s+", "", number)
    return number, full


def _nearest_section(el: etree._Element, section_ids: dict[int, str]) -> str | None:
    node = el.getparent()
    while node is not None:
        if id(node) in section_ids:
            return section_ids[id(node)]
        node = node.getparent()
    return None


def load_html(path: str | Path) -> etree._Element:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"paper HTML {path} does not exist; check the `source` of this paper in config/config.yaml.")
    raw = path.read_bytes()
    if not raw.strip():
        raise UserError(f"paper HTML {path} is empty; delete it and fetch the paper again.")
    try:
        root = html.fromstring(raw, parser=html.HTMLParser(encoding="utf-8"))  # LaTeXML writes UTF-8
    except (etree.ParserError, ValueError) as err:
        raise UserError(f"paper HTML {path} cannot be parsed ({err}); fetch the paper again.") from None
    if not root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_document ')]"):
        raise UserError(
            f"{path} is not LaTeXML HTML (no ltx_document element); give an arXiv HTML page or a file made "
            "with `latexmlc --format=html5`."
        )
    return root


def parse_html(path: str | Path) -> dict[str, Any]:
    """Parse a LaTeXML HTML file into the ``paper.json`` structure."""
    root = load_html(path)
    doc = root.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_document ')]")[0]

    def by_class(name: str, within: etree._Element = doc) -> list[etree._Element]:
        return within.xpath(f".//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")

    titles = by_class("ltx_title_document")
    title = text_of(titles[0]) if titles else normalise_space(root.findtext(".//title") or "")
    authors = []
    for person in by_class("ltx_personname"):
        lines = [normalise_space(t) for t in "".join(person.itertext()).split("\n") if t.strip()]
        if lines:
            authors.append(lines[0])
    abstract_el = by_class("ltx_abstract")
    abstract = " ".join(text_of(p) for p in by_class("ltx_p", abstract_el[0])) if abstract_el else ""

    footnotes = []
    for note in by_class("ltx_note"):
        content = by_class("ltx_note_content", note)
        body = text_of(content[0], skip_notes=False) if content else text_of(note, skip_notes=False)
        body = re.sub(r"^\d+\s*", "", body)
        if body:
            footnotes.append({"id": note.get("id") or "", "text": body})
    author_notes = [text_of(n, skip_notes=False) for n in by_class("ltx_author_notes")]

    # sections: number, title, stable id, paragraphs (only those whose nearest section is this one)
    section_els = [el for el in doc.iter() if isinstance(el.tag, str) and _classes(el) & set(SECTION_CLASSES)
                   and etree.QName(el).localname in ("section", "div")]
    section_ids: dict[int, str] = {}
    sections: list[dict[str, Any]] = []
    for i, el in enumerate(section_els):
        sid = el.get("id") or f"sec{i}"
        section_ids[id(el)] = sid
        heading = next((h for h in el if isinstance(h.tag, str) and _has_class(h, "ltx_title")), None)
        number, sec_title = _title_without_tag(heading) if heading is not None else ("", "")
        kind = "appendix" if _has_class(el, "ltx_appendix") else "section"
        parent = _nearest_section(el, section_ids)
        if parent is not None and kind == "section":
            parent_kind = next(s["kind"] for s in sections if s["id"] == parent)
            kind = parent_kind
        sections.append({"id": sid, "number": number, "title": sec_title, "kind": kind, "parent": parent,
                         "level": etree.QName(heading).localname if heading is not None else "",
                         "paragraphs": []})
    by_id = {s["id"]: s for s in sections}
    front = {"id": "front", "number": "", "title": "Front matter", "kind": "front", "parent": None,
             "level": "", "paragraphs": []}
    for para in by_class("ltx_para"):
        if para.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_para ')]"):
            continue  # nested paragraph (inside a list item): its parent carries the text
        if para.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_abstract ')]"):
            continue
        if para.xpath("ancestor::figure"):
            continue
        text = text_of(para)
        if not text:
            continue
        sid = _nearest_section(para, section_ids)
        (by_id[sid] if sid else front)["paragraphs"].append(text)
    if front["paragraphs"]:
        sections.insert(0, front)

    tables = []
    for fig in doc.iter("figure"):
        if not _has_class(fig, "ltx_table"):
            continue
        grid_el = fig.xpath(".//table[contains(concat(' ', normalize-space(@class), ' '), ' ltx_tabular ')]")
        if not grid_el:
            continue
        caption_el = fig.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_caption ')]")
        caption = text_of(caption_el[0]) if caption_el else ""
        number = ""
        match = re.match(r"^Table\s+([A-Z]?\d+(?:\.\d+)?)[:.]?\s*", caption)
        if match:
            number = match.group(1)
            caption = caption[match.end():]
        tables.append(parse_table(grid_el[0], table_id=fig.get("id") or f"table{len(tables) + 1}",
                                  number=number, caption=caption,
                                  section=_nearest_section(fig, section_ids), text_of=text_of))

    equations = []
    for eq in doc.iter("table"):
        if not (_has_class(eq, "ltx_equation") or _has_class(eq, "ltx_equationgroup")):
            continue
        if eq.xpath("ancestor::table[contains(@class, 'ltx_equationgroup')]"):
            continue
        latex = " ".join(re.sub(r"%\s*\n\s*", "", m.get("alttext", "")) for m in eq.iter("math"))
        tags = [normalise_space("".join(t.itertext())) for t in eq.iter()
                if isinstance(t.tag, str) and _has_class(t, "ltx_tag_equation")]
        numbers = [t.strip("()") for t in tags]
        sid = _nearest_section(eq, section_ids)
        context = ""
        prev = eq.getprevious()
        if prev is None and eq.getparent() is not None:
            prev = eq.getparent().getprevious()
        if prev is not None and text_of(prev):
            context = sentences(text_of(prev))[-1]
        equations.append({"id": eq.get("id") or "", "numbers": numbers, "latex": latex, "section": sid,
                          "context": context})

    algorithms = []
    for fig in doc.iter("figure"):
        cls = _classes(fig)
        if not ({"ltx_float_algorithm", "ltx_algorithm"} & cls):
            continue
        caption_el = fig.xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_caption ')]")
        caption = text_of(caption_el[0]) if caption_el else ""
        lines = []
        line_els = [el for el in fig.iter() if isinstance(el.tag, str) and _has_class(el, "ltx_listingline")]
        for line in line_els:
            text = re.sub(r"^\d+\s+(\d+:\s*)?", "", text_of(line))
            if text:
                lines.append(text)
        algorithms.append({"id": fig.get("id") or "", "caption": caption, "lines": lines,
                           "section": _nearest_section(fig, section_ids)})

    bibliography = [text_of(item) for item in by_class("ltx_bibitem")]

    hrefs = [a.get("href") for a in doc.iter("a") if a.get("href")]
    license_match = re.search(rb"https?://(?:creativecommons\.org/licenses/[\w./-]+|arxiv\.org/licenses/[\w./-]+)",
                              Path(path).read_bytes())
    paper: dict[str, Any] = {
        "format": "html",
        "title": title,
        "authors": authors,
        "abstract": abstract,
        "author_notes": author_notes,
        "license": license_match.group(0).decode() if license_match else "",
        "sections": sections,
        "footnotes": footnotes,
        "tables": tables,
        "equations": equations,
        "algorithms": algorithms,
        "bibliography": bibliography,
    }
    return complete(paper, hrefs)


def venue_in(text: str) -> str:
    """``"published at ICML 2024"`` -> ``"ICML 2024"``; empty when the text names no venue and year."""
    match = VENUES.search(text or "")
    return f"{VENUE_SHORT.get(match.group(1), match.group(1))} {match.group(2)}" if match else ""


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
    caveats = []
    for section in paper["sections"]:
        for paragraph in section["paragraphs"]:
            for sentence in sentences(paragraph):
                if CAVEAT_MARKERS.search(sentence):
                    caveats.append({"section": section["id"], "text": sentence})
    paper.setdefault("author_notes", [])
    paper.setdefault("license", "")
    paper.update({"venue": venue, "venue_source": "text" if venue else "", "arxiv_id": arxiv,
                  "code_links": code_links, "links": links, "caveats": caveats})
    paper["open_questions"] = find_open_questions(paper)
    return paper


def section_label(paper: dict[str, Any], section_id: str | None) -> str:
    """How a section is cited: ``§4.2`` (or its title when it has no number)."""
    for section in paper["sections"]:
        if section["id"] == section_id:
            return f"§{section['number']}" if section["number"] else f"§{section['title']}"
    return "§?"


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
    for s in paper["sections"]:
        if s["kind"] == "front":
            continue
        indent = "  " * max(0, s["number"].count("."))
        lines.append(f"{indent}- {s['number']} {s['title']} (`{s['id']}`, {len(s['paragraphs'])} paragraphs)")
    lines.append("")

    lines += ["## Method", ""]
    method_title = re.compile(r"method|approach|model|training|setup|experiment|implementation|data|algorithm|"
                              r"architecture|hyper-?param", re.IGNORECASE)
    titles = {s["id"]: s["title"] for s in paper["sections"]}
    method = [s for s in paper["sections"] if method_title.search(s["title"])
              or method_title.search(titles.get(s.get("parent") or "", ""))]
    for s in method:
        if not s["paragraphs"]:
            continue
        lines += [f"### {section_label(paper, s['id'])} {s['title']}", ""]
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
    for eq in paper["equations"]:
        number = ", ".join(f"({n})" for n in eq["numbers"]) or "(unnumbered)"
        lines.append(f"- Eq. {number} {section_label(paper, eq['section'])}: `{eq['latex']}`")
    if not paper["equations"]:
        lines.append("(no equations found)")
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


def parse_any(path: str | Path) -> dict[str, Any]:
    """Parse an HTML, Markdown or PDF paper by its file type."""
    from reprokit.paper_text import parse_markdown, parse_pdf

    suffix = Path(path).suffix.lower()
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
