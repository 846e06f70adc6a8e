"""Output read by scripts and logs: no wrapping when piped, Kubernetes-only YAML on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from homestack_testing.homelabs import copy_homelab

REPO = Path(__file__).resolve().parents[2]
REFERENCE = REPO / "examples" / "reference-homelab"


def _homestack(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return subprocess.run([sys.executable, "-m", "homestack", *args], capture_output=True,
                          text=True, env={**env, "NO_COLOR": "1"}, timeout=300)


def test_piped_tables_are_tab_separated_rows_never_wrapped(small_homelab: Path,
                                                          tmp_path: Path) -> None:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    text = _homestack("-C", str(root), "plan", "--target", "gitops").stdout
    rows = [line for line in text.splitlines()
            if "k8s:scheduling.k8s.io/v1:PriorityClass:tier-0-core" in line]
    assert len(rows) == 1, text
    assert rows[0].split("\t")[:3] == [
        "platform", "create", "k8s:scheduling.k8s.io/v1:PriorityClass:tier-0-core"]
    assert "│" not in text  # no boxes in a pipe


def test_render_to_stdout_is_only_kubernetes_yaml() -> None:
    done = _homestack("-C", str(REFERENCE), "render")
    assert done.returncode == 0, done.stderr
    documents = [d for d in yaml.safe_load_all(done.stdout) if d]
    assert documents and all("apiVersion" in d and "kind" in d for d in documents)
    assert not any("provider" in d for d in documents)
    assert "Resources of other providers" in done.stderr
