"""The SLURM profile where ``--profile slurm`` finds it, with the account set explicitly.

``make slurm-profile ACCOUNT=<account> [PARTITION=<partition>]`` copies ``profiles/slurm/`` to Snakemake's
user profile folder (``~/.config/snakemake/slurm/``, or under ``$XDG_CONFIG_HOME``), filling in the
account and partition; after that ``snakemake results.md --profile slurm`` works from the repository root
and the copy is the file to edit. An existing copy that differs is kept unless ``FORCE=1`` (then it is
moved aside, never deleted).

The SLURM plugin (2.8.0) guesses an account from the user's last job when none is given, and its
``--slurm-no-account`` flag is read by nothing; ``account_problem`` lets the workflow refuse to submit
a job without an explicit ``slurm_account``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from reprokit.errors import UserError

PROFILE_NAME = "slurm"
SOURCE = Path(__file__).resolve().parents[2] / "profiles" / PROFILE_NAME
ACCOUNT_LINE = re.compile(r'^(\s*)#?\s*slurm_account:.*$', re.M)
PARTITION_LINE = re.compile(r'^(\s*)slurm_partition:.*$', re.M)
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
LIST_ACCOUNTS = "sacctmgr -nP show assoc user=$USER format=account"


def user_profile_dir() -> Path:
    """Where Snakemake looks up ``--profile slurm`` after the current folder (the same lookup it uses)."""
    from platformdirs import AppDirs

    return Path(AppDirs("snakemake", "snakemake").user_config_dir) / PROFILE_NAME


def profile_text(source: Path, account: str, partition: str | None) -> dict[str, str]:
    """The profile's files with the account (and partition) written in."""
    files = {p.name: p.read_text() for p in sorted(source.iterdir()) if p.is_file()}
    main = [name for name in files if name.startswith("config")]
    if len(main) != 1:
        raise UserError(f"{source} should hold exactly one config*.yaml; restore it from git.")
    text = files[main[0]]
    if not ACCOUNT_LINE.search(text) or not PARTITION_LINE.search(text):
        raise UserError(f"{source / main[0]} has no slurm_account or slurm_partition line under default-resources; "
                        "restore it from git (git checkout profiles/slurm).")
    text = ACCOUNT_LINE.sub(lambda m: f'{m.group(1)}slurm_account: "{account}"', text, count=1)
    if partition:
        text = PARTITION_LINE.sub(lambda m: f'{m.group(1)}slurm_partition: "{partition}"', text, count=1)
    files[main[0]] = text
    return files


def install(account: str, partition: str | None = None, force: bool = False, source: Path = SOURCE,
            dest: Path | None = None) -> Path:
    """Write the profile to ``dest`` (default: Snakemake's user profile folder); return ``dest``."""
    if not account:
        raise UserError("ACCOUNT is missing: the SLURM account your jobs are charged to; give it as make slurm-profile "
                        f"ACCOUNT=<account> (list yours with: {LIST_ACCOUNTS}).")
    if not NAME.match(account):
        raise UserError(f"ACCOUNT={account!r} is not a SLURM account name; give yours: make slurm-profile "
                        f"ACCOUNT=<account> (list them with: {LIST_ACCOUNTS}).")
    if partition is not None and not NAME.match(partition):
        raise UserError(f"PARTITION={partition!r} is not a SLURM partition name; list them with: sinfo -s.")
    dest = dest or user_profile_dir()
    files = profile_text(source, account, partition)
    if dest.exists():
        same = dest.is_dir() and sorted(p.name for p in dest.iterdir()) == sorted(files) and all(
            (dest / name).read_text() == text for name, text in files.items())
        if same:
            return dest
        if not force:
            raise UserError(f"{dest} already exists and differs from profiles/slurm with ACCOUNT={account} (your "
                            f"edits are kept); compare them with: diff -r profiles/slurm {dest}, or replace it with "
                            f"make slurm-profile ACCOUNT={account} FORCE=1 (the old copy is moved aside).")
        backup = dest.with_name(f"{dest.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
        dest.rename(backup)
        print(f"moved the previous profile to {backup}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        for name, text in files.items():
            (staging / name).write_text(text)
        staging.rename(dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest


def account_problem(executor: str | None, jobs: list[tuple[str, bool, object]]) -> str | None:
    """One sentence when a SLURM submission would go out without an explicit account, else None.

    ``jobs``: (rule name, runs locally, its slurm_account resource, or whether one is given) for each rule whose
    jobs may be submitted.
    """
    if executor != "slurm":
        return None
    missing = sorted({rule for rule, local, account in jobs if not local and not str(account or "").strip()})
    if not missing:
        return None
    return (f"the SLURM profile sets no slurm_account for {', '.join(missing)}, and the SLURM plugin would guess "
            f"one from your last job; set it once with make slurm-profile ACCOUNT=<account> (or slurm_account "
            f"under default-resources in your profile; list yours with: {LIST_ACCOUNTS}).")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Install profiles/slurm as Snakemake's `--profile slurm`.")
    parser.add_argument("--account", default="", help="your SLURM account (required)")
    parser.add_argument("--partition", default=None, help="the GPU partition (default: the profile's, gpu)")
    parser.add_argument("--force", action="store_true", help="replace a differing copy (moved aside first)")
    args = parser.parse_args(argv)
    try:
        dest = install(args.account, args.partition or None, args.force)
    except UserError as err:
        sys.exit(f"error: {err}")
    print(f"SLURM profile installed: {dest} (edit it there); now run: snakemake results.md --profile slurm")


if __name__ == "__main__":
    main()
