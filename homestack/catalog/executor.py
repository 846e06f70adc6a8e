"""Run one Python file of the homelab (site.py or a stack.py) and explain any failure by file:line.

Files are compiled and executed in a fresh namespace, never imported into ``sys.modules``, so two
stacks cannot see each other's globals and a reload sees the file as it is now.
"""

from __future__ import annotations

import ast
import os
import stat
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from homestack.catalog.errors import CatalogError
from homestack.kit.errors import UnknownKeywordError
from homestack.model import HomestackError


def run_file(path: Path, shown: str) -> dict[str, Any]:
    """Execute ``path`` and return its globals; raise ``CatalogError`` naming ``shown``:line."""
    source = read_text(path, shown, shown)
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else (
            source.count("\n", 0, source.index("\0")) + 1 if "\0" in source else None)
        raise CatalogError(
            f"syntax error: {exc.msg}",
            location=f"{shown}:{line}" if line else shown,
            hint="Fix the Python syntax at that line",
        ) from exc
    except ValueError as exc:  # null bytes, on Pythons that do not call them a SyntaxError
        raise CatalogError(f"cannot compile ({exc})", location=shown) from exc
    # A real module object, registered under a name unique to the file, so that code which
    # looks its module up (dataclasses, typing) works inside stack files.
    module = types.ModuleType(f"homestack_homelab.{shown.replace('/', '.').removesuffix('.py')}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module
    try:
        with _no_hard_exit():
            exec(code, module.__dict__)
    except SystemExit as exc:
        # sys.exit() in a homelab file would end homestack with its code, having done nothing
        line = _line_in(exc, path)
        if isinstance(exc, _HardExit):
            called = "os.abort()" if exc.code is None else f"os._exit({exc.code!r:.40})"
        else:
            called = f"sys.exit({exc.code!r:.40})"
        raise CatalogError(
            f"the file called {called} while it ran",
            location=f"{shown}:{line}" if line else shown,
            hint="A homelab file declares objects; remove the exit",
        ) from exc
    except Exception as exc:
        raise _explain(exc, path, shown) from exc
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # GeneratorExit and the like: never a way out of the load
        line = _line_in(exc, path)
        raise CatalogError(f"the file raised {type(exc).__name__} while it ran",
                           location=f"{shown}:{line}" if line else shown,
                           hint="A homelab file declares objects; remove the raise") from exc
    return module.__dict__


class _HardExit(SystemExit):
    """``os._exit`` or ``os.abort`` called by a homelab file."""


_exits_lock = threading.Lock()
_exits_depth = [0]
_REAL_EXITS = (os._exit, os.abort)


@contextmanager
def _no_hard_exit() -> Iterator[None]:
    """While homelab code runs, ``os._exit`` and ``os.abort`` raise instead of ending the
    process: a file that ended Homestack with status 0 would look like a run that did its
    work."""
    def refuse_exit(code: int = 0) -> NoReturn:
        raise _HardExit(code)

    def refuse_abort() -> NoReturn:
        raise _HardExit(None)

    with _exits_lock:
        _exits_depth[0] += 1
        os._exit, os.abort = refuse_exit, refuse_abort  # type: ignore[assignment]
    try:
        yield
    finally:
        with _exits_lock:
            _exits_depth[0] -= 1
            if not _exits_depth[0]:
                os._exit, os.abort = _REAL_EXITS


def read_text(path: Path, location: str, shown: str) -> str:
    """The UTF-8 text of ``path``; ``CatalogError`` at ``location`` if unreadable or undecodable.

    ``shown`` is the file's name in messages (it may differ from the location's file when a
    stack file names the data file it reads).
    """
    try:
        data = _bounded_read(path)
    except OSError as exc:
        raise CatalogError(
            f"cannot read {shown} ({exc.strerror or type(exc).__name__})", location=location
        ) from exc
    if data is None:
        raise CatalogError(f"{shown} is not a regular file (a device, a pipe or a socket)",
                           location=location, hint="Name a file holding the text itself")
    if len(data) > MAX_FILE_BYTES:
        raise CatalogError(f"{shown} is larger than {MAX_FILE_BYTES // 2**20} MiB",
                           location=location,
                           hint="Split it, or let a Helm chart carry something that large")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{shown} is not UTF-8 text: byte {exc.start} is 0x{data[exc.start]:02x}",
            location=location,
            hint="Save the file as UTF-8",
        ) from exc


# No homelab file is this large: the API server takes objects up to about 1.5 MiB, and a
# file past this is a mistake (or a device) that must not be read whole.
MAX_FILE_BYTES = 16 * 2**20


def _bounded_read(path: Path) -> bytes | None:
    """At most ``MAX_FILE_BYTES`` + 1 bytes of ``path``; None when it is not a regular file.
    Opened without blocking, so that a FIFO cannot stall the load."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read(MAX_FILE_BYTES + 1)


def _line_in(exc: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno
    return line


def _keyword_line(exc: BaseException, path: Path, line: int | None) -> int | None:
    """The line of the misspelt keyword inside a call that spans lines (else ``line``)."""
    if not isinstance(exc, UnknownKeywordError) or line is None:
        return line
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return line
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno <= line <= (node.end_lineno or line):
            for keyword in node.keywords:
                if keyword.arg == exc.keyword:
                    return keyword.lineno
    return line


def _explain(exc: Exception, path: Path, shown: str) -> CatalogError:
    line = _keyword_line(exc, path, _line_in(exc, path))
    location = f"{shown}:{line}" if line else shown
    if isinstance(exc, ValidationError):
        return CatalogError(format_validation(exc), location=location)
    if isinstance(exc, HomestackError | ValueError | TypeError):
        return CatalogError(str(exc), location=location)
    return CatalogError(
        f"{type(exc).__name__}: {exc}",
        location=location,
        hint="The file raised an exception while it ran",
    )


def format_validation(exc: ValidationError) -> str:
    """Every field error of a pydantic ValidationError, each with its field path."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"]) or "<root>"
        value = error.get("input")
        shown_value = f" (got {value!r:.60})" if not isinstance(value, dict) else ""
        parts.append(f"{field}: {error['msg']}{shown_value}")
    return f"invalid {exc.title}: " + "; ".join(parts)
