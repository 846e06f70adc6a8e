"""Saved plans on the real cluster: the plan names the cluster (API server and the
``kube-system`` Namespace UID), and a delete the cluster's inventory labels do not give the
Stack is refused even when the plan's seal is intact (made with the state's own key)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from homestack.engine import seal
from homestack.state import SqliteStore

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab


def _homestack(lab: KubeLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=180)


def _resealed(lab: KubeLab, data: dict[str, Any]) -> dict[str, Any]:
    """What only someone holding the state's key could write."""
    bare = {k: v for k, v in data.items() if k not in ("seal", "homelab")}
    return seal(bare, SqliteStore(lab.root / ".homestack" / "state.db"))


def _exists(lab: KubeLab, path: str) -> bool:
    return lab.client.get(path).ok


def test_a_saved_plan_names_the_cluster(kubelab: KubeLab, tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    made = _homestack(kubelab, "plan", "-o", str(saved))
    assert made.returncode == 0, made.stderr
    uid = kubelab.client.get("/api/v1/namespaces/kube-system").body["metadata"]["uid"]
    server = kubelab.kubeconfig.read_text().split("server:")[1].split()[0]
    assert json.loads(saved.read_text())["identities"]["k8s"] == f"{server} kube-system={uid}"


def test_a_sealed_plan_still_deletes_only_what_the_stack_owns(kubelab: KubeLab,
                                                             tmp_path: Path) -> None:
    assert _homestack(kubelab, "apply", "--yes").returncode == 0
    tail = kubelab.root / "stacks" / "tail" / "stack.py"
    tail.write_text(tail.read_text().replace('"web"}}', '"web", "more": "yes"}}'))
    saved = tmp_path / "plan.json"
    assert _homestack(kubelab, "plan", "tail", "-o", str(saved)).returncode == 0
    data = json.loads(saved.read_text())
    [stack] = [s for s in data["stacks"] if s["stack"] == "tail"]
    model = stack["changes"][0]
    for address in ("k8s:v1:ConfigMap:apps/shared", "k8s:v1:Namespace:kube-system",
                    "k8s:apps/v1:Deployment:apps/web"):
        twisted = json.loads(json.dumps(data))
        [own] = [s for s in twisted["stacks"] if s["stack"] == "tail"]
        own["changes"].append({**model, "address": address, "action": "delete",
                               "content_hash": None})
        saved.write_text(json.dumps(_resealed(kubelab, twisted)))
        done = _homestack(kubelab, "apply", str(saved), "--yes")
        assert done.returncode == 3, done.stdout + done.stderr
        assert f"deletes {address} from Stack tail, which does not own it" in done.stderr
    assert _exists(kubelab, "/api/v1/namespaces/apps/configmaps/shared")
    assert _exists(kubelab, "/apis/apps/v1/namespaces/apps/deployments/web")
    body = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert "more" not in body["data"]  # the refused plan applied nothing of its own either
    saved.write_text(json.dumps(_resealed(kubelab, data)))
    assert _homestack(kubelab, "apply", str(saved), "--yes").returncode == 0
    body = kubelab.client.get("/api/v1/namespaces/apps/configmaps/tail").body
    assert body["data"]["more"] == "yes"
