"""Exit codes and how errors become one readable message.

``0`` success, no changes; ``1`` a run failed or a policy error blocks it; ``2`` changes found
(``plan --detailed-exitcode``) or drift found (``drift``), and nothing else; ``3`` invalid
input (the homelab's files, a saved plan) or a command-line usage error. Tracebacks only with
``--debug``.
"""

from __future__ import annotations

import enum
import json
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from homestack.catalog import CatalogError
from homestack.graph import GraphError
from homestack.model import HomestackError, ModelError
from homestack.model.redact import redact

T = TypeVar("T")


class ExitCode(enum.IntEnum):
    """Exit codes scripts can rely on."""

    OK = 0
    FAILED = 1
    CHANGES = 2
    INVALID = 3




class InvalidArgument(HomestackError):
    """A command-line argument names nothing that exists or combines badly: exit 3."""


class Refused(HomestackError):
    """A command refuses what it was asked (no TTY to confirm on, a file it keeps): exit 1."""


INVALID_INPUT = (CatalogError, GraphError, ModelError, InvalidArgument)
EXIT_CODES_HELP = ("Exit codes: 0 success or no changes; 1 a run failed or a policy error "
                   "blocks it; 2 changes or drift found; 3 invalid input or usage.")

# Usage errors of the command line (unknown option, bad value) are invalid input like a bad
# homelab file: they exit 3, because exit 2 means "changes or drift found" to scripts.
_USAGE_EXIT = 2


def usage_error_json(message: str) -> str:
    """The JSON error object of a command-line usage error."""
    return json.dumps(error_object("usage", message, ExitCode.INVALID), indent=2)


def _as_invalid(exc: typer.TyperException, as_json: bool) -> typer.TyperException:
    if exc.exit_code == _USAGE_EXIT:
        exc.exit_code = ExitCode.INVALID
    if as_json:
        typer.echo(usage_error_json(exc.format_message()))
    return exc


JSON_FLAG = "--json"


def hoisted_json(args: list[str]) -> list[str]:
    """``args`` with ``--json`` moved in front of the subcommand, wherever it was written.

    One flag, one meaning: ``homestack --json state list`` and ``homestack state list --json``
    are the same command line, for every command. Words after ``--`` are left alone.
    """
    end = args.index("--") if "--" in args else len(args)
    if JSON_FLAG not in args[:end]:
        return args
    return [JSON_FLAG, *(a for a in args[:end] if a != JSON_FLAG), *args[end:]]


class HomestackGroup(TyperGroup):
    """The command group; command-line usage errors exit with ``ExitCode.INVALID`` (and,
    under ``--json``, are a JSON error object on stdout, printed once, by the root)."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        """Parse the group's own options (``--json`` anywhere, at the root); a usage error
        exits 3."""
        if parent is None:
            args = hoisted_json(list(args))
        try:
            return super().make_context(info_name, args, parent, **extra)
        except typer.TyperException as exc:
            raise _as_invalid(exc, parent is None and args[:1] == [JSON_FLAG]) from None

    def invoke(self, ctx: Any) -> Any:
        """Run the subcommand; its usage errors (parsed here) exit 3."""
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            # the root's own options are parsed even when its callback has not run yet
            root = ctx.parent is None and bool(ctx.params.get("json_output"))
            raise _as_invalid(exc, root) from None


# Whether the running command was asked for --json (set by ``reported`` for its block).
_AS_JSON: ContextVar[bool] = ContextVar("as_json", default=False)


@contextmanager
def reported(err: Console, debug: bool, *, as_json: bool = False) -> Iterator[None]:
    """Turn Homestack errors into a message on stderr and the matching exit code; with
    ``as_json`` (the global ``--json`` or the command's) also a JSON error object on
    stdout."""
    token = _AS_JSON.set(as_json)
    try:
        yield
    except typer.Exit:
        raise
    except INVALID_INPUT as exc:
        _traceback(err, debug)
        err.print(f"[bold red]error:[/] {escape(one_line(exc))}", soft_wrap=True)
        _json_error(exc, ExitCode.INVALID)
        raise typer.Exit(ExitCode.INVALID) from exc
    except HomestackError as exc:
        _traceback(err, debug)
        err.print(f"[bold red]error:[/] {escape(one_line(exc))}", soft_wrap=True)
        _json_error(exc, ExitCode.FAILED)
        raise typer.Exit(ExitCode.FAILED) from exc
    finally:
        _AS_JSON.reset(token)


def json_mode() -> bool:
    """True inside ``reported`` of a command asked for ``--json``."""
    return _AS_JSON.get()


def error_object(kind: str, message: str, code: int, *, file: str | None = None,
                 line: int | None = None, **extra: Any) -> dict[str, Any]:
    """The JSON error every command prints under ``--json``."""
    return {"error": {"kind": kind, "message": redact(message), "file": file, "line": line,
                      "code": int(code), **extra}}


def _json_error(exc: HomestackError, code: ExitCode) -> None:
    if not json_mode():
        return
    location = getattr(exc, "location", None) or exc.subject or ""
    file, _, line = location.rpartition(":")
    found_line = int(line) if line.isdigit() else None
    kind = "invalid-input" if code is ExitCode.INVALID else "failed"
    typer.echo(json.dumps(error_object(
        kind, one_line(exc), code, file=(file if found_line else location) or None,
        line=found_line, type=type(exc).__name__), indent=2))


def _traceback(err: Console, debug: bool) -> None:
    """With ``--debug``, the traceback too (credentials masked); the exit code stays the
    same, so a script run with ``--debug`` still reads it."""
    if debug:
        err.print(redact(traceback.format_exc()), markup=False, highlight=False,
                  soft_wrap=True)


def one_line(exc: BaseException) -> str:
    """The error's message on one line, credentials masked: scripts read the first line."""
    return " ".join(redact(str(exc)).split())


def guarded(err: Console, debug: bool, action: Callable[[], T]) -> T:
    """Run ``action`` inside ``reported``."""
    with reported(err, debug):
        return action()
