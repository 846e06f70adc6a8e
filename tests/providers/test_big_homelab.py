"""The kit showcase applied to the real control plane, then planned again.

It has no Helm releases: its custom kinds get schema-less CRDs created up front, as a cluster
would have them. Everything goes through the real admission plugins (quotas, LimitRanges,
Pod Security, service accounts); its workloads are rolled out by the real controllers and
scheduler onto Nodes made from its Site's VMs, and the apply waits until they are ready. (The
reference homelab is applied end to end, with every provider, in ``tests/e2e``.)
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from homestack.catalog import load
from homestack.engine import EngineOptions, desired, plan, plan_and_apply
from homestack.model import Provider, Resource
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore
from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.sitenodes import site_nodes
from homestack_testing.controlplane.storage import HOMELAB_STORAGE_CLASSES, install_storage_classes
from homestack_testing.homelabs import copy_homelab
from homestack_testing.kubeapi.client import Client

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BUILTIN_GROUPS = {"", "apps", "batch", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
                  "scheduling.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
                  "discovery.k8s.io", "coordination.k8s.io", "node.k8s.io",
                  "apiregistration.k8s.io", "admissionregistration.k8s.io", "autoscaling"}


def _crds(resources: list[Resource]) -> list[dict[str, Any]]:
    kinds: dict[tuple[str, str, str], set[str]] = {}
    for resource in resources:
        if resource.provider is not Provider.K8S:
            continue
        group, _, version = resource.api_version.rpartition("/")
        if group in BUILTIN_GROUPS:
            continue
        scope = "Namespaced" if resource.namespace else "Cluster"
        kinds.setdefault((group, resource.k8s_kind, scope), set()).add(version)
    return [{
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{kind.lower()}s.{group}"},
        "spec": {"group": group, "scope": scope,
                 "names": {"kind": kind, "plural": f"{kind.lower()}s",
                           "singular": kind.lower(), "listKind": f"{kind}List"},
                 "versions": [{"name": v, "served": True, "storage": i == 0,
                               "schema": {"openAPIV3Schema": {
                                   "type": "object",
                                   "x-kubernetes-preserve-unknown-fields": True}}}
                              for i, v in enumerate(sorted(versions))]},
    } for (group, kind, scope), versions in sorted(kinds.items())]


def _wait_served(client: Client, crds: list[dict[str, Any]]) -> None:
    """Wait (boundedly) until every CRD is Established, as a Helm install would."""
    deadline = time.monotonic() + 30
    for crd in crds:
        path = f"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{crd['metadata']['name']}"
        while time.monotonic() < deadline:
            conditions = (client.get(path).body.get("status") or {}).get("conditions") or []
            if any(c["type"] == "Established" and c["status"] == "True" for c in conditions):
                break
            time.sleep(0.02)
        else:
            raise AssertionError(f"{crd['metadata']['name']} never became Established")


EXISTING_CLAIM = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                  "metadata": {"name": "navidrome-data"},
                  "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "proxmox-lvm",
                           "resources": {"requests": {"storage": "1Gi"}}}}


def _restore_existing_claim(client: Client, stop: threading.Event) -> None:
    """The music Stack mounts a claim it does not declare (``claim("navidrome-data")``): as
    its owner would, restore it once its namespace exists."""
    while not stop.is_set():
        if client.get("/api/v1/namespaces/music").ok:
            made = client.post("/api/v1/namespaces/music/persistentvolumeclaims",
                               EXISTING_CLAIM)
            assert made.ok, made.body
            return
        time.sleep(0.1)


def test_the_kit_showcase_applies_then_plans_clean(tmp_path: Path,
                                                   kube_cluster: ControlPlane) -> None:
    root = tmp_path / "kit-showcase"
    copy_homelab(EXAMPLES / "kit-showcase", root)
    wanted = desired(load(root))
    kube_cluster.set_nodes(site_nodes(wanted.homelab.site))
    # The cluster has the StorageClasses the homelab uses but does not declare itself; one it
    # declares is Homestack's to create (an existing one would be planned as adopt).
    declared = {r.object_name for r in wanted.all_resources() if r.k8s_kind == "StorageClass"}
    client = kube_cluster.client()
    install_storage_classes(client, tuple(c for c in HOMELAB_STORAGE_CLASSES
                                          if c["metadata"]["name"] not in declared))
    crds = _crds(wanted.all_resources())
    for crd in crds:
        assert client.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).ok
    _wait_served(client, crds)
    store = SqliteStore(tmp_path / "state.db")
    options = KubeOptions(poll=0.1, timeout=120.0)
    target = open_kube(str(kube_cluster.kubeconfig), options=options,
                       homelab=wanted.all_resources())
    stop = threading.Event()
    owner = threading.Thread(target=_restore_existing_claim, args=(client, stop))
    owner.start()
    try:
        first = plan_and_apply(wanted, {Provider.K8S: target}, store,
                               EngineOptions(parallelism=2))
    finally:
        stop.set()
        owner.join()
        target.close()
    assert not first.failed, [(s.stack, s.error) for s in first.failed]
    kube_cluster.audit.reset_stats()
    target = open_kube(str(kube_cluster.kubeconfig), options=options,
                       homelab=wanted.all_resources())
    try:
        again = plan(wanted, {Provider.K8S: target}, store, EngineOptions())
    finally:
        target.close()
        store.close()
    changed = [(c.address, c.diff) for s in again.stacks for c in s.changes if c.action.is_change]
    assert changed == []
    stats = kube_cluster.audit.stats()
    # A no-op plan against a server that stores canonical values: no dry-run, no PATCH.
    assert set(stats["by_verb"]) == {"list"}, stats["by_verb"]
    assert all(count <= 2 for count in stats["counts"].values())
