"""Stage 1 for Markdown and PDF papers: the same JSON shape as the LaTeXML parser, fewer fields where the
source lacks them.

Markdown is what PDF-to-Markdown converters (MinerU) and the Hugging Face paper pages give: ``#``
headings with section numbers, HTML ``<table>`` blocks with a "Table N" caption beside them, ``$$``
equations with ``\\tag{n}``. A PDF is turned to text with pypdf (BSD licensed, pure Python; measured at
0.04 s for the bundled example against 0.08 s for pdfminer.six), and numbered heading lines become
Markdown headings before the same parser runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lxml import etree, html

from reprokit.errors import UserError
from reprokit.paper.structure import complete
from reprokit.paper.tables import parse_table
from reprokit.text import normalise_space, unspace_math_numbers

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
NUMBERED = re.compile(r"^(?P<num>(?:Appendix\s+)?(?:[A-Z]|\d+)(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
CAPTION = re.compile(r"^\s*(?:\*\*)?(Table|Tab\.)\s*(?P<num>[A-Z]?\d+(?:\.\d+)?)[:.]?(?:\*\*)?\s*(?P<text>.*)$", re.I)
ALGORITHM = re.compile(r"^\s*(?:#+\s*)?Algorithm\s+\d+", re.I)
EQ_TAG = re.compile(r"\\tag\{([^}]*)\}")
BACK_MATTER = re.compile(r"^(references|bibliography|acknowledg)", re.I)
APPENDIX = re.compile(r"^(appendix|supplementary)", re.I)
RUN_IN = re.compile(r"^\*\*(?P<title>[A-Z0-9][^*]{0,118}?)(?:\.\*\*|\*\*\.)\s*")


def _cell_text(el: etree._Element) -> str:
    return normalise_space("".join(el.itertext()))


def _split_authors(line: str) -> list[str]:
    parts = re.split(r"\s*(?:\d+(?:\s*,\s*\d+)*\s*|[,;*†‡§]+|\band\b)\s*", line)
    return [p.strip() for p in parts if len(p.strip()) > 2 and not p.strip().isdigit()]


def parse_markdown_text(text: str, fmt: str = "md") -> dict[str, Any]:
    """Parse Markdown into the ``paper.json`` structure."""
    lines = unspace_math_numbers(text.replace("\r\n", "\n")).split("\n")
    title, authors, abstract = "", [], ""
    sections: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    equations: list[dict[str, Any]] = []
    algorithms: list[dict[str, Any]] = []
    bibliography: list[str] = []
    current: dict[str, Any] | None = None  # the section the text goes to: the last heading's or a run-in part of it
    heading_section: dict[str, Any] = {}
    run_ins: dict[str, list[dict[str, Any]]] = {}  # a heading section's id -> its run-in parts, in order
    in_abstract = in_back = in_appendix = False
    block: list[str] = []
    pending_caption = ""
    last_caption_target: dict[str, Any] | None = None

    def flush() -> None:
        nonlocal block, abstract, pending_caption, last_caption_target, current
        paragraph = normalise_space(" ".join(block))
        block = []
        if not paragraph:
            return
        caption = CAPTION.match(paragraph)
        if caption:
            if last_caption_target is not None and not last_caption_target["caption"]:
                last_caption_target.update(number=caption.group("num"), caption=caption.group("text"))
                last_caption_target = None
            else:
                pending_caption = paragraph
            return
        if in_abstract:
            abstract = f"{abstract} {paragraph}".strip()
        elif in_back and current is not None and BACK_MATTER.match(current["title"]) and \
                current["title"].lower().startswith(("ref", "bib")):
            bibliography.append(paragraph)
        elif current is not None:
            run_in = None if in_back else RUN_IN.match(paragraph)
            if run_in:  # "**Datasets.** We use ...": a part of the heading's section, up to the next heading
                owner = heading_section["id"]
                current = {"id": f"{owner}.rh{len(run_ins.get(owner, [])) + 1}", "number": "",
                           "title": run_in.group("title").strip(), "kind": heading_section["kind"], "parent": owner,
                           "level": "run-in", "paragraphs": []}
                run_ins.setdefault(owner, []).append(current)
                paragraph = paragraph[run_in.end():]
            current["paragraphs"] += [paragraph] if paragraph else []
        elif title and not authors and len(paragraph) < 400:
            authors.extend(_split_authors(paragraph))

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        heading = HEADING.match(stripped)
        if heading:
            flush()
            name = heading.group(2).strip()
            if not title:
                title = name
            elif name.lower().strip("*") == "abstract":
                in_abstract = True
            elif ALGORITHM.match(name):
                body = []
                i += 1
                while i < len(lines) and not HEADING.match(lines[i].strip()):
                    if lines[i].strip():
                        body.append(normalise_space(re.sub(r"<[^>]+>", " ", lines[i])))
                    i += 1
                algorithms.append({"id": f"alg{len(algorithms) + 1}", "caption": name, "lines": body,
                                   "section": current["id"] if current else None})
                continue
            else:
                in_abstract = False
                numbered = NUMBERED.match(name)
                number, sec_title = (numbered.group("num").replace("Appendix ", ""), numbered.group("title")) \
                    if numbered else ("", name)
                if BACK_MATTER.match(sec_title):
                    in_back = True
                if APPENDIX.match(sec_title) or (in_back and re.fullmatch(r"[A-Z](\.\d+)*", number or "")):
                    in_appendix = True
                    in_back = False
                kind = "appendix" if in_appendix and not BACK_MATTER.match(sec_title) else "section"
                parent = None
                if "." in number:
                    parent_number = number.rsplit(".", 1)[0]
                    parent = next((s["id"] for s in reversed(sections) if s["number"] == parent_number), None)
                current = {"id": f"{'A' if kind == 'appendix' else 'S'}{len(sections) + 1}", "number": number,
                           "title": sec_title, "kind": kind, "parent": parent, "level": f"h{len(heading.group(1))}",
                           "paragraphs": []}
                sections.append(current)
                heading_section = current
        elif stripped.lower().startswith("<table"):
            flush()
            chunk = [line]
            while "</table>" not in chunk[-1].lower() and i + 1 < len(lines):
                i += 1
                chunk.append(lines[i])
            try:
                fragment = html.fragment_fromstring("\n".join(chunk), create_parent="div")
                grid = fragment.find(".//table")
            except (etree.ParserError, ValueError):
                grid = None
            if grid is not None:
                caption = CAPTION.match(pending_caption) if pending_caption else None
                table = parse_table(grid, table_id=f"T{len(tables) + 1}", number=caption.group("num") if caption else "",
                                    caption=caption.group("text") if caption else "",
                                    section=current["id"] if current else None, text_of=_cell_text)
                tables.append(table)
                last_caption_target = None if caption else table
                pending_caption = ""
        elif stripped.startswith("$$"):
            flush()
            chunk = [stripped[2:]]
            if not (stripped.endswith("$$") and len(stripped) > 2):
                while i + 1 < len(lines):
                    i += 1
                    if lines[i].strip().startswith("$$"):
                        break
                    chunk.append(lines[i])
            latex = normalise_space(" ".join(chunk).replace("$$", ""))
            equations.append({"id": f"E{len(equations) + 1}", "numbers": EQ_TAG.findall(latex),
                              "latex": EQ_TAG.sub("", latex).strip(), "section": current["id"] if current else None,
                              "context": current["paragraphs"][-1][-200:] if current and current["paragraphs"] else ""})
        elif not stripped:
            flush()
        elif stripped.startswith("![") or re.match(r"^\|?\s*-{3,}", stripped):
            pass
        else:
            block.append(stripped)
        i += 1
    flush()
    sections = [s for section in sections for s in [section, *run_ins.get(section["id"], [])]]
    if not title:
        raise UserError("the Markdown paper has no heading to take the title from; start it with `# <title>`.")
    paper = {"format": fmt, "title": title, "authors": authors, "abstract": abstract, "author_notes": [],
             "license": "", "sections": sections, "footnotes": [], "tables": tables, "figures": [], "equations": equations,
             "algorithms": algorithms, "bibliography": bibliography}
    return complete(paper)


def parse_markdown(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"paper Markdown {path} does not exist; fetch the paper again.")
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        raise UserError(f"paper Markdown {path} is empty; give a file with the paper in it.")
    return parse_markdown_text(text, "md")


PDF_HEADING = re.compile(r"^(?P<num>(?:\d+(?:\.\d+){0,2}|[A-H](?:\.\d+){0,2}))\.?\s+(?P<title>[A-Z][A-Za-z0-9 ,:&'()/-]{1,70})$")


def pdf_to_markdown(path: str | Path) -> str:
    """The PDF's text with numbered heading lines marked as Markdown headings (hyphenation undone)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as err:
        raise UserError(f"{path} cannot be read as a PDF ({err}); fetch it again or give the HTML or Markdown.") from None
    raw = re.sub(r"(\w)-\n(\w)", r"\1\2", raw)
    out: list[str] = []
    lines = raw.split("\n")
    title = " ".join(line.strip() for line in lines[:2] if line.strip() and len(line) < 120)
    out += [f"# {title}", ""]
    start = 2
    for line in lines[start:]:
        stripped = line.strip()
        match = PDF_HEADING.match(stripped)
        if stripped.lower() in ("abstract", "references", "acknowledgements", "acknowledgments"):
            out += ["", f"# {stripped}", ""]
        elif match and not stripped.endswith("."):
            out += ["", f"# {match.group('num')} {match.group('title')}", ""]
        else:
            out.append(stripped)
            if stripped.endswith((".", ":")) and len(stripped) < 60:
                out.append("")
    return "\n".join(out)


def parse_pdf(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise UserError(f"paper PDF {path} does not exist; fetch the paper again.")
    return parse_markdown_text(pdf_to_markdown(path), "pdf")
