"""How a VM becomes a Kubernetes node: kubeadm cloud-init user-data or a Talos config patch.

Pure rendering from the Site. Secrets never appear: the kubeadm bootstrap token and CA hash
are ``${ENV_NAME}`` placeholders the ``pve`` target fills from the environment when it writes
the snippet onto the PVE host's snippets storage.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from homestack.model import JoinMethod, NodeJoin, NodeRole, Site, Vm
from homestack.model.manifest import to_yaml

KUBEADM_API = "kubeadm.k8s.io/v1beta4"
KUBEADM_CONFIG = "/etc/kubeadm/homestack.yaml"


def gateway(site: Site, ip: str) -> str | None:
    """The gateway of the Site network that holds ``ip`` (CIDR form)."""
    address = ipaddress.ip_interface(ip).ip
    for network in site.networks:
        if network.gateway and address in ipaddress.ip_network(network.cidr):
            return network.gateway
    return None


def _registration(vm: Vm) -> dict[str, Any]:
    assert vm.k8s is not None
    registration: dict[str, Any] = {"name": vm.name}
    if vm.k8s.taints:
        registration["taints"] = [{"key": t.key, "value": t.value, "effect": t.effect}
                                  for t in vm.k8s.taints]
    if vm.k8s.labels:
        labels = ",".join(f"{k}={v}" for k, v in sorted(vm.k8s.labels.items()))
        registration["kubeletExtraArgs"] = [{"name": "node-labels", "value": labels}]
    return registration


def kubeadm_documents(site: Site, vm: Vm, join: NodeJoin) -> list[dict[str, Any]]:
    """The kubeadm configuration of ``vm``: init for the first control plane, else join."""
    assert vm.k8s is not None
    planes = sorted(v.id for v in site.vms if v.k8s and v.k8s.role is NodeRole.CONTROL_PLANE)
    token = f"${{{join.token_env}}}"
    if planes and planes[0] == vm.id:
        init: dict[str, Any] = {
            "apiVersion": KUBEADM_API, "kind": "InitConfiguration",
            "bootstrapTokens": [{"token": token, "ttl": "24h0m0s"}],
            "nodeRegistration": _registration(vm),
        }
        if vm.ip:
            init["localAPIEndpoint"] = {"advertiseAddress": vm.ip, "bindPort": 6443}
        cluster = {
            "apiVersion": KUBEADM_API, "kind": "ClusterConfiguration",
            "kubernetesVersion": join.kubernetes_version,
            "controlPlaneEndpoint": join.endpoint,
            "networking": {"podSubnet": join.pod_subnet},
        }
        return [init, cluster]
    document: dict[str, Any] = {
        "apiVersion": KUBEADM_API, "kind": "JoinConfiguration",
        "discovery": {"bootstrapToken": {
            "apiServerEndpoint": join.endpoint, "token": token,
            "caCertHashes": [f"${{{join.ca_hash_env}}}"]}},
        "nodeRegistration": _registration(vm),
    }
    if vm.k8s.role is NodeRole.CONTROL_PLANE:
        document["controlPlane"] = {}
    return [document]


def kubeadm_user_data(site: Site, vm: Vm, join: NodeJoin) -> str:
    """The cloud-init user-data of a kubeadm node (with ``${ENV}`` placeholders)."""
    documents = kubeadm_documents(site, vm, join)
    kubeadm = "---\n".join(to_yaml(document) for document in documents)
    verb = "init" if documents[0]["kind"] == "InitConfiguration" else "join"
    cloud = site.proxmox.cloud_init if site.proxmox else None
    user: dict[str, Any] = {"name": cloud.user if cloud else "homestack",
                            "sudo": "ALL=(ALL) NOPASSWD:ALL", "shell": "/bin/bash"}
    if cloud and cloud.ssh_keys:
        user["ssh_authorized_keys"] = list(cloud.ssh_keys)
    data = {
        "hostname": vm.name,
        "users": [user],
        "write_files": [{"path": KUBEADM_CONFIG, "permissions": "0600", "content": kubeadm}],
        "runcmd": [["kubeadm", verb, "--config", KUBEADM_CONFIG]],
    }
    return "#cloud-config\n" + to_yaml(data)


def talos_patch(site: Site, vm: Vm, join: NodeJoin) -> dict[str, Any]:
    """A Talos machine-configuration patch for ``vm`` (hostname, address, labels, taints)."""
    assert vm.k8s is not None
    interfaces = []
    for index, nic in enumerate(vm.nics):
        if nic.ip:
            interface: dict[str, Any] = {"interface": f"eth{index}", "addresses": [nic.ip]}
            if gw := gateway(site, nic.ip):
                interface["routes"] = [{"network": "0.0.0.0/0", "gateway": gw}]
            interfaces.append(interface)
    machine: dict[str, Any] = {
        "network": {"hostname": vm.name, "interfaces": interfaces},
        "install": {"disk": join.talos_install_disk},
    }
    if vm.k8s.labels:
        machine["nodeLabels"] = dict(sorted(vm.k8s.labels.items()))
    if vm.k8s.taints:
        machine["nodeTaints"] = {t.key: f"{t.value}:{t.effect}" for t in vm.k8s.taints}
    return {"machine": machine}


def join_spec(site: Site, vm: Vm) -> dict[str, Any] | None:
    """What the ``pve`` target writes for ``vm`` to join the cluster (None: not a node)."""
    proxmox = site.proxmox
    if vm.k8s is None or proxmox is None or proxmox.join is None:
        return None
    join = proxmox.join
    if join.method is JoinMethod.TALOS:
        role = "controlplane" if vm.k8s.role is NodeRole.CONTROL_PLANE else "worker"
        return {"method": "talos", "role": role, "endpoint": join.endpoint,
                "file": f"{vm.name}.yaml", "dir": join.talos_dir,
                "patch": talos_patch(site, vm, join)}
    text = kubeadm_user_data(site, vm, join)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return {"method": "kubeadm", "snippet": f"homestack-{vm.id}-{digest}.yaml",
            "storage": proxmox.snippets_storage, "user_data": text,
            "env": [join.token_env, join.ca_hash_env]}
