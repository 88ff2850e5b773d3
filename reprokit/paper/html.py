"""Stage 1: turn a LaTeXML (arXiv-style) HTML paper into a structured extract (the ``paper.json`` shape)."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from lxml import etree, html

from reprokit.errors import UserError
from reprokit.paper.structure import complete
from reprokit.paper.tables import parse_table
from reprokit.text import normalise_space, sentences

SECTION_CLASSES = ("ltx_section", "ltx_subsection", "ltx_subsubsection", "ltx_appendix", "ltx_paragraph")


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _has_class(el: etree._Element, *names: str) -> bool:
    return bool(_classes(el) & set(names))


PARTICLES = r"de|da|di|del|der|den|van|von|le|la|du|dos|bin|al|el|ter"  # lower-case words inside a name
MARK = "\x00"  # where an affiliation or footnote mark stood in an author block
AFFILIATION = re.compile(r"\b(?:Universit\w*|Institut\w*|College|School|Laborator\w*|Lab|Research|Inc|Ltd|Corp\w*|"
                         r"Academy|Center|Centre|Department|Dept|Faculty|Google|Microsoft|Meta|DeepMind|OpenAI)\b|@")


def _name_word(word: str) -> bool:
    """A word of a person's name: capitalised ("Kerssies", "R."), a particle ("de", "van"), an elided particle
    ("d’Ascoli"); not an acronym of three letters or more (an affiliation: "MIT", "NVIDIA", "ETH")."""
    if re.fullmatch(PARTICLES, word) or re.match(r"[a-z][’']\w", word):
        return True
    return word[0].isupper() and not (len(word) >= 3 and word.isupper())


def _names_of(person: etree._Element) -> list[str]:
    """The authors one ``\\author{}`` names: its first line; where that line holds several names ("Tommie Kerssies¹
    Niccolò Cavagnero²,* ...", "Juntong Shi²†, Minkai Xu¹†, ..."), every line of names up to the affiliations (a
    line that starts with a mark or names an institution)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if tag in ("sup", "math") or "ltx_note" in _classes(node):
            parts.append(MARK)
        elif tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str):
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node.tail:
            parts.append(node.tail)

    walk(person)
    lines = [line.strip(" \u2003\u2005\t") for line in "".join(parts).split("\n")]
    lines = [line for line in lines if line.replace(MARK, "").strip(" ,")]
    if not lines:
        return []

    def split(line: str) -> list[str]:
        # (marks, commas, "and", wide spaces, a tabular's "&" left in the text)
        items = re.split(rf"\s*(?:{MARK}[\s,*†‡§\u2063]*|,\s*(?:and\s+)?|\s+and\s+|[\u2003\u2002]+|&+)\s*", line)
        names: list[str] = []
        for item in items:
            name = normalise_space(re.sub(r"\([^)]*\)", "", item)).strip(",*†‡ ")  # "Jie Zhang (张杰)"
            if re.fullmatch(r"(?:Jr|Sr|II|III|IV)\.?", name) and names:
                names[-1] += f", {name}"  # "Martin L. King, Jr."
            elif re.fullmatch(rf"(?:(?:{PARTICLES})\s+)*[^\W\d_][\w.’'-]*(?:\s+(?:(?:{PARTICLES})\s+)*[^\W\d_][\w.’'-]*)*",
                              name) and all(_name_word(w) for w in name.split()):
                names.append(name)
        return names

    first = split(lines[0])
    if len(first) < 2:
        return [normalise_space(lines[0].replace(MARK, ""))]
    names = first
    for line in lines[1:]:
        if line.startswith(MARK) or AFFILIATION.search(line):
            break
        names += split(line)
    return names


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
        elif "ltx_phantom" in cls:
            pass  # \phantom{...}: space the width of its content, which is never shown
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


NOTE_HOSTS = {"ltx_p": "", "ltx_caption": "", "ltx_title_document": "title", "ltx_personname": "authors",
              "ltx_author_notes": "authors", "ltx_abstract": ""}


def _note_context(note: etree._Element) -> str:
    """The sentence a footnote is attached to (its mark stripped), or "title" / "authors" for a note on the
    title or an author: what the text says about a link that only the footnote holds."""
    host = next((a for a in note.iterancestors() if _classes(a) & set(NOTE_HOSTS)), None)
    if host is None:
        return ""
    role = NOTE_HOSTS[next(iter(_classes(host) & set(NOTE_HOSTS)))]
    if role:
        return role
    marker = "\ue000"
    saved = note.tail
    note.tail = marker + (saved or "")
    try:
        text = text_of(host)
    finally:
        note.tail = saved
    from reprokit.text import sentences

    return next((normalise_space(s.replace(marker, " ")) for s in sentences(text) if marker in s), "")


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


RUN_IN_MARK = "\ue001"
SENTENCE_END = re.compile(r"[.!?][)\"'”’]?$")


def _run_in_candidates(para: etree._Element) -> list[tuple[etree._Element, str]]:
    """Bold spans opening a text run of the paragraph that read as a heading ending in a period (``Datasets.``,
    or ``Datasets`` with the period after the span), with their titles (period dropped)."""
    found = []
    for p in para:
        if not (isinstance(p.tag, str) and _has_class(p, "ltx_p")):
            continue
        for span in p:
            if not (isinstance(span.tag, str) and _has_class(span, "ltx_font_bold")):
                continue
            title = text_of(span)
            if not title.endswith(".") and not (span.tail or "").lstrip().startswith("."):
                continue
            title = title.removesuffix(".").strip()
            if re.fullmatch(r"[A-Z0-9].{0,118}", title):
                found.append((span, title))
    return found


def _split_run_in(para: etree._Element) -> tuple[str, list[tuple[str, str]]]:
    """A paragraph's text before its first run-in heading, and (title, text) for each heading after it. A run-in
    heading is a bold span ending in a period (``<b>Models and training.</b> We use ...``) that starts the
    paragraph or follows a sentence's end; other bold text stays in the text."""
    if not _run_in_candidates(para):
        return text_of(para), []
    para = copy.deepcopy(para)  # the headings become marks in a copy; the page stays as parsed
    candidates = _run_in_candidates(para)
    raw = []
    for span, _ in candidates:
        text, tail = text_of(span), (span.tail or "").lstrip()
        if not text.endswith(".") and tail.startswith("."):
            text, span.tail = text + ".", tail[1:]
        raw.append(text)
        span[:] = []
        span.text = RUN_IN_MARK
    lead, *pieces = [normalise_space(piece) for piece in text_of(para).split(RUN_IN_MARK)]
    headed: list[tuple[str, str]] = []
    for (_, title), text, after in zip(candidates, raw, pieces):
        before = headed[-1][1] if headed else lead
        if before and not SENTENCE_END.search(before):
            joined = f"{before} {text} {after}".strip()  # bold inside a sentence: not a heading
            if headed:
                headed[-1] = (headed[-1][0], joined)
            else:
                lead = joined
        else:
            headed.append((title, after))
    return lead, headed


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
    page_title = re.sub(r"\s*[|\-–]\s*arXiv.*$", "", normalise_space(root.findtext(".//title") or ""))
    title = text_of(titles[0]) if titles else page_title
    if page_title and re.fullmatch(r"(?i)(part|contents|appendix|chapter)\b[\s\w.]{0,8}", title or ""):
        title = page_title  # a LaTeXML \part heading is not the paper's title
    authors = []
    for person in by_class("ltx_personname"):
        tables = [t for t in by_class("ltx_tabular", person) if not by_class("ltx_tabular", t)]
        if len(tables) > 1:  # one \author{} holding a tabular per author (name, then affiliation rows)
            rows = [by_class("ltx_tr", t) for t in tables]
            names = [normalise_space(re.sub(r"\$[^$]*\$", "", text_of(r[0]))) for r in rows if r]  # (marks: "${}^{\star}$")
            authors += [name for name in names if name]
            continue
        authors += _names_of(person)
    abstract_el = by_class("ltx_abstract")
    abstract = " ".join(text_of(p) for p in by_class("ltx_p", abstract_el[0])) if abstract_el else ""

    footnotes = []
    for note in by_class("ltx_note"):
        content = by_class("ltx_note_content", note)
        body = text_of(content[0], skip_notes=False) if content else text_of(note, skip_notes=False)
        body = re.sub(r"^\d+\s*", "", body)
        if body:
            footnotes.append({"id": note.get("id") or "", "text": body, "context": _note_context(note)})
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
    run_ins: dict[str, list[dict[str, Any]]] = {}
    for para in by_class("ltx_para"):
        if para.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_para ')]"):
            continue  # nested paragraph (inside a list item): its parent carries the text
        if para.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_abstract ')]"):
            continue
        if para.xpath("ancestor::figure"):
            continue
        sid = _nearest_section(para, section_ids)
        if sid is None:
            text = text_of(para)
            front["paragraphs"] += [text] if text else []
            continue
        # a run-in heading ("Models and training. Unless ...") opens a sub-section of the section, which holds
        # the text up to the next run-in heading or the end of the section's own paragraphs
        lead, headed = _split_run_in(para)
        parts = run_ins.setdefault(sid, [])
        (parts or [by_id[sid]])[-1]["paragraphs"] += [lead] if lead else []
        for heading_title, text in headed:  # (not `title`: that is the paper's)
            parts.append({"id": f"{sid}.rh{len(parts) + 1}", "number": "", "title": heading_title,
                          "kind": by_id[sid]["kind"],
                          "parent": sid, "level": "run-in", "paragraphs": [text] if text else []})
    sections = [s for section in sections for s in [section, *run_ins.get(section["id"], [])]]
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
        match = re.match(r"^Table\s+([A-Z]?\d+(?:\.\d+)?|[A-Z](?![\w.]))[:.]?\s*", caption)
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

    figures = []  # a figure's caption often states how its runs were made ("averaged over 10 seeds")
    for fig in doc.iter("figure"):
        if not _has_class(fig, "ltx_figure") or fig.xpath("ancestor::figure"):
            continue
        caption_el = fig.xpath("./*[contains(concat(' ', normalize-space(@class), ' '), ' ltx_caption ')]")
        caption = text_of(caption_el[0]) if caption_el else ""
        match = re.match(r"^(?:Figure|Fig\.)\s+([A-Z]?\d+)[:.]?\s*", caption)
        if caption:
            figures.append({"id": fig.get("id") or "", "number": match.group(1) if match else "",
                            "caption": caption[match.end():] if match else caption,
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
        "figures": figures,
        "equations": equations,
        "algorithms": algorithms,
        "bibliography": bibliography,
    }
    return complete(paper, hrefs)


