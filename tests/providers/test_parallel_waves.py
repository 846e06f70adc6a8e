"""Ten Stacks in one wave, applied four at a time, twenty times: every run ends the same.

Targets keep no state between calls and the engine shares nothing mutable between worker
threads, so parallelism can change the order of requests, never the outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homestack.catalog import load
from homestack.engine import EngineOptions, desired, plan, plan_and_apply
from homestack.model import Provider
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.client import Client

SITE = '''from homestack.model import Cluster, Domains, Site
site = Site(name="waves", domains=Domains(public="example.org", internal="home.arpa"),
            cluster=Cluster())
'''
STACK = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("s{i}", namespace="apps")
raw(stack, [
    {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "s{i}"}},
      "data": {{"index": "{i}"}}}},
    {{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {{"name": "s{i}"}}}},
    {{"apiVersion": "v1", "kind": "Service", "metadata": {{"name": "s{i}"}},
      "spec": {{"selector": {{"app": "s{i}"}}, "ports": [{{"port": 80}}]}}}},
])
'''
NAMESPACE = '''from homestack import Stack
from homestack.kit import raw

stack = Stack("apps", namespace="apps")
raw(stack, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}})
'''


def _homelab(root: Path) -> Path:
    (root / "stacks" / "apps").mkdir(parents=True)
    (root / "site.py").write_text(SITE)
    (root / "stacks" / "apps" / "stack.py").write_text(NAMESPACE)
    for i in range(10):
        folder = root / "stacks" / f"s{i}"
        folder.mkdir()
        (folder / "stack.py").write_text(STACK.format(i=i).replace(
            'namespace="apps")', 'namespace="apps", needs=["apps"])'))
    return root


def _live(server: KubeApiServer) -> list[tuple[str, str, Any]]:
    client = Client(server.url)
    found = []
    for plural in ("configmaps", "serviceaccounts", "services"):
        body = client.request("GET", f"/api/v1/namespaces/apps/{plural}").body
        for item in body["items"]:
            labels = item["metadata"].get("labels") or {}
            if labels.get("homestack.dev/stack"):
                found.append((plural, item["metadata"]["name"], item.get("data")))
    return sorted(found)


def test_twenty_parallel_runs_end_the_same(tmp_path: Path) -> None:
    root = _homelab(tmp_path / "lab")
    wanted = desired(load(root))
    assert len(wanted.graph.waves[1]) == 10
    outcomes = []
    for run in range(20):
        with KubeApiServer(ready_after_ms=0) as server:
            kubeconfig = server.write_kubeconfig(tmp_path / f"kubeconfig-{run}")
            store = SqliteStore(tmp_path / f"state-{run}.db")
            target = open_kube(str(kubeconfig), options=KubeOptions(poll=0.01, timeout=10.0))
            try:
                targets = {Provider.K8S: target}
                result = plan_and_apply(wanted, targets, store, EngineOptions(parallelism=4))
                again = plan(wanted, targets, store, EngineOptions())
            finally:
                target.close()
                store.close()
            outcomes.append((
                sorted((s.stack, s.outcome.value) for s in result.stacks),
                result.counts(),
                again.has_changes,
                _live(server),
            ))
    assert outcomes[0][2] is False
    assert len(outcomes[0][3]) == 30
    assert all(outcome == outcomes[0] for outcome in outcomes[1:])
