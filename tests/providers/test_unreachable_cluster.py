"""An unreachable API server fails the run with one line per Stack, records the run's end, and
never prints a traceback; removing a Stack takes its ApplySet parent with it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from homestack_testing.kubeapi import KubeApiServer
from tests.providers.conftest import FIXTURE, KubeLab


def _homestack(root: Path, kubeconfig: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(kubeconfig), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=300)


def test_a_refused_connection_fails_cleanly_and_the_run_ends(tmp_path: Path) -> None:
    root = tmp_path / "lab"
    shutil.copytree(FIXTURE, root)
    with KubeApiServer() as server:
        kubeconfig = server.write_kubeconfig(tmp_path / "kubeconfig")
    # the server is gone: every connection is refused
    planned = _homestack(root, kubeconfig, "plan")
    assert planned.returncode == 1
    assert "Traceback" not in planned.stderr + planned.stdout
    assert "cannot reach the API server" in planned.stdout + planned.stderr
    applied = _homestack(root, kubeconfig, "apply", "--yes")
    assert applied.returncode == 1
    assert "Traceback" not in applied.stderr + applied.stdout
    history = _homestack(root, kubeconfig, "--json", "state", "history")
    [run] = [r for r in json.loads(history.stdout) if r["command"] == "apply"]
    assert run["result"] == "failed" and run["ended_at"] is not None


def test_a_removed_stack_takes_its_applyset_parent(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    client = kubelab.client
    parent = "/api/v1/namespaces/kube-system/configmaps/homestack-applyset-tail"
    assert client.request("GET", parent).ok
    shutil.rmtree(kubelab.root / "stacks" / "tail")
    from homestack.engine import EngineOptions

    result = kubelab.apply(EngineOptions(parallelism=2, allow_prune=True))
    assert not result.failed, [s.error for s in result.failed]
    assert not client.request("GET", parent).ok
    assert not client.request("GET", "/api/v1/namespaces/apps/configmaps/tail").ok


def test_a_vanished_stack_folder_prunes_nothing_without_the_flag(kubelab: KubeLab) -> None:
    assert not kubelab.apply().failed
    shutil.rmtree(kubelab.root / "stacks" / "tail")
    result = kubelab.apply()
    tail = result.stack("tail")
    assert tail is not None and tail.outcome.value == "blocked"
    assert "left the homelab" in tail.error and "homestack destroy tail" in tail.error
    assert "--allow-prune" in tail.error and "k8s:v1:ConfigMap:apps/tail" in tail.error
    client = kubelab.client
    assert client.request("GET", "/api/v1/namespaces/apps/configmaps/tail").ok
