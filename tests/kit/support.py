"""The Site every kit test renders against, and helpers to render a Stack to plain data."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import yaml

from homestack.model import (
    Domains,
    Edge,
    Group,
    Identity,
    K8sNode,
    LbPool,
    Nfs,
    Resource,
    Site,
    Stack,
    StorageClass,
    Taint,
    Vm,
)

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"

SITE = Site(
    name="kit-test",
    domains=Domains(public="example.org", internal="home.arpa"),
    vms=(
        Vm(id=201, name="k8s-node1", cores=16, memory="32Gi", pci_passthrough=("0000:06:00.0",),
           k8s=K8sNode(labels={"gpu": "true"},
                       taints=(Taint(key="nvidia.com/gpu", value="true"),))),
        Vm(id=202, name="k8s-node2", cores=8, memory="32Gi", k8s=K8sNode()),
    ),
    lb_pool=LbPool(first="10.0.20.200", last="10.0.20.220", shared_ip="10.0.20.200",
                   dedicated={"traefik": "10.0.20.203"}),
    storage_classes=(
        StorageClass(name="proxmox-lvm-encrypted", sensitive=True, block=True, backed_up=True),
        StorageClass(name="proxmox-lvm", block=True, backed_up=True),
        StorageClass(name="nfs-truenas", rwx=True, backed_up=True),
    ),
    nfs=Nfs(server="192.168.1.10"),
    identity=Identity(groups=(Group(name="admins"), Group(name="family"))),
    edge=Edge(tunnel_target="homelab.cfargotunnel.com", public_ip="203.0.113.7",
              lan_cidrs=("192.168.1.0/24", "10.0.10.0/24"), ingress_ip="10.0.20.203"),
)


def load_stack(path: Path) -> Stack:
    """Run a stack file and return the one Stack it declares."""
    found = [v for v in runpy.run_path(str(path)).values() if isinstance(v, Stack)]
    assert len(found) == 1, f"{path} declares {len(found)} Stacks"
    return found[0]


def as_data(resource: Resource) -> dict[str, Any]:
    """A Resource as plain data: address, what others own, secret refs, body."""
    data: dict[str, Any] = {"address": resource.address}
    if resource.owned_elsewhere:
        data["owned_elsewhere"] = list(resource.owned_elsewhere)
    if resource.secret_refs:
        data["secret_refs"] = [str(ref) for ref in resource.secret_refs]
    data["body"] = resource.body
    return data


def dump(resources: list[Resource]) -> str:
    """Rendered Resources as multi-document YAML, in address order."""
    return yaml.safe_dump_all([as_data(r) for r in resources], sort_keys=False, width=100)


def k8s_bodies(resources: list[Resource]) -> list[dict[str, Any]]:
    """The Kubernetes objects among ``resources``."""
    return [r.body for r in resources if r.provider.value == "k8s"]
