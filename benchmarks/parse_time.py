"""Benchmark: stage 1's parse time per paper over the shared corpus (LaTeXML HTML and Markdown).

    python benchmarks/parse_time.py [--repeat 3] [--corpus ../shared/papers]

Prints each paper's best-of-N parse time, then the median and max per format (goal: median under 0.3 s),
then the time for pages of about 1 and 4 MB made from the largest corpus page by repeating its sections
(goal: 4 MB under 3 s, i.e. no worse than linear).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reprokit.paper import parse_html  # noqa: E402
from reprokit.paper.markdown import parse_markdown, parse_pdf  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "papers"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise SystemExit(f"error: corpus folder {corpus} does not exist; pass --corpus <folder with papers>.")
    files = sorted(corpus.glob("*/paper.html")) + sorted(corpus.glob("*/paper.md"))
    files.append(ROOT / "tests" / "fixtures" / "mnist1d-example.pdf")
    parsers = {".html": parse_html, ".md": parse_markdown, ".pdf": parse_pdf}
    times: dict[str, list[float]] = {}
    print(f"{'paper':<48} {'format':<6} {'seconds':>8} {'tables':>6} {'sections':>8}")
    for path in files:
        best = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            paper = parsers[path.suffix](path)
            best = min(best, time.perf_counter() - started)
        times.setdefault(path.suffix, []).append(best)
        name = path.parent.name if path.suffix != ".pdf" else path.name
        print(f"{name:<48} {path.suffix[1:]:<6} {best:>8.3f} {len(paper['tables']):>6} {len(paper['sections']):>8}")
    print()
    for suffix, values in times.items():
        print(f"{suffix[1:]:<5} n={len(values):<3} median {statistics.median(values):.3f} s  max {max(values):.3f} s")
    every = [t for values in times.values() for t in values]
    print(f"all   n={len(every):<3} median {statistics.median(every):.3f} s  max {max(every):.3f} s  (goal: median < 0.3 s)")
    print()
    scaling(max(corpus.glob("*/paper.html"), key=lambda p: p.stat().st_size))


def scaling(page: Path) -> None:
    """Parse time of large pages built by repeating ``page``'s sections (a page is refused above the cap)."""
    import tempfile

    text = page.read_text(encoding="utf-8")
    start, end = text.index("<section"), text.rindex("</section>") + len("</section>")
    with tempfile.TemporaryDirectory() as scratch:
        for target_mb in (1, 4):
            copies = max(1, round((target_mb * 1e6 - len(text)) / (end - start)))
            big = Path(scratch) / f"{target_mb}mb.html"
            big.write_text(text[:end] + text[start:end] * copies + text[end:], encoding="utf-8")
            started = time.perf_counter()
            parse_html(big)
            seconds = time.perf_counter() - started
            print(f"{big.stat().st_size / 1e6:.1f} MB page ({page.parent.name} x{copies + 1}): {seconds:.2f} s"
                  + ("  (goal: under 3 s)" if target_mb == 4 else ""))


if __name__ == "__main__":
    main()
