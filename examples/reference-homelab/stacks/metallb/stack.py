"""MetalLB in L2 mode: hands out 10.0.20.200-220 to LoadBalancer Services.

.200 is shared (externalTrafficPolicy Cluster, many TCP/UDP Services); Traefik, Technitium,
the mail server and Headscale have dedicated IPs (Local, real client IPs). The operator is the
upstream manifest: its controller and speaker need ServiceAccounts, host networking and RBAC.
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace, raw

stack = Stack("metallb", namespace="metallb-system", tier=tier.CORE, needs=["platform"],
              description="Bare-metal load balancer for the LB pool")
namespace(stack)
helm_release(stack, "metallb", chart="metallb", repo="https://metallb.github.io/metallb",
             version="0.14.9")
raw(stack, [
    {
        "apiVersion": "metallb.io/v1beta1",
        "kind": "IPAddressPool",
        "metadata": {"name": "homelab", "namespace": "metallb-system"},
        "spec": {"addresses": ["10.0.20.200-10.0.20.220"], "autoAssign": False},
    },
    {
        "apiVersion": "metallb.io/v1beta1",
        "kind": "L2Advertisement",
        "metadata": {"name": "homelab"},
        "spec": {"ipAddressPools": ["homelab"], "interfaces": ["eth0"]},
    },
], name="pool")
