"""The homelab as it was at a Git revision: exported to a temporary folder with ``git archive``.

Used by ``plan --changed-since REV``: comparing content hashes of both versions finds every
Stack a change touched, shared code included, without grepping for names.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from homestack.catalog.errors import CatalogError


def _git(root: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise CatalogError(
            f"git {' '.join(args[:2])} failed: {done.stderr.decode().strip()}",
            location=str(root),
            hint="--changed-since needs the homelab inside a Git repository and a known revision",
        )
    return done.stdout


@contextmanager
def checkout(root: Path, revision: str) -> Iterator[Path]:
    """Yield a temporary copy of the homelab at ``root`` as of ``revision``."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    archive = _git(top, "archive", "--format=tar", revision, "--", prefix or ".")
    with tempfile.TemporaryDirectory(prefix="homestack-rev-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder) / prefix
