"""proxmox_vms: the Site's VM inventory as ``pve:vm:<vmid>`` Resources owned by one Stack.

The VMs are the Site's (``site.py``); a Stack claims them by calling ``proxmox_vms`` (the
reference homelab's ``infra`` Stack does, so every Stack that needs ``infra`` runs after its
machines). The body is the VM's PVE configuration in PVE's own key/value form, plus the disks
(size, SSD, discard), the clone source and the node-join material (``_nodejoin``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homestack.kit._nodejoin import gateway, join_spec
from homestack.kit._strict import strict
from homestack.model import ModelError, Provider, RenderContext, Resource, Site, Stack, Vm
from homestack.model.quantity import parse_quantity

OWNER_TAG = "homestack"
MARKER = "managed-by: homestack; stack: "
_MIB = Decimal(1024 * 1024)
_GIB = Decimal(1024 ** 3)


def _percent(text: str) -> str:
    """URL-encode every byte but unreserved ones: PVE wants ``sshkeys`` encoded like this."""
    safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"
    return "".join(chr(b) if b in safe else f"%{b:02X}" for b in text.encode())


def marker(stack: str) -> str:
    """The description line that marks a VM as owned by ``stack``."""
    return f"{MARKER}{stack}"


def _mib(text: str, field: str, vm: Vm) -> str:
    try:
        return str(int(parse_quantity(text) / _MIB))
    except (ValueError, ArithmeticError) as exc:
        raise ModelError(f"VM {vm.id} ({vm.name}): {field} {text!r} is not a size",
                         hint="Write sizes like 32Gi or 512Mi") from exc


def _gib(text: str, vm: Vm) -> str:
    value = parse_quantity(text) / _GIB
    if value != int(value) or value < 1:
        raise ModelError(f"VM {vm.id} ({vm.name}): disk size {text!r} is not whole GiB",
                         hint="Write disk sizes in whole Gi, like 128Gi")
    return f"{int(value)}G"


def _nets(site: Site, vm: Vm) -> dict[str, str]:
    config = {}
    for index, nic in enumerate(vm.nics):
        value = f"{nic.model}={nic.mac.upper()}" if nic.mac else nic.model
        value += f",bridge={nic.bridge}" + (f",tag={nic.vlan}" if nic.vlan else "")
        config[f"net{index}"] = value
        if nic.ip:
            gw = gateway(site, nic.ip)
            config[f"ipconfig{index}"] = f"ip={nic.ip}" + (f",gw={gw}" if gw else "")
        else:
            config[f"ipconfig{index}"] = "ip=dhcp"
    return config


def vm_config(site: Site, vm: Vm, stack: str, join: dict[str, Any] | None) -> dict[str, str]:
    """The PVE configuration keys Homestack sets on ``vm`` (every value a string)."""
    disks = [f"scsi{i}" for i in range(len(vm.disks))]
    boot = vm.boot or (*disks[:1], *(["net0"] if vm.nics else []))
    description = marker(stack) + (f"\n{vm.description}" if vm.description else "")
    config = {
        "name": vm.name, "cores": str(vm.cores), "sockets": str(vm.sockets),
        "memory": _mib(vm.memory, "memory", vm),
        "balloon": _mib(vm.balloon, "balloon", vm) if vm.balloon else "0",
        "onboot": "1" if vm.onboot else "0", "agent": "1",
        "tags": ";".join(sorted({OWNER_TAG, *vm.tags})), "description": description,
        "hotplug": ",".join(vm.hotplug) or "0",
        **_nets(site, vm),
    }
    if boot:
        config["boot"] = "order=" + ";".join(boot)
    for index, device in enumerate(vm.pci_passthrough):
        config[f"hostpci{index}"] = f"{device},pcie=1"
    if vm.pci_passthrough:
        config["machine"] = "q35"  # PCIe passthrough needs the q35 machine type
    cloud = site.proxmox.cloud_init if site.proxmox else None
    if join is not None and join["method"] == "kubeadm":
        config["cicustom"] = f"user={join['storage']}:snippets/{join['snippet']}"
    if cloud is not None and (join is None or join["method"] != "talos"):
        config["ciuser"] = cloud.user
        if cloud.ssh_keys:
            config["sshkeys"] = _percent("\n".join(cloud.ssh_keys))
        if cloud.nameservers:
            config["nameserver"] = " ".join(cloud.nameservers)
        if cloud.search_domain:
            config["searchdomain"] = cloud.search_domain
    return config


def vm_body(site: Site, vm: Vm, stack: str) -> dict[str, Any]:
    """The body of ``pve:vm:<vmid>``: node, clone source, config, disks, join material."""
    proxmox = site.proxmox
    join = join_spec(site, vm)
    disks = {f"scsi{i}": {"storage": d.storage, "size": _gib(d.size, vm), "ssd": d.ssd,
                          "discard": d.discard} for i, d in enumerate(vm.disks)}
    template = proxmox.template if proxmox and vm.clone else None
    body: dict[str, Any] = {
        "vmid": vm.id, "node": proxmox.node if proxmox else "pve", "clone": template,
        "config": vm_config(site, vm, stack, join), "disks": disks,
    }
    if join is not None:
        body["join"] = join
    return body


@dataclass
class ProxmoxVms:
    """The component: every Site VM (or those tagged ``only``) as a ``pve:vm`` Resource."""

    name: str
    only: tuple[str, ...] = ()

    def render(self, context: RenderContext) -> Sequence[Resource]:
        site = context.site
        chosen = [vm for vm in site.vms if not self.only or set(self.only) & set(vm.tags)]
        return [Resource(provider=Provider.PVE, kind="vm", name=str(vm.id),
                         body=vm_body(site, vm, context.stack.name)) for vm in chosen]


@strict
def proxmox_vms(stack: Stack, *, only: Sequence[str] = ()) -> ProxmoxVms:
    """Claim the Site's VMs for ``stack`` (those with a tag in ``only``; all by default).

    Example: ``proxmox_vms(stack)`` in the cluster's ``infra`` Stack; ``proxmox_vms(stack,
    only=["k8s"])`` for just the cluster nodes.
    """
    component = ProxmoxVms(name="vms", only=tuple(only))
    stack.add(component)
    return component
