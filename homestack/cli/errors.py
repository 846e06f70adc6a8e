"""Exit codes and how errors become one readable message.

``0`` success, no changes; ``1`` a run failed or a policy error blocks it; ``2`` changes found
(``plan --detailed-exitcode``) or drift found (``drift``), and nothing else; ``3`` invalid
input (the homelab's files, a saved plan) or a command-line usage error. Tracebacks only with
``--debug``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from homestack.catalog import CatalogError
from homestack.graph import GraphError
from homestack.model import HomestackError, ModelError

T = TypeVar("T")


class ExitCode(enum.IntEnum):
    """Exit codes scripts can rely on."""

    OK = 0
    FAILED = 1
    CHANGES = 2
    INVALID = 3


INVALID_INPUT = (CatalogError, GraphError, ModelError)
EXIT_CODES_HELP = ("Exit codes: 0 success or no changes; 1 a run failed or a policy error "
                   "blocks it; 2 changes or drift found; 3 invalid input or usage.")


@contextmanager
def reported(err: Console, debug: bool) -> Iterator[None]:
    """Turn Homestack errors into a message on stderr and the matching exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except INVALID_INPUT as exc:
        if debug:
            raise
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(ExitCode.INVALID) from exc
    except HomestackError as exc:
        if debug:
            raise
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(ExitCode.FAILED) from exc


def guarded(err: Console, debug: bool, action: Callable[[], T]) -> T:
    """Run ``action`` inside ``reported``."""
    with reported(err, debug):
        return action()
