"""The estate under the cluster: node-side settings every Kubernetes node reads at boot.

The PVE host, the VMs and their NICs are the Site's (site.py); this Stack carries what lives in
kube-system about them: the containerd mirror pointing at the docker-registry VM and the roles
of the identity roster.
"""

from homestack import Stack, StateTier
from homestack.kit import raw

stack = Stack("infra", namespace="kube-system", state_tier=StateTier.BOOTSTRAP,
              description="VM templates, node settings and cluster roles of the roster")
raw(stack, "node-settings.yaml")
raw(stack, "roster-rbac.yaml")
