"""``apply --force-conflicts``: a hand edit by another field manager is taken back on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def _homestack(lab: KubeLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def _scale(lab: KubeLab, replicas: int) -> None:
    """What `kubectl scale` does: a patch of spec.replicas under another field manager."""
    patched = lab.client.request(
        "PATCH", "/apis/apps/v1/namespaces/apps/deployments/web?fieldManager=kubectl-scale",
        {"spec": {"replicas": replicas}}, "application/merge-patch+json")
    assert patched.ok, patched.body


def _replicas(lab: KubeLab) -> int:
    body = lab.client.get("/apis/apps/v1/namespaces/apps/deployments/web").body
    return int(body["spec"]["replicas"])


def test_a_scaled_deployment_is_reported_then_taken_back(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    _scale(kubelab, 5)
    assert _homestack(kubelab, "drift", "web").returncode == 2
    refused = _homestack(kubelab, "apply", "web", "--yes")
    assert refused.returncode == 1
    assert "kubectl-scale" in refused.stdout + refused.stderr
    assert _replicas(kubelab) == 5
    forced = _homestack(kubelab, "apply", "web", "--yes", "--force-conflicts", "--json")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert _replicas(kubelab) == 2
    drift = _homestack(kubelab, "drift")
    assert drift.returncode == 0, drift.stdout + drift.stderr


def test_the_plan_names_which_manager_loses_which_field(kubelab: KubeLab) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    _scale(kubelab, 4)
    shown = _homestack(kubelab, "plan", "web", "--force-conflicts", "--json")
    assert shown.returncode == 0, shown.stderr
    [change] = [c for s in json.loads(shown.stdout)["stacks"] for c in s["changes"]
                if c["action"] == "update"]
    assert ".spec.replicas: taken from kubectl-scale" in change["fields"]
    assert "+  replicas: 2" in change["diff"]
    assert _replicas(kubelab) == 4  # a plan never writes, forced or not
