"""Output files are checked before any work, unreachable or malformed metrics endpoints are
one clear line, and names the user gave that do not exist are invalid input (exit 3).

Real processes on a copy of the small homelab (GitOps target)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homestack_testing.homelabs import copy_homelab

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: lab, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: lab, user: {token: abc}}]
contexts: [{name: lab, context: {cluster: lab, user: lab}}]
current-context: lab
"""


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _homestack(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1", **env})


def _invalid(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.mark.parametrize("command", [("plan",), ("ci", "plan")])
def test_an_output_file_in_a_missing_folder_is_refused_before_any_work(
        lab: Path, tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "nowhere" / "p.json"
    _invalid(_homestack(lab, *command, "-o", str(missing)), "--out", "does not exist")
    assert not (lab / ".homestack" / "gitops").exists()  # no target was even opened


def test_an_output_file_that_is_a_folder_is_refused(lab: Path, tmp_path: Path) -> None:
    _invalid(_homestack(lab, "plan", "-o", str(tmp_path)), "--out", "is a folder")


def test_a_metrics_file_in_a_missing_folder_is_refused(lab: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "m.prom"
    _invalid(_homestack(lab, "ci", "plan", "--metrics-file", str(missing)),
             "--metrics-file", "does not exist")
    assert not missing.parent.exists()


def test_a_metrics_file_is_written(lab: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.prom"
    done = _homestack(lab, "ci", "plan", "--metrics-file", str(path))
    assert done.returncode == 2, done.stderr
    assert "homestack_" in path.read_text()


@pytest.mark.parametrize("gateway", ["http://127.0.0.1:1", "http://hs:SEKRIT@127.0.0.1:1"])
def test_an_unreachable_pushgateway_is_one_line_and_no_secret(lab: Path, gateway: str) -> None:
    done = _homestack(lab, "--debug", "ci", "plan", "--pushgateway", gateway)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "--pushgateway" in lines[0]
    assert "SEKRIT" not in done.stdout + done.stderr


def test_state_show_of_an_unknown_stack_is_invalid_input(lab: Path) -> None:
    _invalid(_homestack(lab, "state", "show", "nope"), "nope", "has no recorded state")


def test_a_context_that_the_kubeconfig_lacks_is_invalid_input(lab: Path, tmp_path: Path
                                                              ) -> None:
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG)
    _invalid(_homestack(lab, "plan", "--target", "kube", "--context", "nope",
                        KUBECONFIG=str(config)), "context 'nope' not found", "lab")
