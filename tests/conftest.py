"""Shared fixtures: the bundled example paper, the shared corpus (skipped when absent), a built workspace."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_HTML = ROOT / "examples" / "mnist1d" / "paper.html"
EXAMPLE_FACTS = ROOT / "examples" / "mnist1d" / "upstream_facts.yaml"
EXAMPLE_TASK = ROOT / "examples" / "mnist1d" / "task.py"
SHARED_PAPERS = Path(os.environ.get("REPROKIT_SHARED_PAPERS", ROOT.parent / "shared" / "papers"))
SHARED_REPOS = SHARED_PAPERS.parent / "repos"  # real official repositories, one tarball each (README there)


@pytest.fixture(scope="session")
def example_paper() -> dict:
    from reprokit.paper import parse_html

    return parse_html(EXAMPLE_HTML)


@pytest.fixture(scope="session")
def example_task():
    from reprokit.task import load_task

    return load_task(str(EXAMPLE_TASK))


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """Stages 1-5 of the bundled example, run through the library (no Snakemake)."""
    from reprokit.code.inventory import inventory
    from reprokit.code.source import acquire
    from reprokit.dataset.prepare import prepare_dataset
    from reprokit.gaps.ledger import fill_gaps
    from reprokit.implement.repo import implement
    from reprokit.paper import extract
    from reprokit.paper.fetch import fetch_paper
    from reprokit.task import load_task

    ws = tmp_path_factory.mktemp("ws")
    fetch_paper(str(EXAMPLE_HTML), ws / "source")
    extract(ws / "source", ws / "paper.md", ws / "paper.json")
    acquire("package:mnist1d", ws / "upstream", ws / "upstream.json")
    inventory(ws / "upstream", ws / "upstream.json", ws / "paper.json", str(EXAMPLE_FACTS), ws / "inventory.md",
              ws / "inventory.json", ws / "code_hparams.json")
    task = load_task(str(EXAMPLE_TASK))
    fill_gaps(str(ws / "paper.json"), str(ws / "code_hparams.json"), {}, 0.3, False, str(ws / "gaps_filled.md"),
              str(ws / "gaps.json"), task=str(EXAMPLE_TASK), task_knobs=task.knobs, task_loss=task.loss_name)
    implement(str(ws / "gaps.json"), str(ws / "paper.json"), str(EXAMPLE_TASK), str(ws / "code"),
              str(ws / "implementation.json"))
    prepare_dataset(str(ws / "paper.json"), {"source": "task", "args": {}}, str(ws / "data" / "dataset.npz"),
                    str(ws / "dataset.md"), str(ws / "dataset.json"), str(ws / "dataset_substitution.md"),
                    task=str(EXAMPLE_TASK))
    return ws


def shared_papers() -> list[Path]:
    if not SHARED_PAPERS.is_dir():
        return []
    return sorted(p for p in SHARED_PAPERS.iterdir() if p.is_dir())


def require_shared() -> None:
    if not shared_papers():
        reason = f"the shared paper corpus is not at {SHARED_PAPERS} (set REPROKIT_SHARED_PAPERS)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide it")
        pytest.skip(reason)


def git_available() -> bool:
    return shutil.which("git") is not None


def real_repo(name: str, into: Path) -> Path:
    """A real official repository from ../shared/repos (``owner+name``), extracted under ``into``; skipped where the
    snapshots are absent (a user's machine), a failure under CI."""
    import tarfile

    tarball = SHARED_REPOS / f"{name}.tar.gz"
    if not tarball.is_file():
        reason = f"the real repository snapshot {tarball} is absent"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide ../shared/repos")
        pytest.skip(reason)
    with tarfile.open(tarball) as archive:
        archive.extractall(into, filter="data")
        top = archive.getnames()[0].split("/")[0]
    return into / top
