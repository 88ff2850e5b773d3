"""The git commands stage 4 runs on code/ (both routes): a fixed author, no user or system git config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from reprokit.errors import UserError

AUTHOR = "reprokit"
GIT_ENV = {"GIT_AUTHOR_NAME": AUTHOR, "GIT_AUTHOR_EMAIL": "reprokit@localhost",
           "GIT_COMMITTER_NAME": AUTHOR, "GIT_COMMITTER_EMAIL": "reprokit@localhost",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def run_git(repo: Path, *args: str, check: bool = True) -> str:
    env = {**os.environ, **GIT_ENV}
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise UserError("git is not installed; install git (apt-get install git) to build the code/ repository.") from None
    if check and done.returncode != 0:
        raise UserError(f"git {args[0]} failed in {repo} ({done.stderr.strip()[-300:]}); fix the repository or move "
                        "it aside to rebuild it.")
    return done.stdout.strip()


def commit(repo: Path, paths: list[str], subject: str, body: str) -> None:
    run_git(repo, "add", "--", *paths)
    run_git(repo, "commit", "-q", "-m", subject, "-m", body or subject, "--", *paths)


def _commits_not_ours(repo: str | Path, sha: str) -> list[tuple[str, str]]:
    """(sha in git's ``sha`` format, subject) of each commit the workflow did not make, newest first."""
    if not (Path(repo) / ".git").exists():
        return []
    log = run_git(Path(repo), "log", f"--format={sha}%x09%an%x09%cn%x09%s", check=False)
    out = []
    for line in log.splitlines():
        commit_sha, author, committer, subject = (line.split("\t", 3) + ["", "", ""])[:4]
        if AUTHOR not in (author, committer):
            out.append((commit_sha, subject))
    return out


def user_commits(repo: str | Path) -> list[tuple[str, str]]:
    """(short sha, subject) of each commit in ``repo`` that the workflow did not make, oldest first."""
    return _commits_not_ours(repo, "%h")[::-1]


def last_user_commit(repo: str | Path) -> str:
    """The newest commit in ``repo`` that the workflow did not make (a researcher's own), or "" when there is none
    or ``repo`` is not a git repository yet. The implement rules take it as a param: a commit of yours in code/
    reruns stage 4, whose record then lists it, and so the smoke ladder and the runs; the workflow's own commits
    leave it as it was, so a second run does nothing."""
    return next((sha for sha, _ in _commits_not_ours(repo, "%H")), "")
