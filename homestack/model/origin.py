"""Find where the author declared something: the first stack frame outside the homestack package.

Errors found later (during render or policy) then still name the stack file and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from homestack.model.resource import Origin

_PACKAGE_DIR = str(Path(__file__).resolve().parent.parent)


def caller_origin() -> Origin | None:
    """The first frame of the call stack whose file is outside ``homestack/``."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith(_PACKAGE_DIR) and not filename.startswith("<"):
            return Origin(file=filename, line=frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return None
