"""Builders for policy tests: a Site like the reference estate and plain manifest dicts."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from homestack.model import (
    Domains,
    Group,
    Identity,
    K8sNode,
    LbPool,
    NamespaceTier,
    Network,
    Nfs,
    Nic,
    NodeRole,
    Resource,
    Role,
    Site,
    Stack,
    StorageClass,
    Taint,
    User,
    Vm,
)
from homestack.model import annotations as a

SITE = Site(
    name="test",
    networks=(
        Network(name="lan", cidr="192.168.1.0/24"),
        Network(name="k8s", cidr="10.0.20.0/24", vlan=20),
    ),
    vms=(
        Vm(id=200, name="k8s-master", cores=8, memory="32Gi",
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.100/24"),),
           k8s=K8sNode(role=NodeRole.CONTROL_PLANE)),
        Vm(id=201, name="k8s-node1", cores=16, memory="32Gi",
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.101/24"),),
           pci_passthrough=("0000:06:00.0",),
           k8s=K8sNode(labels={"gpu": "true"},
                       taints=(Taint(key="nvidia.com/gpu", value="true"),))),
        Vm(id=202, name="k8s-node2", cores=8, memory="32Gi",
           nics=(Nic(bridge="vmbr1", vlan=20, ip="10.0.20.102/24"),), k8s=K8sNode()),
    ),
    domains=Domains(public="example.org", internal="home.arpa"),
    lb_pool=LbPool(first="10.0.20.200", last="10.0.20.220", shared_ip="10.0.20.200",
                   dedicated={"traefik": "10.0.20.203"}),
    storage_classes=(
        StorageClass(name="proxmox-lvm-encrypted", sensitive=True, block=True, backed_up=True),
        StorageClass(name="proxmox-lvm", block=True, backed_up=True),
        StorageClass(name="nfs-truenas", rwx=True, backed_up=True),
    ),
    nfs=Nfs(server="192.168.1.10"),
    identity=Identity(
        users=(User(name="alice", role=Role.ADMIN, email="alice@example.org"),
               User(name="bob", role=Role.NAMESPACE_OWNER, email="bob@example.org",
                    namespaces=("bob",))),
        groups=(Group(name="admins", members=("alice",)),
                Group(name="family", members=("alice", "bob"))),
    ),
    trusted_registries=("docker.io", "ghcr.io", "registry.k8s.io"),
    exempt_namespaces=("csi",),
    critical_services=("traefik",),
)


def stacks(tiers: Mapping[str, NamespaceTier | None] | None = None,
           namespaces: Mapping[str, str] | None = None) -> dict[str, Stack]:
    """Stacks by name; every Stack is 4-aux in its own namespace unless told otherwise."""
    tiers = tiers if tiers is not None else {}
    namespaces = namespaces or {}
    names = set(tiers) | set(namespaces) | {"app", "other"}
    return {
        name: Stack(name, tier=tiers.get(name, NamespaceTier.AUX),
                    namespace=namespaces.get(name, name))
        for name in sorted(names)
    }


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge ``extra`` into a copy of ``base`` (dicts merge, anything else replaces)."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def container(**extra: Any) -> dict[str, Any]:
    """A container that passes every rule."""
    return merge({
        "name": "main",
        "image": "ghcr.io/example/app:1.2.3",
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"},
                      "limits": {"memory": "64Mi"}},
    }, extra)


def deployment(name: str = "app", namespace: str = "app", *, replicas: int = 1,
               containers: Sequence[dict[str, Any]] | None = None,
               pod: Mapping[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """A Deployment that passes every rule; ``pod`` merges into the pod spec."""
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": merge({"containers": list(containers or [container()])}, pod or {}),
            },
        },
    }
    return merge(body, extra)


def ingress(name: str = "web", namespace: str = "app", *, host: str = "app.example.org",
            notes: Mapping[str, str] | None = None) -> dict[str, Any]:
    """An Ingress with the kit's annotations; defaults pass every rule."""
    annotations = {a.AUTH: "required", a.DNS: "proxied", a.CATALOG_DESCRIPTION: "An app"}
    annotations.update(notes or {})
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": namespace, "annotations": annotations},
        "spec": {"rules": [{"host": host, "http": {"paths": [{
            "path": "/", "pathType": "Prefix",
            "backend": {"service": {"name": name, "port": {"number": 80}}}}]}}]},
    }


def pvc(name: str = "data", namespace: str = "app", *, storage_class: str | None = "proxmox-lvm",
        modes: Sequence[str] = ("ReadWriteOnce",), notes: Mapping[str, str] | None = None,
        ) -> dict[str, Any]:
    """A PersistentVolumeClaim."""
    spec: dict[str, Any] = {"accessModes": list(modes),
                            "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": namespace,
                         "annotations": dict(notes or {})},
            "spec": spec}


def backup(pvc_name: str = "data", namespace: str = "app") -> dict[str, Any]:
    """A backup CronJob for ``pvc_name``."""
    return {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": f"{pvc_name}-backup", "namespace": namespace,
                     "annotations": {a.BACKUP_OF: pvc_name}},
        "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "OnFailure", "containers": [container(name="backup")]}}}}},
    }


def service(name: str, namespace: str = "app", *, ip: str, etp: str = "Cluster"
            ) -> dict[str, Any]:
    """A LoadBalancer Service asking for ``ip``."""
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"type": "LoadBalancer", "loadBalancerIP": ip,
                     "externalTrafficPolicy": etp, "selector": {"app": name},
                     "ports": [{"port": 53, "protocol": "UDP"}]}}


def pdb(name: str = "app", namespace: str = "app", **spec: Any) -> dict[str, Any]:
    """A PodDisruptionBudget selecting ``app: name``."""
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"matchLabels": {"app": name}}, **spec}}


def namespace(name: str, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A Namespace object."""
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": name, "labels": dict(labels or {})}}


def resources_of(
    objects: Sequence[tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], dict[str, Any]]],
) -> dict[str, list[Resource]]:
    """Resources by Stack from (stack, manifest[, Resource.k8s options]) triples; a manifest
    ``{"resource": Resource}`` stands for a non-Kubernetes Resource as it is."""
    out: dict[str, list[Resource]] = {}
    for entry in objects:
        stack, body = entry[0], entry[1]
        if isinstance(body.get("resource"), Resource):
            out.setdefault(stack, []).append(body["resource"])
            continue
        options: dict[str, Any] = entry[2] if len(entry) > 2 else {}
        out.setdefault(stack, []).append(Resource.k8s(copy.deepcopy(body), **options))
    return out
