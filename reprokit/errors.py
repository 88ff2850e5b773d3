"""The one exception type a user can cause, and how scripts report it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class UserError(Exception):
    """An error caused by the user's input; its message is one sentence naming the input and the fix."""


def say(message: str) -> None:
    """Print to stderr (a script's Snakemake log) and, when that is redirected, to the terminal too."""
    print(message, file=sys.stderr, flush=True)
    if sys.stderr is not sys.__stderr__ and sys.__stderr__ is not None:
        print(message, file=sys.__stderr__, flush=True)


def report_user_errors(func: Callable[..., T], *args, **kwargs) -> T:
    """Run ``func``; on a UserError print its sentence (no traceback) to stderr and exit 1.

    Scripts redirect ``sys.stderr`` to their Snakemake log; the sentence is also written to the
    original stderr so the person at the terminal sees which input to fix.
    """
    try:
        return func(*args, **kwargs)
    except UserError as err:
        say(f"error: {err}")
        raise SystemExit(1) from None
