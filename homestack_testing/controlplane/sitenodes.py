"""The Nodes a Site's VMs become once they joined the cluster: name, cores and memory of the
VM, its address, the role's label and taint (a control plane takes no workloads), the labels
and taints the Site gives it, and one ``nvidia.com/gpu`` per passed-through PCI device (what
the NVIDIA device plugin would advertise)."""

from __future__ import annotations

from homestack.model import NodeRole, Site
from homestack_testing.controlplane.agent import NodeSpec

CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


def site_nodes(site: Site, *, gpu_slots_per_device: int = 1) -> tuple[NodeSpec, ...]:
    """A NodeSpec per VM of ``site`` that is a Kubernetes node; ``gpu_slots_per_device`` is
    the device plugin's time-slicing replicas (each GPU advertised that many times)."""
    nodes = []
    for vm in site.vms:
        if vm.k8s is None:
            continue
        labels = dict(vm.k8s.labels)
        taints = [{"key": t.key, "value": t.value, "effect": t.effect} for t in vm.k8s.taints]
        if vm.k8s.role is NodeRole.CONTROL_PLANE:
            labels[CONTROL_PLANE] = ""
            taints.append({"key": CONTROL_PLANE, "effect": "NoSchedule"})
        address = next((nic.ip.split("/")[0] for nic in vm.nics if nic.ip), "10.0.0.10")
        gpus = len(vm.pci_passthrough) * gpu_slots_per_device
        extended = {"nvidia.com/gpu": str(gpus)} if gpus else {}
        nodes.append(NodeSpec(vm.name, cpu=str(vm.cores), memory=str(vm.memory),
                              address=address, labels=labels, taints=tuple(taints),
                              extended=extended))
    return tuple(nodes)
