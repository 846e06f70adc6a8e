"""The stock kubectl, run against a loopback server with its own HOME (no user config)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed on PATH")


class Kubectl:
    """``kubectl(*args, stdin=...)`` -> CompletedProcess; ``write(name, text)`` -> path."""

    def __init__(self, kubeconfig: Path, workdir: Path) -> None:
        self.kubeconfig = kubeconfig
        self.workdir = workdir

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        assert KUBECTL is not None
        return subprocess.run(
            [KUBECTL, "--kubeconfig", str(self.kubeconfig), *args],
            input=stdin, capture_output=True, text=True, timeout=30,
            env={"PATH": "/usr/bin:/bin", "HOME": str(self.workdir)},
        )

    def write(self, name: str, text: str) -> str:
        path = self.workdir / name
        path.write_text(text)
        return str(path)

    def apply(self, text: str, *flags: str) -> subprocess.CompletedProcess[str]:
        """``kubectl apply --server-side -f -`` of a YAML text."""
        return self("apply", "--server-side", *flags, "-f", "-", stdin=text)
