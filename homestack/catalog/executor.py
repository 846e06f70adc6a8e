"""Run one Python file of the homelab (site.py or a stack.py) and explain any failure by file:line.

Files are compiled and executed in a fresh namespace, never imported into ``sys.modules``, so two
stacks cannot see each other's globals and a reload sees the file as it is now.
"""

from __future__ import annotations

import ast
import sys
import traceback
import types
from pathlib import Path
from typing import Any

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
        raise CatalogError(
            f"syntax error: {exc.msg}",
            location=f"{shown}:{exc.lineno}",
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
        exec(code, module.__dict__)
    except SystemExit as exc:
        # sys.exit() in a homelab file would end homestack with its code, having done nothing
        line = _line_in(exc, path)
        raise CatalogError(
            f"the file called sys.exit({exc.code!r:.40}) while it ran",
            location=f"{shown}:{line}" if line else shown,
            hint="A homelab file declares objects; remove the exit",
        ) from exc
    except Exception as exc:
        raise _explain(exc, path, shown) from exc
    return module.__dict__


def read_text(path: Path, location: str, shown: str) -> str:
    """The UTF-8 text of ``path``; ``CatalogError`` at ``location`` if unreadable or undecodable.

    ``shown`` is the file's name in messages (it may differ from the location's file when a
    stack file names the data file it reads).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(
            f"cannot read {shown} ({exc.strerror or type(exc).__name__})", location=location
        ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"{shown} is not UTF-8 text: byte {exc.start} is 0x{data[exc.start]:02x}",
            location=location,
            hint="Save the file as UTF-8",
        ) from exc


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
