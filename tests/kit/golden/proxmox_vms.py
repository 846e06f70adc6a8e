"""The Site's VMs as pve:vm Resources: config in PVE's form, the GPU node's passthrough."""

from homestack import Stack, StateTier
from homestack.kit import proxmox_vms

stack = Stack("infra", namespace="kube-system", state_tier=StateTier.BOOTSTRAP)
proxmox_vms(stack)
