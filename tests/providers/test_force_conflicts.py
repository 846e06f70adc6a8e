"""``apply --force-conflicts``: a hand edit by another field manager is taken back on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
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


def test_a_hand_edit_is_a_planned_update_with_a_conflict_not_a_failure(
        kubelab: KubeLab, tmp_path: Path) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    _scale(kubelab, 3)
    shown = _homestack(kubelab, "plan", "--detailed-exitcode", "--json")
    assert shown.returncode == 2, shown.stdout + shown.stderr
    [web] = [s for s in json.loads(shown.stdout)["stacks"] if s["stack"] == "web"]
    assert web["outcome"] == "planned"
    [change] = [c for c in web["changes"] if c["conflict"]]
    assert change["action"] == "update" and "kubectl-scale" in change["conflict"]["managers"]
    address = change["address"]
    assert change["note"].count(address) <= 1  # the address once, never twice
    # Saved without --force-conflicts, the plan is refused at apply before any write.
    saved = tmp_path / "plan.json"
    assert _homestack(kubelab, "plan", "web", "-o", str(saved)).returncode == 0
    refused = _homestack(kubelab, "apply", str(saved), "--yes")
    assert refused.returncode == 1 and "--force-conflicts" in refused.stdout + refused.stderr
    assert _replicas(kubelab) == 3
    # Made with it, the same plan takes the field back as saved.
    assert _homestack(kubelab, "plan", "web", "--force-conflicts", "-o",
                      str(saved)).returncode == 0
    taken = _homestack(kubelab, "apply", str(saved), "--yes")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert _replicas(kubelab) == 2
    assert _homestack(kubelab, "plan", "--detailed-exitcode").returncode == 0
