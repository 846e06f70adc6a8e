"""A tier quota too small for its Stack: the plan refuses it (policy HS-TIER-003); silenced,
the real ResourceQuota admission refuses the Pods at apply, and the Stack fails at once with
that one reason instead of waiting for a rollout that cannot happen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from homestack_testing.controlplane import ControlPlane
from homestack_testing.kubeapi.client import Client

SITE = '''from homestack import Cluster, Domains, Site

site = Site(name="quota", domains=Domains(public="example.org", internal="home.arpa"),
            cluster=Cluster(), trusted_registries=("docker.io",))
'''
# 4-aux allows 3Gi of memory requests per namespace: four 1Gi replicas do not fit.
STACK = '''from homestack import Stack, tier
from homestack.kit import deployment, raw

stack = Stack("web", namespace="shop", tier=tier.AUX)
raw(stack, {{"apiVersion": "v1", "kind": "Namespace", "metadata": {{"name": "shop"}}}},
    ignore={ignore})
deployment(stack, "web", image="docker.io/library/nginx:1.27.2", port=80, replicas=4,
           memory="1Gi", cpu="50m")
'''


def _homestack(root: Path, cluster: ControlPlane, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(cluster.kubeconfig), "NO_COLOR": "1",
           "COLUMNS": "250"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=300)


def _homelab(root: Path, ignore: tuple[str, ...]) -> None:
    (root / "stacks" / "web").mkdir(parents=True, exist_ok=True)
    (root / "site.py").write_text(SITE)
    (root / "stacks" / "web" / "stack.py").write_text(STACK.format(ignore=repr(ignore)))


def test_a_quota_too_small_is_refused_by_policy_then_by_the_real_admission(
        tmp_path: Path, kube_cluster: ControlPlane) -> None:
    root = tmp_path / "lab"
    _homelab(root, ())
    refused = _homestack(root, kube_cluster, "plan")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "HS-TIER-003" in refused.stdout + refused.stderr
    assert kube_cluster.client().get("/api/v1/namespaces/shop").code == 404

    _homelab(root, ("HS-TIER-003: the cluster's own quota is what this test checks",))
    started = time.monotonic()
    applied = _homestack(root, kube_cluster, "apply", "--yes", "--json")
    assert applied.returncode == 1, applied.stdout + applied.stderr
    assert time.monotonic() - started < 120  # failed on the reason, not at the timeout
    [stack] = json.loads(applied.stdout)["stacks"]
    assert stack["outcome"] == "failed"
    error = stack["error"]
    assert "k8s:apps/v1:Deployment:shop/web" in error
    assert "exceeded quota: homestack-quota" in error
    assert "requests.memory" in error
    assert "\n" not in error.strip()
    # Three of the four replicas were admitted and run; the quota held the fourth.
    client, deadline = kube_cluster.client(), time.monotonic() + 60
    while _ready(client) != 3:
        assert time.monotonic() < deadline, _ready(client)
        time.sleep(0.2)


def _ready(client: Client) -> int:
    live = client.get("/apis/apps/v1/namespaces/shop/deployments/web").body
    return int(live["status"].get("readyReplicas", 0))
