"""Output files named on the command line are checked before any work starts: a run that
plans for minutes must not fail at the end because ``-o`` names a folder or a missing one."""

from __future__ import annotations

import os
from pathlib import Path

from homestack.model import ModelError


def check_writable(path: Path | None, option: str) -> None:
    """Refuse (exit 3) an output ``path`` that cannot be written: a folder, in a folder that
    does not exist, or not writable. None and ``-`` (standard output) pass."""
    if path is None or str(path) == "-":
        return
    shown = f"{option} {path}"
    if path.is_dir():
        raise ModelError("is a folder; name a file in it", subject=shown)
    folder = path.parent
    if not folder.is_dir():
        raise ModelError(f"the folder {folder} does not exist", subject=shown,
                         hint="Create it first, or name a file in an existing folder")
    if (path.exists() and not os.access(path, os.W_OK)) or \
            (not path.exists() and not os.access(folder, os.W_OK)):
        raise ModelError("cannot be written (permission denied)", subject=shown)
