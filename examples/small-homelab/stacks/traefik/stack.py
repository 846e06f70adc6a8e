"""The ingress controller."""

from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("traefik", tier=tier.CORE, needs=["platform"], description="Ingress controller")
namespace(stack)
raw(stack, [
    {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "traefik"}},
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "traefik"},
        "spec": {
            "type": "LoadBalancer",
            "loadBalancerIP": "10.0.20.203",
            "externalTrafficPolicy": "Local",
            "selector": {"app": "traefik"},
            "ports": [{"name": "websecure", "port": 443, "targetPort": 8443}],
        },
    },
])
