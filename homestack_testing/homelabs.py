"""Copies of the example homelabs for a test or a benchmark, without what runs left in them.

``bin/main`` applies the reference homelab in place: its ``.homestack/`` (state, GitOps
repository, age key) and the bootstrap state files under ``state/`` are encrypted for this
machine's key and belong to that run. A copy that took them along would start from another
run's state, or fail to decrypt it; a copy starts clean instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

_RUN_FOLDERS = frozenset({".homestack", ".git", "__pycache__"})
BOOTSTRAP_DIR = "state"  # the Site's default bootstrap_dir


def _left_by_runs(folder: str, names: list[str]) -> set[str]:
    bootstrap = Path(folder).name == BOOTSTRAP_DIR
    return {n for n in names if n in _RUN_FOLDERS or n.endswith(".pyc")
            or (bootstrap and n.endswith(".age"))}


def copy_homelab(source: Path, target: Path) -> Path:
    """Copy the homelab ``source`` to ``target`` (replaced), without run state or caches."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=_left_by_runs)
    return target
