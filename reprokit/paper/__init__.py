"""Stage 1, paper acquisition: fetch a paper (``fetch``), parse LaTeXML HTML (``html``), Markdown or PDF
(``markdown``) into one structured extract, and write ``paper.md`` and ``paper.json`` (``extract``)."""

from reprokit.paper.extract import extract, parse_any, render_markdown
from reprokit.paper.html import parse_html
from reprokit.paper.markdown import parse_markdown, parse_pdf
from reprokit.paper.structure import section_label

__all__ = ["extract", "parse_any", "parse_html", "parse_markdown", "parse_pdf", "render_markdown", "section_label"]
