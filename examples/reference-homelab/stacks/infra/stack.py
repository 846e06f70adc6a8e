"""The estate under the cluster: node-side settings every Kubernetes node reads at boot.

The PVE host, the VMs and their NICs are the Site's (site.py); this Stack claims the VMs
(``pve:vm:<vmid>``, applied first: every Stack needs infra) and carries what lives in
kube-system about them: the containerd mirror pointing at the docker-registry VM and the roles
of the identity roster.
"""

from homestack import Stack, StateTier
from homestack.kit import proxmox_vms, raw

stack = Stack("infra", namespace="kube-system", state_tier=StateTier.BOOTSTRAP,
              description="VM templates, node settings and cluster roles of the roster")
proxmox_vms(stack)
raw(stack, "node-settings.yaml")
raw(stack, "roster-rbac.yaml")
